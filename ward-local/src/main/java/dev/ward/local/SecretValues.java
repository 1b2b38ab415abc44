package dev.ward.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.EnvVar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Local values for the task's {@code secrets}, from the file given with {@code --secrets}: either lines
 * {@code KEY=VALUE} (blank lines and {@code #} comments skipped) or a JSON object of strings. A key is a
 * secret's {@code valueFrom} (an ARN or parameter name) or the variable name; valueFrom wins.
 * Values are never put in messages or {@link #toString()}.
 */
public final class SecretValues {
    private final Path file;
    private final Map<String, String> values;

    private SecretValues(Path file, Map<String, String> values) {
        this.file = file;
        this.values = values;
    }

    /** No file: every secret the task uses is reported missing. */
    public static SecretValues none() {
        return new SecretValues(null, Map.of());
    }

    /** Values from a map (tests, programmatic use). */
    public static SecretValues of(Map<String, String> values) {
        return new SecretValues(null, Map.copyOf(values));
    }

    public static SecretValues read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new LocalException.BadInput(file + ": cannot read the secrets file: " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (text.stripLeading().startsWith("{")) {
            JsonNode root;
            try {
                root = new ObjectMapper().readTree(text);
            } catch (JsonProcessingException e) {
                // The message of a JSON parse error may quote the file's text: keep only the position.
                var loc = e.getLocation();
                throw new LocalException.BadInput(file + (loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr())
                        + ": not valid JSON (expected an object of \"name or valueFrom\": \"value\")");
            }
            var it = root.properties().iterator();
            while (it.hasNext()) {
                var e = it.next();
                if (!e.getValue().isValueNode()) {
                    throw new LocalException.BadInput(file + ": \"" + e.getKey() + "\": expected a string value");
                }
                values.put(e.getKey(), e.getValue().asText());
            }
        } else {
            int n = 0;
            for (String line : text.split("\n", -1)) {
                n++;
                String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
                if (l.isBlank() || l.stripLeading().startsWith("#")) {
                    continue;
                }
                int eq = l.indexOf('=');
                if (eq <= 0) {
                    throw new LocalException.BadInput(file + ":" + n + ": expected NAME=VALUE (or a JSON object)");
                }
                values.put(l.substring(0, eq).strip(), l.substring(eq + 1));
            }
        }
        return new SecretValues(file, values);
    }

    /**
     * The values of {@code container}'s secrets, keyed by variable name; throws naming every secret that
     * has no value.
     */
    public Map<String, String> resolve(Container container) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        int i = 0;
        for (EnvVar s : container.secrets()) {
            String name = s.name().text();
            String from = Values.text(s.value());
            String v = values.containsKey(from) ? values.get(from) : values.get(name);
            if (v == null) {
                missing.add("container \"" + container.name() + "\": secrets[" + i + "] (" + name + " from "
                        + from + "): no value " + (file == null ? "(no --secrets file given)" : "in " + file)
                        + "; add a line " + name + "=VALUE or \"" + from + "\": \"VALUE\"");
            } else {
                out.put(name, v);
            }
            i++;
        }
        if (!missing.isEmpty()) {
            throw new LocalException.BadInput(String.join("\n", missing));
        }
        return out;
    }

    @Override
    public String toString() {
        return "SecretValues[" + (file == null ? "" : file + ", ") + values.size() + " values]";
    }
}
