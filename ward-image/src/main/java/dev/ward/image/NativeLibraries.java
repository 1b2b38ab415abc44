package dev.ward.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The bundle's own C library: every library the runtime's ELF objects need, found with this machine's ldd (or, for
 * another architecture, in a sysroot by their NEEDED entries) and copied into glibc/, then every object patched (patchelf) to load from /ward/glibc first. The image's libraries are never
 * used, so the bundle runs in images without glibc (busybox-static, distroless).
 */
final class NativeLibraries {
    /** Libraries glibc dlopens by name (see copyGlibc), copied when the build machine has them. */
    static final List<String> DLOPENED = List.of("libnss_files.so.2", "libnss_dns.so.2", "libnss_compat.so.2",
            "libnss_hesiod.so.2", "libresolv.so.2", "libgcc_s.so.1");

    private NativeLibraries() {
    }

    static void copyAndPatch(Path runtime, BundleTarget to, Bundle.Progress progress) throws IOException, InterruptedException {
        if (to.linkedHere()) {
            copyGlibc(runtime, runtime.resolve("glibc"), progress);
        } else {
            copyFromSysroot(runtime, to.sysroot(), to.arch(), progress);
        }
        patch(runtime, to.arch());
    }

    /**
     * Another architecture's libraries: the NEEDED entries (patchelf --print-needed, which reads any ELF machine; ldd
     * would run the objects) of the runtime's objects, of what they bring, and the libraries glibc dlopens, all
     * taken from the sysroot; every object is checked to be of the bundle's architecture.
     */
    private static void copyFromSysroot(Path runtime, Sysroot sysroot, Arch arch, Bundle.Progress progress)
            throws IOException, InterruptedException {
        Set<String> own = new HashSet<>();
        for (Path so : elfObjects(runtime)) {
            own.add(so.getFileName().toString());
        }
        Map<String, Path> libs = new TreeMap<>();
        Deque<Path> todo = new ArrayDeque<>(elfObjects(runtime));
        for (String name : DLOPENED) {
            Path lib = sysroot.find(name);
            if (lib != null) {
                libs.put(name, lib);
                todo.add(lib);
            }
        }
        while (!todo.isEmpty()) {
            Path elf = todo.poll();
            sysroot.check(elf, elf.startsWith(runtime) ? "the runtime's " + runtime.relativize(elf) : elf.toString());
            for (String name : Commands.run(List.of("patchelf", "--print-needed", elf.toString())).split("\n")) {
                String n = name.strip();
                if (n.isEmpty() || own.contains(n) || libs.containsKey(n) || n.equals(arch.loader())) {
                    continue;
                }
                Path lib = sysroot.find(n);
                if (lib == null) {
                    throw new IllegalArgumentException("--sysroot " + sysroot.root() + ": no " + n + " (needed by "
                            + elf.getFileName() + ") in its library directories: add the package that has it");
                }
                libs.put(n, lib);
                todo.add(lib);
            }
        }
        Path glibc = runtime.resolve("glibc");
        Files.createDirectories(glibc);
        Files.copy(sysroot.find(arch.loader()), glibc.resolve(arch.loader()));
        for (Map.Entry<String, Path> e : libs.entrySet()) {
            Files.copy(e.getValue(), glibc.resolve(e.getKey()));
        }
        try (Stream<Path> s = Files.list(glibc)) {
            s.forEach(f -> Commands.setMode(f, "rwxr-xr-x"));
        }
        progress.step("C libraries in glibc/ from " + sysroot.root() + ": " + arch.loader() + ", "
                + String.join(", ", libs.keySet()));
    }

