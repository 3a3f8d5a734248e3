package dev.cosub.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The benchmark's state and step work for each method (run once here; timed only by JMH). */
class TrainingStepBenchmarkTest {

    @ParameterizedTest
    @CsvSource({"convnext, baseline", "vit, cosub"})
    void aStepRunsAndLowersTheLossOnItsBatch(String architecture, String method) {
        TrainingStepBenchmark benchmark = new TrainingStepBenchmark();
        benchmark.architecture = architecture;
        benchmark.method = method;
        benchmark.setUp();
        try {
            float first = benchmark.trainingStep();
            float later = first;
            for (int i = 0; i < 5; i++) {
                later = benchmark.trainingStep();
            }
            assertTrue(Float.isFinite(first) && later < first,
                    "loss " + first + " then " + later + " on the same batch");
        } finally {
            benchmark.tearDown();
        }
    }
}
