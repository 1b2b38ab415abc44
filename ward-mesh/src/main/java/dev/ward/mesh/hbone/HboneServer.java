package dev.ward.mesh.hbone;

import dev.ward.mesh.InboundAuthorizer;
import dev.ward.mesh.InboundPeers;
import dev.ward.mesh.MeshCounters;
import dev.ward.mesh.MeshEvents;
import dev.ward.mesh.MeshSettings;
import dev.ward.mesh.SpiffeId;
import dev.ward.mesh.net.CloseOnError;
import dev.ward.mesh.net.Transport;
import dev.ward.mesh.tls.MeshTls;
import dev.ward.mesh.tls.PeerIdentity;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The inbound HBONE port (15008): mutual TLS 1.3 with ALPN h2 and a client in our trust domain, then HTTP/2 with
 * one child channel per CONNECT stream ({@link InboundStream}). Without a certificate the port accepts and closes.
 */
public final class HboneServer {

    /** The client's verified identity, set on the connection once its handshake completed. */
    static final AttributeKey<SpiffeId> PEER = AttributeKey.valueOf("ward.mesh.peer");

    private final Transport transport;
    private final MeshTls tls;
    private final Inbound inbound;
    private final MeshCounters counters;

    /** What every inbound stream needs. */
    record Inbound(MeshSettings settings, Transport transport, InboundAuthorizer authorizer, MeshEvents events,
                   MeshCounters counters, MeshTls tls, InboundPeers peers) {
    }

    public HboneServer(MeshSettings settings, Transport transport, MeshTls tls, InboundAuthorizer authorizer,
                       MeshEvents events, MeshCounters counters) {
        this(settings, transport, tls, authorizer, events, counters, InboundPeers.NONE);
    }

    /** {@code peers} learns the real client of each connection delivered to the application. */
    public HboneServer(MeshSettings settings, Transport transport, MeshTls tls, InboundAuthorizer authorizer,
                       MeshEvents events, MeshCounters counters, InboundPeers peers) {
        this.transport = transport;
        this.tls = tls;
        this.counters = counters;
        this.inbound = new Inbound(settings, transport, authorizer, events, counters, tls, peers);
    }

    /** Binds and returns the listening channel. */
    public Channel bind(InetSocketAddress address) throws InterruptedException {
        return new ServerBootstrap().group(transport.inbound()).channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.ALLOCATOR, transport.allocator())
                .childOption(ChannelOption.ALLOCATOR, transport.allocator())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, Transport.WATER_MARK)
                .childOption(ChannelOption.RECVBUF_ALLOCATOR, Transport.READS)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) throws Exception {
                        Optional<MeshTls.Contexts> contexts = tls.current();
                        if (contexts.isEmpty()) {
                            counters.inboundRefused();
                            ch.close();
                            return;
                        }
                        ch.pipeline().addLast("tls", contexts.get().server().newHandler(ch.alloc()));
                        ch.pipeline().addLast("alpn", new Negotiated());
                    }
                })
                .bind(address).sync().channel();
    }

    private final class Negotiated extends ApplicationProtocolNegotiationHandler {

        Negotiated() {
            super("none");
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) throws Exception {
            if (!ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                counters.handshakeFailure();
                ctx.close();
                return;
            }
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            ctx.channel().attr(PEER).set(PeerIdentity.of(ssl.engine().getSession()));
            Http2FrameCodec codec = H2.serverCodec();
            ctx.pipeline().addLast("h2", codec);
            ctx.pipeline().addLast("streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                @Override
                protected void initChannel(Http2StreamChannel stream) {
                    stream.config().setWriteBufferWaterMark(Transport.WATER_MARK);
                    stream.config().setAllocator(transport.allocator());
                    stream.pipeline().addLast("connect", new InboundStream(inbound));
                }
            }));
            ctx.pipeline().addLast("errors", new CloseOnError(counters));
            H2.raiseConnectionWindow(ctx.channel(), codec);
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            counters.handshakeFailure();
            ctx.close();
        }
    }
}
