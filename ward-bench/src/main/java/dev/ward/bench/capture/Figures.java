package dev.ward.bench.capture;

/**
 * One row's figures for one round: the workload's connect() in µs (10th percentile, median, mean, 99th percentile
 * of the N timed ones), then CPU per timed connect in µs: the workload's own, the tracer's (Ward's tracer thread, the
 * floor's supervisor thread; -1 untraced) and its whole process's (this JVM, or the floor's supervisor process: the
 * accepting thread included), and the bytes the tracer thread allocated per timed connect (-1 where there is none).
 */
record Figures(double p10, double median, double mean, double p99, double workloadCpu, double tracerCpu,
        double processCpu, long bytes) {
    /** The workload's result line, "p10 median mean p99 cpu" (capturefloor -t), with the supervisor's figures. */
    static Figures of(String workloadLine, double tracerCpu, double processCpu, long bytes) {
        String[] f = workloadLine.strip().split("\\s+");
        if (f.length != 5) {
            throw new IllegalStateException("the workload's result line: expected 5 numbers, got '" + workloadLine
                    + "'");
        }
        return new Figures(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                Double.parseDouble(f[3]), Double.parseDouble(f[4]), tracerCpu, processCpu, bytes);
    }

    @Override
    public String toString() {
        return String.format("%6.1f %6.1f %6.1f %7.1f   %6.1f %6.1f %6.1f  %s", p10, median, mean, p99, workloadCpu,
                tracerCpu, processCpu, bytes < 0 ? "-" : Long.toString(bytes));
    }
}
