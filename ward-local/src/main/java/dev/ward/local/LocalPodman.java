package dev.ward.local;

import dev.ward.podman.ContainersConf;
import java.nio.file.Path;

/** Podman with the containers.conf {@code ward local} uses; its problems as ward local's (bad input: exit 2). */
final class LocalPodman {
    private LocalPodman() {
    }

    /** {@code option}: --containers-conf, or null for the environment's or Ward's own. */
    static Podman locate(Path option) {
        Path conf;
        try {
            conf = ContainersConf.resolve(option, System.getenv());
        } catch (IllegalArgumentException e) {
            throw new LocalException.BadInput(e.getMessage());
        } catch (IllegalStateException e) {
            throw new LocalException(e.getMessage(), e);
        }
        return Podman.locate(conf);
    }
}
