package dev.ward.capture;

/** The tracer's settings from the environment, parsed in one place: by {@code ward run} to refuse a bad one, by the tracer. */
public final class TracerSettings {
    /** How long the tracer polls for the next stop, in microseconds (see NextStop). */
    public static final String SPIN_ENV = "WARD_TRACER_SPIN_US";
    static final long MAX_SPIN_MICROS = 10_000;
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
     * The polling time a {@link #SPIN_ENV} setting asks for, in microseconds: 0 when unset or blank, at most
     * {@link #MAX_SPIN_MICROS}.
     *
     * @throws IllegalArgumentException naming the variable and what it accepts
     */
    public static long spinMicros(String setting) {
        if (setting == null || setting.isBlank()) {
            return 0;
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
     * for a {@link #SPIN_ENV} setting and a CPU count. Stops come in bursts (a fork brings the parent's event, the
     * child's first stop, its execve and the exec event), and waking a sleeping tracer from another CPU costs tens
     * of microseconds on virtual machines, more than the stop itself. Only with two CPUs or more for the agent (on
     * one, polling would keep the tracee from running). Off by default: it trades the agent's CPU for the
     * workload's latency (docs/benchmarks.md: a tight open loop 2.7 times faster, nginx saturating both CPUs no
     * better). A setting {@code ward run} would refuse counts as off.
     */
    static long spinNanos(String setting, int cpus) {
        long micros;
        try {
            micros = spinMicros(setting);
        } catch (IllegalArgumentException e) {
            micros = 0; // ward run refuses such a setting before the tracer exists
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
