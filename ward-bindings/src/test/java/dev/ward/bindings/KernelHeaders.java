package dev.ward.bindings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The syscall numbers of a kernel header, as the C preprocessor would see them: {@code #define __NR_name N} and
 * {@code __NR_name __NR3264_name} lines, under {@code #if}/{@code #ifdef}/{@code #ifndef}/{@code #else} evaluated
 * with the given macros defined (the {@code __ARCH_WANT_*} of the architecture) and {@code __BITS_PER_LONG} 64.
 * Enough for {@code asm/unistd_64.h} and {@code asm-generic/unistd.h}; anything else in a condition fails loudly.
 */
final class KernelHeaders {
    private static final Pattern DEFINE = Pattern.compile("#define\\s+(__NR(?:3264)?_\\w+)\\s+(\\w+)\\s*(?:/\\*.*)?");
    private static final Pattern DEFINED = Pattern.compile("defined\\s*\\(?\\s*(\\w+)\\s*\\)?");

    private KernelHeaders() {
    }

    /** name (without __NR_) to number, from {@code header} with {@code macros} defined. */
    static Map<String, Integer> syscalls(Path header, Set<String> macros) throws IOException {
        List<String> lines = Files.readAllLines(header);
        Map<String, Integer> values = new HashMap<>();
        Map<String, Integer> out = new HashMap<>();
        Deque<boolean[]> stack = new ArrayDeque<>(); // {this branch active, some branch taken}
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            boolean active = stack.stream().allMatch(b -> b[0]);
            String where = header + ":" + (i + 1);
            if (line.startsWith("#ifdef ")) {
                push(stack, macros.contains(line.substring(7).strip()));
            } else if (line.startsWith("#ifndef ")) {
                String m = line.substring(8).strip();
                push(stack, !macros.contains(m) && !values.containsKey(m));
            } else if (line.startsWith("#if ")) {
                push(stack, eval(line.substring(4).replaceAll("/\\*.*", ""), macros, values, where));
            } else if (line.startsWith("#else")) {
                boolean[] top = stack.peek();
                top[0] = !top[1];
                top[1] = true;
            } else if (line.startsWith("#endif")) {
                stack.pop();
            } else if (active) {
                Matcher m = DEFINE.matcher(line);
                if (m.matches()) {
                    String value = m.group(2);
                    Integer n = value.matches("\\d+") ? Integer.valueOf(value) : values.get(value);
                    if (n != null) {
                        values.put(m.group(1), n);
                        if (m.group(1).startsWith("__NR_")) {
                            out.put(m.group(1).substring(5), n);
                        }
                    }
                }
            }
        }
        out.remove("syscalls");
        return out;
    }

    private static void push(Deque<boolean[]> stack, boolean value) {
        stack.push(new boolean[] {value, value});
    }

    /** A condition of defined(X), !, &&, || and __BITS_PER_LONG == / != 32 or 64, without parentheses nesting. */
    private static boolean eval(String condition, Set<String> macros, Map<String, Integer> values, String where) {
        String c = DEFINED.matcher(condition).replaceAll(m -> macros.contains(m.group(1))
                || values.containsKey(m.group(1)) ? "1" : "0");
        c = c.replace("__BITS_PER_LONG == 64", "1").replace("__BITS_PER_LONG != 32", "1")
                .replace("__BITS_PER_LONG == 32", "0").replace("__BITS_PER_LONG != 64", "0").replace(" ", "");
        boolean any = false;
        for (String or : c.split("\\|\\|")) {
            boolean all = true;
            for (String and : or.split("&&")) {
                boolean not = and.startsWith("!");
                String v = not ? and.substring(1) : and;
                if (!v.equals("0") && !v.equals("1")) {
                    throw new IllegalStateException(where + ": cannot evaluate #if " + condition);
                }
                all &= v.equals("1") != not;
            }
            any |= all;
        }
        return any;
    }
}
