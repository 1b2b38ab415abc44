package dev.ward.policy.istio;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns parsed {@link Rule}s into {@link CompiledRule}s: one {@link Check} per non-empty field. In an egress policy
 * {@code hosts} compare the name the client connected to ({@link Check.Host}), not an HTTP {@code Host}.
 */
final class RuleCompiler {
    private static final String SCHEME = "spiffe://";

    private RuleCompiler() {
    }

    static CompiledRule compile(Rule r, boolean egress) {
        Check[][] from = new Check[r.from().size()][];
        for (int i = 0; i < from.length; i++) {
            from[i] = source(r.from().get(i));
        }
        Check[][] to = new Check[r.to().size()][];
        for (int i = 0; i < to.length; i++) {
            to[i] = operation(r.to().get(i), egress);
        }
        List<Check> when = new ArrayList<>();
        for (Condition c : r.when()) {
            condition(c, when);
        }
        return new CompiledRule(from, to, when.toArray(Check[]::new), !egress && r.hasL7());
    }

    private static Check[] source(Source s) {
        List<Check> out = new ArrayList<>();
        text(out, Check.Attribute.PRINCIPAL, s.principals(), false);
        text(out, Check.Attribute.PRINCIPAL, s.notPrincipals(), true);
        text(out, Check.Attribute.NAMESPACE, s.namespaces(), false);
        text(out, Check.Attribute.NAMESPACE, s.notNamespaces(), true);
        ip(out, Check.Address.SOURCE, s.ipBlocks(), false);
        ip(out, Check.Address.SOURCE, s.notIpBlocks(), true);
        ip(out, Check.Address.REMOTE, s.remoteIpBlocks(), false);
        ip(out, Check.Address.REMOTE, s.notRemoteIpBlocks(), true);
        return out.toArray(Check[]::new);
    }

    private static Check[] operation(Operation o, boolean egress) {
        List<Check> out = new ArrayList<>();
        port(out, o.ports(), false);
        port(out, o.notPorts(), true);
        if (egress) {
            host(out, o.hosts(), false);
            host(out, o.notHosts(), true);
        } else {
            text(out, Check.Attribute.HOST, o.hosts(), false);
            text(out, Check.Attribute.HOST, o.notHosts(), true);
        }
        text(out, Check.Attribute.METHOD, o.methods(), false);
        text(out, Check.Attribute.METHOD, o.notMethods(), true);
        text(out, Check.Attribute.PATH, o.paths(), false);
        text(out, Check.Attribute.PATH, o.notPaths(), true);
        return out.toArray(Check[]::new);
    }

    private static void condition(Condition c, List<Check> out) {
        for (boolean not : new boolean[] {false, true}) {
            List<String> values = not ? c.notValues() : c.values();
            if (values.isEmpty()) {
                continue;
            }
            switch (c.key()) {
                case SOURCE_IP -> ip(out, Check.Address.SOURCE, values.stream().map(Cidr::parse).toList(), not);
                case DESTINATION_IP -> ip(out, Check.Address.DESTINATION,
                        values.stream().map(Cidr::parse).toList(), not);
                case DESTINATION_PORT -> port(out, values.stream().map(Integer::valueOf).toList(), not);
                case SOURCE_PRINCIPAL -> text(out, Check.Attribute.PRINCIPAL,
                        values.stream().map(v -> StringMatch.of(withoutScheme(v), false)).toList(), not);
                case SOURCE_NAMESPACE -> text(out, Check.Attribute.NAMESPACE,
                        values.stream().map(v -> StringMatch.of(v, false)).toList(), not);
                case REQUEST_HEADERS -> out.add(new Check.Header(c.header(),
                        values.stream().map(v -> StringMatch.of(v, false)).toArray(StringMatch[]::new), not));
                case SOURCE_PROCESS -> out.add(new Check.Process(values.toArray(String[]::new), not));
            }
        }
    }

    /** Istio writes principals without the scheme; one written with it is compared the same way. */
    static String withoutScheme(String principal) {
        return principal.startsWith(SCHEME) ? principal.substring(SCHEME.length()) : principal;
    }

    private static void text(List<Check> out, Check.Attribute a, List<StringMatch> values, boolean not) {
        if (!values.isEmpty()) {
            out.add(new Check.Text(a, values.toArray(StringMatch[]::new), not));
        }
    }

    private static void host(List<Check> out, List<StringMatch> values, boolean not) {
        if (!values.isEmpty()) {
            out.add(new Check.Host(values.toArray(StringMatch[]::new), not));
        }
    }

    private static void ip(List<Check> out, Check.Address a, List<Cidr> blocks, boolean not) {
        if (!blocks.isEmpty()) {
            out.add(new Check.Ip(a, blocks.toArray(Cidr[]::new), not));
        }
    }

    private static void port(List<Check> out, List<Integer> ports, boolean not) {
        if (!ports.isEmpty()) {
            out.add(new Check.Port(ports.stream().mapToInt(Integer::intValue).toArray(), not));
        }
    }
}
