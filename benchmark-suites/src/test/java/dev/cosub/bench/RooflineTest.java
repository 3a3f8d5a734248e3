package dev.cosub.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.cosub.bench.Roofline.OperatorTime;
import dev.cosub.bench.Roofline.Row;
import dev.cosub.bench.Roofline.TraceEvent;
import dev.cosub.runtime.engine.Engines;
import dev.cosub.runtime.train.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RooflineTest {

    /** The backward pass's products are told from the forward's by the calls they run in. */
    @Test
    void callsInsideTheAutogradEnginesFunctionsAreTheBackwardPass() {
        TraceEvent forward = new TraceEvent("aten::mm", 0, 10, 1, List.of());
        TraceEvent backwardFunction = new TraceEvent(
                "autograd::engine::evaluate_function: MmBackward0", 20, 30, 1, List.of());
        TraceEvent wrapper = new TraceEvent("MmBackward0", 21, 28, 1, List.of());
        TraceEvent backward = new TraceEvent("aten::mm", 22, 10, 1, List.of());
        TraceEvent elsewhere = new TraceEvent("aten::mm", 25, 10, 2, List.of());
        Set<TraceEvent> found = Roofline.inBackward(
                List.of(forward, backwardFunction, wrapper, backward, elsewhere));
        assertTrue(found.contains(wrapper) && found.contains(backward), found.toString());
        assertFalse(found.contains(forward) || found.contains(elsewhere)
                || found.contains(backwardFunction), found.toString());
    }

    @Test
    void anOperatorsSelfTimeLeavesOutTheCallsNestedInIt() {
        List<TraceEvent> events = List.of(
                new TraceEvent("aten::linear", 0, 100, 1, List.of()),
                new TraceEvent("aten::addmm", 10, 30, 1, List.of()),
                new TraceEvent("aten::gelu", 50, 10, 1, List.of()),
                new TraceEvent("aten::empty", 52, 3, 1, List.of()),
                // Another thread's call overlaps in time but is not nested.
                new TraceEvent("aten::gelu", 20, 30, 2, List.of()),
                // Starts where the first ended: a sibling, not a child.
                new TraceEvent("aten::addmm", 100, 10, 1, List.of()));
        Map<String, OperatorTime> times = Roofline.selfTimes(events, 2).stream()
                .collect(Collectors.toMap(OperatorTime::name, t -> t));
        assertEquals(30, times.get("aten::linear").microsPerStep(), 1e-9); // (100 - 30 - 10) / 2
        assertEquals(20, times.get("aten::addmm").microsPerStep(), 1e-9); // (30 + 10) / 2
        assertEquals(1, times.get("aten::addmm").callsPerStep(), 1e-9);
        assertEquals(18.5, times.get("aten::gelu").microsPerStep(), 1e-9); // (10 - 3 + 30) / 2
        assertEquals(1.5, times.get("aten::empty").microsPerStep(), 1e-9);
        assertEquals("aten::linear", Roofline.selfTimes(events, 2).get(0).name());
    }

    /**
     * The products read from a real profile account for the model's training FLOPs (forward
     * plus twice the forward for backward): a check that the profile's shapes were read right
     * and no product was missed or counted twice.
     */
    @ParameterizedTest
    @CsvSource({"vit", "convnext"})
    void theProfiledProductsAccountForTheModelsTrainingFlops(String architecture,
            @TempDir Path out) throws Exception {
        try (NDManager manager = NDManager.newBaseManager(Engines.device("cpu"),
                Engines.pytorch().getEngineName())) {
            Row row = Roofline.measure(architecture, Method.BASELINE, 8, 2, out, manager);
            double ratio = row.productFlops() / row.trainingFlops();
            assertTrue(ratio > 0.9 && ratio < 1.05, architecture + ": products "
                    + row.productFlops() + " FLOPs against " + row.trainingFlops());
            assertTrue(row.forwardProducts() > 0 && row.backwardProducts() > 0
                    && row.forward() > 0 && row.backward() > 0, row.toString());
            assertTrue(!row.others().isEmpty() && row.others().stream()
                    .noneMatch(o -> o.name().contains("mm") || o.name().contains("conv")),
                    row.others().toString());
        }
    }
}
