package dev.cosub.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.cosub.runtime.model.layers.BlockFixture;
import dev.cosub.runtime.model.layers.ClassAttentionBlock;
import dev.cosub.runtime.model.layers.CrossCovarianceAttention;
import dev.cosub.runtime.model.layers.LayerScale;
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

    /**
     * timm's XCiT class attention by hand, at width 2 where a LayerNorm maps (a, b) to (1, -1)
     * when a > b: with LayerScale 0.5 a patch token p becomes 2 (p + 0.5 norm1(p)); with a silent
     * MLP the class token becomes norm2 of itself after attention, i.e. (1, -1) or (-1, 1).
     * CaiT's block, which cosub had before, leaves the patches as they are and the class token
     * unnormalised.
     */
    @Test
    void classAttentionMovesPatchTokensAndNormalisesTheClassTokenAsTimmDoes() {
        ClassAttentionBlock block =
                initialized(new ClassAttentionBlock(2, 1, 4, 0.5f), new Shape(1, 3, 2));
        block.getParameters().forEach(p -> {
            String name = p.getKey();
            if (name.contains("mlp") && !name.contains("mlp_norm")
                    && !name.contains("mlp_scale")) {
                p.getValue().getArray().muli(0);
            }
        });
        NDArray x = manager.create(new float[] {5, -1, 3, 1, 0, 4}, new Shape(1, 3, 2));

        NDArray y = forward(block, x, false);

        assertTrue(y.get(":, 1:, :").allClose(
                manager.create(new float[] {7, 1, -1, 9}, new Shape(1, 2, 2)), 1e-4, 1e-4,
                false), y.toDebugString(true));
        float[] cls = y.get(":, 0, :").toFloatArray();
        assertEquals(1f, Math.abs(cls[0]), 1e-4f, y.toDebugString(true));
        assertEquals(0f, cls[0] + cls[1], 1e-4f, "normalised over its width");
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
}
