package dev.ward.check.rules;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Heuristics that tell a credential by a variable's name or by its value. */
public final class Secrets {
    /** Names Security Hub ECS.8 checks for, and the session token that goes with them. */
    static final Set<String> AWS_KEY_NAMES = Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN");
    private static final Set<String> EXACT = Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
            "ECS_ENGINE_AUTH_DATA");
    private static final List<String> CONTAINS = List.of("TOKEN", "SECRET", "PASSWORD", "PASSWD", "PASSPHRASE",
            "CREDENTIAL", "APIKEY", "PRIVATE_KEY");
    private static final List<String> PUBLIC_KEYS = List.of("_PUBLIC_KEY", "_PUBLISHABLE_KEY");

    private static final Pattern URL_WITH_PASSWORD = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^/\\s:@]+:[^/\\s@]+@.*", Pattern.DOTALL);
    private static final Pattern URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://\\S*");
    private static final Pattern SHORT_NUMBER = Pattern.compile("[0-9]{1,7}");
    private static final Pattern TOKEN_CHARS = Pattern.compile("[A-Za-z0-9+/=_.-]+");

    /** Value patterns with what they are, checked in order. */
    private static final List<Map.Entry<Pattern, String>> KNOWN = List.of(
            Map.entry(Pattern.compile("(?:^|[^A-Z0-9])((?:AKIA|ASIA)[A-Z0-9]{16})(?:[^A-Z0-9]|$)"), "an AWS access key id"),
            Map.entry(Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY( BLOCK)?-----"), "a private key"),
            Map.entry(Pattern.compile("gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}"), "a GitHub token"),
            Map.entry(Pattern.compile("glpat-[A-Za-z0-9_-]{20,}"), "a GitLab token"),
            Map.entry(Pattern.compile("xox[abprs]-[A-Za-z0-9-]{10,}"), "a Slack token"),
            Map.entry(Pattern.compile("(?:sk|rk)_live_[A-Za-z0-9]{16,}"), "a Stripe live key"),
            Map.entry(Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"), "a JSON Web Token"));

    /** Strings at least this long, in a token alphabet, with all of upper, lower and digits... */
    static final int ENTROPY_MIN_LENGTH = 20;
    /** ...and at least this many bits of Shannon entropy per character look like generated secrets. */
    static final double ENTROPY_MIN_BITS = 4.3;

    private Secrets() {
    }

    /**
     * True when the name says the value is a credential: *_KEY, *SECRET*, *TOKEN*, *PASSWORD*, the AWS key
     * names and a few more. camelCase names are split first ({@code LaceworkAccessToken} reads as
     * LACEWORK_ACCESS_TOKEN); names ending in PUBLIC_KEY or PUBLISHABLE_KEY are not secrets.
     */
    public static boolean secretName(String name) {
        String n = upperSnake(name);
        if (EXACT.contains(n)) {
            return true;
        }
        for (String part : CONTAINS) {
            if (n.contains(part)) {
                return true;
            }
        }
        if (n.endsWith("_KEY")) {
            return PUBLIC_KEYS.stream().noneMatch(n::endsWith);
        }
        return false;
    }

    /**
     * True for values that cannot be a credential whatever the name says: empty, booleans, short
     * numbers (MAX_TOKENS=4096, TOKEN_TTL=3600), ARNs (a reference, not the secret) and URLs without a
     * password (TOKEN_URL=https://...).
     */
    public static boolean harmlessValue(String value) {
        if (value == null || value.isBlank()) {
            return true;
        }
        String v = value.trim();
        return v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false") || SHORT_NUMBER.matcher(v).matches()
                || v.startsWith("arn:") || (URL.matcher(v).matches() && !URL_WITH_PASSWORD.matcher(v).matches());
    }

    /** What kind of credential {@code value} is, if it looks like one. */
    public static Optional<String> secretValue(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        for (Map.Entry<Pattern, String> k : KNOWN) {
            if (k.getKey().matcher(value).find()) {
                return Optional.of(k.getValue());
            }
        }
        if (URL_WITH_PASSWORD.matcher(value.trim()).matches()) {
            return Optional.of("a URL with a password in it");
        }
        String v = value.trim();
        if (v.length() >= ENTROPY_MIN_LENGTH && TOKEN_CHARS.matcher(v).matches() && !URL.matcher(v).matches()
                && v.chars().anyMatch(Character::isUpperCase) && v.chars().anyMatch(Character::isLowerCase)
                && v.chars().anyMatch(Character::isDigit)) {
            double bits = entropy(v);
            if (bits >= ENTROPY_MIN_BITS) {
                return Optional.of(String.format(Locale.ROOT, "a high-entropy string (%.1f bits per character over %d characters)",
                        bits, v.length()));
            }
        }
        return Optional.empty();
    }

    /** Password-in-URL only: the one value check that still means something in a {@code !Sub} template. */
    public static boolean urlWithPassword(String template) {
        return template != null && URL_WITH_PASSWORD.matcher(template.trim()).matches();
    }

    /** Shannon entropy in bits per character. */
    public static double entropy(String s) {
        Map<Integer, Integer> counts = new HashMap<>();
        s.codePoints().forEach(c -> counts.merge(c, 1, Integer::sum));
        double n = s.codePointCount(0, s.length());
        double h = 0;
        for (int c : counts.values()) {
            double p = c / n;
            h -= p * Math.log(p) / Math.log(2);
        }
        return h;
    }

    /** {@code LaceworkAccessToken}, {@code apiKey}, {@code db-password} become LACEWORK_ACCESS_TOKEN, API_KEY, DB_PASSWORD. */
    static String upperSnake(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!Character.isLetterOrDigit(c)) {
                b.append('_');
                continue;
            }
            boolean boundary = i > 0 && Character.isUpperCase(c)
                    && (Character.isLowerCase(name.charAt(i - 1))
                    || (i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1)) && Character.isUpperCase(name.charAt(i - 1))));
            if (boundary) {
                b.append('_');
            }
            b.append(Character.toUpperCase(c));
        }
        return b.toString();
    }
}