    /** Every library the runtime's ELF objects need, resolved by this machine's loader, copied by soname. */
    private static void copyGlibc(Path runtime, Path glibc, Bundle.Progress progress) throws IOException, InterruptedException {
        Map<String, Path> libs = new TreeMap<>();
        Path loader = null;
        for (Path elf : elfObjects(runtime)) {
            for (String line : Commands.run(List.of("ldd", elf.toString())).split("\n")) {
                String l = line.strip();
                int arrow = l.indexOf(" => ");
                if (l.startsWith("/") && l.contains("ld-linux")) {
                    loader = Path.of(l.split(" ")[0]);
                } else if (arrow > 0) {
                    String soname = l.substring(0, arrow).strip();
                    String path = l.substring(arrow + 4).split(" ")[0];
                    if (path.startsWith("/") && !path.startsWith(runtime.toString())) {
                        libs.put(soname, Path.of(path));
                    }
                }
            }
        }
        if (loader == null) {
            throw new IllegalStateException("ldd did not name the ELF loader of " + runtime.resolve("bin/java"));
        }
        // What glibc loads by name at run time, which no NEEDED entry shows: NSS modules (the JVM looks its user up
        // at start; an image's nsswitch.conf may say compat) with libresolv, and libgcc_s (thread cancellation).
        // Found in the bundle first, they are never the image's builds of another glibc.
        Path libcDir = libs.containsKey("libc.so.6") ? libs.get("libc.so.6").toRealPath().getParent() : null;
        for (String name : DLOPENED) {
            Path lib = libcDir == null ? null : libcDir.resolve(name);
            if (lib != null && Files.isRegularFile(lib) && !libs.containsKey(name)) {
                libs.put(name, lib);
            }
        }
        Files.createDirectories(glibc);
        Files.copy(loader.toRealPath(), glibc.resolve("ld-linux-x86-64.so.2"));
        for (Map.Entry<String, Path> e : libs.entrySet()) {
            Files.copy(e.getValue().toRealPath(), glibc.resolve(e.getKey()));
        }
        try (Stream<Path> s = Files.list(glibc)) {
            s.forEach(f -> Commands.setMode(f, "rwxr-xr-x"));
        }
        progress.step("C libraries in glibc/: ld-linux-x86-64.so.2, " + String.join(", ", libs.keySet()));
    }

    /**
     * bin/java starts through the bundled loader; every object looks in /ward/glibc before anywhere else. DT_RPATH,
     * not DT_RUNPATH: the loader searches RUNPATH only after LD_LIBRARY_PATH, so an image that sets LD_LIBRARY_PATH
     * (its environment is the agent's) would hand the agent its own libc; RPATH comes first, and the executable's
     * RPATH also covers what libc itself loads later (dlopen of libgcc_s, NSS modules).
     */
    private static void patch(Path runtime, Arch arch) throws IOException, InterruptedException {
        String glibc = Bundle.ROOT + "/glibc";
        // The launcher, and the JDK's helper executables (jspawnhelper starts child JVMs: the AOT cache is
        // assembled by one).
        for (Path exe : List.of(runtime.resolve("bin/java"), runtime.resolve("bin/env"), runtime.resolve("lib/jspawnhelper"),
                runtime.resolve("lib/jexec"))) {
            if (Files.isRegularFile(exe)) {
                Commands.run(List.of("patchelf", "--set-interpreter", glibc + "/" + arch.loader(), "--force-rpath", "--set-rpath",
                        glibc + ":$ORIGIN/../lib", exe.toString()));
            }
        }
        for (Path elf : elfObjects(runtime)) {
            if (elf.getFileName().toString().endsWith(".so")) {
                Commands.run(List.of("patchelf", "--force-rpath", "--set-rpath", glibc + ":$ORIGIN:$ORIGIN/..", elf.toString()));
            }
        }
    }

    private static List<Path> elfObjects(Path runtime) throws IOException {
        List<Path> out = new ArrayList<>();
        out.add(runtime.resolve("bin/java"));
        out.add(runtime.resolve("bin/env"));
        try (Stream<Path> s = Files.walk(runtime.resolve("lib"))) {
            s.filter(f -> f.getFileName().toString().endsWith(".so") && Files.isRegularFile(f)).sorted().forEach(out::add);
        }
        return out;
    }
}
