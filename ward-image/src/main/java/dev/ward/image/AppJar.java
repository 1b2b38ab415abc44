package dev.ward.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The bundle's app/ as one jar: the agent's jars merged at build time, so that the JVM checks one class path entry
 * against the start-up cache instead of one per jar, and a class or resource the cache lacks is found in one jar
 * instead of searched for jar by jar.
 *
 * <p>What the merge keeps and changes: service files ({@code META-INF/services/}) and Netty's version properties are
 * joined, each provider once; a multi-release jar's versioned entries stay (the merged jar is multi-release), a
 * plain jar's {@code META-INF/versions/} are left out, as its JVM never read them; native libraries under
 * {@code META-INF/native/} for another architecture are left out; manifests, signature files, jar indexes and
 * {@code module-info} are dropped (the agent runs on the class path). The same entry in two jars with the same bytes
 * is kept once; two different classes of one name are refused, naming both jars; a licence or notice file of one
 * name but another text is kept for each jar (the first's where it was, the others' under {@code
 * META-INF/licenses/JAR/}); any other resource of one name is taken from the first jar that has it, and reported.
 */
final class AppJar {
    static final String NAME = "ward-agent.jar";
    private static final String SERVICES = "META-INF/services/";
    private static final String VERSIONS = "META-INF/versions/";
    private static final String NATIVE = "META-INF/native/";
    private static final String LICENSES = "META-INF/licenses/";
    private static final Set<String> JOINED = Set.of("META-INF/io.netty.versions.properties");
    private static final Set<String> DROPPED = Set.of("META-INF/MANIFEST.MF", "META-INF/INDEX.LIST");

    private final Arch arch;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, Set<String>> joined = new TreeMap<>();
    private final Set<String> shadowed = new LinkedHashSet<>();

    private AppJar(Arch arch) {
        this.arch = arch;
    }

    /**
     * Writes {@code jars}, merged in the order given, to {@code target} (which must not exist); returns the resources
     * of one name but different bytes of which only the first jar's was kept (empty when none).
     */
    static List<String> merge(List<Path> jars, Path target, Arch arch) throws IOException {
        AppJar m = new AppJar(arch);
        for (Path jar : jars) {
            m.read(jar);
        }
        m.write(target);
        return List.copyOf(m.shadowed);
    }

