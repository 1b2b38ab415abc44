package dev.ward.taskdef.source;

/** Stable codes for input problems; docs/check.md lists them. Never renumber one. */
public enum ErrorCode {
    /** The file is not well-formed JSON. */
    JSON_SYNTAX("WC101"),
    /** The file is not well-formed YAML. */
    YAML_SYNTAX("WC102"),
    /** A file named on the command line is none of the inputs ward check reads. */
    NOT_RECOGNIZED("WC103"),
    /** The document is recognised but a field has the wrong shape (a string where a list belongs...). */
    SHAPE("WC104"),
    /** The .ward-check.yaml configuration is wrong. */
    CONFIG("WC105"),
    /** The file cannot be read. */
    IO("WC106"),
    /** An object has the same key twice; JSON parsers silently keep one, so the file is ambiguous. */
    DUPLICATE_KEY("WC107"),
    /** Beyond an input limit: nesting, aliases, size, time, or a recursive alias (docs/check.md, Input limits). */
    LIMIT("WC108");

    private final String id;

    ErrorCode(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
