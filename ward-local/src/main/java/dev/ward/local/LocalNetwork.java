package dev.ward.local;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * A podman bridge network that several local tasks join ({@code ward local run --network NAME}), so that they reach
 * each other by address as tasks in one VPC do (and Ward's mesh can run between them). Created with a label when
 * missing and left in place for the next task; {@code podman network rm NAME} removes it. The host is the network's
 * gateway from inside.
 *
 * @param subnet  IPv4 CIDR, as podman reports it
 * @param gateway the host's address on the network
 */
record LocalNetwork(String name, String subnet, String gateway) {
    static final String LABEL = "dev.ward.local.network";
    private static final String NAME = "[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}";

    /** The network {@code name}, created when missing. */
    static LocalNetwork ensure(Podman podman, String name) {
        if (!name.matches(NAME)) {
            throw new LocalException.BadInput("--network " + name + ": expected a podman network name (letters, "
                    + "digits, '_', '.', '-')");
        }
        if (name.equals("host") || name.equals("none") || name.startsWith("slirp4netns") || name.startsWith("pasta")) {
            throw new LocalException.BadInput("--network " + name + ": give a bridge network's name (tasks on it reach "
                    + "each other); without --network each task has its own slirp4netns network");
        }
        Podman.Result found = podman.run(inspect(name));
        if (!found.ok()) {
            Podman.Result made = podman.run(List.of("network", "create", "--label", LABEL + "=1", name));
            if (!made.ok() && !podman.run(inspect(name)).ok()) {
                throw new LocalException("creating podman network " + name + " failed: " + made.err().strip());
            }
            found = podman.run(inspect(name));
        }
        String[] parts = found.out().strip().split("\\s+");
        if (parts.length < 2 || !parts[0].contains(".")) {
            throw new LocalException("podman network " + name + " has no IPv4 subnet with a gateway ("
                    + found.out().strip() + "): ward local needs one to reach the task metadata endpoint");
        }
        return new LocalNetwork(name, parts[0], parts[1]);
    }

    /** Whether {@code a} is in {@link #subnet}. */
    boolean contains(InetAddress a) {
        String[] cidr = subnet.split("/");
        try {
            byte[] net = InetAddress.getByName(cidr[0]).getAddress();
            byte[] addr = a.getAddress();
            if (addr.length != net.length) {
                return false;
            }
            int bits = Integer.parseInt(cidr[1]);
            for (int i = 0; i < addr.length; i++) {
                int keep = Math.max(0, Math.min(8, bits - 8 * i));
                int mask = keep == 0 ? 0 : (0xff << (8 - keep)) & 0xff;
                if ((addr[i] & mask) != (net[i] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return false;
        }
    }

    private static List<String> inspect(String name) {
        return List.of("network", "inspect", name, "--format",
                "{{range .Subnets}}{{if not .Subnet.IP.To4}}{{else}}{{.Subnet}} {{.Gateway}} {{end}}{{end}}");
    }
}
