package dev.cosub.runtime.model.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.cosub.runtime.engine.Engines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DropPathTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager(Engines.device("cpu"), Engines.pytorch().getEngineName());
        Engines.pytorch().setRandomSeed(11);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void inferenceIsTheIdentity() {
        NDArray x = manager.randomNormal(new Shape(16, 5, 3));
        assertSame(x, DropPath.apply(x, 0.5f, false));
        assertSame(x, DropPath.apply(x, 0f, true));
    }

    @Test
    void trainingDropsWholeSamplesAndScalesTheKeptOnes() {
        int rows = 4000;
        float rate = 0.3f;
        NDArray x = manager.ones(new Shape(rows, 3, 2, 2));
        float[] out = DropPath.apply(x, rate, true).toFloatArray();
        int perRow = 12;
        int dropped = 0;
        for (int r = 0; r < rows; r++) {
            float first = out[r * perRow];
            for (int k = 1; k < perRow; k++) {
                assertEquals(first, out[r * perRow + k], "row " + r + " must be kept or dropped whole");
            }
            if (first == 0f) {
                dropped++;
            } else {
                assertEquals(1f / (1f - rate), first, 1e-6f);
            }
        }
        // Binomial(4000, 0.3): standard deviation ~29 rows; allow five of them.
        assertEquals(rate * rows, dropped, 150);
    }

    @Test
    void expectedOutputIsUnchanged() {
        NDArray x = manager.ones(new Shape(20000, 1));
        float mean = DropPath.apply(x, 0.4f, true).mean().getFloat();
        assertEquals(1f, mean, 0.03f);
    }

    @Test
    void ratesOutsideTheUnitIntervalAreRefused() {
        NDArray x = manager.ones(new Shape(2, 2));
        assertThrows(IllegalArgumentException.class, () -> DropPath.apply(x, 1f, true));
        assertThrows(IllegalArgumentException.class, () -> DropPath.apply(x, -0.1f, true));
        assertThrows(IllegalArgumentException.class, () -> new Residual(new ai.djl.nn.SequentialBlock(), 1.5f));
    }

    @Test
    void schedulesSpreadTheRateOverDepth() {
        assertArrayEquals(new float[] {0f, 0.05f, 0.1f, 0.15f, 0.2f},
                DropPathSchedule.LINEAR.rates(0.2f, 5), 1e-7f);
        assertArrayEquals(new float[] {0.2f, 0.2f, 0.2f}, DropPathSchedule.UNIFORM.rates(0.2f, 3));
        assertArrayEquals(new float[] {0.2f}, DropPathSchedule.LINEAR.rates(0.2f, 1));
        assertEquals(DropPathSchedule.UNIFORM, DropPathSchedule.parse("constant"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DropPathSchedule.parse("cubic"));
        assertTrue(e.getMessage().contains("cubic"));
    }
}