    private void read(Path jar) throws IOException {
        String name = jar.getFileName().toString();
        try (JarFile f = new JarFile(jar.toFile(), false)) {
            Manifest mf = f.getManifest();
            boolean multiRelease = mf != null && "true".equalsIgnoreCase(mf.getMainAttributes()
                    .getValue(Attributes.Name.MULTI_RELEASE));
            Enumeration<? extends ZipEntry> all = f.entries();
            while (all.hasMoreElements()) {
                ZipEntry e = all.nextElement();
                String path = e.getName();
                if (e.isDirectory() || dropped(path, multiRelease)) {
                    continue;
                }
                byte[] bytes;
                try (InputStream in = f.getInputStream(e)) {
                    bytes = in.readAllBytes();
                }
                if (path.startsWith(SERVICES) || JOINED.contains(path)) {
                    join(path, bytes);
                } else {
                    add(path, new Entry(name, bytes, e.getTime()));
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new IOException(jar + ": not a readable jar (" + e.getMessage() + ")", e);
        }
    }

    private boolean dropped(String path, boolean multiRelease) {
        if (DROPPED.contains(path) || path.endsWith("module-info.class") && moduleInfo(path)) {
            return true;
        }
        if (path.startsWith(VERSIONS) && !multiRelease) {
            return true;
        }
        if (path.startsWith(NATIVE) && arch.foreignNative(path.substring(NATIVE.length()))) {
            return true;
        }
        return signature(path);
    }

    /** module-info.class at the root or of a release ({@code META-INF/versions/N/module-info.class}). */
    private static boolean moduleInfo(String path) {
        return path.equals("module-info.class") || path.startsWith(VERSIONS)
                && path.indexOf('/', VERSIONS.length()) == path.length() - "/module-info.class".length();
    }

    /** A jar signature's files: directly in META-INF, *.SF, *.RSA, *.DSA, *.EC or SIG-*. */
    private static boolean signature(String path) {
        if (!path.startsWith("META-INF/") || path.indexOf('/', "META-INF/".length()) >= 0) {
            return false;
        }
        String file = path.substring("META-INF/".length());
        return file.endsWith(".SF") || file.endsWith(".RSA") || file.endsWith(".DSA") || file.endsWith(".EC")
                || file.startsWith("SIG-");
    }

    private void join(String path, byte[] bytes) {
        Set<String> lines = joined.computeIfAbsent(path, p -> new LinkedHashSet<>());
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\r?\n")) {
            String kept = path.startsWith(SERVICES) ? line.replaceFirst("#.*", "").strip() : line;
            if (!kept.isBlank()) {
                lines.add(kept);
            }
        }
    }

    private void add(String path, Entry e) throws IOException {
        Entry before = entries.putIfAbsent(path, e);
        if (before == null || Arrays.equals(before.bytes, e.bytes)) {
            return;
        }
        if (path.endsWith(".class")) {
            throw new IOException("two different classes " + path + ", in " + before.jar + " and in " + e.jar
                    + ": the agent's jars cannot be merged into app/" + NAME + " (a dependency conflict: align the"
                    + " versions in the poms)");
        }
        if (legal(path)) {
            add(LICENSES + e.jar + "/" + path.substring(path.lastIndexOf('/') + 1), e);
        } else {
            shadowed.add(path + " (kept " + before.jar + "'s, not " + e.jar + "'s)");
        }
    }

    /** A licence or notice file under META-INF (LICENSE.txt, NOTICE, FastDoubleParser-NOTICE, ...). */
    private static boolean legal(String path) {
        String upper = path.toUpperCase(java.util.Locale.ROOT);
        return upper.startsWith("META-INF/") && (upper.contains("LICENSE") || upper.contains("NOTICE"));
    }

    private void write(Path target) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MULTI_RELEASE, "true");
        manifest.getMainAttributes().put(new Attributes.Name("Created-By"), "ward image bundle");
        try (OutputStream file = Files.newOutputStream(target, java.nio.file.StandardOpenOption.CREATE_NEW);
                ZipOutputStream out = new ZipOutputStream(file)) {
            put(out, new ZipEntry("META-INF/"), null);
            ZipEntry mf = new ZipEntry(JarFile.MANIFEST_NAME);
            put(out, mf, manifestBytes(manifest));
            for (Map.Entry<String, Set<String>> j : joined.entrySet()) {
                put(out, new ZipEntry(j.getKey()),
                        (String.join("\n", j.getValue()) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            Set<String> dirs = new HashSet<>();
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                directories(out, e.getKey(), dirs);
                ZipEntry z = new ZipEntry(e.getKey());
                z.setTime(e.getValue().time);
                put(out, z, e.getValue().bytes);
            }
        }
    }

    /** The parent directories of {@code path} not written yet (resources are looked up by directory too). */
    private static void directories(ZipOutputStream out, String path, Set<String> written) throws IOException {
        for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
            String dir = path.substring(0, i + 1);
            if (!dir.equals("META-INF/") && written.add(dir)) {
                put(out, new ZipEntry(dir), null);
            }
        }
    }

    private static void put(ZipOutputStream out, ZipEntry e, byte[] bytes) throws IOException {
        out.putNextEntry(e);
        if (bytes != null) {
            out.write(bytes);
        }
        out.closeEntry();
    }

    private static byte[] manifestBytes(Manifest m) throws IOException {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        m.write(buf);
        return buf.toByteArray();
    }

    private record Entry(String jar, byte[] bytes, long time) {
    }
}
