package dev.ward.policy;

import static dev.ward.policy.Policies.action;
import static dev.ward.policy.Policies.compile;
import static dev.ward.policy.Policies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** capabilities.matchCapabilities and the audit-only syscalls block. */
class CapabilitiesAndSyscallsTest {

    @Test
    void capabilitiesWithAndWithoutSource() {
        PolicySet s = compile(policy("p", """
                capabilities:
                  matchCapabilities:
                  - capability: sys_admin
                  - capability: CAP_NET_RAW
                    fromSource: [{path: /bin/ping}]
                    action: Audit
                """), "c");
        var q = new CapabilityRequest().source("/bin/mount").capability(Capability.SYS_ADMIN);
        assertThat(action(s.capability(q))).isEqualTo(Action.BLOCK);
        assertThat(s.capability(q).operation()).isEqualTo(Operation.CAPABILITIES);
        assertThat(action(s.capability(new CapabilityRequest().source("/bin/ping").capability(Capability.NET_RAW))))
                .isEqualTo(Action.AUDIT);
        assertThat(s.capability(new CapabilityRequest().source("/bin/x").capability(Capability.NET_RAW))).isNull();
        assertThat(s.capability(new CapabilityRequest().source("/bin/x"))).isNull();
    }

    @Test
    void capabilitiesAllowListUsesTheCapabilitiesPosture() {
        PolicySet s = compile(policy("p", "capabilities: {matchCapabilities: [{capability: net_bind_service}]}\n"
                + "action: Allow"), "c", new Posture(Action.AUDIT, Action.AUDIT, Action.BLOCK));
        var bind = new CapabilityRequest().source("/app").capability(Capability.NET_BIND_SERVICE);
        assertThat(action(s.capability(bind))).isEqualTo(Action.ALLOW);
        Match chown = s.capability(new CapabilityRequest().source("/app").capability(Capability.CHOWN));
        assertThat(chown.action()).isEqualTo(Action.BLOCK);
        assertThat(chown.defaultPosture()).isTrue();
    }

    @Test
    void capabilityHintsFromSyscallNames() {
        assertThat(Capability.forSyscall("mount")).isEqualTo(Capability.SYS_ADMIN);
        assertThat(Capability.forSyscall("chown")).isEqualTo(Capability.CHOWN);
        assertThat(Capability.forSyscall("ptrace")).isEqualTo(Capability.SYS_PTRACE);
        assertThat(Capability.forSyscall("read")).isNull();
        assertThat(Capability.parse("cap_net_raw")).isEqualTo(Capability.NET_RAW);
        assertThat(Capability.ofNumber(21)).isEqualTo(Capability.SYS_ADMIN);
    }

    @Test
    void syscallsAreAuditOnlyWhateverTheAction() {
        PolicySet s = compile(policy("p", """
                severity: 4
                action: Block
                syscalls:
                  matchSyscalls:
                  - syscall: [unlink, rmdir]
                    fromSource:
                    - path: /bin/rm
                    - dir: /opt/
                      recursive: true
                  matchPaths:
                  - path: /etc/
                    recursive: true
                    syscall: [chmod, fchmodat]
                """), "c");
        assertThat(s.auditedSyscalls()).containsExactly("chmod", "fchmodat", "rmdir", "unlink");
        var q = new SyscallRequest().name("unlink").path("/tmp/x").source("/bin/rm");
        Match m = s.syscall(q);
        assertThat(m.action()).isEqualTo(Action.AUDIT);
        assertThat(m.severity()).isEqualTo(4);
        assertThat(m.operation()).isEqualTo(Operation.SYSCALL);
        assertThat(s.syscall(new SyscallRequest().name("rmdir").source("/opt/a/b"))).isNotNull();
        assertThat(s.syscall(new SyscallRequest().name("unlink").source("/bin/cat"))).isNull();
        assertThat(s.syscall(new SyscallRequest().name("chmod").path("/etc/a/b").source("/bin/chmod"))).isNotNull();
        assertThat(s.syscall(new SyscallRequest().name("chmod").path("/tmp/a").source("/bin/chmod"))).isNull();
        assertThat(s.syscall(new SyscallRequest().name("open").path("/etc/a"))).isNull();
        assertThat(s.syscall(new SyscallRequest())).isNull();
    }
}
