package dev.ward.bench.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The C floor's rows (ward-bench/src/main/c/capturefloor.c): one mode of one round per run of the program, with its
 * own listeners and supervisor, the same workload loop, N and warm-up as Ward's rows. Run only while no Ward tracer
 * runs in this JVM: a tracer before __WNOTHREAD (docs/benchmarks.md) reaped every child of its JVM, and the
 * benchmark also runs against such jars.
 */
final class FloorRows {
    private final Path program;
    private final int n;
    private final int warm;
    private final boolean deferred;

    /** {@code deferred}: the floor's listeners accept only after the run (its -d), as the stand-in port then does. */
    FloorRows(Path program, int n, int warm, boolean deferred) {
        this.program = program;
        this.n = n;
        this.warm = warm;
        this.deferred = deferred;
    }

    /** One run of {@code mode} (untraced, ptrace-stop, ptrace-redirect...): the figures of its line. */
    Figures run(String mode) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(program.toString(), "-r", "1", "-n", Integer.toString(n),
                "-w", Integer.toString(warm)));
        if (deferred) {
            command.add("-d");
        }
        command.add(mode);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(program + " " + mode + " failed: " + out.strip());
        }
        for (String line : out.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 8 && f[0].equals(mode)) { // mode p10 median mean p99 workload supervisor process
                return new Figures(Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                        Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]),
                        Double.parseDouble(f[7]), -1);
            }
        }
        throw new IllegalStateException(program + " " + mode + ": no line for the mode in: " + out.strip());
    }
}
