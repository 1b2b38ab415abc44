// How many mesh certificates does the relay sign per second on one core? (Target from issue 14: at least 500.)
//
// Two measures. "ca": the CA's own work for one request, checking the PEM CSR (parse, P-256, signature verify) and
// signing a leaf (MeshCa.sign), in this thread. "rpc": the whole AgentRelay/SignCertificate call to a real relay on
// loopback gRPC (plaintext), proof included: the same agent renewing with its enrollment token, so each call reads
// the token and writes the issued certificate to the relay's SQLite store. Both with 64 CSRs made beforehand
// (the agent's key generation is not the relay's work).
// Run, on one core: taskset -c 0 java -cp "ward-bench/target/classes:ward-bench/target/lib/*" \
//     org.openjdk.jmh.Main CertificateSigningBenchmark   (after ward-bench/jmh.sh has built; see docs/benchmarks.md)
package dev.ward.bench.mesh;

import dev.ward.mesh.SpiffeId;
import dev.ward.relay.MeshCa;
import dev.ward.relay.RelayServer;
import dev.ward.relay.api.AgentRelayGrpc;
import dev.ward.relay.api.CertificateRequest;
import dev.ward.relay.api.CertificateResponse;
import dev.ward.relay.api.MeshEnrollRequest;
import dev.ward.relay.api.RelayAdminGrpc;
import dev.ward.relay.store.Store;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.PrintStream;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CertificateSigningBenchmark {
    private static final int CSRS = 64;
    private static final String AGENT_TOKEN = "bench-agent";
    private static final String ADMIN_TOKEN = "bench-admin";

    private final String[] csrs = new String[CSRS];
    private final SpiffeId id = new SpiffeId("cluster.local", "bench", "signer");
    private MeshCa ca;
    private Path dir;
    private Store store;
    private RelayServer relay;
    private ManagedChannel channel;
    private AgentRelayGrpc.AgentRelayBlockingStub agent;
    private String token;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        for (int i = 0; i < CSRS; i++) {
            KeyPair k = g.generateKeyPair();
            StringWriter w = new StringWriter();
            try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
                pw.writeObject(new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=bench"), k.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(k.getPrivate())));
            }
            csrs[i] = w.toString();
        }
        ca = MeshCa.generate("cluster.local");
        dir = Files.createTempDirectory("ward-bench-mesh-");
        store = Store.open(dir.resolve("relay.db").toString(), null, null);
        relay = RelayServer.start(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)),
                RelayServer.Settings.of(AGENT_TOKEN, ADMIN_TOKEN, null), store,
                new PrintStream(PrintStream.nullOutputStream()));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", relay.port()).usePlaintext().build();
        token = RelayAdminGrpc.newBlockingStub(channel).withInterceptors(bearer(ADMIN_TOKEN)).meshEnroll(
                MeshEnrollRequest.newBuilder().setNamespace("bench").setServiceAccount("signer").build()).getToken();
        agent = AgentRelayGrpc.newBlockingStub(channel).withInterceptors(bearer(AGENT_TOKEN));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        channel.shutdownNow();
        relay.close();
        store.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public MeshCa.Issued ca() {
        return ca.sign(csrs[next++ & (CSRS - 1)], id, Duration.ofHours(1));
    }

    @Benchmark
    public CertificateResponse rpc() {
        return agent.signCertificate(CertificateRequest.newBuilder().setCsr(csrs[next++ & (CSRS - 1)])
                .setAgentId("bench-agent").setEnrollmentToken(token).build());
    }

    private static io.grpc.ClientInterceptor bearer(String token) {
        Metadata m = new Metadata();
        m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return MetadataUtils.newAttachHeadersInterceptor(m);
    }
}
