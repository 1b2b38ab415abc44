package dev.ward.agent;

import dev.ward.agent.output.Exporter;
import dev.ward.api.Identity;
import dev.ward.api.telemetry.JsonLinesSink;
import dev.ward.api.telemetry.Sink;
import dev.ward.bindings.Posix;
import dev.ward.bindings.Ptrace;
import dev.ward.bindings.Spawn;
import dev.ward.capture.ConnectRedirector;
import dev.ward.capture.Family;
import dev.ward.capture.LaunchException;
import dev.ward.capture.StartupClock;
import dev.ward.capture.Supervisor;
import dev.ward.policy.PolicyException;
import dev.ward.policy.PolicyFiles;
import dev.ward.policy.Posture;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code ward run}: load policies, start the workload under supervision, relay signals, report, and
 * exit as the workload exited (its code, or 128 + the signal that killed it).
 *
 * <p>Fail closed: a broken policy or a supervisor that cannot start means the workload is not started
 * (exit 2 and 1), unless {@code --fail-open} asks to run it unprotected.
 */
public final class Agent {
    /** The name of the thread that traces the workload (this one, from the spawn on), as tools look for it. */
    static final String TRACER_THREAD = "ward-tracer";

    private Agent() {
    }

    public static int run(AgentOptions o, PrintStream err) {
        return run(o, err, null);
    }

