package dev.ward.policy.yaml;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

/** The syscall names syscalls rules may name: x86_64 Linux names, from a resource generated off the uapi header. */
final class SyscallNames {
    private SyscallNames() {
    }

    private static final Set<String> NAMES = load();

    static boolean known(String name) {
        return NAMES.contains(name);
    }

    private static Set<String> load() {
        var names = new TreeSet<String>();
        try (var in = SyscallNames.class.getResourceAsStream("syscalls.txt")) {
            if (in == null) {
                throw new IllegalStateException("syscalls.txt missing from the ward-policy jar");
            }
            var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    names.add(line.trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(names);
    }
}
