package dev.ward.agent;

import dev.ward.api.LogFilter;
import dev.ward.api.telemetry.TelemetryFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code ward run} needs, already parsed and checked.
 *
 * @param command       the workload's argv (command first)
 * @param policyPaths   --policy files and directories
 * @param inlinePolicy  WARD_POLICY: YAML text or a path, or null
 * @param containerName --container-name, or null for CONTAINERNAME / the hostname
 * @param labels        extra labels (--label k=v)
 * @param filter        which telemetry to emit
 * @param visibility    which operations system logs cover
 * @param trap          which operations the seccomp filter stops (policies on the others cannot apply)
 * @param output        file for telemetry, or null for stdout
 * @param failOpen      start the workload unsupervised when supervision cannot start
 * @param queueSize     exporter queue capacity
 * @param workDir       the workload's working directory
 * @param env           the workload's environment
 * @param stopSignal    what the workload gets when the agent gets SIGTERM (SIGTERM itself unless --stop-signal)
 * @param packs         policy packs loaded at start (--pack), checked to exist
 * @param format        the telemetry's JSON shape (--output-format)
 */
public record AgentOptions(List<String> command, List<Path> policyPaths, String inlinePolicy, String containerName,
                           Map<String, String> labels, LogFilter filter, OperationSet visibility,
                           OperationSet trap, Path output, boolean failOpen, int queueSize,
                           Path workDir, Map<String, String> env, int stopSignal, List<String> packs,
                           TelemetryFormat format) {
    public AgentOptions {
        command = List.copyOf(command);
        packs = List.copyOf(packs);
        policyPaths = List.copyOf(policyPaths);
        labels = Map.copyOf(labels);
        env = Map.copyOf(env);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command to run: give it after --, e.g. ward run -- nginx -g 'daemon off;'");
        }
        if (queueSize < 1) {
            throw new IllegalArgumentException("--queue-size must be at least 1, got " + queueSize);
        }
    }
}
