package dev.ward.check;

import dev.ward.check.config.CheckConfig;
import dev.ward.check.config.ConfigException;
import dev.ward.check.config.ConfigLoader;
import dev.ward.taskdef.Documents;
import dev.ward.check.report.Ansi;
import dev.ward.check.report.JsonReport;
import dev.ward.check.report.SarifReport;
import dev.ward.check.report.TextReport;
import dev.ward.check.rules.Registries;
import dev.ward.check.rules.RuleContext;
import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.ErrorCode;
import dev.ward.taskdef.source.JsonSource;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code ward check}: posture rules for ECS task definitions and services.
 *
 * <pre>
 * ward check deploy/                          # text report, fails on high or critical findings
 * ward check -o sarif . &gt; ward.sarif         # for GitHub code scanning
 * ward check --fail-on medium task.json
 * </pre>
 */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = CheckCommand.VersionProvider.class,
        sortOptions = false,
        description = {
            "Checks ECS task definitions and services for security misconfigurations: secrets in environment "
                    + "variables, root and privileged containers, writable root filesystems, added capabilities, host "
                    + "namespaces, missing logs and health checks, unpinned or untrusted images, role mix-ups, public IPs, "
                    + "ECS Exec, old Fargate platforms, unencrypted EFS and missing runtime protection.",
            "",
            "Reads task definitions (register-task-definition input or describe-task-definition output), services "
                    + "(create-service input, describe-services output), CloudFormation templates (JSON or YAML), "
                    + "`terraform show -json` output and Kubernetes manifests (pod templates: the rules about containers "
                    + "apply, the ECS-only ones do not); '-' is standard input. A directory is walked for *.json, *.yaml, *.yml and *.template "
                    + "files; files that are none of these inputs are skipped (-v says which).",
            "",
            "Suppressions and trusted registries are read from .ward-check.yaml in the current directory, or from --config."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:no finding at or above --fail-on",
            "1:findings at or above --fail-on",
            "2:bad input (unreadable or malformed file, bad configuration or option), or the check could not run"
        })
