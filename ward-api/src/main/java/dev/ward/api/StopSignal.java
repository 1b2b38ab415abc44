package dev.ward.api;

import java.util.List;
import java.util.Locale;

/**
 * Ward's one table of signal names: what {@code ward run --stop-signal} accepts, written as Docker's STOPSIGNAL
 * writes them ({@code SIGQUIT}, {@code QUIT} in any case, or {@code 3}). The agent reads --stop-signal with it and
 * {@code ward image embed} translates an image's STOPSIGNAL with it, without loading the agent's native bindings
 * (which keep only the numbers their calls need; ward-agent's EntrypointTest checks that those agree).
 */
public final class StopSignal {
    /** What container runtimes send when an image names no STOPSIGNAL. */
    public static final int SIGTERM = 15;
    /** Linux x86_64 signal names without the SIG prefix; a name's index is its number. */
    private static final List<String> NAMES = List.of("", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
            "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
            "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");

    private StopSignal() {
    }

    /** The signal's number (1 to 64), or -1 when {@code text} names no signal. */
    public static int number(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        if (!t.isEmpty() && t.length() <= 2 && t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int n = Integer.parseInt(t);
            return n >= 1 && n <= 64 ? n : -1;
        }
        int i = NAMES.indexOf(t.startsWith("SIG") ? t.substring(3) : t);
        return i > 0 ? i : -1;
    }

    /** {@code SIGQUIT} for 3; {@code signal N} for numbers without a name (the real-time ones). */
    public static String name(int signal) {
        return signal > 0 && signal < NAMES.size() ? "SIG" + NAMES.get(signal) : "signal " + signal;
    }
}
