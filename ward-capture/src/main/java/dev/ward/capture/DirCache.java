package dev.ward.capture;

import java.util.Arrays;

/**
 * Paths known to be their own canonical form (no symlink on the way): directories, so that resolving a path in
 * one of them costs one lstat of its last name instead of a readlink per component, and files seen not to be
 * symlinks, which then cost nothing. Only directories on the
 * container's own filesystem ({@link Volumes#onRoot}): their names change only through calls the tracer stops
 * ({@link SyscallTable#changesNames}), and it empties the cache at the entry and the exit of each, and adds
 * nothing while one runs. Tracer thread only; lookups allocate nothing.
 */
final class DirCache {
    private static final int CAPACITY = 4096; // a power of two; kept at most half full

    private final byte[][] keys = new byte[CAPACITY][];
    private int size;
    private boolean paused;

    boolean contains(byte[] dir, int length) {
        for (int i = hash(dir, length); keys[i] != null; i = (i + 1) & (CAPACITY - 1)) {
            if (keys[i].length == length && Arrays.equals(keys[i], 0, length, dir, 0, length)) {
                return true;
            }
        }
        return false;
    }

    /** Remembers {@code dir[0..length)} (a directory or file), just found canonical, unless names change now. */
    void add(byte[] dir, int length) {
        if (paused || length == 0 || !Volumes.instance().onRoot(dir, length) || contains(dir, length)) {
            return;
        }
        if (size >= CAPACITY / 2) {
            clear();
        }
        int i = hash(dir, length);
        while (keys[i] != null) {
            i = (i + 1) & (CAPACITY - 1);
        }
        keys[i] = Arrays.copyOf(dir, length);
        size++;
    }

    void clear() {
        if (size > 0) {
            Arrays.fill(keys, null);
            size = 0;
        }
    }

    /** While names change (a call that changes them runs or waits), nothing is added. */
    void pause(boolean pause) {
        this.paused = pause;
    }

    private static int hash(byte[] b, int length) {
        int h = 0x811c9dc5;
        for (int i = 0; i < length; i++) {
            h = (h ^ (b[i] & 0xff)) * 0x01000193;
        }
        return (h ^ (h >>> 16)) & (CAPACITY - 1);
    }
}
