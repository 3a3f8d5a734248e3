package dev.cosub.runtime.model.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class FourierPositionsTest extends BlockFixture {

    @Test
    void fourierEncodingIsBoundedAndDistinguishesPositions() {
        float[] encoding = FourierPositions.encoding(4, 4);
        assertEquals(2 * FourierPositions.FEATURES * 16, encoding.length);
        for (float v : encoding) {
            assertTrue(v >= -1 && v <= 1);
        }
        NDArray features = manager.create(encoding, new Shape(64, 16));
        NDArray first = features.get(":, 0");
        for (int p = 1; p < 16; p++) {
            assertFalse(first.allClose(features.get(":, " + p)), "position " + p);
        }
    }
}
