package dev.ward.taskdef;

import dev.ward.taskdef.source.JsonPath;

/** What a source file describes: task definitions and services. */
public sealed interface Resource permits TaskDef, Service {
    /** The file as shown to the user. */
    String file();

    /** How the report names it: the family, the service name, a CloudFormation logical id or a terraform address. */
    String label();

    /** Where the resource starts; findings about missing task-level fields point here. */
    Loc loc();

    Dialect dialect();

    /** The path and place where {@code camelKey} belongs when it is missing. */
    default Loc missing(String camelKey) {
        return new Loc(JsonPath.member(loc().path(), dialect().key(camelKey)), loc().pos());
    }
}
