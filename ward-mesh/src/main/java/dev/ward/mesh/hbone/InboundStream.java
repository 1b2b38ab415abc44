package dev.ward.mesh.hbone;

import dev.ward.mesh.InboundAuthorizer;
import dev.ward.mesh.InboundHttp;
import dev.ward.mesh.MeshConnection;
import dev.ward.mesh.SpiffeId;
import dev.ward.mesh.net.HostPort;
import dev.ward.mesh.net.Splice;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One inbound HBONE stream, answered the way ztunnel does (src/proxy/inbound.rs): 400 for a method other than
 * CONNECT, a {@code :path} or {@code :scheme}, an {@code :authority} that is not {@code ip:port} or names an address
 * that is not this task's; 401 when the authorizer refuses (at L4; with L7 policies the CONNECT is answered 200 and
 * each request is decided by an {@link HttpGate}); 503 when the application's port does not answer on the
 * delivery host; else 200 and the stream is spliced to that connection. DATA that arrives before the local connection
 * is open is held and delivered after it, never before the 200.
 */
final class InboundStream extends ChannelInboundHandlerAdapter {

    private static final Pattern FORWARDED_FOR = Pattern.compile("(?i)(?:^|[;,\\s])for=\"?([^\";,]+)\"?");

    private final HboneServer.Inbound inbound;
    private final List<Object> early = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private boolean requested;

    InboundStream(HboneServer.Inbound inbound) {
        this.inbound = inbound;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (requested) {
            early.add(msg);
            return;
        }
        if (!(msg instanceof Http2HeadersFrame headers)) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        requested = true;
        if (headers.isEndStream()) {
            early.add(msg);
        }
        request(ctx, headers.headers());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseEarly();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        releaseEarly();
        ctx.close();
    }

