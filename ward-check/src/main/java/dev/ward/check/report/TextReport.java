package dev.ward.check.report;

import dev.ward.check.CheckResult;
import dev.ward.check.Finding;
import dev.ward.check.Severity;
import dev.ward.check.Suppressed;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The human report: findings grouped by file, then resource, then container, each with its place, what
 * is wrong and how to fix it; then a summary line.
 *
 * <pre>
 * deploy/backend-flask.json
 *   task definition backend-flask
 *     container backend-flask
 *       medium  WARD-ECS-014  deploy/backend-flask.json:15:7  Image uses latest or no tag
 *               Container `backend-flask`: image `.../backend-flask` has no tag, so it pulls `latest`.
 *               fix: Reference the image by digest ...
 * </pre>
 */
public final class TextReport {
    private TextReport() {
    }

    public static String render(CheckResult r, Severity failOn, Ansi ansi, boolean verbose) {
        StringBuilder b = new StringBuilder();
        Map<String, List<Finding>> byFile = r.findings().stream()
                .collect(Collectors.groupingBy(Finding::file, LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<String, List<Finding>> file : byFile.entrySet()) {
            b.append(ansi.bold(file.getKey())).append('\n');
            // The fix is the same for every finding of a rule: say it once per file.
            Set<String> explained = new HashSet<>();
            Map<String, List<Finding>> byResource = file.getValue().stream()
                    .collect(Collectors.groupingBy(f -> f.kind() + " " + f.resource(), LinkedHashMap::new, Collectors.toList()));
            for (Map.Entry<String, List<Finding>> res : byResource.entrySet()) {
                b.append("  ").append(res.getKey()).append('\n');
                Map<String, List<Finding>> byContainer = res.getValue().stream().collect(Collectors.groupingBy(
                        f -> Objects.requireNonNullElse(f.container(), ""), LinkedHashMap::new, Collectors.toList()));
                // Task- and service-level findings first, then each container's.
                List<Finding> top = byContainer.remove("");
                if (top != null) {
                    top.forEach(f -> finding(b, f, "    ", ansi, verbose, explained.add(f.rule().id())));
                }
                for (Map.Entry<String, List<Finding>> c : byContainer.entrySet()) {
                    b.append("    container ").append(c.getKey()).append('\n');
                    c.getValue().forEach(f -> finding(b, f, "      ", ansi, verbose, explained.add(f.rule().id())));
                }
            }
            b.append('\n');
        }
        if (verbose && !r.suppressed().isEmpty()) {
            b.append(ansi.bold("suppressed")).append('\n');
            for (Suppressed s : r.suppressed()) {
                Finding f = s.finding();
                b.append("  ").append(f.rule().id()).append("  ").append(where(f)).append("  ").append(f.rule().title())
                        .append('\n').append("    reason (").append(s.by().where()).append("): ").append(s.by().reason()).append('\n');
            }
            b.append('\n');
        }
        b.append(summary(r, failOn, ansi)).append('\n');
        return b.toString();
    }

    private static void finding(StringBuilder b, Finding f, String indent, Ansi ansi, boolean verbose, boolean first) {
        String sev = String.format(Locale.ROOT, "%-9s", f.severity().label());
        b.append(indent).append(ansi.severity(f.severity(), sev)).append(f.rule().id());
        if (!f.rule().securityHub().isEmpty()) {
            b.append(ansi.dim(" (" + String.join(", ", f.rule().securityHub()) + ")"));
        }
        b.append("  ").append(where(f)).append("  ").append(ansi.bold(f.rule().title())).append('\n');
        String pad = indent + " ".repeat(9);
        b.append(pad).append(f.message()).append('\n');
        b.append(pad).append(ansi.dim("at " + f.loc().path())).append('\n');
        if (first && verbose) {
            b.append(pad).append("why: ").append(f.rule().rationale()).append('\n');
        }
        if (first) {
            b.append(pad).append("fix: ").append(f.rule().remediation()).append('\n');
        }
    }

    static String where(Finding f) {
        return f.file() + ":" + f.loc().pos();
    }

    static String summary(CheckResult r, Severity failOn, Ansi ansi) {
        Map<Severity, Long> counts = new EnumMap<>(Severity.class);
        r.findings().forEach(f -> counts.merge(f.severity(), 1L, Long::sum));
        long files = r.findings().stream().map(Finding::file).distinct().count();
        StringBuilder b = new StringBuilder();
        int n = r.findings().size();
        b.append(n == 0 ? "No findings" : n + (n == 1 ? " finding" : " findings") + " in " + files + (files == 1 ? " file" : " files"));
        if (!counts.isEmpty()) {
            b.append(" (").append(counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().label())
                    .collect(Collectors.joining(", "))).append(')');
        }
        b.append("; ").append(r.checked().size()).append(r.checked().size() == 1 ? " file checked" : " files checked");
        if (!r.suppressed().isEmpty()) {
            b.append(", ").append(r.suppressed().size()).append(" suppressed");
        }
        b.append(". ");
        long failing = r.failing(failOn);
        if (!r.errors().isEmpty()) {
            // No verdict on what could not be read: "nothing at or above high" next to a parse error misleads.
            int e = r.errors().size();
            return b.append(ansi.bold(e + (e == 1 ? " input" : " inputs") + " could not be checked (see the error"
                    + (e == 1 ? "" : "s") + "): failing.")).toString();
        }
        b.append(failing == 0
                ? "Nothing at or above " + failOn.label() + "."
                : ansi.bold(failing + " at or above " + failOn.label() + ": failing."));
        return b.toString();
    }
}
