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

    /**
     * Whether the attribute is known for this request: L7 fields only when HTTP was parsed, an egress host only
     * when the client named one, the process only when it is known. An unknown one fails safe ({@link CompiledRule}).
     */
    default boolean known(Connection c, HttpRequest http) {
        return http != null || !l7();
    }

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

    /**
     * {@code request.headers[name]}: the name compares ignoring case; a repeated header is its values joined with
     * ',' (Envoy's view); an absent header matches only the not form.
     */
    record Header(String name, StringMatch[] values, boolean not) implements Check {
        @Override
        public boolean test(Connection c, HttpRequest http) {
            JoinedValues joined = http.joined;
            joined.clear();
            for (int i = 0; i < http.headers; i++) {
                if (sameName(http.names[i])) {
                    joined.add(i);
                }
            }
            CharSequence v = joined.count() == 0 ? null : joined.count() == 1 ? joined.first() : joined;
            return any(values, v, 0, v == null ? 0 : v.length()) != not;
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

    /** An egress policy's {@code hosts}: the name the client asked the proxy for, port-less, ignoring case. */
    record Host(StringMatch[] values, boolean not) implements Check {
        @Override
        public boolean test(Connection c, HttpRequest http) {
            return any(values, c.host, 0, c.host.length()) != not;
        }

        @Override
        public boolean l7() {
            return false;
        }

        @Override
        public boolean known(Connection c, HttpRequest http) {
            return c.host != null;
        }
    }

    /**
     * {@code source.process} (egress): a value with a '/' is the executable's whole path, one without it its file
     * name; both exact.
     */
    record Process(String[] values, boolean not) implements Check {
        @Override
        public boolean test(Connection c, HttpRequest http) {
            String exe = c.process;
            int base = c.processBase;
            boolean in = false;
            for (String v : values) {
                if (v.indexOf('/') >= 0 ? v.equals(exe)
                        : exe.length() - base == v.length() && exe.startsWith(v, base)) {
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

        @Override
        public boolean known(Connection c, HttpRequest http) {
            return c.process != null;
        }
    }
}
