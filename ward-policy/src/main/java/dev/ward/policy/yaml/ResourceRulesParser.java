package dev.ward.policy.yaml;

import dev.ward.policy.Action;
import dev.ward.policy.Capability;
import dev.ward.policy.model.CapabilityRule;
import dev.ward.policy.model.Effect;
import dev.ward.policy.model.Protocol;
import dev.ward.policy.model.ProtocolRule;
import dev.ward.policy.model.Source;
import dev.ward.policy.model.SyscallRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The {@code network}, {@code capabilities} and {@code syscalls} blocks. Protocols and capabilities may be
 * comma-separated lists ("tcp,udp"), which KubeArmor expands into one rule each; so do we.
 */
final class ResourceRulesParser {
    private ResourceRulesParser() {
    }

    static List<ProtocolRule> network(Node n, Meta spec, Problems p) {
        Fields f = Fields.of(n, "network", p, PathRulesParser.union(Set.of("matchProtocols")),
                Set.of("matchDNSQueries"));
        if (f == null) {
            return List.of();
        }
        Meta block = Meta.read(f, p);
        List<ProtocolRule> out = new ArrayList<>();
        int entries = PathRulesParser.items(f, "matchProtocols", p, (item, w) -> {
            Fields r = Fields.of(item, w, p, PathRulesParser.union(Set.of("protocol", "fromSource")), Set.of("pts"));
            if (r == null) {
                return;
            }
            Node pn = r.require("protocol", p, "tcp, udp, icmp, icmpv6, sctp, raw or all");
            String s = pn == null ? null : Values.string(pn, w + ".protocol", p);
            List<Source> sources = SourceParser.read(r, p);
            Effect effect = Meta.resolve(Meta.read(r, p), block, spec);
            if (s == null) {
                return;
            }
            for (String part : s.split(",", -1)) {
                Protocol proto = Protocol.parse(part);
                if (proto == null) {
                    p.at(pn, ErrorCode.BAD_ENUM, w + ".protocol \"" + part.trim() + "\" is not a protocol (expected "
                            + "tcp, udp, icmp, icmpv6, sctp, raw, all, or a socket type: stream, dgram, rdm, "
                            + "seqpacket, dccp, packet)");
                } else {
                    out.add(new ProtocolRule(proto, sources, effect, w, p.position(item)));
                }
            }
        });
        if (entries == 0) {
            p.at(f.node(), ErrorCode.NO_RULES, "network has no rules (expected matchProtocols with at least one "
                    + "entry)");
        }
        return out;
    }

    static List<CapabilityRule> capabilities(Node n, Meta spec, Problems p) {
        Fields f = Fields.of(n, "capabilities", p, PathRulesParser.union(Set.of("matchCapabilities")), Set.of());
        if (f == null) {
            return List.of();
        }
        Meta block = Meta.read(f, p);
        List<CapabilityRule> out = new ArrayList<>();
        int entries = PathRulesParser.items(f, "matchCapabilities", p, (item, w) -> {
            Fields r = Fields.of(item, w, p, PathRulesParser.union(Set.of("capability", "fromSource")), Set.of());
            if (r == null) {
                return;
            }
            Node cn = r.require("capability", p, "a capability name such as net_raw");
            String s = cn == null ? null : Values.string(cn, w + ".capability", p);
            List<Source> sources = SourceParser.read(r, p);
            Effect effect = Meta.resolve(Meta.read(r, p), block, spec);
            if (s == null) {
                return;
            }
            for (String part : s.split(",", -1)) {
                Capability c = Capability.parse(part);
                if (c == null || !c.inCrd()) {
                    p.at(cn, ErrorCode.BAD_ENUM, w + ".capability \"" + part.trim() + "\" is not a capability "
                            + "KubeArmor accepts (expected a name from chown to mac_admin, such as net_raw or "
                            + "sys_admin)");
                } else {
                    out.add(new CapabilityRule(c, sources, effect, w, p.position(item)));
                }
            }
        });
        if (entries == 0) {
            p.at(f.node(), ErrorCode.NO_RULES, "capabilities has no rules (expected matchCapabilities with at "
                    + "least one entry)");
        }
        return out;
    }

    static List<SyscallRule> syscalls(Node n, Meta spec, Problems p) {
        Fields f = Fields.of(n, "syscalls", p, Set.of("matchSyscalls", "matchPaths", "severity", "tags",
                "message"), Set.of());
        if (f == null) {
            return List.of();
        }
        Meta block = Meta.read(f, p, false);
        List<SyscallRule> out = new ArrayList<>();
        int entries = PathRulesParser.items(f, "matchSyscalls", p, (item, w) -> {
            Fields r = Fields.of(item, w, p, Set.of("syscall", "fromSource"), Set.of());
            if (r != null) {
                syscall(r, w, null, false, block, spec, p, out);
            }
        });
        entries += PathRulesParser.items(f, "matchPaths", p, (item, w) -> {
            Fields r = Fields.of(item, w, p, Set.of("path", "recursive", "syscall", "fromSource"), Set.of());
            if (r == null) {
                return;
            }
            Node pn = r.require("path", p, "an absolute file path or a directory ending in '/'");
            String path = pn == null ? null : Paths.fileOrDirectory(pn, w + ".path", p);
            Node rn = r.get("recursive");
            Boolean recursive = rn == null ? Boolean.FALSE : Values.bool(rn, w + ".recursive", p);
            if (path != null && recursive != null) {
                syscall(r, w, path, recursive, block, spec, p, out);
            }
        });
        if (entries == 0) {
            p.at(f.node(), ErrorCode.NO_RULES, "syscalls has no rules (expected matchSyscalls or matchPaths with at "
                    + "least one entry)");
        }
        return out;
    }

    private static void syscall(Fields r, String w, String path, boolean recursive, Meta block, Meta spec,
            Problems p, List<SyscallRule> out) {
        Node sn = r.require("syscall", p, "a list of syscall names such as [unlink, rmdir]");
        List<String> names = new ArrayList<>();
        if (sn != null) {
            List<Node> items = Values.sequence(sn, w + ".syscall", "syscall names", p);
            for (int i = 0; items != null && i < items.size(); i++) {
                String s = Values.string(items.get(i), w + ".syscall[" + i + "]", p);
                if (s != null && !SyscallNames.known(s)) {
                    p.at(items.get(i), ErrorCode.BAD_ENUM, w + ".syscall[" + i + "] \"" + s + "\" is not a Linux "
                            + "x86_64 syscall name (expected a name such as unlink, rmdir or openat)");
                } else if (s != null) {
                    names.add(s);
                }
            }
        }
        List<Source> sources = SourceParser.read(r, p);
        Effect e = Meta.resolve(Meta.NONE, block, spec);
        if (!names.isEmpty()) {
            // Audit-only, as the specification says for syscalls, whatever the spec's action.
            out.add(new SyscallRule(names, path, recursive, sources,
                    new Effect(Action.AUDIT, e.severity(), e.tags(), e.message()), w, p.position(r.node())));
        }
    }
}
