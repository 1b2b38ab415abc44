package dev.ward.mesh;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An h2c (prior knowledge) application: answers every stream "h2 METHOD PATH BODYLENGTH" and records the same. */
final class H2cApp implements AutoCloseable {
    final List<String> seen = new CopyOnWriteArrayList<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    H2cApp() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new Http2MultiplexHandler(
                                new ChannelInitializer<Http2StreamChannel>() {
                                    @Override
                                    protected void initChannel(Http2StreamChannel s) {
                                        s.pipeline().addLast(new Answer());
                                    }
                                }));
                    }
                }).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    private final class Answer extends ChannelInboundHandlerAdapter {
        private String request;
        private int length;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            boolean end = false;
            if (msg instanceof Http2HeadersFrame h) {
                request = h.headers().method() + " " + h.headers().path();
                end = h.isEndStream();
            } else if (msg instanceof Http2DataFrame d) {
                length += d.content().readableBytes();
                end = d.isEndStream();
            }
            ReferenceCountUtil.release(msg);
            if (end) {
                String said = "h2 " + request + " " + length;
                seen.add(said);
                ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")));
                ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer(said + "\n",
                        StandardCharsets.UTF_8), true));
            }
        }
    }
}
