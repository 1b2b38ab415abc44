package dev.ward.bench.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Where does Ward's captured connect() stand against its C floor? One C workload loop (capturefloor -t: N blocking
 * connects after 500 untimed, each socket closed with SO_LINGER 0 so that no TIME_WAIT piles up, the call alone
 * timed) runs six ways in each round, the order rotated by one each round: untraced, to the stand-in capture port in
 * this JVM; under Ward's tracer with the capture on, to that port's own loopback address (a stop, left alone) and to
 * 198.51.100.7:80, which the capture redirects to it; and the C floor (ward-bench/src/main/c/capturefloor.c, its own
 * listeners and supervisor, ptrace) untraced, as a bare stop and as the whole redirect. Per row and round: connect p10,
 * median, mean and p99 in µs; CPU per timed connect of the workload, of the tracer (thread) and of its process (this
 * JVM, or the floor's supervisor process: the accepting thread included); Ward's tracer bytes allocated per connect.
 * Then, over the rounds after the first (the first warms the tracer's JIT up), the medians, what each row adds to its
 * own side's untraced connect of the same round, and Ward minus the floor. The 10th percentile and CPU time are what a
 * loaded machine blurs least.
 *
 * <p>With {@code -Dcapture.defer=true} no thread accepts while connects are timed (the stand-in port and the floor's
 * listeners accept after each run: N + 500 must fit net.core.somaxconn); without it each accepts during the loop, as
 * the proxy would. The stand-in port then claims each redirected connection's entry as the mesh's capture port does,
 * waiting for entries the tracer records after the accept ({@link StandInPort}).
 *
 * <p>Run: {@code ward-bench/capture-vs-floor.sh [N [ROUNDS]]}, which builds the C program and passes it as
 * {@code -Dcapture.floor=PATH}.
 */
public final class ConnectCaptureBenchmark {
    private static final int WARM = 500;
    private static final String[] ROWS = {"untraced", "ward stop", "ward redirect", "floor untraced", "floor stop",
        "floor redirect"};

    private ConnectCaptureBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        String floorPath = System.getProperty("capture.floor");
        if (floorPath == null || !Files.isExecutable(Path.of(floorPath))) {
            throw new IllegalArgumentException("-Dcapture.floor=PATH: the capturefloor program (built by "
                    + "ward-bench/capture-vs-floor.sh) is needed, got " + floorPath);
        }
        boolean deferred = Boolean.getBoolean("capture.defer");
        long somaxconn = Long.parseLong(firstLine("/proc/sys/net/core/somaxconn").strip());
        if (deferred && n + WARM > somaxconn) {
            throw new IllegalArgumentException("-Dcapture.defer=true: N + 500 = " + (n + WARM) + " connects must fit "
                    + "the listen backlog (net.core.somaxconn = " + somaxconn + "); try N = " + (somaxconn - WARM));
        }
        Path program = Path.of(floorPath).toAbsolutePath();
        Path dir = Files.createTempDirectory("ward-capture-bench");
        mkfifo(dir.resolve("in")); // before any tracer runs: an older one would reap mkfifo
        mkfifo(dir.resolve("out"));
        Figures[][] figures = new Figures[ROWS.length][rounds];
        try (StandInPort port = new StandInPort()) {
            WardRows ward = new WardRows(program, dir, n, WARM, port);
            FloorRows floor = new FloorRows(program, n, WARM, deferred);
            System.out.println("connect() µs: p10 median mean p99; CPU µs per timed connect: workload, tracer thread,"
                    + " its process; tracer bytes per connect; N=" + n + ", accepts "
                    + (deferred ? "after each run" : "during the loop"));
            for (int round = 0; round < rounds; round++) {
                System.out.println("round " + (round + 1) + " (load " + load() + ")");
                for (int k = 0; k < ROWS.length; k++) {
                    int row = (k + round) % ROWS.length;
                    figures[row][round] = run(row, ward, floor, port, n, deferred);
                    System.out.printf("  %-15s %s%n", ROWS[row], figures[row][round]);
                }
            }
            System.out.println("left in the redirect table: " + port.leftInTable() + "; claimed on a retry: "
                    + port.late() + "; unclaimed after 200 ms: " + port.unclaimed() + "; load " + load());
        }
        summary(figures, rounds);
    }

    private static Figures run(int row, WardRows ward, FloorRows floor, StandInPort port, int n, boolean deferred)
            throws Exception {
        if (row >= 3) {
            return floor.run(row == 3 ? "untraced" : row == 4 ? "ptrace-stop" : "ptrace-redirect");
        }
        long before = port.accepted();
        port.accepting(!deferred);
        // Deferred, a source port comes back (closed with a reset) before its first connection was accepted, so the
        // table is not claimed from but emptied after the run.
        port.claiming(row == 2 && !deferred);
        Figures f = row == 0 ? ward.untraced() : ward.traced(row == 1 ? ward.local() : WardRows.MESHED);
        if (!port.awaitAccepted(before, n + WARM)) {
            throw new IllegalStateException(ROWS[row] + ": " + (port.accepted() - before) + " connections reached "
                    + "the stand-in port, expected " + (n + WARM));
        }
        port.claiming(false);
        if (deferred) {
            port.forget();
        }
        return f;
    }

    /** Medians over the rounds after the first (all of them when there is one). */
    private static void summary(Figures[][] f, int rounds) {
        int from = rounds > 1 ? 1 : 0;
        System.out.println("median over rounds " + (from + 1) + " to " + rounds + ": p10 median, added to its side's"
                + " untraced p10 median (per round), CPU workload tracer process");
        for (int row = 0; row < ROWS.length; row++) {
            int base = row < 3 ? 0 : 3;
            int r = row;
            System.out.printf("  %-15s %6.1f %6.1f   %+6.1f %+6.1f   %6.1f %6.1f %6.1f%n", ROWS[row],
                    median(f, r, from, Figures::p10), median(f, r, from, Figures::median),
                    median(f, from, x -> x[r].p10() - x[base].p10()),
                    median(f, from, x -> x[r].median() - x[base].median()), median(f, r, from, Figures::workloadCpu),
                    median(f, r, from, Figures::tracerCpu), median(f, r, from, Figures::processCpu));
        }
        System.out.println("Ward minus the floor, per round then the median: p10, added p10, median, tracer CPU,"
                + " process CPU");
        for (int row = 1; row < 3; row++) {
            int w = row;
            int c = row + 3;
            System.out.printf("  %-15s %+6.1f %+6.1f %+6.1f   %+6.1f %+6.1f%n", ROWS[row].substring(5),
                    median(f, from, x -> x[w].p10() - x[c].p10()),
                    median(f, from, x -> x[w].p10() - x[0].p10() - x[c].p10() + x[3].p10()),
                    median(f, from, x -> x[w].median() - x[c].median()),
                    median(f, from, x -> x[w].tracerCpu() - x[c].tracerCpu()),
                    median(f, from, x -> x[w].processCpu() - x[c].processCpu()));
        }
    }

    private static double median(Figures[][] f, int row, int from, ToDoubleFunction<Figures> value) {
        return median(f, from, x -> value.applyAsDouble(x[row]));
    }

    /** The median over rounds {@code from}.. of a value of one round's rows. */
    private static double median(Figures[][] f, int from, ToDoubleFunction<Figures[]> value) {
        List<Double> v = new ArrayList<>();
        for (int round = from; round < f[0].length; round++) {
            Figures[] rows = new Figures[f.length];
            for (int row = 0; row < f.length; row++) {
                rows[row] = f[row][round];
            }
            v.add(value.applyAsDouble(rows));
        }
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static void mkfifo(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("mkfifo " + path + " failed");
        }
    }

    private static String load() throws IOException {
        return firstLine("/proc/loadavg").split(" ")[0];
    }

    /** A /proc file's first line (Files.readString reads some of them short: "4" of somaxconn's "4096"). */
    private static String firstLine(String path) throws IOException {
        try (var in = Files.newBufferedReader(Path.of(path))) {
            return in.readLine();
        }
    }
}
