package dev.ward.mesh;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The redirect table the supervisor fills when it moves an application's {@code connect()} onto the capture port,
 * keyed by the ephemeral address it bound the socket to. Called on an event-loop thread for every connection the
 * capture port accepts: must not block.
 */
@FunctionalInterface
public interface Redirects {

    Redirects NONE = client -> Optional.empty();

    /** The redirect recorded for this client address, removed from the table; empty when the connection is unknown. */
    Optional<Redirect> claim(InetSocketAddress clientAddress);
}
