package dev.ward.mesh;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An HBONE client written for the wire tests, independent of the mesh's: TLS 1.3 (JDK engine), ALPN h2, no SNI,
 * a client certificate of the test's choosing, raw HTTP/2 frames.
 */
final class RawHbone implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    /** What came back on one stream. */
    record Response(int status, byte[] body) {
    }

    RawHbone(InetSocketAddress server, WorkloadCertificate certificate) throws Exception {
        SslContext tls = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols("TLSv1.3")
                .keyManager(certificate.key(), certificate.chain().toArray(X509Certificate[]::new))
                .trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2))
                .build();
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build());
                        ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                })
                .connect(server).sync().channel();
        channel.pipeline().get(SslHandler.class).handshakeFuture().sync();
    }

    /** Sends HEADERS (and {@code body} as DATA with END_STREAM when not null); waits for the response. */
    /** This client's end of the TCP connection: the address the server sees it connect from. */
    InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    Response request(Http2Headers headers, byte[] body) throws Exception {
        CompletableFuture<Integer> status = new CompletableFuture<>();
        CompletableFuture<byte[]> data = new CompletableFuture<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(channel)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        if (msg instanceof Http2HeadersFrame h && h.headers().status() != null) {
                            status.complete(Integer.parseInt(h.headers().status().toString()));
                            if (h.isEndStream()) {
                                data.complete(received.toByteArray());
                            }
                        } else if (msg instanceof Http2DataFrame d) {
                            ByteBuf c = d.content();
                            byte[] b = new byte[c.readableBytes()];
                            c.readBytes(b);
                            received.writeBytes(b);
                            if (d.isEndStream()) {
                                data.complete(received.toByteArray());
                            }
                        }
                        ReferenceCountUtil.release(msg);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        ctx.close();
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        status.complete(-1);
                        data.complete(received.toByteArray());
                    }
                }).open().sync().getNow();
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, false));
        if (body != null) {
            stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), true));
        }
        int code = status.get(10, TimeUnit.SECONDS);
        if (code != 200 || body == null) {
            stream.close();
            return new Response(code, new byte[0]);
        }
        return new Response(code, data.get(10, TimeUnit.SECONDS));
    }

    boolean isActive() {
        return channel.isActive();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
