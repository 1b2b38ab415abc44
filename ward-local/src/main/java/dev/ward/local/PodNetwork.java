package dev.ward.local;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Where a pod is reached, asked of podman: its address on its {@code --network} bridge ({@link PodmanPlan#address},
 * which exists once the pod's infra container runs, found on a thread of its own so that the task metadata endpoint
 * answers at once), and the host ports it publishes.
 */
final class PodNetwork {
    private PodNetwork() {
    }

    /** On a bridge network, finds the pod's address in the background, until found or {@code finished}. */
    static void watch(Podman podman, PodmanPlan plan, BooleanSupplier finished) {
        if (plan.network != null) {
            Thread.ofVirtual().name("ward-local-address-" + plan.podName).start(() -> await(podman, plan, finished));
        }
    }

    /** The 127.0.0.1 port the pod's {@code containerPort}/tcp is published on. */
    static int hostPort(Podman podman, PodmanPlan plan, int containerPort) {
        String infra = podman.check("pod " + plan.podName, "pod", "inspect", "--format", "{{.InfraContainerID}}",
                plan.podName).strip();
        String out = podman.check("port " + containerPort, "port", infra, containerPort + "/tcp").strip();
        String port = out.substring(out.lastIndexOf(':') + 1).strip();
        if (!port.matches("[0-9]{1,5}")) {
            throw new LocalException("port " + containerPort + " is not published by " + plan.podName + ": " + out);
        }
        return Integer.parseInt(port);
    }

    private static void await(Podman podman, PodmanPlan plan, BooleanSupplier finished) {
        try {
            while (plan.address == null && !finished.getAsBoolean()) {
                resolve(podman, plan);
                if (plan.address == null) {
                    Thread.sleep(100);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks once; sets {@link PodmanPlan#address} when podman knows it. Nothing to do without a bridge network. */
    static void resolve(Podman podman, PodmanPlan plan) {
        if (plan.network == null || plan.address != null) {
            return;
        }
        Podman.Result infra = podman.run(List.of("pod", "inspect", "--format", "{{.InfraContainerID}}", plan.podName));
        if (!infra.ok()) {
            return;
        }
        Podman.Result ip = podman.run(List.of("container", "inspect", "--format",
                "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", infra.out().strip()));
        String a = ip.ok() ? ip.out().strip().split("\\s+")[0] : "";
        if (!a.isEmpty()) {
            plan.address = a;
        }
    }
}
