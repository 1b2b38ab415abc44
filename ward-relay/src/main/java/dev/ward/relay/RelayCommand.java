package dev.ward.relay;

import dev.ward.relay.api.Durations;
import dev.ward.relay.store.Store;
import dev.ward.relay.store.StoreException;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ward relay}: the control plane for agents on ECS. Serves gRPC on one port (KubeArmor's feeder and
 * policy services for karmor, Ward's agent and admin services) and Prometheus metrics on another; keeps
 * policies and events in SQLite (default) or PostgreSQL.
 */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = {"Run the relay: agents send events and receive policies; karmor and ward logs watch.",
            "Tokens: WARD_RELAY_AGENT_TOKEN (required), WARD_RELAY_ADMIN_TOKEN (policy changes), "
                + "WARD_RELAY_READ_TOKEN (optional: protects watching and listing), or the --*-token-file options."})
public final class RelayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "address to listen on (default ${DEFAULT-VALUE})")
    String listen;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "32767",
            description = "gRPC port (default ${DEFAULT-VALUE}, KubeArmor's)")
    int port;

    @Option(names = "--store", paramLabel = "FILE|JDBC-URL",
            description = "SQLite file or jdbc:postgresql://HOST:PORT/DB (default: $WARD_RELAY_STORE, else ward-relay.db)")
    String store;

    @Option(names = "--store-user", paramLabel = "USER", description = "PostgreSQL user (password: $WARD_RELAY_STORE_PASSWORD)")
    String storeUser;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain: serve TLS")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key (PKCS#8) for --tls-cert")
    Path tlsKey;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "9464",
            description = "Prometheus /metrics port (default ${DEFAULT-VALUE}; 0 turns it off)")
    int metricsPort;

    @Option(names = "--watcher-queue", paramLabel = "N", defaultValue = "8192",
            description = "events held per watcher before a slow one loses events (default ${DEFAULT-VALUE})")
    int watcherQueue;

    @Option(names = "--retention", defaultValue = "7d", paramLabel = "DURATION",
            description = "how long events are kept (default ${DEFAULT-VALUE}; 0s keeps them forever)")
    String retention;

    @Option(names = "--karmor-admin-listen", paramLabel = "HOST:PORT",
            description = "also serve KubeArmor's policy service without a token on this loopback address, for "
                    + "karmor vm policy through an SSM or SSH port forward (e.g. 127.0.0.1:32768; off by default)")
    String karmorAdminListen;

    @Option(names = "--trust-domain", defaultValue = MeshSettings.DEFAULT_TRUST_DOMAIN, paramLabel = "DOMAIN",
            description = "the mesh's trust domain: identities are spiffe://DOMAIN/ns/NS/sa/SA (default ${DEFAULT-VALUE})")
    String trustDomain;

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "PEM CA certificate the mesh certificates are signed "
            + "with (an intermediate under an existing root; default: a CA generated once and kept in the store)")
    Path caCert;

    @Option(names = "--ca-key", paramLabel = "FILE", description = "PEM private key of --ca-cert")
    Path caKey;

    @Option(names = "--ca-chain", paramLabel = "FILE",
            description = "PEM certificates from --ca-cert's issuer up to the root (the last one is the trust root)")
    Path caChain;

    @Option(names = "--mesh-max-ttl", defaultValue = "24h", paramLabel = "DURATION",
            description = "longest mesh certificate lifetime (default ${DEFAULT-VALUE}; agents ask for 1h)")
    String meshMaxTtl;

    @Option(names = "--mesh-sts-endpoint", paramLabel = "URL", description = "also accept AWS proofs addressed to this "
            + "STS endpoint (e.g. a VPC endpoint), besides https://sts[.REGION].amazonaws.com")
    java.net.URI meshStsEndpoint;

    @Option(names = "--falcosidekick-url", paramLabel = "URL", description = "forward every alert to falcosidekick "
            + "as Falco's JSON (e.g. http://falcosidekick:2801/), with retries and back-off; never slows ingest")
    java.net.URI falcosidekickUrl;

    @Option(names = "--alert-webhook", paramLabel = "URL", description = "forward every alert to this URL as the "
            + "agent's KubeArmor JSON (one POST per alert), with retries and back-off")
    java.net.URI alertWebhook;

    @Option(names = "--forward-queue", defaultValue = "" + AlertForwarding.DEFAULT_QUEUE, paramLabel = "N",
            description = "alerts held per forwarding destination before new ones are dropped and counted "
                    + "(default ${DEFAULT-VALUE})")
    int forwardQueue;

    @Option(names = "--console-port", paramLabel = "PORT", description = "serve the web console on this port (off "
            + "unless given; log in with the read or admin token; HTTPS with --tls-cert)")
    Integer consolePort;

    @Option(names = "--console-listen", paramLabel = "ADDRESS", description = "address the console listens on "
            + "(default: --listen's)")
    String consoleListen;

    @Option(names = "--agent-token-file", paramLabel = "FILE") Path agentTokenFile;
    @Option(names = "--admin-token-file", paramLabel = "FILE") Path adminTokenFile;
    @Option(names = "--read-token-file", paramLabel = "FILE") Path readTokenFile;

    /** The environment, replaceable in tests. */
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() throws Exception {
        PrintStream log = System.err;
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        Duration keep = Durations.parse(retention);
        if (keep == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--retention " + retention + ": expected a duration such as 7d, 12h or 0s");
        }
        RelayServer.Settings settings;
        try {
            settings = new RelayServer.Settings(token(agentTokenFile, "WARD_RELAY_AGENT_TOKEN"),
                    token(adminTokenFile, "WARD_RELAY_ADMIN_TOKEN"), token(readTokenFile, "WARD_RELAY_READ_TOKEN"),
                    watcherQueue, keep, Duration.ofSeconds(2), mesh(),
                    AlertForwarding.of(falcosidekickUrl, alertWebhook, forwardQueue));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        RelayConsole console = console(settings);
        InetSocketAddress karmorAdmin = null;
        if (karmorAdminListen != null) {
            try {
                karmorAdmin = KarmorAdminListener.parse(karmorAdminListen);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        ServerCredentials creds = tlsCert == null ? InsecureServerCredentials.create()
                : TlsServerCredentials.create(tlsCert.toFile(), tlsKey.toFile());
        String location = store != null ? store : env.getOrDefault("WARD_RELAY_STORE", "ward-relay.db");
        Store db;
        try {
            db = Store.open(location, storeUser, env.get("WARD_RELAY_STORE_PASSWORD"));
        } catch (StoreException e) {
            log.println("ward relay: " + e.getMessage());
            return 1;
        }
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(listen, port), creds)
                // Agents ping every 30 s to notice dead connections; allow it.
                .permitKeepAliveTime(10, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true);
        try (db; RelayServer relay = RelayServer.start(builder, settings, db, log);
                HTTPServer metrics = metricsPort == 0 ? null : HTTPServer.builder().hostname(listen)
                        .port(metricsPort).registry(relay.metricsRegistry()).buildAndStart();
                RelayConsole.Running web = startConsole(console, relay, log)) {
            log.println("ward relay: listening on " + listen + ":" + relay.port() + (tlsCert == null ? "" : " (TLS)")
                    + ", store " + db.kind() + (metrics == null ? "" : ", metrics on :" + metrics.getPort()
                    + "/metrics") + (settings.adminToken() == null ? "; policy changes disabled (no admin token)" : "")
                    + (falcosidekickUrl == null ? "" : "; alerts to falcosidekick " + AlertForwarding.shown(falcosidekickUrl))
                    + (alertWebhook == null ? "" : "; alerts to the webhook " + AlertForwarding.shown(alertWebhook)));
            if (karmorAdmin != null) {
                // Plaintext: karmor dials without TLS, and the listener is on loopback only.
                int adminPort;
                try {
                    adminPort = relay.startKarmorAdmin(NettyServerBuilder.forAddress(karmorAdmin,
                            InsecureServerCredentials.create()));
                } catch (IOException e) {
                    log.println("ward relay: cannot listen on " + karmorAdminListen + " (--karmor-admin-listen): "
                            + e.getMessage());
                    return 1;
                }
                log.println("ward relay: karmor policy commands without a token on "
                        + karmorAdmin.getAddress().getHostAddress() + ":" + adminPort + " (loopback only)");
            }
            relay.awaitTermination();
        } catch (ConsoleFailed e) {
            log.println("ward relay: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            log.println("ward relay: cannot listen on " + listen + ":" + port + ": " + e.getMessage());
            return 1;
        }
        return 0;
    }

    /** The console {@code --console-port} asks for (null when it does not), or a usage error saying why not. */
    private RelayConsole console(RelayServer.Settings settings) {
        if (consolePort == null) {
            if (consoleListen != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--console-listen needs --console-port");
            }
            return null;
        }
        if (consolePort < 0 || consolePort > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--console-port " + consolePort
                    + ": expected a port from 0 to 65535");
        }
        if (settings.adminToken() == null && settings.readToken() == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--console-port needs a read or admin token "
                    + "to log in with (WARD_RELAY_READ_TOKEN, WARD_RELAY_ADMIN_TOKEN or their --*-token-file): a "
                    + "console with no login would show the fleet to anyone");
        }
        return RelayConsole.find().orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                "--console-port: this relay has no console (ward-console is not on the class path; the ward "
                        + "command's own lib/ has it)"));
    }

    private RelayConsole.Running startConsole(RelayConsole console, RelayServer relay, PrintStream log)
            throws IOException {
        if (console == null) {
            return null;
        }
        String address = consoleListen != null ? consoleListen : listen;
        javax.net.ssl.SSLContext tls;
        RelayConsole.Running web;
        try {
            tls = tlsCert == null ? null : RelayConsole.tls(tlsCert, tlsKey);
            web = console.start(relay.console(), new InetSocketAddress(address, consolePort), tls, log);
        } catch (IllegalArgumentException e) {
            throw new ConsoleFailed("the console cannot start: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ConsoleFailed("cannot listen on " + address + ":" + consolePort + " (--console-port): "
                    + e.getMessage(), e);
        }
        log.println("ward relay: console on " + (tls == null ? "http" : "https") + "://" + address + ":" + web.port()
                + "/");
        return web;
    }

    /** The mesh options, the CA files read and checked. */
    private MeshSettings mesh() {
        if ((caCert == null) != (caKey == null) || caChain != null && caCert == null) {
            throw new IllegalArgumentException("--ca-cert and --ca-key go together (--ca-chain only with them)");
        }
        Duration maxTtl = Durations.parse(meshMaxTtl);
        if (maxTtl == null) {
            throw new IllegalArgumentException("--mesh-max-ttl " + meshMaxTtl + ": expected a duration such as 1h or 30m");
        }
        CaMaterial ca = caCert == null ? null : CaMaterial.fromFiles(caCert, caKey, caChain);
        return new MeshSettings(trustDomain, ca, maxTtl, meshStsEndpoint);
    }

    /** The console could not start: the message says why, the relay stops. */
    private static final class ConsoleFailed extends IOException {
        ConsoleFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private String token(Path file, String variable) throws IOException {
        if (file != null) {
            return Files.readString(file).strip();
        }
        return env.get(variable);
    }
}
