package dev.ward.mesh.proxy;

import dev.ward.mesh.net.ServerName;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Holds a captured connection's first bytes until they give the server's name ({@link ServerName}: the TLS SNI or
 * the HTTP Host), say there is none, or {@link #WAIT_MS} pass (a protocol where the server speaks first), then
 * hands the name (null: none) to {@code named}, once, on the event loop. Removed from the pipeline, it passes the
 * bytes it held on, unchanged, to the next handler (the splice). The channel does not auto-read: it asks for each
 * read itself.
 */
final class NameSniffer extends ChannelInboundHandlerAdapter {
    /** How long a silent client may keep its connection from being decided. */
    static final long WAIT_MS = 300;

    private final Consumer<String> named;
    private ByteBuf held;
    private ScheduledFuture<?> timer;
    private boolean done;

    NameSniffer(Consumer<String> named) {
        this.named = named;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        held = ctx.alloc().buffer();
        timer = ctx.executor().schedule(() -> finish(null), WAIT_MS, TimeUnit.MILLISECONDS);
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes) || done || held == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        held.writeBytes(bytes);
        bytes.release();
        String name = ServerName.of(held);
        if (name == ServerName.MORE && held.readableBytes() < ServerName.MAX) {
            ctx.read();
        } else {
            finish(name == ServerName.MORE ? null : name);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finish(null);
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        timer.cancel(false);
        ByteBuf bytes = held;
        held = null;
        if (bytes != null && bytes.isReadable() && ctx.channel().isActive()) {
            ctx.fireChannelRead(bytes);
            ctx.fireChannelReadComplete(); // the splice flushes what it was handed on read-complete
        } else if (bytes != null) {
            bytes.release();
        }
    }

    private void finish(String name) {
        if (!done) {
            done = true;
            timer.cancel(false);
            named.accept(name);
        }
    }
}
