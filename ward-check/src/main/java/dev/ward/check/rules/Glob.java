package dev.ward.check.rules;

import java.util.regex.Pattern;

/**
 * Shell-style patterns for file paths, JSON paths and registries: {@code **} matches anything,
 * {@code *} anything but '/', {@code ?} one character other than '/'. Everything else is literal, so
 * {@code $.containerDefinitions[0].user} and {@code [*]} work as written.
 */
public record Glob(String pattern, Pattern regex) {
    public static Glob of(String pattern) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                    i++;
                    // "**/" also matches nothing, so "a/**/b" matches "a/b".
                    if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '/') {
                        i++;
                        re.append("(?:.*/)?");
                    } else {
                        re.append(".*");
                    }
                } else {
                    re.append("[^/]*");
                }
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new Glob(pattern, Pattern.compile(re.toString(), Pattern.DOTALL));
    }

    public boolean matches(String s) {
        return regex.matcher(s).matches();
    }
}
