package dev.ward.check;

import dev.ward.check.config.Suppression;

/** A finding that a .ward-check.yaml entry accepts, with that entry. */
public record Suppressed(Finding finding, Suppression by) {
}
