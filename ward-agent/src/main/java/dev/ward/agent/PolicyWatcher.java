package dev.ward.agent;

import dev.ward.policy.KubeArmorPolicy;
import dev.ward.policy.PolicyException;
import dev.ward.policy.PolicyLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reloads the --policy files when they change, while the workload runs. A change is applied only if
 * every file still loads and validates: otherwise the problems are printed and the last good set stays
 * in force. Runs on its own daemon thread; the swap itself is one atomic write (see {@link LivePolicies}).
 */
final class PolicyWatcher {
    /** Editors write a file in several steps: wait for the writes to settle before reloading. */
    private static final long SETTLE_MILLIS = 200;

    private PolicyWatcher() {
    }

    /** Watches {@code paths}; a reload applies their policies and {@code fixed} (WARD_POLICY's, the packs'). */
    static void start(List<Path> paths, List<KubeArmorPolicy> fixed, LivePolicies policies, PrintStream diagnostics) {
        if (paths.isEmpty()) {
            return;
        }
        WatchService watch;
        try {
            watch = paths.get(0).getFileSystem().newWatchService();
            Set<Path> dirs = new LinkedHashSet<>();
            for (Path p : paths) {
                Path abs = p.toAbsolutePath();
                dirs.add(Files.isDirectory(abs) ? abs : abs.getParent());
            }
            for (Path d : dirs) {
                d.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        } catch (IOException e) {
            diagnostics.println("ward: cannot watch the policy files for changes: " + e.getMessage());
            return;
        }
        Thread.ofPlatform().name("ward-policy-watch").daemon(true).start(() -> loop(watch, paths, fixed, policies,
                diagnostics));
    }

    private static void loop(WatchService watch, List<Path> paths, List<KubeArmorPolicy> fixed, LivePolicies policies,
            PrintStream diagnostics) {
        try {
            while (true) {
                var key = watch.take();
                Thread.sleep(SETTLE_MILLIS);
                boolean relevant = concerns(key, paths);
                key.reset();
                for (var more = watch.poll(0, TimeUnit.MILLISECONDS); more != null; more = watch.poll()) {
                    relevant |= concerns(more, paths);
                    more.reset();
                }
                if (relevant) {
                    reload(paths, fixed, policies, diagnostics);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether the events of {@code key} touch a policy file: a -p FILE itself, or a YAML file in a -p DIR
     * (other files in those directories, an editor's swap file say, do not reload anything).
     */
    private static boolean concerns(WatchKey key, List<Path> paths) {
        Path dir = (Path) key.watchable();
        boolean relevant = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                relevant = true;
                continue;
            }
            Path changed = dir.resolve((Path) event.context());
            for (Path p : paths) {
                Path abs = p.toAbsolutePath();
                if (changed.equals(abs) || changed.getParent().equals(abs) && isYaml(changed)) {
                    relevant = true;
                }
            }
        }
        return relevant;
    }

    private static boolean isYaml(Path p) {
        String name = p.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    private static void reload(List<Path> paths, List<KubeArmorPolicy> fixed, LivePolicies policies,
            PrintStream diagnostics) {
        try {
            List<KubeArmorPolicy> all = new java.util.ArrayList<>(PolicyLoader.loadAll(paths).kubeArmor());
            all.addAll(fixed);
            int rules = policies.replaceLocal(all);
            diagnostics.println("ward: policy files changed: " + rules + " rules now applied");
        } catch (PolicyException e) {
            String report = e.format();
            diagnostics.print(report.endsWith("\n") ? report : report + "\n");
            diagnostics.println("ward: policy change rejected; the last good policy set stays in force");
        }
    }
}
