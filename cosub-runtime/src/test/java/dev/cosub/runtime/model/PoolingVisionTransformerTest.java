package dev.cosub.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.cosub.runtime.model.layers.BlockFixture;
import dev.cosub.runtime.model.layers.DropPathSchedule;
import dev.cosub.runtime.model.layers.TokenPooling;
import org.junit.jupiter.api.Test;

class PoolingVisionTransformerTest extends BlockFixture {

    @Test
    void poolingHalvesTheGridAndDoublesTheWidth() {
        TokenPooling even = initialized(new TokenPooling(8, 8, 16), new Shape(2, 65, 16));
        assertEquals(new Shape(2, 1 + 16, 32), forward(even, random(2, 65, 16), false).getShape());
        TokenPooling odd = initialized(new TokenPooling(9, 9, 16), new Shape(2, 82, 16));
        assertEquals(new Shape(2, 1 + 25, 32), forward(odd, random(2, 82, 16), false).getShape());
    }

    @Test
    void patchesArePooledDepthwiseAndTheClassTokenByALinearLayer() {
        TokenPooling pooling = initialized(new TokenPooling(4, 4, 8), new Shape(1, 17, 8));
        // Depthwise: each of the 16 filters sees one input channel.
        assertTrue(parameterShapes(pooling).contains(new Shape(16, 1, 3, 3)));
        assertTrue(parameterShapes(pooling).contains(new Shape(16, 8)));
        NDArray x = random(1, 17, 8);
        NDArray changedPatch = x.duplicate();
        changedPatch.set(new NDIndex(":, 5, :"), 3f);
        NDArray a = forward(pooling, x, false);
        NDArray b = forward(pooling, changedPatch, false);
        assertTrue(a.get(":, 0, :").allClose(b.get(":, 0, :")),
                "the class token does not see the patches");
        assertFalse(a.get(":, 1:, :").allClose(b.get(":, 1:, :")));
    }

    @Test
    void refusesImagesSmallerThanAPatch() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new PoolingVisionTransformer().build(
                        new ModelSpec("tiny", new ImageShape(3, 8, 8), 10, 0f,
                                DropPathSchedule.LINEAR)));
        assertTrue(e.getMessage().contains("3x8x8"), e.getMessage());
    }
}
