package dev.ward.mesh.hbone;

import dev.ward.mesh.InboundHttp;
import dev.ward.mesh.MeshCounters;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * HTTP/2 with prior knowledge (h2c) inside an inbound tunnel, decided per stream: the tunnel stops being a byte
 * splice and becomes an HTTP/2 proxy. The client's bytes go into a server codec on the HBONE stream (the
 * {@link HttpGate} before it unwraps and wraps DATA frames; {@link H2cFrontend} after it), the application gets its
 * own client connection, and each client stream is decided on its HEADERS ({@link H2cStream}): allowed, it is relayed frame by frame on a stream
 * of the application's connection; denied, it is answered {@code :status 403} and {@code RBAC: access denied}
 * while the others go on. HPACK, SETTINGS and flow control are each side's own, so a denied stream never reaches
 * the application. What the application sent before (its SETTINGS) was held ({@link AppHold}) and goes to the
 * proxy's client codec once the gate opens the hold. The two channels share one event loop (the local connection is made on the stream's).
 */
final class H2cBridge {

    private H2cBridge() {
    }

    /**
     * Replaces the splice of {@code stream} (at {@code gate}) and {@code app} with the two codecs; the bytes the
     * gate fires next (the preface first) are the client's HTTP/2 connection.
     */
    static void install(ChannelHandlerContext gate, Channel app, InboundHttp http, MeshCounters counters) {
        Channel stream = gate.channel();
        stream.pipeline().remove("splice");
        app.pipeline().remove("splice");
        stream.closeFuture().addListener(f -> app.close());
        app.closeFuture().addListener(f -> stream.close());
        app.pipeline().addAfter("l7-hold", "h2c", Http2FrameCodecBuilder.forClient()
                .initialSettings(Http2Settings.defaultSettings().pushEnabled(false)).validateHeaders(true).build());
        app.pipeline().addAfter("h2c", "h2c-streams", new Http2MultiplexHandler(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.close();
            }
        }));
        stream.pipeline().addAfter(gate.name(), "h2c", Http2FrameCodecBuilder.forServer().validateHeaders(true)
                .build());
        stream.pipeline().addAfter("h2c", "h2c-streams", new H2cFrontend(app, http, counters));
    }
}
