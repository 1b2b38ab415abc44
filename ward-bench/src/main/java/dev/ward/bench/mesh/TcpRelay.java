package dev.ward.bench.mesh;

import dev.ward.mesh.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
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
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The controls for the mesh: a TCP forwarder on one epoll loop thread of its own, no HTTP/2, no policy, optionally
 * with TLS on one side. Each accepted connection is joined to a new connection to {@code target} on the same loop;
 * bytes read on one side are written to the other and flushed at the end of each read, as the mesh's splice does,
 * and a side stops reading while the other is over its write watermark (the mesh's watermarks, read sizes and
 * buffer pool). Two plain ones in series ({@link #plain}) cost a request the same thread wake-ups as the mesh's two
 * proxies, and almost none of their CPU; two with TLS between them ({@link #tlsOut} then {@link #tlsIn}, the mesh's
 * TLS contexts: mutual TLS 1.3, the same engine) cost what TLS alone costs, without HTTP/2. The end of a connection
 * closes the other side (no half-close: the bulk sink closes once it has every byte).
 */
final class TcpRelay implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel server;

    private TcpRelay(String name, InetSocketAddress target, SslContext accepted, SslContext dialed)
            throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(name, true), EpollIoHandler.newFactory());
        PooledByteBufAllocator allocator = new PooledByteBufAllocator(true, 0, 1, 8192, 9, 256, 64, false);
        server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOCATOR, allocator)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, Transport.WATER_MARK)
                .childOption(ChannelOption.RECVBUF_ALLOCATOR, Transport.READS)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel in) {
                        if (accepted != null) {
                            in.pipeline().addLast(accepted.newHandler(in.alloc()));
                        }
                        new Bootstrap().group(in.eventLoop()).channel(EpollSocketChannel.class)
                                .option(ChannelOption.TCP_NODELAY, true)
                                .option(ChannelOption.ALLOCATOR, allocator)
                                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, Transport.WATER_MARK)
                                .option(ChannelOption.RECVBUF_ALLOCATOR, Transport.READS)
                                .handler(new ChannelInitializer<SocketChannel>() {
                                    @Override
                                    protected void initChannel(SocketChannel out) {
                                        if (dialed != null) {
                                            out.pipeline().addLast(dialed.newHandler(out.alloc()));
                                        }
                                        out.pipeline().addLast(new Forward(in));
                                    }
                                })
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

    /** Plain TCP both sides. */
    static TcpRelay plain(InetSocketAddress target) throws InterruptedException {
        return new TcpRelay("tcp-relay", target, null, null);
    }

    /** Accepts plain TCP, dials {@code target} with TLS ({@code client}: a mesh client context). */
    static TcpRelay tlsOut(InetSocketAddress target, SslContext client) throws InterruptedException {
        return new TcpRelay("tls-relay", target, null, client);
    }

    /** Accepts TLS ({@code server}: a mesh server context, mutual), dials {@code target} in plain TCP. */
    static TcpRelay tlsIn(InetSocketAddress target, SslContext server) throws InterruptedException {
        return new TcpRelay("tls-relay", target, server, null);
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

        /** This side's writes queue up (or drain): the peer, whose bytes they are, stops (or resumes) reading. */
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            peer.config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
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
