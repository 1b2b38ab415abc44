package dev.ward.api;

/**
 * Go's quoted strings ({@code strconv.Quote}), which the kubelet writes as the values of the downward API's labels
 * and annotations files: {@code "..."} with backslash escapes {@code \" \\ \n \t \r \a \b \f \v}, {@code \xNN},
 * {@code \\uNNNN}, {@code \UNNNNNNNN} and octal {@code \NNN}.
 */
final class GoQuoted {
    private GoQuoted() {
    }

    /** The string {@code quoted} stands for; an error starting with {@code where} when it is not Go-quoted. */
    static String unquote(String quoted, String where) {
        if (quoted.length() < 2 || quoted.charAt(0) != '"' || quoted.charAt(quoted.length() - 1) != '"') {
            throw new IllegalArgumentException(where + "expected a double-quoted value, got: " + quoted);
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        StringBuilder out = new StringBuilder();
        int end = quoted.length() - 1;
        for (int i = 1; i < end; i++) {
            char c = quoted.charAt(i);
            if (c == '"') {
                throw new IllegalArgumentException(where + "unescaped quote at column " + (i + 1));
            }
            if (c != '\\') {
                flush(bytes, out);
                out.append(c);
                continue;
            }
            if (i + 1 >= end) {
                throw new IllegalArgumentException(where + "a backslash ends the value");
            }
            char e = quoted.charAt(++i);
            switch (e) {
                case 'x' -> {
                    bytes.write(hex(quoted, i + 1, 2, end, where));
                    i += 2;
                }
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    if (i + 2 >= end) {
                        throw new IllegalArgumentException(where + "short octal escape at column " + (i + 1));
                    }
                    bytes.write(Integer.parseInt(quoted.substring(i, i + 3), 8));
                    i += 2;
                }
                case 'u', 'U' -> {
                    int n = e == 'u' ? 4 : 8;
                    flush(bytes, out);
                    out.appendCodePoint(hex(quoted, i + 1, n, end, where));
                    i += n;
                }
                default -> {
                    flush(bytes, out);
                    out.append(switch (e) {
                        case '"' -> '"';
                        case '\\' -> '\\';
                        case '\'' -> '\'';
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        case 'a' -> '\u0007';
                        case 'b' -> '\b';
                        case 'f' -> '\f';
                        case 'v' -> '\u000b';
                        default -> throw new IllegalArgumentException(where + "unknown escape \\" + e + " at column "
                                + (i + 1));
                    });
                }
            }
        }
        flush(bytes, out);
        return out.toString();
    }

    /** Bytes given as \x or octal escapes form UTF-8 sequences. */
    private static void flush(java.io.ByteArrayOutputStream bytes, StringBuilder out) {
        if (bytes.size() > 0) {
            out.append(bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
            bytes.reset();
        }
    }

    private static int hex(String s, int from, int n, int end, String where) {
        if (from + n > end) {
            throw new IllegalArgumentException(where + "short hex escape at column " + from);
        }
        try {
            return Integer.parseInt(s.substring(from, from + n), 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + "bad hex escape '" + s.substring(from, from + n) + "' at column "
                    + from);
        }
    }
}
