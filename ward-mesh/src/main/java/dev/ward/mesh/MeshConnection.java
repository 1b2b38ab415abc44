package dev.ward.mesh;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One meshed (or passed-through) connection, reported when it ends: the agent turns it into a KubeArmor-shaped
 * {@code Operation: Network} event, with the process that opened it when the connect was captured.
 *
 * @param direction   OUTBOUND (this task dialled) or INBOUND (a peer dialled this task's 15008)
 * @param via         how an outbound connection reached the mesh: SOCKS5, HTTP_CONNECT, HTTP, CAPTURED; INBOUND for
 *                    inbound
 * @param source      the client's address (for INBOUND, the peer's real address)
 * @param destination the original destination (ip:port as the application asked for it)
 * @param sourceId    the client's SPIFFE ID, null when not meshed
 * @param destinationId the server's SPIFFE ID, null when not meshed (passthrough)
 * @param mtls        whether the bytes crossed the network inside mutual TLS
 * @param hboneStatus the CONNECT response status (200, 400, 401, 503), 0 for passthrough
 * @param pid         the process that opened it when known (captured connects), else 0
 * @param processName that process's executable, read when its connect was captured (it may be gone by now), else ""
 * @param error       why it failed, null when it did not
 */
public record MeshConnection(Direction direction, Via via, InetSocketAddress source, InetSocketAddress destination,
                             SpiffeId sourceId, SpiffeId destinationId, boolean mtls, int hboneStatus,
                             long bytesSent, long bytesReceived, Duration duration, int pid, String processName,
                             String error) {

    public enum Direction { OUTBOUND, INBOUND }

    public enum Via { SOCKS5, HTTP_CONNECT, HTTP, CAPTURED, INBOUND }
}
