package dev.ward.bench.mesh;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The control for the mesh's latency: a plain TCP forwarder on one epoll loop thread of its own, no TLS, no HTTP/2,
 * no policy. Each accepted connection is joined to a new connection to {@code target} on the same loop; bytes read
 * on one side are written to the other and flushed at the end of each read, as the mesh's splice does. Two in
 * series cost a request the same thread wake-ups as the mesh's two proxies, and almost none of their CPU.
 */
final class TcpRelay implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("tcp-relay", true), EpollIoHandler.newFactory());
    private final Channel server;

    TcpRelay(InetSocketAddress target) throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel in) {
                        new Bootstrap().group(in.eventLoop()).channel(EpollSocketChannel.class)
                                .option(ChannelOption.TCP_NODELAY, true)
                                .handler(new Forward(in))
                                .connect(target).addListener((ChannelFutureListener) f -> {
                                    if (!f.isSuccess()) {
                                        in.close();
                                        return;
                                    }
                                    in.pipeline().addLast(new Forward(f.channel()));
                                    in.config().setAutoRead(true);
                                });
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Forward extends ChannelInboundHandlerAdapter {
        private final Channel peer;

        Forward(Channel peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            peer.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            peer.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            peer.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
