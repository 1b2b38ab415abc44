package dev.ward.taskdef.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.ward.policy.yaml.InputLimits;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses JSON into {@link Node}s that remember where they were, using Jackson's streaming parser
 * (a tree model would drop the locations). Parsing from a String makes columns count UTF-16 code units.
 */
public final class JsonSource {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final int MAX_DEPTH = InputLimits.DEFAULT.maxDepth();
    private static final Pattern START_MARKER =
            Pattern.compile("\\(start marker at \\[Source:[^\\]]*?line: (\\d+), column: (\\d+)\\]\\)");

    private JsonSource() {
    }

    /**
     * Starts initialising, on a daemon thread of its own, what the first parse would otherwise initialise on the
     * caller's, for a short-lived command that parses JSON soon: the JDK's BigDecimal, whose static initialiser
     * (JDK 25) computes 5^65536 by repeated squaring, 20 to 30 ms of a cold JVM's CPU, and which Jackson's parser
     * classes need for their constants. On a machine with a free CPU that time overlaps the command's start.
     * Only JDK classes are initialised there, so no class initialisation of Ward's or Jackson's can wait on it in
     * a cycle.
     */
    public static void prepareInBackground() {
        Thread t = new Thread(() -> BigDecimal.ONE.signum(), "ward-json-prepare");
        t.setDaemon(true);
        t.start();
    }

    /** Parses a whole file. */
    public static Node parse(String text, String file) throws BadInputException {
        return parse(text, file, JsonPath.ROOT, null);
    }

    /**
     * Parses JSON embedded in another document, such as terraform's {@code container_definitions}
     * string. Paths continue from {@code basePath}; every node gets {@code fixedPos}, the place of the
     * embedding string, because offsets inside an escaped string don't map back to file columns.
     */
    public static Node parse(String text, String file, String basePath, Pos fixedPos) throws BadInputException {
        try (JsonParser p = FACTORY.createParser(text)) {
            Reader r = new Reader(p, text, file, fixedPos);
            try {
                JsonToken first = p.nextToken();
                if (first == null) {
                    throw new BadInputException(file, fixedPos, ErrorCode.JSON_SYNTAX, "empty document (expected a JSON value)", null);
                }
                Node root = r.read(basePath, r.tokenPos(), 1);
                JsonToken extra = p.nextToken();
                if (extra != null) {
                    throw r.error(r.tokenPos(), "unexpected content after the end of the document (expected end of file)");
                }
                return root;
            } catch (JsonProcessingException e) {
                throw r.syntax(e);
            }
        } catch (IOException e) {
            throw new BadInputException(file, fixedPos, ErrorCode.IO, "cannot read JSON: " + e.getMessage(), null);
        }
    }

    private static final class Reader {
        private final JsonParser p;
        private final String text;
        private final String file;
        private final Pos fixedPos;

        Reader(JsonParser p, String text, String file, Pos fixedPos) {
            this.p = p;
            this.text = text;
            this.file = file;
            this.fixedPos = fixedPos;
        }

        Pos tokenPos() {
            if (fixedPos != null) {
                return fixedPos;
            }
            JsonLocation l = p.currentTokenLocation();
            return new Pos(Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
        }

        BadInputException error(Pos pos, String detail) {
            return BadInputException.at(file, fixedPos == null ? text : null, pos, ErrorCode.JSON_SYNTAX, detail);
        }

        /**
         * Jackson's error at its place; one without a location (its limits: number or string length) is placed
         * where the parser stopped.
         */
        BadInputException syntax(JsonProcessingException e) {
            JsonLocation loc = e.getLocation() != null && e.getLocation().getLineNr() > 0 ? e.getLocation()
                    : p.currentLocation();
            Pos pos = fixedPos != null ? fixedPos : new Pos(Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()));
            String msg = START_MARKER.matcher(e.getOriginalMessage()).replaceAll("(opened at line $1, column $2)");
            return error(pos, msg);
        }

        /** A number as Java holds it; one beyond BigDecimal (an exponent over 32 bits) is an input error. */
        Object number(boolean integral) throws IOException, BadInputException {
            try {
                return integral ? p.getNumberValue() : p.getDecimalValue();
            } catch (NumberFormatException e) {
                throw error(tokenPos(), "number " + p.getText() + " is out of range (expected a number whose "
                        + "exponent fits in 32 bits, such as 1e308)");
            }
        }

        /**
         * Reads the value at the current token, {@code depth} objects and arrays deep; {@code anchor} is its key's
         * place for object members. Recursive, so the depth is limited (as in every Ward reader) long before the
         * launcher's 256 KiB stack runs out.
         */
        Node read(String path, Pos anchor, int depth) throws IOException, BadInputException {
            JsonToken t = p.currentToken();
            if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) && depth > MAX_DEPTH) {
                throw BadInputException.at(file, fixedPos == null ? text : null, tokenPos(), ErrorCode.LIMIT,
                        "nesting deeper than " + MAX_DEPTH + " levels (expected at most " + MAX_DEPTH
                                + " objects and arrays inside each other)");
            }
            switch (t) {
                case START_OBJECT -> {
                    Map<String, Node> members = new LinkedHashMap<>();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        Pos keyPos = tokenPos();
                        p.nextToken();
                        String childPath = JsonPath.member(path, key);
                        if (members.containsKey(key)) {
                            throw BadInputException.at(file, fixedPos == null ? text : null, keyPos, ErrorCode.DUPLICATE_KEY,
                                    "duplicate key \"" + key + "\" (each key may appear once; "
                                            + "AWS would keep only one of them)");
                        }
                        members.put(key, read(childPath, keyPos, depth + 1));
                    }
                    return new ObjNode(path, anchor, null, members);
                }
                case START_ARRAY -> {
                    List<Node> items = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        items.add(read(JsonPath.index(path, items.size()), tokenPos(), depth + 1));
                    }
                    return new ArrNode(path, anchor, null, items);
                }
                case VALUE_STRING -> {
                    return new ValNode(path, anchor, null, p.getText());
                }
                case VALUE_NUMBER_INT -> {
                    return new ValNode(path, anchor, null, number(true));
                }
                case VALUE_NUMBER_FLOAT -> {
                    return new ValNode(path, anchor, null, number(false));
                }
                case VALUE_TRUE, VALUE_FALSE -> {
                    return new ValNode(path, anchor, null, p.getBooleanValue());
                }
                case VALUE_NULL -> {
                    return new ValNode(path, anchor, null, null);
                }
                default -> throw error(tokenPos(), "unexpected token " + t + " (expected a JSON value)");
            }
        }
    }
}
