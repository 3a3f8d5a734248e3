package dev.cosub.runtime.suites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.fork.ForkOptions;
import dev.cosub.runtime.runs.Leaderboard;
import dev.cosub.runtime.runs.RunRecord;
import dev.cosub.runtime.train.Budget;
import dev.cosub.runtime.train.Method;
import dev.cosub.runtime.train.RunConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("slow") // trains suites in child JVMs
class SuiteRunnerTest {

    @TempDir
    Path out;

    @Test
    void everySuiteComparesBothMethodsOnEachRecipeOnce() {
        Map<String, Suite> suites = Suites.all(out, UnaryOperator.identity());
        for (Suite suite : suites.values()) {
            List<RunConfig> runs = suite.runs();
            assertEquals(runs.size(), runs.stream().distinct().count(),
                    suite.name() + ": no configuration twice");
            if (suite.name().equals("folder-vs-idx")) {
                continue;
            }
            for (RunConfig run : runs) {
                RunConfig cosub = run.toBuilder().method(Method.COSUB).build();
                assertTrue(runs.contains(cosub), suite.name() + ": " + run + " has no cosub run");
                assertTrue(runs.contains(run.toBuilder().method(Method.BASELINE).build()),
                        suite.name() + ": " + run + " has no baseline run");
            }
        }
        assertEquals(List.of("regnet", "vit", "pit", "xcit", "swin", "convnext"),
                suites.get("nano-architectures-fashion-mnist").runs()
                        .stream().map(RunConfig::architecture).distinct().toList());
        // The reader comparison: each folder run has the IDX run of the same images as its twin.
        List<RunConfig> readers = suites.get("folder-vs-idx").runs();
        assertEquals(4, readers.size());
        readers.stream().filter(run -> run.dataset().equals("folder")).forEach(run ->
                assertTrue(readers.contains(run.toBuilder().dataset("fashion-mnist")
                        .dataDirectory(null).build()), run + " has no IDX twin"));
        // Cells 2, 3 and 5 alone: the map's six runs of each (the map runs a cell's six before
        // the next cell's), and the baseline at equal compute per seed.
        List<RunConfig> map = suites.get(Suites.REGIME_MAP).runs();
        Map<String, Integer> cellNumbers = Map.of(Suites.REGIME_MAP_CELL_2, 2,
                Suites.REGIME_MAP_CELL_3, 3, Suites.REGIME_MAP_CELL_5, 5);
        cellNumbers.forEach((alone, cellNumber) -> {
            List<RunConfig> cell = suites.get(alone).runs();
            int firstRun = 6 * (cellNumber - 1);
            assertEquals(map.subList(firstRun, firstRun + 6),
                    cell.stream().filter(map::contains).toList(), alone);
            assertEquals(List.of(0L, 1L, 2L), cell.stream().filter(run -> !map.contains(run))
                    .peek(run -> assertEquals(Budget.COMPUTE, run.budget()))
                    .map(RunConfig::seed).toList(), alone);
        });
        Suite longer = suites.get("small-data-long");
        // 2 architectures x 2 rates x 3 seeds: a baseline under each budget and one cosub run.
        assertEquals(2 * 2 * 3 * 3, longer.runs().size());
    }

    @Test
    void theReaderSuiteComparesItsOwnFolderWhateverDataDirectoryIsGiven() {
        Path idx = out.resolve("idx-files");
        List<RunConfig> runs = Suites.all(out, b -> b.dataDirectory(idx)).get("folder-vs-idx")
                .runs();
        Path png = out.resolve("fashion-mnist-png").toAbsolutePath();
        assertEquals(List.of(idx, png),
                runs.stream().map(RunConfig::dataDirectory).distinct().toList());
        runs.forEach(run -> assertEquals(run.dataDirectory().equals(png) ? "folder"
                : "fashion-mnist", run.dataset(), run.toString()));
    }

    @Test
    void anUnknownSuiteIsRefusedWithTheNames() {
        String message = assertThrows(IllegalArgumentException.class, () -> SuiteRunner.run(
                "smok", out, UnaryOperator.identity(), 1, ForkOptions.inProcess(), false))
                .getMessage();
        assertTrue(message.contains("'smok'") && message.contains("smoke"), message);
    }

    @Test
    void smokeSuiteTrainsBothMethodsAfreshInChildJvmsAndComparesThem() throws IOException {
        Suite smoke = Suites.all(out, b -> b.epochs(1).trainSubset(256).batchSize(64).device("cpu"))
                .get("smoke");
        ForkOptions fork = ForkOptions.child(ForkOptions.currentClasspath());
        List<RunRecord> first = SuiteRunner.run(smoke, out, fork, 1, false);
        List<RunRecord> second = SuiteRunner.run(smoke, out, fork, 1, false);

        assertEquals(List.of(Method.BASELINE, Method.COSUB),
                first.stream().map(r -> r.result().config().method()).toList());
        assertEquals(4, Leaderboard.read(out.resolve("leaderboard.csv")).size(),
                "a second invocation measures again rather than reusing runs");
        assertEquals(first.get(0).configHash(), second.get(0).configHash());
        String comparison = Files.readString(out.resolve("comparison.md"));
        assertTrue(comparison.contains("| synthetic | vit-nano | simple | epochs | 1/1 | 256 |"),
                comparison);
        assertTrue(comparison.contains("| one paired seed: no interval | 1/1/1 |"),
                "only this invocation's runs: " + comparison);
        assertTrue(Files.readString(out.resolve("report").resolve("index.html"))
                .contains("<svg"), "the report is written with the tables");
        String speed = Files.readString(out.resolve("speed.md"));
        assertTrue(speed.contains("| vit-nano baseline, simple recipe, drop-path 0.1 linear mask |"), speed);
        assertTrue(speed.lines().filter(line -> line.startsWith("| vit-nano")).count() == 2,
                speed);
    }

    @Test
    void roundsRepeatEveryConfigurationInTurn() throws IOException {
        Suite smoke = Suites.all(out, b -> b.epochs(1).trainSubset(128).batchSize(64).device("cpu"))
                .get("smoke");
        List<RunRecord> runs = SuiteRunner.run(smoke, out, ForkOptions.inProcess(), 2, false);

        assertEquals(List.of(Method.BASELINE, Method.COSUB, Method.BASELINE, Method.COSUB),
                runs.stream().map(r -> r.result().config().method()).toList());
        String speed = Files.readString(out.resolve("speed.md"));
        assertTrue(speed.contains("| 2 |"), "two rounds per configuration: " + speed);
    }
}
