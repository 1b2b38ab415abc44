package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.TaskDef;
import java.util.List;

/** The three host-namespace rules. */
final class HostNamespaces {
    static final RuleInfo NETWORK = new RuleInfo("WARD-ECS-009", "HostNetworkMode", Severity.HIGH, List.of("ECS.17"),
            "Host network mode",
            "With networkMode host the containers share the instance's network stack: they reach services bound to "
                    + "the host's loopback, can bind the host's ports and impersonate it, and task security groups no "
                    + "longer apply. Fargate supports only awsvpc.",
            "Use networkMode awsvpc (required on Fargate) so each task gets its own network interface and security groups.");
    static final RuleInfo PID = new RuleInfo("WARD-ECS-010", "HostPidMode", Severity.HIGH, List.of("ECS.3"),
            "Host PID namespace",
            "pidMode host lets the containers see and signal every process on the instance, and with SYS_PTRACE read "
                    + "their memory. On Fargate only `task` is accepted for Linux.",
            "Remove pidMode, or use `task` when containers of the same task must see each other's processes.");
    static final RuleInfo IPC = new RuleInfo("WARD-ECS-011", "HostIpcMode", Severity.HIGH, List.of(),
            "Host IPC namespace",
            "ipcMode host shares the instance's System V IPC objects and POSIX shared memory with the containers, so "
                    + "they can read or corrupt other workloads' shared memory. Fargate does not support ipcMode.",
            "Remove ipcMode (each container then gets a private IPC namespace), or use `task` to share only within the task.");

    private HostNamespaces() {
    }

    static List<Rule> all() {
        return List.of(
                new HostNamespace(NETWORK, "networkMode", TaskDef::networkMode,
                        "The task requires Fargate, which supports only awsvpc: registration will fail."),
                new HostNamespace(PID, "pidMode", TaskDef::pidMode,
                        "The task requires Fargate, which accepts only `task`: registration will fail."),
                new HostNamespace(IPC, "ipcMode", TaskDef::ipcMode,
                        "The task requires Fargate, which does not support ipcMode: registration will fail."));
    }
}
