package dev.ward.policy.istio;

/**
 * One compiled field of a source, operation or condition: "the attribute matches one of these values", or with
 * {@code not}, "none of them". Built once by {@link RuleCompiler}; {@link #test} allocates nothing.
 */
sealed interface Check {

    /** Whether the request satisfies the field; {@code http} is null when the traffic was not parsed as HTTP. */
    boolean test(Connection c, HttpRequest http);

    /** Whether the field needs HTTP (it is skipped for DENY rules at L4, see {@link CompiledRule}). */
    boolean l7();

    /** Which string attribute a {@link Text} check reads. */
    enum Attribute { PRINCIPAL, NAMESPACE, METHOD, PATH, HOST }

    /** Which address an {@link Ip} check reads. */
    enum Address { SOURCE, REMOTE, DESTINATION }

    static boolean any(StringMatch[] values, CharSequence s, int from, int to) {
        for (StringMatch v : values) {
            if (v.matches(s, from, to)) {
                return true;
            }
        }
        return false;
    }

    record Text(Attribute attribute, StringMatch[] values, boolean not) implements Check {
        @Override
        public boolean test(Connection c, HttpRequest http) {
            CharSequence s = switch (attribute) {
                case PRINCIPAL -> c.principal;
                case NAMESPACE -> c.namespace;
                case METHOD -> http.method;
                case PATH -> http.path;
                case HOST -> http.authority;
            };
            int to = s == null ? 0 : attribute == Attribute.PATH ? http.pathEnd : s.length();
            return any(values, s, 0, to) != not;
        }

        @Override
        public boolean l7() {
            return attribute == Attribute.METHOD || attribute == Attribute.PATH || attribute == Attribute.HOST;
        }
    }

    record Ip(Address address, Cidr[] blocks, boolean not) implements Check {
        @Override
        public boolean test(Connection c, HttpRequest http) {
            long hi = switch (address) {
                case SOURCE -> c.sourceHi;
                case REMOTE -> c.remoteHi();
                case DESTINATION -> c.destinationHi;
            };
            long lo = switch (address) {
                case SOURCE -> c.sourceLo;
                case REMOTE -> c.remoteLo();
                case DESTINATION -> c.destinationLo;
            };
            boolean in = false;
            for (Cidr b : blocks) {
                if (b.contains(hi, lo)) {
                    in = true;
                    break;
                }
            }
            return in != not;
        }

        @Override
        public boolean l7() {
            return false;
        }
    }

    record Port(int[] ports, boolean not) implements Check {
        @Override
        public boolean test(Connection c, HttpRequest http) {
            boolean in = false;
            for (int p : ports) {
                if (p == c.destinationPort) {
                    in = true;
                    break;
                }
            }
            return in != not;
        }

        @Override
        public boolean l7() {
            return false;
        }
    }

    /** {@code request.headers[name]}: the name compares ignoring case; any value of a repeated header may match. */
    record Header(String name, StringMatch[] values, boolean not) implements Check {
        @Override
        public boolean test(Connection c, HttpRequest http) {
            boolean in = false;
            for (int i = 0; i < http.headers && !in; i++) {
                CharSequence n = http.names[i];
                if (sameName(n)) {
                    CharSequence v = http.values[i];
                    in = any(values, v, 0, v.length());
                }
            }
            return in != not;
        }

        @Override
        public boolean l7() {
            return true;
        }

        private boolean sameName(CharSequence n) {
            if (n.length() != name.length()) {
                return false;
            }
            for (int i = 0; i < n.length(); i++) {
                char a = n.charAt(i);
                if ((a >= 'A' && a <= 'Z' ? (char) (a + 32) : a) != name.charAt(i)) {
                    return false;
                }
            }
            return true;
        }
    }
}
