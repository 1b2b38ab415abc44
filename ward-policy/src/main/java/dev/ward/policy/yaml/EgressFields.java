package dev.ward.policy.yaml;

import dev.ward.policy.istio.ConditionKey;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * What an egress AuthorizationPolicy ({@code ward.dev/direction: egress}) may say, and what an inbound one may not.
 * The source of an egress connection is the workload the policy selects and its process; the destination is
 * outside the mesh, so it has no identity and there is no HTTP request to look at: {@code from}, methods, paths,
 * request headers and the {@code source.*} keys of Istio are errors there, and Ward's {@code source.process} is
 * one in an inbound policy (the destination cannot know the caller's process). Errors are placed on the field.
 */
final class EgressFields {
    static final String EGRESS_KEYS = "destination.ip, destination.port, source.process";
    private static final List<String> HTTP_ONLY = List.of("methods", "notMethods", "paths", "notPaths");
    private static final Set<ConditionKey> SOURCE_SIDE = Set.of(ConditionKey.SOURCE_IP,
            ConditionKey.SOURCE_NAMESPACE, ConditionKey.SOURCE_PRINCIPAL, ConditionKey.REQUEST_HEADERS);

    private EgressFields() {
    }

    /** {@code from} in an egress rule. */
    static void rule(Fields f, String what, Problems p) {
        if (f.has("from")) {
            p.at(f.key("from"), ErrorCode.DIRECTION, what + ".from does not apply to an egress policy: the source "
                    + "is the workload the policy selects (expected to and when only; source.process for the "
                    + "process)");
        }
    }

    /** Methods and paths, and hosts written with a port, in an egress operation. */
    static void operation(Fields f, AuthzValues v, String what, Problems p) {
        for (String field : HTTP_ONLY) {
            if (f.has(field)) {
                p.at(f.key(field), ErrorCode.DIRECTION, what + "." + field + " does not apply to an egress policy: "
                        + "Ward does not read the requests of outbound connections (expected hosts, ports)");
            }
        }
        for (String field : List.of("hosts", "notHosts")) {
            v.forEach(field, (n, i, host) -> {
                if (hasPort(host)) {
                    p.at(n, ErrorCode.DIRECTION, what + "." + field + "[" + i + "] \"" + host + "\" has a port: "
                            + "egress hosts are names, compared without the port (expected the name here and the "
                            + "port in ports)");
                }
            });
        }
    }

    /**
     * Whether {@code key} fits the policy's direction; reports at {@code keyNode} when not.
     */
    static boolean fits(ConditionKey key, boolean egress, Node keyNode, String what, Problems p) {
        if (egress && SOURCE_SIDE.contains(key)) {
            p.at(keyNode, ErrorCode.DIRECTION, what + ".key " + key.key() + " does not apply to an egress policy "
                    + "(expected one of " + EGRESS_KEYS + ")");
            return false;
        }
        if (!egress && key == ConditionKey.SOURCE_PROCESS) {
            p.at(keyNode, ErrorCode.DIRECTION, what + ".key source.process applies to egress policies only: the "
                    + "destination of an inbound connection cannot know the caller's process (expected the "
                    + "annotation ward.dev/direction: egress, or another key)");
            return false;
        }
        return true;
    }

    /** A {@code source.process} value: an executable's absolute path or its file name, no pattern. */
    static boolean process(Node n, String at, String v, Problems p) {
        if (v.isEmpty() || v.indexOf('*') >= 0 || v.indexOf('/') > 0 || v.endsWith("/")) {
            p.at(n, ErrorCode.BAD_PATH, at + " \"" + v + "\" is not an executable (expected an absolute path such "
                    + "as /usr/bin/curl, or a file name such as curl; no patterns)");
            return false;
        }
        return true;
    }

    private static boolean hasPort(String host) {
        int colon = host.lastIndexOf(':');
        return colon >= 0 && host.indexOf(':') == colon && host.indexOf('[') < 0;
    }
}