    /**
     * Like {@link #run(AgentOptions, PrintStream)}, with the mesh's transparent capture on when {@code capture} is
     * not null: the TCP connects it claims go to its capture port (docs/mesh-capture.md), and what cannot be
     * redirected is reported on {@code err}.
     */
    public static int run(AgentOptions o, PrintStream err, ConnectRedirector capture) {
        NativeLink.start(); // main() started it already; an in-process caller's first run starts it here
        Supervisor supervisor = Supervisor.prepare(); // its spawner thread starts now, off the way to the spawn
        StartPolicies start;
        try {
            start = StartPolicies.load(o);
        } catch (PolicyException e) {
            String report = e.format();
            err.print(report.endsWith("\n") ? report : report + "\n");
            err.println("ward: the workload was not started: fix the policy errors above");
            return 2;
        }
        StartupClock.mark("policies loaded");
        PolicyFiles loaded = start.all();
        Identity id;
        WorkloadWatch workload;
        try {
            id = Identity.of(o.containerName(), o.labels(), o.env());
            workload = WorkloadWatch.start(id, o.env(), err);
            StartupClock.mark("identity");
        } catch (IllegalArgumentException e) {
            err.println("ward: " + e.getMessage());
            err.println("ward: the workload was not started");
            return 2;
        }
        LivePolicies policies = new LivePolicies(id, loaded.kubeArmor(), Posture.fromEnv(o.env()), err);
        Plugins plugins = new Plugins(id, o.env(), err, policies, loaded.authorization());
        try {
            plugins.discover();
        } catch (IllegalStateException e) {
            err.println("ward: " + e.getMessage());
            err.println("ward: the workload was not started");
            return 2;
        }
        StartupClock.mark("plugins discovered");
        Exporter exporter;
        try {
            exporter = new Exporter(o.queueSize(), err, sink(o));
        } catch (IOException e) {
            err.println("ward: cannot open the output " + o.output() + ": " + e.getMessage());
            return 2;
        }
        StartupClock.mark("exporter started");
        plugins.exporter(exporter, workload);
        Guard guard = new Guard(policies.live(), exporter, workload, o.filter(), o.visibility());
        StartupClock.mark("plugins, output, guard ready");
        NativeLink.await();
        SignalMask.ensure();
        StartupClock.mark("signal mask checked");
        PolicyWatcher.start(o.policyPaths(), start.fixed(), policies, err);
        try {
            plugins.logFilter(o.filter());
            plugins.startAll();
        } catch (Exception e) {
            err.println("ward: " + e.getMessage());
            err.println("ward: the workload was not started");
            exporter.close();
            return 2;
        }
        OperationSet trap = o.trap() != null ? o.trap() : autoTrap(o, policies);
        TrapWidening widening = new TrapWidening(o, trap);
        if (o.trap() == null) {
            policies.onChange(rules -> {
                widening.accept(rules);
                policies.untrapped(widening.trapped());
            });
            widening.accept(policies.live().get()); // a change between autoTrap and onChange
        }
        String untrapped = policies.untrapped(trap);
        if (untrapped != null) {
            err.println("ward: " + untrapped);
            err.println("ward: the workload was not started: add them to --trap (or WARD_TRAP), or remove the rules");
            exporter.close();
            plugins.stopAll();
            return 2;
        }
        String command = o.command().get(0);
        Path exe = Executables.resolve(command, o.env(), o.workDir());
        if (exe == null) {
            err.println("ward: " + command + ": command not found (PATH=" + o.env().getOrDefault("PATH",
                    Executables.DEFAULT_PATH) + ")");
            exporter.close();
            plugins.stopAll();
            return 127;
        }
        exporter.addSinks(plugins.sinks());
        SignalRelay relay = SignalRelay.start(o.stopSignal());
        StartupClock.mark("plugins started, signals read");
        if (requirePolicy(o.env()) && !awaitPolicies(policies, err) || !awaitHolds(plugins.holds(), err)) {
            exporter.close();
            plugins.stopAll();
            return 1;
        }
        workload.awaitFirst(); // the task metadata, read while the plugins started
        int agentPid = Posix.getpid();
        guard.agent(agentPid, agentExecutable(), Posix.getuid(),
                SelfProtection.of(agentPid, o.policyPaths(), o.output()));
        java.util.Set<Family> families = widening.atSpawn().families();
        // Events reported by the stream, or ownerOnly rules judged by the uid: the tracer keeps cwds and uids.
        if (o.filter().logs() || policies.live().get().set().needsOwner()) {
            families.add(Family.CWD_UID);
        }
        Supervisor.Spec spec = new Supervisor.Spec(exe.toString(), o.command(), envList(o.env()),
                o.workDir().toString(), families);
        Thread self = Thread.currentThread();
        String name = self.getName();
        self.setName(TRACER_THREAD); // this thread traces the workload from its seizure to its exit
        try {
            try {
                ConnectRedirector redirector = capture != null ? capture : CaptureLog.of(plugins.connectCapture());
                supervisor.seize(spec, guard, redirector == null ? null : new CaptureLog(redirector, err));
            } catch (LaunchException e) {
                if (!o.failOpen()) {
                    err.println("ward: " + e.getMessage());
                    err.println("ward: refusing to start the workload unprotected (--fail-open would run it anyway)");
                    return 1;
                }
                err.println("ward: " + e.getMessage() + "; --fail-open: running the workload UNPROTECTED");
                return runUnsupervised(spec, relay, err);
            }
            StartupClock.mark("workload seized");
            if (o.trap() == null) {
                widening.started(supervisor);
            }
            relay.forwardTo(supervisor.mainPid());
            try {
                int status = supervisor.trace();
                StartupClock.mark("workload exited");
                return exitCode(status);
            } catch (LaunchException e) {
                err.println("ward: cannot run " + command + ": " + e.getMessage());
                return e.exitCode();
            } finally {
                if (o.env().containsKey("WARD_DEBUG_STOPS")) { // what the workload paid: for tuning and tests
                    err.println("ward: " + supervisor.stops() + " tracer stops; trapped: " + widening.trapped()
                            + (o.trap() == null ? " (chosen from the policies)" : " (--trap)")
                            + "; tracer CPU: " + supervisor.tracerPlacement()
                            + "; waits: " + supervisor.tracerWaits());
                }
            }
        } finally {
            self.setName(name);
            exporter.close();
            StartupClock.mark("exporter closed");
            plugins.stopAll();
            StartupClock.mark("plugins stopped");
        }
    }