public final class CheckCommand implements Callable<Integer> {
    /** Output formats. */
    public enum Format { TEXT, JSON, SARIF }

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Files or directories to check (default: the current directory); '-' reads standard input "
                    + "(ward inject task.json ... | ward check -).")
    List<Path> paths = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", converter = FormatConverter.class,
            description = "Report format: text, json or sarif (SARIF 2.1.0). Default: ${DEFAULT-VALUE}.")
    Format output = Format.TEXT;

    @Option(names = "--fail-on", paramLabel = "SEVERITY", defaultValue = "high", converter = SeverityConverter.class,
            description = "Exit with 1 when a finding is this severe or more: critical, high, medium, low or info. "
                    + "Default: ${DEFAULT-VALUE}.")
    Severity failOn = Severity.HIGH;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (default: ./" + ConfigLoader.FILE_NAME + " when it exists).")
    Path config;

    @Option(names = "--trusted-registry", paramLabel = "PATTERN",
            description = "Trust images from this registry or registry/repository prefix (glob; repeatable). "
                    + "Added to the configuration's trustedRegistries; together they replace the default, "
                    + "private Amazon ECR registries.")
    List<String> trustedRegistries = new ArrayList<>();

    @Option(names = {"-v", "--verbose"},
            description = "Also print why each finding matters, suppressed findings, skipped files and unused suppressions.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;
    private final boolean terminal;
    private final Path cwd;
    private final InputStream stdin;

    public CheckCommand() {
        this(System.getenv(), System.console() != null && System.console().isTerminal(), Path.of("").toAbsolutePath());
    }

    CheckCommand(Map<String, String> env, boolean terminal, Path cwd) {
        this(env, terminal, cwd, System.in);
    }

    /**
     * @param env      the environment (NO_COLOR is read from it)
     * @param terminal whether standard output is a terminal
     * @param cwd      the working directory: paths and the default configuration are resolved against it
     * @param stdin    what the input {@code -} reads
     */
    CheckCommand(Map<String, String> env, boolean terminal, Path cwd, InputStream stdin) {
        this.env = Map.copyOf(env);
        this.terminal = terminal;
        this.cwd = cwd;
        this.stdin = stdin;
    }

    /** Runs {@code ward check} on its own; the {@code ward} command registers this class as a subcommand. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new CheckCommand()).execute(args));
    }

    /**
     * {@code ward check ARGS} without picocli when {@code args} (the whole command line, "check" first) are in a
     * form {@link CheckArgs} reads: the exit code, on the streams and in the encoding picocli would use; null
     * when picocli must run the command.
     */
    public static Integer runFast(String[] args) {
        if (args.length == 0 || !args[0].equals("check")) {
            return null;
        }
        // picocli writes in these encodings when they are set; the shortcut knows only the default one
        if (System.getProperty("sun.stdout.encoding") != null || System.getProperty("sun.stderr.encoding") != null) {
            return null;
        }
        JsonSource.prepareInBackground();
        CheckCommand c = new CheckCommand();
        if (!CheckArgs.parse(Arrays.asList(args).subList(1, args.length), c)) {
            return null;
        }
        Charset cs = Charset.defaultCharset();
        return c.call(writer(System.out, cs), writer(System.err, cs));
    }

    @Override
    public Integer call() {
        return call(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** The command, on these streams (picocli's, or the shortcut's). */
    Integer call(PrintWriter out, PrintWriter err) {
        try {
            return run(out, err);
        } catch (RuntimeException e) {
            err.println("ward check: internal error: " + e + " (this is a bug in ward check; please report it)");
            err.flush();
            return 2;
        }
    }

    private int run(PrintWriter out, PrintWriter err) {
        CheckConfig cfg;
        try {
            cfg = loadConfig(err);
        } catch (ConfigException e) {
            e.problems().forEach(p -> err.println(p.render()));
            err.flush();
            return 2;
        } catch (BadInputException e) {
            err.println(e.render());
            err.flush();
            return 2;
        }
        List<String> trusted = new ArrayList<>(cfg.trustedRegistries());
        trusted.addAll(trustedRegistries);
        RuleContext ctx = new RuleContext(trusted.isEmpty() ? Registries.DEFAULT_TRUSTED : trusted);
        List<Path> inputs = paths.isEmpty() ? List.of(Path.of(".")) : paths;
        byte[] piped = null;
        if (inputs.stream().anyMatch(p -> p.toString().equals(Checker.STDIN))) {
            try {
                piped = stdin.readAllBytes();
            } catch (IOException e) {
                err.println("ward check: -: cannot read standard input: " + e.getMessage());
                err.flush();
                return 2;
            }
        }
        CheckResult result = new Checker(ctx, cfg.suppressions(), cwd).run(inputs, piped);

        // An input that could not be read, with nothing else checked, gets its error alone: a report saying
        // "nothing found" next to it would read as a pass.
        if (result.errors().isEmpty() || !result.checked().isEmpty()) {
            out.print(switch (output) {
                case TEXT -> TextReport.render(result, failOn, new Ansi(color()), verbose);
                case JSON -> JsonReport.render(result, failOn);
                case SARIF -> SarifReport.render(result, cwd);
            });
        }
        out.flush();
        for (BadInputException e : result.errors()) {
            err.println(e.render());
        }
        if (result.checked().isEmpty() && result.errors().isEmpty()) {
            err.println("ward check: found no ECS task definition, service, CloudFormation template or terraform "
                    + "show -json output in " + String.join(", ", inputs.stream().map(Path::toString).toList())
                    + (verbose ? "" : " (-v lists the files skipped)"));
        }
        if (verbose) {
            result.checked().forEach(c -> err.println("checked: " + c.file() + " (" + c.kind() + ", "
                    + c.resources() + (c.resources() == 1 ? " resource)" : " resources)")));
            result.skipped().forEach(s -> err.println("skipped: " + s.file() + ": " + s.reason()));
            result.unused().forEach(s -> err.println("unused suppression: " + s.where() + " matched no finding"));
        }
        err.flush();
        if (!result.errors().isEmpty()) {
            return 2;
        }
        return result.failing(failOn) > 0 ? 1 : 0;
    }

    private CheckConfig loadConfig(PrintWriter err) throws ConfigException, BadInputException {
        Path file = config != null ? cwd.resolve(config) : cwd.resolve(ConfigLoader.FILE_NAME);
        if (config == null && !Files.isRegularFile(file)) {
            return CheckConfig.empty();
        }
        String shown = config != null ? config.toString() : ConfigLoader.FILE_NAME;
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(shown, null, ErrorCode.CONFIG, "no such configuration file", null);
        }
        if (verbose) {
            err.println("config: " + shown);
        }
        return ConfigLoader.parse(shown, Documents.read(file, shown));
    }

    /** A stream as picocli wraps it for a command's output. */
    private static PrintWriter writer(OutputStream stream, Charset cs) {
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, cs)), true);
    }

    /** Colours only on a terminal, and never when NO_COLOR is set to anything non-empty (no-color.org). */
    boolean color() {
        String noColor = env.get("NO_COLOR");
        return terminal && (noColor == null || noColor.isEmpty());
    }

    static final class SeverityConverter implements CommandLine.ITypeConverter<Severity> {
        @Override
        public Severity convert(String value) {
            try {
                return Severity.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            try {
                return Format.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("unknown format '" + value + "' (expected text, json or sarif)");
            }
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ward check " + Version.get()};
        }
    }
}
