package dev.ward.policy;

import java.util.Locale;

/**
 * Linux capabilities with their kernel numbers (include/uapi/linux/capability.h). Names are what
 * {@code matchCapabilities} accepts, lower case, with or without the {@code cap_} prefix.
 */
public enum Capability {
    CHOWN(0), DAC_OVERRIDE(1), DAC_READ_SEARCH(2), FOWNER(3), FSETID(4), KILL(5), SETGID(6), SETUID(7), SETPCAP(8),
    LINUX_IMMUTABLE(9), NET_BIND_SERVICE(10), NET_BROADCAST(11), NET_ADMIN(12), NET_RAW(13), IPC_LOCK(14),
    IPC_OWNER(15), SYS_MODULE(16), SYS_RAWIO(17), SYS_CHROOT(18), SYS_PTRACE(19), SYS_PACCT(20), SYS_ADMIN(21),
    SYS_BOOT(22), SYS_NICE(23), SYS_RESOURCE(24), SYS_TIME(25), SYS_TTY_CONFIG(26), MKNOD(27), LEASE(28),
    AUDIT_WRITE(29), AUDIT_CONTROL(30), SETFCAP(31), MAC_OVERRIDE(32), MAC_ADMIN(33), SYSLOG(34), WAKE_ALARM(35),
    BLOCK_SUSPEND(36), AUDIT_READ(37), PERFMON(38), BPF(39), CHECKPOINT_RESTORE(40);

    /** The CRD's capability pattern stops at mac_admin; later capabilities are rejected by lint like the CRD does. */
    private static final int LAST_IN_CRD = 33;
    private static final Capability[] BY_NUMBER = values();

    private final int number;

    Capability(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The policy spelling, e.g. "net_raw". */
    public String policyName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when the KubeArmorPolicy CRD accepts this capability in matchCapabilities. */
    public boolean inCrd() {
        return number <= LAST_IN_CRD;
    }

    /** The capability with this kernel number, or null. */
    public static Capability ofNumber(int number) {
        return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
    }

    /** Parses "net_raw", "NET_RAW", "cap_net_raw" or "CAP_NET_RAW"; null when unknown. */
    public static Capability parse(String s) {
        String n = s.trim().toUpperCase(Locale.ROOT);
        if (n.startsWith("CAP_")) {
            n = n.substring(4);
        }
        for (Capability c : BY_NUMBER) {
            if (c.name().equals(n)) {
                return c;
            }
        }
        return null;
    }

    /**
     * The capability an unprivileged process would lack for this syscall, as far as the syscall name alone tells
     * (a ptrace agent sees syscalls, not the kernel's capable() checks). Null when the syscall needs none or when it
     * depends on arguments in ways a name cannot tell (kill, bind: the agent checks those itself).
     */
    public static Capability forSyscall(String syscall) {
        return switch (syscall) {
            case "chown", "fchown", "lchown", "fchownat" -> CHOWN;
            case "setuid", "setreuid", "setresuid", "setfsuid" -> SETUID;
            case "setgid", "setregid", "setresgid", "setfsgid", "setgroups" -> SETGID;
            case "capset" -> SETPCAP;
            case "mount", "umount2", "pivot_root", "unshare", "setns", "sethostname", "setdomainname", "swapon",
                 "swapoff", "quotactl", "fsopen", "fsmount", "move_mount", "open_tree", "fanotify_init" -> SYS_ADMIN;
            case "chroot" -> SYS_CHROOT;
            case "ptrace", "process_vm_readv", "process_vm_writev", "kcmp" -> SYS_PTRACE;
            case "init_module", "finit_module", "delete_module" -> SYS_MODULE;
            case "reboot", "kexec_load", "kexec_file_load" -> SYS_BOOT;
            case "settimeofday", "clock_settime", "adjtimex", "clock_adjtime" -> SYS_TIME;
            case "iopl", "ioperm" -> SYS_RAWIO;
            case "acct" -> SYS_PACCT;
            case "mknod", "mknodat" -> MKNOD;
            case "vhangup" -> SYS_TTY_CONFIG;
            case "bpf" -> BPF;
            case "perf_event_open" -> PERFMON;
            case "syslog" -> SYSLOG;
            default -> null;
        };
    }
}
