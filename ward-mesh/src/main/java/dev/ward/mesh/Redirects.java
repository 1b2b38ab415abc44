package dev.ward.mesh;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The redirect table the supervisor fills when it moves an application's {@code connect()} onto the capture port,
 * keyed by the loopback address the socket connects from. The supervisor records it right after the connect
 * started, so a claim may come first and is tried again (see the capture port's handler). Called on an event-loop
 * thread for every connection the capture port accepts: must not block.
 */
@FunctionalInterface
public interface Redirects {

    Redirects NONE = client -> Optional.empty();

    /** The redirect recorded for this client address, removed from the table; empty when the connection is unknown. */
    Optional<Redirect> claim(InetSocketAddress clientAddress);
}
