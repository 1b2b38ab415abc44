package dev.ward.bench.capture;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's stand-in for the mesh's capture port: a loopback listener whose one platform thread accepts and
 * closes each connection, in this JVM, where the tracer runs (as the agent's proxy does). An AF_INET channel, not a
 * ServerSocket: its accept and close are the accept4 and close the floor's listener makes (a ServerSocket's add a
 * getsockname, fcntl, getsockopt and shutdown per connection, and made the JVM's accepting thread cost as much CPU as
 * the tracer's). While {@link #claiming}, it
 * claims each connection's entry in the redirect table as ward-mesh's CaptureHandler does: the tracer records a
 * redirect only after its connect started, so the entry may come after the accept; the claim is then tried again
 * after 20 µs, doubled up to 10 ms, for 200 ms, before the connection counts as {@link #unclaimed}; the tries are
 * scheduled on a thread of their own, as the proxy schedules them on its event loop, so that the accepting thread
 * goes on accepting meanwhile. Deferred
 * ({@link #accepting} false), the connections wait in the backlog until the run is over, so that no accepting thread
 * competes for the CPU while connects are timed.
 *
 * <p>Threading: the table is written by the tracer thread and read here; the switches are set by the benchmark's
 * main thread between runs.
 */
final class StandInPort implements AutoCloseable {
    private static final long FIRST_WAIT_NANOS = 20_000;
    private static final long LONGEST_WAIT_NANOS = 10_000_000;
    private static final long GIVE_UP_NANOS = 200_000_000;

    private final ServerSocketChannel socket;
    private final Map<InetSocketAddress, InetSocketAddress> table = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong unclaimed = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong waiting = new AtomicLong();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon(true).name("stand-in-claims").unstarted(r));
    private final Object gate = new Object();
    private volatile boolean accepting = true;
    private volatile boolean claiming;

    StandInPort() throws IOException {
        socket = ServerSocketChannel.open(StandardProtocolFamily.INET);
        socket.bind(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0), 65_535);
        Thread.ofPlatform().daemon(true).name("stand-in-port").start(this::acceptAll);
    }

    InetSocketAddress address() {
        try {
            return (InetSocketAddress) socket.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("the stand-in port is closed", e);
        }
    }

    /** What the tracer records at a redirect (its source, then the destination asked for). */
    void redirected(InetSocketAddress source, InetSocketAddress destination) {
        table.put(source, destination);
    }

    /** Whether each connection claims its redirect table entry (the redirected rows) or is just closed. */
    void claiming(boolean on) {
        claiming = on;
    }

    /** Whether connections are accepted now (true) or left in the backlog until it is set again. */
    void accepting(boolean on) {
        synchronized (gate) {
            accepting = on;
            gate.notifyAll();
        }
    }

    /**
     * Accepts whatever waits, then waits up to 2 s until {@code count} more than {@code before} were accepted and
     * no claim is waiting any more.
     */
    boolean awaitAccepted(long before, long count) throws InterruptedException {
        accepting(true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while ((accepted.get() - before < count || waiting.get() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return accepted.get() - before == count;
    }

    long accepted() {
        return accepted.get();
    }

    /** Empties the redirect table (what a run left when nothing claimed). */
    void forget() {
        table.clear();
    }

    /** Redirect table entries no connection claimed (yet). */
    int leftInTable() {
        return table.size();
    }

    /** Claiming connections that found no entry within 200 ms. */
    long unclaimed() {
        return unclaimed.get();
    }

    /** Claiming connections that found their entry only on a retry. */
    long late() {
        return late.get();
    }

    @Override
    public void close() throws IOException {
        retries.shutdownNow();
        socket.close();
    }

    private void acceptAll() {
        while (socket.isOpen()) {
            awaitAccepting();
            try (SocketChannel c = socket.accept()) {
                InetSocketAddress client = (InetSocketAddress) c.getRemoteAddress();
                if (claiming && table.remove(client) == null) {
                    waiting.incrementAndGet();
                    retries.schedule(() -> claim(client, FIRST_WAIT_NANOS, FIRST_WAIT_NANOS), FIRST_WAIT_NANOS,
                            TimeUnit.NANOSECONDS);
                }
                accepted.incrementAndGet();
            } catch (IOException e) {
                // closed
            }
        }
    }

    /** Claims {@code client}'s entry, having waited {@code waited} ns for it; else tries again in {@code next}. */
    private void claim(InetSocketAddress client, long waited, long next) {
        boolean found = table.remove(client) != null;
        if (found || waited >= GIVE_UP_NANOS) {
            (found ? late : unclaimed).incrementAndGet();
            waiting.decrementAndGet();
            return;
        }
        long after = Math.min(2 * next, LONGEST_WAIT_NANOS);
        retries.schedule(() -> claim(client, waited + next, after), next, TimeUnit.NANOSECONDS);
    }

    private void awaitAccepting() {
        synchronized (gate) {
            while (!accepting) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
