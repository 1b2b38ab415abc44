package dev.ward.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.testing.Fuzz;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutated task definitions, CloudFormation templates (JSON and YAML) and Kubernetes manifests never crash or hang
 * ward inject's readers and injectors: each input is rewritten or refused with an {@link InjectException}, and a
 * refusal about the text names the file. Seeded: a failure names its case and input.
 */
class InjectFuzzTest {
    private static final long SEED = 20261205;
    private static final int CASES = Integer.getInteger("fuzz.cases", 800);

    @Test
    void mutatedInputsAreRewrittenOrRefused() {
        List<String> seeds = Fuzz.seeds(Path.of("src/test/resources/inputs"), ".json", ".yaml");
        assertThat(seeds).hasSizeGreaterThan(10);
        Random r = new Random(SEED);
        int refused = 0;
        for (int i = 0; i < CASES; i++) {
            String input = Fuzz.mutate(seeds.get(r.nextInt(seeds.size())), r);
            refused += inject("case " + i, input) ? 1 : 0;
        }
        assertThat(refused).isBetween(CASES / 10, CASES * 9 / 10);
    }

    @Test
    void issue21InputsAreKeptAsRegressions() {
        assertThat(inject("recursive alias", "Resources: {T: {Type: \"AWS::ECS::TaskDefinition\", "
                + "Properties: &p {ContainerDefinitions: [*p]}}}")).isTrue();
        assertThat(inject("merge key", "apiVersion: v1\nkind: Pod\nmetadata: &s\n  <<: *s\n")).isTrue();
        assertThat(inject("deep json", "{\"containerDefinitions\": " + "[".repeat(1200) + "]".repeat(1200) + "}"))
                .isTrue();
    }

    /** Found by this test: fields inject rewrites in place, in another shape, were a ClassCastException. */
    @Test
    void fieldsInjectRewritesMustHaveTheirShape() {
        assertThat(refusal("{\"containerDefinitions\": [false]}"))
                .isEqualTo("containerDefinitions[0]: expected a container (an object), found false");
        assertThat(refusal("{\"containerDefinitions\": [{\"name\": \"app\", \"linuxParameters\": []}]}"))
                .isEqualTo("container app: linuxParameters: expected an object, found []");
        assertThat(refusal("{\"containerDefinitions\": [{\"name\": \"app\", \"environment\": [\"A=1\"]}]}"))
                .isEqualTo("container app: environment: expected a list of objects, found \"A=1\"");
        assertThat(refusal("{\"runtimePlatform\": {\"cpuArchitecture\": \"z80\"}, \"containerDefinitions\": [{}]}"))
                .startsWith("runtimePlatform.cpuArchitecture: platform 'z80': expected OS/ARCH");
    }

    private static String refusal(String json) {
        return Fuzz.bounded("shape", json, Fuzz.PER_INPUT, () -> {
            try {
                run(json);
            } catch (InjectException e) {
                return e.getMessage();
            }
            throw new AssertionError("accepted: " + json);
        });
    }

    /** Injects one input as the command would; true when it was refused. */
    private static boolean inject(String label, String input) {
        InjectException refused = Fuzz.bounded(label, input, Fuzz.PER_INPUT, () -> {
            try {
                run(input);
                return null;
            } catch (InjectException e) {
                return e;
            }
        });
        if (refused != null && refused.located()) {
            assertThat(refused.getMessage()).as(label).startsWith("fuzz:");
        }
        return refused != null;
    }

    private static void run(String text) throws Exception {
        Format f = Format.detect(text);
        if (f == null) {
            throw new InjectException("not recognised");
        }
        InjectOptions o = InjectGoldenTest.sidecar();
        boolean json = text.stripLeading().startsWith("{");
        switch (f) {
            case ECS -> new EcsInjector(o, InjectGoldenTest.IMAGES).inject(JsonInput.object("fuzz", text, "ECS"));
            case CLOUDFORMATION -> {
                CloudFormationInjector cfn = new CloudFormationInjector(o, InjectGoldenTest.IMAGES);
                if (json) {
                    cfn.injectJson(JsonInput.object("fuzz", text, "a template"));
                } else {
                    cfn.injectYaml("fuzz", text);
                }
            }
            case KUBERNETES -> {
                KubernetesInjector k8s = new KubernetesInjector(o, InjectGoldenTest.IMAGES);
                if (json) {
                    k8s.injectJson(JsonInput.object("fuzz", text, "a Kubernetes object"));
                } else {
                    k8s.inject("fuzz", text);
                }
            }
        }
    }
}
