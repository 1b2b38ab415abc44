package dev.ward.check.report;

import dev.ward.check.Severity;

/** ANSI styling that turns into plain text when colour is off. */
public record Ansi(boolean on) {
    public String bold(String s) {
        return wrap("1", s);
    }

    public String dim(String s) {
        return wrap("2", s);
    }

    public String severity(Severity sev, String s) {
        return switch (sev) {
            case CRITICAL -> wrap("1;35", s);
            case HIGH -> wrap("1;31", s);
            case MEDIUM -> wrap("33", s);
            case LOW -> wrap("36", s);
            case INFO -> wrap("2", s);
        };
    }

    private String wrap(String code, String s) {
        return on ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
