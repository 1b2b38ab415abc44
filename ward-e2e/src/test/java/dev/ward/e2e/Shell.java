package dev.ward.e2e;

import dev.ward.local.LocalTask;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client of the demo's reverse shell ({@code socat TCP-LISTEN:1337,... EXEC:bash,pty,...}), as
 * {@code socat - TCP:HOST:1337} is in the seed: sends a command line and reads what came back until a marker
 * the shell computes (so the echoed command line itself never matches it).
 */
final class Shell implements AutoCloseable {
    private static final AtomicInteger NEXT = new AtomicInteger(1000);
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Shell(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /**
     * A shell served by {@code socat TCP-LISTEN:PORT ... EXEC:bash} in {@code container} of a local task (its port
     * published on the host), once it answers.
     */
    static Shell connect(LocalTask t, String container, int containerPort) throws Exception {
        t.awaitRunning(container, Duration.ofSeconds(180));
        int port = t.hostPort(containerPort);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                Shell s = new Shell(port);
                s.run("true");
                return s;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(500);
            }
        }
    }

    /** Sends {@code command} until its output contains {@code expected} (a policy takes a moment to arrive). */
    String awaitOutput(String command, String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String got;
        do {
            got = run(command);
            if (got.contains(expected)) {
                return got;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("'" + command + "' never printed '" + expected + "'; last output: " + got);
    }

    /** Runs {@code command} in the shell; returns its output (with the pty's echo and prompts). */
    String run(String command) throws IOException {
        int n = NEXT.incrementAndGet();
        String marker = "__end_" + (n + 1) + "__";
        out.write((command + "; echo __end_$((" + n + "+1))__\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        StringBuilder got = new StringBuilder();
        byte[] buf = new byte[4096];
        while (got.indexOf(marker) < 0) {
            int r = in.read(buf);
            if (r < 0) {
                throw new IOException("the shell closed the connection; output so far: " + got);
            }
            got.append(new String(buf, 0, r, StandardCharsets.UTF_8));
        }
        return got.toString().replace("\r", "");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
