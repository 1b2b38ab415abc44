package dev.ward.check;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code ward check} in-process with a given working directory, environment and terminal. */
public record CliRun(int code, String out, String err) {
    public static CliRun run(Path cwd, String... args) {
        return run(cwd, Map.of(), false, args);
    }

    public static CliRun run(Path cwd, Map<String, String> env, boolean terminal, String... args) {
        CommandLine cl = new CommandLine(new CheckCommand(env, terminal, cwd));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Writes {@code text} to {@code dir/name}, creating parent directories. */
    public static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    /** Copies a test resource (such as seeds/001-service-backend-flask.json) into {@code dir}. */
    public static Path copy(Path dir, String resource) throws IOException {
        try (var in = CliRun.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IOException("no test resource " + resource);
            }
            Path p = dir.resolve(resource);
            Files.createDirectories(p.getParent());
            Files.write(p, in.readAllBytes());
            return p;
        }
    }
}
