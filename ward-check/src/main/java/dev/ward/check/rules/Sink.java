package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.Loc;
import dev.ward.taskdef.Resource;

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
