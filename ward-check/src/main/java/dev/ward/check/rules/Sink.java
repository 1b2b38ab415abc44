package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.model.Container;
import dev.ward.check.model.Loc;
import dev.ward.check.model.Resource;

/** Where rules report. */
@FunctionalInterface
public interface Sink {
    /**
     * @param container the container concerned, or null for task- or service-level findings
     * @param loc       the offending field, or where the missing one belongs
     * @param message   this occurrence in plain words, naming the values involved
     */
    void report(RuleInfo rule, Resource resource, Container container, Loc loc, String message);
}
