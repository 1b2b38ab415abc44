package dev.ward.policy.yaml;

import dev.ward.policy.istio.AuthzAction;
import dev.ward.policy.istio.Cidr;
import dev.ward.policy.istio.Condition;
import dev.ward.policy.istio.ConditionKey;
import dev.ward.policy.istio.Operation;
import dev.ward.policy.istio.Rule;
import dev.ward.policy.istio.Source;
import dev.ward.policy.istio.StringMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * {@code spec.rules} of an AuthorizationPolicy: from/source, to/operation, when. Values are checked for what their
 * field takes (CIDRs, port numbers, supported condition keys); {@link AuthzValues} reads lists of them and warns
 * about pairs like {@code ports} and {@code notPorts} that leave nothing to match.
 */
final class AuthzRulesParser {
    private static final Set<String> RULE = Set.of("from", "to", "when");
    private static final Set<String> SOURCE = Set.of("principals", "notPrincipals", "namespaces", "notNamespaces",
            "ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks");
    private static final Set<String> SOURCE_UNSUPPORTED = Set.of("requestPrincipals", "notRequestPrincipals");
    private static final Set<String> OPERATION = Set.of("hosts", "notHosts", "ports", "notPorts", "methods",
            "notMethods", "paths", "notPaths");
    private static final Set<String> CONDITION = Set.of("key", "values", "notValues");

    private AuthzRulesParser() {
    }

