package dev.ward.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainersConfTest {
    @TempDir
    Path dir;

    @Test
    void anOptionWinsOverTheEnvironmentAndMustExist() throws IOException {
        Path mine = Files.writeString(dir.resolve("mine.conf"), "[engine]\n");
        assertThat(ContainersConf.resolve(mine, Map.of("CONTAINERS_CONF", "/elsewhere"))).isEqualTo(mine);
        assertThatThrownBy(() -> ContainersConf.resolve(dir.resolve("missing.conf"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.conf: no such file");
    }

    @Test
    void theEnvironmentsElseWardsOwnUnderTheCache() throws IOException {
        assertThat(ContainersConf.resolve(null, Map.of("CONTAINERS_CONF", "/etc/c.conf"))).isEqualTo(Path.of("/etc/c.conf"));
        Path written = ContainersConf.resolve(null, Map.of("XDG_CACHE_HOME", dir.toString()));
        assertThat(written).isEqualTo(dir.resolve("ward/local/containers.conf"));
        assertThat(Files.readString(written)).contains("runtime = \"runc\"", "nofile=20000:20000");
    }
}
