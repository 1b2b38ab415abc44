package dev.ward.agent;

import dev.ward.capture.Supervisor;
import java.util.function.Consumer;

/**
 * Keeps the seccomp filter as narrow as the policies allow, and wider when they need more: told of every new
 * live policy set, it works out the operations those rules and the requested logs need stopped
 * ({@link OperationSet#needed}) and, when the running workload's filter does not stop them yet, has the
 * supervisor stack a wider one onto every traced thread ({@link Supervisor#widen}). Filters only ever widen:
 * a later, narrower policy set leaves the calls trapped (and the Guard lets them go without a report).
 *
 * <p>Threads: {@link #accept} runs on whichever thread replaced the policies (the relay's, the file
 * watcher's), {@link #started} on the agent's main thread; both under this object's lock.
 */
final class TrapWidening implements Consumer<LiveRules> {
    private final AgentOptions options;
    private OperationSet trapped;
    private OperationSet atStart;
    private Supervisor supervisor;

    /** @param initial what the workload's first filter stops */
    TrapWidening(AgentOptions options, OperationSet initial) {
        this.options = options;
        this.trapped = initial;
        this.atStart = initial;
    }

    /** The operations the filters stop now (the first filter's, or wider). */
    synchronized OperationSet trapped() {
        return trapped;
    }

    @Override
    public synchronized void accept(LiveRules rules) {
        OperationSet wider = trapped.union(OperationSet.needed(rules.set(), options.filter(), options.visibility()));
        if (wider.equals(trapped)) {
            return;
        }
        trapped = wider;
        if (supervisor != null) {
            supervisor.widen(wider.families());
        }
    }

    /** What the workload's first filter is to stop: what the policies need now. */
    synchronized OperationSet atSpawn() {
        atStart = trapped;
        return trapped;
    }

    /** The workload runs under the {@link #atSpawn} filter: catches up with policies that arrived meanwhile. */
    synchronized void started(Supervisor s) {
        this.supervisor = s;
        if (!trapped.equals(atStart)) {
            s.widen(trapped.families());
        }
    }
}
