package dev.ward.mesh.net;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.bootstrap.Bootstrap;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The mesh's one event loop group and its channel classes: epoll when the native transport loads, NIO otherwise;
 * one thread, two when the task has two or more CPUs (then one for outbound, one for inbound traffic). Daemon threads named {@code ward-mesh-*}: they never keep the
 * agent alive.
 */
public final class Transport implements AutoCloseable {
    // Netty 4.2's buffer events would start JFR in a full JDK: about 5 MiB of the agent's memory for events nobody
    // records. Off unless the user turned them on; before any Netty class reads it.
    // Netty's leak detector (SIMPLE by default) fills a stack trace on the loop thread for one buffer in 128: about
    // one request in four through the mesh paid one (MeshBenchmark, JFR: 11,522 TraceRecords in 42,000 requests).
    // Off unless the user asked for a level (set, not only defaulted: Netty may have been loaded before the mesh).
    static {
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    /**
     * Splices move bulk data: a channel stays writable up to 2 MiB queued (Netty's 64 KiB would stop the other side's
     * reads every few frames), and reads grow up to 256 KiB (fewer, larger DATA frames).
     */
    public static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024);
    public static final AdaptiveRecvByteBufAllocator READS = new AdaptiveRecvByteBufAllocator(2048, 65536,
            256 * 1024);

    private final boolean epoll;
    private final EventLoopGroup group;
    private final EventLoop outbound;
    private final EventLoop inbound;
    private final ByteBufAllocator allocator;

    public Transport() {
        epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        int threads = Runtime.getRuntime().availableProcessors() >= 2 ? 2 : 1;
        group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("ward-mesh", true), io);
        outbound = group.next();
        inbound = group.next();
        // A pooled arena per loop thread, caches on loop threads only. Netty 4.2's default (adaptive) allocator
        // halved bulk throughput here: buffers read on one loop are released on the other, and it kept
        // allocating fresh native memory.
        allocator = new PooledByteBufAllocator(true, 0, threads, 8192, 9, 256, 64, false);
    }

    /** The mesh's own buffer pool: every channel of the mesh allocates from it. */
    public ByteBufAllocator allocator() {
        return allocator;
    }

    public EventLoopGroup group() {
        return group;
    }

    /**
     * The loop of everything outbound: the proxy and capture ports' connections, the HBONE client connections, the
     * passthrough connections. A client connection and the HBONE stream that carries it then share one thread: no
     * hand-over between threads (a wake-up each) for every read.
     */
    public EventLoop outbound() {
        return outbound;
    }

    /** The loop of everything inbound (the HBONE port, its streams, their local connections): the other thread. */
    public EventLoop inbound() {
        return inbound;
    }

    public String name() {
        return epoll ? "epoll" : "nio";
    }

    public Class<? extends ServerChannel> serverChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> socketChannel() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** A client bootstrap for a plain TCP connection that may be half-closed (spliced connections are). */
    public Bootstrap tcpClient(EventLoop loop) {
        return new Bootstrap().group(loop).channel(socketChannel())
                .option(ChannelOption.ALLOCATOR, allocator)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.RECVBUF_ALLOCATOR, READS)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
