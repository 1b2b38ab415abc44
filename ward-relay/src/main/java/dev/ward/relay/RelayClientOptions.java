package dev.ward.relay;

import dev.ward.relay.api.RelayAdminGrpc;

import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executor;
import picocli.CommandLine.Option;

/**
 * How the client commands reach the relay: address, TLS, token. Tokens come from a file or the environment,
 * never from the command line (where {@code ps} would show them).
 */
public final class RelayClientOptions {
    static final String DEFAULT_RELAY = "127.0.0.1:32767";

    @Option(names = {"--relay", "--gRPC"}, paramLabel = "HOST:PORT",
            description = "the relay (default: $WARD_RELAY, else " + DEFAULT_RELAY + ")")
    String relay;

    @Option(names = "--tls", description = "connect with TLS (implied by --ca)")
    boolean tls;

    @Option(names = "--ca", paramLabel = "FILE", description = "PEM CA certificate that signed the relay's certificate")
    Path ca;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "file with the token (default: $WARD_RELAY_ADMIN_TOKEN for changes, "
                    + "$WARD_RELAY_READ_TOKEN or $WARD_RELAY_ADMIN_TOKEN for reads)")
    Path tokenFile;

    /** The environment, replaceable in tests. */
    Map<String, String> env = System.getenv();

    String target() {
        String r = relay != null ? relay : env.getOrDefault("WARD_RELAY", DEFAULT_RELAY);
        return r.replaceFirst("^(https?|grpc)://", "");
    }

    ManagedChannel channel() throws IOException {
        ChannelCredentials creds = InsecureChannelCredentials.create();
        if (ca != null) {
            creds = TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build();
        } else if (tls) {
            creds = TlsChannelCredentials.create();
        }
        return Grpc.newChannelBuilder(target(), creds).build();
    }

    /** Null when no token is configured (reads on an open relay). */
    String token(boolean admin) throws IOException {
        if (tokenFile != null) {
            return Files.readString(tokenFile).strip();
        }
        String t = admin ? env.get("WARD_RELAY_ADMIN_TOKEN")
                : env.getOrDefault("WARD_RELAY_READ_TOKEN", env.get("WARD_RELAY_ADMIN_TOKEN"));
        return t == null || t.isBlank() ? null : t.strip();
    }

    CallCredentials credentials(boolean admin) throws IOException {
        String token = token(admin);
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata m = new Metadata();
                if (token != null) {
                    m.put(Auth.AUTHORIZATION, "Bearer " + token);
                }
                applier.apply(m);
            }
        };
    }

    /** The body of an admin command: uses the authenticated stub, returns the exit code. */
    interface AdminCall {
        int run(RelayAdminGrpc.RelayAdminBlockingStub stub) throws IOException;
    }

    /** Per-RPC deadline of the admin commands, in seconds. */
    static final long DEADLINE_SECONDS = 30;

    /**
     * Opens a channel, runs {@code call} with a stub carrying the read ({@code admin} false) or admin
     * token, reports a failed RPC as one line on the command's stderr (exit 1), and closes the channel.
     */
    int admin(picocli.CommandLine.Model.CommandSpec spec, boolean admin, AdminCall call) throws IOException {
        ManagedChannel channel = channel();
        try {
            return call.run(RelayAdminGrpc.newBlockingStub(channel).withCallCredentials(credentials(admin)));
        } catch (StatusRuntimeException e) {
            spec.commandLine().getErr().println(prefix(spec) + explain(e));
            return 1;
        } finally {
            channel.shutdownNow();
        }
    }

    /**
     * "ward policy get: ", the start of every error line: the command's full name under the ward CLI (a
     * command run on its own, as in tests, is named "ward get").
     */
    static String prefix(picocli.CommandLine.Model.CommandSpec spec) {
        String name = spec.qualifiedName(" ");
        return (name.startsWith("ward") ? name : "ward " + name) + ": ";
    }

    /** One line a person can act on. */
    String explain(StatusRuntimeException e) {
        Status s = e.getStatus();
        return switch (s.getCode()) {
            case UNAVAILABLE -> "cannot reach the relay at " + target() + " (" + s.getDescription()
                    + "); is ward relay running there? (--relay HOST:PORT)";
            case DEADLINE_EXCEEDED -> "the relay at " + target() + " did not answer in time";
            default -> "relay " + target() + ": " + s.getCode() + (s.getDescription() == null ? ""
                    : ": " + s.getDescription());
        };
    }
}
