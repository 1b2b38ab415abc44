package dev.ward.capture;

import dev.ward.bindings.Errno;
import dev.ward.bindings.Seccomp;
import dev.ward.bindings.Spawn;
import java.util.concurrent.CompletableFuture;

/**
 * The thread the workload is spawned from ({@code ward-spawner}): started ahead of the spawn and parked until
 * {@link #spawn} hands it the filters and the request, so that starting a thread (a clone and two hand-offs
 * between the new thread and its creator in the JVM) is not on the way from the agent's start to the workload.
 *
 * <p>Once handed the job it sets no_new_privs, installs the gate filter (publishing the listener descriptor,
 * {@link #listenerFd}) and the main filter on itself, calls posix_spawn (the child inherits both filters) and
 * publishes the result ({@link #result}). After the filters are installed this thread can no longer open files
 * or sockets (those syscalls now need a tracer), so it only spawns, publishes and answers the gate: it stays
 * parked answering the (harmless) gate notifications of any later {@code fchdir} on the same descriptor number,
 * because filters cannot be removed and the listener must live.
 */
final class Spawner {
    /** The listener descriptor of the gate filter, or why the filters could not be installed. */
    final CompletableFuture<Integer> listenerFd = new CompletableFuture<>();
    /** posix_spawn's answer: the pid, or -errno; 0 when there was no spawn. */
    final CompletableFuture<Integer> result = new CompletableFuture<>();
    /** fchdir calls of the workload the gate answered, untraced (see {@link ProcessFacts}). */
    final java.util.concurrent.atomic.AtomicLong gateCrossings = new java.util.concurrent.atomic.AtomicLong();
    private final CompletableFuture<Job> job = new CompletableFuture<>();
    private Thread thread;

    private record Job(byte[] gate, byte[] main, Spawn.Request request) {
    }

    private Spawner() {
    }

    /** Starts the thread, parked until {@link #spawn} or {@link #abandon}. */
    static Spawner start() {
        Spawner s = new Spawner();
        s.thread = Thread.ofPlatform().name("ward-spawner").daemon(true).start(s::run);
        return s;
    }

    /** Has the thread install {@code gate} and {@code main} on itself and run {@code request}. Once. */
    void spawn(byte[] gate, byte[] main, Spawn.Request request) {
        job.complete(new Job(gate, main, request));
    }

    /** The spawner thread, for tests. */
    Thread thread() {
        return thread;
    }

    /** No spawn will come (the launch failed before it): the thread ends. */
    void abandon() {
        job.complete(null);
        result.complete(0);
    }

    private void run() {
        Job j = job.join();
        if (j == null) {
            return;
        }
        StartupClock.mark("spawner handed the spawn");
        Seccomp.Listener keeper = new Seccomp.Listener(-1); // built before the filters: see above
        try {
            // The workload never needs to trace or look into another process (Ward refuses ptrace anyway);
            // without CAP_SYS_PTRACE the kernel keeps it out of the agent, which is not dumpable.
            Seccomp.dropCapability(Seccomp.CAP_SYS_PTRACE);
            Seccomp.setNoNewPrivs();
            int fd = Seccomp.installFilter(j.gate(), Seccomp.FILTER_FLAG_NEW_LISTENER);
            Seccomp.installFilter(j.main(), 0);
            keeper.bind(fd);
            StartupClock.mark("filters installed");
            listenerFd.complete(fd);
        } catch (RuntimeException e) {
            listenerFd.completeExceptionally(e);
            result.complete(-Errno.EPERM);
            return;
        }
        result.complete(j.request().spawn());
        StartupClock.mark("spawn returned");
        while (true) {
            if (keeper.receive() == 0) {
                gateCrossings.incrementAndGet(); // before the fchdir runs: the tracer then forgets the cwds it kept
                keeper.sendContinue(keeper.id());
            }
        }
    }
}
