package dev.ward.taskdef.source;

/**
 * An input ward check cannot use, with the place to fix it. {@link #render()} prints the problem the
 * way compilers do:
 *
 * <pre>
 * deploy/task.json:7:15: error[WC101]: unexpected character '}' (expected a value)
 *     7 |       "user": },
 *       |               ^
 * </pre>
 */
public final class BadInputException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final Pos pos;
    private final ErrorCode code;
    private final String detail;
    private final String sourceLine;

    /**
     * @param file       the file as the user named it (relative when possible)
     * @param pos        where the problem is, or null when the whole file is concerned
     * @param code       the stable error code
     * @param detail     what is wrong and, in parentheses, what was expected
     * @param sourceLine the text of line {@code pos.line()}, or null
     */
    public BadInputException(String file, Pos pos, ErrorCode code, String detail, String sourceLine) {
        super(file + (pos == null ? "" : ":" + pos) + ": " + detail);
        this.file = file;
        this.pos = pos;
        this.code = code;
        this.detail = detail;
        this.sourceLine = sourceLine;
    }

    /** Same, taking the offending line out of the file's text. */
    public static BadInputException at(String file, String text, Pos pos, ErrorCode code, String detail) {
        return new BadInputException(file, pos, code, detail, pos == null ? null : lineOf(text, pos.line()));
    }

    public String file() {
        return file;
    }

    public Pos pos() {
        return pos;
    }

    public ErrorCode code() {
        return code;
    }

    public String detail() {
        return detail;
    }

    /** {@code file:line:col} or just {@code file}. */
    public String where() {
        return pos == null ? file : file + ":" + pos;
    }

    public String render() {
        StringBuilder b = new StringBuilder();
        b.append(where()).append(": error[").append(code.id()).append("]: ").append(detail);
        if (pos != null && sourceLine != null) {
            String num = Integer.toString(pos.line());
            b.append('\n').append(" ".repeat(Math.max(0, 5 - num.length()))).append(num).append(" | ")
                    .append(sourceLine.stripTrailing());
            b.append('\n').append(" ".repeat(5)).append(" | ");
            // Tabs stay tabs so the caret lines up under the column in any terminal.
            int col = Math.min(pos.column() - 1, sourceLine.length());
            for (int i = 0; i < col; i++) {
                b.append(sourceLine.charAt(i) == '\t' ? '\t' : ' ');
            }
            b.append('^');
        }
        return b.toString();
    }

    static String lineOf(String text, int line) {
        if (text == null) {
            return null;
        }
        int start = 0;
        for (int l = 1; l < line; l++) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                return null;
            }
            start = nl + 1;
        }
        int end = text.indexOf('\n', start);
        String s = end < 0 ? text.substring(start) : text.substring(start, end);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
