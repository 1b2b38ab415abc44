package dev.ward.mesh.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Copies bytes both ways between two channels, each a TCP connection or an HTTP/2 stream (HBONE), until both
 * directions are done. Half-close carries over: a TCP FIN becomes END_STREAM and END_STREAM becomes
 * {@code shutdownOutput()}; a reset carries over too: RST_STREAM or a broken TCP connection aborts the other side
 * (RST_STREAM CANCEL, or a TCP reset with SO_LINGER 0). Backpressure: a side stops reading while the other cannot
 * take more. The two channels may live on different event loops: each side's handler runs on its own channel's
 * loop, and the shared state is atomic. {@code onEnd} runs once, after both channels closed.
 */
public final class Splice {

    private final Channel a;
    private final Channel b;
    private final AtomicLong fromA = new AtomicLong();
    private final AtomicLong fromB = new AtomicLong();
    private final AtomicInteger ended = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger(2);
    private final Consumer<Splice> onEnd;
    private volatile boolean aEnded;
    private volatile boolean bEnded;
    private volatile String error;

    private Splice(Channel a, Channel b, Consumer<Splice> onEnd) {
        this.a = a;
        this.b = b;
        this.onEnd = onEnd;
    }

    /**
     * Adds the splice's handler last in both pipelines (ahead of a {@link CloseOnError}). The caller then removes its
     * own handlers (bytes they still hold, handed on with fireChannelRead, are spliced) and calls {@link #start()}.
     */
    public static Splice join(Channel a, Channel b, Consumer<Splice> onEnd) {
        Splice s = new Splice(a, b, onEnd);
        s.install(a, b);
        s.install(b, a);
        Runnable closed = () -> {
            if (s.open.decrementAndGet() == 0) {
                s.onEnd.accept(s);
            }
        };
        a.closeFuture().addListener(f -> closed.run());
        b.closeFuture().addListener(f -> closed.run());
        if (!a.isActive() || !b.isActive()) {
            s.abort("closed before the splice started");
        }
        return s;
    }

    /** Starts reading on both sides. */
    public void start() {
        for (Channel c : new Channel[] {a, b}) {
            if (c instanceof DuplexChannel d && d.isInputShutdown()) {
                c.eventLoop().execute(() -> inputEnded(c));
            } else {
                resumeReading(c, true);
            }
        }
    }

    /** Aborts both sides (a reset each way) and records why. */
    public void abort(String reason) {
        if (error == null) {
            error = reason;
        }
        reset(a);
        reset(b);
    }

    public long bytesFromA() {
        return fromA.get();
    }

    public long bytesFromB() {
        return fromB.get();
    }

    /** Why the splice ended abnormally, null when both directions finished. */
    public String error() {
        return error;
    }

    /** Last in the pipeline, but ahead of a {@link CloseOnError}: the splice handles its channels' errors. */
    private void install(Channel self, Channel peer) {
        End end = new End(self, peer);
        if (self.pipeline().get(CloseOnError.class) != null) {
            self.pipeline().addBefore(self.pipeline().context(CloseOnError.class).name(), "splice", end);
        } else {
            self.pipeline().addLast("splice", end);
        }
    }

    /**
     * Turns reading on or off, unless the channel's input already ended (epoll forgets an fd whose input is shut:
     * asking it to read again fails).
     */
    private static void resumeReading(Channel c, boolean on) {
        if (!c.isActive() || c instanceof DuplexChannel d && d.isInputShutdown()) {
            return;
        }
        c.config().setAutoRead(on);
        if (on) {
            c.read();
        }
    }

    private void forward(Channel from, Channel to, ByteBuf data) {
        int n = data.readableBytes();
        if (n == 0) {
            data.release();
            return;
        }
        (from == a ? fromA : fromB).addAndGet(n);
        if (to instanceof Http2StreamChannel) {
            to.write(new DefaultHttp2DataFrame(data));
        } else {
            to.write(data);
        }
    }

    private void inputEnded(Channel from) {
        if (from == a ? aEnded : bEnded) {
            return;
        }
        if (from == a) {
            aEnded = true;
        } else {
            bEnded = true;
        }
        ended.incrementAndGet();
        Channel to = from == a ? b : a;
        if (to instanceof Http2StreamChannel) {
            to.writeAndFlush(new DefaultHttp2DataFrame(true));
        } else if (to instanceof DuplexChannel d) {
            to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> d.shutdownOutput()
                    .addListener(g -> closeIfDone(to)));
        }
        if (from instanceof DuplexChannel) {
            closeIfDone(from);
        }
    }

    private static void closeIfDone(Channel tcp) {
        if (tcp instanceof DuplexChannel d && d.isInputShutdown() && d.isOutputShutdown()) {
            tcp.close();
        }
    }

    private void closed(Channel side) {
        if (ended.get() == 2) {
            return;
        }
        if (error == null) {
            error = (side instanceof Http2StreamChannel ? "stream reset" : "connection closed")
                    + " before both directions ended";
        }
        reset(side == a ? b : a);
    }

    private static void reset(Channel c) {
        if (!c.isOpen()) {
            return;
        }
        if (!(c instanceof Http2StreamChannel)) {
            try {
                c.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (RuntimeException ignored) {
                // the socket is already gone: close() below is all there is to do
            }
        }
        c.close();
    }

    private final class End extends ChannelDuplexHandler {
        private final Channel self;
        private final Channel peer;

        End(Channel self, Channel peer) {
            this.self = self;
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf data) {
                forward(self, peer, data);
            } else if (msg instanceof Http2DataFrame frame) {
                boolean end = frame.isEndStream();
                forward(self, peer, frame.content());
                if (end) {
                    peer.flush();
                    inputEnded(self);
                }
            } else if (msg instanceof Http2HeadersFrame headers && headers.isEndStream()) {
                inputEnded(self);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            peer.flush();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                peer.flush();
                inputEnded(self);
            } else if (evt instanceof Http2ResetFrame rst) {
                error = "RST_STREAM " + rst.errorCode();
                reset(peer);
            }
            ReferenceCountUtil.release(evt);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            resumeReading(peer, self.isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed(self);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (error == null) {
                error = String.valueOf(cause.getMessage());
            }
            reset(self);
        }
    }
}
