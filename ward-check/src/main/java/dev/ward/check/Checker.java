package dev.ward.check;

import dev.ward.check.config.Suppression;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.Detector;
import dev.ward.taskdef.Dialect;
import dev.ward.taskdef.Documents;
import dev.ward.taskdef.Input;
import dev.ward.taskdef.InputKind;
import dev.ward.taskdef.KubernetesReader;
import dev.ward.taskdef.Loc;
import dev.ward.taskdef.Resource;
import dev.ward.taskdef.Service;
import dev.ward.taskdef.Src;
import dev.ward.taskdef.TaskDef;
import dev.ward.check.rules.Rule;
import dev.ward.check.rules.RuleContext;
import dev.ward.check.rules.Rules;
import dev.ward.check.rules.Sink;
import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs the rules over files and directories: collect the files, read each, apply every rule, then
 * split the findings into counted and suppressed. Problems with one file don't stop the others.
 *
 * <p>Files named on the command line must be ECS inputs; in a directory walk, JSON/YAML files that are
 * something else are skipped (and said so in verbose mode). A walked file that doesn't parse is an error
 * only when it mentions ECS (containerDefinitions, AWS::ECS::, aws_ecs_): a broken tsconfig.json must not
 * fail the build, a broken task definition must.
 */
public final class Checker {
    private static final Set<String> EXTENSIONS = Set.of(".json", ".yaml", ".yml", ".template");
    private static final Set<String> SKIPPED_DIRS = Set.of("node_modules", "target");
    /** The input that stands for standard input. */
    public static final String STDIN = "-";

    private final RuleContext context;
    private final List<Suppression> suppressions;
    private final Path cwd;

    /**
     * @param context      rule settings (trusted registries)
     * @param suppressions accepted findings
     * @param cwd          the directory reported paths are relative to
     */
    public Checker(RuleContext context, List<Suppression> suppressions, Path cwd) {
        this.context = context;
        this.suppressions = List.copyOf(suppressions);
        this.cwd = cwd.toAbsolutePath().normalize();
    }

    public CheckResult run(List<Path> inputs) {
        return run(inputs, null);
    }

    /**
     * @param stdin what {@code -} among the inputs stands for (standard input, read by the caller); null when
     *              nothing was read, and then {@code -} is a file of that name
     */
    public CheckResult run(List<Path> inputs, byte[] stdin) {
        List<CheckResult.Checked> checked = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        List<BadInputException> errors = new ArrayList<>();
        List<CheckResult.Skipped> skipped = new ArrayList<>();
        for (Path input : inputs) {
            Path abs = cwd.resolve(input).normalize();
            if (stdin != null && input.toString().equals(STDIN)) {
                try {
                    checkText(STDIN, Documents.stdin(stdin, STDIN), true, checked, findings, errors, skipped);
                } catch (BadInputException e) {
                    errors.add(e);
                }
            } else if (Files.isDirectory(abs)) {
                for (Path f : walk(abs, errors)) {
                    checkFile(f, false, checked, findings, errors, skipped);
                }
            } else if (Files.exists(abs)) {
                checkFile(abs, true, checked, findings, errors, skipped);
            } else {
                errors.add(new BadInputException(shown(abs), null, ErrorCode.IO, "no such file or directory", null));
            }
        }
        findings.sort(new InFileOrder());
        List<Finding> kept = new ArrayList<>();
        List<Suppressed> suppressed = new ArrayList<>();
        Set<Suppression> used = new LinkedHashSet<>();
        for (Finding f : findings) {
            Suppression by = suppressions.stream().filter(s -> s.matches(f)).findFirst().orElse(null);
            if (by == null) {
                kept.add(f);
            } else {
                suppressed.add(new Suppressed(f, by));
                used.add(by);
            }
        }
        List<Suppression> unused = suppressions.stream().filter(s -> !used.contains(s)).toList();
        return new CheckResult(checked, kept, suppressed, errors, skipped, unused);
    }

