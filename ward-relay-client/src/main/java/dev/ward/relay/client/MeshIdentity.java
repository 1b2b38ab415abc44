package dev.ward.relay.client;

import dev.ward.mesh.CertificateSource;
import dev.ward.mesh.WorkloadCertificate;
import dev.ward.relay.api.AgentRelayGrpc;
import dev.ward.relay.api.CertificateRequest;
import dev.ward.relay.api.CertificateResponse;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.PrintStream;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The task's mesh identity: a fresh P-256 key per certificate (made here, never sent), a CSR to the relay's
 * {@code SignCertificate} with the proof the task has, and renewal at half the remaining life with ±10 % jitter. When the
 * relay is away the current certificate is kept until it expires, and renewal is retried with backoff.
 */
final class MeshIdentity implements CertificateSource, AutoCloseable {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final AgentRelayGrpc.AgentRelayBlockingStub relay;
    private final String agentId;
    private final Proof proof;
    private final Duration ttl;
    private final PrintStream diagnostics;
    private final Clock clock;
    private final Consumer<WorkloadCertificate> onIssued;
    private final Backoff backoff = new Backoff(250, 30_000);
    private final CompletableFuture<WorkloadCertificate> first = new CompletableFuture<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("ward-mesh-identity").unstarted(r));
    private volatile WorkloadCertificate current;
    private volatile long issued;

    /** What proves the identity: an enrollment token, or a presigned sts:GetCallerIdentity made when asked. */
    interface Proof {
        void addTo(CertificateRequest.Builder request);
    }

    MeshIdentity(RelayConnection.ChannelFactory channels, String token, String agentId, Proof proof,
            Duration ttl, PrintStream diagnostics, Clock clock,
            Consumer<WorkloadCertificate> onIssued) {
        Metadata headers = new Metadata();
        headers.put(RelayConnection.AUTHORIZATION, "Bearer " + token);
        this.relay = AgentRelayGrpc.newBlockingStub(channels.open())
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        this.agentId = agentId;
        this.proof = proof;
        this.ttl = ttl;
        this.diagnostics = diagnostics;
        this.clock = clock;
        this.onIssued = onIssued;
    }

    void start() {
        timer.execute(this::renew);
    }

    /** Completes with the first certificate (WARD_REQUIRE_MESH holds the workload on it). */
    CompletableFuture<WorkloadCertificate> first() {
        return first;
    }

    /** The task cannot use its certificate (its mesh ports): WARD_REQUIRE_MESH stops waiting with this reason. */
    void failFirst(Exception why) {
        first.completeExceptionally(why);
    }

    long issued() {
        return issued;
    }

    @Override
    public Optional<WorkloadCertificate> current() {
        WorkloadCertificate c = current;
        if (c == null || !clock.instant().isBefore(c.notAfter())) {
            return Optional.empty();
        }
        return Optional.of(c);
    }

    /** The relay's trust bundle changed (a CA rotation): peers are checked against the new roots from now on. */
    void trustRoots(List<java.security.cert.X509Certificate> roots) {
        WorkloadCertificate c = current;
        if (c != null && !roots.isEmpty() && !roots.equals(c.trustRoots())) {
            current = new WorkloadCertificate(c.id(), c.key(), c.chain(), roots);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private void renew() {
        try {
            WorkloadCertificate c = request();
            current = c;
            issued++;
            backoff.reset();
            onIssued.accept(c);
            first.complete(c);
            timer.schedule(this::renew, renewalDelay(c).toMillis(), TimeUnit.MILLISECONDS);
        } catch (StatusRuntimeException | IllegalArgumentException e) {
            String why = e instanceof StatusRuntimeException s ? s.getStatus().getCode() + ": "
                    + s.getStatus().getDescription() : e.getMessage();
            WorkloadCertificate held = current;
            diagnostics.println("ward: mesh: no certificate from the relay (" + why + ")"
                    + (held == null ? "; meshed traffic is refused until one arrives"
                    : "; keeping the current one until " + held.notAfter()));
            if (e instanceof StatusRuntimeException s && s.getStatus().getCode() == io.grpc.Status.Code.PERMISSION_DENIED
                    && held == null) {
                first.completeExceptionally(new IllegalStateException("the relay refused the mesh identity: " + why));
            }
            timer.schedule(this::renew, backoff.nextDelayMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            diagnostics.println("ward: mesh: identity renewal failed (" + e + "); retrying");
            timer.schedule(this::renew, backoff.nextDelayMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private WorkloadCertificate request() {
        KeyPair key = Pkcs10.newKey();
        CertificateRequest.Builder req = CertificateRequest.newBuilder()
                .setCsr(Pkcs10.csr(key))
                .setValiditySeconds(ttl.toSeconds())
                .setAgentId(agentId);
        proof.addTo(req);
        CertificateResponse r = relay.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .signCertificate(req.build());
        return Pkcs10.certificate(r, key);
    }

    /**
     * Half the remaining life from now (the moment it arrived), ±10 % of it, at least a second. Not from notBefore:
     * CAs backdate it for clock skew, which would make a short certificate look half spent on arrival.
     */
    private Duration renewalDelay(WorkloadCertificate c) {
        long life = Duration.between(Instant.now(clock), c.notAfter()).toMillis();
        long jitter = life / 10;
        long delay = life / 2 + (jitter > 0 ? ThreadLocalRandom.current().nextLong(-jitter, jitter + 1) : 0);
        return Duration.ofMillis(Math.max(1_000, delay));
    }
}
