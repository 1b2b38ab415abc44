package dev.ward.local;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs podman commands with Ward's containers.conf ({@code CONTAINERS_CONF}). Every command is started
 * through {@code setsid} when available, so a ^C on the terminal reaches {@code ward local run} only and
 * Ward stops the containers itself, in order, while their logs keep streaming.
 *
 * <p>Thread-safe: each call starts its own process.
 */
public final class Podman {
    /** What {@code podman} printed and its exit status. */
    public record Result(int exitCode, String out, String err) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private final String executable;
    private final Path containersConf;
    private final List<String> prefix;

    private Podman(String executable, Path containersConf) {
        this.executable = executable;
        this.containersConf = containersConf;
        String setsid = find("setsid");
        this.prefix = setsid == null ? List.of() : List.of(setsid);
    }

    /**
     * Finds podman on the PATH; {@code containersConf} is passed to it as CONTAINERS_CONF.
     *
     * @throws LocalException when podman is not installed, with the command that installs it
     */
    public static Podman locate(Path containersConf) {
        String exe = find("podman");
        if (exe == null) {
            throw new LocalException("podman is not installed (ward local runs task definitions with podman).\n"
                    + "Install it: apt-get install podman runc catatonit slirp4netns   (Debian/Ubuntu)\n"
                    + "            dnf install podman runc catatonit slirp4netns       (Fedora/RHEL)");
        }
        return new Podman(exe, containersConf);
    }

    public Path containersConf() {
        return containersConf;
    }

    /** The command line for {@code args} (podman first), as a ProcessBuilder with the environment set. */
    public ProcessBuilder builder(List<String> args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(executable);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("CONTAINERS_CONF", containersConf.toString());
        return pb;
    }

    /** Runs podman and waits; never throws for a non-zero exit. */
    public Result run(List<String> args) {
        return run(args, null);
    }

    /** Runs podman with {@code stdin} as its standard input (e.g. a secret's value, never an argument). */
    public Result run(List<String> args, byte[] stdin) {
        ProcessBuilder pb = builder(args);
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        try {
            Process p = pb.start();
            if (stdin != null) {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(stdin);
                }
            }
            // stderr on its own platform thread: not the common pool (a `podman wait` holds its reader for
            // the container's lifetime), not a virtual thread (a blocking pipe read pins its carrier)
            CompletableFuture<String> err = new CompletableFuture<>();
            Thread.ofPlatform().daemon(true).start(() -> {
                try {
                    err.complete(readAll(p.getErrorStream()));
                } catch (RuntimeException e) {
                    err.complete("");
                }
            });
            String out = readAll(p.getInputStream());
            int code = p.waitFor();
            return new Result(code, out, err.join());
        } catch (IOException e) {
            throw new LocalException("cannot run podman: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalException("interrupted while running podman " + String.join(" ", args.subList(0, Math.min(2, args.size()))));
        }
    }

    /** Runs podman and returns its output; throws with podman's message when it fails. */
    public String check(String what, List<String> args) {
        Result r = run(args);
        if (!r.ok()) {
            throw new LocalException(what + ": podman " + args.getFirst() + " failed (exit " + r.exitCode() + "): "
                    + r.err().strip());
        }
        return r.out();
    }

    public String check(String what, String... args) {
        return check(what, List.of(args));
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String find(String name) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/local/bin:/usr/bin:/bin" : path).split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
