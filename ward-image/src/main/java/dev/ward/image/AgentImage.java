package dev.ward.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.api.WardVersion;
import dev.ward.registry.ImageReference;
import dev.ward.registry.MediaTypes;
import dev.ward.registry.Platform;
import dev.ward.registry.RegistryClient;
import dev.ward.registry.RegistryException;
import dev.ward.registry.TransferProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The agent image (ward-agent) of one platform: from scratch, one layer with the bundle at /ward, /ward a volume,
 * {@code version} its command; and several platforms' images pushed under one tag as a multi-platform index
 * (Docker manifest list, as the images are Docker v2 manifests), each image first pushed by its digest.
 */
final class AgentImage {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AgentImage() {
    }

    /** The image of {@code arch} holding {@code bundle} (its layer written under {@code work}). */
    static ImageBuild of(Path bundle, Arch arch, Path work) throws IOException {
        return ImageBuild.scratch(arch.platform())
                .entrypoint(List.of(Bundle.ROOT + "/bin/java", "@" + Bundle.ROOT + "/ward.args", "version"))
                .volume(Bundle.ROOT)
                .label("org.opencontainers.image.title", "ward-agent")
                .label("org.opencontainers.image.version", WardVersion.version())
                .layer(ImageLayer.of(bundle, Bundle.ROOT, work.resolve("ward-" + arch.unameName() + ".tar.gz")),
                        "ward image build-agent: the agent bundle at " + Bundle.ROOT);
    }

    /** The architecture of the bundle in {@code dir}, read from its bin/java; refuses a directory that is no bundle. */
    static Arch archOf(Path dir) throws IOException {
        Path java = dir.resolve("bin/java");
        if (!Files.isRegularFile(java)) {
            throw new IllegalArgumentException(dir + " is not a Ward bundle (no bin/java): make one with ward image bundle");
        }
        int machine = Elf.machine(java, dir + "/bin/java");
        Arch a = Arch.ofElfMachine(machine);
        if (a == null) {
            throw new IllegalArgumentException(dir + "/bin/java is " + Elf.describe(machine) + ": not a platform Ward supports");
        }
        return a;
    }

    /** Throws unless the bundle in {@code dir} is of {@code arch}, saying how to make the right one. */
    static void expect(Path dir, Arch arch, String purpose) throws IOException {
        Arch has = archOf(dir);
        if (has != arch) {
            throw new IllegalArgumentException("the bundle " + dir + " is " + has.unameName() + " (" + has.platform()
                    + "), but " + purpose + " is " + arch.platform() + ": give a bundle of that platform (ward image "
                    + "bundle --platform " + arch.platform() + (arch == Arch.X86_64 ? "" : " --jdk DIR --sysroot DIR")
                    + ")");
        }
    }

    /**
     * Pushes {@code images} to {@code to}: one image as it is, several as an index listing each platform's image
     * (pushed first, by digest, into the same repository). Returns the digest of what {@code to} names.
     */
    static String push(RegistryClient client, String to, Map<Arch, ImageBuild> images, TransferProgress progress)
            throws RegistryException {
        if (images.size() == 1) {
            return images.values().iterator().next().push(client, to, progress);
        }
        ImageReference ref;
        try {
            ref = ImageReference.parse(to);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(e.getMessage(), e);
        }
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.DOCKER_LIST);
        ArrayNode manifests = index.putArray("manifests");
        for (Map.Entry<Arch, ImageBuild> e : images.entrySet()) {
            ImageBuild image = e.getValue();
            byte[] manifest = image.manifest();
            String digest = ImageBuild.sha256(manifest);
            image.push(client, ref.registry() + "/" + ref.repository() + "@" + digest, progress);
            ObjectNode entry = manifests.addObject().put("mediaType", image.manifestType()).put("size", manifest.length)
                    .put("digest", digest);
            Platform p = e.getKey().platform();
            ObjectNode platform = entry.putObject("platform").put("architecture", p.architecture()).put("os", p.os());
            if (p.variant() != null) {
                platform.put("variant", p.variant());
            }
        }
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(index);
        } catch (IOException e) {
            throw new RegistryException(to + ": cannot write the index: " + e.getMessage(), e);
        }
        return client.push(to).putManifest(MediaTypes.DOCKER_LIST, bytes);
    }
}
