package dev.ward.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * A root directory of another architecture's C library (Debian's libc6:arm64 unpacked, or an arm64 root file
 * system): where a cross-built bundle takes its loader, its libraries and env. Absolute symbolic links in it are
 * read as relative to the root, never to this machine's files.
 */
final class Sysroot {
    private static final int MAX_LINKS = 40;

    private final Path root;
    private final Arch arch;
    private final List<String> dirs;

    private Sysroot(Path root, Arch arch) {
        this.root = root;
        this.arch = arch;
        this.dirs = List.of("usr/lib/" + arch.multiarch(), "lib/" + arch.multiarch(), "usr/lib", "lib");
    }

    /** {@code root} checked: a directory with {@code arch}'s glibc loader of that architecture. */
    static Sysroot open(Path root, Arch arch) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("--sysroot " + root + ": not a directory");
        }
        Sysroot s = new Sysroot(root.toAbsolutePath().normalize(), arch);
        Path loader = s.find(arch.loader());
        if (loader == null) {
            throw new IllegalArgumentException("--sysroot " + root + ": no " + arch.loader() + " in " + String.join(", ",
                    s.dirs) + ": give an " + arch.unameName() + " root with glibc (Debian's libc6:" + arch.platform()
                    .architecture() + " unpacked with dpkg -x; .ci/arm64/fetch-arm64-jdk makes one)");
        }
        s.check(loader, "--sysroot " + root + ": " + arch.loader());
        return s;
    }

    Path root() {
        return root;
    }

    /** The library {@code soname} in the root's library directories, its links followed inside the root; or null. */
    Path find(String soname) throws IOException {
        for (String d : dirs) {
            Path p = resolve("/" + d + "/" + soname);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /** The file at {@code absolute} (a path inside the root, such as /usr/bin/env), links followed inside it; or null. */
    Path resolve(String absolute) throws IOException {
        String path = absolute;
        for (int i = 0; i < MAX_LINKS; i++) {
            Path host = root.resolve(path.substring(1));
            if (!Files.isSymbolicLink(host)) {
                return Files.isRegularFile(host, LinkOption.NOFOLLOW_LINKS) ? host : null;
            }
            Path target = Files.readSymbolicLink(host);
            String parent = Path.of(path).getParent().toString();
            path = target.isAbsolute() ? target.normalize().toString() : Path.of(parent).resolve(target).normalize().toString();
            if (!path.startsWith("/")) {
                return null;
            }
        }
        throw new IOException("--sysroot " + root + ": " + absolute + " has more than " + MAX_LINKS + " links in a row");
    }

    /** Throws unless {@code f} is an ELF object of the root's architecture; {@code what} names it. */
    void check(Path f, String what) throws IOException {
        int machine = Elf.machine(f, what);
        if (machine != arch.elfMachine()) {
            throw new IllegalArgumentException(what + " is " + Elf.describe(machine) + ", not " + arch.unameName());
        }
    }
}
