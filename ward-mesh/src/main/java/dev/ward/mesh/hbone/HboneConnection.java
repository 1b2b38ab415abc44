package dev.ward.mesh.hbone;

import dev.ward.mesh.MeshCounters;
import dev.ward.mesh.MeshPeer;
import dev.ward.mesh.SpiffeId;
import dev.ward.mesh.net.CloseOnError;
import dev.ward.mesh.net.HostPort;
import dev.ward.mesh.net.Transport;
import dev.ward.mesh.tls.PeerIdentity;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * One pooled TLS + HTTP/2 connection to a peer's HBONE port. The handshake sends no SNI; the server must prove the
 * SPIFFE ID discovery expects ({@link MeshPeer#id()}), checked before the connection is used. Streams are counted by
 * the pool (its lock guards {@link #reserved}, {@link #retired} and {@link #idleSince}).
 */
final class HboneConnection {

    final Channel channel;
    final CompletableFuture<SpiffeId> ready;
    int reserved;
    boolean retired;
    long idleSince;

    private HboneConnection(Channel channel, CompletableFuture<SpiffeId> ready) {
        this.channel = channel;
        this.ready = ready;
    }

    static HboneConnection connect(Transport transport, SslContext client, MeshPeer peer, MeshCounters counters) {
        CompletableFuture<SpiffeId> ready = new CompletableFuture<>();
        ChannelFuture connect = new Bootstrap().group(transport.outbound()).channel(transport.socketChannel())
                .option(ChannelOption.ALLOCATOR, transport.allocator())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, Transport.WATER_MARK)
                .option(ChannelOption.RECVBUF_ALLOCATOR, Transport.READS)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("tls", client.newHandler(ch.alloc()));
                        ch.pipeline().addLast("alpn", new Negotiated(peer, counters, ready));
                    }
                })
                .connect(peer.hbone());
        connect.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                ready.completeExceptionally(new HboneException("HBONE connect to " + peer.hbone() + " ("
                        + peer.id() + "): " + f.cause().getMessage(), f.cause()));
                f.channel().close();
            }
        });
        connect.channel().closeFuture().addListener(f -> ready.completeExceptionally(
                new HboneException("HBONE connection to " + peer.hbone() + " closed")));
        return new HboneConnection(connect.channel(), ready);
    }

    /** Opens a CONNECT stream to {@code destination} on behalf of {@code client}; see {@link HboneCallbacks}. */
    void openStream(InetSocketAddress destination, InetSocketAddress client, HboneCallbacks callbacks,
                    Runnable closed) {
        ready.whenComplete((peerId, error) -> {
            if (error != null) {
                closed.run();
                callbacks.failed(error);
                return;
            }
            new Http2StreamChannelBootstrap(channel)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, Transport.WATER_MARK)
                    .option(ChannelOption.ALLOCATOR, channel.alloc()).handler(new ResponseGate(callbacks)).open().addListener(f -> {
                if (!f.isSuccess()) {
                    closed.run();
                    callbacks.failed(new HboneException("HBONE stream to " + peerId + ": " + f.cause(), f.cause()));
                    return;
                }
                Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
                stream.closeFuture().addListener(g -> closed.run());
                stream.writeAndFlush(new DefaultHttp2HeadersFrame(request(destination, client), false));
                callbacks.opened(stream, peerId);
            });
        });
    }

    /** ztunnel's request: CONNECT, {@code :authority} ip:port, no :path or :scheme, {@code forwarded: for=}. */
    static Http2Headers request(InetSocketAddress destination, InetSocketAddress client) {
        Http2Headers h = new DefaultHttp2Headers().method("CONNECT").authority(HostPort.format(destination));
        if (client != null && client.getAddress() != null) {
            h.add("forwarded", "for=\"" + HostPort.format(client) + "\"");
        }
        return h;
    }

    private static final class Negotiated extends ApplicationProtocolNegotiationHandler {
        private final MeshPeer peer;
        private final MeshCounters counters;
        private final CompletableFuture<SpiffeId> ready;

        Negotiated(MeshPeer peer, MeshCounters counters, CompletableFuture<SpiffeId> ready) {
            super("none");
            this.peer = peer;
            this.counters = counters;
            this.ready = ready;
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) throws Exception {
            if (!ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                counters.handshakeFailure();
                ready.completeExceptionally(new HboneException("HBONE peer " + peer.hbone()
                        + " did not negotiate h2 (ALPN: " + protocol + ")"));
                ctx.close();
                return;
            }
            SpiffeId presented = PeerIdentity.of(ctx.pipeline().get(SslHandler.class).engine().getSession());
            if (!presented.equals(peer.id())) {
                counters.handshakeFailure();
                ready.completeExceptionally(new HboneException("HBONE peer " + peer.hbone() + " is " + presented
                        + ", expected " + peer.id()));
                ctx.close();
                return;
            }
            Http2FrameCodec codec = H2.clientCodec();
            ctx.pipeline().addLast("h2", codec);
            ctx.pipeline().addLast("streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                @Override
                protected void initChannel(Http2StreamChannel pushed) {
                    pushed.close();
                }
            }));
            ctx.pipeline().addLast("errors", new CloseOnError(counters));
            H2.raiseConnectionWindow(ctx.channel(), codec);
            ready.complete(presented);
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            counters.handshakeFailure();
            ready.completeExceptionally(new HboneException("TLS handshake with " + peer.hbone() + " ("
                    + peer.id() + "): " + cause.getMessage(), cause));
            ctx.close();
        }
    }
}
