package dev.ward.agent;

import dev.ward.api.LogFilter;
import dev.ward.api.StopSignal;
import dev.ward.api.WardVersion;
import dev.ward.api.telemetry.TelemetryFormat;
import dev.ward.bindings.Posix;
import dev.ward.capture.StartupClock;
import dev.ward.policy.pack.PolicyPack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ward run [options] -- CMD [ARGS...]}: the agent, as a container's entrypoint. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = WardVersion.class,
        description = {"Run CMD under supervision: the agent, as a container's entrypoint.", "",
            "Traces CMD's whole process tree with seccomp + ptrace, enforces KubeArmorPolicy, reports "
                + "KubeArmor-shaped alerts and logs, and acts as its init (signals forwarded, zombies reaped, "
                + "its exit code returned)."},
        footer = {"", "Environment:",
            "  WARD_POLICY       a KubeArmorPolicy as YAML text, or a path to one",
            "  WARD_PACK         policy packs to load, comma-separated (like --pack)",
            "  WARD_OUTPUT_FORMAT  kubearmor | falco (like --output-format)",
            "  CONTAINERNAME     container name policies select on (default: the hostname)",
            "  WARD_LOG_FILTER   policy | system | all (like --log-filter)",
            "  WARD_VISIBILITY   operations system logs cover (like --visibility)",
            "  WARD_TRAP         operations the filter stops (like --trap)",
            "  WARD_TRACER_SPIN_US  microseconds the tracer polls for the next stop before",
            "                    sleeping (default 50 with two CPUs or more, paused where it",
            "                    does not pay or the CPU is wanted; 0: never poll)",
            "  WARD_TRACER_AFFINITY  follow: keep the tracer on the CPU of the thread that",
            "                    makes nearly all stops; off (default): leave it to the",
            "                    scheduler",
            "  WARD_DEFAULT_POSTURE  block (or deny) | audit | allow: what happens to",
            "                    operations an Allow policy does not list (default audit)",
            "  WARD_DEFAULT_FILE_POSTURE, WARD_DEFAULT_NETWORK_POSTURE,",
            "  WARD_DEFAULT_CAPABILITIES_POSTURE",
            "                    the same for one kind (processes follow the file posture)",
            "  A bad value of any option or setting stops ward run with exit 2 before the",
            "  workload starts.",
            "", "Exit status: the workload's; 128+N if a signal N killed it; 2 bad policy;",
            "126/127 cannot run CMD; 1 supervision could not start (without --fail-open).",
            "", "Example:", "  ward run --policy /ward/policies -- nginx -g 'daemon off;'"})
public final class RunCommand implements Callable<Integer> {
    static final int DEFAULT_QUEUE_SIZE = 16384;

    /**
     * Runs {@code ward run ARGS} through the start-up shortcut when {@link RunArgs} accepts ARGS;
     * returns null when picocli must parse them.
     */
    public static Integer runFast(String[] args) {
        if (args.length < 2 || !args[0].equals("run")) {
            return null;
        }
        RunCommand c = RunArgs.parse(java.util.Arrays.asList(args).subList(1, args.length));
        return c == null ? null : c.call();
    }

    /**
     * Ends the agent's process with {@code code} once {@code ward run} returned: everything it wrote is closed
     * by then and it registers no shutdown hook. Not System.exit, which first asks the platform logger whether
     * to log the exit: a service search that opens every jar of the class path (30 to 80 ms with the CLI's).
     * The JVM's launchers also pass -XX:UserThreadWaitAttemptsAtExit=0, so that the exit does not wait ~300 ms
     * for the agent's threads blocked in native calls (the signalfd read, the seccomp listener). With
     * {@code -Dward.exit=direct} (every launcher's, jvm.flags) and the native calls linked, not even halt: exit_group
     * ends the process at once, without the JVM's exit (its VM operation at a safepoint, a wait for a compilation in
     * progress, its own threads stopped one by one), about 10 ms sooner after the workload's exit.
     */
    public static void exit(int code) {
        System.out.flush();
        System.err.flush();
        // The property first: the other commands (the CLI's, cli flags) load neither Posix nor the clock here, which
        // their start-up cache may not hold (a class outside it is searched for jar by jar).
        if ("direct".equals(System.getProperty("ward.exit")) && Posix.linked()) {
            StartupClock.mark("exit");
            StartupClock.printExit();
            Posix.exitGroup(code); // see ward.exit in jvm.flags; without the native calls linked, halt is cheaper
        }
        Runtime.getRuntime().halt(code);
    }

    @Option(names = {"-p", "--policy"}, paramLabel = "FILE|DIR",
            description = "KubeArmorPolicy YAML file, or a directory of them (repeatable)")
    List<Path> policies = new ArrayList<>();

    @Option(names = "--pack", paramLabel = "NAME",
            description = "load a policy pack shipped with Ward, e.g. default (repeatable; ward policy pack list shows "
                    + "them; also WARD_PACK)")
    List<String> packs = new ArrayList<>();

    @Option(names = "--output-format", paramLabel = "FORMAT",
            description = "kubearmor: KubeArmor's alert and log JSON (default); falco: Falco's JSON alert shape, for "
                    + "falcosidekick and Falco's tools (also WARD_OUTPUT_FORMAT)")
    String outputFormat;

