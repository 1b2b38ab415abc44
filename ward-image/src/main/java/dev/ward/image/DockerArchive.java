package dev.ward.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes an image as the tar {@code docker load} and {@code podman load} read (docker-archive): the
 * configuration as {@code HEX.json}, each layer as {@code HEX.tar.gz}, and {@code manifest.json} naming them and
 * the image's name. Only images made from scratch: the layers of a base image are in a registry, not here.
 */
final class DockerArchive {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerArchive() {
    }

    /** Writes {@code build} named {@code name} to {@code tar} (replaced atomically); returns its manifest digest. */
    static String write(ImageBuild build, Path tar, String name) throws IOException {
        if (build.hasBase()) {
            throw new IllegalArgumentException("a docker-archive holds images made from scratch only");
        }
        Path parent = tar.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path part = Files.createTempFile(parent, ".ward-image", ".tar");
        try {
            byte[] config = build.config();
            String configName = hex(build.configDescriptor().digest()) + ".json";
            ObjectNode entry = JSON.createObjectNode().put("Config", configName);
            entry.putArray("RepoTags").add(name);
            ArrayNode layerNames = entry.putArray("Layers");
            try (OutputStream out = Files.newOutputStream(part)) {
                TarWriter w = new TarWriter(out);
                w.file(configName, 0644, config);
                for (ImageLayer layer : build.layers()) {
                    String layerName = hex(layer.digest()) + ".tar.gz";
                    layerNames.add(layerName);
                    try (InputStream in = Files.newInputStream(layer.file())) {
                        w.file(layerName, 0644, layer.size(), in);
                    }
                }
                w.file("manifest.json", 0644, JSON.writeValueAsBytes(JSON.createArrayNode().add(entry)));
                w.finish();
            }
            Files.move(part, tar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return ImageBuild.sha256(build.manifest());
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static String hex(String digest) {
        return digest.substring(digest.indexOf(':') + 1);
    }
}
