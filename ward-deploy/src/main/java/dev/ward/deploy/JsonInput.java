package dev.ward.deploy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.policy.yaml.InputLimits;
import java.io.IOException;

/**
 * Reads the JSON documents ward inject rewrites (task definitions, CloudFormation templates, Kubernetes objects)
 * within Ward's nesting limit, as YAML input is: the injectors and the JSON writer recurse per level, and a
 * thousand levels would overflow the launcher's 256 KiB stacks. Every error names file, line and column.
 */
final class JsonInput {
    private static final ObjectMapper READER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(InputLimits.DEFAULT.maxDepth())
                            .maxNumberLength(InputLimits.MAX_NUMBER_CHARS).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonInput() {
    }

    /** The document as a JSON object; {@code what} says which object was expected. */
    static ObjectNode object(String source, String text, String what) throws InjectException {
        JsonNode doc;
        try (JsonParser p = READER.createParser(text)) {
            try {
                doc = READER.readTree(p);
            } catch (JsonProcessingException e) {
                // Jackson's limits throw without a location: the parser's is where it stopped.
                JsonLocation loc = e.getLocation() != null && e.getLocation().getLineNr() > 0 ? e.getLocation()
                        : p.currentLocation();
                String message = e.getOriginalMessage().replaceAll(", from `[^`]*`\\)", ")");
                throw new InjectException(source + ":" + loc.getLineNr() + ":" + loc.getColumnNr() + ": invalid JSON: "
                        + message, true);
            }
        } catch (IOException e) {
            throw new InjectException(source + ": cannot read JSON: " + e.getMessage(), true);
        }
        if (!(doc instanceof ObjectNode obj)) {
            throw new InjectException(source + ": expected a JSON object (" + what + ")", true);
        }
        return obj;
    }
}