    @Option(names = "--container-name", paramLabel = "NAME",
            description = "container name for policy selectors (default: $CONTAINERNAME, else the hostname)")
    String containerName;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "extra label for selectors and reports")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--log-filter", paramLabel = "FILTER",
            description = "policy: alerts only (default); system: logs of every traced event; all: both")
    String logFilter;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "append telemetry to FILE instead of stdout")
    Path output;

    @Option(names = "--visibility", paramLabel = "LIST",
            description = "operations the system logs cover: a comma-separated list of process, file, network, "
                    + "capabilities, or none (default: all; also WARD_VISIBILITY)")
    String visibility;

    @Option(names = "--trap", paramLabel = "LIST",
            description = "operations the seccomp filter stops: a comma-separated list of process, file, network, "
                    + "capabilities (also WARD_TRAP). The others run at native speed and no policy can apply to "
                    + "them: a policy with rules for them is refused at start. Default: what the policies and logs "
                    + "need, widened on the running workload when a later policy needs more")
    String trap;

    @Option(names = "--fail-open", description = "if supervision cannot start, run the workload unprotected")
    boolean failOpen;

    @Option(names = "--stop-signal", paramLabel = "SIGNAL",
            description = "the signal the workload gets when the agent gets SIGTERM, as an image's STOPSIGNAL "
                    + "(SIGQUIT, QUIT or 3): ward image embed sets it when the image had one, since the embedded "
                    + "image cannot keep it")
    String stopSignal;

    @Option(names = "--mesh", description = "join the task to the mesh, as WARD_MESH=on: a workload identity from the "
            + "relay, mutual TLS to other meshed tasks, the proxy port 127.0.0.1:15080 and transparent capture "
            + "(needs RELAYSERVERURL; docs/mesh.md)")
    boolean mesh;

    @Option(names = "--queue-size", paramLabel = "N", defaultValue = "" + DEFAULT_QUEUE_SIZE,
            description = "telemetry events buffered before new ones are dropped and counted (default: ${DEFAULT-VALUE})")
    int queueSize = DEFAULT_QUEUE_SIZE;

    @Option(names = {"-C", "--workdir"}, paramLabel = "DIR", description = "working directory of the workload")
    Path workDir;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "the workload's command and arguments, after --")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        StartupClock.mark("arguments parsed");
        Map<String, String> env = System.getenv();
        String problem = problem(env);
        if (problem != null) {
            System.err.println("ward run: " + problem);
            return 2;
        }
        LogFilter parsed = LogFilter.valueOf(setting(logFilter, env, "WARD_LOG_FILTER", "policy").strip()
                .toUpperCase(java.util.Locale.ROOT));
        String v = setting(visibility, env, "WARD_VISIBILITY", "");
        OperationSet visible = v.isBlank() ? OperationSet.ALL : OperationSet.parse("--visibility", v);
        String t = setting(trap, env, "WARD_TRAP", "");
        OperationSet trapped = t.isBlank() ? null : OperationSet.parse("--trap", t); // null: chosen at start
        int stopSig = stopSignal == null ? StopSignal.SIGTERM : StopSignal.number(stopSignal);
        Map<String, String> workloadEnv = new LinkedHashMap<>(env);
        workloadEnv.remove(SignalMask.REEXEC_MARK);
        if (mesh) {
            workloadEnv.put("WARD_MESH", "on");
        }
        if (workloadEnv.remove("WARD_SR_SIGNUM") != null) {
            workloadEnv.remove("_JAVA_SR_SIGNUM"); // set by Ward's launcher for the agent's JVM only
        }
        AgentOptions o = new AgentOptions(command, policies, env.get("WARD_POLICY"), containerName, labels, parsed,
                visible, trapped, output, failOpen, queueSize, workDir != null ? workDir.toAbsolutePath()
                        : Path.of("").toAbsolutePath(), workloadEnv, stopSig, packs(env), TelemetryFormat.parse(
                        "--output-format", setting(outputFormat, env, "WARD_OUTPUT_FORMAT", "kubearmor")));
        return Agent.run(o, System.err);
    }

    /** --pack, else WARD_PACK's comma-separated names. */
    private List<String> packs(Map<String, String> env) {
        if (!packs.isEmpty()) {
            return packs;
        }
        return java.util.Arrays.stream(env.getOrDefault("WARD_PACK", "").split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
    }

    private static String setting(String option, Map<String, String> env, String variable, String unset) {
        return option != null ? option : env.getOrDefault(variable, unset);
    }

    /**
     * The first invalid option or setting, named as the user gave it (the option, or the variable it fell back
     * to) with the accepted values; null when all are valid.
     */
    String problem(Map<String, String> env) {
        String filter = setting(logFilter, env, "WARD_LOG_FILTER", "policy");
        if (!filter.strip().matches("(?i)policy|system|all")) {
            return (logFilter != null ? "--log-filter" : "WARD_LOG_FILTER") + " must be policy, system or all, got '"
                    + filter + "'";
        }
        try {
            String v = setting(visibility, env, "WARD_VISIBILITY", "");
            if (!v.isBlank()) {
                OperationSet.parse(visibility != null ? "--visibility" : "WARD_VISIBILITY", v);
            }
            String t = setting(trap, env, "WARD_TRAP", "");
            if (!t.isBlank()) {
                OperationSet.parse(trap != null ? "--trap" : "WARD_TRAP", t);
            }
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        for (String pack : packs(env)) {
            try {
                PolicyPack.named(pack);
            } catch (IllegalArgumentException e) {
                return (packs.isEmpty() ? "WARD_PACK: " : "--pack: ") + e.getMessage();
            }
        }
        try {
            TelemetryFormat.parse(outputFormat != null ? "--output-format" : "WARD_OUTPUT_FORMAT",
                    setting(outputFormat, env, "WARD_OUTPUT_FORMAT", "kubearmor"));
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (stopSignal != null && StopSignal.number(stopSignal) < 0) {
            return "--stop-signal '" + stopSignal + "': expected a signal name or number (SIGQUIT, QUIT, 3)";
        }
        if (queueSize < 1) {
            return "--queue-size must be at least 1 (events buffered before new ones are dropped), got " + queueSize;
        }
        return RunSettings.problem(env);
    }
}
