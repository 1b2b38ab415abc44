package dev.ward.policy;

/**
 * One thing wrong with a policy file, with the place it was found.
 *
 * @param file       the file (or source name) the text came from
 * @param line       1-based line, 0 when the problem concerns the whole file
 * @param column     1-based column, 0 when unknown
 * @param code       stable error code, see {@link dev.ward.policy.yaml.ErrorCode}
 * @param message    what is wrong, followed by what was expected in parentheses
 * @param sourceLine the text of the offending line, or "" when there is none
 */
public record Problem(String file, int line, int column, String code, String message, String sourceLine) {

    /**
     * Renders the problem the way compilers do:
     *
     * <pre>
     * policy.yaml:12:15: error[WP005]: unknown action "block" (expected Allow, Audit or Block)
     *       action: block
     *               ^
     * </pre>
     */
    public String format() {
        return format("error");
    }

    /** {@link #format()} with another severity word, e.g. "warning" for the linter's advice. */
    public String format(String severity) {
        var sb = new StringBuilder();
        sb.append(file);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        sb.append(": ").append(severity).append('[').append(code).append("]: ").append(message);
        if (sourceLine != null && !sourceLine.isEmpty()) {
            sb.append('\n').append(sourceLine);
            if (column > 0) {
                sb.append('\n');
                // Keep tabs so the caret lines up with the original text in a terminal.
                for (int i = 0; i < column - 1 && i < sourceLine.length(); i++) {
                    sb.append(sourceLine.charAt(i) == '\t' ? '\t' : ' ');
                }
                sb.append('^');
            }
        }
        return sb.toString();
    }

    /**
     * Files in the order given, and within a file by line and column: the validator reports problems in the order
     * it checks them, which read bottom-up.
     */
    public static java.util.List<Problem> inReadingOrder(java.util.List<Problem> problems) {
        java.util.Map<String, Integer> fileOrder = new java.util.HashMap<>();
        for (Problem p : problems) {
            fileOrder.putIfAbsent(p.file(), fileOrder.size());
        }
        return problems.stream().sorted(java.util.Comparator.<Problem>comparingInt(p -> fileOrder.get(p.file()))
                .thenComparingInt(Problem::line).thenComparingInt(Problem::column)).toList();
    }
}
