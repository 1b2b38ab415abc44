package dev.ward.relay.store;

import dev.ward.relay.api.Event;

/** One alert or log read back from the store, with the agent that sent it. */
public record StoredEvent(long tsNanos, Event event, String agentId) {
    /** The label the agent puts the ECS task's ARN in (docs/alerts.md). */
    public static final String TASK_ARN_LABEL = "ecs.task-arn";

    public boolean alert() {
        return event.hasAlert();
    }

    public String containerName() {
        return event.hasAlert() ? event.getAlert().getContainerName() : event.getLog().getContainerName();
    }

    public String operation() {
        return event.hasAlert() ? event.getAlert().getOperation() : event.getLog().getOperation();
    }

    public String namespaceName() {
        return event.hasAlert() ? event.getAlert().getNamespaceName() : event.getLog().getNamespaceName();
    }

    public String podName() {
        return event.hasAlert() ? event.getAlert().getPodName() : event.getLog().getPodName();
    }

    public String containerImage() {
        return event.hasAlert() ? event.getAlert().getContainerImage() : event.getLog().getContainerImage();
    }

    public String labels() {
        return event.hasAlert() ? event.getAlert().getLabels() : event.getLog().getLabels();
    }

    /** The event's time: its nanosecond timestamp, else the feeder message's seconds. */
    public static long timeOf(Event e) {
        if (e.getTimestampNanos() != 0) {
            return e.getTimestampNanos();
        }
        return (e.hasAlert() ? e.getAlert().getTimestamp() : e.getLog().getTimestamp()) * 1_000_000_000L;
    }

    /** The ECS task ARN in KubeArmor's Labels ({@code k=v,k=v}), "" when there is none. */
    public static String taskArn(String labels) {
        String key = TASK_ARN_LABEL + "=";
        int at = labels.startsWith(key) ? 0 : labels.indexOf("," + key);
        if (at < 0) {
            return "";
        }
        int from = at == 0 ? key.length() : at + 1 + key.length();
        int end = labels.indexOf(',', from);
        return labels.substring(from, end < 0 ? labels.length() : end);
    }

    /** A task's ID: the last part of its ARN ({@code arn:aws:ecs:REGION:ACCOUNT:task/CLUSTER/ID}). */
    public static String taskId(String task) {
        return task.substring(task.lastIndexOf('/') + 1);
    }

    /** {@code task} (an ARN or a task ID) names the task of {@code arn}. */
    public static boolean sameTask(String arn, String task) {
        return !arn.isEmpty() && (arn.equals(task) || task.indexOf('/') < 0 && taskId(arn).equals(task));
    }

    /**
     * {@code image} is the image {@code wanted} names: the same, or {@code wanted} without the tag or digest the
     * event's image has ({@code nginx} and {@code nginx:1.27} both name {@code nginx:1.27@sha256:...}).
     */
    public static boolean sameImage(String image, String wanted) {
        return image.equals(wanted) || image.startsWith(wanted) && image.length() > wanted.length()
                && (image.charAt(wanted.length()) == ':' || image.charAt(wanted.length()) == '@')
                && image.indexOf('/', wanted.length()) < 0;
    }
}
