package dev.ward.mesh.hbone;

import dev.ward.mesh.InboundHttp;
import dev.ward.mesh.MeshCounters;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2FrameStreamEvent;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.HashMap;
import java.util.Map;

/**
 * The client's side of an h2c tunnel, after the server codec: the frames of each client stream go to its
 * {@link H2cStream}. Netty's multiplexer is not used here because it takes stream 1 of a connection whose parent is
 * not a server channel (an HBONE stream's parent is the TLS connection) for an HTTP/1.1 upgrade. SETTINGS and PING
 * are answered by the codec.
 */
final class H2cFrontend extends ChannelInboundHandlerAdapter {
    private final Channel app;
    private final InboundHttp http;
    private final MeshCounters counters;
    private final Map<Integer, H2cStream> streams = new HashMap<>();

    H2cFrontend(Channel app, InboundHttp http, MeshCounters counters) {
        this.app = app;
        this.http = http;
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Http2StreamFrame frame) || frame.stream() == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        int id = frame.stream().id();
        H2cStream s = streams.get(id);
        if (s == null) {
            if (!(msg instanceof Http2HeadersFrame headers)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            s = new H2cStream(ctx, headers.stream(), app, http, counters);
            streams.put(id, s);
        }
        if (msg instanceof Http2ResetFrame) {
            s.reset();
        } else {
            s.fromClient(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        streams.values().forEach(H2cStream::flush);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof Http2FrameStreamEvent e && e.type() == Http2FrameStreamEvent.Type.State
                && e.stream().state() == Http2Stream.State.CLOSED) {
            H2cStream s = streams.remove(e.stream().id());
            if (s != null) {
                s.closed();
            }
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        streams.values().forEach(H2cStream::reset);
        streams.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        counters.fault();
        ctx.close();
    }
}
