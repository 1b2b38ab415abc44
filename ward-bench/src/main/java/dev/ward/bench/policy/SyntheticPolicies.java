// What rule sets do the policy benchmarks decide against, and which requests do they ask?
//
// A reproducible (seeded) mix shaped like real deployments: per 100 rules, 55 file matchPaths, 20 recursive
// matchDirectories, 5 non-recursive ones, 5 matchPatterns (*, ?, **), 10 rules with fromSource, 5 process
// rules; actions mostly Block with some Audit and Allow. Requests: 1,024 file accesses, half hitting a rule
// (exact path, inside a directory, matching a glob, from a listed source), half missing deep in the tree.
package dev.ward.bench.policy;

import dev.ward.policy.ContainerIdentity;
import dev.ward.policy.FileRequest;
import dev.ward.policy.PolicyException;
import dev.ward.policy.PolicyLoader;
import dev.ward.policy.PolicySet;
import dev.ward.policy.Posture;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

final class SyntheticPolicies {
    private SyntheticPolicies() {
    }

    static final int REQUESTS = 1024;

    /** The YAML of one policy with {@code rules} rules, for container "bench". */
    static String yaml(int rules, long seed) {
        Random r = new Random(seed);
        StringBuilder files = new StringBuilder();
        StringBuilder dirs = new StringBuilder();
        StringBuilder patterns = new StringBuilder();
        StringBuilder process = new StringBuilder();
        for (int i = 0; i < rules; i++) {
            int kind = i % 100;
            String action = switch (r.nextInt(10)) {
                case 0 -> "Audit";
                case 1 -> "Allow";
                default -> "Block";
            };
            if (kind < 55) {
                files.append("    - {path: ").append(file(i)).append(", action: ").append(action).append("}\n");
            } else if (kind < 80) {
                dirs.append("    - {dir: ").append(dir(i)).append(", recursive: true, action: ").append(action)
                        .append("}\n");
            } else if (kind < 85) {
                dirs.append("    - {dir: ").append(dir(i)).append(", action: ").append(action).append("}\n");
            } else if (kind < 90) {
                patterns.append("    - {pattern: '").append(pattern(i)).append("', action: ").append(action)
                        .append("}\n");
            } else if (kind < 95) {
                files.append("    - {path: ").append(file(i)).append(", action: ").append(action)
                        .append(", fromSource: [{path: ").append(source(i)).append("}]}\n");
            } else {
                process.append("    - {path: /opt/tool").append(i).append("/bin/run, action: Block}\n");
            }
        }
        StringBuilder y = new StringBuilder("""
                apiVersion: security.kubearmor.com/v1
                kind: KubeArmorPolicy
                metadata:
                  name: bench
                spec:
                  selector:
                    matchLabels:
                      kubearmor.io/container.name: bench
                  file:
                """);
        if (!files.isEmpty()) {
            y.append("    matchPaths:\n").append(files.toString().indent(2));
        }
        if (!dirs.isEmpty()) {
            y.append("    matchDirectories:\n").append(dirs.toString().indent(2));
        }
        if (!patterns.isEmpty()) {
            y.append("    matchPatterns:\n").append(patterns.toString().indent(2));
        }
        if (!process.isEmpty()) {
            y.append("  process:\n    matchPaths:\n").append(process.toString().indent(2));
        }
        return y.toString();
    }

    static PolicySet compile(int rules) {
        try {
            return PolicySet.compile(PolicyLoader.parse(yaml(rules, 7), "bench.yaml"),
                    ContainerIdentity.named("bench"), Posture.defaults());
        } catch (PolicyException e) {
            throw new IllegalStateException(e.format(), e);
        }
    }

    /** One prepared file access: what the tracer would copy into its request object. */
    record Access(byte[] path, byte[] source, boolean write) {
        void copyInto(FileRequest q) {
            System.arraycopy(path, 0, q.path, 0, path.length);
            q.pathLength = path.length;
            System.arraycopy(source, 0, q.source, 0, source.length);
            q.sourceLength = source.length;
            q.write = write;
        }
    }

    /** Accesses that hit and miss the rules of a set of {@code rules} rules. */
    static Access[] accesses(int rules) {
        FileRequest[] qs = requests(rules);
        Access[] out = new Access[qs.length];
        for (int i = 0; i < qs.length; i++) {
            out[i] = new Access(java.util.Arrays.copyOf(qs[i].path, qs[i].pathLength),
                    java.util.Arrays.copyOf(qs[i].source, qs[i].sourceLength), qs[i].write);
        }
        return out;
    }

    /** Requests that hit and miss the rules of a set of {@code rules} rules. */
    static FileRequest[] requests(int rules) {
        Random r = new Random(11);
        List<FileRequest> out = new ArrayList<>();
        for (int k = 0; k < REQUESTS; k++) {
            int i = r.nextInt(rules);
            FileRequest q = new FileRequest();
            String path = switch (k % 8) {
                case 0 -> file(i);
                case 1 -> dir(i) + "sub/deeper/file.txt";
                case 2 -> "/srv/svc" + (i % 50) + "/data/cache/x" + k + ".json";
                case 3 -> "/var/lib/app" + i + "/logs/2024/06/01/app.log";
                case 4 -> "/usr/lib/x86_64-linux-gnu/libc.so.6";
                case 5 -> "/proc/self/status";
                case 6 -> "/home/u" + (i % 7) + "/.cache/pip/http/" + k;
                default -> dir(i) + "f" + k;
            };
            q.path(path);
            q.source(k % 4 == 0 ? source(i) : "/usr/bin/python3");
            q.write = k % 3 == 0;
            q.uid = 1000;
            q.ownerUid = 1000;
            out.add(q);
        }
        return out.toArray(new FileRequest[0]);
    }

    private static String file(int i) {
        return "/srv/svc" + (i % 50) + "/conf/" + (i % 13) + "/file" + i + ".yaml";
    }

    private static String dir(int i) {
        return "/var/lib/app" + i + "/";
    }

    private static String pattern(int i) {
        return switch (i % 3) {
            case 0 -> "/home/*/.ssh/id_*" + i;
            case 1 -> "/srv/svc" + (i % 50) + "/**/secret" + i + "?.pem";
            default -> "/etc/app" + i + "/*.conf";
        };
    }

    private static String source(int i) {
        return "/usr/local/bin/tool" + (i % 97);
    }
}
