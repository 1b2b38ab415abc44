package dev.ward.mesh.proxy;

import dev.ward.mesh.EgressAuthorizer;
import dev.ward.mesh.MeshConnection;
import dev.ward.mesh.MeshConnection.Via;
import dev.ward.mesh.MeshCounters;
import dev.ward.mesh.MeshEvents;
import dev.ward.mesh.MeshPeer;
import dev.ward.mesh.MeshSettings;
import dev.ward.mesh.PeerDirectory;
import dev.ward.mesh.SpiffeId;
import dev.ward.mesh.hbone.HboneCallbacks;
import dev.ward.mesh.hbone.HbonePool;
import dev.ward.mesh.net.Splice;
import dev.ward.mesh.net.Transport;
import dev.ward.mesh.tls.MeshTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where an outbound connection goes: to a meshed destination (discovery knows its address) in an HBONE stream to
 * its peer, to anything else in plain TCP when passthrough is allowed and the egress policies let it out (for a
 * proxy client, once its process is known: {@link SocketOwners}). Reports every connection when it ends.
 */
public final class Outbound {

    private final Transport transport;
    private final PeerDirectory directory;
    private final HbonePool pool;
    private final MeshSettings settings;
    private final MeshTls tls;
    private final MeshEvents events;
    private final MeshCounters counters;
    private final EgressAuthorizer egress;
    private final Resolver lookups;
    private final SocketOwners owners = new SocketOwners(Path.of("/proc"));

    /**
     * @param host       the name the client asked for (a captured one: read from its first bytes), null when none
     * @param optimistic send the client's bytes right after the CONNECT HEADERS, before the 200 (a captured connect:
     *                   the application already believes it is connected); else answer the client after the 200
     */
    record Request(Via via, InetSocketAddress client, String host, InetSocketAddress destination, int pid,
                   String processName, boolean optimistic) {
        Request by(int processId, String executable) {
            return new Request(via, client, host, destination, processId, executable, optimistic);
        }
    }

    public Outbound(Transport transport, PeerDirectory directory, HbonePool pool, MeshSettings settings,
                    MeshTls tls, MeshEvents events, MeshCounters counters, EgressAuthorizer egress,
                    Resolver lookups) {
        this.transport = transport;
        this.directory = directory;
        this.pool = pool;
        this.settings = settings;
        this.tls = tls;
        this.events = events;
        this.counters = counters;
        this.egress = egress;
        this.lookups = lookups;
    }

    /**
     * Whether a captured connection to {@code destination} must name its server before it is decided: it is
     * outside the mesh and egress policies name hosts.
     */
    boolean needsName(InetSocketAddress destination) {
        try {
            return egress.on() && egress.namesHosts() && directory.peerAt(destination.getAddress()).isEmpty();
        } catch (RuntimeException e) {
            counters.fault();
            return false;
        }
    }

    void open(Request request, Channel local, Handoff handoff) {
        Optional<MeshPeer> peer;
        try {
            peer = directory.peerAt(request.destination().getAddress());
        } catch (RuntimeException e) {
            counters.fault();
            peer = Optional.empty();
        }
        if (peer.isPresent()) {
            counters.outboundMeshed();
            pool.open(peer.get(), request.destination(), request.client(),
                    new Attempt(request, local, handoff, peer.get()));
        } else if (!egress.on()) {
            passthrough(request, local, handoff);
        } else if (request.pid() == 0) {
            lookups.offLoop(() -> owners.find(request.client(), (InetSocketAddress) local.localAddress()),
                    local.eventLoop(), owner -> outside(owner == null
                    ? request : request.by(owner.pid(), owner.executable()), local, handoff));
        } else {
            outside(request, local, handoff);
        }
    }

    /** A destination outside the mesh: the egress policies decide whether it may pass through. */
    private void outside(Request r, Channel local, Handoff handoff) {
        boolean allowed;
        try {
            allowed = egress.allow(new EgressAuthorizer.Request(r.via(), r.client(), r.host(), r.destination(),
                    r.pid(), r.processName()));
        } catch (RuntimeException e) {
            counters.fault();
            allowed = false; // a policy that cannot be asked lets nothing out
        }
        if (allowed) {
            passthrough(r, local, handoff);
            return;
        }
        counters.outboundFailed();
        handoff.failed(Handoff.Failure.DENIED, "denied by an egress policy");
        report(r, null, false, 0, 0, 0, System.nanoTime(), "denied by an egress policy");
    }

