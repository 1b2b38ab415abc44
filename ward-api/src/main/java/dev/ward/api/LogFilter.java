package dev.ward.api;

/** Which telemetry to emit, with karmor's names: alerts only, logs only, or both. */
public enum LogFilter {
    POLICY(true, false),
    SYSTEM(false, true),
    ALL(true, true);

    private final boolean alerts;
    private final boolean logs;

    LogFilter(boolean alerts, boolean logs) {
        this.alerts = alerts;
        this.logs = logs;
    }

    public boolean alerts() {
        return alerts;
    }

    public boolean logs() {
        return logs;
    }
}
