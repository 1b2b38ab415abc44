package dev.ward.policy.model;

/** Where something was written: 1-based line and column in a named file. */
public record Position(String file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
