package dev.ward.relay;

import dev.ward.relay.api.AgentInfo;
import dev.ward.relay.api.ListAgentsRequest;
import dev.ward.relay.api.RelayAdminGrpc;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Logs (as opposed to alerts) exist only where an agent runs with {@code --log-filter all|system}: a watcher
 * asking for them cannot make an agent send them (the agent decides what it traces at start). Rather than
 * stream nothing silently, {@code ward logs} says when no connected agent sends logs, and a karmor watcher of
 * WatchLogs gets the same sentence as a first Log of Type {@value #NOTICE_TYPE}.
 */
final class LogSenders {
    static final String NOTICE_TYPE = "WardNotice";

    private LogSenders() {
    }

    static void warnIfNone(RelayAdminGrpc.RelayAdminBlockingStub stub, PrintWriter err) {
        List<AgentInfo> agents;
        try {
            agents = stub.withDeadlineAfter(10, TimeUnit.SECONDS).listAgents(ListAgentsRequest.getDefaultInstance())
                    .getAgentsList();
        } catch (StatusRuntimeException e) {
            return; // the watch that follows reports what is wrong with the relay
        }
        String warning = warning(agents);
        if (warning != null) {
            err.println("ward logs: " + warning);
            err.flush();
        }
    }

    /** Null when some connected agent sends logs, or when one does not say (an older agent). */
    static String warning(List<AgentInfo> agents) {
        if (agents.isEmpty()) {
            return null; // nothing is known yet; agents that connect later may send logs
        }
        for (AgentInfo a : agents) {
            if (!a.getLogFilter().equals("policy")) {
                return null;
            }
        }
        return "none of the " + agents.size() + " connected agents sends logs (they run with "
                + "--log-filter policy): only alerts will show. Start agents with WARD_LOG_FILTER=all (or ward run "
                + "--log-filter all) to get logs.";
    }
}
