package dev.ward.capture;

import dev.ward.bindings.Errno;
import dev.ward.bindings.NativeException;
import dev.ward.bindings.Posix;
import dev.ward.bindings.Ptrace;
import dev.ward.bindings.Seccomp;
import dev.ward.bindings.Spawn;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Starts a workload under supervision and traces its whole process tree until its main process ends.
 *
 * <p>How the workload is supervised from its first instruction, with no code of ours in the child:
 * <ol>
 *   <li>The tracer thread prepares everything: filters, the posix_spawn request, a directory fd for
 *       the gate.</li>
 *   <li>The spawner thread ({@link Spawner}, started ahead by {@link #prepare}) sets no_new_privs, installs
 *       {@link Filters#gate} (getting a user-notification listener) and {@link Filters#main} on itself, and
 *       calls posix_spawn. The child inherits both filters.</li>
 *   <li>The child's first file action is {@code fchdir(gate)}: the gate filter suspends it and tells
 *       the listener its pid. The tracer thread PTRACE_SEIZEs it with fork/clone/exec/seccomp tracing
 *       and lets the fchdir run. From then on every trapped syscall of the child and its descendants,
 *       starting with its execve, stops in the tracer.</li>
 * </ol>
 * The tracer thread is either a thread of the supervisor's own ({@link #start}), or the caller's: {@link #seize}
 * then {@link #trace} make the calling thread the tracer, which spares the agent's start two hand-offs between
 * threads and its exit a third (the workload's exit is seen by the thread that then ends the agent).
 */
public final class Supervisor {
    /**
     * @param path    absolute path of the program
     * @param argv    its arguments, argv[0] included
     * @param env     its environment, "NAME=value"
     * @param workDir its working directory
     * @param trapped the syscall families the filter stops (see {@link Filters#main(java.util.Set)})
     */
    public record Spec(String path, List<String> argv, List<String> env, String workDir,
                       java.util.Set<Family> trapped) {
        public Spec {
            trapped = java.util.Set.copyOf(trapped);
        }

        /**
         * Every family of the syscall table trapped but {@link Family#MESH} and MESH_INBOUND (a redirector's); and
         * {@link Family#CWD_UID}, so the tracer keeps cwds and uids.
         */
        public Spec(String path, List<String> argv, List<String> env, String workDir) {
            this(path, argv, env, workDir, java.util.EnumSet.complementOf(java.util.EnumSet.of(Family.MESH,
                    Family.MESH_INBOUND)));
        }
    }

    private final Spawner spawner;
    private final CompletableFuture<Integer> started = new CompletableFuture<>();
    private final CompletableFuture<Integer> exitStatus = new CompletableFuture<>();
    private volatile Tracer tracer;
    private volatile Thread tracerThread;

    private Supervisor(Spawner spawner) {
        this.spawner = spawner;
    }

    /**
     * A supervisor for one workload, its spawner thread started now and parked until {@link #seize}: call it
     * ahead of the spawn, so that the thread's start is not on the way to the workload.
     */
    public static Supervisor prepare() {
        return new Supervisor(Spawner.start());
    }

    /**
     * Starts {@code spec} traced by a new tracer thread reporting to {@code listener}; returns once the
     * workload's first process is seized (its execve may still be pending).
     */
    public static Supervisor start(Spec spec, TraceListener listener) throws LaunchException {
        return start(spec, listener, null);
    }

    /**
     * Like {@link #start(Spec, TraceListener)}, with the mesh's transparent capture on when {@code redirector} is
     * not null: connect, bind and getpeername are then trapped too ({@link Family#MESH}), and TCP connects it
     * claims go to the capture port ({@link ConnectRedirector}); accept and accept4 too with strict inbound on
     * ({@link Family#MESH_INBOUND}).
     */
    public static Supervisor start(Spec spec, TraceListener listener, ConnectRedirector redirector)
            throws LaunchException {
        Supervisor s = prepare();
        Thread t = Thread.ofPlatform().name("ward-tracer").daemon(true).unstarted(() -> {
            try {
                s.seize(spec, listener, redirector);
                s.trace();
            } catch (LaunchException | RuntimeException | Error e) { // handed to start() and awaitExit()
                // seize and trace have completed the futures with it
            }
        });
        t.start();
        try {
            s.started.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof LaunchException le ? le
                    : new LaunchException("cannot supervise the workload: " + cause.getMessage(), 1, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted while starting the workload", 1, e);
        }
        return s;
    }

    /**
     * On the calling thread: starts {@code spec} (see {@link #start(Spec, TraceListener, ConnectRedirector)}) and
     * seizes its first process; returns its pid. The calling thread is the workload's tracer from then on: every
     * ptrace request must come from it, so it calls {@link #trace} next, and the workload's first traced syscall
     * (its execve) waits until it does. Once per supervisor.
     */
    public int seize(Spec spec, TraceListener listener, ConnectRedirector redirector) throws LaunchException {
        Spec traced = spec;
        if (redirector != null) {
            java.util.Set<Family> families = java.util.EnumSet.of(Family.MESH);
            if (redirector.strictInbound()) {
                families.add(Family.MESH_INBOUND);
            }
            families.addAll(spec.trapped());
            traced = new Spec(spec.path(), spec.argv(), spec.env(), spec.workDir(), families);
        }
        tracerThread = Thread.currentThread();
        Ptrace ptrace = new Ptrace();
        ProcessFacts facts = new ProcessFacts(traced.trapped().contains(Family.CWD_UID), spawner.gateCrossings);
        listener.tracing(facts);
        Tracer tr = new Tracer(ptrace, listener, redirector, facts);
        tracer = tr;
        int pid;
        try {
            pid = launch(traced, ptrace);
        } catch (LaunchException | RuntimeException | Error e) { // an Error too: start() must not wait forever
            spawner.abandon();
            started.completeExceptionally(e);
            exitStatus.complete(0);
            throw e;
        }
        tr.adopt(pid);
        started.complete(pid);
        return pid;
    }

    /**
     * On the thread that {@link #seize seized} the workload: answers its stops until its main process ends; returns
     * that process's wait status, or throws as {@link #awaitExit} does.
     */
    public int trace() throws LaunchException {
        if (Thread.currentThread() != tracerThread) {
            throw new IllegalStateException("trace() runs on the thread that seized the workload");
        }
        int status;
        try {
            status = tracer.run();
        } catch (RuntimeException | Error e) {
            exitStatus.completeExceptionally(e);
            throw e;
        }
        exitStatus.complete(status);
        return awaitExit();
    }

    /** The workload's main process. */
    public int mainPid() {
        return started.join();
    }

    /**
     * Waits for the main process to end. Returns its wait status; throws when its execve failed (the
     * spawner saw an error), with the shell's exit code for it.
     */
    public int awaitExit() throws LaunchException {
        int status = exitStatus.join();
        int spawn = spawner.result.join();
        if (spawn < 0) {
            int errno = -spawn;
            throw new LaunchException(Errno.message(errno), errno == Errno.ENOENT ? 127 : 126, null);
        }
        return status;
    }

    /**
     * Makes every thread of the running workload, and every one it starts, stop in the tracer for the rows of
     * {@code families} too (those of the start stay trapped: filters only add). Returns once the tracer has
     * begun, or the workload has ended; each thread is widened before its next syscall runs.
     */
    public void widen(java.util.Set<Family> families) {
        Tracer t = tracer;
        if (t != null && !exitStatus.isDone()) {
            // on the tracer thread itself (before trace()): its loop begins the widening before its first wait
            t.widen(Filters.widening(families), Thread.currentThread() != tracerThread);
        }
    }

    /** Stops handled so far: for diagnostics and benchmarks. */
    public long stops() {
        Tracer t = tracer;
        return t == null ? 0 : t.stops;
    }

    /** Where the tracer thread runs (whether it follows the busiest thread's CPU): for diagnostics. */
    public String tracerPlacement() {
        Tracer t = tracer;
        return t == null ? "not started" : t.follower.summary();
    }

    /** How the tracer waits for stops (whether it polls, and how often it paused): for diagnostics. */
    public String tracerWaits() {
        Tracer t = tracer;
        return t == null ? "not started" : t.next.summary();
    }

    /** The spawner thread, for tests. */
    Thread spawnerThread() {
        return spawner.thread();
    }

    private int launch(Spec spec, Ptrace ptrace) throws LaunchException {
        if (!Seccomp.actionAvailable(Seccomp.RET_USER_NOTIF)) {
            throw new LaunchException("this kernel lacks seccomp user notification (Linux 5.0+ needed), "
                    + "so Ward cannot attach before the workload's first instruction", 1, null);
        }
        Seccomp.setChildSubreaper();
        int gateFd;
        try {
            gateFd = Posix.open(spec.workDir(), Posix.O_PATH | Posix.O_DIRECTORY | Posix.O_CLOEXEC);
        } catch (NativeException e) {
            throw new LaunchException("working directory " + spec.workDir() + ": " + e.getMessage(), 1, e);
        }
        byte[] gate = Filters.gate(gateFd);
        byte[] main = Filters.main(spec.trapped());
        Spawn.Request request = new Spawn.Request(spec.path(), spec.argv(), spec.env(), gateFd);
        StartupClock.mark("filters, spawn request built");
        spawner.spawn(gate, main, request);
        int fd;
        try {
            fd = spawner.listenerFd.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw new LaunchException("cannot install the seccomp filter: " + c.getMessage(), 1, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted", 1, e);
        }
        StartupClock.mark("listener fd received");
        Seccomp.Listener listener = new Seccomp.Listener(fd);
        while (!listener.awaitReadable(200)) {
            if (spawner.result.isDone()) {
                Posix.close(gateFd);
                throw new LaunchException("cannot start " + spec.path() + ": "
                        + Errno.message(-spawner.result.join()), 1, null);
            }
        }
        int r = listener.receive();
        if (r < 0) {
            throw new LaunchException("seccomp notification: " + Errno.name(-r), 1, null);
        }
        int pid = listener.pid();
        StartupClock.mark("gate notification");
        try {
            ptrace.seize(pid, Tracer.OPTIONS);
        } catch (NativeException e) {
            Posix.close(gateFd);
            throw new LaunchException("cannot trace the workload: " + e.getMessage(), 1, e);
        } finally {
            listener.sendContinue(listener.id());
        }
        StartupClock.mark("seized, continued");
        Posix.close(gateFd);
        return pid;
    }
}
