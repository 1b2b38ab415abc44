package dev.ward.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code WWW-Authenticate} challenge: {@code Bearer realm="...",service="...",scope="..."} or
 * {@code Basic realm="..."}. Parameter values may be quoted (with backslash escapes) or plain tokens.
 *
 * @param scheme lower case: {@code bearer}, {@code basic}
 */
record Challenge(String scheme, Map<String, String> params) {
    Challenge {
        params = Map.copyOf(params);
    }

    /** Parses the header value; throws IllegalArgumentException on malformed parameters. */
    static Challenge parse(String header) {
        String h = header.strip();
        int sp = h.indexOf(' ');
        String scheme = (sp < 0 ? h : h.substring(0, sp)).toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        int i = sp < 0 ? h.length() : sp + 1;
        while (i < h.length()) {
            while (i < h.length() && (h.charAt(i) == ' ' || h.charAt(i) == ',')) {
                i++;
            }
            if (i >= h.length()) {
                break;
            }
            int eq = h.indexOf('=', i);
            if (eq < 0) {
                throw new IllegalArgumentException("WWW-Authenticate '" + header + "': expected name=value at " + i);
            }
            String name = h.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < h.length() && h.charAt(i) == '"') {
                i++;
                while (i < h.length() && h.charAt(i) != '"') {
                    char c = h.charAt(i++);
                    if (c == '\\' && i < h.length()) {
                        c = h.charAt(i++);
                    }
                    value.append(c);
                }
                if (i >= h.length()) {
                    throw new IllegalArgumentException("WWW-Authenticate '" + header + "': unterminated quote");
                }
                i++;
            } else {
                while (i < h.length() && h.charAt(i) != ',') {
                    value.append(h.charAt(i++));
                }
            }
            params.put(name, value.toString().strip());
        }
        return new Challenge(scheme, params);
    }

    String param(String name) {
        return params.get(name);
    }
}
