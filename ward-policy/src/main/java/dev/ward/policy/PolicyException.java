package dev.ward.policy;

import java.io.Serial;
import java.util.List;

/** Every problem found while loading policies; the set is never partially applied when this is thrown. */
public final class PolicyException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public PolicyException(List<Problem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    /** All problems, formatted, separated by blank lines, ending with a count. */
    public String format() {
        var sb = new StringBuilder();
        for (Problem p : problems) {
            sb.append(p.format()).append("\n\n");
        }
        sb.append(problems.size()).append(problems.size() == 1 ? " error" : " errors");
        return sb.toString();
    }

    private static String summary(List<Problem> problems) {
        if (problems.isEmpty()) {
            return "invalid policy";
        }
        Problem first = problems.getFirst();
        String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "";
        return first.file() + ":" + first.line() + ":" + first.column() + ": " + first.message() + more;
    }
}
