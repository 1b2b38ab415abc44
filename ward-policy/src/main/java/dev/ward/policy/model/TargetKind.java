package dev.ward.policy.model;

/** How a process or file rule names what it is about. */
public enum TargetKind {
    /** {@code matchPaths.path}: one absolute path. */
    PATH,
    /** {@code matchDirectories.dir}: a directory, its direct entries, with {@code recursive} everything below. */
    DIRECTORY,
    /** {@code matchPatterns.pattern}: a glob, see {@link dev.ward.policy.match.Glob}. */
    PATTERN,
    /** {@code process.matchPaths.execname}: an executable's file name wherever it lives. */
    EXEC_NAME
}
