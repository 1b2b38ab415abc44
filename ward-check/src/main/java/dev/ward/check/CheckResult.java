package dev.ward.check;

import dev.ward.check.config.Suppression;
import dev.ward.taskdef.source.BadInputException;
import java.util.List;

/**
 * Everything one run found.
 *
 * @param checked    the files that were read as ECS inputs, in order, each with its kind
 * @param findings   the findings that count, sorted by file, then place
 * @param suppressed the findings a suppression accepted
 * @param errors     inputs that could not be used; any makes the exit code 2
 * @param skipped    files a directory walk passed over, with why
 * @param unused     suppressions that matched no finding
 */
public record CheckResult(List<Checked> checked, List<Finding> findings, List<Suppressed> suppressed,
                          List<BadInputException> errors, List<Skipped> skipped, List<Suppression> unused) {
    public CheckResult {
        checked = List.copyOf(checked);
        findings = List.copyOf(findings);
        suppressed = List.copyOf(suppressed);
        errors = List.copyOf(errors);
        skipped = List.copyOf(skipped);
        unused = List.copyOf(unused);
    }

    /** A file that was read, and what it was. */
    public record Checked(String file, String kind, int resources) {
    }

    /** A file that was passed over, and why. */
    public record Skipped(String file, String reason) {
    }

    /** The findings at or above {@code threshold}. */
    public long failing(Severity threshold) {
        return findings.stream().filter(f -> f.severity().atLeast(threshold)).count();
    }
}
