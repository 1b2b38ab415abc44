package dev.ward.check;

import java.util.Locale;

/** Finding severities, most severe first. */
public enum Severity {
    CRITICAL("error", "9.5"),
    HIGH("error", "8.0"),
    MEDIUM("warning", "5.5"),
    LOW("note", "3.0"),
    INFO("note", null);

    private final String sarifLevel;
    private final String securitySeverity;

    Severity(String sarifLevel, String securitySeverity) {
        this.sarifLevel = sarifLevel;
        this.securitySeverity = securitySeverity;
    }

    /** True when this is as severe as {@code threshold} or more. */
    public boolean atLeast(Severity threshold) {
        return ordinal() <= threshold.ordinal();
    }

    /** SARIF result level: error, warning or note. */
    public String sarifLevel() {
        return sarifLevel;
    }

    /**
     * GitHub code scanning's {@code security-severity} score (critical above 9, high 7 to 8.9, medium 4 to
     * 6.9, low below 4); null for informational findings, which are not security alerts.
     */
    public String securitySeverity() {
        return securitySeverity;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses critical, high, medium, low or info, in any case. */
    public static Severity parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown severity '" + s + "' (expected critical, high, medium, low or info)");
        }
    }
}
