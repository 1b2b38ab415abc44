package dev.ward.mesh.net;

import dev.ward.mesh.MeshCounters;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;

/**
 * Last in a pipeline: an exception nobody handled closes the channel instead of reaching Netty's tail (which only
 * logs it). I/O errors (a peer reset) are normal; anything else counts as a fault.
 */
@ChannelHandler.Sharable
public final class CloseOnError extends ChannelInboundHandlerAdapter {

    private final MeshCounters counters;

    public CloseOnError(MeshCounters counters) {
        this.counters = counters;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException) && !(cause.getCause() instanceof IOException)) {
            counters.fault();
        }
        ctx.close();
    }
}
