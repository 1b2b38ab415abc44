package dev.ward.mesh.hbone;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * On the application's connection of a tunnel with L7 policies: holds what the application sends (bytes, its end)
 * until the client's first request or protocol is decided, so that nothing of the application's reaches a client
 * that is not allowed, and an h2c application's SETTINGS reach the proxy's own HTTP/2 client rather than the
 * client. Holding stops reading; {@link #open} replays what was held, in order, to the next handler. Event loop of
 * the tunnel.
 */
final class AppHold extends ChannelInboundHandlerAdapter {
    private final List<Object> held = new ArrayList<>();
    private ChannelHandlerContext ctx;
    private boolean open;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (open) {
            ctx.fireChannelRead(msg);
            return;
        }
        held.add(msg);
        ctx.channel().config().setAutoRead(false);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (open) {
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (open) {
            ctx.fireUserEventTriggered(evt);
        } else {
            held.add(new Event(evt));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        ctx.fireChannelInactive();
    }

    /** Lets what was held, and everything after it, through. */
    void open() {
        if (open || ctx == null || ctx.isRemoved()) {
            return;
        }
        open = true;
        for (Object o : held) {
            if (o instanceof Event e) {
                ctx.fireUserEventTriggered(e.event());
            } else {
                ctx.fireChannelRead(o);
            }
        }
        boolean any = !held.isEmpty();
        held.clear();
        if (any) {
            ctx.fireChannelReadComplete();
        }
        if (ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true);
            ctx.channel().read();
        }
    }

    private record Event(Object event) {
    }
}
