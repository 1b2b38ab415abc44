package dev.ward.policy;

/**
 * A literal path or directory a process or file rule names (see {@link PolicySet#targets()}).
 *
 * @param path      absolute, normalised; a directory ends with '/'
 * @param directory whether it is a matchDirectories entry
 * @param recursive for directories: whether subdirectories are included
 */
public record FileTarget(String path, boolean directory, boolean recursive) {
}
