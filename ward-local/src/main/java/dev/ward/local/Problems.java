package dev.ward.local;

import java.util.ArrayList;
import java.util.List;

/** Problems found in one input, reported together, each as {@code where: field: what}. */
final class Problems {
    private final String where;
    private final List<String> lines = new ArrayList<>();

    Problems(String where) {
        this.where = where;
    }

    void add(String field, String what) {
        lines.add(where + ": " + (field.isEmpty() ? "" : field + ": ") + what);
    }

    void throwIfAny() {
        if (!lines.isEmpty()) {
            throw new LocalException.BadInput(String.join("\n", lines));
        }
    }
}
