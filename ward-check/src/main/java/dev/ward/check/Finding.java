package dev.ward.check;

import dev.ward.taskdef.Loc;

/**
 * One problem found in one file.
 *
 * @param message   what is wrong here, naming the values involved
 * @param file      the file as shown to the user (relative to the working directory when under it)
 * @param loc       the JSON path of the offending field (or where a missing one belongs) and its place
 * @param kind      "task definition" or "service"
 * @param resource  the task definition family, service name, CloudFormation logical id or terraform address
 * @param container the container's name, or null for task- and service-level findings
 */
public record Finding(RuleInfo rule, String message, String file, Loc loc, String kind, String resource, String container) {
    public Severity severity() {
        return rule.severity();
    }
}
