package dev.ward.policy.yaml;

import dev.ward.policy.istio.AuthorizationPolicy;
import dev.ward.policy.istio.AuthzAction;
import dev.ward.policy.istio.Rule;
import dev.ward.policy.istio.TargetRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * One Istio AuthorizationPolicy document: header, metadata (name, namespace, the {@code istio.io/dry-run} and
 * {@code ward.dev/direction} annotations), selector or targetRefs, action, and the rules ({@link AuthzRulesParser}). Errors go to {@code p};
 * advice (rules that can never match, ALLOW for any identity) to {@code w}, as warnings.
 */
final class AuthorizationPolicyParser {
    static final String KIND = "AuthorizationPolicy";
    static final Set<String> API_VERSIONS = Set.of("security.istio.io/v1", "security.istio.io/v1beta1");
    private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec", "status");
    private static final Set<String> SPEC = Set.of("selector", "targetRef", "targetRefs", "action", "rules",
            "provider");
    private static final Set<String> SELECTOR = Set.of("matchLabels");
    private static final Set<String> TARGET_REF = Set.of("group", "kind", "name", "namespace");

    private AuthorizationPolicyParser() {
    }

    /** Whether a document says it is an AuthorizationPolicy (its kind), so that a mixed file can dispatch on it. */
    static boolean claims(Node doc) {
        if (doc instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("kind")
                        && t.getValueNode() instanceof ScalarNode v) {
                    return v.getValue().equals(KIND);
                }
            }
        }
        return false;
    }

    /** The policy of {@code doc}, or null after reporting. */
    static AuthorizationPolicy document(Node doc, Problems p, Problems w) {
        Fields top = Fields.of(doc, "the document", p, TOP, Set.of());
        if (top == null) {
            return null;
        }
        Node api = top.require("apiVersion", p, "security.istio.io/v1");
        String v = api == null ? null : Values.string(api, "apiVersion", p);
        if (v != null && !API_VERSIONS.contains(v)) {
            p.at(api, ErrorCode.BAD_HEADER, "apiVersion \"" + v + "\" is not supported for an AuthorizationPolicy"
                    + " (expected security.istio.io/v1 or security.istio.io/v1beta1)");
        }
        Node meta = top.require("metadata", p, "a mapping with name");
        Fields m = meta == null ? null : Fields.of(meta, "metadata", p, null, Set.of());
        String name = null;
        String namespace = "default";
        boolean dryRun = false;
        boolean egress = false;
        if (m != null) {
            Node nn = m.require("name", p, "the policy's name");
            name = nn == null ? null : Values.string(nn, "metadata.name", p);
            Node ns = m.get("namespace");
            String s = ns == null ? null : Values.string(ns, "metadata.namespace", p);
            namespace = s == null ? namespace : s;
            Fields annotations = m.has("annotations")
                    ? Fields.of(m.get("annotations"), "metadata.annotations", p, null, Set.of()) : null;
            dryRun = "true".equals(annotation(annotations, AuthorizationPolicy.DRY_RUN_ANNOTATION,
                    List.of("true", "false"), p));
            egress = "egress".equals(annotation(annotations, AuthorizationPolicy.DIRECTION_ANNOTATION,
                    List.of("inbound", "egress"), p));
        }
        Node specNode = top.get("spec");
        Fields spec = specNode == null ? null : Fields.of(specNode, "spec", p, SPEC, Set.of());
        if (specNode != null && spec == null) {
            return null;
        }
        AuthzAction action = spec == null ? AuthzAction.ALLOW : action(spec, p);
        Map<String, String> selector = spec == null ? null : selector(spec.get("selector"), p);
        List<TargetRef> refs = spec == null ? List.of() : targetRefs(spec, p, w);
        if (selector != null && !refs.isEmpty()) {
            p.at(spec.get("selector"), ErrorCode.CONFLICT, "spec has both selector and targetRefs (expected at most "
                    + "one of them)");
        }
        List<Rule> rules = spec == null || !spec.has("rules") ? List.of()
                : AuthzRulesParser.rules(spec.get("rules"), action, egress, p, w);
        if (name == null || action == null) {
            return null;
        }
        return new AuthorizationPolicy(name, namespace, p.position(doc), selector, refs, action, dryRun, rules,
                egress);
    }

    /** The annotation {@code key} when it is one of {@code allowed} (in the order given), else null. */
    private static String annotation(Fields annotations, String key, List<String> allowed, Problems p) {
        Node d = annotations == null ? null : annotations.get(key);
        if (d == null) {
            return null;
        }
        String s = Values.string(d, "metadata.annotations." + key, p);
        if (s != null && !allowed.contains(s)) {
            p.at(d, ErrorCode.BAD_ENUM, "annotation " + key + " is \"" + s + "\" (expected "
                    + String.join(" or ", allowed.stream().map(a -> "\"" + a + "\"").toList()) + ")");
            return null;
        }
        return s;
    }

    private static AuthzAction action(Fields spec, Problems p) {
        Node n = spec.get("action");
        if (n == null) {
            if (spec.has("provider")) {
                p.at(spec.get("provider"), ErrorCode.CONFLICT, "spec.provider is given without action: CUSTOM "
                        + "(expected provider only with CUSTOM)");
            }
            return AuthzAction.ALLOW; // Istio's default
        }
        String s = Values.string(n, "spec.action", p);
        if (s == null) {
            return null;
        }
        switch (s) {
            case "ALLOW":
                return AuthzAction.ALLOW;
            case "DENY":
                return AuthzAction.DENY;
            case "AUDIT":
                return AuthzAction.AUDIT;
            case "CUSTOM":
                p.at(n, ErrorCode.UNSUPPORTED, "spec.action CUSTOM (external authorization) is not supported by Ward "
                        + "yet (expected ALLOW, DENY or AUDIT)");
                return null;
            default:
                String hint = Values.closest(s.toUpperCase(java.util.Locale.ROOT), Set.of("ALLOW", "DENY", "AUDIT"));
                p.at(n, ErrorCode.BAD_ENUM, "spec.action \"" + s + "\" is not an action (expected ALLOW, DENY or "
                        + "AUDIT" + (hint != null ? "; did you mean " + hint + "?" : "") + ")");
                return null;
        }
    }

    private static Map<String, String> selector(Node n, Problems p) {
        if (n == null) {
            return null;
        }
        Fields f = Fields.of(n, "spec.selector", p, SELECTOR, Set.of());
        Node ml = f == null ? null : f.get("matchLabels");
        Map<String, String> labels = new LinkedHashMap<>();
        Fields m = ml == null ? null : Fields.of(ml, "spec.selector.matchLabels", p, null, Set.of());
        if (m != null && ml instanceof MappingNode mapping) {
            for (NodeTuple t : mapping.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    String v = Values.string(t.getValueNode(), "spec.selector.matchLabels." + k.getValue(), p);
                    if (v != null) {
                        labels.putIfAbsent(k.getValue(), v);
                    }
                }
            }
        }
        return labels;
    }

    private static List<TargetRef> targetRefs(Fields spec, Problems p, Problems w) {
        List<TargetRef> out = new ArrayList<>();
        if (spec.has("targetRef")) {
            TargetRef r = targetRef(spec.get("targetRef"), "spec.targetRef", p, w);
            if (r != null) {
                out.add(r);
            }
        }
        if (spec.has("targetRefs")) {
            List<Node> items = Values.sequence(spec.get("targetRefs"), "spec.targetRefs", "{kind, group, name}", p);
            for (int i = 0; items != null && i < items.size(); i++) {
                TargetRef r = targetRef(items.get(i), "spec.targetRefs[" + i + "]", p, w);
                if (r != null) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    private static TargetRef targetRef(Node n, String what, Problems p, Problems w) {
        Fields f = Fields.of(n, what, p, TARGET_REF, Set.of());
        if (f == null) {
            return null;
        }
        Node kind = f.require("kind", p, "Service");
        Node name = f.require("name", p, "the service's name");
        String k = kind == null ? null : Values.string(kind, what + ".kind", p);
        String nm = name == null ? null : Values.string(name, what + ".name", p);
        String g = f.has("group") ? Values.string(f.get("group"), what + ".group", p) : "";
        if (k == null || nm == null) {
            return null;
        }
        TargetRef r = new TargetRef(g == null ? "" : g, k, nm);
        if (!r.isService()) {
            w.at(n, ErrorCode.NOT_ISTIO, what + " is a " + k + (g == null || g.isEmpty() ? "" : " of group " + g)
                    + ", which selects no Ward workload (expected kind: Service with group \"\")");
        }
        return r;
    }
}
