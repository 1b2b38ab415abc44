package dev.ward.agent;

import dev.ward.bindings.NativeException;
import dev.ward.bindings.Posix;
import dev.ward.bindings.Signals;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes sure the forwarded signals are blocked in every JVM thread (see {@link SignalRelay}). The
 * launcher normally starts the JVM that way; when it did not (the agent was started with a plain
 * {@code java} command), the agent blocks them and re-executes itself once, adding {@code -Xrs}.
 */
final class SignalMask {
    static final String REEXEC_MARK = "WARD_SIGNAL_REEXEC";

    private SignalMask() {
    }

    /** Returns normally when the mask is right; otherwise re-executes (and does not return) or explains. */
    static void ensure() {
        if (Signals.allBlocked(SignalRelay.FORWARDED)) {
            return;
        }
        if (System.getenv(REEXEC_MARK) != null) {
            throw new IllegalStateException("the JVM unblocked the signals Ward forwards; start it with -Xrs");
        }
        List<String> argv = cmdline();
        if (!argv.contains("-Xrs")) {
            argv.add(1, "-Xrs");
        }
        List<String> env = new ArrayList<>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            env.add(e.getKey() + "=" + e.getValue());
        }
        env.add(REEXEC_MARK + "=1");
        if (System.getenv("_JAVA_SR_SIGNUM") == null) {
            env.add("_JAVA_SR_SIGNUM=" + SignalRelay.SR_SIGNUM);
            env.add("WARD_SR_SIGNUM=1");
        }
        Signals.block(SignalRelay.FORWARDED);
        NativeException failure = Posix.execve("/proc/self/exe", argv, env);
        throw new IllegalStateException("cannot re-execute the agent with signals blocked: " + failure.getMessage());
    }

    private static List<String> cmdline() {
        try {
            return dev.ward.bindings.Posix.cmdline("self");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/cmdline: " + e.getMessage(), e);
        }
    }
}
