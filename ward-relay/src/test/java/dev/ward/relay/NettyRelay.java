package dev.ward.relay;

import dev.ward.relay.store.Store;
import io.grpc.InsecureServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/** A relay on a real loopback port (what the CLI and agents dial), and a runner for the CLI commands. */
final class NettyRelay implements AutoCloseable {
    final Store store;
    final RelayServer server;
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final String host;

    NettyRelay(Path db, int port, RelayServer.Settings settings) throws Exception {
        this(db, "127.0.0.1", port, settings);
    }

    /** Listening on {@code host} (a bridge address that tasks in network namespaces reach). */
    NettyRelay(Path db, String host, int port, RelayServer.Settings settings) throws Exception {
        this.host = host;
        store = Store.open(db.toString(), null, null);
        server = RelayServer.start(NettyServerBuilder.forAddress(new InetSocketAddress(host, port),
                InsecureServerCredentials.create()), settings, store,
                new PrintStream(logBytes, true, StandardCharsets.UTF_8));
    }

    String address() {
        return host + ":" + server.port();
    }

    String log() {
        synchronized (logBytes) {
            return logBytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }

    /** The outcome of one CLI command. */
    record Run(int exit, String out, String err) {
    }

    /** Runs a client command the way the ward CLI does, with {@code env} as its environment. */
    static Run run(Object command, Map<String, String> env, String... args) {
        if (command instanceof LogsCommand c) {
            c.relay.env = env;
        } else if (command instanceof AgentsCommand c) {
            c.relay.env = env;
        } else if (command instanceof PolicyAddCommand c) {
            c.relay.env = env;
        } else if (command instanceof PolicyDeleteCommand c) {
            c.relay.env = env;
        } else if (command instanceof PolicyListCommand c) {
            c.relay.env = env;
        } else if (command instanceof PolicyGetCommand c) {
            c.relay.env = env;
        } else if (command instanceof MeshEnrollCommand c) {
            c.relay.env = env;
        } else if (command instanceof MeshBindCommand c) {
            c.relay.env = env;
        } else if (command instanceof MeshListCommand c) {
            c.relay.env = env;
        } else if (command instanceof PolicyPackCommand.Apply c) {
            c.relay.env = env;
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
