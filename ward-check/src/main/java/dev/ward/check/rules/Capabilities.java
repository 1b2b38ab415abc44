package dev.ward.check.rules;

import dev.ward.taskdef.Field;
import java.util.Locale;

/** Capability names as written (SYS_PTRACE, CAP_SYS_PTRACE, sys_ptrace) brought to one spelling. */
final class Capabilities {
    static final String SYS_PTRACE = "SYS_PTRACE";

    private Capabilities() {
    }

    static String normalize(Field f) {
        String s = f.text().trim().toUpperCase(Locale.ROOT);
        return s.startsWith("CAP_") ? s.substring(4) : s;
    }
}
