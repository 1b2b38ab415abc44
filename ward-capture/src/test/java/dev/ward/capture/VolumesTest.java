package dev.ward.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class VolumesTest {
    private static boolean onRoot(Volumes v, String path) {
        byte[] b = path.getBytes(StandardCharsets.UTF_8);
        return v.onRoot(b, b.length);
    }

    @Test
    void pathsUnderAMountPointAreNotOnTheRootFilesystem() {
        Volumes v = Volumes.parse(List.of(
                "22 1 0:21 / / rw,relatime - overlay overlay rw",
                "23 22 0:22 / /proc rw - proc proc rw",
                "24 22 8:1 /vol /data rw - ext4 /dev/sda1 rw",
                "25 22 8:1 /x /my\\040files rw - ext4 /dev/sda1 rw"));
        assertThat(onRoot(v, "/usr/share/nginx/html/index.html")).isTrue();
        assertThat(onRoot(v, "/database/file")).as("a prefix that is not a whole component").isTrue();
        assertThat(onRoot(v, "/data")).isFalse();
        assertThat(onRoot(v, "/data/secret")).isFalse();
        assertThat(onRoot(v, "/proc/1/root/etc/shadow")).isFalse();
        assertThat(onRoot(v, "/my files/a")).as("octal escapes in mountinfo").isFalse();
    }
}
