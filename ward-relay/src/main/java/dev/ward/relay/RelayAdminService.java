package dev.ward.relay;

import dev.ward.relay.api.AgentList;
import dev.ward.relay.api.ApplyRequest;
import dev.ward.relay.api.ApplyResponse;
import dev.ward.relay.api.DeleteRequest;
import dev.ward.relay.api.Dropped;
import dev.ward.relay.api.EncodedWatchBatch;
import dev.ward.relay.api.GetPolicyRequest;
import dev.ward.relay.api.ListAgentsRequest;
import dev.ward.relay.api.ListPoliciesRequest;
import dev.ward.relay.api.MeshBindRequest;
import dev.ward.relay.api.MeshBindResponse;
import dev.ward.relay.api.MeshEnrollRequest;
import dev.ward.relay.api.MeshEnrollResponse;
import dev.ward.relay.api.MeshListRequest;
import dev.ward.relay.api.MeshListResponse;
import dev.ward.relay.api.PolicyInfo;
import dev.ward.relay.api.PolicyList;
import dev.ward.relay.api.PolicyResult;
import dev.ward.relay.api.RelayAdminGrpc;
import dev.ward.relay.api.WatchBatch;
import dev.ward.relay.api.WatchEvent;
import dev.ward.relay.api.WatchRequest;
import dev.ward.relay.store.EventQuery;
import dev.ward.relay.store.Store;
import dev.ward.relay.store.StoreException;
import dev.ward.relay.store.StoredEvent;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * Ward's admin and read API: policy changes and listings, connected agents, live and stored events, and the mesh's
 * administration ({@link MeshAdminService}).
 */
final class RelayAdminService extends RelayAdminGrpc.RelayAdminImplBase {
    private static final int HISTORY_PAGE = 1000;

    private final PolicyRegistry registry;
    private final AgentSessions agents;
    private final Federation federation;
    private final Hub hub;
    private final Store store;
    private final RelayMetrics metrics;
    private final int queue;
    private final MeshAdminService mesh;

    RelayAdminService(PolicyRegistry registry, AgentSessions agents, Federation federation, Hub hub, Store store,
            RelayMetrics metrics, int queue, MeshAdminService mesh) {
        this.mesh = mesh;
        this.registry = registry;
        this.agents = agents;
        this.federation = federation;
        this.hub = hub;
        this.store = store;
        this.metrics = metrics;
        this.queue = queue;
    }

    @Override
    public void applyPolicies(ApplyRequest request, StreamObserver<ApplyResponse> responses) {
        try {
            List<PolicyResult> results = registry.apply(request.getYaml(), request.getOrigin());
            responses.onNext(ApplyResponse.newBuilder().addAllResults(results).build());
            responses.onCompleted();
        } catch (StoreException e) {
            responses.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
        }
    }

    @Override
    public void deletePolicy(DeleteRequest request, StreamObserver<PolicyResult> responses) {
        try {
            responses.onNext(registry.delete(request.getKind(), request.getNamespace(), request.getName()));
            responses.onCompleted();
        } catch (StoreException e) {
            responses.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
        }
    }

    @Override
    public void listPolicies(ListPoliciesRequest request, StreamObserver<PolicyList> responses) {
        PolicyList.Builder b = PolicyList.newBuilder().setStoreVersion(registry.version());
        for (PolicyRegistry.Entry e : registry.entries()) {
            b.addPolicies(info(e, false));
        }
        responses.onNext(b.build());
        responses.onCompleted();
    }

    @Override
    public void getPolicy(GetPolicyRequest request, StreamObserver<PolicyInfo> responses) {
        PolicyRegistry.Entry e;
        try {
            e = registry.get(request.getKind(), request.getNamespace(), request.getName());
        } catch (PolicyRegistry.KindProblem problem) {
            responses.onError(Status.INVALID_ARGUMENT.withDescription(problem.getMessage()).asRuntimeException());
            return;
        }
        if (e == null) {
            List<String> elsewhere = registry.otherNamespaces(request.getNamespace(), request.getName());
            responses.onError(Status.NOT_FOUND.withDescription("no policy "
                    + dev.ward.relay.store.StoredPolicy.key(request.getNamespace(), request.getName()) + " on the relay"
                    + (elsewhere.isEmpty() ? " (ward policy list shows what there is)"
                            : NamespaceHint.of(elsewhere, request.getName(), "get"))).asRuntimeException());
            return;
        }
        responses.onNext(info(e, true));
        responses.onCompleted();
    }

    private PolicyInfo info(PolicyRegistry.Entry e, boolean withYaml) {
        PolicyInfo.Builder b = PolicyInfo.newBuilder().setName(e.stored().name()).setNamespace(e.stored().namespace())
                .setKind(e.stored().kind()).setVersion(e.stored().version())
                .setUpdatedUnixMillis(e.stored().updatedMillis()).setAgents(agents.holding(e.stored().id()));
        return withYaml ? b.setYaml(e.stored().yaml()).build() : b.build();
    }

