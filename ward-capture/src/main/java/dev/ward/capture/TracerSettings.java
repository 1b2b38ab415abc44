package dev.ward.capture;

/** The tracer's settings from the environment, parsed in one place: by {@code ward run} to refuse a bad one, by the tracer. */
public final class TracerSettings {
    /** How long the tracer polls for the next stop, in microseconds (see Tracer). */
    public static final String SPIN_ENV = "WARD_TRACER_SPIN_US";
    static final long MAX_SPIN_MICROS = 10_000;

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
}
