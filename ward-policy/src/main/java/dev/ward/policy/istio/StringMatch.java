package dev.ward.policy.istio;

/**
 * One value of an AuthorizationPolicy string field, with Istio's four forms: exact {@code abc}, prefix {@code abc*},
 * suffix {@code *abc} and presence {@code *} (any non-empty value). Istio documents them for every string field of a
 * rule (istio/api {@code security/v1beta1/authorization_policy.proto}, message Rule). Hosts compare ignoring ASCII
 * case (same proto, Operation.hosts: "The match is case-insensitive"); everything else is case-sensitive.
 *
 * <p>Matching reads a {@link CharSequence} range and allocates nothing.
 */
public record StringMatch(Kind kind, String text, boolean ignoreCase) {

    /** The four forms. */
    public enum Kind { EXACT, PREFIX, SUFFIX, PRESENCE }

    /** Parses Istio's notation; {@code ignoreCase} for hosts. */
    public static StringMatch of(String value, boolean ignoreCase) {
        if (value.equals("*")) {
            return new StringMatch(Kind.PRESENCE, "", ignoreCase);
        }
        if (value.startsWith("*")) {
            return new StringMatch(Kind.SUFFIX, value.substring(1), ignoreCase);
        }
        if (value.endsWith("*")) {
            return new StringMatch(Kind.PREFIX, value.substring(0, value.length() - 1), ignoreCase);
        }
        return new StringMatch(Kind.EXACT, value, ignoreCase);
    }

    public boolean matches(CharSequence s) {
        return s != null && matches(s, 0, s.length());
    }

    /** Matches {@code s[from, to)}; a null sequence is an absent value, which only {@code not*} forms accept. */
    public boolean matches(CharSequence s, int from, int to) {
        if (s == null) {
            return false;
        }
        int length = to - from;
        int n = text.length();
        return switch (kind) {
            case PRESENCE -> length > 0;
            case EXACT -> length == n && regionMatches(s, from);
            case PREFIX -> length >= n && regionMatches(s, from);
            case SUFFIX -> length >= n && regionMatches(s, to - n);
        };
    }

    private boolean regionMatches(CharSequence s, int at) {
        for (int i = 0; i < text.length(); i++) {
            char a = s.charAt(at + i);
            char b = text.charAt(i);
            if (a != b && !(ignoreCase && lower(a) == lower(b))) {
                return false;
            }
        }
        return true;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    /** The value as written in the policy. */
    @Override
    public String toString() {
        return switch (kind) {
            case PRESENCE -> "*";
            case EXACT -> text;
            case PREFIX -> text + "*";
            case SUFFIX -> "*" + text;
        };
    }
}
