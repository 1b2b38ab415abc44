package dev.ward.capture;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small classic-BPF assembler for seccomp filters: instructions with symbolic jump labels, resolved
 * to the 8-bit relative offsets of {@code struct sock_filter} when {@link #assemble()} is called.
 * Only forward jumps exist in classic BPF; a label that is behind its jump, or too far, is an error.
 */
public final class Bpf {
    static final int LD_W_ABS = 0x20;
    static final int JMP_JEQ_K = 0x15;
    static final int JMP_JGE_K = 0x35;
    static final int JMP_JSET_K = 0x45;
    static final int RET_K = 0x06;

    private record Insn(int code, String jt, String jf, int k, String comment) {
    }

    private final List<Insn> insns = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();

    /** A = the 32-bit word at {@code offset} of {@code struct seccomp_data}. */
    public Bpf load(int offset, String comment) {
        insns.add(new Insn(LD_W_ABS, null, null, offset, comment));
        return this;
    }

    /** if (A == k) goto jt else goto jf; a null label means the next instruction. */
    public Bpf jumpIfEqual(int k, String jt, String jf) {
        insns.add(new Insn(JMP_JEQ_K, jt, jf, k, null));
        return this;
    }

    /** if (A >= k, unsigned) goto jt else goto jf. */
    public Bpf jumpIfAtLeast(int k, String jt, String jf) {
        insns.add(new Insn(JMP_JGE_K, jt, jf, k, null));
        return this;
    }

    /** if (A &amp; k) != 0 goto jt else goto jf. */
    public Bpf jumpIfAnySet(int k, String jt, String jf) {
        insns.add(new Insn(JMP_JSET_K, jt, jf, k, null));
        return this;
    }

    public Bpf ret(int action) {
        insns.add(new Insn(RET_K, null, null, action, null));
        return this;
    }

    /** Names the next instruction. */
    public Bpf label(String name) {
        if (labels.putIfAbsent(name, insns.size()) != null) {
            throw new IllegalStateException("label defined twice: " + name);
        }
        return this;
    }

    public int size() {
        return insns.size();
    }

    /** The program as consecutive little-endian {@code struct sock_filter} entries. */
    public byte[] assemble() {
        ByteBuffer out = ByteBuffer.allocate(insns.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int pc = 0; pc < insns.size(); pc++) {
            Insn insn = insns.get(pc);
            out.putShort((short) insn.code());
            out.put((byte) offset(pc, insn.jt()));
            out.put((byte) offset(pc, insn.jf()));
            out.putInt(insn.k());
        }
        return out.array();
    }

    private int offset(int pc, String label) {
        if (label == null) {
            return 0;
        }
        Integer target = labels.get(label);
        if (target == null) {
            throw new IllegalStateException("undefined label: " + label);
        }
        int delta = target - pc - 1;
        if (delta < 0 || delta > 255) {
            throw new IllegalStateException("jump to " + label + " out of range: " + delta);
        }
        return delta;
    }
}
