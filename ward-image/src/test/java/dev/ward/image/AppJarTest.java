package dev.ward.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The merge of the agent's jars into app/ward-agent.jar, on small jars written here. */
class AppJarTest {
    private static final String MR = "Manifest-Version: 1.0\nMulti-Release: true\n";
    private static final String PLAIN = "Manifest-Version: 1.0\n";

    @TempDir
    Path dir;

    @Test
    void servicesOfEveryJarAreJoinedEachProviderOnce() throws Exception {
        Path a = jar("a.jar", PLAIN, Map.of("META-INF/services/x.Spi", "# a's\na.One\na.Two\n", "a/One.class", "1"));
        Path b = jar("b.jar", PLAIN, Map.of("META-INF/services/x.Spi", "b.Three # b's\r\na.One\n",
                "META-INF/services/y.Other", "b.Four"));
        Path out = merge(a, b);
        assertThat(text(out, "META-INF/services/x.Spi")).isEqualTo("a.One\na.Two\nb.Three\n");
        assertThat(text(out, "META-INF/services/y.Other")).isEqualTo("b.Four\n");
        assertThat(text(out, "a/One.class")).isEqualTo("1");
        // what ServiceLoader reads: one file, every provider
        try (URLClassLoader l = new URLClassLoader(new URL[] {out.toUri().toURL()}, null)) {
            assertThat(Collections.list(l.getResources("META-INF/services/x.Spi"))).hasSize(1);
            assertThat(l.getResource("a/")).as("directory entries, for lookups by package").isNotNull();
        }
    }

    @Test
    void versionedEntriesOfMultiReleaseJarsStayAndThoseOfPlainJarsGo() throws Exception {
        Path mr = jar("mr.jar", MR, Map.of("m/A.class", "base", "META-INF/versions/11/m/A.class", "eleven",
                "META-INF/versions/9/module-info.class", "mi"));
        Path plain = jar("plain.jar", PLAIN, Map.of("p/B.class", "b", "META-INF/versions/17/p/B.class", "ignored"));
        Path out = merge(mr, plain);
        try (JarFile f = new JarFile(out.toFile(), false, java.util.zip.ZipFile.OPEN_READ, JarFile.runtimeVersion())) {
            assertThat(f.isMultiRelease()).isTrue();
            assertThat(read(f, "m/A.class")).as("the release's class, as from mr.jar").isEqualTo("eleven");
            assertThat(read(f, "p/B.class")).as("plain.jar's base class, as its JVM read it").isEqualTo("b");
            assertThat(f.getEntry("META-INF/versions/17/p/B.class")).isNull();
            assertThat(f.getEntry("META-INF/versions/9/module-info.class")).isNull();
        }
    }

    @Test
    void signaturesModuleInfoIndexesAndForeignNativeCodeAreDropped() throws Exception {
        Path a = jar("a.jar", PLAIN, Map.of("module-info.class", "mi", "META-INF/SIGNER.SF", "s", "META-INF/SIGNER.RSA",
                "r", "META-INF/INDEX.LIST", "i", "META-INF/native/libnetty_transport_native_epoll_x86_64.so", "x86",
                "META-INF/native/libnetty_tcnative_linux_aarch_64.so", "arm", "META-INF/native-image/a/conf.json", "{}",
                "META-INF/x/keep.SF", "nested: not a signature"));
        Path out = merge(a);
        try (JarFile f = new JarFile(out.toFile())) {
            assertThat(f.stream().map(ZipEntry::getName).filter(n -> !n.endsWith("/"))).containsExactlyInAnyOrder(
                    "META-INF/MANIFEST.MF", "META-INF/native/libnetty_transport_native_epoll_x86_64.so",
                    "META-INF/native-image/a/conf.json", "META-INF/x/keep.SF");
            assertThat(f.getManifest().getMainAttributes().getValue("Multi-Release")).isEqualTo("true");
        }
        Path arm = dir.resolve("arm.jar");
        AppJar.merge(List.of(a), arm, Arch.AARCH64);
        assertThat(entry(arm, "META-INF/native/libnetty_tcnative_linux_aarch_64.so")).isTrue();
        assertThat(entry(arm, "META-INF/native/libnetty_transport_native_epoll_x86_64.so")).isFalse();
    }

