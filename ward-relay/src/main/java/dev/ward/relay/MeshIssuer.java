package dev.ward.relay;

import dev.ward.mesh.SpiffeId;
import dev.ward.relay.api.CertificateRequest;
import dev.ward.relay.api.CertificateResponse;
import dev.ward.relay.store.MeshStore;
import dev.ward.relay.store.StoreException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.PrintStream;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;

/**
 * {@code AgentRelay/SignCertificate}: the agent token got the call this far ({@link Auth}); the identity comes from
 * the proof only, an enrollment token ({@link EnrollmentTokens}) or a presigned GetCallerIdentity whose role is bound
 * to an identity ({@link StsVerifier}, {@code ward mesh bind}). The CSR gives the key and nothing else. The
 * certificate issued is recorded per agent id, so that the agent's MeshStatus can be checked against it.
 */
final class MeshIssuer {
    private static final int MAX_AGENT_ID = 253;

    private final MeshCa ca;
    private final MeshSettings settings;
    private final MeshStore store;
    private final EnrollmentTokens tokens;
    private final StsVerifier sts;
    private final MeshMetrics metrics;
    private final PrintStream log;

    MeshIssuer(MeshCa ca, MeshSettings settings, MeshStore store, MeshMetrics metrics, PrintStream log) {
        this.ca = ca;
        this.settings = settings;
        this.store = store;
        this.tokens = new EnrollmentTokens(store);
        this.sts = new StsVerifier(settings.stsEndpoint());
        this.metrics = metrics;
        this.log = log;
    }

    void sign(CertificateRequest request, StreamObserver<CertificateResponse> responses) {
        long start = System.nanoTime();
        try {
            CertificateResponse r = issue(request);
            responses.onNext(r);
            responses.onCompleted();
            metrics.issued(request.getProofCase() == CertificateRequest.ProofCase.AWS ? "aws" : "enrollment_token",
                    System.nanoTime() - start);
        } catch (MeshRefusal e) {
            metrics.refused(e.reason);
            responses.onError(e.status.asRuntimeException());
        } catch (StoreException e) {
            metrics.refused("store");
            log.println("ward relay: cannot issue a mesh certificate: " + e.getMessage());
            responses.onError(Status.UNAVAILABLE.withDescription("the relay cannot reach its store: " + e.getMessage())
                    .asRuntimeException());
        }
    }

    private CertificateResponse issue(CertificateRequest request) throws StoreException {
        String agentId = request.getAgentId();
        if (agentId.isBlank() || agentId.length() > MAX_AGENT_ID) {
            throw new MeshRefusal(Status.Code.INVALID_ARGUMENT, "bad_request",
                    "agent_id: expected the agent's Hello.agent_id (1 to " + MAX_AGENT_ID + " characters)");
        }
        if (request.getValiditySeconds() < 0) {
            throw new MeshRefusal(Status.Code.INVALID_ARGUMENT, "bad_request", "validity_seconds must not be negative");
        }
        PublicKey key;
        try {
            key = Csr.publicKey(request.getCsr());
        } catch (IllegalArgumentException e) {
            throw new MeshRefusal(Status.Code.INVALID_ARGUMENT, "bad_csr", e.getMessage());
        }
        String tokenHash = "";
        SpiffeId id = switch (request.getProofCase()) {
            case ENROLLMENT_TOKEN -> {
                EnrollmentTokens.Redeemed r = tokens.redeem(request.getEnrollmentToken(), agentId);
                tokenHash = r.hash();
                yield r.id();
            }
            case AWS -> bound(sts.verify(request.getAws()));
            case PROOF_NOT_SET -> throw new MeshRefusal(Status.Code.PERMISSION_DENIED, "no_proof",
                    "a mesh identity needs a proof besides the agent token: an enrollment token (WARD_MESH_TOKEN, from "
                            + "ward mesh enroll NS/SA) or an AWS proof (a task role bound with ward mesh bind)");
        };
        id = new SpiffeId(settings.trustDomain(), id.namespace(), id.serviceAccount());
        Instant now = Instant.now();
        MeshCa.Issued issued = ca.issue(key, id, settings.lifetime(request.getValiditySeconds()), now);
        store.recordCert(new MeshStore.IssuedCert(agentId, id.toString(), issued.serial(),
                issued.notAfter().toEpochMilli(), tokenHash), now.toEpochMilli());
        return CertificateResponse.newBuilder().addAllCertChain(issued.chainPem()).addAllTrustRoots(ca.trustRoots())
                .setSpiffeId(id.toString()).setNotAfterUnixMillis(issued.notAfter().toEpochMilli()).build();
    }

    private SpiffeId bound(RoleArn role) throws StoreException {
        List<MeshStore.Binding> bindings = store.boundTo(role.account(), role.name()).stream()
                .filter(b -> RoleArn.parseIam(b.roleArn()).partition().equals(role.partition())).toList();
        if (bindings.isEmpty()) {
            throw new MeshRefusal(Status.Code.PERMISSION_DENIED, "unbound_role", "the role " + role.iam()
                    + " is bound to no mesh identity: ward mesh bind NS/SA --role " + role.iam());
        }
        if (bindings.stream().map(MeshStore.Binding::spiffeId).distinct().count() > 1) {
            throw new MeshRefusal(Status.Code.PERMISSION_DENIED, "ambiguous_role", "the role " + role.iam()
                    + " is bound to several identities; ward mesh list shows them, ward mesh bind --remove drops one");
        }
        return SpiffeId.parse(bindings.get(0).spiffeId());
    }
}
