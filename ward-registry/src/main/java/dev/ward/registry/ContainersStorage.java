package dev.ward.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Images in this machine's containers-storage (what {@code podman images} lists, and what skopeo reads as
 * {@code containers-storage:IMAGE}): images built or pulled with podman or buildah that are in no registry, such as
 * {@code localhost/app:1}. Read with {@code podman image inspect}, whose {@code Config} is the OCI image config, so
 * the same reading as a registry's applies. Runs podman, so it is for the CLI, never for the agent.
 */
public final class ContainersStorage {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 60;
    private final List<String> podman;

    /** podman from the PATH. */
    public ContainersStorage() {
        this(List.of("podman"));
    }

    /** @param podman the command that runs podman (with its global options, if any) */
    public ContainersStorage(List<String> podman) {
        this.podman = List.copyOf(podman);
    }

    /** Whether {@code image} names this machine's own images: {@code localhost/...}, which no registry serves. */
    public static boolean local(String image) {
        return ImageReference.parse(image).registry().equals("localhost");
    }

    /**
     * The configuration of {@code image} as stored here, or null when it is not here (or podman cannot be run).
     *
     * @throws RegistryException when it is here but for another platform
     */
    public ImageConfig find(String image, Platform wanted) throws RegistryException {
        List<String> cmd = new ArrayList<>(podman);
        cmd.addAll(List.of("image", "inspect", "--format", "json", image));
        byte[] out;
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            if (p.exitValue() != 0) {
                return null; // "image not known": not here
            }
        } catch (IOException e) {
            return null; // no podman on this machine: nothing is stored here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        JsonNode all;
        try {
            all = JSON.readTree(out);
        } catch (IOException e) {
            throw new RegistryException(image + ": podman image inspect printed no JSON: "
                    + new String(out, StandardCharsets.UTF_8).strip(), e);
        }
        JsonNode i = all == null ? null : all.path(0);
        if (i == null || !i.isObject()) {
            return null;
        }
        // the shape of an OCI image config, which Manifests reads for registries too
        ObjectNode config = JSON.createObjectNode();
        config.put("os", i.path("Os").asText(""));
        config.put("architecture", i.path("Architecture").asText(""));
        if (i.hasNonNull("Variant") && !i.path("Variant").asText().isEmpty()) {
            config.put("variant", i.path("Variant").asText());
        }
        config.set("config", i.path("Config"));
        String digest = i.path("Digest").asText(i.path("Id").asText(""));
        try {
            return Manifests.imageConfig(image, digest, JSON.writeValueAsBytes(config), wanted, null);
        } catch (IOException e) {
            throw new RegistryException(image + ": " + e.getMessage(), e);
        }
    }
}
