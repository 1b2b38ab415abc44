package dev.ward.mesh.proxy;

import dev.ward.mesh.MeshConnection.Via;
import dev.ward.mesh.MeshCounters;
import dev.ward.mesh.Redirect;
import dev.ward.mesh.Redirects;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * A connection on the capture port: the application's own socket, which the supervisor connected here instead of
 * to its destination. Its source address finds the redirect; an unknown one is closed. The application already
 * believes it is connected, so HBONE is optimistic (its bytes follow the CONNECT at once) and a failure is a reset.
 * A connection outside the mesh that egress policies decide by name is held until its first bytes name the server
 * ({@link NameSniffer}).
 */
final class CaptureHandler extends ChannelInboundHandlerAdapter {
    private static final String SNIFFER = "sniff-name";

    private final Outbound outbound;
    private final Redirects redirects;
    private final MeshCounters counters;

    CaptureHandler(Outbound outbound, Redirects redirects, MeshCounters counters) {
        this.outbound = outbound;
        this.redirects = redirects;
        this.counters = counters;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
        Optional<Redirect> redirect;
        try {
            redirect = redirects.claim(client);
        } catch (RuntimeException e) {
            counters.fault();
            redirect = Optional.empty();
        }
        if (redirect.isEmpty()) {
            counters.outboundFailed();
            ctx.close();
            return;
        }
        Redirect r = redirect.get();
        if (outbound.needsName(r.originalDestination())) {
            ctx.pipeline().addAfter(ctx.name(), SNIFFER, new NameSniffer(name -> open(ctx, client, r, name)));
        } else {
            open(ctx, client, r, null);
        }
        ctx.fireChannelActive();
    }

    private void open(ChannelHandlerContext ctx, InetSocketAddress client, Redirect r, String name) {
        outbound.open(new Outbound.Request(Via.CAPTURED, client, name, r.originalDestination(), r.pid(),
                        r.processName(), true),
                ctx.channel(), new Handoff() {
                    @Override
                    public void established() {
                        if (ctx.pipeline().get(SNIFFER) != null) {
                            ctx.pipeline().remove(SNIFFER); // hands the bytes it held to the splice
                        }
                        ctx.pipeline().remove(CaptureHandler.this);
                    }

                    @Override
                    public void failed(Failure failure, String reason) {
                        ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                        ctx.close();
                    }
                });
    }
}
