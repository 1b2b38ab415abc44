package dev.ward.api.telemetry;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** The JSON shapes telemetry is written in: KubeArmor's (the default) or Falco's ({@link FalcoJson}). */
public enum TelemetryFormat {
    KUBEARMOR,
    FALCO;

    /** {@code kubearmor} or {@code falco}, any case; IllegalArgumentException naming {@code option} otherwise. */
    public static TelemetryFormat parse(String option, String value) {
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "kubearmor", "json" -> KUBEARMOR;
            case "falco" -> FALCO;
            default -> throw new IllegalArgumentException(option + " must be kubearmor or falco, got '" + value + "'");
        };
    }

    /** Writes {@code t} as one JSON object of this shape. */
    public void write(JsonGenerator json, Telemetry t) throws IOException {
        if (this == FALCO) {
            FalcoJson.writeObject(json, t);
        } else {
            JsonLinesSink.writeObject(json, t);
        }
    }
}
