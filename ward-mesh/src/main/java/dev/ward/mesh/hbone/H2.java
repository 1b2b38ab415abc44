package dev.ward.mesh.hbone;

import io.netty.channel.Channel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * HTTP/2 as ztunnel sizes it for HBONE (src/config.rs): 4 MiB stream windows, a 16 MiB connection window, 1 MiB
 * frames. Netty's 64 KiB defaults would cap one stream at a window per round trip.
 */
final class H2 {

    static final int STREAM_WINDOW = 4 << 20;
    static final int CONNECTION_WINDOW = 16 << 20;
    static final int MAX_FRAME = 1 << 20;

    private H2() {
    }

    static Http2FrameCodec serverCodec() {
        return cumulating(Http2FrameCodecBuilder.forServer().initialSettings(settings()).validateHeaders(true)
                .build());
    }

    static Http2FrameCodec clientCodec() {
        return cumulating(Http2FrameCodecBuilder.forClient().initialSettings(settings()).validateHeaders(true)
                .build());
    }

    /**
     * Raises the connection-level receive window to 16 MiB (a WINDOW_UPDATE on stream 0), from what the codec grants
     * by itself (64 KiB, or more: Netty 4.2 widens it with the stream window).
     */
    static void raiseConnectionWindow(Channel connection, Http2FrameCodec codec) {
        Http2Connection c = codec.connection();
        int granted = c.local().flowController().initialWindowSize(c.connectionStream());
        if (granted < CONNECTION_WINDOW) {
            connection.writeAndFlush(new DefaultHttp2WindowUpdateFrame(CONNECTION_WINDOW - granted));
        }
    }

    /**
     * A DATA frame (up to 1 MiB) spans many TLS records, so the codec holds a partial frame between reads. The
     * default cumulator copies it and each new read into one buffer, and copies it all again whenever a DATA slice
     * still holds the buffer (until the splice has written it): 12 % of the receiving loop's CPU samples in a bulk
     * stream (async-profiler, MeshBenchmark). A composite cumulation chains the decrypted buffers instead (2 % left,
     * plus 4 % walking the composite); the DATA slices go out with writev.
     */
    private static Http2FrameCodec cumulating(Http2FrameCodec codec) {
        codec.setCumulator(ByteToMessageDecoder.COMPOSITE_CUMULATOR);
        return codec;
    }

    private static Http2Settings settings() {
        return Http2Settings.defaultSettings().initialWindowSize(STREAM_WINDOW).maxFrameSize(MAX_FRAME)
                .maxConcurrentStreams(1000);
    }
}
