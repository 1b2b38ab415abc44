package dev.ward.api;

import java.util.List;

/**
 * How a protected container starts the agent from its bundle at {@value #ROOT}: the entrypoint prefix
 * that {@code ward inject}, {@code ward image embed} and the bundle agree on. It lives here, not in the agent,
 * so that those tools know the contract without the agent (and its native bindings) on their class path;
 * ward-agent's EntrypointTest checks that the signals and the signal number match what the agent does.
 *
 * <p>The bundle's {@code env} (coreutils, shipped with the bundle's own C libraries) blocks the signals
 * the agent forwards and moves HotSpot's suspend/resume signal off SIGUSR2 before the JVM starts, so every
 * JVM thread inherits that mask and the signals wait for the agent's signalfd (the agent's SignalRelay).
 * Without it the agent has to re-execute itself to get the same mask (the agent's SignalMask): a second JVM
 * start, about as long again as the first, on every container start.
 */
public final class Entrypoint {
    public static final String ROOT = "/ward";
    /** {@code env}'s option naming the signals the agent forwards (its SignalRelay.FORWARDED). */
    public static final String BLOCK_SIGNALS = "--block-signal=HUP,INT,QUIT,USR1,USR2,TERM,WINCH";
    /**
     * The signal HotSpot uses to suspend and resume threads, moved off SIGUSR2 (which the agent forwards) to a
     * real-time signal nobody sends to an application.
     */
    public static final String SR_SIGNUM = "40";
    public static final List<String> PREFIX = List.of(ROOT + "/bin/env", BLOCK_SIGNALS,
            "_JAVA_SR_SIGNUM=" + SR_SIGNUM, "WARD_SR_SIGNUM=1", ROOT + "/bin/java",
            "@" + ROOT + "/ward.args");
    /**
     * The system property naming the agent's plugins, by class name, in place of the class path's service
     * entries: the bundle's ward.args sets it so that the start does not open every jar (20 to 30 ms) to look
     * for them.
     */
    public static final String PLUGINS_PROPERTY = "ward.plugins";
    /** The argument every form of the agent's entrypoint carries, this one and earlier ones. */
    static final String ARGFILE = "@" + ROOT + "/ward.args";

    private Entrypoint() {
    }

    /** True when {@code argv} already starts the agent from the bundle (this prefix or an earlier one). */
    public static boolean startsAgent(List<String> argv) {
        int limit = Math.min(argv.size(), PREFIX.size());
        for (int i = 0; i < limit; i++) {
            if (ARGFILE.equals(argv.get(i))) {
                return true;
            }
        }
        return false;
    }
}
