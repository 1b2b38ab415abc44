package dev.ward.mesh.proxy;

import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Resolves the names SOCKS5 ({@code socks5h}) and HTTP proxy clients send, with the system resolver on two daemon
 * threads of its own ({@code ward-mesh-resolve-*}): a lookup blocks, the event loop must not. The answer is handed
 * back on the asking channel's event loop. Other blocking lookups of the proxy (which process a client is) run there
 * too ({@link #offLoop}).
 */
public final class Resolver implements AutoCloseable {

    private final ExecutorService executor;

    public Resolver() {
        AtomicInteger n = new AtomicInteger();
        executor = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "ward-mesh-resolve-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ((ThreadPoolExecutor) executor).allowCoreThreadTimeOut(true);
    }

    /** Resolves {@code host} (a literal needs no lookup) and calls {@code done} on {@code loop}. */
    public void resolve(String host, int port, EventLoop loop, BiConsumer<InetSocketAddress, UnknownHostException> done) {
        try {
            executor.execute(() -> {
                InetSocketAddress address = null;
                UnknownHostException error = null;
                try {
                    address = new InetSocketAddress(InetAddress.getByName(host), port);
                } catch (UnknownHostException e) {
                    error = e;
                }
                InetSocketAddress a = address;
                UnknownHostException x = error;
                loop.execute(() -> done.accept(a, x));
            });
        } catch (RuntimeException e) {
            loop.execute(() -> done.accept(null, new UnknownHostException(host + ": resolver stopped")));
        }
    }

    /** Runs {@code lookup} on the resolver's threads; its answer (null when it threw) goes to {@code done} on loop. */
    <T> void offLoop(Supplier<T> lookup, EventLoop loop, Consumer<T> done) {
        try {
            executor.execute(() -> {
                T answer;
                try {
                    answer = lookup.get();
                } catch (RuntimeException e) {
                    answer = null;
                }
                T a = answer;
                loop.execute(() -> done.accept(a));
            });
        } catch (RuntimeException e) {
            loop.execute(() -> done.accept(null));
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
