package dev.ward.relay.client;

import dev.ward.api.Identity;
import dev.ward.api.telemetry.Telemetry;
import dev.ward.mesh.MeshConnection;
import dev.ward.mesh.MeshEvents;
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

    Telemetry toTelemetry(MeshConnection c) {
        Telemetry t = new Telemetry();
        t.timestampNanos = System.currentTimeMillis() * 1_000_000L;
        t.type = Telemetry.TYPE_LOG;
        t.hostName = identity.hostName();
        t.containerName = identity.containerName();
        t.labels = identity.labelString();
        t.pid = c.pid();
        t.processName = !c.processName().isEmpty() ? c.processName() : c.pid() > 0 ? processName(c.pid()) : "";
        t.parentProcessName = "";
        t.policyName = "";
        t.severity = "";
        t.tags = "";
        t.message = "";
        t.cwd = "";
        t.source = SOURCE;
        t.enforcer = SOURCE;
        t.operation = "Network";
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

    private static String processName(int pid) {
        try {
            String exe = Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString();
            return exe.endsWith(" (deleted)") ? exe.substring(0, exe.length() - 10) : exe;
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }
}
