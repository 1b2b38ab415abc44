package dev.ward.agent;

import dev.ward.api.spi.ConnectCapture;
import dev.ward.capture.ConnectRedirector;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The mesh's {@link ConnectRedirector} with the agent's log: a connect that could not be redirected (or a strict
 * bind that could not be moved) is one line on the agent's stderr, saying whether the workload's call ran unchanged
 * or failed and with what. Tracer thread.
 */
final class CaptureLog implements ConnectRedirector {
    private final ConnectRedirector mesh;
    private final PrintStream err;

    CaptureLog(ConnectRedirector mesh, PrintStream err) {
        this.mesh = mesh;
        this.err = err;
    }

    /** A plugin's {@link ConnectCapture} (the mesh, through the plugin SPI) as the tracer's redirector; null for null. */
    static ConnectRedirector of(ConnectCapture plugin) {
        if (plugin == null) {
            return null;
        }
        return new ConnectRedirector() {
            @Override
            public Optional<InetSocketAddress> target(InetSocketAddress destination, int pid) {
                return Optional.ofNullable(plugin.redirect(destination, pid));
            }

            @Override
            public void redirected(InetSocketAddress localSource, InetSocketAddress originalDestination, int pid,
                    int tid, String processName) {
                plugin.redirected(localSource, originalDestination, pid, tid, processName);
            }

            @Override
            public boolean loopbackOnly(int port) {
                return plugin.loopbackOnly(port);
            }

            @Override
            public boolean strictInbound() {
                return plugin.strictInbound();
            }

            @Override
            public Optional<InetSocketAddress> realPeer(InetSocketAddress loopbackPeer) {
                return Optional.ofNullable(plugin.realPeer(loopbackPeer));
            }

            @Override
            public boolean egressOn() {
                return plugin.egressOn();
            }

            @Override
            public int egress(InetSocketAddress destination, int pid, String processName) {
                return plugin.egress(destination, pid, processName);
            }
        };
    }

    @Override
    public Optional<InetSocketAddress> target(InetSocketAddress destination, int pid) {
        return mesh.target(destination, pid);
    }

    @Override
    public void redirected(InetSocketAddress localSource, InetSocketAddress originalDestination, int pid, int tid,
            String processName) {
        mesh.redirected(localSource, originalDestination, pid, tid, processName);
    }

    @Override
    public void failed(InetSocketAddress destination, int pid, int tid, String why) {
        err.println("ward: mesh capture: process " + pid + " (thread " + tid + "), " + destination + ": " + why);
        mesh.failed(destination, pid, tid, why);
    }

    @Override
    public boolean loopbackOnly(int port) {
        return mesh.loopbackOnly(port);
    }

    @Override
    public boolean strictInbound() {
        return mesh.strictInbound();
    }

    @Override
    public Optional<InetSocketAddress> realPeer(InetSocketAddress loopbackPeer) {
        return mesh.realPeer(loopbackPeer);
    }

    @Override
    public boolean egressOn() {
        return mesh.egressOn();
    }

    @Override
    public int egress(InetSocketAddress destination, int pid, String processName) {
        return mesh.egress(destination, pid, processName);
    }
}
