package dev.ward.deploy;

import java.util.List;
import java.util.Locale;

/**
 * A runtime-security agent that other vendors put into tasks the way Ward does, and how to recognise each of its
 * pieces. Two ptrace- or seccomp-based agents on one process fight (only one can trace it), and their tokens stay
 * in the task, so inject finds them before it adds Ward (see {@link ForeignAgents}).
 *
 * <p>The patterns are those the vendors document for Fargate: Lacework's {@code lacework-sidecar.sh} wrapper with
 * the {@code lacework/datacollector} sidecar (seed 004), KubeArmor's BlueLock binary copied from the
 * {@code bluelock} image (seeds 000 and 002), Sysdig's serverless {@code /opt/draios/bin/instrument} with the
 * {@code workload-agent} sidecar, and Prisma Cloud's (Twistlock) Fargate Defender
 * {@code /var/lib/twistlock/fargate/defender fargate entrypoint}.
 *
 * @param name          the product, for the report
 * @param wrapper       an entry-point element is the agent's launcher when its path ends with one of these
 * @param wrapperArgs   how many arguments of the launcher's own follow it before the application's argv
 * @param envNames      environment variables (and secrets) that configure the agent: exact names
 * @param envPrefixes   ... or name prefixes
 * @param sidecarImages a container is the agent's sidecar (or init container) when its image's repository
 *                      contains one of these
 */
record KnownAgent(String name, List<String> wrapper, int wrapperArgs, List<String> envNames, List<String> envPrefixes,
                  List<String> sidecarImages) {
    static final List<KnownAgent> ALL = List.of(
            new KnownAgent("Lacework", List.of("lacework-sidecar.sh"), 0,
                    List.of("LaceworkAccessToken", "LaceworkServerUrl", "LaceworkConfig", "LaceworkVerbose"),
                    List.of(), List.of("lacework/datacollector", "lacework-datacollector")),
            new KnownAgent("KubeArmor BlueLock", List.of("/bluelock", "kubearmor/bluelock"), 0,
                    List.of("SIDEKICK_URL", "K8S"), List.of(), List.of("bluelock")),
            new KnownAgent("Sysdig", List.of("/opt/draios/bin/instrument"), 0, List.of(), List.of("SYSDIG_"),
                    List.of("sysdig/workload-agent", "sysdig/serverless", "sysdig/agent")),
            new KnownAgent("Prisma Cloud (Twistlock) Defender", List.of("twistlock/fargate/defender", "twistlock/defender"), 2,
                    List.of("DEFENDER_TYPE", "FARGATE_TASK", "INSTALL_BUNDLE", "WS_ADDRESS", "FILESYSTEM_MONITORING"),
                    List.of("TW_"), List.of("twistlock", "prismacloud")));

    /** Whether {@code arg} starts this agent (its path ends with a wrapper name). */
    boolean wraps(String arg) {
        // "kubearmor/bluelock" (seed 000, relative) and "/kubearmor/bluelock" (seed 002) are both BlueLock
        return wrapper.stream().anyMatch(w -> arg.equals(trimSlash(w)) || arg.endsWith("/" + trimSlash(w)));
    }

    /** Whether the environment variable {@code name} configures this agent. */
    boolean configures(String name) {
        return envNames.contains(name) || envPrefixes.stream().anyMatch(name::startsWith);
    }

    /** Whether a container running {@code image} is this agent's sidecar. */
    boolean sidecar(String image) {
        String repo = repository(image).toLowerCase(Locale.ROOT);
        return sidecarImages.stream().anyMatch(repo::contains);
    }

    /**
     * The argv without the agent's launcher: the elements before the launcher are kept (a shell, say), the launcher
     * and its own {@link #wrapperArgs} dropped; null when no element is a launcher.
     */
    List<String> unwrap(List<String> argv) {
        for (int i = 0; i < argv.size(); i++) {
            if (wraps(argv.get(i))) {
                List<String> out = new java.util.ArrayList<>(argv.subList(0, i));
                out.addAll(argv.subList(Math.min(argv.size(), i + 1 + wrapperArgs), argv.size()));
                return out;
            }
        }
        return null;
    }

    /** The agent whose launcher {@code arg} is, or null. */
    static KnownAgent launchedBy(String arg) {
        return ALL.stream().filter(a -> a.wraps(arg)).findFirst().orElse(null);
    }

    /** The agent that {@code name} configures, or null. */
    static KnownAgent configuredBy(String name) {
        return ALL.stream().filter(a -> a.configures(name)).findFirst().orElse(null);
    }

    /** The agent whose sidecar image {@code image} is, or null. */
    static KnownAgent sidecarOf(String image) {
        return ALL.stream().filter(a -> a.sidecar(image)).findFirst().orElse(null);
    }

    /** {@code registry/repo:tag@digest} without tag and digest, so that a tag named "defender" does not match. */
    private static String repository(String image) {
        String s = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = s.lastIndexOf('/');
        int colon = s.lastIndexOf(':');
        return colon > slash ? s.substring(0, colon) : s;
    }

    private static String trimSlash(String w) {
        return w.startsWith("/") ? w.substring(1) : w;
    }
}
