package dev.ward.check.rules;

import java.util.List;

/**
 * Settings rules read.
 *
 * @param trustedRegistries registry patterns (see {@link Registries}); never empty: the defaults apply
 *                          when nothing was configured
 */
public record RuleContext(List<String> trustedRegistries) {
    public RuleContext {
        trustedRegistries = List.copyOf(trustedRegistries);
    }

    public static RuleContext defaults() {
        return new RuleContext(Registries.DEFAULT_TRUSTED);
    }
}
