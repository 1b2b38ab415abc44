package dev.ward.mesh;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A connect the supervisor moved onto the capture port: where the application meant to go, and which process asked.
 *
 * @param originalDestination the address the application passed to {@code connect()}
 * @param pid                 the process that called it
 * @param processName         its executable's name (for events)
 */
public record Redirect(InetSocketAddress originalDestination, int pid, String processName) {

    public Redirect {
        Objects.requireNonNull(originalDestination, "originalDestination");
        processName = processName == null ? "" : processName;
    }
}
