package dev.ward.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.registry.Descriptor;
import dev.ward.registry.MediaTypes;
import dev.ward.registry.Platform;
import dev.ward.registry.RegistryClient;
import dev.ward.registry.RegistryException;
import dev.ward.registry.RegistryPush;
import dev.ward.registry.RemoteImage;
import dev.ward.registry.TransferProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * An image being made: a base (an image in a registry, or nothing), layers added on top and the configuration's
 * changes. The configuration is the base's with only the changes made here (creation time fixed at the epoch,
 * as layers' are, so that the same inputs give the same digest); the manifest keeps the base's format (OCI or
 * Docker v2 schema 2; Docker from scratch). Writes to a registry ({@link #push}) or a tar ({@link DockerArchive}).
 */
final class ImageBuild {
    static final String EPOCH = "1970-01-01T00:00:00Z";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RemoteImage base;
    private final ObjectNode config;
    private final boolean oci;
    private final List<ImageLayer> layers = new ArrayList<>();

    private ImageBuild(RemoteImage base, ObjectNode config, boolean oci) {
        this.base = base;
        this.config = config;
        this.oci = oci;
        config.put("created", EPOCH);
        config.withObjectProperty("config");
        ObjectNode rootfs = config.withObjectProperty("rootfs");
        rootfs.put("type", "layers");
        rootfs.withArrayProperty("diff_ids");
        config.withArrayProperty("history");
    }

    /** An image of nothing but what is added, for {@code platform}. */
    static ImageBuild scratch(Platform platform) {
        ObjectNode c = JSON.createObjectNode().put("architecture", platform.architecture()).put("os", platform.os());
        if (platform.variant() != null) {
            c.put("variant", platform.variant());
        }
        return new ImageBuild(null, c, false);
    }

    /** {@code base} with its layers, configuration and manifest format. */
    static ImageBuild on(RemoteImage base) throws RegistryException {
        JsonNode c;
        try {
            c = JSON.readTree(base.configJson());
        } catch (IOException e) {
            throw new RegistryException(base.image() + ": its configuration is not valid JSON", e);
        }
        if (!(c instanceof ObjectNode o)) {
            throw new RegistryException(base.image() + ": its configuration is not a JSON object");
        }
        return new ImageBuild(base, o, base.isOci());
    }

    ImageBuild entrypoint(List<String> argv) {
        strings(runtime().putArray("Entrypoint"), argv);
        return this;
    }

    /** The CMD; an empty list removes it. */
    ImageBuild cmd(List<String> argv) {
        if (argv.isEmpty()) {
            runtime().remove("Cmd");
        } else {
            strings(runtime().putArray("Cmd"), argv);
        }
        return this;
    }

    ImageBuild volume(String path) {
        runtime().withObjectProperty("Volumes").putObject(path);
        return this;
    }

    ImageBuild label(String key, String value) {
        runtime().withObjectProperty("Labels").put(key, value);
        return this;
    }

    /** Removes a field of the runtime configuration (such as StopSignal). */
    ImageBuild without(String field) {
        runtime().remove(field);
        return this;
    }

    /** Adds {@code layer} on top, recorded in the history as made by {@code createdBy}. */
    ImageBuild layer(ImageLayer layer, String createdBy) {
        layers.add(layer);
        ((ArrayNode) config.get("rootfs").get("diff_ids")).add(layer.diffId());
        ((ArrayNode) config.get("history")).addObject().put("created", EPOCH).put("created_by", createdBy);
        return this;
    }

    /** The configuration's bytes. */
    byte[] config() {
        return bytes(config);
    }

    String manifestType() {
        return oci ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST;
    }

    Descriptor configDescriptor() {
        byte[] c = config();
        return new Descriptor(oci ? MediaTypes.OCI_CONFIG : MediaTypes.DOCKER_CONFIG, sha256(c), c.length);
    }

    /** The added layers' descriptors. */
    List<Descriptor> added() {
        String type = oci ? MediaTypes.OCI_LAYER : MediaTypes.DOCKER_LAYER;
        return layers.stream().map(l -> new Descriptor(type, l.digest(), l.size())).toList();
    }

    List<ImageLayer> layers() {
        return List.copyOf(layers);
    }

    /** True when the image has layers in a registry (a base), false when made from scratch. */
    boolean hasBase() {
        return base != null;
    }

    /** The manifest's bytes: the configuration, the base's layers, then the added ones. */
    byte[] manifest() {
        ObjectNode m = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", manifestType());
        descriptor(m.putObject("config"), configDescriptor());
        ArrayNode array = m.putArray("layers");
        if (base != null) {
            base.layers().forEach(d -> descriptor(array.addObject(), d));
        }
        added().forEach(d -> descriptor(array.addObject(), d));
        return bytes(m);
    }

    /** Pushes to {@code to}: the base's layers (mounted or copied when missing), the added ones, the configuration, then the manifest; returns its digest. */
    String push(RegistryClient client, String to) throws RegistryException {
        return push(client, to, TransferProgress.NONE);
    }

    /** Like {@link #push(RegistryClient, String)}, showing each blob's move on {@code progress}. */
    String push(RegistryClient client, String to, TransferProgress progress) throws RegistryException {
        RegistryPush push = client.push(to).progress(progress);
        if (base != null) {
            for (Descriptor d : base.layers()) {
                push.copy(base, d);
            }
        }
        List<Descriptor> added = added();
        for (int i = 0; i < added.size(); i++) {
            push.upload(added.get(i), layers.get(i).file());
        }
        push.upload(configDescriptor(), config());
        return push.putManifest(manifestType(), manifest());
    }

    static String sha256(byte[] bytes) {
        MessageDigest d = ImageLayer.sha256();
        d.update(bytes);
        return ImageLayer.hex(d);
    }

    private ObjectNode runtime() {
        return config.withObjectProperty("config");
    }

    private static void descriptor(ObjectNode n, Descriptor d) {
        n.put("mediaType", d.mediaType()).put("size", d.size()).put("digest", d.digest());
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
