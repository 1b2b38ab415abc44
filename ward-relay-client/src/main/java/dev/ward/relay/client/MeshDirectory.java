package dev.ward.relay.client;

import dev.ward.mesh.MeshPeer;
import dev.ward.mesh.PeerDirectory;
import dev.ward.mesh.SpiffeId;
import dev.ward.relay.api.MeshUpdate;
import dev.ward.relay.api.MeshWorkload;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Discovery as the relay tells it: which addresses belong to which meshed workload. Each {@link MeshUpdate} is
 * complete and replaces the previous map in one step, so a lookup sees one version or the next, never a mix.
 */
final class MeshDirectory implements PeerDirectory {
    private final String selfAgentId;
    private final PrintStream diagnostics;
    private volatile Map<InetAddress, MeshPeer> peers = Map.of();
    private volatile long version = -1;

    MeshDirectory(String selfAgentId, PrintStream diagnostics) {
        this.selfAgentId = selfAgentId;
        this.diagnostics = diagnostics;
    }

    @Override
    public Optional<MeshPeer> peerAt(InetAddress address) {
        return Optional.ofNullable(peers.get(address));
    }

    long version() {
        return version;
    }

    int size() {
        return peers.size();
    }

    void apply(MeshUpdate update) {
        Map<InetAddress, MeshPeer> next = new HashMap<>();
        for (MeshWorkload w : update.getWorkloadsList()) {
            if (w.getAgentId().equals(selfAgentId)) {
                continue; // our own addresses: the application reaches itself directly
            }
            SpiffeId id;
            try {
                id = SpiffeId.parse(w.getSpiffeId());
            } catch (IllegalArgumentException e) {
                diagnostics.println("ward: mesh: the relay sent a workload with a bad identity: " + e.getMessage());
                continue;
            }
            for (String a : w.getAddressesList()) {
                InetAddress ip = literal(a);
                if (ip != null) {
                    next.put(ip, new MeshPeer(id, new InetSocketAddress(ip, w.getHbonePort()), w.getName()));
                }
            }
        }
        peers = Map.copyOf(next);
        version = update.getVersion();
    }

    private InetAddress literal(String a) {
        if (!a.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            diagnostics.println("ward: mesh: the relay sent an address that is not an IP literal: " + a);
            return null;
        }
        try {
            return InetAddress.getByName(a);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
