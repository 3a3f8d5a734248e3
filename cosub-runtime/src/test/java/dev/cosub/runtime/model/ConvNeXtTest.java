package dev.cosub.runtime.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.cosub.runtime.model.layers.BlockFixture;
import dev.cosub.runtime.model.layers.Layers;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvNeXtTest extends BlockFixture {

    @Test
    void blockHasA7x7DepthwiseConvolutionAndAnInvertedMlp() {
        Block block = initialized(ConvNeXt.block(16, 0f), new Shape(1, 16, 8, 8));
        List<Shape> shapes = parameterShapes(block);
        assertTrue(shapes.contains(new Shape(16, 1, 7, 7)), "depthwise 7x7: " + shapes);
        assertTrue(shapes.contains(new Shape(64, 16)), "C -> 4C");
        assertTrue(shapes.contains(new Shape(16, 64)), "4C -> C");
    }

    @Test
    void layerScaleStartsEveryBlockCloseToTheIdentity() {
        Block block = initialized(ConvNeXt.block(16, 0f), new Shape(2, 16, 8, 8));
        NDArray x = random(2, 16, 8, 8);
        NDArray y = forward(block, x, true);
        float change = y.sub(x).abs().max().getFloat();
        assertTrue(change > 0 && change < 1e-3, "change " + change);
    }

    @Test
    void channelNormNormalisesEachPixelOverItsChannels() {
        Block norm = initialized(Layers.channelNorm(), new Shape(2, 16, 5, 5));
        NDArray y = forward(norm, random(2, 16, 5, 5).mul(3).add(2), false);
        NDArray mean = y.mean(new int[] {1});
        NDArray variance = y.sub(y.mean(new int[] {1}, true)).square().mean(new int[] {1});
        assertTrue(mean.abs().max().getFloat() < 1e-5);
        assertTrue(variance.sub(1).abs().max().getFloat() < 1e-3);
    }
}
