package dev.ward.deploy;

import dev.ward.registry.ImageConfig;
import dev.ward.registry.ImageConfigSource;
import dev.ward.registry.Platform;
import dev.ward.registry.RegistryException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test fixture: a fixed table of image configurations (ENTRYPOINT, CMD, USER) for the images the golden tests'
 * task definitions name, as their registries describe them (the seeds' Dockerfiles and docker inspect output, the
 * public images' own configurations). Golden tests must not depend on the network; the real registry client is
 * exercised against a real local registry in {@link InjectCommandTest}. An image not in the table fails like an
 * image the registry does not have.
 */
final class SeedImageConfigs implements ImageConfigSource {
    static final SeedImageConfigs INSTANCE = new SeedImageConfigs();

    private static final Map<String, ImageConfig> TABLE = Map.of(
            // seed 001: the Flask backend's Dockerfile ends with CMD python3 -m flask run ...
            "238967891447.dkr.ecr.eu-west-2.amazonaws.com/backend-flask",
            config(List.of(), List.of("python3", "-m", "flask", "run", "--host=0.0.0.0", "--port=4567"), null),
            // seed 004, embedded non-root: USER 101 and an ENTRYPOINT that sudo-starts Lacework (CMD reset by it)
            "timarenz/nginx:nonroot-embedded",
            config(List.of("sh", "-c", "sudo -E /var/lib/lacework-backup/lacework-sidecar.sh && /docker-entrypoint.sh "
                    + "nginx -g 'daemon off;'"), List.of(), "101"),
            // seed 004, embedded root: Lacework's script before nginx's entrypoint, nginx's CMD given again
            "timarenz/nginx:root-embedded",
            config(List.of("/var/lib/lacework-backup/lacework-sidecar.sh", "/docker-entrypoint.sh"),
                    List.of("nginx", "-g", "daemon off;"), null),
            // seed 000: KubeArmor's socat demo image (the task definition gives the command)
            "daemon1024/ka-socat-demo:latest", config(List.of(), List.of("bash"), null),
            // the httpd image of AWS's examples: CMD httpd-foreground, no ENTRYPOINT, root
            "public.ecr.aws/docker/library/httpd:2.4", config(List.of(), List.of("httpd-foreground"), null),
            // AWS's container-dependency example uses placeholder image names
            "application_image", config(List.of("/app/start"), List.of("--serve"), "1000:1000"),
            "container_c_image", config(List.of(), List.of("nginx", "-g", "daemon off;"), null),
            // seed 004's non-root nginx, as its Dockerfile builds it: USER 101
            "nginxinc/nginx-unprivileged:1.23.1", config(List.of("/docker-entrypoint.sh"),
                    List.of("nginx", "-g", "daemon off;"), "101"));

    private SeedImageConfigs() {
    }

    static ImageConfig config(List<String> entrypoint, List<String> cmd, String user) {
        return new ImageConfig("test", "sha256:0", Platform.LINUX_AMD64, entrypoint, cmd, user, null, List.of(),
                Set.of(), Map.of(), null);
    }

    @Override
    public ImageConfig config(String image, Platform platform) throws RegistryException {
        ImageConfig c = TABLE.get(image);
        if (c == null) {
            throw new RegistryException(image + ": not found (test table)");
        }
        return c;
    }
}
