package dev.ward.e2e;

import dev.ward.local.Podman;
import dev.ward.local.testing.TestImages;
import dev.ward.registry.testing.LocalRegistry;
import java.util.HashMap;
import java.util.Map;

/**
 * The embedded pattern's image, made as users make it: the application image pushed to a registry (a real
 * local one), {@code ward image embed --from APP --to APP-ward}, and the result pulled back into podman.
 */
final class Embedded {
    private static LocalRegistry registry;
    private static final Map<String, String> BUILT = new HashMap<>();

    private Embedded() {
    }

    /** {@code app} pushed to the registry (and known to podman under that name); returns the registry reference. */
    static synchronized String pushed(String app) throws Exception {
        if (registry == null) {
            registry = LocalRegistry.start();
            Runtime.getRuntime().addShutdownHook(new Thread(registry::close));
        }
        String from = registry.host() + "/app:" + app.substring(app.lastIndexOf(':') + 1);
        if (!BUILT.containsKey(from)) {
            Podman podman = TestImages.podman();
            podman.check("push " + app, "push", "--tls-verify=false", app, from);
            podman.check("pull " + from, "pull", "--tls-verify=false", from);
            BUILT.put(from, from);
        }
        return from;
    }

    static synchronized String image(String app) throws Exception {
        String done = BUILT.get(app);
        if (done != null) {
            return done;
        }
        String from = pushed(app);
        Podman podman = TestImages.podman();
        String tag = app.substring(app.lastIndexOf(':') + 1);
        String to = registry.host() + "/app-ward:" + tag;
        WardCli.ok(Map.of(), "image", "embed", "--from", from, "--to", to);
        podman.check("pull " + to, "pull", "--tls-verify=false", to);
        BUILT.put(app, to);
        return to;
    }
}
