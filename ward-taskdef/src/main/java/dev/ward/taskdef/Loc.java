package dev.ward.taskdef;

import dev.ward.taskdef.source.Pos;

/** Where a finding points: the JSON path of a field (present or where it belongs) and its place in the file. */
public record Loc(String path, Pos pos) {
}
