package dev.ward.check.rules;

import static dev.ward.check.TestChecks.check;
import static dev.ward.check.TestChecks.taskWith;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UserRootTest {
    @Test
    void flagsRootInEverySpelling() {
        for (String user : new String[] {"root", "0", "0:0", "root:root", "ROOT"}) {
            assertThat(check("WARD-ECS-003", taskWith(c -> c.put("user", user)))).as(user).singleElement()
                    .satisfies(f -> assertThat(f.loc().path()).isEqualTo("$.containerDefinitions[0].user"));
        }
    }

    @Test
    void acceptsNonRootUsers() {
        for (String user : new String[] {"1000", "1000:0", "nginx", "app:app", "10000:10000"}) {
            assertThat(check("WARD-ECS-003", taskWith(c -> c.put("user", user)))).as(user).isEmpty();
        }
    }

    @Test
    void windowsRootIsContainerAdministrator() {
        var td = taskWith(c -> c.put("user", "ContainerAdministrator"));
        td.putObject("runtimePlatform").put("operatingSystemFamily", "WINDOWS_SERVER_2022_CORE");
        assertThat(check("WARD-ECS-003", td)).hasSize(1);
        var linux = taskWith(c -> c.put("user", "ContainerAdministrator"));
        assertThat(check("WARD-ECS-003", linux)).isEmpty();
    }
}
