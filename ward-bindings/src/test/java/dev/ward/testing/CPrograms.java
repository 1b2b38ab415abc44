package dev.ward.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The small C test workloads of a module ({@code src/test/c/NAME.c}), compiled for the machine the tests run on.
 * C is fine for test workloads, never for the product.
 *
 * <p>Each program and its build flags are listed once, in {@code src/test/c/programs.txt}: lines
 * {@code NAME[ SUFFIX] FLAGS...} ({@code #} starts a comment), which scripts read too (the arm64 harness
 * cross-compiles every line). A test asks for {@code get(NAME, FLAGS...)}; the suffix is the flags without
 * their non-alphanumerics ({@code -pthread -static}: {@code pthreadstatic}), and the pair must be a line of the file.
 *
 * <p>Where the programs come from:
 * <ul>
 * <li>by default, compiled with {@code $WARD_TEST_CC} (default {@code gcc}) into
 *     {@code target/test-programs/NAME-ARCH[-SUFFIX]}, ARCH being {@code x86_64} or {@code aarch64}, so that a binary
 *     of another architecture is never reused; recompiled when the source is newer;</li>
 * <li>with {@code WARD_TEST_PROGRAMS=DIR}, taken prebuilt from {@code DIR/MODULE/NAME[-SUFFIX]} and never compiled
 *     (MODULE: system property {@code ward.test.module}, else the name of the working directory, which is the
 *     module's under Maven).</li>
 * </ul>
 */
public final class CPrograms {
    private static final String LIST = "src/test/c/programs.txt";

    private CPrograms() {
    }

    /** The executable for {@code src/test/c/NAME.c} built with {@code flags} (a line of programs.txt). */
    public static synchronized Path get(String name, String... flags) {
        String suffix = String.join("", flags).replaceAll("[^A-Za-z0-9]", "");
        String file = name + (suffix.isEmpty() ? "" : "-" + suffix);
        String prebuilt = System.getenv("WARD_TEST_PROGRAMS");
        if (prebuilt != null && !prebuilt.isEmpty()) {
            String module = System.getProperty("ward.test.module",
                    Path.of("").toAbsolutePath().getFileName().toString());
            Path p = Path.of(prebuilt, module, file).toAbsolutePath();
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException("WARD_TEST_PROGRAMS is set but " + p + " is missing: build every line "
                        + "of " + module + "/" + LIST + " into that directory (as .ci/arm64 does: CC -O2 -Wall -o "
                        + file + " src/test/c/" + name + ".c FLAGS), or unset WARD_TEST_PROGRAMS to compile here");
            }
            return p;
        }
        checkListed(name, suffix, flags);
        Path src = Path.of("src/test/c", name + ".c").toAbsolutePath();
        Path out = Path.of("target/test-programs", name + "-" + arch() + (suffix.isEmpty() ? "" : "-" + suffix))
                .toAbsolutePath();
        String cc = System.getenv().getOrDefault("WARD_TEST_CC", "gcc");
        try {
            if (Files.exists(out) && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(src)) >= 0) {
                return out;
            }
            Files.createDirectories(out.getParent());
            List<String> cmd = new ArrayList<>(List.of(cc, "-O2", "-Wall", "-o", out.toString(), src.toString()));
            cmd.addAll(List.of(flags));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(cc + " failed for " + src + ":\n" + log);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot compile " + src + " (is " + cc + " installed?): " + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The architecture programs are built for: {@code os.arch} as the kernel names it (x86_64, aarch64). */
    public static String arch() {
        String a = System.getProperty("os.arch");
        return switch (a) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> a;
        };
    }

    /** Runs {@code program} and returns its stdout (for layout and number probes). */
    public static String output(Path program, String... args) {
        try {
            List<String> cmd = new ArrayList<>();
            cmd.add(program.toString());
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Fails unless programs.txt has the line {@code NAME[ SUFFIX] FLAGS}, so that scripts build what tests use. */
    private static void checkListed(String name, String suffix, String... flags) {
        Path list = Path.of(LIST).toAbsolutePath();
        List<String> lines;
        try {
            lines = Files.readAllLines(list);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + list + ": " + e.getMessage(), e);
        }
        List<String> wanted = new ArrayList<>(List.of(name));
        if (!suffix.isEmpty()) {
            wanted.add(suffix);
        }
        wanted.addAll(List.of(flags));
        for (String line : lines) {
            String code = line.replaceAll("#.*", "").strip();
            if (!code.isEmpty() && Arrays.asList(code.split("\\s+")).equals(wanted)) {
                return;
            }
        }
        throw new IllegalStateException(list + ": no line '" + String.join(" ", wanted) + "' for the program a test "
                + "asks for: add it (NAME[ SUFFIX] FLAGS..., the suffix being the flags' letters and digits)");
    }
}