    private void request(ChannelHandlerContext ctx, Http2Headers h) {
        Channel stream = ctx.channel();
        SpiffeId peer = stream.parent().attr(HboneServer.PEER).get();
        InetSocketAddress remote = (InetSocketAddress) stream.parent().remoteAddress();
        InetSocketAddress source = forwardedFor(h).orElse(remote);
        Optional<InetSocketAddress> authority = h.authority() == null ? Optional.empty()
                : HostPort.parse(h.authority().toString()).flatMap(HostPort::literal);
        if (!"CONNECT".contentEquals(String.valueOf(h.method())) || h.path() != null || h.scheme() != null
                || authority.isEmpty()) {
            refuse(ctx, 400, peer, source, authority.orElse(null), "not a CONNECT to ip:port");
            return;
        }
        InetSocketAddress destination = authority.get();
        if (!inbound.settings().localAddresses().contains(destination.getAddress())) {
            refuse(ctx, 400, peer, source, destination, destination.getAddress().getHostAddress()
                    + " is not this task's address");
            return;
        }
        boolean allowed;
        InboundHttp http = null;
        try {
            InboundAuthorizer.Request r = new InboundAuthorizer.Request(peer, source, destination);
            http = inbound.authorizer().http(r);
            allowed = http != null || inbound.authorizer().allow(r);
        } catch (RuntimeException e) {
            inbound.counters().fault();
            allowed = false;
        }
        if (!allowed) {
            refuse(ctx, 401, peer, source, destination, "denied by policy");
            return;
        }
        stream.config().setAutoRead(false);
        InboundHttp requests = http;
        ChannelFutureListener connected = f -> {
            if (!f.isSuccess()) {
                refuse(ctx, 503, peer, source, destination, "local connect: " + f.cause().getMessage());
            } else if (!stream.isActive()) {
                f.channel().close();
            } else {
                open(ctx, f.channel(), requests, peer, source, destination);
            }
        };
        Bootstrap client = inbound.transport().tcpClient(stream.eventLoop())
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInboundHandlerAdapter());
        InetSocketAddress to = new InetSocketAddress(inbound.settings().deliveryHost(), destination.getPort());
        if (!to.getAddress().isLoopbackAddress()) {
            client.connect(to).addListener(connected);
            return;
        }
        // Bound first, so that the table knows the source before the application can accept the connection.
        client.bind(new InetSocketAddress(to.getAddress(), 0)).addListener((ChannelFutureListener) b -> {
            if (!b.isSuccess()) {
                connected.operationComplete(b);
                return;
            }
            deliver(b.channel(), remote);
            b.channel().connect(to).addListener(ChannelFutureListener.CLOSE_ON_FAILURE).addListener(connected);
        });
    }

    /**
     * Tells the table that the connection from {@code local} carries the tunnel of {@code client}, until it closes.
     * The client is the mutual-TLS connection's remote address, not {@code forwarded: for=}: a peer's certificate
     * proves who it is, not which address it speaks for, and the address is what the application takes for the
     * client (ztunnel's source is the connection's peer too).
     */
    private void deliver(Channel local, InetSocketAddress client) {
        InetSocketAddress from = (InetSocketAddress) local.localAddress();
        try {
            inbound.peers().delivered(from, client);
            local.closeFuture().addListener(c -> inbound.peers().closed(from));
        } catch (RuntimeException e) {
            inbound.counters().fault();
        }
    }

    /** Answers 200 and splices; with {@code http}, through an {@link HttpGate} that decides each request. */
    private void open(ChannelHandlerContext ctx, Channel local, InboundHttp http, SpiffeId peer,
                      InetSocketAddress source, InetSocketAddress destination) {
        inbound.counters().inboundTunnel();
        ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200"), false));
        Splice splice = Splice.join(ctx.channel(), local, s -> {
            inbound.counters().bytes(s.bytesFromA() + s.bytesFromB());
            report(200, peer, source, destination, s.bytesFromB(), s.bytesFromA(), s.error());
        });
        if (http != null) {
            AppHold hold = new AppHold();
            local.pipeline().addBefore("splice", "l7-hold", hold);
            ctx.pipeline().addBefore("splice", "l7", new HttpGate(http, local, hold, splice, inbound.counters()));
        }
        for (Object msg : early) {
            ctx.fireChannelRead(msg);
        }
        early.clear();
        ctx.fireChannelReadComplete();
        ctx.pipeline().remove(this);
        splice.start();
    }

    private void refuse(ChannelHandlerContext ctx, int status, SpiffeId peer, InetSocketAddress source,
                        InetSocketAddress destination, String why) {
        inbound.counters().inboundRefused();
        releaseEarly();
        ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status(String.valueOf(status)),
                true)).addListener(ChannelFutureListener.CLOSE);
        report(status, peer, source, destination, 0, 0, why);
    }

    private void report(int status, SpiffeId peer, InetSocketAddress source, InetSocketAddress destination,
                        long sent, long received, String error) {
        SpiffeId self = null;
        try {
            self = inbound.tls().current().map(c -> c.certificate().id()).orElse(null);
        } catch (Exception e) {
            inbound.counters().fault();
        }
        MeshConnection c = new MeshConnection(MeshConnection.Direction.INBOUND, MeshConnection.Via.INBOUND, source,
                destination, peer, self, true, status, sent, received,
                Duration.ofNanos(System.nanoTime() - startNanos), 0, "", error);
        try {
            inbound.events().connection(c);
        } catch (RuntimeException e) {
            inbound.counters().fault();
        }
    }

    private static Optional<InetSocketAddress> forwardedFor(Http2Headers h) {
        CharSequence forwarded = h.get("forwarded");
        if (forwarded == null) {
            return Optional.empty();
        }
        Matcher m = FORWARDED_FOR.matcher(forwarded);
        return m.find() ? HostPort.parse(m.group(1)).flatMap(HostPort::literal) : Optional.empty();
    }

    private void releaseEarly() {
        early.forEach(ReferenceCountUtil::release);
        early.clear();
    }
}
