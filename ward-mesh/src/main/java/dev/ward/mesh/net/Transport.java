package dev.ward.mesh.net;

import io.netty.channel.ChannelOption;
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
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The mesh's one event loop group and its channel classes: epoll when the native transport loads, NIO otherwise;
 * one thread, two when the task has two or more CPUs. Daemon threads named {@code ward-mesh-*}: they never keep the
 * agent alive.
 */
public final class Transport implements AutoCloseable {

    private final boolean epoll;
    private final EventLoopGroup group;

    public Transport() {
        epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        int threads = Runtime.getRuntime().availableProcessors() >= 2 ? 2 : 1;
        group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("ward-mesh", true), io);
    }

    public EventLoopGroup group() {
        return group;
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
    public Bootstrap tcpClient(io.netty.channel.EventLoop loop) {
        return new Bootstrap().group(loop).channel(socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
