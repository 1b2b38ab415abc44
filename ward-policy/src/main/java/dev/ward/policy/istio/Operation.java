package dev.ward.policy.istio;

import dev.ward.policy.model.Position;
import java.util.List;

/**
 * {@code rules[].to[].operation}: fields ANDed, values ORed, {@code not*} negated, as {@link Source}. Ports are L4;
 * hosts, methods and paths are L7 (matched only when the request was parsed as HTTP).
 */
public record Operation(Position position, List<StringMatch> hosts, List<StringMatch> notHosts, List<Integer> ports,
        List<Integer> notPorts, List<StringMatch> methods, List<StringMatch> notMethods, List<StringMatch> paths,
        List<StringMatch> notPaths) {
    public Operation {
        hosts = List.copyOf(hosts);
        notHosts = List.copyOf(notHosts);
        ports = List.copyOf(ports);
        notPorts = List.copyOf(notPorts);
        methods = List.copyOf(methods);
        notMethods = List.copyOf(notMethods);
        paths = List.copyOf(paths);
        notPaths = List.copyOf(notPaths);
    }

    /** Whether a field needs HTTP. */
    public boolean hasL7() {
        return !hosts.isEmpty() || !notHosts.isEmpty() || !methods.isEmpty() || !notMethods.isEmpty()
                || !paths.isEmpty() || !notPaths.isEmpty();
    }
}
