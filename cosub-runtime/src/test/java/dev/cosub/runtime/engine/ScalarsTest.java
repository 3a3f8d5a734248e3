package dev.cosub.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.cosub.runtime.data.Datasets;
import dev.cosub.runtime.data.ImageDataset;
import dev.cosub.runtime.loss.Criterion;
import dev.cosub.runtime.train.Method;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.Training;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Gradients must not depend on when Java collects garbage. A collection between forward and
 * backward frees the Java buffers behind DJL's number-to-tensor conversions; new direct buffers
 * filled with NaN then take over that memory, so a backward pass that still reads it shows.
 */
class ScalarsTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Engines.device("cpu"), Engines.ENGINE_NAME);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** Collects garbage and hands the freed memory to new buffers full of NaN. */
    private static List<ByteBuffer> collectAndOverwrite() {
        System.gc();
        List<ByteBuffer> churn = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(4);
            buffer.putFloat(0, Float.NaN);
            churn.add(buffer);
        }
        return churn;
    }

    @Test
    void aScaledArrayKeepsItsGradientAcrossACollection() {
        for (int trial = 0; trial < 50; trial++) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = scope.ones(new Shape(4));
                x.setRequiresGradient(true);
                List<ByteBuffer> churn;
                try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                    NDArray y = Scalars.times(x, 3);
                    churn = collectAndOverwrite();
                    collector.backward(y.sum());
                }
                assertArrayEquals(new float[] {3, 3, 3, 3}, x.getGradient().toFloatArray(),
                        "trial " + trial + " with " + churn.size() + " buffers reused");
            }
        }
    }

    /** Every architecture, with drop-path off so that both passes draw nothing at random. */
    @ParameterizedTest
    @ValueSource(strings = {"regnet", "vit", "pit", "xcit", "swin", "convnext"})
    void aCosubStepsGradientsDoNotDependOnACollection(String architecture) {
        ImageDataset data = Datasets.load("synthetic", null, 16, 1);
        RunConfig config = RunConfig.builder().architecture(architecture).dataset("synthetic")
                .method(Method.COSUB).dropPath(0f).device("cpu").build();
        NDArray images = manager.randomNormal(data.shape().batch(8));
        NDArray targets = manager.randomUniform(0, 1, new Shape(8, 10)).gt(0.5f)
                .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);

        // Two networks with the same weights: gradients accumulate over backward passes.
        List<float[]> quiet = gradients(perturbed(Training.initializedNetwork(config, data,
                manager)), images, targets, false);
        List<float[]> collected = gradients(perturbed(Training.initializedNetwork(config, data,
                manager)), images, targets, true);

        assertEquals(quiet.size(), collected.size());
        for (int i = 0; i < quiet.size(); i++) {
            assertArrayEquals(quiet.get(i), collected.get(i), architecture + " parameter " + i);
        }
    }

    /**
     * The same seeded change of every weight: RegNetY's zero-initialised BatchNorms and
     * ConvNeXt's tiny LayerScales would otherwise zero the gradients of whole branches, and a
     * corrupted gradient times zero looks right.
     */
    private Block perturbed(Block network) {
        Engines.pytorch().setRandomSeed(13);
        for (Parameter parameter : network.getParameters().values()) {
            if (parameter.requiresGradient()) {
                NDArray array = parameter.getArray();
                array.addi(manager.randomNormal(0f, 0.1f, array.getShape(), array.getDataType()));
            }
        }
        return network;
    }

    private List<float[]> gradients(Block network, NDArray images, NDArray targets,
            boolean collect) {
        try (NDManager scope = manager.newSubManager();
                GradientCollector collector = manager.getEngine().newGradientCollector()) {
            NDArray input = Method.COSUB.networkInput(images);
            NDArray logits = network.forward(new ParameterStore(manager, false),
                    new NDList(input), true).singletonOrThrow();
            NDArray loss = Method.COSUB.loss(logits, targets, Criterion.BCE, 0.5f);
            if (collect) {
                collectAndOverwrite();
            }
            collector.backward(loss);
        }
        List<float[]> gradients = new ArrayList<>();
        for (Parameter parameter : network.getParameters().values()) {
            if (parameter.requiresGradient()) {
                gradients.add(parameter.getArray().getGradient().toFloatArray());
            }
        }
        return gradients;
    }
}
