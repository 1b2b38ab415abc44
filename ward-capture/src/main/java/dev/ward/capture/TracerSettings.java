package dev.ward.capture;

/** The tracer's settings from the environment, parsed in one place: by {@code ward run} to refuse a bad one, by the tracer. */
public final class TracerSettings {
    /** How long the tracer polls for the next stop, in microseconds (see NextStop). */
    public static final String SPIN_ENV = "WARD_TRACER_SPIN_US";
    static final long MAX_SPIN_MICROS = 10_000;
    /**
     * On by default: with nginx under 100 file rules on a 2-vCPU VM, polling 50 µs gave medians 14 and 38 % higher
     * than not polling in two runs (8 and 14 % with every open logged), and a fixed 50 µs cost up to 8 % where both
     * CPUs were busy, which {@link NextStop} detects and pauses for (docs/benchmarks.md, "The tracer polls by
     * default").
     */
    static final long DEFAULT_SPIN_MICROS = 50;
    /** Whether the tracer follows its busiest tracee's CPU: {@code follow} or {@code off} (see CpuFollower). */
    public static final String AFFINITY_ENV = "WARD_TRACER_AFFINITY";
    /**
     * Off: following gained under a loaded machine's contention, but on a quieter one the kernel wakes the resumed
     * tracee on an idle CPU, away from the tracer (docs/benchmarks.md, "The tracer follows its busiest tracee's CPU").
     */
    static final boolean FOLLOW_BY_DEFAULT = false;
    /** This agent's setting; one {@code ward run} would refuse counts as the default. */
    static final boolean FOLLOW = followOrDefault(System.getenv(AFFINITY_ENV));

    private TracerSettings() {
    }

    /**
     * The polling time a {@link #SPIN_ENV} setting asks for, in microseconds: {@link #DEFAULT_SPIN_MICROS} when unset
     * or blank, 0 for off, at most {@link #MAX_SPIN_MICROS}.
     *
     * @throws IllegalArgumentException naming the variable and what it accepts
     */
    public static long spinMicros(String setting) {
        if (setting == null || setting.isBlank()) {
            return DEFAULT_SPIN_MICROS;
        }
        String s = setting.strip();
        if (!s.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException(SPIN_ENV + "='" + setting + "': expected microseconds, a whole number"
                    + " (0: off; above " + MAX_SPIN_MICROS + " counts as " + MAX_SPIN_MICROS + ")");
        }
        return Math.min(Long.parseLong(s), MAX_SPIN_MICROS);
    }

    /**
     * How long the tracer keeps polling (waitpid WNOHANG) for the next stop after answering one, in nanoseconds,
     * for a {@link #SPIN_ENV} setting and a CPU count. A stop's answer resumes a thread that often stops again
     * within tens of microseconds (an open's exit stop, the next request's open, a fork's burst of events), and
     * waking a sleeping tracer from another CPU costs tens of microseconds on virtual machines, more than the stop
     * itself. Only with two CPUs or more for the agent (the JVM counts a cgroup's CPU quota: a 1-vCPU task has
     * one), where it would otherwise keep the tracee from running. {@link NextStop} stops polling for a while
     * wherever it does not pay or takes a CPU others want. A setting {@code ward run} would refuse counts as the
     * default.
     */
    static long spinNanos(String setting, int cpus) {
        long micros;
        try {
            micros = spinMicros(setting);
        } catch (IllegalArgumentException e) {
            micros = DEFAULT_SPIN_MICROS; // ward run refuses such a setting before the tracer exists
        }
        return cpus < 2 || micros <= 0 ? 0 : micros * 1_000;
    }

    /**
     * Whether a {@link #AFFINITY_ENV} setting asks the tracer to follow its busiest tracee's CPU: {@code follow}
     * or {@code off}, any case; unset or blank gives the default.
     *
     * @throws IllegalArgumentException naming the variable and what it accepts
     */
    public static boolean follow(String setting) {
        if (setting == null || setting.isBlank()) {
            return FOLLOW_BY_DEFAULT;
        }
        return switch (setting.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "follow" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException(AFFINITY_ENV + "='" + setting + "': expected follow (keep "
                    + "the tracer on the CPU of the thread that stops most) or off");
        };
    }

    private static boolean followOrDefault(String setting) {
        try {
            return follow(setting);
        } catch (IllegalArgumentException e) {
            return FOLLOW_BY_DEFAULT; // ward run refuses such a setting before the tracer exists
        }
    }
}
