package dev.cosub.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.cosub.runtime.engine.Engines;
import dev.cosub.runtime.model.layers.DropPathSchedule;
import dev.cosub.runtime.model.layers.LayerScale;
import dev.cosub.runtime.model.layers.Residual;
import dev.cosub.runtime.model.layers.WeightInit;
import dev.cosub.runtime.train.Training;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VisionTransformerTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager(Engines.device("cpu"), Engines.pytorch().getEngineName());
        Engines.pytorch().setRandomSeed(7);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private Block build(String size, ImageShape input, int classes, float dropPath) {
        Block network = new VisionTransformer()
                .build(new ModelSpec(size, input, classes, dropPath, DropPathSchedule.LINEAR));
        network.initialize(manager, DataType.FLOAT32, input.batch(1));
        return network;
    }

    private NDArray forward(Block network, NDArray x, boolean training) {
        return network.forward(new ParameterStore(manager, false), new NDList(x), training)
                .singletonOrThrow();
    }

    @Test
    void nanoMapsGrayscaleAndRgbImagesToLogits() {
        ImageShape gray = new ImageShape(1, 28, 28);
        ImageShape rgb = new ImageShape(3, 32, 32);
        assertEquals(new Shape(3, 10),
                forward(build("nano", gray, 10, 0.1f), manager.randomNormal(gray.batch(3)), false)
                        .getShape());
        assertEquals(new Shape(2, 100),
                forward(build("nano", rgb, 100, 0.1f), manager.randomNormal(rgb.batch(2)), true)
                        .getShape());
    }

    @Test
    void tinyHasViTTiParameterCountAndAcceptsImageNetInput() {
        ImageShape imageNet = new ImageShape(3, 224, 224);
        Block network = build("tiny", imageNet, 1000, 0.1f);
        // ViT-Ti/16 with 1000 classes: 5,717,416 parameters (5.72M).
        assertEquals(5_717_416L, Training.parameterCount(network));
        assertEquals(new Shape(1, 1000),
                forward(network, manager.randomNormal(imageNet.batch(1)), false).getShape());
    }

    @Test
    void dropPathChangesTrainingOutputsButNotInferenceOutputs() {
        ImageShape gray = new ImageShape(1, 28, 28);
        Block network = build("nano", gray, 10, 0.5f);
        NDArray x = manager.randomNormal(gray.batch(8));
        NDArray inferenceA = forward(network, x, false);
        NDArray inferenceB = forward(network, x, false);
        assertTrue(inferenceA.contentEquals(inferenceB), "inference must be deterministic");
        NDArray trainingA = forward(network, x, true);
        NDArray trainingB = forward(network, x, true);
        assertFalse(trainingA.allClose(trainingB), "training passes must draw different submodels");
    }

    @Test
    void duplicatedRowsBecomeDifferentSubmodels() {
        ImageShape gray = new ImageShape(1, 28, 28);
        Block network = build("nano", gray, 10, 0.5f);
        NDArray x = manager.randomNormal(gray.batch(4));
        NDArray logits = forward(network, x.concat(x, 0), true);
        NDList halves = logits.split(2, 0);
        assertFalse(halves.get(0).allClose(halves.get(1)),
                "per-sample drop-path must give each copy of an image its own submodel");
        NDArray eval = forward(network, x.concat(x, 0), false).split(2, 0).get(0);
        assertTrue(eval.allClose(forward(network, x, false), 1e-5, 1e-5, false));
    }

    @Test
    void everyParameterReceivesAGradient() {
        ImageShape gray = new ImageShape(1, 28, 28);
        Block network = build("nano", gray, 10, 0.1f);
        NDArray x = manager.randomNormal(gray.batch(4));
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            NDArray logits = forward(network, x, true);
            collector.backward(logits.square().mean());
        }
        for (Pair<String, Parameter> p : network.getParameters()) {
            float gradientNorm = p.getValue().getArray().getGradient().abs().sum().getFloat();
            assertTrue(gradientNorm > 0f, p.getKey() + " received no gradient");
        }
    }

    /**
     * DeiT III's ViT: LayerScale at 1e-4 on both branches (a fresh block barely moves its
     * tokens), positions for the 49 patch tokens only, one drop-path rate on every block even
     * when a linear schedule is asked for (a linear schedule's first block would never drop).
     */
    @Test
    void deit3NanoHasLayerScalePatchOnlyPositionsAndUniformDropPath() {
        ImageShape gray = new ImageShape(1, 28, 28);
        Block network = build("deit3-nano", gray, 10, 0.5f);
        long positions = network.getParameters().stream()
                .filter(p -> p.getKey().endsWith("positions"))
                .mapToLong(p -> p.getValue().getArray().size())
                .sum();
        assertEquals(49 * 64, positions, "positions for the patch tokens only");
        long scales = network.getParameters().stream()
                .filter(p -> p.getKey().endsWith("scale"))
                .peek(p -> assertTrue(p.getValue().getArray().eq(1e-4f).all().getBoolean(),
                        p.getKey() + " starts at 1e-4"))
                .count();
        assertEquals(2 * 4, scales, "a LayerScale on both branches of the 4 blocks");
        assertEquals(205_066 - 64 + 2 * 4 * 64, Training.parameterCount(network),
                "ViT-nano, less the class token's position, plus the LayerScales");

        List<Float> rates = new ArrayList<>();
        WeightInit.apply(new VisionTransformer().build(new ModelSpec("deit3-nano", gray, 10,
                0.5f, DropPathSchedule.LINEAR)), block -> {
                    if (block instanceof Residual residual) {
                        rates.add(residual.dropRate());
                    }
                });
        assertEquals(java.util.Collections.nCopies(8, 0.5f), rates,
                "every branch of every block at the set rate, whatever the schedule");
    }

    @Test
    void refusesUnknownSizeAndIndivisibleImages() {
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> build("huge", new ImageShape(1, 28, 28), 10, 0f));
        assertTrue(size.getMessage().contains("huge"), size.getMessage());
        IllegalArgumentException side = assertThrows(IllegalArgumentException.class,
                () -> build("nano", new ImageShape(1, 30, 30), 10, 0f));
        assertTrue(side.getMessage().contains("1x30x30"), side.getMessage());
    }
}
