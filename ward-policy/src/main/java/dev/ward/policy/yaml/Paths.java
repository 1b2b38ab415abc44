package dev.ward.policy.yaml;

import java.util.ArrayDeque;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The CRD's path rules, then lexical normalisation so that rules compare with the normalised paths the agent
 * passes: "//" and "/./" collapse and ".." removes the component before it ("/etc/../etc/shadow" is
 * "/etc/shadow"). Directories keep their trailing slash.
 */
final class Paths {
    private Paths() {
    }

    /** The CRD's MatchPathType: absolute, not ending in '/', at most 200 characters. */
    static final Pattern FILE = Pattern.compile("^/+.*[^/]$", Pattern.DOTALL);
    /** The CRD's MatchDirectoryType: "/" or absolute and ending in '/'. */
    static final Pattern DIRECTORY = Pattern.compile("^/$|^/.*/$", Pattern.DOTALL);
    /** The CRD's MatchBinType for execname: no '/'. */
    static final Pattern EXEC_NAME = Pattern.compile("^[^/]+$", Pattern.DOTALL);
    static final int MAX_PATH = 200;

    static String file(Node n, String what, Problems p) {
        String s = Values.string(n, what, p);
        if (s == null) {
            return null;
        }
        if (!FILE.matcher(s).matches()) {
            p.at(n, ErrorCode.BAD_PATH, what + " \"" + s + "\" is not an absolute file path (expected a path that "
                    + "starts with '/' and does not end with '/'" + (s.endsWith("/") ? "; for a directory use "
                    + "matchDirectories" : "") + ")");
            return null;
        }
        if (s.length() > MAX_PATH) {
            p.at(n, ErrorCode.BAD_PATH, what + " is " + s.length() + " characters long (expected at most "
                    + MAX_PATH + ")");
            return null;
        }
        return normalise(s, false);
    }

    static String directory(Node n, String what, Problems p) {
        String s = Values.string(n, what, p);
        if (s == null) {
            return null;
        }
        if (!DIRECTORY.matcher(s).matches()) {
            p.at(n, ErrorCode.BAD_PATH, what + " \"" + s + "\" is not an absolute directory (expected a path that "
                    + "starts and ends with '/'" + (s.startsWith("/") ? ": \"" + s + "/\"" : "") + ")");
            return null;
        }
        return normalise(s, true);
    }

    static String execName(Node n, String what, Problems p) {
        String s = Values.string(n, what, p);
        if (s == null) {
            return null;
        }
        if (!EXEC_NAME.matcher(s).matches()) {
            p.at(n, ErrorCode.BAD_PATH, what + " \"" + s + "\" is not a file name (expected a name without '/'; "
                    + "for a full path use path)");
            return null;
        }
        return s;
    }

    /** A syscalls matchPaths path: a file or a directory (trailing '/'). */
    static String fileOrDirectory(Node n, String what, Problems p) {
        String s = Values.string(n, what, p);
        if (s == null) {
            return null;
        }
        if (DIRECTORY.matcher(s).matches()) {
            return normalise(s, true);
        }
        if (FILE.matcher(s).matches()) {
            return normalise(s, false);
        }
        p.at(n, ErrorCode.BAD_PATH, what + " \"" + s + "\" is not absolute (expected a file path or a directory "
                + "ending in '/', both starting with '/')");
        return null;
    }

    static String normalise(String path, boolean directory) {
        var parts = new ArrayDeque<String>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        if (parts.isEmpty()) {
            return "/";
        }
        String joined = "/" + String.join("/", parts);
        return directory ? joined + "/" : joined;
    }
}
