package dev.ward.policy;

import dev.ward.policy.match.Glob;
import dev.ward.policy.model.CapabilityRule;
import dev.ward.policy.model.Effect;
import dev.ward.policy.model.PathRule;
import dev.ward.policy.model.Position;
import dev.ward.policy.model.ProtocolRule;
import dev.ward.policy.model.SyscallRule;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the policies that select a container into the indexes of a {@link PolicySet}: every {@link Match} a
 * decision can return is allocated here, once. The steps, in order: select policies; for each rule build its
 * results and its {@link RuleEntry}; put the entry in the index of its operation, once per fromSource entry (or in
 * the global part); note which operations have an Allow rule (they become allow-lists).
 */
final class Compiler {
    private final PathIndex.Builder process = new PathIndex.Builder();
    private final PathIndex.Builder file = new PathIndex.Builder();
    private final ClassIndex.Builder network = new ClassIndex.Builder();
    private final ClassIndex.Builder capabilities = new ClassIndex.Builder();
    private final SyscallIndex.Builder syscalls = new SyscallIndex.Builder();
    private final Set<Operation> allowLists = EnumSet.noneOf(Operation.class);
    private int rules;
    private final Set<Operation> present = EnumSet.noneOf(Operation.class);
    private boolean ownerOnly;
    private final List<FileTarget> fileTargets = new java.util.ArrayList<>();

    static PolicySet compile(List<KubeArmorPolicy> policies, ContainerIdentity id, Posture posture) {
        Compiler c = new Compiler();
        var names = new java.util.ArrayList<String>();
        for (KubeArmorPolicy p : policies) {
            if (p.selects(id)) {
                names.add(p.name());
                c.add(p);
            }
        }
        return new PolicySet(names, c.rules, posture, c.allowLists, c.process.build(), c.file.build(),
                c.network.build(), c.capabilities.build(), c.syscalls.build(), c.present, c.ownerOnly,
                c.fileTargets);
    }

    private void add(KubeArmorPolicy p) {
        for (PathRule r : p.process()) {
            addPath(p, r, Operation.PROCESS, process);
        }
        for (PathRule r : p.file()) {
            addPath(p, r, Operation.FILE, file);
        }
        for (ProtocolRule r : p.network()) {
            RuleEntry e = entry(p, r.effect(), r.where(), r.position(), Operation.NETWORK, false, false, null);
            network.add(r.fromSource(), r.protocol().ordinal(), e);
            present.add(Operation.NETWORK);
            count(r.effect(), Operation.NETWORK);
        }
        for (CapabilityRule r : p.capabilities()) {
            RuleEntry e = entry(p, r.effect(), r.where(), r.position(), Operation.CAPABILITIES, false, false, null);
            capabilities.add(r.fromSource(), r.capability().number(), e);
            present.add(Operation.CAPABILITIES);
            count(r.effect(), Operation.CAPABILITIES);
        }
        for (SyscallRule r : p.syscalls()) {
            // Syscall rules only ever audit (KubeArmor's specification), whatever their action said.
            syscalls.add(r, match(p, Action.AUDIT, r.effect(), r.where(), r.position(), Operation.SYSCALL));
            present.add(Operation.SYSCALL);
            rules++;
        }
    }

    private void addPath(KubeArmorPolicy p, PathRule r, Operation op, PathIndex.Builder index) {
        present.add(op);
        ownerOnly |= r.ownerOnly();
        // The inode index closes hard-link routes around what a rule enforces; an Audit rule enforces nothing, and
        // indexing the large trees detection rules name (/usr/lib/, /etc/) would cost every start a second or more.
        if (r.kind() != dev.ward.policy.model.TargetKind.PATTERN && r.target().indexOf('*') < 0
                && r.target().indexOf('?') < 0 && r.effect().action() != Action.AUDIT) {
            fileTargets.add(new FileTarget(r.target(), r.kind() == dev.ward.policy.model.TargetKind.DIRECTORY,
                    r.recursive()));
        }
        Glob glob = r.kind() == dev.ward.policy.model.TargetKind.PATTERN ? Glob.compile(r.target()) : null;
        RuleEntry e = entry(p, r.effect(), r.where(), r.position(), op, r.ownerOnly(), r.readOnly(), glob);
        index.forEachTrie(r.fromSource(), trie -> {
            switch (r.kind()) {
                case PATH -> trie.path(r.target(), e);
                case DIRECTORY -> trie.directory(r.target(), r.recursive(), e);
                case PATTERN -> trie.glob(glob, e);
                case EXEC_NAME -> trie.execName(r.target(), e);
            }
        });
        count(r.effect(), op);
    }

    private void count(Effect effect, Operation op) {
        rules++;
        if (effect.action() == Action.ALLOW) {
            allowLists.add(op);
        }
    }

    private static RuleEntry entry(KubeArmorPolicy p, Effect effect, String where, Position pos, Operation op,
            boolean ownerOnly, boolean readOnly, Glob glob) {
        Match m = match(p, effect.action(), effect, where, pos, op);
        Match violation = effect.action() == Action.ALLOW && (ownerOnly || readOnly)
                ? match(p, Action.BLOCK, effect, where, pos, op)
                : null;
        return new RuleEntry(effect.action(), ownerOnly, readOnly, m, violation, glob);
    }

    private static Match match(KubeArmorPolicy p, Action action, Effect effect, String where, Position pos,
            Operation op) {
        return new Match(action, p.name(), effect.severity(), effect.tags(), effect.message(), op, false, where,
                pos.toString());
    }
}
