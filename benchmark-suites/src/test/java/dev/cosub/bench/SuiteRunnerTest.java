package dev.cosub.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.report.Leaderboard;
import dev.cosub.runtime.fork.ForkOptions;
import dev.cosub.runtime.runs.RunRecord;
import dev.cosub.runtime.train.Method;
import dev.cosub.runtime.train.RunConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteRunnerTest {

    @TempDir
    Path out;

    @Test
    void everySuiteComparesBothMethodsOnOneRecipePerArchitecture() {
        for (Suite suite : Suites.all(UnaryOperator.identity()).values()) {
            List<RunConfig> runs = suite.runs();
            assertEquals(0, runs.size() % 2, suite.name());
            for (int i = 0; i < runs.size(); i += 2) {
                assertEquals(Method.BASELINE, runs.get(i).method(), suite.name());
                assertEquals(runs.get(i).toBuilder().method(Method.COSUB).build(),
                        runs.get(i + 1), suite.name() + ": pairs must differ only in the method");
            }
            assertEquals(runs.size(), runs.stream().distinct().count(),
                    suite.name() + ": no configuration twice");
        }
        assertEquals(List.of("regnet", "vit", "pit", "xcit", "swin", "convnext"),
                Suites.all(UnaryOperator.identity()).get("nano-architectures-fashion-mnist").runs()
                        .stream().map(RunConfig::architecture).distinct().toList());
    }

    @Test
    void optionsAreParsedAndUnknownOnesRefused() {
        Map<String, String> options = SuiteRunner.parse(new String[] {"--suite", "smoke", "",
                "--epochs 3 --device cpu"});
        assertEquals(Map.of("suite", "smoke", "epochs", "3", "device", "cpu"), options);
        String unknown = assertThrows(IllegalArgumentException.class,
                () -> SuiteRunner.parse(new String[] {"--epoch", "3"})).getMessage();
        assertTrue(unknown.contains("--epoch"), unknown);
        assertThrows(IllegalArgumentException.class,
                () -> SuiteRunner.parse(new String[] {"--epochs"}));
    }

    @Test
    void smokeSuiteTrainsBothMethodsAfreshInChildJvmsAndComparesThem() throws IOException {
        Suite smoke = Suites.all(b -> b.epochs(1).trainSubset(256).batchSize(64).device("cpu"))
                .get("smoke");
        ForkOptions fork = ForkOptions.child(ForkOptions.currentClasspath());
        List<RunRecord> first = SuiteRunner.run(smoke, out, fork, 1);
        List<RunRecord> second = SuiteRunner.run(smoke, out, fork, 1);

        assertEquals(List.of(Method.BASELINE, Method.COSUB),
                first.stream().map(r -> r.result().config().method()).toList());
        assertEquals(4, Leaderboard.read(out.resolve("leaderboard.csv")).size(),
                "a second invocation measures again rather than reusing runs");
        assertEquals(first.get(0).configHash(), second.get(0).configHash());
        String comparison = Files.readString(out.resolve("comparison.md"));
        assertTrue(comparison.contains("| synthetic | vit-nano | 205k | 1 | 256 |"), comparison);
        assertTrue(comparison.contains("| 1/1 |"), "only this invocation's runs: " + comparison);
        String speed = Files.readString(out.resolve("speed.md"));
        assertTrue(speed.contains("| vit-nano baseline, simple recipe, drop-path 0.1 linear mask |"), speed);
        assertTrue(speed.lines().filter(line -> line.startsWith("| vit-nano")).count() == 2,
                speed);
    }

    @Test
    void roundsRepeatEveryConfigurationInTurn() throws IOException {
        Suite smoke = Suites.all(b -> b.epochs(1).trainSubset(128).batchSize(64).device("cpu"))
                .get("smoke");
        List<RunRecord> runs = SuiteRunner.run(smoke, out, ForkOptions.inProcess(), 2);

        assertEquals(List.of(Method.BASELINE, Method.COSUB, Method.BASELINE, Method.COSUB),
                runs.stream().map(r -> r.result().config().method()).toList());
        String speed = Files.readString(out.resolve("speed.md"));
        assertTrue(speed.contains("| 2 |"), "two rounds per configuration: " + speed);
    }
}
