package dev.ward.bench.mesh;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Load over keep-alive HTTP/1.1 connections, one platform thread each. Constant rate: request i of a connection is
 * due at {@code start + i * interval}; its latency counts from when it was due, not from when it was sent, so a
 * stall shows in the percentiles (no coordinated omission). Closed loop: as fast as the answers come.
 */
final class HttpLoad {

    private static final byte[] REQUEST = "GET /kilo HTTP/1.1\r\nHost: bench\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    /** Opens one connection (direct, or through the mesh's SOCKS5 port). */
    interface Dialer {
        Socket dial() throws IOException;
    }

    private HttpLoad() {
    }

    /** Latency in microseconds at {@code rate} requests/s over {@code connections}, after {@code warmupMillis}. */
    static Histogram constantRate(Dialer dialer, int connections, int rate, long warmupMillis, long millis)
            throws Exception {
        Recorder recorder = new Recorder(3);
        long intervalNanos = 1_000_000_000L * connections / rate;
        long start = System.nanoTime() + 100_000_000L;
        long measureFrom = start + warmupMillis * 1_000_000L;
        long end = measureFrom + millis * 1_000_000L;
        List<Thread> threads = new ArrayList<>();
        List<Exception> errors = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Socket s = dialer.dial();
            long offset = intervalNanos * c / connections;
            threads.add(Thread.ofPlatform().start(() -> {
                try (s) {
                    OutputStream out = s.getOutputStream();
                    DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 8192));
                    for (long i = 0; ; i++) {
                        long due = start + offset + i * intervalNanos;
                        if (due >= end) {
                            return;
                        }
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        out.write(REQUEST);
                        readResponse(in);
                        if (due >= measureFrom) {
                            recorder.recordValue((System.nanoTime() - due) / 1000);
                        }
                    }
                } catch (IOException e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!errors.isEmpty()) {
            throw errors.getFirst();
        }
        return recorder.getIntervalHistogram();
    }

    /** Requests per second, closed loop, over {@code connections}, after {@code warmupMillis}. */
    static double saturated(Dialer dialer, int connections, long warmupMillis, long millis) throws Exception {
        LongAdder done = new LongAdder();
        long measureFrom = System.nanoTime() + warmupMillis * 1_000_000L;
        long end = measureFrom + millis * 1_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Socket s = dialer.dial();
            threads.add(Thread.ofPlatform().start(() -> {
                try (s) {
                    OutputStream out = s.getOutputStream();
                    DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 8192));
                    for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                        out.write(REQUEST);
                        readResponse(in);
                        if (now >= measureFrom) {
                            done.increment();
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return done.sum() / (millis / 1000.0);
    }

    /** Reads one response: the head up to its blank line, then Content-Length bytes. */
    private static void readResponse(DataInputStream in) throws IOException {
        int length = -1;
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed mid-response");
            }
            if (b == '\n') {
                String l = line.toString().strip();
                if (l.isEmpty()) {
                    break;
                }
                if (l.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(l.substring(15).strip());
                }
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }
        in.skipNBytes(length);
    }

    /**
     * Writes {@code bytes} zeros in 1 MiB writes and waits for the server's end (the sink closes once it has read
     * them all: no half-close, which the TLS relays do not carry); returns MB/s.
     */
    static double bulk(Socket s, long bytes) throws IOException {
        byte[] chunk = new byte[1 << 20];
        long start = System.nanoTime();
        try (s) {
            OutputStream out = s.getOutputStream();
            for (long sent = 0; sent < bytes; sent += chunk.length) {
                out.write(chunk);
            }
            InputStream in = s.getInputStream();
            in.readAllBytes();
        }
        return bytes / ((System.nanoTime() - start) / 1e9) / 1e6;
    }
}
