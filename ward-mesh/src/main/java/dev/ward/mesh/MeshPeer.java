package dev.ward.mesh;

import java.net.InetSocketAddress;

/** A meshed workload as discovery knows it: who it must prove to be, and where its HBONE port is. */
public record MeshPeer(SpiffeId id, InetSocketAddress hbone, String name) {
}
