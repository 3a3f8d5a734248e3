package dev.cosub.runtime.model.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import dev.cosub.runtime.model.Architectures;
import dev.cosub.runtime.model.ImageShape;
import dev.cosub.runtime.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each family starts from its reference's initialisation (timm's {@code _init_weights} of its
 * model file). Each test here failed on the blanket initializer cosub used before.
 */
class WeightInitTest extends BlockFixture {

    private Block build(String architecture) {
        ImageShape input = new ImageShape(1, 28, 28);
        Block network = Architectures.byName(architecture)
                .build(new ModelSpec("nano", input, 10, 0.1f, DropPathSchedule.LINEAR));
        network.initialize(manager, DataType.FLOAT32, input.batch(1));
        return network;
    }

    private static List<Block> blocks(Block network, Class<?> type) {
        List<Block> found = new ArrayList<>();
        WeightInit.apply(network, block -> {
            if (type.isInstance(block)) {
                found.add(block);
            }
        });
        return found;
    }

    private static NDArray weight(Block layer) {
        return layer.getParameters().get("weight").getArray();
    }

    private static Parameter bias(Block layer) {
        return layer.getParameters().get("bias");
    }

    private static double std(NDArray values) {
        float[] v = values.toFloatArray();
        double mean = 0;
        for (float x : v) {
            mean += x;
        }
        mean /= v.length;
        double squares = 0;
        for (float x : v) {
            squares += (x - mean) * (x - mean);
        }
        return Math.sqrt(squares / (v.length - 1));
    }

    private static void assertNear(double expected, double actual, double relative, String what) {
        assertTrue(Math.abs(actual - expected) <= relative * expected,
                what + ": " + actual + ", expected " + expected + " within "
                        + (100 * relative) + "%");
    }

    @Test
    void regnetClassifierIsNormalWithDeviationOneHundredthAndZeroBias() {
        Block head = blocks(build("regnet"), Linear.class).get(0);
        assertNear(0.01, std(weight(head)), 0.1, "classifier weight deviation");
        assertEquals(0f, bias(head).getArray().abs().sum().getFloat(), "classifier bias");
    }

    @Test
    void regnetConvolutionsAreHeNormalByTheFanOutOfOneGroup() {
        List<Block> grouped = blocks(build("regnet"), Convolution.class).stream()
                .filter(block -> ((Convolution) block).getGroups() > 1)
                .toList();
        assertFalse(grouped.isEmpty(), "RegNetY has grouped 3x3 convolutions");
        for (Block block : grouped) {
            Convolution conv = (Convolution) block;
            Shape w = weight(conv).getShape();
            double fanOut = (double) w.get(0) * w.get(2) * w.get(3) / conv.getGroups();
            assertNear(Math.sqrt(2 / fanOut), std(weight(conv)), 0.15,
                    "3x3 convolution of " + w.get(0) + " channels in " + conv.getGroups()
                            + " groups");
        }
    }

    /** PyTorch's default: weight and bias uniform in ±1/sqrt(fan-in), deviation bound/sqrt(3). */
    private static void assertPyTorchDefault(Block layer, String what) {
        NDArray w = weight(layer);
        double bound = 1 / Math.sqrt(WeightInit.fanIn(w.getShape()));
        assertTrue(w.abs().max().getFloat() <= bound, what + " weights within ±" + bound);
        if (w.size() >= 2_000) {
            assertNear(bound / Math.sqrt(3), std(w), 0.1, what + " weight deviation");
        }
        if (bias(layer) != null) {
            NDArray b = bias(layer).getArray();
            assertTrue(b.abs().max().getFloat() <= bound, what + " bias within ±" + bound);
            assertTrue(b.abs().sum().getFloat() > 0, what + " bias is not zero");
        }
    }

    @Test
    void pitLeavesLinearLayersAndConvolutionsToPyTorch() {
        Block pit = build("pit");
        for (Block layer : blocks(pit, Linear.class)) {
            assertPyTorchDefault(layer, "linear " + weight(layer).getShape());
        }
        for (Block layer : blocks(pit, Convolution.class)) {
            assertPyTorchDefault(layer, "convolution " + weight(layer).getShape());
        }
    }

    @Test
    void xcitInitialisesOnlyItsLinearLayers() {
        Block xcit = build("xcit");
        for (Block layer : blocks(xcit, Convolution.class)) {
            assertPyTorchDefault(layer, "convolution " + weight(layer).getShape());
        }
        for (Block layer : blocks(xcit, Linear.class)) {
            if (weight(layer).size() >= 2_000) {
                assertNear(0.02, std(weight(layer)), 0.1, "linear " + weight(layer).getShape());
            }
            assertEquals(0f, bias(layer).getArray().abs().sum().getFloat(), "linear bias");
        }
    }

    /**
     * timm's trunc-normal 0.02 cuts at ±2 in absolute value, so nothing is cut and the deviation
     * is 0.02; DJL's cuts at ±2 deviations, narrowing it to 0.0176.
     */
    @Test
    void truncatedNormalKeepsItsDeviationAsTimmDoes() {
        Shape shape = new Shape(200_000);
        double ours = std(WeightInit.truncatedNormal(0.02f)
                .initialize(manager, shape, DataType.FLOAT32));
        double djl = std(new TruncatedNormalInitializer(0.02f)
                .initialize(manager, shape, DataType.FLOAT32));
        assertNear(0.02, ours, 0.01, "trunc-normal 0.02");
        assertNear(0.0176, djl, 0.02, "DJL's narrower trunc-normal 0.02");
        for (Block layer : blocks(build("convnext"), Linear.class)) {
            if (weight(layer).size() >= 2_000) {
                assertNear(0.02, std(weight(layer)), 0.05, "convnext linear");
            }
        }
    }
}
