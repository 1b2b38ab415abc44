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
            Table table = new Table("CONTAINER", "FAMILY", "TASK", "VERSION", "RELAY", "CONNECTED", "LAST EVENT",
                    "EVENTS", "DROPPED", "LOGS", "POLICY SET");
            for (AgentInfo a : list.getAgentsList()) {
                table.row(a.getContainerName(), a.getTaskFamily(), a.getTaskArn(), a.getVersion(),
                        a.getRelay().isEmpty() ? "-" : a.getRelay(),
                        ago(now, a.getConnectedUnixMillis()), ago(now, a.getLastEventUnixMillis()),
                        a.getEventsReceived(), a.getAgentDropped(), logs(a), "v" + a.getPolicyVersion() + " ("
                                + a.getPolicies() + (a.getPolicies() == 1 ? " policy)" : " policies)"));
            }
            table.print(out);
            out.println(list.getAgentsCount() + (list.getAgentsCount() == 1 ? " agent" : " agents") + " connected");
            out.flush();
            return 0;
        });
    }

    /** Whether the agent sends logs besides alerts (its --log-filter), "?" for agents that do not say. */
    static String logs(AgentInfo a) {
        return switch (a.getLogFilter()) {
            case "all", "system" -> "yes";
            case "policy" -> "no";
            default -> "?";
        };
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