    @Test
    void nettysVersionPropertiesAreJoined() throws Exception {
        Path a = jar("a.jar", PLAIN, Map.of("META-INF/io.netty.versions.properties", "netty-common.version=4.2\n"));
        Path b = jar("b.jar", PLAIN, Map.of("META-INF/io.netty.versions.properties", "netty-buffer.version=4.2\n"));
        assertThat(text(merge(a, b), "META-INF/io.netty.versions.properties"))
                .isEqualTo("netty-common.version=4.2\nnetty-buffer.version=4.2\n");
    }

    @Test
    void twoDifferentClassesOfOneNameAreRefusedNamingBothJars() throws Exception {
        Path a = jar("lib-1.0.jar", PLAIN, Map.of("l/C.class", "one"));
        Path b = jar("lib-2.0.jar", PLAIN, Map.of("l/C.class", "two"));
        assertThatThrownBy(() -> merge(a, b)).isInstanceOf(IOException.class)
                .hasMessageContaining("l/C.class").hasMessageContaining("lib-1.0.jar").hasMessageContaining("lib-2.0.jar");
    }

    @Test
    void theSameClassTwiceIsKeptOnceEveryLicenceStaysAndOtherResourcesComeFromTheFirstJar() throws Exception {
        Path a = jar("a.jar", PLAIN, Map.of("l/C.class", "same", "META-INF/LICENSE.txt", "a's", "META-INF/m.kotlin_module",
                "a", "META-INF/NOTICE", "same notice"));
        Path b = jar("b.jar", PLAIN, Map.of("l/C.class", "same", "META-INF/LICENSE.txt", "b's", "META-INF/m.kotlin_module",
                "b", "META-INF/NOTICE", "same notice"));
        Path out = dir.resolve("out.jar");
        List<String> shadowed = AppJar.merge(List.of(a, b), out, Arch.X86_64);
        assertThat(text(out, "l/C.class")).isEqualTo("same");
        assertThat(text(out, "META-INF/LICENSE.txt")).isEqualTo("a's");
        assertThat(text(out, "META-INF/licenses/b.jar/LICENSE.txt")).isEqualTo("b's");
        assertThat(text(out, "META-INF/NOTICE")).isEqualTo("same notice");
        assertThat(entry(out, "META-INF/licenses/b.jar/NOTICE")).isFalse();
        assertThat(text(out, "META-INF/m.kotlin_module")).isEqualTo("a");
        assertThat(shadowed).singleElement().asString().contains("META-INF/m.kotlin_module", "a.jar", "b.jar");
    }

    @Test
    void aFileThatIsNoJarIsNamed() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.jar"), "not a zip");
        assertThatThrownBy(() -> merge(bad)).isInstanceOf(IOException.class).hasMessageContaining("bad.jar");
    }

    private Path merge(Path... jars) throws IOException {
        Path out = dir.resolve("merged-" + jars.length + "-" + System.nanoTime() + ".jar");
        assertThat(AppJar.merge(List.of(jars), out, Arch.X86_64)).isEmpty();
        return out;
    }

    private Path jar(String name, String manifest, Map<String, String> entries) throws IOException {
        Path p = dir.resolve(name);
        Map<String, String> all = new LinkedHashMap<>();
        all.put(JarFile.MANIFEST_NAME, manifest);
        all.putAll(entries);
        try (OutputStream o = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(o)) {
            for (Map.Entry<String, String> e : all.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return p;
    }

    private static String text(Path jar, String entry) throws IOException {
        try (JarFile f = new JarFile(jar.toFile())) {
            assertThat(f.getEntry(entry)).as(entry).isNotNull();
            return read(f, entry);
        }
    }

    private static boolean entry(Path jar, String entry) throws IOException {
        try (JarFile f = new JarFile(jar.toFile())) {
            return f.getEntry(entry) != null;
        }
    }

    private static String read(JarFile f, String entry) throws IOException {
        try (InputStream in = f.getInputStream(f.getJarEntry(entry))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
