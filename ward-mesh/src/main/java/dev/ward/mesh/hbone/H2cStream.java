package dev.ward.mesh.hbone;

import dev.ward.mesh.HttpHead;
import dev.ward.mesh.InboundHttp;
import dev.ward.mesh.MeshCounters;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One client stream of an h2c tunnel ({@link H2cBridge}): decided on its HEADERS, then relayed frame by frame to a
 * stream of the application's connection and back, or answered 403 (400 for a path the policies must not see).
 * A reset or an abnormal end on one side resets the other. Event loop of the tunnel (both connections share it).
 */
final class H2cStream {
    private final ChannelHandlerContext front;
    private final Http2FrameStream stream;
    private final Channel app;
    private final InboundHttp http;
    private final MeshCounters counters;
    private final List<Object> pending = new ArrayList<>();
    private Channel upstream;
    private boolean decided;
    private boolean refused;
    private boolean closed;
    private boolean answered;
    private int pendingBytes;

    H2cStream(ChannelHandlerContext front, Http2FrameStream stream, Channel app, InboundHttp http,
              MeshCounters counters) {
        this.front = front;
        this.stream = stream;
        this.app = app;
        this.http = http;
        this.counters = counters;
    }

    /**
     * A HEADERS or DATA frame of the client's. DATA is acknowledged to the client (WINDOW_UPDATE) once the
     * application's connection took it, so a slow application slows the client instead of filling memory.
     */
    void fromClient(Object msg) {
        int bytes = msg instanceof Http2DataFrame d ? d.initialFlowControlledBytes() : 0;
        if (refused || closed) {
            ReferenceCountUtil.release(msg);
            ack(bytes);
        } else if (!decided) {
            decided = true;
            decide((Http2HeadersFrame) msg);
        } else {
            Object copy = copy(msg);
            if (copy == null) {
                ack(bytes);
            } else if (upstream == null) {
                pending.add(copy);
                pendingBytes += bytes;
            } else {
                upstream.write(copy).addListener(f -> ack(bytes));
            }
        }
    }

    void flush() {
        if (upstream != null) {
            upstream.flush();
        }
    }

    /** The client reset the stream (or its connection ended): so is the application's. */
    void reset() {
        closed = true;
        release();
        if (upstream != null) {
            upstream.close();
        }
    }

    /** The client's stream is closed both ways. */
    void closed() {
        closed = true;
        release();
        if (upstream != null && !answered) {
            upstream.close();
        }
    }

    private void decide(Http2HeadersFrame frame) {
        InboundHttp.Verdict verdict;
        try {
            verdict = http.request(new Head(frame.headers()));
        } catch (RuntimeException e) {
            counters.fault();
            verdict = InboundHttp.Verdict.DENY;
        }
        if (verdict == InboundHttp.Verdict.ALLOW) {
            pending.add(copy(frame));
            new Http2StreamChannelBootstrap(app).handler(new Back()).open().addListener(f -> {
                if (!f.isSuccess() || closed) {
                    resetClient();
                    release();
                    if (f.isSuccess()) {
                        ((Channel) f.getNow()).close();
                    }
                    return;
                }
                upstream = (Http2StreamChannel) f.getNow();
                ChannelFuture last = null;
                for (Object o : pending) {
                    last = upstream.write(o);
                }
                pending.clear();
                upstream.flush();
                int bytes = pendingBytes;
                pendingBytes = 0;
                if (last != null) {
                    last.addListener(g -> ack(bytes));
                }
            });
            return;
        }
        refused = true;
        boolean requestEnded = frame.isEndStream();
        ReferenceCountUtil.release(frame);
        boolean denied = verdict == InboundHttp.Verdict.DENY;
        byte[] body = (denied ? "RBAC: access denied" : "Bad Request").getBytes(StandardCharsets.US_ASCII);
        front.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status(denied ? "403" : "400")
                .set("content-type", "text/plain").setInt("content-length", body.length)).stream(stream));
        front.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), true).stream(stream))
                .addListener(f -> {
                    if (!requestEnded) {
                        resetClient(); // the rest of the request is not wanted, as Envoy does
                    }
                });
    }

    private void resetClient() {
        if (!closed && stream.state() != Http2Stream.State.CLOSED) {
            front.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL).stream(stream));
        }
    }

    private void release() {
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        ack(pendingBytes);
        pendingBytes = 0;
    }

    private void ack(int bytes) {
        if (bytes > 0 && stream.state() != Http2Stream.State.CLOSED) {
            front.writeAndFlush(new DefaultHttp2WindowUpdateFrame(bytes).stream(stream));
        }
    }

    /** The frame for the other side (a frame belongs to its stream), or null for frames that are not relayed. */
    static Object copy(Object msg) {
        if (msg instanceof Http2HeadersFrame h) {
            return new DefaultHttp2HeadersFrame(h.headers(), h.isEndStream());
        }
        if (msg instanceof Http2DataFrame d) {
            DefaultHttp2DataFrame out = new DefaultHttp2DataFrame(d.content().retain(), d.isEndStream());
            d.release();
            return out;
        }
        ReferenceCountUtil.release(msg);
        return null;
    }

    /** The application's stream: its answer goes back to the client's stream. */
    private final class Back extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Object copy = copy(msg);
            if (copy instanceof Http2StreamFrame frame && !closed) {
                answered |= copy instanceof Http2HeadersFrame h && h.isEndStream()
                        || copy instanceof Http2DataFrame d && d.isEndStream();
                front.write(frame.stream(stream));
            } else {
                ReferenceCountUtil.release(copy);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            front.flush();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof Http2ResetFrame) {
                resetClient();
            }
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            front.flush();
            if (!answered) {
                resetClient();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** An HTTP/2 request's head as the authorizer sees it: pseudo-headers as method, path and authority. */
    private record Head(Http2Headers headers, List<Map.Entry<CharSequence, CharSequence>> fields) implements HttpHead {
        Head(Http2Headers headers) {
            this(headers, new ArrayList<>(headers.size()));
            for (Map.Entry<CharSequence, CharSequence> e : headers) {
                if (e.getKey().length() == 0 || e.getKey().charAt(0) != ':') {
                    fields.add(e);
                }
            }
        }

        @Override
        public CharSequence method() {
            return headers.method();
        }

        @Override
        public CharSequence path() {
            return headers.path();
        }

        @Override
        public CharSequence authority() {
            return headers.authority();
        }

        @Override
        public CharSequence version() {
            return "HTTP/2";
        }

        @Override
        public int headerCount() {
            return fields.size();
        }

        @Override
        public CharSequence headerName(int i) {
            return fields.get(i).getKey();
        }

        @Override
        public CharSequence headerValue(int i) {
            return fields.get(i).getValue();
        }
    }
}