    static List<Rule> rules(Node n, AuthzAction action, boolean egress, Problems p, Problems w) {
        List<Node> items = Values.sequence(n, "spec.rules", "rules ({from, to, when})", p);
        List<Rule> out = new ArrayList<>();
        for (int i = 0; items != null && i < items.size(); i++) {
            Rule r = rule(items.get(i), "spec.rules[" + i + "]", action, egress, p, w);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    private static Rule rule(Node n, String what, AuthzAction action, boolean egress, Problems p, Problems w) {
        Fields f = Fields.of(n, what, p, RULE, Set.of());
        if (f == null) {
            return null;
        }
        if (egress) {
            EgressFields.rule(f, what, p);
        }
        List<Source> from = new ArrayList<>();
        for (Node item : list(f, "from", what, "{source: {...}}", p)) {
            String at = what + ".from[" + from.size() + "]";
            Fields s = Fields.of(item, at, p, Set.of("source"), Set.of());
            Node src = s == null ? null : s.require("source", p, "a mapping of principals, namespaces, ipBlocks...");
            Source source = src == null ? null : source(src, at + ".source", action, p, w);
            if (source != null) {
                from.add(source);
            }
        }
        List<Operation> to = new ArrayList<>();
        for (Node item : list(f, "to", what, "{operation: {...}}", p)) {
            String at = what + ".to[" + to.size() + "]";
            Fields o = Fields.of(item, at, p, Set.of("operation"), Set.of());
            Node op = o == null ? null : o.require("operation", p, "a mapping of ports, methods, paths, hosts...");
            Operation operation = op == null ? null : operation(op, at + ".operation", egress, p, w);
            if (operation != null) {
                to.add(operation);
            }
        }
        List<Condition> when = new ArrayList<>();
        for (Node item : list(f, "when", what, "{key, values}", p)) {
            Condition c = condition(item, what + ".when[" + when.size() + "]", egress, p, w);
            if (c != null) {
                when.add(c);
            }
        }
        return new Rule(p.position(n), from, to, when);
    }

    private static Source source(Node n, String what, AuthzAction action, Problems p, Problems w) {
        Fields f = Fields.of(n, what, p, SOURCE, SOURCE_UNSUPPORTED);
        if (f == null) {
            return null;
        }
        AuthzValues v = new AuthzValues(f, what, p, w);
        if (v.isEmpty()) {
            p.at(n, ErrorCode.NO_RULES, what + " is empty (expected at least one of " + sorted(SOURCE) + ")");
        }
        List<StringMatch> principals = v.principals("principals");
        if (action == AuthzAction.ALLOW && principals.stream().anyMatch(m -> m.kind() == StringMatch.Kind.PRESENCE)) {
            w.at(f.get("principals"), ErrorCode.BROAD_ALLOW, what + ".principals \"*\" in an ALLOW policy lets in any "
                    + "peer with a mesh identity (expected the callers' principals)");
        }
        v.warnIfExcluded("principals", "notPrincipals");
        v.warnIfExcluded("namespaces", "notNamespaces");
        v.warnIfExcluded("ipBlocks", "notIpBlocks");
        v.warnIfExcluded("remoteIpBlocks", "notRemoteIpBlocks");
        return new Source(p.position(n), principals, v.principals("notPrincipals"), v.strings("namespaces", false),
                v.strings("notNamespaces", false), v.cidrs("ipBlocks"), v.cidrs("notIpBlocks"),
                v.cidrs("remoteIpBlocks"), v.cidrs("notRemoteIpBlocks"));
    }

    private static Operation operation(Node n, String what, boolean egress, Problems p, Problems w) {
        Fields f = Fields.of(n, what, p, OPERATION, Set.of());
        if (f == null) {
            return null;
        }
        AuthzValues v = new AuthzValues(f, what, p, w);
        if (egress) {
            EgressFields.operation(f, v, what, p);
        }
        if (v.isEmpty()) {
            p.at(n, ErrorCode.NO_RULES, what + " is empty (expected at least one of " + sorted(OPERATION) + ")");
        }
        for (String field : List.of("ports", "hosts", "methods", "paths")) {
            v.warnIfExcluded(field, "not" + Character.toUpperCase(field.charAt(0)) + field.substring(1));
        }
        v.warnLowerCaseMethods("methods");
        v.refuseTemplates("paths");
        v.refuseTemplates("notPaths");
        return new Operation(p.position(n), v.strings("hosts", true), v.strings("notHosts", true), v.ports("ports"),
                v.ports("notPorts"), v.strings("methods", false), v.strings("notMethods", false),
                v.strings("paths", false), v.strings("notPaths", false));
    }

    private static Condition condition(Node n, String what, boolean egress, Problems p, Problems w) {
        Fields f = Fields.of(n, what, p, CONDITION, Set.of());
        if (f == null) {
            return null;
        }
        Node keyNode = f.require("key", p, "an attribute such as source.ip");
        String key = keyNode == null ? null : Values.string(keyNode, what + ".key", p);
        ConditionKey k = key == null ? null : ConditionKey.of(key);
        if (key != null && k == null) {
            p.at(keyNode, ErrorCode.BAD_ENUM, what + ".key \"" + key + "\" is not supported (expected one of "
                    + (egress ? EgressFields.EGRESS_KEYS + ")" : "source.ip, source.namespace, source.principal, "
                    + "destination.ip, destination.port, request.headers[NAME])"));
        } else if (k != null && !EgressFields.fits(k, egress, keyNode, what, p)) {
            k = null;
        }
        if (!f.has("values") && !f.has("notValues")) {
            p.at(n, ErrorCode.MISSING_FIELD, what + " has neither values nor notValues (expected at least one)");
        }
        AuthzValues v = new AuthzValues(f, what, p, w);
        v.warnIfExcluded("values", "notValues");
        if (k == null) {
            return null;
        }
        List<String> values = v.conditionValues("values", k);
        List<String> notValues = v.conditionValues("notValues", k);
        String header = k == ConditionKey.REQUEST_HEADERS
                ? key.substring("request.headers[".length(), key.length() - 1).toLowerCase(Locale.ROOT) : null;
        return new Condition(p.position(n), k, header, values, notValues);
    }

    private static List<Node> list(Fields f, String field, String what, String expected, Problems p) {
        if (!f.has(field)) {
            return List.of();
        }
        List<Node> items = Values.sequence(f.get(field), what + "." + field, expected, p);
        return items == null ? List.of() : items;
    }

    private static String sorted(Set<String> s) {
        return String.join(", ", s.stream().sorted().toList());
    }

    /** Validates one value of {@link Cidr} form, reporting at {@code n}; null when bad. */
    static Cidr cidr(Node n, String what, String text, Problems p) {
        try {
            return Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            p.at(n, ErrorCode.BAD_ADDRESS, what + " " + e.getMessage() + " (expected an IPv4 or IPv6 address, "
                    + "optionally with /BITS, e.g. 10.0.0.0/8 or 2001:db8::/32)");
            return null;
        }
    }
}
