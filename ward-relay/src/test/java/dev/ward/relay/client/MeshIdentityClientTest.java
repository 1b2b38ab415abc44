package dev.ward.relay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.mesh.WorkloadCertificate;
import dev.ward.relay.RelayServer;
import dev.ward.relay.api.MeshEnrollRequest;
import dev.ward.relay.api.RelayAdminGrpc;
import dev.ward.relay.store.Store;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's identity client against the real relay (in-process): first certificate, renewal, refusals. */
class MeshIdentityClientTest {
    private static final String AGENT = "agent-token";
    private static final String ADMIN = "admin-token";

    @TempDir
    Path dir;

    private final String name = InProcessServerBuilder.generateName();
    private final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    private final List<WorkloadCertificate> issued = new CopyOnWriteArrayList<>();
    private Store store;
    private RelayServer relay;
    private ManagedChannel admin;
    private MeshIdentity identity;

    @BeforeEach
    void start() throws Exception {
        store = Store.open(dir.resolve("relay.db").toString(), null, null);
        relay = RelayServer.start(InProcessServerBuilder.forName(name), RelayServer.Settings.of(AGENT, ADMIN, null),
                store, new PrintStream(PrintStream.nullOutputStream()));
        admin = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stop() {
        if (identity != null) {
            identity.close();
        }
        admin.shutdownNow();
        relay.close();
        store.close();
    }

    private String enroll(String account) {
        Metadata m = new Metadata();
        m.put(RelayConnection.AUTHORIZATION, "Bearer " + ADMIN);
        return RelayAdminGrpc.newBlockingStub(admin).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m))
                .meshEnroll(MeshEnrollRequest.newBuilder().setNamespace("shop").setServiceAccount(account).build())
                .getToken();
    }

    private MeshIdentity identity(String token, Duration ttl) {
        identity = new MeshIdentity(() -> InProcessChannelBuilder.forName(name).build(), AGENT, "agent-1",
                r -> r.setEnrollmentToken(token), ttl,
                new PrintStream(diagnostics, true, StandardCharsets.UTF_8), Clock.systemUTC(), issued::add);
        identity.start();
        return identity;
    }

    @Test
    void theFirstCertificateCarriesTheTokensIdentityAndChainsToTheRelaysRoot() throws Exception {
        WorkloadCertificate c = identity(enroll("web"), Duration.ofHours(1)).first().get(30, TimeUnit.SECONDS);
        assertThat(c.id().toString()).isEqualTo("spiffe://cluster.local/ns/shop/sa/web");
        assertThat(identity.current()).contains(c);
        var path = CertificateFactory.getInstance("X.509").generateCertPath(c.chain().subList(0, c.chain().size() - 1));
        PKIXParameters p = new PKIXParameters(Set.of(new TrustAnchor(c.trustRoots().getFirst(), null)));
        p.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(path, p); // throws when the chain does not verify
        assertThat(Duration.between(c.notBefore(), c.notAfter())).isLessThanOrEqualTo(Duration.ofMinutes(62));
    }

    @Test
    void renewsAtHalfLifeWithAFreshKey() throws Exception {
        identity(enroll("web"), Duration.ofSeconds(4)).first().get(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (issued.size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(issued).as(diagnostics.toString()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(issued.get(0).key()).isNotEqualTo(issued.get(1).key());
        assertThat(issued.get(1).leaf().getSerialNumber()).isNotEqualTo(issued.get(0).leaf().getSerialNumber());
    }

    @Test
    void anUnknownTokenIsRefusedAndSaysSo() {
        assertThatThrownBy(() -> identity("not-a-token", Duration.ofHours(1)).first().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("refused the mesh identity");
        assertThat(identity.current()).isEmpty();
    }
}
