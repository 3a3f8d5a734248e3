package dev.cosub.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.report.RunResult;
import dev.cosub.runtime.train.Method;
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
    void everySuiteComparesBothMethodsOnOneRecipe() {
        for (Suite suite : Suites.all(UnaryOperator.identity()).values()) {
            assertEquals(List.of(Method.BASELINE, Method.COSUB),
                    suite.runs().stream().map(r -> r.method()).toList(), suite.name());
            assertEquals(suite.runs().get(0).toBuilder().method(Method.COSUB).build(),
                    suite.runs().get(1), suite.name() + ": runs must differ only in the method");
        }
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
    void smokeSuiteWritesRecordsAndASideBySideSummary() throws IOException {
        Suite smoke = Suites.all(b -> b.epochs(1).trainSubset(256).batchSize(64).device("cpu"))
                .get("smoke");
        List<RunResult> results = SuiteRunner.run(smoke, out);
        assertEquals(2, results.size());
        assertTrue(Files.exists(out.resolve("vit-nano-baseline-seed0.json")));
        assertTrue(Files.exists(out.resolve("vit-nano-cosub-seed0.json")));
        String summary = Summary.markdown(smoke, results);
        assertTrue(summary.contains("| vit-nano | baseline | 1 | 205,066 |"), summary);
        assertTrue(summary.contains("| vit-nano | cosub | 1 | 205,066 |"), summary);
    }
}
