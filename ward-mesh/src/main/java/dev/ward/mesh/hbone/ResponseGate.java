package dev.ward.mesh.hbone;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * First on an outbound stream: waits for the CONNECT response. A 200 is reported and the gate steps aside; any
 * other status, a reset, DATA before HEADERS or the stream's end before a response fail the stream.
 */
final class ResponseGate extends ChannelInboundHandlerAdapter {

    private final HboneCallbacks callbacks;
    private boolean answered;

    ResponseGate(HboneCallbacks callbacks) {
        this.callbacks = callbacks;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Http2HeadersFrame headers) || headers.headers().status() == null) {
            ReferenceCountUtil.release(msg);
            fail(ctx, new HboneException("HBONE response without :status"));
            return;
        }
        int status;
        try {
            status = Integer.parseInt(headers.headers().status().toString());
        } catch (NumberFormatException e) {
            fail(ctx, new HboneException("HBONE response with :status " + headers.headers().status()));
            return;
        }
        answered = true;
        callbacks.status((Http2StreamChannel) ctx.channel(), status);
        if (status == 200) {
            ctx.pipeline().remove(this);
            if (headers.isEndStream()) {
                ctx.fireChannelRead(headers);
            }
        } else {
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof Http2ResetFrame rst && !answered) {
            fail(ctx, new HboneException("HBONE stream reset before a response: error " + rst.errorCode()));
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!answered) {
            fail(ctx, new HboneException("HBONE stream closed before a response"));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause);
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (!answered) {
            answered = true;
            callbacks.failed(cause);
        }
        ctx.close();
    }
}
