package dev.ward.local;

/** Labels on the pods, containers and volumes of local tasks: {@code ward local ps/stop} find them by these. */
final class Labels {
    static final String TASK = "dev.ward.local.task";
    static final String FAMILY = "dev.ward.local.family";
    static final String REVISION = "dev.ward.local.revision";
    static final String SUPERVISOR = "dev.ward.local.supervisor";
    static final String CONTAINER = "dev.ward.local.container";
    static final String ESSENTIAL = "dev.ward.local.essential";
    static final String STOP_LEVEL = "dev.ward.local.stop-level";
    static final String STOP_TIMEOUT = "dev.ward.local.stop-timeout";
    /** Secrets carry the task id in their name (podman 4.3 has no labels on secrets). */
    static final String SECRET_PREFIX = "ward-secret-";

    private Labels() {}
}
