package dev.ward.agent;

import dev.ward.policy.Posture;
import java.util.Map;

/**
 * The environment settings of {@code ward run} that the agent itself reads, checked before anything starts, so that
 * a bad value is one line naming the variable and the accepted values (exit 2), never a stack trace or a silent
 * default. The options and WARD_LOG_FILTER, WARD_VISIBILITY, WARD_TRAP are checked where {@link RunCommand}
 * parses them; the relay plugin checks its own (RELAYSERVERURL, WARD_RELAY_*) when it starts.
 */
final class RunSettings {
    private RunSettings() {
    }

    /** What is wrong with {@code env}, or null when every setting is valid (or unset). */
    static String problem(Map<String, String> env) {
        try {
            Posture.fromEnv(env);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        String require = env.get("WARD_REQUIRE_POLICY");
        if (require != null && !require.isBlank() && !require.strip().matches("(?i)1|0|true|false")) {
            return "WARD_REQUIRE_POLICY='" + require + "': expected 1 or true (hold the workload until the relay's "
                    + "policies arrive), 0 or false";
        }
        try {
            dev.ward.capture.TracerSettings.spinMicros(env.get(dev.ward.capture.TracerSettings.SPIN_ENV));
            dev.ward.capture.TracerSettings.follow(env.get(dev.ward.capture.TracerSettings.AFFINITY_ENV));
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }
}
