package dev.ward.relay;

import dev.ward.mesh.SpiffeId;
import dev.ward.relay.api.MeshBindRequest;
import dev.ward.relay.api.MeshBindResponse;
import dev.ward.relay.api.MeshBinding;
import dev.ward.relay.api.MeshEnrollRequest;
import dev.ward.relay.api.MeshEnrollResponse;
import dev.ward.relay.api.MeshListResponse;
import dev.ward.relay.store.MeshStore;
import dev.ward.relay.store.StoreException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mesh's admin calls of {@code RelayAdmin} (admin token): {@code ward mesh enroll} (a token for one identity,
 * shown once), {@code ward mesh bind} (which AWS roles may hold an identity) and {@code ward mesh list}.
 */
final class MeshAdminService {
    private final MeshCa ca;
    private final MeshStore store;
    private final EnrollmentTokens tokens;
    private final MeshDirectory directory;

    MeshAdminService(MeshCa ca, MeshStore store, MeshDirectory directory) {
        this.ca = ca;
        this.store = store;
        this.tokens = new EnrollmentTokens(store);
        this.directory = directory;
    }

    void enroll(MeshEnrollRequest request, StreamObserver<MeshEnrollResponse> responses) {
        try {
            SpiffeId id = new SpiffeId(ca.trustDomain(), request.getNamespace(), request.getServiceAccount());
            EnrollmentTokens.Created t = tokens.create(id, Duration.ofSeconds(request.getValidSeconds()),
                    request.getUses());
            responses.onNext(MeshEnrollResponse.newBuilder().setToken(t.token()).setSpiffeId(id.toString())
                    .setExpiresUnixMillis(t.expires().toEpochMilli()).build());
            responses.onCompleted();
        } catch (IllegalArgumentException e) {
            responses.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        } catch (StoreException e) {
            responses.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
        }
    }

    void bind(MeshBindRequest request, StreamObserver<MeshBindResponse> responses) {
        try {
            SpiffeId id = new SpiffeId(ca.trustDomain(), request.getNamespace(), request.getServiceAccount());
            String arn = request.getRoleArn().strip();
            if (request.getRemove()) {
                int removed = store.unbind(id.toString(), arn.isEmpty() ? null : arn);
                if (removed == 0 && !arn.isEmpty()) {
                    throw Status.NOT_FOUND.withDescription(id + " is not bound to " + arn + " (ward mesh list shows "
                            + "the bindings)").asRuntimeException();
                }
            } else {
                if (arn.isEmpty()) {
                    throw new IllegalArgumentException("--role ARN is needed (or --remove without a role to drop "
                            + "every binding of " + id + ")");
                }
                RoleArn role = RoleArn.parseIam(arn);
                for (MeshStore.Binding b : store.boundTo(role.account(), role.name())) {
                    if (!b.spiffeId().equals(id.toString())) {
                        throw Status.FAILED_PRECONDITION.withDescription("the role " + role.iam() + " is already "
                                + "bound to " + b.spiffeId() + " (as " + b.roleArn() + "); one role holds one identity: "
                                + "remove that binding first (ward mesh bind --remove)").asRuntimeException();
                    }
                }
                store.bind(id.toString(), arn, role.account(), role.name());
            }
            MeshBindResponse.Builder b = MeshBindResponse.newBuilder().setSpiffeId(id.toString());
            store.bindings().stream().filter(x -> x.spiffeId().equals(id.toString()))
                    .forEach(x -> b.addRoleArns(x.roleArn()));
            responses.onNext(b.build());
            responses.onCompleted();
        } catch (IllegalArgumentException e) {
            responses.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        } catch (io.grpc.StatusRuntimeException e) {
            responses.onError(e);
        } catch (StoreException e) {
            responses.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
        }
    }

    void list(StreamObserver<MeshListResponse> responses) {
        try {
            MeshListResponse.Builder b = MeshListResponse.newBuilder().setTrustDomain(ca.trustDomain())
                    .addAllWorkloads(directory.workloads()).addAllTrustRoots(ca.trustRoots())
                    .setCertificatesIssued(store.issuedCount());
            Map<String, MeshBinding.Builder> bindings = new LinkedHashMap<>();
            List<MeshStore.Binding> all = store.bindings();
            for (MeshStore.Binding x : all) {
                bindings.computeIfAbsent(x.spiffeId(), k -> MeshBinding.newBuilder().setSpiffeId(k))
                        .addRoleArns(x.roleArn());
            }
            bindings.values().forEach(b::addBindings);
            responses.onNext(b.build());
            responses.onCompleted();
        } catch (StoreException e) {
            responses.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
        }
    }
}
