package dev.ward.mesh.proxy;

import dev.ward.mesh.MeshConnection.Via;
import dev.ward.mesh.MeshCounters;
import dev.ward.mesh.net.HostPort;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The HTTP side of the proxy port. {@code CONNECT host:port} opens a tunnel and answers
 * {@code 200 Connection Established}; an absolute-form request ({@code GET http://host:port/path}) is sent on in
 * origin form with {@code Connection: close}, one request per upstream connection. Only the request head is parsed
 * (64 KiB at most); bytes after it pass unchanged.
 */
final class HttpProxyHandler extends ChannelInboundHandlerAdapter {

    private static final int MAX_HEAD = 64 * 1024;
    private static final ByteBuf END_OF_HEAD = Unpooled.unreleasableBuffer(
            Unpooled.copiedBuffer("\r\n\r\n", StandardCharsets.US_ASCII));

    private final Outbound outbound;
    private final Resolver resolver;
    private final MeshCounters counters;
    private ByteBuf head;
    private boolean parsed;

    HttpProxyHandler(Outbound outbound, Resolver resolver, MeshCounters counters) {
        this.outbound = outbound;
        this.resolver = resolver;
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (head == null) {
            head = ctx.alloc().buffer();
        }
        head.writeBytes(bytes);
        bytes.release();
        if (parsed) {
            return;
        }
        int end = ByteBufUtil.indexOf(END_OF_HEAD.duplicate(), head);
        if (end < 0) {
            if (head.readableBytes() > MAX_HEAD) {
                answer(ctx, 431, "Request Header Fields Too Large", "request head over 64 KiB");
            }
            return;
        }
        parsed = true;
        String text = head.readCharSequence(end - head.readerIndex() + 4, StandardCharsets.ISO_8859_1).toString();
        request(ctx, text.split("\r\n"));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (head != null) {
            head.release();
            head = null;
        }
    }

    private void request(ChannelHandlerContext ctx, String[] lines) {
        String[] line = lines[0].split(" ");
        if (line.length != 3 || !line[2].startsWith("HTTP/1.")) {
            answer(ctx, 400, "Bad Request", "not an HTTP/1.x request line: " + lines[0]);
            return;
        }
        if (line[0].equals("CONNECT")) {
            Optional<HostPort> target = HostPort.parse(line[1]);
            if (target.isEmpty()) {
                answer(ctx, 400, "Bad Request", "CONNECT target is not host:port: " + line[1]);
                return;
            }
            open(ctx, Via.HTTP_CONNECT, target.get(), null);
            return;
        }
        URI uri;
        try {
            uri = new URI(line[1]);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            answer(ctx, 400, "Bad Request", "a proxy request needs an absolute http:// URL: " + line[1]);
            return;
        }
        String host = uri.getHost().replace("[", "").replace("]", "");
        StringBuilder rewritten = new StringBuilder(line[0]).append(' ')
                .append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                .append(' ').append(line[2]).append("\r\n");
        for (int i = 1; i < lines.length; i++) {
            String name = lines[i].contains(":") ? lines[i].substring(0, lines[i].indexOf(':')).strip()
                    .toLowerCase(Locale.ROOT) : "";
            if (!name.equals("proxy-connection") && !name.equals("proxy-authorization")
                    && !name.equals("connection") && !name.equals("keep-alive") && !lines[i].isEmpty()) {
                rewritten.append(lines[i]).append("\r\n");
            }
        }
        rewritten.append("Connection: close\r\n\r\n");
        open(ctx, Via.HTTP, new HostPort(host, uri.getPort() < 0 ? 80 : uri.getPort()), rewritten.toString());
    }

    private void open(ChannelHandlerContext ctx, Via via, HostPort target, String rewrittenHead) {
        ctx.channel().config().setAutoRead(false);
        Optional<InetSocketAddress> literal = target.literal();
        if (literal.isPresent()) {
            connect(ctx, via, null, literal.get(), rewrittenHead);
            return;
        }
        resolver.resolve(target.host(), target.port(), ctx.channel().eventLoop(), (address, error) -> {
            if (address == null) {
                counters.outboundFailed();
                answer(ctx, 502, "Bad Gateway", "cannot resolve " + target.host());
            } else {
                connect(ctx, via, target.host(), address, rewrittenHead);
            }
        });
    }

    private void connect(ChannelHandlerContext ctx, Via via, String host, InetSocketAddress destination,
                         String rewrittenHead) {
        InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
        outbound.open(new Outbound.Request(via, client, host, destination, 0, "", false), ctx.channel(), new Handoff() {
            @Override
            public void established() {
                if (rewrittenHead == null) {
                    ctx.writeAndFlush(Unpooled.copiedBuffer("HTTP/1.1 200 Connection Established\r\n\r\n",
                            StandardCharsets.US_ASCII));
                } else {
                    ctx.fireChannelRead(Unpooled.copiedBuffer(rewrittenHead, StandardCharsets.ISO_8859_1));
                }
                ByteBuf rest = head;
                head = null;
                if (rest.isReadable()) {
                    ctx.fireChannelRead(rest);
                } else {
                    rest.release();
                }
                ctx.fireChannelReadComplete(); // the splice flushes what it was handed on read-complete
                ctx.pipeline().remove(HttpProxyHandler.this);
            }

            @Override
            public void failed(Failure failure, String reason) {
                switch (failure) {
                    case NOT_ALLOWED, DENIED -> answer(ctx, 403, "Forbidden", reason);
                    default -> answer(ctx, 502, "Bad Gateway", reason);
                }
            }
        });
    }

    private static void answer(ChannelHandlerContext ctx, int status, String reason, String detail) {
        byte[] body = (detail + "\n").getBytes(StandardCharsets.UTF_8);
        String response = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        ByteBuf out = Unpooled.wrappedBuffer(response.getBytes(StandardCharsets.ISO_8859_1), body);
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }
}
