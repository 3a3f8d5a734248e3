package dev.cosub.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RunParameterTest {

    /**
     * Fields of a run that users do not set: the recipe and the method decide the first two,
     * and the starting weights' SHA-256 is read from {@code initFrom}.
     */
    private static final Set<String> NOT_USER_SETTINGS = Set.of("criterion", "gradientClipNorm",
            "initFromSha256");

    @Test
    void theStatedDefaultsAreTheBuildersDefaults() {
        RunConfig.Builder stated = RunConfig.builder();
        for (RunParameter parameter : RunParameter.values()) {
            if (parameter.defaultValue() != null) {
                parameter.apply(stated, parameter.defaultValue());
            }
        }
        assertEquals(RunConfig.builder().build(), stated.build());
    }

    @Test
    void everySettingOfARunIsAParameterUnderItsOwnName() {
        Set<String> components = new TreeSet<>();
        Arrays.stream(RunConfig.class.getRecordComponents()).map(RecordComponent::getName)
                .forEach(components::add);
        components.removeAll(NOT_USER_SETTINGS);
        Set<String> parameters = new TreeSet<>();
        for (RunParameter parameter : RunParameter.values()) {
            assertTrue(parameters.add(parameter.parameterName()),
                    parameter.parameterName() + " is declared twice");
        }
        assertEquals(components, parameters, "a RunConfig field users set needs a RunParameter");
    }

    @Test
    void eachParameterSetsItsOwnField() {
        RunConfig defaults = RunConfig.builder().build();
        String[][] examples = {{"epochs", "7"}, {"learningRate", "0.002"}, {"seed", "3"},
            {"method", "baseline"}, {"dropPathMode", "efficient"}, {"device", " CPU "},
            {"trainSubset", "500"}, {"imageSize", "32"}};
        for (String[] example : examples) {
            RunConfig.Builder builder = RunConfig.builder();
            named(example[0]).apply(builder, example[1]);
            RunConfig config = builder.build();
            assertTrue(!config.equals(defaults), example[0] + " changed nothing");
        }
        RunConfig.Builder builder = RunConfig.builder();
        RunParameter.DEVICE.apply(builder, " CPU ");
        assertEquals("cpu", builder.build().device());
    }

    private static RunParameter named(String name) {
        return Arrays.stream(RunParameter.values())
                .filter(parameter -> parameter.parameterName().equals(name))
                .findFirst().orElseThrow();
    }

    @Test
    void aValueOfTheWrongKindIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunParameter.EPOCHS.apply(RunConfig.builder(), "ten"));
        assertEquals("epochs = 'ten' is invalid: expected a whole number", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RunParameter.LEARNING_RATE.apply(RunConfig.builder(), "fast"));
        assertEquals("learningRate = 'fast' is invalid: expected a number", e.getMessage());
    }

    @Test
    void everyDescriptionIsOneLineWithItsDefault() {
        for (RunParameter parameter : RunParameter.values()) {
            assertNotNull(parameter.label());
            assertTrue(!parameter.description().contains("\n"), parameter.parameterName());
            if (parameter.defaultValue() != null) {
                assertTrue(parameter.description().endsWith("(default: "
                        + parameter.defaultValue() + ")"), parameter.description());
            }
        }
    }
}
