package dev.ward.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Decisions do not allocate: across a million scripted decisions of every kind, the deciding thread allocates
 * (almost) nothing. One allocation per decision would show up as at least 16 MB.
 */
class AllocationTest {
    private static final String POLICIES = Policies.policy("many", """
            file:
              matchPaths:
              - path: /etc/shadow
              - path: /etc/passwd
                readOnly: true
              - path: /home/app/secret
                ownerOnly: true
                fromSource: [{path: /usr/bin/cat}, {dir: /opt/, recursive: true}]
              matchDirectories:
              - {dir: /etc/ssl/, recursive: true}
              - {dir: /var/log/, action: Audit}
              - {dir: /, recursive: true, action: Allow}
              matchPatterns:
              - pattern: /home/**/.ssh/*
              - pattern: /tmp/*.sh
              - pattern: /data/%s/**/x?z*.log
            process:
              matchPaths:
              - {path: /bin/ls, fromSource: [{path: /bin/dash}]}
              - {execname: nc}
              matchDirectories:
              - {dir: /usr/bin/, recursive: true, action: Allow}
            network:
              matchProtocols:
              - {protocol: tcp, fromSource: [{path: /usr/bin/curl}], action: Allow}
              - {protocol: raw}
              - {protocol: icmp, action: Audit}
            capabilities:
              matchCapabilities:
              - {capability: net_raw}
            syscalls:
              matchSyscalls:
              - syscall: [unlink]
                fromSource: [{dir: /bin/, recursive: true}]
            """.formatted("d".repeat(90)));

    @Test
    void decisionsDoNotAllocate() {
        PolicySet set = Policies.compile(POLICIES, "c", Posture.defaults());
        String[][] files = {
                {"/usr/bin/cat", "/etc/shadow"}, {"/usr/bin/cat", "/home/app/secret"},
                {"/opt/a/b", "/home/app/secret"}, {"/usr/bin/vi", "/etc/passwd"}, {"/bin/sh", "/etc/ssl/certs/a"},
                {"/bin/sh", "/var/log/syslog"}, {"/bin/sh", "/home/u/x/.ssh/id"}, {"/bin/sh", "/tmp/a.sh"},
                {"/bin/sh", "/data/" + "d".repeat(90) + "/q/xyz1.log"}, {"/bin/sh", "/srv/www/index.html"},
                {"/bin/dash", "/bin/ls"}, {"/bin/sh", "/usr/local/bin/nc"}, {"/bin/sh", "/usr/bin/env"},
        };
        FileRequest[] fq = new FileRequest[files.length];
        for (int i = 0; i < files.length; i++) {
            fq[i] = Policies.file(files[i][0], files[i][1]).owner(1000, i % 2 == 0 ? 1000 : 0);
            fq[i].write = i % 3 == 0;
        }
        NetworkRequest[] nq = {
                new NetworkRequest().socket(2, 1, 0).source("/usr/bin/curl"),
                new NetworkRequest().socket(10, 2, 0).source("/usr/bin/curl"),
                new NetworkRequest().socket(2, 3, 1).source("/bin/ping"),
                new NetworkRequest().socket(1, 1, 0).source("/bin/ping"),
        };
        CapabilityRequest cq = new CapabilityRequest().capability(Capability.NET_RAW).source("/bin/ping");
        SyscallRequest sq = new SyscallRequest().name("unlink").source("/bin/rm").path("/tmp/x");

        long sink = run(set, fq, nq, cq, sq, 200_000); // warm-up: JIT, and one-off scratch growth
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long before = mx.getThreadAllocatedBytes(tid);
        sink += run(set, fq, nq, cq, sq, 1_000_000);
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertThat(sink).isPositive();
        assertThat(allocated).as("bytes allocated by 1,000,000 decisions").isLessThan(64 * 1024);
    }

    private static long run(PolicySet set, FileRequest[] fq, NetworkRequest[] nq, CapabilityRequest cq,
            SyscallRequest sq, int n) {
        long sink = 0;
        for (int i = 0; i < n; i++) {
            FileRequest f = fq[i % fq.length];
            Match m = (i & 1) == 0 ? set.file(f) : set.process(f);
            sink += m == null ? 1 : m.action().ordinal() + 2;
            Match x = switch (i & 7) {
                case 0 -> set.network(nq[i % nq.length]);
                case 1 -> set.capability(cq);
                case 2 -> set.syscall(sq);
                default -> null;
            };
            sink += x == null ? 0 : 1;
        }
        return sink;
    }
}
