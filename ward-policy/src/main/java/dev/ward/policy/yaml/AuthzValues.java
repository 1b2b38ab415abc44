package dev.ward.policy.yaml;

import dev.ward.policy.istio.Cidr;
import dev.ward.policy.istio.ConditionKey;
import dev.ward.policy.istio.StringMatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The string lists of one source, operation or condition, each read (and its type errors reported) once, then
 * converted for its field: Istio string matches, CIDRs, port numbers. Warnings go to {@code w}.
 */
final class AuthzValues {
    private static final String SCHEME = "spiffe://";
    private static final Set<String> ALL = Set.of("principals", "notPrincipals", "namespaces", "notNamespaces",
            "ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks", "hosts", "notHosts", "ports",
            "notPorts", "methods", "notMethods", "paths", "notPaths", "requestPrincipals", "notRequestPrincipals");

    private final Fields f;
    private final String what;
    private final Problems p;
    private final Problems w;
    private final Map<String, Raw> read = new HashMap<>();

    /** A list as written: the item nodes (for positions) and the strings that are strings. */
    private record Raw(List<Node> nodes, List<String> values) {
    }

    /** Receives each string of a field with its node and index. */
    @FunctionalInterface
    interface Item {
        void accept(Node node, int index, String value);
    }

    AuthzValues(Fields f, String what, Problems p, Problems w) {
        this.f = f;
        this.what = what;
        this.p = p;
        this.w = w;
    }

    /**
     * Whether no match field is given (Istio refuses an empty source or operation); an unsupported field counts as
     * given, as it has its own error.
     */
    boolean isEmpty() {
        return ALL.stream().noneMatch(f::has);
    }

    List<StringMatch> strings(String field, boolean ignoreCase) {
        return raw(field).values().stream().map(v -> StringMatch.of(v, ignoreCase)).toList();
    }

    /** Principals without {@code spiffe://}: Istio writes them so; one with the scheme gets a warning. */
    List<StringMatch> principals(String field) {
        Raw r = raw(field);
        List<StringMatch> out = new ArrayList<>();
        for (int i = 0; i < r.values().size(); i++) {
            out.add(StringMatch.of(principal(r.nodes().get(i), field + "[" + i + "]", r.values().get(i)), false));
        }
        return out;
    }

    List<Cidr> cidrs(String field) {
        Raw r = raw(field);
        List<Cidr> out = new ArrayList<>();
        for (int i = 0; i < r.values().size(); i++) {
            Cidr c = AuthzRulesParser.cidr(r.nodes().get(i), what + "." + field + "[" + i + "]", r.values().get(i), p);
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    List<Integer> ports(String field) {
        Raw r = raw(field);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < r.values().size(); i++) {
            Integer port = port(r.nodes().get(i), what + "." + field + "[" + i + "]", r.values().get(i));
            if (port != null) {
                out.add(port);
            }
        }
        return out;
    }

    /** The values of a condition, checked for its key (CIDRs, ports, strings); principals lose their scheme. */
    List<String> conditionValues(String field, ConditionKey key) {
        Raw r = raw(field);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < r.values().size(); i++) {
            Node n = r.nodes().get(i);
            String v = r.values().get(i);
            String at = what + "." + field + "[" + i + "]";
            boolean ok = switch (key) {
                case SOURCE_IP, DESTINATION_IP -> AuthzRulesParser.cidr(n, at, v, p) != null;
                case DESTINATION_PORT -> port(n, at, v) != null;
                case SOURCE_PROCESS -> EgressFields.process(n, at, v, p);
                default -> true;
            };
            if (ok) {
                out.add(key == ConditionKey.SOURCE_PRINCIPAL ? principal(n, field + "[" + i + "]", v) : v);
            }
        }
        return out;
    }

    void forEach(String field, Item each) {
        Raw r = raw(field);
        for (int i = 0; i < r.values().size(); i++) {
            each.accept(r.nodes().get(i), i, r.values().get(i));
        }
    }

    /** Warns when every value of {@code field} is excluded again by {@code notField} (or notField is "*"). */
    void warnIfExcluded(String field, String notField) {
        List<String> yes = raw(field).values();
        List<String> no = raw(notField).values();
        if (!yes.isEmpty() && (no.containsAll(yes) || no.contains("*"))) {
            w.at(f.get(notField), ErrorCode.NEVER_MATCHES, what + "." + notField + " excludes every value of "
                    + what + "." + field + ", so this can never match (expected " + notField
                    + " to exclude only part of " + field + ")");
        }
    }

    /** HTTP methods compare case-sensitively in Istio: "get" never matches a GET. */
    void warnLowerCaseMethods(String field) {
        Raw r = raw(field);
        for (int i = 0; i < r.values().size(); i++) {
            String v = r.values().get(i);
            if (!v.equals(v.toUpperCase(java.util.Locale.ROOT))) {
                w.at(r.nodes().get(i), ErrorCode.NEVER_MATCHES, what + "." + field + "[" + i + "] \"" + v
                        + "\" never matches: methods are case-sensitive (expected \""
                        + v.toUpperCase(java.util.Locale.ROOT) + "\")");
            }
        }
    }

    /** Envoy URI templates ({@code {*}}, {@code {**}}) in paths are not evaluated by Ward yet. */
    void refuseTemplates(String field) {
        Raw r = raw(field);
        for (int i = 0; i < r.values().size(); i++) {
            if (r.values().get(i).indexOf('{') >= 0) {
                p.at(r.nodes().get(i), ErrorCode.UNSUPPORTED, what + "." + field + "[" + i + "] \""
                        + r.values().get(i) + "\" is a path template, which Ward does not support yet (expected "
                        + "an exact path, a prefix /a/* or a suffix */b)");
            }
        }
    }

    private String principal(Node n, String at, String v) {
        if (!v.startsWith(SCHEME)) {
            return v;
        }
        w.at(n, ErrorCode.NOT_ISTIO, what + "." + at + " \"" + v + "\" has the spiffe:// scheme, which Istio "
                + "principals leave out; Ward ignores it, Istio would never match it (expected \""
                + v.substring(SCHEME.length()) + "\")");
        return v.substring(SCHEME.length());
    }

    private Integer port(Node n, String at, String v) {
        if (v.isEmpty() || v.length() > 5 || !v.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(v) > 65535) {
            p.at(n, ErrorCode.OUT_OF_RANGE, at + " \"" + v + "\" is not a port (expected a number from 0 to 65535, "
                    + "written as a string)");
            return null;
        }
        return Integer.parseInt(v);
    }

    private Raw raw(String field) {
        Raw r = read.get(field);
        if (r != null) {
            return r;
        }
        Node n = f.get(field);
        List<Node> nodes = new ArrayList<>();
        List<String> values = new ArrayList<>();
        List<Node> items = n == null ? null : Values.sequence(n, what + "." + field, "strings", p);
        for (int i = 0; items != null && i < items.size(); i++) {
            String s = Values.string(items.get(i), what + "." + field + "[" + i + "]", p);
            if (s != null) {
                nodes.add(items.get(i));
                values.add(s);
            }
        }
        r = new Raw(nodes, values);
        read.put(field, r);
        return r;
    }
}