    /**
     * The operations to trap when --trap is not given: only what the rules and the requested logs need; the
     * rest runs at native speed (opens that may write, file changes and the self-protection calls always stop).
     * A policy that arrives later (a watched --policy file, the relay) and needs more widens the running
     * workload's filter ({@link TrapWidening}).
     */
    static OperationSet autoTrap(AgentOptions o, LivePolicies policies) {
        return OperationSet.needed(policies.live().get().set(), o.filter(), o.visibility());
    }

    /** The agent's own executable (the JVM's launcher), which the workload runs until its first execve. */
    private static String agentExecutable() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/exe")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "ward";
        }
    }

    /** What plugins asked the workload to wait for (WARD_REQUIRE_MESH: the task's certificate). */
    private static boolean awaitHolds(List<Plugins.Hold> holds, PrintStream err) {
        for (Plugins.Hold h : holds) {
            try {
                h.ready().toCompletableFuture().get(h.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                err.println("ward: " + h.what() + " did not arrive within " + h.timeout().toSeconds()
                        + "s; the workload was not started");
                return false;
            } catch (ExecutionException e) {
                err.println("ward: " + h.what() + ": " + e.getCause().getMessage() + "; the workload was not started");
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static boolean requirePolicy(Map<String, String> env) {
        String v = env.getOrDefault("WARD_REQUIRE_POLICY", "");
        return v.equals("1") || v.equalsIgnoreCase("true");
    }

    /** WARD_REQUIRE_POLICY: hold the workload until a plugin (the relay) delivered policies. */
    private static boolean awaitPolicies(LivePolicies policies, PrintStream err) {
        if (!policies.remoteExpected()) {
            err.println("ward: WARD_REQUIRE_POLICY is set but no policy source is configured "
                    + "(set RELAYSERVERURL); the workload was not started");
            return false;
        }
        try {
            if (policies.awaitRemote()) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        err.println("ward: WARD_REQUIRE_POLICY: no policy set arrived in time; the workload was not started");
        return false;
    }

    /** The shell's convention: the exit code, or 128 + the terminating signal. */
    static int exitCode(int status) {
        return Ptrace.exited(status) ? Ptrace.exitCode(status) : 128 + Ptrace.termSignal(status);
    }

    private static int runUnsupervised(Supervisor.Spec spec, SignalRelay relay, PrintStream err) {
        int pid;
        try (Spawn.Request request = new Spawn.Request(spec.path(), spec.argv(), spec.env(), -1)) {
            pid = request.spawn();
        }
        if (pid < 0) {
            err.println("ward: cannot run " + spec.path() + ": " + dev.ward.bindings.Errno.message(-pid));
            return 127;
        }
        relay.forwardTo(pid);
        Ptrace waiter = new Ptrace();
        while (true) {
            int r = waiter.waitpid(-1, 0);
            if (r == pid) {
                return exitCode(waiter.status());
            }
            if (r < 0 && r != -dev.ward.bindings.Errno.EINTR) {
                return 1;
            }
        }
    }

    private static Sink sink(AgentOptions o) throws IOException {
        if (o.output() == null) {
            return new JsonLinesSink(new FileOutputStream(FileDescriptor.out), false, o.format());
        }
        return new JsonLinesSink(Files.newOutputStream(o.output(), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), true, o.format());
    }

    /** The agent's secrets: in the agent's environment, never in the workload's. */
    static final List<String> AGENT_ONLY_ENV = List.of("WARD_RELAY_TOKEN", "WARD_MESH_TOKEN");

    private static List<String> envList(Map<String, String> env) {
        List<String> out = new ArrayList<>(env.size());
        env.forEach((k, v) -> {
            if (!AGENT_ONLY_ENV.contains(k)) {
                out.add(k + "=" + v);
            }
        });
        return out;
    }
}
