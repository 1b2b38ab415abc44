package dev.ward.mesh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An h2c client (prior knowledge) over a connected socket, for tests: several requests sent at once as concurrent
 * streams of one connection, their answers collected. Netty's codec runs in an EmbeddedChannel pumped by the test
 * thread (curl 7.88 cannot reuse an h2c connection: curl/curl#10634).
 */
final class H2cClient {

    private H2cClient() {
    }

    /** One request: method, path and an optional body. */
    record Request(String method, String path, String body) {
    }

    /** Sends {@code requests} as concurrent streams; returns "STATUS BODY" (or "RESET") per request, in order. */
    static Map<Request, String> exchange(Socket socket, String authority, Request... requests) throws IOException {
        Streams streams = new Streams();
        EmbeddedChannel ch = new EmbeddedChannel(Http2FrameCodecBuilder.forClient().build(), streams);
        Map<Integer, Request> byId = new HashMap<>();
        Map<Request, StringBuilder> answers = new LinkedHashMap<>();
        Map<Http2FrameStream, Request> byStream = new HashMap<>();
        for (Request r : requests) {
            Http2FrameStream s = streams.stream();
            boolean noBody = r.body() == null;
            ch.writeOutbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method(r.method()).path(r.path())
                    .scheme("http").authority(authority), noBody).stream(s));
            if (!noBody) {
                ch.writeOutbound(new DefaultHttp2DataFrame(Unpooled.copiedBuffer(r.body(), StandardCharsets.UTF_8),
                        true).stream(s));
            }
            byStream.put(s, r);
            answers.put(r, new StringBuilder());
        }
        byStream.forEach((s, r) -> byId.put(s.id(), r));
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[16384];
        java.util.Set<Integer> done = new java.util.HashSet<>();
        int open = requests.length;
        while (open > 0) {
            for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
                ByteBuf b = (ByteBuf) o;
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                b.release();
                out.write(bytes);
            }
            out.flush();
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("the connection ended with " + open + " streams open: " + answers);
            }
            try {
                ch.writeInbound(Unpooled.wrappedBuffer(buf, 0, n).copy());
            } catch (Exception e) {
                if (!(e instanceof Http2Exception.StreamException)) {
                    throw e;
                }
                // a stream reset by the server with its request body still queued: that stream's answer is read
            }
            for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
                if (o instanceof Http2StreamFrame f && byId.containsKey(f.stream().id()) && !done.contains(f.stream().id())) {
                    int id = f.stream().id();
                    StringBuilder a = answers.get(byId.get(id));
                    boolean end = f instanceof Http2ResetFrame;
                    if (f instanceof Http2HeadersFrame h) {
                        a.append(h.headers().status()).append(' ');
                        end = h.isEndStream();
                    } else if (f instanceof Http2DataFrame d) {
                        a.append(d.content().toString(StandardCharsets.UTF_8));
                        end = d.isEndStream();
                    } else if (end) {
                        a.append("RESET");
                    }
                    if (end) {
                        done.add(id);
                        open--;
                    }
                }
                ReferenceCountUtil.release(o);
            }
        }
        try {
            ch.finishAndReleaseAll();
        } catch (Exception e) {
            if (!(e instanceof Http2Exception.StreamException)) {
                throw e;
            }
        }
        Map<Request, String> result = new LinkedHashMap<>();
        answers.forEach((r, a) -> result.put(r, a.toString()));
        return result;
    }

    /** Makes new streams; passes every frame on to the test. */
    private static final class Streams extends Http2ChannelDuplexHandler {
        Http2FrameStream stream() {
            return newStream();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            ReferenceCountUtil.release(evt);
        }
    }
}
