package dev.ward.local;

import dev.ward.taskdef.source.BadInputException;
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

    /** A field of the wrong shape, as the shared reader found it: {@code file:line:col: what}. */
    void add(BadInputException e) {
        lines.add(e.where() + ": " + e.detail());
    }

    void throwIfAny() {
        if (!lines.isEmpty()) {
            throw new LocalException.BadInput(String.join("\n", lines));
        }
    }
}