    @Override
    public void listAgents(ListAgentsRequest request, StreamObserver<AgentList> responses) {
        AgentList.Builder b = AgentList.newBuilder();
        b.addAllAgents(federation.agents()); // every relay's, when relays share a store
        responses.onNext(b.build());
        responses.onCompleted();
    }

    @Override
    public void meshEnroll(MeshEnrollRequest request, StreamObserver<MeshEnrollResponse> responses) {
        mesh.enroll(request, responses);
    }

    @Override
    public void meshBind(MeshBindRequest request, StreamObserver<MeshBindResponse> responses) {
        mesh.bind(request, responses);
    }

    @Override
    public void meshList(MeshListRequest request, StreamObserver<MeshListResponse> responses) {
        mesh.list(responses);
    }

    /**
     * This service as the server registers it: {@code Watch} answers with {@link EncodedWatchBatch}, the
     * wire-identical form of {@link WatchBatch} whose events were serialized once for every watcher.
     */
    ServerServiceDefinition definition() {
        ServerServiceDefinition generated = bindService();
        MethodDescriptor<WatchRequest, EncodedWatchBatch> watch = RelayAdminGrpc.getWatchMethod().toBuilder(
                ProtoUtils.marshaller(WatchRequest.getDefaultInstance()),
                ProtoUtils.marshaller(EncodedWatchBatch.getDefaultInstance())).build();
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(generated.getServiceDescriptor().getName());
        for (ServerMethodDefinition<?, ?> m : generated.getMethods()) {
            if (!m.getMethodDescriptor().getFullMethodName().equals(watch.getFullMethodName())) {
                b.addMethod(m);
            }
        }
        b.addMethod(watch, ServerCalls.asyncServerStreamingCall(this::watchEncoded));
        return b.build();
    }

    @Override
    public void watch(WatchRequest request, StreamObserver<WatchBatch> responses) {
        // Reached only through bindService(); the server registers definition() instead.
        responses.onError(Status.UNIMPLEMENTED.withDescription("use RelayAdminService.definition()").asRuntimeException());
    }

    private void watchEncoded(WatchRequest request, StreamObserver<EncodedWatchBatch> responses) {
        ServerCallStreamObserver<EncodedWatchBatch> out = (ServerCallStreamObserver<EncodedWatchBatch>) responses;
        EventFilter filter;
        try {
            filter = EventFilter.parse(request.getFilter(), request.getContainer(), request.getOperation())
                    .workload(request.getNamespace(), request.getPod(), request.getTask(), request.getImage());
        } catch (io.grpc.StatusRuntimeException e) {
            responses.onError(e);
            return;
        }
        Watcher w = new Watcher(filter, queue, out, new Watcher.Output() {
            @Override
            public void send(List<RelayEvent> events) {
                EncodedWatchBatch.Builder b = EncodedWatchBatch.newBuilder();
                for (RelayEvent e : events) {
                    b.addEvents(e.encoded());
                }
                out.onNext(b.build());
            }

            @Override
            public void dropped(long count, long total) {
                out.onNext(EncodedWatchBatch.newBuilder().addEvents(WatchEvent.newBuilder().setDropped(
                        Dropped.newBuilder().setCount(count).setTotal(total)).build().toByteString()).build());
            }
        }, metrics, request.getLimit());
        boolean live = request.getFollow() || request.getSinceUnixNanos() <= 0;
        if (live) {
            hub.add(w); // before the history is read, so nothing falls between the two
        }
        Thread.ofVirtual().name("ward-relay-watch").start(() -> {
            try {
                if (request.getSinceUnixNanos() > 0 && !history(w, filter, request)) {
                    out.onCompleted();
                    return;
                }
                if (live) {
                    w.drain();
                }
                if (!out.isCancelled()) {
                    out.onCompleted();
                }
            } catch (StoreException e) {
                out.onError(Status.UNAVAILABLE.withDescription("cannot read the history: " + e.getMessage())
                        .asRuntimeException());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // The client went away mid-send.
            } finally {
                w.close();
                hub.remove(w);
            }
        });
    }

    /** Sends stored events from the requested time on, page by page; false when the limit was reached. */
    private boolean history(Watcher w, EventFilter filter, WatchRequest request)
            throws StoreException, InterruptedException {
        long since = request.getSinceUnixNanos();
        long last = Long.MIN_VALUE;
        while (true) {
            List<StoredEvent> page = store.events(new EventQuery(since, filter.kind(), filter.container(),
                    filter.operation(), HISTORY_PAGE, filter.namespace(), filter.pod(), filter.task(), filter.image()));
            List<RelayEvent> events = new java.util.ArrayList<>(page.size());
            for (StoredEvent s : page) {
                events.add(RelayEvent.of(s));
                last = s.tsNanos();
            }
            if (!w.sendHistory(events)) {
                return false;
            }
            w.skipUpTo(last);
            if (page.size() < HISTORY_PAGE || w.isClosed()) {
                return true;
            }
            since = last + 1; // nanosecond timestamps: a page boundary inside one nanosecond is not worth a cursor
        }
    }
}
