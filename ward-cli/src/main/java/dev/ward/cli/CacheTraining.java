package dev.ward.cli;

import dev.ward.check.CheckCommand;

/**
 * The training run of the commands' start-up cache (ward-cli.aot, see ./ward and the archive's build): {@code
 * ward version}, {@code ward policy lint POLICY} and {@code ward check TASKDEF} in one JVM, since a cache holds the
 * classes its one training run loaded and each of these commands is expected to answer at once. Their output goes
 * where the caller sends it; the exit code is the first failure's.
 *
 * <p>Usage: {@code java -XX:AOTCacheOutput=... dev.ward.cli.CacheTraining POLICY.yaml TASKDEF}, TASKDEF a file or a
 * directory of them
 */
public final class CacheTraining {
    private CacheTraining() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: CacheTraining POLICY.yaml TASKDEF.json");
            System.exit(2);
        }
        int code = 0;
        for (String[] command : new String[][] {{"version"}, {"policy", "lint", args[0]}, {"check", args[1]}}) {
            int c = Main.commandLine(command).execute(command);
            code = code != 0 ? code : c;
        }
        // and the shortcut Main takes for a check with the common options
        Integer fast = CheckCommand.runFast(new String[] {"check", "-o", "text", args[1]});
        code = code != 0 || fast == null ? code : fast;
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }
}
