package dev.ward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.ward.agent.output.Exporter;
import dev.ward.api.Identity;
import dev.ward.api.LogFilter;
import dev.ward.api.telemetry.Sink;
import dev.ward.api.telemetry.Telemetry;
import dev.ward.capture.ScriptedEvent;
import dev.ward.capture.SyscallEvent;
import dev.ward.capture.Verdict;
import dev.ward.policy.ContainerIdentity;
import dev.ward.policy.PolicyLoader;
import dev.ward.policy.PolicySet;
import dev.ward.policy.Posture;
import dev.ward.policy.testing.PolicyYaml;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The hot path allocates nothing: thousands of scripted, unmatched events through the Guard with 200
 * file rules loaded, and the bytes this thread allocated are counted.
 */
class GuardAllocationTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    @Test
    void unmatchedEventsAllocateNothing() throws Exception {
        java.nio.file.Path vault = java.nio.file.Files.createDirectories(dir.resolve("vault"));
        java.nio.file.Path key = java.nio.file.Files.writeString(vault.resolve("key"), "k");
        StringBuilder yaml = new StringBuilder(PolicyYaml.named("vault").container("app").spec("""
                file:
                  matchDirectories:
                  - dir: %s/
                    recursive: true
                action: Block
                """.formatted(vault))).append("---\n");
        for (int i = 0; i < 200; i++) {
            yaml.append(PolicyYaml.named("p" + i).container("app").spec("""
                    file:
                      matchPaths:
                      - path: /secrets/s%d
                      matchDirectories:
                      - dir: /vault%d/
                        recursive: true
                    action: Block
                    """.formatted(i, i))).append("---\n");
        }
        PolicySet set = PolicySet.compile(PolicyLoader.parse(yaml.toString(), "generated.yaml"),
                new ContainerIdentity("app", Map.of(Identity.CONTAINER_NAME_LABEL, "app")), Posture.defaults());
        List<Telemetry> sent = new ArrayList<>();
        Sink sink = new Sink() {
            @Override
            public void write(Telemetry t) {
                sent.add(t);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        try (Exporter exporter = new Exporter(16, System.err, sink)) {
            Guard guard = new Guard(new AtomicReference<>(LiveRules.of(set, System.err)), exporter,
                    Identity.of("app", Map.of(), Map.of()), LogFilter.POLICY);
            guard.agent(1, "/ward/bin/java", 0);
            // This JVM plays the traced process: its own descriptors are what the exit check reads.
            int self = dev.ward.bindings.Posix.getpid();
            int fd = dev.ward.bindings.Posix.open("/etc/hostname", dev.ward.bindings.Posix.O_RDONLY);
            SyscallEvent e = ScriptedEvent.of("openat", self, self, "/etc/hostname", 0);
            byte[][] paths = new byte[64][];
            for (int i = 0; i < paths.length; i++) {
                paths[i] = ("/usr/lib/x86_64-linux-gnu/lib" + i + ".so").getBytes(StandardCharsets.UTF_8);
            }
            assertThat(guard.onSyscall(e)).isIn(Verdict.ALLOW_AND_REPORT_EXIT, Verdict.ALLOW_FINAL); // registers the process
            assertThat(guard.onSyscallExit(self, self, fd)).isTrue();
            for (int i = 0; i < 200_000; i++) { // warm up: let the JIT compile the path
                ScriptedEvent.retarget(e, paths[i & 63]);
                guard.onSyscall(e);
                guard.onSyscallExit(self, self, fd);
            }
            ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().threadId();
            long before = mx.getThreadAllocatedBytes(tid);
            Verdict last = null;
            boolean kept = true;
            for (int i = 0; i < 100_000; i++) {
                ScriptedEvent.retarget(e, paths[i & 63]);
                last = guard.onSyscall(e);
                kept &= guard.onSyscallExit(self, self, fd);
            }
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            assertThat(last).isEqualTo(Verdict.ALLOW_AND_REPORT_EXIT);
            assertThat(kept).isTrue();
            assertThat(allocated).as("bytes allocated by 100,000 decisions and exit checks").isLessThan(4096);

            ScriptedEvent.retarget(e, "/vault7/deep/key".getBytes(StandardCharsets.UTF_8));
            assertThat(guard.onSyscall(e)).as("a matching event is still blocked").isEqualTo(Verdict.DENY);

            // An open the entry check let through (the path said /etc/hostname) that reached the vault.
            int vaultFd = dev.ward.bindings.Posix.open(key.toString(), dev.ward.bindings.Posix.O_RDONLY);
            ScriptedEvent.retarget(e, paths[0]);
            assertThat(guard.onSyscall(e)).isEqualTo(Verdict.ALLOW_AND_REPORT_EXIT);
            assertThat(guard.onSyscallExit(self, self, vaultFd)).as("revoked at exit").isFalse();
            dev.ward.bindings.Posix.close(vaultFd);
            dev.ward.bindings.Posix.close(fd);
        }
    }
}
