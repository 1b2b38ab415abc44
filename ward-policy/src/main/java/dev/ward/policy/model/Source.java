package dev.ward.policy.model;

/**
 * One {@code fromSource} entry: the executable (or directory of executables) whose processes a rule is about.
 *
 * @param path      "/usr/bin/cat" for a file, "/usr/bin/" (trailing slash) for a directory
 * @param directory true for a {@code dir:} entry
 * @param recursive for directories: also executables in subdirectories
 */
public record Source(String path, boolean directory, boolean recursive) {
    public static Source file(String path) {
        return new Source(path, false, false);
    }

    public static Source dir(String dir, boolean recursive) {
        return new Source(dir, true, recursive);
    }
}
