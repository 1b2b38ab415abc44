package dev.ward.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Compiles the small C test workloads of a module ({@code src/test/c/NAME.c}) with gcc into
 * {@code target/test-programs/NAME}, once per build. C is fine for test workloads, never for the product.
 */
public final class CPrograms {
    private CPrograms() {
    }

    /** The executable for {@code src/test/c/NAME.c}, compiled with {@code extraFlags} (e.g. -static, -pthread). */
    public static synchronized Path get(String name, String... extraFlags) {
        Path src = Path.of("src/test/c", name + ".c").toAbsolutePath();
        String suffix = String.join("", extraFlags).replaceAll("[^A-Za-z0-9]", "");
        Path out = Path.of("target/test-programs", name + (suffix.isEmpty() ? "" : "-" + suffix)).toAbsolutePath();
        try {
            if (Files.exists(out) && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(src)) >= 0) {
                return out;
            }
            Files.createDirectories(out.getParent());
            List<String> cmd = new ArrayList<>(List.of("gcc", "-O2", "-Wall", "-o", out.toString(), src.toString()));
            cmd.addAll(List.of(extraFlags));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("gcc failed for " + src + ":\n" + log);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot compile " + src + " (is gcc installed?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
}
