package dev.ward.check.config;

import dev.ward.check.Finding;
import dev.ward.check.rules.Glob;
import dev.ward.taskdef.source.Pos;

/**
 * One accepted finding pattern from .ward-check.yaml.
 *
 * @param rule   glob over rule ids ({@code WARD-ECS-013}, {@code WARD-ECS-01*})
 * @param path   glob over the finding's file path or its JSON path; null matches every finding of the rule
 * @param reason why the finding is accepted; required
 * @param file   the configuration file, for reports
 * @param pos    where this entry starts in it
 */
public record Suppression(Glob rule, Glob path, String reason, String file, Pos pos) {
    public boolean matches(Finding f) {
        if (!rule.matches(f.rule().id())) {
            return false;
        }
        return path == null || path.matches(f.file()) || path.matches(f.loc().path());
    }

    /** {@code .ward-check.yaml:4:5}. */
    public String where() {
        return file + ":" + pos;
    }
}
