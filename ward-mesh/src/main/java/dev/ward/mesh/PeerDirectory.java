package dev.ward.mesh;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Discovery: which destination addresses belong to a meshed workload (the relay's MeshUpdate). Only those are
 * wrapped in HBONE; every other destination passes through unchanged.
 */
@FunctionalInterface
public interface PeerDirectory {

    Optional<MeshPeer> peerAt(InetAddress address);
}
