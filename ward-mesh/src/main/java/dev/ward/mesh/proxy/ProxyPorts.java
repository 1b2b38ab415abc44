package dev.ward.mesh.proxy;

import dev.ward.mesh.MeshCounters;
import dev.ward.mesh.Redirects;
import dev.ward.mesh.net.CloseOnError;
import dev.ward.mesh.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5ServerEncoder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * The two local outbound ports. The proxy port (15080) tells its protocol by the first byte: 0x05 is SOCKS5, anything
 * else HTTP ({@code CONNECT host:port} or an absolute-form request). The capture port (15001) takes the connects the
 * supervisor redirected, and looks up where each meant to go by its source address.
 */
public final class ProxyPorts {

    private final Transport transport;
    private final Outbound outbound;
    private final Resolver resolver;
    private final Redirects redirects;
    private final MeshCounters counters;

    public ProxyPorts(Transport transport, Outbound outbound, Resolver resolver, Redirects redirects,
                      MeshCounters counters) {
        this.transport = transport;
        this.outbound = outbound;
        this.resolver = resolver;
        this.redirects = redirects;
        this.counters = counters;
    }

    public Channel bindProxy(InetSocketAddress address) throws InterruptedException {
        return bind(address, true, ch -> ch.pipeline().addLast("sniff", new Sniffer()));
    }

    public Channel bindCapture(InetSocketAddress address) throws InterruptedException {
        return bind(address, false, ch -> ch.pipeline().addLast("capture",
                new CaptureHandler(outbound, redirects, counters)));
    }

    private Channel bind(InetSocketAddress address, boolean autoRead, Consumer<SocketChannel> init)
            throws InterruptedException {
        return new ServerBootstrap().group(transport.outbound()).channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.ALLOCATOR, transport.allocator())
                .childOption(ChannelOption.ALLOCATOR, transport.allocator())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, Transport.WATER_MARK)
                .childOption(ChannelOption.RECVBUF_ALLOCATOR, Transport.READS)
                .childOption(ChannelOption.AUTO_READ, autoRead)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        init.accept(ch);
                        ch.pipeline().addLast("errors", new CloseOnError(counters));
                    }
                })
                .bind(address).sync().channel();
    }

    private final class Sniffer extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf) || !buf.isReadable()) {
                ReferenceCountUtil.release(msg);
                return;
            }
            String name = ctx.name();
            if (buf.getByte(buf.readerIndex()) == 0x05) {
                ctx.pipeline().addAfter(name, "socks-encoder", Socks5ServerEncoder.DEFAULT);
                ctx.pipeline().addAfter("socks-encoder", "socks-decoder", new Socks5InitialRequestDecoder());
                ctx.pipeline().addAfter("socks-decoder", "socks", new Socks5Handler(outbound, resolver, counters));
            } else {
                ChannelHandler http = new HttpProxyHandler(outbound, resolver, counters);
                ctx.pipeline().addAfter(name, "http-proxy", http);
            }
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(msg);
        }
    }
}
