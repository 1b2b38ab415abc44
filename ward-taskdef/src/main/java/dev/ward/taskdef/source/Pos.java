package dev.ward.taskdef.source;

/** A place in a source file: 1-based line and 1-based column (UTF-16 code units, as SARIF counts by default). */
public record Pos(int line, int column) {
    public Pos {
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
        }
    }

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
