package dev.ward.taskdef;

import dev.ward.taskdef.source.BadInputException;
import dev.ward.taskdef.source.ErrorCode;
import dev.ward.taskdef.source.JsonSource;
import dev.ward.taskdef.source.Node;
import dev.ward.taskdef.source.YamlSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Reads a file's text and parses it as JSON or YAML, by extension, or by its first character otherwise. */
public final class Documents {
    private Documents() {
    }

    public static String read(Path path, String shown) throws BadInputException {
        try {
            byte[] bytes = Files.readAllBytes(path);
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new BadInputException(shown, null, ErrorCode.IO, "not UTF-8 text (expected a JSON or YAML file)", null);
        } catch (IOException e) {
            throw new BadInputException(shown, null, ErrorCode.IO, "cannot read: " + e.getMessage(), null);
        }
    }

    public static Node parse(String shown, String text) throws BadInputException {
        String name = shown.toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            return JsonSource.parse(text, shown);
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return YamlSource.parse(text, shown);
        }
        String t = text.stripLeading();
        return t.startsWith("{") || t.startsWith("[") ? JsonSource.parse(text, shown) : YamlSource.parse(text, shown);
    }

    /**
     * Every document: JSON is one; YAML may hold several ({@code ---}), which only Kubernetes manifests use, so
     * a stream of several is read as such (see {@link Detector#read(Src, List)}).
     */
    public static List<Node> parseAll(String shown, String text) throws BadInputException {
        String name = shown.toLowerCase(Locale.ROOT);
        String t = text.stripLeading();
        boolean json = name.endsWith(".json") || (!name.endsWith(".yaml") && !name.endsWith(".yml")
                && (t.startsWith("{") || t.startsWith("[")));
        return json ? List.of(JsonSource.parse(text, shown)) : YamlSource.parseAll(text, shown);
    }

    /** Standard input's bytes as text, decoded as {@link #read} decodes a file's. */
    public static String stdin(byte[] bytes, String shown) throws BadInputException {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new BadInputException(shown, null, ErrorCode.IO, "not UTF-8 text (expected JSON or YAML)", null);
        }
    }

    /** Words that say a file was meant to be an ECS input even when it does not parse. */
    public static boolean mentionsEcs(String text) {
        return text.contains("containerDefinitions") || text.contains("ContainerDefinitions")
                || text.contains("AWS::ECS::") || text.contains("aws_ecs_");
    }
}
