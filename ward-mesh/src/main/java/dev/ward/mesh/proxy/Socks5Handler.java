package dev.ward.mesh.proxy;

import dev.ward.mesh.MeshConnection.Via;
import dev.ward.mesh.MeshCounters;
import dev.ward.mesh.net.HostPort;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialResponse;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequest;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * SOCKS5 as RFC 1928 has it, the part ztunnel implements: no authentication, CONNECT only, IPv4, IPv6 or a domain
 * name (resolved here, for {@code socks5h}). Replies: 0x00 once the destination answered (for a meshed one, the
 * HBONE 200), 0x02 not allowed (passthrough off, an egress policy, or the peer's 401), 0x04 host unreachable (no
 * name, no route, no peer), 0x05 connection refused (a closed port, or the peer's 503), 0x07 command not supported,
 * 0x08 address type not supported, 0x01 anything else.
 */
final class Socks5Handler extends ChannelInboundHandlerAdapter {

    private final Outbound outbound;
    private final Resolver resolver;
    private final MeshCounters counters;
    private final List<ByteBuf> early = new ArrayList<>();

    Socks5Handler(Outbound outbound, Resolver resolver, MeshCounters counters) {
        this.outbound = outbound;
        this.resolver = resolver;
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            early.add(bytes);
        } else if (msg instanceof Socks5InitialRequest init) {
            greet(ctx, init);
        } else if (msg instanceof Socks5CommandRequest command) {
            command(ctx, command);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        early.forEach(ReferenceCountUtil::release);
        early.clear();
    }

    private void greet(ChannelHandlerContext ctx, Socks5InitialRequest init) {
        if (init.decoderResult().isFailure() || !init.authMethods().contains(Socks5AuthMethod.NO_AUTH)) {
            ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.UNACCEPTED))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.pipeline().replace("socks-decoder", "socks-decoder", new Socks5CommandRequestDecoder());
        ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.NO_AUTH));
    }

    private void command(ChannelHandlerContext ctx, Socks5CommandRequest command) {
        if (command.decoderResult().isFailure()) {
            reply(ctx, Socks5CommandStatus.ADDRESS_UNSUPPORTED);
            return;
        }
        if (!command.type().equals(Socks5CommandType.CONNECT)) {
            reply(ctx, Socks5CommandStatus.COMMAND_UNSUPPORTED);
            return;
        }
        ctx.channel().config().setAutoRead(false);
        InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
        if (!command.dstAddrType().equals(Socks5AddressType.DOMAIN)) {
            var literal = new HostPort(command.dstAddr(), command.dstPort()).literal();
            if (literal.isEmpty()) {
                reply(ctx, Socks5CommandStatus.ADDRESS_UNSUPPORTED);
                return;
            }
            connect(ctx, client, null, literal.get());
            return;
        }
        resolver.resolve(command.dstAddr(), command.dstPort(), ctx.channel().eventLoop(), (address, error) -> {
            if (address == null) {
                counters.outboundFailed();
                reply(ctx, Socks5CommandStatus.HOST_UNREACHABLE);
            } else {
                connect(ctx, client, command.dstAddr(), address);
            }
        });
    }

    private void connect(ChannelHandlerContext ctx, InetSocketAddress client, String host,
                         InetSocketAddress destination) {
        outbound.open(new Outbound.Request(Via.SOCKS5, client, host, destination, 0, "", false), ctx.channel(),
                new Handoff() {
                    @Override
                    public void established() {
                        ctx.writeAndFlush(new DefaultSocks5CommandResponse(Socks5CommandStatus.SUCCESS,
                                Socks5AddressType.IPv4, "0.0.0.0", 0));
                        ctx.pipeline().remove("socks-decoder");
                        for (ByteBuf b : early) {
                            ctx.fireChannelRead(b);
                        }
                        early.clear();
                        ctx.pipeline().remove(Socks5Handler.this);
                        ctx.pipeline().remove("socks-encoder");
                    }

                    @Override
                    public void failed(Failure failure, String reason) {
                        reply(ctx, switch (failure) {
                            case NOT_ALLOWED, DENIED -> Socks5CommandStatus.FORBIDDEN;
                            case REFUSED -> Socks5CommandStatus.CONNECTION_REFUSED;
                            case UNREACHABLE -> Socks5CommandStatus.HOST_UNREACHABLE;
                            case GENERAL -> Socks5CommandStatus.FAILURE;
                        });
                    }
                });
    }

    private static void reply(ChannelHandlerContext ctx, Socks5CommandStatus status) {
        ctx.writeAndFlush(new DefaultSocks5CommandResponse(status, Socks5AddressType.IPv4, "0.0.0.0", 0))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
