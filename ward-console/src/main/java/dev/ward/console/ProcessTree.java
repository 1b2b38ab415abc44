package dev.ward.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.relay.api.feeder.Alert;
import dev.ward.relay.store.EventQuery;
import dev.ward.relay.store.Store;
import dev.ward.relay.store.StoreException;
import dev.ward.relay.store.StoredEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ancestry of an alert's process, root first, rebuilt from the stored events (logs and alerts) of the same
 * container shortly before it: each event names a process (PID, PPID, ProcessName) and process events also its
 * command line. Where the events end, the alert's own fields give the process and its parent.
 */
final class ProcessTree {
    /** How far back the events are read, and at most how many. */
    private static final long WINDOW_NANOS = 10L * 60 * 1_000_000_000L;
    private static final int MAX_EVENTS = 20_000;
    private static final int MAX_DEPTH = 64;

    private record Proc(int pid, int ppid, String process, String args) {
    }

    private ProcessTree() {
    }

    static ArrayNode of(Store store, StoredEvent alertEvent) throws StoreException {
        Alert a = alertEvent.event().getAlert();
        Map<Integer, Proc> known = new HashMap<>();
        if (!a.getContainerName().isEmpty()) {
            for (StoredEvent s : store.events(new EventQuery(alertEvent.tsNanos() - WINDOW_NANOS, null,
                    a.getContainerName(), "", MAX_EVENTS))) {
                if (s.tsNanos() > alertEvent.tsNanos()) {
                    break;
                }
                remember(known, s);
            }
        }
        remember(known, alertEvent);
        List<Proc> chain = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        Proc p = known.get(a.getPID());
        while (p != null && chain.size() < MAX_DEPTH && seen.add(p.pid())) {
            chain.add(p);
            p = known.get(p.ppid());
        }
        ArrayNode out = Http.JSON.createArrayNode();
        for (int i = chain.size() - 1; i >= 0; i--) {
            Proc c = chain.get(i);
            ObjectNode n = out.addObject().put("pid", c.pid()).put("ppid", c.ppid()).put("process", c.process());
            if (c.args() != null) {
                n.put("args", c.args());
            }
        }
        return out;
    }

    /** What an event tells of its process and, when not known better, of its parent. */
    private static void remember(Map<Integer, Proc> known, StoredEvent s) {
        boolean alert = s.alert();
        int pid = alert ? s.event().getAlert().getPID() : s.event().getLog().getPID();
        int ppid = alert ? s.event().getAlert().getPPID() : s.event().getLog().getPPID();
        String name = alert ? s.event().getAlert().getProcessName() : s.event().getLog().getProcessName();
        String parent = alert ? s.event().getAlert().getParentProcessName()
                : s.event().getLog().getParentProcessName();
        String resource = alert ? s.event().getAlert().getResource() : s.event().getLog().getResource();
        if (pid <= 0) {
            return;
        }
        Proc before = known.get(pid);
        String args = s.operation().equalsIgnoreCase("Process") && !resource.isEmpty() ? resource
                : before != null && before.process().equals(name) ? before.args() : null;
        known.put(pid, new Proc(pid, ppid, name.isEmpty() && before != null ? before.process() : name, args));
        if (ppid > 0 && !parent.isEmpty() && !known.containsKey(ppid)) {
            known.put(ppid, new Proc(ppid, 0, parent, null));
        }
    }
}
