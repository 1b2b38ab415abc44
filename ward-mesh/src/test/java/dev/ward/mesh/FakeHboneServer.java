package dev.ward.mesh;

import io.netty.bootstrap.ServerBootstrap;
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
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * A stand-in HBONE server (JDK TLS) that records what the mesh's client sends: any SNI (an SNIMatcher is only asked
 * when the ClientHello carries server_name), the TLS version and ALPN, the first SETTINGS, the CONNECT headers and
 * the connection window it granted. It answers {@code status} and echoes DATA.
 */
final class FakeHboneServer implements AutoCloseable {

    final ConcurrentLinkedQueue<SNIServerName> serverNames = new ConcurrentLinkedQueue<>();
    final CompletableFuture<String> protocol = new CompletableFuture<>();
    final CompletableFuture<String> alpn = new CompletableFuture<>();
    final CompletableFuture<Http2Settings> settings = new CompletableFuture<>();
    final CompletableFuture<Http2Headers> request = new CompletableFuture<>();
    final CompletableFuture<Integer> connectionWindow = new CompletableFuture<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    FakeHboneServer(WorkloadCertificate certificate, int status) throws Exception {
        SslContext tls = SslContextBuilder.forServer(certificate.key(),
                        certificate.chain().toArray(X509Certificate[]::new))
                .sslProvider(SslProvider.JDK).protocols("TLSv1.3", "TLSv1.2").clientAuth(ClientAuth.REQUIRE)
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                .build();
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = tls.newHandler(ch.alloc());
                        SSLEngine engine = ssl.engine();
                        SSLParameters p = engine.getSSLParameters();
                        p.setSNIMatchers(List.of(new SNIMatcher(0) {
                            @Override
                            public boolean matches(SNIServerName name) {
                                serverNames.add(name);
                                return true;
                            }
                        }));
                        engine.setSSLParameters(p);
                        ssl.handshakeFuture().addListener(f -> {
                            protocol.complete(engine.getSession().getProtocol());
                            alpn.complete(ssl.applicationProtocol());
                        });
                        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer().build();
                        ch.pipeline().addLast(ssl, codec);
                        ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                            @Override
                            protected void initChannel(Http2StreamChannel stream) {
                                stream.pipeline().addLast(new Answer(status, codec));
                            }
                        }));
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof Http2SettingsFrame s) {
                                    settings.complete(s.settings());
                                }
                                ReferenceCountUtil.release(msg);
                            }
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

    private final class Answer extends ChannelInboundHandlerAdapter {
        private final int status;
        private final Http2FrameCodec codec;

        Answer(int status, Http2FrameCodec codec) {
            this.status = status;
            this.codec = codec;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2HeadersFrame h && !request.isDone()) {
                request.complete(h.headers());
                var conn = codec.connection();
                connectionWindow.complete(conn.remote().flowController().windowSize(conn.connectionStream()));
                ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers()
                        .status(String.valueOf(status)), status != 200));
            } else if (msg instanceof Http2DataFrame d) {
                ctx.writeAndFlush(new DefaultHttp2DataFrame(d.content().retain(), d.isEndStream()));
            }
            ReferenceCountUtil.release(msg);
        }
    }
}
