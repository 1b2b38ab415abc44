package dev.ward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The start-up shortcut and picocli must read {@code ward run} the same way, or the shortcut declines. */
class RunArgsTest {
    @Test
    void knowsEveryOptionPicocliDefines() {
        Set<String> picocli = new TreeSet<>();
        new CommandLine(new RunCommand()).getCommandSpec().options()
                .forEach(o -> picocli.addAll(Arrays.asList(o.names())));
        picocli.removeAll(Set.of("-h", "--help", "-V", "--version"));
        assertThat(new TreeSet<>(RunArgs.names())).isEqualTo(picocli);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "-- cat /etc/hostname",
        "cat /etc/hostname",
        "--policy a.yaml -p b.yaml --container-name web -- nginx -g daemon\\ off;",
        "--label team=payments --label tier=web --log-filter=all -o out.jsonl -- sh -c true",
        "--fail-open --queue-size 10 -C /tmp -- ls -l",
        "--mesh --container-name web -- curl http://10.0.2.7/",
        "--output=x.json --policy=p.yaml sleep 1",
        "--pack default --pack=extra --output-format falco -p a.yaml -- nginx",
        "-- --policy looks-like-an-option-but-is-the-command"})
    void agreesWithPicocli(String line) {
        List<String> args = Arrays.stream(line.split(" (?<!\\\\ )")).map(s -> s.replace("\\ ", " ")).toList();
        RunCommand fast = RunArgs.parse(args);
        RunCommand slow = new RunCommand();
        new CommandLine(slow).parseArgs(args.toArray(String[]::new));
        assertThat(fast).as("the shortcut should accept: " + line).isNotNull();
        assertThat(fast.command).isEqualTo(slow.command);
        assertThat(fast.policies).isEqualTo(slow.policies);
        assertThat(fast.containerName).isEqualTo(slow.containerName);
        assertThat(fast.labels).isEqualTo(slow.labels);
        assertThat(fast.logFilter).isEqualTo(slow.logFilter);
        assertThat(fast.output).isEqualTo(slow.output);
        assertThat(fast.failOpen).isEqualTo(slow.failOpen);
        assertThat(fast.mesh).isEqualTo(slow.mesh);
        assertThat(fast.queueSize).isEqualTo(slow.queueSize);
        assertThat(fast.workDir).isEqualTo(slow.workDir);
        assertThat(fast.packs).isEqualTo(slow.packs);
        assertThat(fast.outputFormat).isEqualTo(slow.outputFormat);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h -- ls", "--version", "--bogus x -- ls", "-pfile -- ls", "--policy",
        "--queue-size many -- ls", "--fail-open=yes -- ls", "--label novalue -- ls", "--",
        "-C /tmp --workdir=/srv -- ls", "--fail-open --fail-open -- ls", "-o a -o b -- ls",
        "--output-format falco --output-format=kubearmor -- ls"})
    void declinesWhatOnlyPicocliShouldAnswer(String line) {
        assertThat(RunArgs.parse(List.of(line.split(" ")))).isNull();
    }
}
