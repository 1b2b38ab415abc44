package dev.ward.relay;

import dev.ward.relay.api.AgentInfo;
import dev.ward.relay.api.AgentList;
import dev.ward.relay.api.ListAgentsRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ward agents}: the agents connected to the relay. POLICY SET is the version the agent confirmed
 * applying and how many policies the relay sent it.
 */
@Command(name = "agents", mixinStandardHelpOptions = true,
        description = "List the agents connected to the relay: container, ECS task, version, last event.")
public final class AgentsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RelayClientOptions relay = new RelayClientOptions();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        return relay.admin(spec, false, stub -> {
            AgentList list = stub.withDeadlineAfter(RelayClientOptions.DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .listAgents(ListAgentsRequest.getDefaultInstance());
            long now = System.currentTimeMillis();
            out.printf("%-24s %-24s %-64s %-12s %-10s %-10s %-10s %-8s %s%n", "CONTAINER", "FAMILY", "TASK",
                    "VERSION", "CONNECTED", "LAST EVENT", "EVENTS", "DROPPED", "POLICY SET");
            for (AgentInfo a : list.getAgentsList()) {
                out.printf("%-24s %-24s %-64s %-12s %-10s %-10s %-10d %-8d %s%n", a.getContainerName(),
                        dash(a.getTaskFamily()), dash(a.getTaskArn()), dash(a.getVersion()),
                        ago(now, a.getConnectedUnixMillis()), ago(now, a.getLastEventUnixMillis()),
                        a.getEventsReceived(), a.getAgentDropped(), "v" + a.getPolicyVersion() + " ("
                                + a.getPolicies() + (a.getPolicies() == 1 ? " policy)" : " policies)"));
            }
            out.println(list.getAgentsCount() + (list.getAgentsCount() == 1 ? " agent" : " agents") + " connected");
            out.flush();
            return 0;
        });
    }

    private static String dash(String s) {
        return s.isEmpty() ? "-" : s;
    }

    /** "never", or how long ago: 42s, 7m, 3h, 2d. */
    static String ago(long now, long then) {
        if (then <= 0) {
            return "never";
        }
        Duration d = Duration.ofMillis(Math.max(0, now - then));
        if (d.toSeconds() < 120) {
            return d.toSeconds() + "s ago";
        }
        if (d.toMinutes() < 120) {
            return d.toMinutes() + "m ago";
        }
        return d.toHours() < 48 ? d.toHours() + "h ago" : d.toDays() + "d ago";
    }
}