    private void passthrough(Request request, Channel local, Handoff handoff) {
        if (!settings.passthroughAllowed()) {
            counters.outboundFailed();
            handoff.failed(Handoff.Failure.NOT_ALLOWED, "passthrough is not allowed");
            report(request, null, false, 0, 0, 0, System.nanoTime(), "not meshed and passthrough not allowed");
            return;
        }
        counters.outboundPassthrough();
        long start = System.nanoTime();
        transport.tcpClient(local.eventLoop()).option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(request.destination())
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        counters.outboundFailed();
                        handoff.failed(f.cause() instanceof ConnectException ? Handoff.Failure.REFUSED
                                : Handoff.Failure.UNREACHABLE, f.cause().getMessage());
                        report(request, null, false, 0, 0, 0, start, String.valueOf(f.cause().getMessage()));
                        return;
                    }
                    Splice splice = Splice.join(local, f.channel(), s -> {
                        counters.bytes(s.bytesFromA() + s.bytesFromB());
                        report(request, null, false, 0, s.bytesFromA(), s.bytesFromB(), start, s.error());
                    });
                    establish(local, handoff, splice);
                });
    }

    private void establish(Channel local, Handoff handoff, Splice splice) {
        try {
            handoff.established();
            splice.start();
        } catch (RuntimeException e) {
            counters.fault();
            splice.abort("handoff: " + e);
        }
    }

    /**
     * Runs {@code task} on the client channel's loop: at once when already there (so that it precedes the bytes the
     * splice writes next), else queued ahead of them.
     */
    private static void onLoop(Channel local, Runnable task) {
        if (local.eventLoop().inEventLoop()) {
            task.run();
        } else {
            local.eventLoop().execute(task);
        }
    }

    private void report(Request r, SpiffeId peer, boolean mtls, int status, long sent, long received, long start,
                        String error) {
        SpiffeId self = null;
        try {
            self = tls.current().map(c -> c.certificate().id()).orElse(null);
            events.connection(new MeshConnection(MeshConnection.Direction.OUTBOUND, r.via(), r.client(),
                    r.destination(), self, peer, mtls, status, sent, received,
                    Duration.ofNanos(System.nanoTime() - start), r.pid(), r.processName(), error));
        } catch (Exception e) {
            counters.fault();
        }
    }

    /** One HBONE attempt; callbacks arrive on the pooled connection's loop, the handoff runs on the client's. */
    private final class Attempt implements HboneCallbacks {
        private final Request request;
        private final Channel local;
        private final Handoff handoff;
        private final MeshPeer peer;
        private final long start = System.nanoTime();
        private volatile Splice splice;
        private volatile int status;

        Attempt(Request request, Channel local, Handoff handoff, MeshPeer peer) {
            this.request = request;
            this.local = local;
            this.handoff = handoff;
            this.peer = peer;
        }

        @Override
        public void opened(Http2StreamChannel stream, SpiffeId peerId) {
            if (request.optimistic()) {
                splice(stream);
            }
        }

        @Override
        public void status(Http2StreamChannel stream, int code) {
            status = code;
            if (code == 200) {
                if (!request.optimistic()) {
                    splice(stream);
                }
                return;
            }
            counters.outboundFailed();
            Splice s = splice;
            if (s != null) {
                s.abort("HBONE status " + code);
            } else {
                Handoff.Failure f = switch (code) {
                    case 401 -> Handoff.Failure.DENIED;
                    case 503 -> Handoff.Failure.REFUSED;
                    default -> Handoff.Failure.GENERAL;
                };
                onLoop(local, () -> handoff.failed(f, "HBONE status " + code));
                report(request, peer.id(), true, code, 0, 0, start, "HBONE status " + code);
            }
        }

        @Override
        public void failed(Throwable cause) {
            counters.outboundFailed();
            Splice s = splice;
            if (s != null) {
                s.abort(String.valueOf(cause.getMessage()));
            } else {
                onLoop(local, () -> handoff.failed(Handoff.Failure.UNREACHABLE, cause.getMessage()));
                report(request, peer.id(), true, 0, 0, 0, start, String.valueOf(cause.getMessage()));
            }
        }

        private void splice(Http2StreamChannel stream) {
            Splice s = Splice.join(local, stream, done -> {
                counters.bytes(done.bytesFromA() + done.bytesFromB());
                report(request, peer.id(), true, status, done.bytesFromA(), done.bytesFromB(), start,
                        done.error());
            });
            splice = s;
            onLoop(local, () -> establish(local, handoff, s));
        }
    }
}
