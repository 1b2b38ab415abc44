package dev.ward.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.relay.api.AgentMessage;
import dev.ward.relay.api.AgentRelayGrpc;
import dev.ward.relay.api.Event;
import dev.ward.relay.api.EventBatch;
import dev.ward.relay.api.Hello;
import dev.ward.relay.api.RelayMessage;
import dev.ward.relay.api.feeder.Alert;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay commands as a user runs them: each {@code ward} command in its own JVM with the build's class path
 * (the same jars as target/ward/lib), against a {@code ward relay} process.
 */
@Tag("process")
class CliProcessTest {
    private static final Map<String, String> TOKENS = Map.of("WARD_RELAY_AGENT_TOKEN", "agent-t",
            "WARD_RELAY_ADMIN_TOKEN", "admin-t");

    @TempDir
    Path dir;
    Process relay;
    Path relayErr;
    String address;

    @BeforeEach
    void startRelay() throws Exception {
        relayErr = dir.resolve("relay.err");
        relay = start(TOKENS, relayErr, "relay", "--listen", "127.0.0.1", "--port", "0", "--metrics-port", "0",
                "--store", dir.resolve("relay.db").toString());
        Matcher m = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher("");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!m.reset(Files.readString(relayErr)).find()) {
            assertThat(relay.isAlive()).as("ward relay exited: " + Files.readString(relayErr)).isTrue();
            assertThat(System.nanoTime()).as("ward relay did not start").isLessThan(deadline);
            Thread.sleep(50);
        }
        address = "127.0.0.1:" + m.group(1);
    }

    @AfterEach
    void stopRelay() throws Exception {
        relay.destroy();
        relay.waitFor(30, TimeUnit.SECONDS);
    }

    private Process start(Map<String, String> env, Path err, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xshare:auto",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.ward.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(err.toFile())
                .redirectOutput(err.resolveSibling(err.getFileName() + ".out").toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Runs one ward command to its end; returns its stderr. */
    private String ward(Map<String, String> env, String... args) throws Exception {
        Path err = Files.createTempFile(dir, "ward", ".err");
        Process p = start(env, err, args);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("ward " + String.join(" ", args) + " did not end").isTrue();
        String text = Files.readString(err);
        assertThat(p.exitValue()).as("ward " + String.join(" ", args) + ": " + text).isZero();
        return text;
    }

    @Test
    void relayCommandsPrintNoSlf4jWarnings() throws Exception {
        Path policy = Files.writeString(dir.resolve("p.yaml"), PolicyCommandTest.GOOD);
        Map<String, String> admin = Map.of("WARD_RELAY", address, "WARD_RELAY_ADMIN_TOKEN", "admin-t");
        List<String> stderrs = List.of(Files.readString(relayErr),
                ward(admin, "policy", "add", policy.toString()),
                ward(admin, "policy", "list"),
                ward(admin, "agents"),
                ward(admin, "logs", "--no-follow"));
        for (String err : stderrs) {
            assertThat(err).doesNotContain("SLF4J");
        }

        Path err = dir.resolve("missing.err");
        Process missing = start(admin, err, "policy", "get", "nope");
        assertThat(missing.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(missing.exitValue()).isEqualTo(1);
        assertThat(Files.readString(err)).doesNotContain("SLF4J")
                .startsWith("ward policy get: relay " + address + ": NOT_FOUND: no policy nope");
    }

    @Test
    void aSecondRelayOnTheSameSqliteFileIsRefusedAndNamesTheFirst() throws Exception {
        Path err = dir.resolve("second.err");
        Process second = start(TOKENS, err, "relay", "--listen", "127.0.0.1", "--port", "0", "--metrics-port", "0",
                "--store", dir.resolve("relay.db").toString());
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("the second relay kept running").isTrue();
        assertThat(second.exitValue()).isEqualTo(1);
        String text = Files.readString(err);
        assertThat(text).startsWith("ward relay: the store " + dir.resolve("relay.db") + " is in use by another relay"
                + " (pid " + relay.pid() + " on ");
        assertThat(text.strip().lines()).hasSize(1);
    }

    @Test
    void logsEndsWhenTheReaderOfItsOutputIsGone() throws Exception {
        ManagedChannel channel = Grpc.newChannelBuilder(address, InsecureChannelCredentials.create()).build();
        Thread agent = Thread.ofPlatform().daemon().start(() -> sendAlertsUntilInterrupted(channel));
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process pipeline = new ProcessBuilder("sh", "-c", "'" + java + "' -XX:TieredStopAtLevel=1 -cp '"
                    + System.getProperty("java.class.path") + "' dev.ward.cli.Main logs --relay " + address
                    + " | head -n 3").directory(dir.toFile()).redirectError(dir.resolve("pipe.err").toFile())
                    .redirectOutput(dir.resolve("pipe.out").toFile()).start();
            boolean ended = pipeline.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                pipeline.descendants().forEach(ProcessHandle::destroyForcibly);
                pipeline.destroyForcibly();
            }
            assertThat(ended).as("ward logs | head -n 3 still running after head exited").isTrue();
            assertThat(Files.readString(dir.resolve("pipe.out")).lines()).hasSize(3)
                    .allSatisfy(l -> assertThat(l).contains("ALERT web File"));
        } finally {
            agent.interrupt();
            channel.shutdownNow();
        }
    }

    /** A hand-made agent: Hello, then one alert every 20 ms. */
    private static void sendAlertsUntilInterrupted(ManagedChannel channel) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer agent-t");
        StreamObserver<AgentMessage> out = AgentRelayGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .connect(new StreamObserver<RelayMessage>() {
                    @Override
                    public void onNext(RelayMessage m) {
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        out.onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder().setAgentId("a").setContainerName("web")
                .setLogFilter("policy")).build());
        for (long seq = 1; !Thread.currentThread().isInterrupted(); seq++) {
            long now = System.currentTimeMillis() * 1_000_000L;
            out.onNext(AgentMessage.newBuilder().setBatch(EventBatch.newBuilder().setSequence(seq)
                    .addEvents(Event.newBuilder().setTimestampNanos(now).setAlert(Alert.newBuilder()
                            .setContainerName("web").setOperation("File").setResource("/etc/shadow" + seq)
                            .setType("MatchedPolicy").setAction("Block")))).build());
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
