package dev.ward.relay;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A text table whose columns are as wide as their widest cell (fixed widths misaligned as soon as one task
 * ARN or container name was longer than its column), separated by three spaces, the last column unpadded.
 */
final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    Table(String... header) {
        columns = header.length;
        rows.add(header);
    }

    Table row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException(cells.length + " cells for " + columns + " columns");
        }
        String[] r = new String[columns];
        for (int i = 0; i < columns; i++) {
            String s = String.valueOf(cells[i]);
            r[i] = s.isEmpty() ? "-" : s;
        }
        rows.add(r);
        return this;
    }

    void print(PrintWriter out) {
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r[i].codePointCount(0, r[i].length()));
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            b.setLength(0);
            for (int i = 0; i < columns; i++) {
                b.append(r[i]);
                if (i < columns - 1) {
                    b.repeat(' ', width[i] - r[i].codePointCount(0, r[i].length()) + 3);
                }
            }
            out.println(b);
        }
    }
}
