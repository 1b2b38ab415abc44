package dev.ward.image;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian trixie's arm64 JDK and C library, as .ci/arm64/fetch-arm64-jdk unpacks them ({@code $WARD_ARM64_DIR}, else
 * ~/.cache/ward/arm64): tests that cross-build an arm64 bundle run only when it is there, and fail under CI
 * ({@code CI=true}, where .ci/run fetches it first) when it is not.
 */
final class Arm64Jdk {
    static final String FETCH = ".ci/arm64/fetch-arm64-jdk";

    private Arm64Jdk() {
    }

    /** The directory with jdk/ and sysroot/; aborts the test (fails it under CI) when it was not fetched. */
    static Path dir() {
        String env = System.getenv("WARD_ARM64_DIR");
        Path dir = env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "ward", "arm64");
        if (!Files.isRegularFile(dir.resolve("ready"))) {
            String why = "no arm64 JDK in " + dir + ": run " + FETCH + " " + dir + " (Debian trixie's "
                    + "openjdk-25-jdk-headless:arm64 and libc6:arm64, about 330 MB) to run the arm64 bundle tests";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + "; under CI (CI=true) they must run: .ci/run fetches it before ./mvnw verify");
            }
            Assumptions.abort(why);
        }
        return dir;
    }

    static Path jdk() {
        return dir().resolve("jdk");
    }

    static Path sysroot() {
        return dir().resolve("sysroot");
    }
}
