package dev.ward.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The program a dynamic loader was asked to run: {@code /lib64/ld-linux-x86-64.so.2 /usr/bin/id} executes
 * the loader, which then maps {@code /usr/bin/id} itself. Process rules must hold on that program too, so
 * at the loader's exec stop its command line is read (the new image is single-threaded and has not run an
 * instruction: nothing can change it meanwhile) and its program argument decided like an execve path.
 */
final class Loader {
    /** glibc's and musl's loader options that take a value. */
    private static final Set<String> WITH_VALUE = Set.of("--library-path", "--inhibit-rpath", "--audit", "--preload",
            "--argv0", "--glibc-hwcaps-prepend", "--glibc-hwcaps-mask");

    private Loader() {
    }

    /** Whether {@code exe} (an absolute path) is a dynamic loader: ld-linux*, ld-musl*, ld.so. */
    static boolean isLoader(byte[] exe, int length) {
        int slash = length - 1;
        while (slash >= 0 && exe[slash] != '/') {
            slash--;
        }
        String name = new String(exe, slash + 1, length - slash - 1, StandardCharsets.UTF_8);
        return name.startsWith("ld-linux") || name.startsWith("ld-musl") || name.equals("ld.so")
                || name.startsWith("ld64.so");
    }

    /** The program argument in the loader's argv (argv[0] is the loader), or null (--list, --help, none). */
    static String program(List<String> argv) {
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("--")) {
                return i + 1 < argv.size() ? argv.get(i + 1) : null;
            }
            if (!a.startsWith("--")) {
                return a;
            }
            if (WITH_VALUE.contains(a)) {
                i++; // its value
            }
        }
        return null;
    }

    /** A loader's program argument made absolute against the process's {@code cwd}, with symlinks resolved. */
    static byte[] resolve(dev.ward.bindings.ProcFs proc, String cwd, String program) {
        String abs = program.startsWith("/") ? program : cwd.endsWith("/") ? cwd + program : cwd + "/" + program;
        byte[] raw = abs.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[dev.ward.bindings.ProcFs.PATH_MAX];
        int r = proc.realpath(raw, raw.length, out);
        return r > 0 ? java.util.Arrays.copyOf(out, r) : raw;
    }

    /** argv of process {@code pid} from /proc (empty when unreadable). */
    static List<String> argv(int pid) {
        try {
            return dev.ward.bindings.Posix.cmdline(Integer.toString(pid));
        } catch (IOException e) {
            return List.of();
        }
    }
}
