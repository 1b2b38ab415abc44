package dev.ward.agent;

import dev.ward.bindings.Posix;
import dev.ward.capture.StartupClock;

/**
 * Links the native calls on a thread of their own ({@code ward-link}): the longest step of the agent's start
 * (~25 ms of CPU: the FFM linker spins its code), run beside the main thread's reading of policies, plugins and
 * output, none of which needs native calls. Started first thing in {@code main()} for {@code ward run}, so that
 * it does not wait for the arguments to be parsed either; {@link #await} before the first native call.
 */
final class NativeLink {
    private static Thread thread; // under NativeLink.class

    private NativeLink() {
    }

    /** Starts the linking thread, once per JVM (later calls do nothing). */
    static synchronized void start() {
        if (thread == null) {
            thread = Thread.ofPlatform().name("ward-link").daemon(true).start(() -> {
                Posix.link();
                StartupClock.mark("native calls linked (ward-link)");
            });
        }
    }

    /** Waits until the native calls are linked (starting the linking if nothing did). */
    static void await() {
        Thread t;
        synchronized (NativeLink.class) {
            start();
            t = thread;
        }
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
