package dev.ward.relay.client;

import dev.ward.api.Identity;
import dev.ward.api.telemetry.Telemetry;
import dev.ward.mesh.EgressAuthorizer;
import dev.ward.mesh.MeshConnection;
import dev.ward.mesh.MeshEvents;
import dev.ward.mesh.SpiffeId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Every mesh connection as a KubeArmor-shaped event ({@code Operation: Network}): the process that opened it when
 * the connect was captured (which no ztunnel can know), both SPIFFE IDs, direction, mTLS, bytes, duration and the
 * HBONE status. A connection that failed is reported with Result set to its error.
 */
final class MeshTelemetry implements MeshEvents {
    static final String SOURCE = "ward-mesh";

    private final Identity identity;
    private final Consumer<Telemetry> out;

    MeshTelemetry(Identity identity, Consumer<Telemetry> out) {
        this.identity = identity;
        this.out = out;
    }

    @Override
    public void connection(MeshConnection c) {
        out.accept(toTelemetry(c));
    }

    /**
     * An AuthorizationPolicy decision worth an alert (a denial, an AUDIT or a dry-run match) on an inbound tunnel:
     * {@code Type: MatchedPolicy}, the deciding policy, both identities. {@code request} is {@code METHOD path} when
     * an HTTP request was decided (it is then the Resource, the client's address moving to Data), null for a tunnel.
     */
    void decision(String policyName, String action, String result, InetSocketAddress source, SpiffeId peer,
            SpiffeId self, int port, String request, String detail) {
        Telemetry t = base(Telemetry.TYPE_ALERT);
        t.policyName = policyName;
        String client = "remoteip=" + (source == null ? "" : source.getAddress().getHostAddress()) + " port="
                + (source == null ? 0 : source.getPort());
        t.resource = request == null ? client + " protocol=TCP" : request;
        t.data = "direction=inbound source=" + (peer == null ? "" : peer) + " destination=" + (self == null ? "" : self)
                + " port=" + port + (request == null ? " " : " " + client.replace("port=", "remoteport=")
                + " protocol=HTTP request=\"" + request + "\" ") + detail;
        t.action = action;
        t.result = result;
        out.accept(t);
    }

    /**
     * An egress decision worth an alert on a connection to a destination outside the mesh: {@code Type:
     * MatchedPolicy}, the deciding policy, the process that connected, the destination and the name it asked for.
     */
    void egress(String policyName, String action, String result, EgressAuthorizer.Request r, SpiffeId self,
            String detail) {
        Telemetry t = base(Telemetry.TYPE_ALERT);
        t.policyName = policyName;
        t.pid = r.pid();
        t.processName = r.processName();
        InetSocketAddress to = r.destination();
        String ip = to.getAddress() == null ? to.getHostString() : to.getAddress().getHostAddress();
        t.resource = "remoteip=" + ip + " port=" + to.getPort() + " protocol=TCP";
        t.data = "direction=egress via=" + r.via().name().toLowerCase(Locale.ROOT) + " source="
                + (self == null ? "" : self) + (r.host() == null ? "" : " host=" + r.host()) + " port=" + to.getPort()
                + " " + detail;
        t.action = action;
        t.result = result;
        out.accept(t);
    }

    Telemetry toTelemetry(MeshConnection c) {
        Telemetry t = base(Telemetry.TYPE_LOG);
        t.pid = c.pid();
        t.processName = !c.processName().isEmpty() ? c.processName() : c.pid() > 0 ? processName(c.pid()) : "";
        InetSocketAddress remote = c.direction() == MeshConnection.Direction.OUTBOUND ? c.destination() : c.source();
        t.resource = "remoteip=" + (remote == null ? "" : remote.getAddress().getHostAddress())
                + " port=" + (remote == null ? 0 : remote.getPort()) + " protocol=TCP";
        StringBuilder d = new StringBuilder();
        d.append("direction=").append(c.direction().name().toLowerCase(Locale.ROOT));
        d.append(" via=").append(c.via().name().toLowerCase(Locale.ROOT));
        if (c.sourceId() != null) {
            d.append(" source=").append(c.sourceId());
        }
        if (c.destinationId() != null) {
            d.append(" destination=").append(c.destinationId());
        }
        if (c.direction() == MeshConnection.Direction.INBOUND && c.destination() != null) {
            d.append(" port=").append(c.destination().getPort());
        }
        d.append(" mtls=").append(c.mtls());
        if (c.hboneStatus() != 0) {
            d.append(" hbone=").append(c.hboneStatus());
        }
        d.append(" sent=").append(c.bytesSent()).append(" received=").append(c.bytesReceived());
        d.append(" duration_ms=").append(c.duration() == null ? 0 : c.duration().toMillis());
        t.data = d.toString();
        t.action = "Allow";
        t.result = c.error() == null ? "Passed" : c.error();
        return t;
    }

    private Telemetry base(String type) {
        Telemetry t = new Telemetry();
        t.timestampNanos = System.currentTimeMillis() * 1_000_000L;
        t.type = type;
        t.hostName = identity.hostName();
        t.containerName = identity.containerName();
        t.labels = identity.labelString();
        t.processName = "";
        t.parentProcessName = "";
        t.policyName = "";
        t.severity = "";
        t.tags = "";
        t.message = "";
        t.cwd = "";
        t.source = SOURCE;
        t.enforcer = SOURCE;
        t.operation = "Network";
        return t;
    }

    /** The executable of process {@code pid} (its path), "" when it cannot be read. */
    static String processName(int pid) {
        try {
            String exe = Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString();
            return exe.endsWith(" (deleted)") ? exe.substring(0, exe.length() - 10) : exe;
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }
}
