package dev.ward.registry.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * An image made in a test: platform, the runtime fields of its configuration, and layers. Immutable;
 * {@code with...} methods return changed copies. Push it with {@link LocalRegistry#push}.
 *
 * <pre>{@code
 * TestImage img = TestImage.linux("amd64").withEntrypoint("/bin/app").withCmd("--port", "80")
 *         .withUser("1000:1000").withLayer(Map.of("bin/app", "#!/bin/sh\n".getBytes()));
 * }</pre>
 */
public record TestImage(String os, String architecture, String variant, List<String> entrypoint,
                        List<String> cmd, String user, String workingDir, List<String> env,
                        List<String> volumes, Map<String, String> labels, List<Layer> layers, String stopSignal) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A layer: the uncompressed tar (for the config's diff_ids) and its gzip (the blob). */
    public record Layer(byte[] tar, byte[] gzip) { }

    public static TestImage linux(String architecture) {
        return new TestImage("linux", architecture, null, null, null, null, null, List.of(), List.of(),
                Map.of(), List.of(), null);
    }

    public TestImage withVariant(String v) {
        return new TestImage(os, architecture, v, entrypoint, cmd, user, workingDir, env, volumes, labels, layers, stopSignal);
    }

    public TestImage withEntrypoint(String... e) {
        return new TestImage(os, architecture, variant, List.of(e), cmd, user, workingDir, env, volumes, labels, layers, stopSignal);
    }

    public TestImage withCmd(String... c) {
        return new TestImage(os, architecture, variant, entrypoint, List.of(c), user, workingDir, env, volumes, labels, layers, stopSignal);
    }

    public TestImage withUser(String u) {
        return new TestImage(os, architecture, variant, entrypoint, cmd, u, workingDir, env, volumes, labels, layers, stopSignal);
    }

    public TestImage withWorkingDir(String w) {
        return new TestImage(os, architecture, variant, entrypoint, cmd, user, w, env, volumes, labels, layers, stopSignal);
    }

    public TestImage withEnv(String... e) {
        return new TestImage(os, architecture, variant, entrypoint, cmd, user, workingDir, List.of(e), volumes, labels, layers, stopSignal);
    }

    public TestImage withVolumes(String... v) {
        return new TestImage(os, architecture, variant, entrypoint, cmd, user, workingDir, env, List.of(v), labels, layers, stopSignal);
    }

    public TestImage withLabels(Map<String, String> l) {
        return new TestImage(os, architecture, variant, entrypoint, cmd, user, workingDir, env, volumes, Map.copyOf(l), layers, stopSignal);
    }

    public TestImage withStopSignal(String signal) {
        return new TestImage(os, architecture, variant, entrypoint, cmd, user, workingDir, env, volumes, labels, layers, signal);
    }

    /** Adds a layer holding {@code files} (path without leading slash to content, mode 0755). */
    public TestImage withLayer(Map<String, byte[]> files) {
        List<Layer> more = new ArrayList<>(layers);
        more.add(layer(files));
        return new TestImage(os, architecture, variant, entrypoint, cmd, user, workingDir, env, volumes, labels, List.copyOf(more), stopSignal);
    }

    /** The image configuration JSON (OCI/Docker: same fields). */
    public byte[] configJson() {
        ObjectNode root = JSON.createObjectNode().put("architecture", architecture).put("os", os);
        if (variant != null) {
            root.put("variant", variant);
        }
        ObjectNode config = root.putObject("config");
        if (entrypoint != null) {
            strings(config.putArray("Entrypoint"), entrypoint);
        }
        if (cmd != null) {
            strings(config.putArray("Cmd"), cmd);
        }
        if (user != null) {
            config.put("User", user);
        }
        if (workingDir != null) {
            config.put("WorkingDir", workingDir);
        }
        if (stopSignal != null) {
            config.put("StopSignal", stopSignal);
        }
        if (!env.isEmpty()) {
            strings(config.putArray("Env"), env);
        }
        if (!volumes.isEmpty()) {
            ObjectNode v = config.putObject("Volumes");
            volumes.forEach(p -> v.putObject(p));
        }
        if (!labels.isEmpty()) {
            ObjectNode l = config.putObject("Labels");
            new LinkedHashMap<>(labels).forEach(l::put);
        }
        ObjectNode rootfs = root.putObject("rootfs").put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        layers.forEach(layer -> diffIds.add(LocalRegistry.sha256(layer.tar())));
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    /** A gzipped ustar archive of regular files. */
    static Layer layer(Map<String, byte[]> files) {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> f : new java.util.TreeMap<>(files).entrySet()) {
            byte[] header = new byte[512];
            put(header, 0, f.getKey(), 100);
            put(header, 100, "0000755", 8);
            put(header, 108, "0000000", 8);
            put(header, 116, "0000000", 8);
            put(header, 124, String.format("%011o", f.getValue().length), 12);
            put(header, 136, String.format("%011o", 0), 12);
            header[156] = '0';
            put(header, 257, "ustar", 6);
            put(header, 263, "00", 2);
            java.util.Arrays.fill(header, 148, 156, (byte) ' ');
            int sum = 0;
            for (byte b : header) {
                sum += b & 0xff;
            }
            put(header, 148, String.format("%06o", sum), 7);
            tar.writeBytes(header);
            tar.writeBytes(f.getValue());
            tar.writeBytes(new byte[(512 - f.getValue().length % 512) % 512]);
        }
        tar.writeBytes(new byte[1024]);
        byte[] raw = tar.toByteArray();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Layer(raw, gz.toByteArray());
    }

    private static void put(byte[] header, int offset, String value, int max) {
        byte[] b = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, offset, Math.min(b.length, max));
    }
}
