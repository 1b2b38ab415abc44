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
import java.util.concurrent.TimeUnit;

/**
 * A connection on the capture port: the application's own socket, which the supervisor connected here instead of
 * to its destination. Its source address finds the redirect; an unknown one is closed. The application already
 * believes it is connected, so HBONE is optimistic (its bytes follow the CONNECT at once) and a failure is a reset.
 * A connection outside the mesh that egress policies decide by name is held until its first bytes name the server
 * ({@link NameSniffer}).
 *
 * <p>The supervisor records the redirect right after its connect started (the connect chooses the source port), so
 * this port may accept first: the claim is then tried again on the channel's event loop after growing waits
 * ({@link #FIRST_WAIT_NANOS} doubled up to {@link #LONGEST_WAIT_NANOS}) until {@link #GIVE_UP_NANOS} have passed.
 * Nothing is read meanwhile (the capture port does not read by itself), so no byte is seen before its destination.
 */
final class CaptureHandler extends ChannelInboundHandlerAdapter {
    static final long FIRST_WAIT_NANOS = 20_000;
    static final long LONGEST_WAIT_NANOS = 10_000_000;
    static final long GIVE_UP_NANOS = 200_000_000;
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
        claim(ctx, (InetSocketAddress) ctx.channel().remoteAddress(), 0, FIRST_WAIT_NANOS);
    }

    /** Claims {@code client}'s redirect, having waited {@code waited} ns for it; else tries again in {@code next}. */
    private void claim(ChannelHandlerContext ctx, InetSocketAddress client, long waited, long next) {
        Optional<Redirect> redirect;
        try {
            redirect = redirects.claim(client);
        } catch (RuntimeException e) {
            counters.fault();
            redirect = null;
        }
        if (redirect != null && redirect.isPresent()) {
            start(ctx, client, redirect.get());
        } else if (redirect != null && waited < GIVE_UP_NANOS && ctx.channel().isActive()) {
            ctx.executor().schedule(() -> claim(ctx, client, waited + next, Math.min(2 * next, LONGEST_WAIT_NANOS)),
                    next, TimeUnit.NANOSECONDS);
        } else {
            counters.outboundFailed();
            ctx.close();
        }
    }

    private void start(ChannelHandlerContext ctx, InetSocketAddress client, Redirect r) {
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
