package dev.ward.mesh.hbone;

import dev.ward.mesh.InboundHttp;
import dev.ward.mesh.MeshCounters;
import dev.ward.mesh.net.Splice;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * L7 authorization inside one inbound tunnel, between the HBONE stream and the splice to the application: the
 * client's bytes are read as HTTP/1.1 requests ({@link Http1Parser}; keep-alive and pipelining; Content-Length and
 * chunked bodies followed, never changed) and each head is decided before any of its bytes reach the application.
 * Allowed requests are forwarded byte for byte.
 *
 * <p>A refused request (403 {@code RBAC: access denied}, 400, 431) ends the connection: nothing more of the client's
 * reaches the application, which gets a FIN and so finishes the answers to the requests before it, in order; the
 * refusal is sent after them, with {@code connection: close}, in place of the end of the application's stream. An
 * application that keeps its side open for {@link #CLOSE_WAIT_SECONDS} after that FIN is reset.
 *
 * <p>HTTP/2 with prior knowledge (its preface) turns the tunnel into an HTTP/2 proxy decided per stream
 * ({@link H2cBridge}); this handler then only unwraps and wraps the bytes of the HBONE stream. Other traffic that is
 * not HTTP/1.1 (and what follows a CONNECT or Upgrade request) is decided once by {@link InboundHttp#unparsed}:
 * passed unparsed when allowed, else the tunnel is reset.
 * Event-loop thread of the stream only.
 */
final class HttpGate extends ChannelDuplexHandler {
    static final int CLOSE_WAIT_SECONDS = 30;

    private enum State { HEAD, LENGTH, CHUNKED, PASS, DROP, H2 }

    private final InboundHttp http;
    private final Channel app;
    private final AppHold hold;
    private final Splice splice;
    private final MeshCounters counters;
    private final Http1Parser parser = new Http1Parser();
    private final ChunkedBody chunks = new ChunkedBody();
    private State state = State.HEAD;
    private ByteBuf held;
    private long remaining;
    private boolean tunnelAfterBody;
    private ByteBuf refusal;
    private boolean started;

    HttpGate(InboundHttp http, Channel app, AppHold hold, Splice splice, MeshCounters counters) {
        this.http = http;
        this.app = app;
        this.hold = hold;
        this.splice = splice;
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2DataFrame frame) {
            boolean end = frame.isEndStream();
            ByteBuf data = frame.content().retain();
            frame.release();
            bytes(ctx, data);
            if (end) {
                ended(ctx);
            }
        } else if (msg instanceof Http2HeadersFrame headers && headers.isEndStream()) {
            ReferenceCountUtil.release(headers);
            ended(ctx);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    /** The application's end of stream is where a refusal goes: after every answer the application gave. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (state == State.H2 && msg instanceof ByteBuf bytes) {
            ctx.write(new DefaultHttp2DataFrame(bytes), promise);
            return;
        }
        if (refusal != null && msg instanceof Http2DataFrame frame && frame.isEndStream()) {
            ctx.write(new DefaultHttp2DataFrame(refusal, false));
            refusal = null;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }

    private void bytes(ChannelHandlerContext ctx, ByteBuf data) {
        try {
            while (data.isReadable()) {
                switch (state) {
                    case PASS, H2 -> ctx.fireChannelRead(data.readRetainedSlice(data.readableBytes()));
                    case DROP -> {
                        return;
                    }
                    case HEAD -> {
                        if (held != null) {
                            held.writeBytes(data);
                            data.release();
                            data = held;
                            held = null;
                        }
                        if (!head(ctx, data)) {
                            held = data.isReadable() && state == State.HEAD ? copy(ctx, data) : null;
                            return;
                        }
                    }
                    case LENGTH -> {
                        int n = (int) Math.min(remaining, data.readableBytes());
                        ctx.fireChannelRead(data.readRetainedSlice(n));
                        remaining -= n;
                        if (remaining == 0) {
                            bodyDone(ctx);
                        }
                    }
                    case CHUNKED -> chunk(ctx, data);
                }
            }
        } finally {
            data.release();
        }
    }

    /** Decides the head at {@code data}'s start; false when more bytes are needed or the request went no further. */
    private boolean head(ChannelHandlerContext ctx, ByteBuf data) {
        switch (parser.parse(data)) {
            case MORE -> {
                return false;
            }
            case H2C -> {
                if (started) {
                    return unparsed(ctx, "h2c after HTTP/1.1");
                }
                state = State.H2;
                H2cBridge.install(ctx, app, http, counters);
                hold.open();
                ctx.fireChannelRead(data.readRetainedSlice(data.readableBytes()));
                return false;
            }
            case NOT_HTTP -> {
                return unparsed(ctx, "not http");
            }
            case TOO_LARGE -> refuse(ctx, 431, "Request Header Fields Too Large", parser.problem);
            case BAD -> refuse(ctx, 400, "Bad Request", parser.problem);
            case HEAD -> {
                started = true;
                InboundHttp.Verdict verdict = decide();
                if (verdict == InboundHttp.Verdict.ALLOW) {
                    hold.open();
                    ctx.fireChannelRead(data.readRetainedSlice(parser.headLength));
                    tunnelAfterBody = parser.tunnel;
                    if (parser.chunked) {
                        chunks.reset();
                        state = State.CHUNKED;
                    } else if (parser.contentLength > 0) {
                        remaining = parser.contentLength;
                        state = State.LENGTH;
                    } else {
                        bodyDone(ctx);
                    }
                    return true;
                }
                if (verdict == InboundHttp.Verdict.DENY) {
                    refuse(ctx, 403, "Forbidden", "RBAC: access denied");
                } else {
                    refuse(ctx, 400, "Bad Request", "Bad Request");
                }
            }
        }
        return false;
    }

    private InboundHttp.Verdict decide() {
        try {
            return http.request(parser);
        } catch (RuntimeException e) {
            counters.fault();
            return InboundHttp.Verdict.DENY;
        }
    }

    private void chunk(ChannelHandlerContext ctx, ByteBuf data) {
        int n = chunks.scan(data);
        if (n > 0) {
            ctx.fireChannelRead(data.readRetainedSlice(n));
        }
        if (chunks.bad()) {
            state = State.DROP;
            splice.abort("malformed chunked request body");
        } else if (chunks.done()) {
            bodyDone(ctx);
        }
    }

    private void bodyDone(ChannelHandlerContext ctx) {
        state = State.HEAD;
        if (tunnelAfterBody) {
            tunnelAfterBody = false;
            if (allowedUnparsed("upgrade")) {
                state = State.PASS;
            } else {
                endApplication(ctx);
            }
        }
    }

    private boolean unparsed(ChannelHandlerContext ctx, String why) {
        if (allowedUnparsed(why)) {
            state = State.PASS;
            hold.open();
            return true;
        }
        state = State.DROP;
        splice.abort("denied by policy: " + why);
        return false;
    }

    private boolean allowedUnparsed(String why) {
        try {
            return http.unparsed(why);
        } catch (RuntimeException e) {
            counters.fault();
            return false;
        }
    }

    /**
     * Answers {@code status} once the application has answered what it already got; {@code body} is the answer's
     * text ({@code detail} of a 400 or 431 is the parser's reason, kept out of the body as Envoy does).
     */
    private void refuse(ChannelHandlerContext ctx, int status, String phrase, String detail) {
        String body = status == 403 ? detail : phrase;
        refusal = Unpooled.copiedBuffer("HTTP/1.1 " + status + " " + phrase + "\r\ncontent-length: " + body.length()
                + "\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n" + body,
                java.nio.charset.StandardCharsets.US_ASCII);
        endApplication(ctx);
        ctx.executor().schedule(() -> {
            if (refusal != null) {
                splice.abort("the application kept its side open after a refused request");
            }
        }, CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Ends what the client sends to the application (a FIN): the splice counts that direction as done. */
    private void endApplication(ChannelHandlerContext ctx) {
        state = State.DROP;
        hold.open();
        ctx.fireChannelRead(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true));
        ctx.fireChannelReadComplete();
    }

    /** The client ended its stream: a head still incomplete is decided as what it is, not HTTP. */
    private void ended(ChannelHandlerContext ctx) {
        if (state == State.DROP) {
            return;
        }
        if (state == State.H2) {
            ctx.channel().close(); // an HTTP/2 client is done when it ends its side: the bridge closes the rest
            return;
        }
        if (state == State.HEAD && held != null) {
            ByteBuf rest = held;
            held = null;
            if (unparsed(ctx, "not http")) {
                ctx.fireChannelRead(rest);
            } else {
                rest.release();
                return;
            }
        }
        endApplication(ctx);
    }

    private static ByteBuf copy(ChannelHandlerContext ctx, ByteBuf data) {
        return ctx.alloc().buffer(Math.max(data.readableBytes(), 1024)).writeBytes(data);
    }

    private void release() {
        if (held != null) {
            held.release();
            held = null;
        }
        if (refusal != null) {
            refusal.release();
            refusal = null;
        }
    }
}
