package dev.cosub.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import org.junit.jupiter.api.Test;

class CrossCovarianceImageTransformerTest extends BlockFixture {

    @Test
    void crossCovarianceAttentionNormalisesOverTokens() {
        CrossCovarianceAttention xca =
                initialized(new CrossCovarianceAttention(16, 4), new Shape(2, 10, 16));
        assertTrue(parameterShapes(xca).contains(new Shape(4, 1, 1)), "a temperature per head");
        NDArray x = random(2, 10, 16);
        NDArray once = forward(xca, x, false);
        // With q and k unit-norm along the tokens, every token appearing twice leaves the d x d
        // attention unchanged, hence each token's output too. Softmax attention over tokens
        // would not do that.
        NDArray twice = forward(xca, x.concat(x, 1), false);
        assertTrue(twice.get(":, :10, :").allClose(once, 1e-4, 1e-5, false));
        // Linear in the tokens: the same weights take any number of them.
        assertEquals(new Shape(2, 37, 16), forward(xca, random(2, 37, 16), false).getShape());
    }

    @Test
    void localPatchInteractionOnlyMixesNeighbours() {
        Block lpi = initialized(CrossCovarianceImageTransformer.localPatchInteraction(8, 7, 7),
                new Shape(1, 49, 8));
        NDArray x = random(1, 49, 8);
        NDArray changed = x.duplicate();
        changed.set(new NDIndex(":, 0, :"), 5f);
        NDArray a = forward(lpi, x, false);
        NDArray b = forward(lpi, changed, false);
        // Two 3x3 convolutions reach two rows and columns: (1, 1) sees (0, 0), (3, 3) does not.
        assertFalse(a.get(":, 8, :").allClose(b.get(":, 8, :")));
        assertTrue(a.get(":, 24, :").allClose(b.get(":, 24, :")));
        assertTrue(parameterShapes(lpi).contains(new Shape(8, 1, 3, 3)), "depthwise");
    }

    @Test
    void classAttentionUpdatesOnlyTheClassToken() {
        ClassAttentionBlock block =
                initialized(new ClassAttentionBlock(16, 4, 4, 1f), new Shape(2, 10, 16));
        NDArray x = random(2, 10, 16);
        NDArray y = forward(block, x, true);
        assertTrue(y.get(":, 1:, :").contentEquals(x.get(":, 1:, :")));
        assertFalse(y.get(":, :1, :").allClose(x.get(":, :1, :")));
    }

    @Test
    void theStemHalvesTheImageOncePerConvolution() {
        Block stem = initialized(CrossCovarianceImageTransformer.stem(16, 128),
                new Shape(1, 3, 224, 224));
        assertEquals(new Shape(1, 128, 14, 14),
                forward(stem, random(1, 3, 224, 224), false).getShape());
        // 3 -> 16 -> 32 -> 64 -> 128 channels, 3x3 kernels without bias.
        assertTrue(parameterShapes(stem).contains(new Shape(16, 3, 3, 3)));
        assertTrue(parameterShapes(stem).contains(new Shape(128, 64, 3, 3)));
    }

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
