package dev.ward.deploy;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** JSON written the way the input was: its indentation unit (spaces or a tab), or on one line if it was. */
final class JsonText {
    private static final Pattern FIRST_INDENT = Pattern.compile("\\n([ \\t]+)[\"{\\[]");

    private JsonText() {
    }

    /** The indentation of the first indented line (the unit, since it is one level deep), "  " if none is found. */
    static String indentOf(String text) {
        String t = text.strip();
        if (!t.contains("\n")) {
            return null;
        }
        Matcher m = FIRST_INDENT.matcher(t);
        return m.find() ? m.group(1) : "  ";
    }

    /** {@code "key": value}, arrays one element per line, a final newline; {@code indent} null for one line. */
    static String write(ObjectMapper mapper, JsonNode node, String indent) throws IOException {
        if (indent == null) {
            return mapper.writeValueAsString(node) + "\n";
        }
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter(indent, "\n")).withArrayIndenter(new DefaultIndenter(indent, "\n"));
        return mapper.writer(pp).writeValueAsString(node) + "\n";
    }
}
