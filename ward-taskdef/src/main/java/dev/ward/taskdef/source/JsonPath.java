package dev.ward.taskdef.source;

import java.util.regex.Pattern;

/** Builds the JSON paths nodes carry: {@code $.containerDefinitions[0].user}, {@code $['Fn::Sub']}. */
public final class JsonPath {
    public static final String ROOT = "$";
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    private JsonPath() {
    }

    public static String member(String parent, String key) {
        if (PLAIN.matcher(key).matches()) {
            return parent + "." + key;
        }
        return parent + "['" + key.replace("\\", "\\\\").replace("'", "\\'") + "']";
    }

    public static String index(String parent, int i) {
        return parent + "[" + i + "]";
    }
}
