package dev.cosub.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AccuracyGateTest {

    private static final EvalMetrics METRICS = new EvalMetrics(0.8151, 0.9959, 0.2, 10_000);

    @Test
    void passesAtOrAboveTheThresholds() {
        assertEquals(List.of(), new AccuracyGate(0.8151, 0.99).failures(METRICS));
        assertEquals(List.of(), new AccuracyGate(null, null).failures(METRICS));
        assertFalse(new AccuracyGate(null, null).isSet());
    }

    @Test
    void eachMissedThresholdIsNamedWithItsValue() {
        List<String> failures = new AccuracyGate(0.9, 0.999).failures(METRICS);
        assertEquals(List.of(
                "top-1 = 0.8151 (81.51%) is below minTop1 = 0.9000 (90.00%)",
                "top-5 = 0.9959 (99.59%) is below minTop5 = 0.9990 (99.90%)"), failures);
    }

    @Test
    void percentagesAndNonsenseAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AccuracyGate(85.0, null));
        assertEquals("minTop1 = 85.0 is invalid: expected a fraction in [0, 1], e.g. 0.85 for 85%",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AccuracyGate(null, Double.NaN));
        assertTrue(new AccuracyGate(0.0, 1.0).isSet());
    }
}