    private List<Path> walk(Path dir, List<BadInputException> errors) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !hiddenOrSkipped(dir.relativize(p)))
                    .filter(p -> EXTENSIONS.stream().anyMatch(e -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(e)))
                    .sorted()
                    .toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            errors.add(new BadInputException(shown(dir), null, ErrorCode.IO, "cannot list the directory: " + e.getMessage(), null));
            return List.of();
        }
    }

    /** Dot-directories (.git, .terraform), dot-files (.ward-check.yaml itself) and build output are not inputs. */
    private static boolean hiddenOrSkipped(Path relative) {
        for (Path part : relative) {
            String n = part.toString();
            if (n.startsWith(".") || SKIPPED_DIRS.contains(n)) {
                return true;
            }
        }
        return false;
    }

    private void checkFile(Path file, boolean named, List<CheckResult.Checked> checked, List<Finding> findings,
                           List<BadInputException> errors, List<CheckResult.Skipped> skipped) {
        String shown = shown(file);
        String text;
        try {
            text = Documents.read(file, shown);
        } catch (BadInputException e) {
            errors.add(e);
            return;
        }
        checkText(shown, text, named, checked, findings, errors, skipped);
    }

    private void checkText(String shown, String text, boolean named, List<CheckResult.Checked> checked,
                           List<Finding> findings, List<BadInputException> errors, List<CheckResult.Skipped> skipped) {
        Input input;
        try {
            input = Detector.read(new Src(shown, text), Documents.parseAll(shown, text));
        } catch (BadInputException e) {
            // A file over a limit (a 5 MiB lock file, a deeply nested schema) is as unreadable as a broken one.
            boolean syntax = e.code() == ErrorCode.JSON_SYNTAX || e.code() == ErrorCode.YAML_SYNTAX
                    || e.code() == ErrorCode.LIMIT;
            if (!named && syntax && !Documents.mentionsEcs(text)) {
                skipped.add(new CheckResult.Skipped(shown, "not an ECS input and not valid JSON/YAML (" + e.where() + ": " + e.detail() + ")"));
            } else {
                errors.add(e);
            }
            return;
        }
        // instanceof, not a pattern switch: the JDK makes a class for each type switch when it first runs, with
        // its class-file library, which a short command would otherwise load and run for these two alone
        if (input instanceof Input.NotRecognised nr) {
            if (named) {
                errors.add(new BadInputException(shown, null, ErrorCode.NOT_RECOGNIZED, nr.reason()
                        + " (expected an ECS task definition or service, a CloudFormation template or terraform show -json output)", null));
            } else {
                skipped.add(new CheckResult.Skipped(shown, "not an ECS input: " + nr.reason()));
            }
        } else if (input instanceof Input.Recognised r) {
            checked.add(new CheckResult.Checked(shown, r.kind().describe(), r.resources().size()));
            if (r.resources().isEmpty()) {
                skipped.add(new CheckResult.Skipped(shown, r.kind() == InputKind.KUBERNETES
                        ? "Kubernetes manifests without a pod template (Pod, Deployment, StatefulSet, DaemonSet, "
                                + "ReplicaSet, Job, CronJob)"
                        : r.kind().describe() + " without ECS task definitions or services"));
            }
            for (Resource res : r.resources()) {
                apply(res, findings);
            }
        }
    }

    /**
     * Checks one document held in memory, as if it were a file named {@code file}, and returns every
     * finding, suppressions not applied. For tools that produce task definitions and want to check them.
     */
    public List<Finding> checkText(String file, String text) throws BadInputException {
        Input input = Detector.read(new Src(file, text), Documents.parseAll(file, text));
        if (!(input instanceof Input.Recognised r)) {
            throw new BadInputException(file, null, ErrorCode.NOT_RECOGNIZED, ((Input.NotRecognised) input).reason(), null);
        }
        List<Finding> findings = new ArrayList<>();
        r.resources().forEach(res -> apply(res, findings));
        return findings;
    }

    /** Runs every rule on one resource. */
    void apply(Resource res, List<Finding> findings) {
        Sink sink = (rule, resource, container, loc, message) -> findings.add(finding(rule, resource, container, loc, message));
        for (Rule rule : Rules.all()) {
            if (res instanceof TaskDef td && td.dialect() == Dialect.KUBERNETES
                    && !KubernetesReader.RULES.contains(rule.info().id())) {
                continue; // an ECS-only rule (roles, logs, EFS, platform versions): a pod has no such fields
            }
            if (res instanceof TaskDef td) { // not a type switch, as above
                rule.checkTask(td, context, sink);
            } else if (res instanceof Service s) {
                rule.checkService(s, context, sink);
            }
        }
    }

    private static Finding finding(RuleInfo rule, Resource r, Container c, Loc loc, String message) {
        String kind = r instanceof TaskDef ? "task definition" : "service";
        return new Finding(rule, message, r.file(), loc, kind, r.label(), c == null ? null : c.name());
    }

    /** The path as reports show it: relative to the working directory when under it, '/'-separated. */
    String shown(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path rel = abs.startsWith(cwd) ? cwd.relativize(abs) : abs;
        String s = rel.toString().replace('\\', '/');
        return s.isEmpty() ? "." : s;
    }

    /**
     * Findings by file, line, column and rule: a class rather than Comparator.comparing's chain, whose lambdas the
     * JDK makes at run time (they are not kept in the start-up cache).
     */
    private static final class InFileOrder implements Comparator<Finding> {
        @Override
        public int compare(Finding a, Finding b) {
            int c = a.file().compareTo(b.file());
            if (c == 0) {
                c = Integer.compare(a.loc().pos().line(), b.loc().pos().line());
            }
            if (c == 0) {
                c = Integer.compare(a.loc().pos().column(), b.loc().pos().column());
            }
            return c != 0 ? c : a.rule().id().compareTo(b.rule().id());
        }
    }
}
