package dev.ward.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Stops containers the way ECS stops a task: level by level (see {@link TaskGraph#stopLevels}), so a
 * container stops before the containers it depends on; in a level, every container gets its stop signal
 * (SIGTERM unless the image says otherwise) at once, and SIGKILL after its own stop timeout.
 */
final class StopProcedure {
    /** A container to stop. */
    record Target(String podmanName, int level, int timeoutSeconds) {}

    private StopProcedure() {}

    static void run(Podman podman, List<Target> targets, Consumer<String> events) {
        Map<Integer, List<Target>> levels = new TreeMap<>();
        for (Target t : targets) {
            levels.computeIfAbsent(t.level(), k -> new ArrayList<>()).add(t);
        }
        for (List<Target> level : levels.values()) {
            List<CompletableFuture<?>> stops = new ArrayList<>();
            for (Target t : level) {
                stops.add(CompletableFuture.runAsync(() -> {
                    Podman.Result r = podman.run(List.of("stop", "--time", Integer.toString(t.timeoutSeconds()),
                            t.podmanName()));
                    if (!r.ok() && !r.err().contains("no such container")) {
                        events.accept("stopping " + t.podmanName() + " failed: " + r.err().strip());
                    }
                }, command -> Thread.ofPlatform().daemon(true).start(command)));
            }
            stops.forEach(CompletableFuture::join);
        }
    }
}
