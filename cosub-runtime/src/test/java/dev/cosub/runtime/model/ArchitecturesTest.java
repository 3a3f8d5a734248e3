package dev.cosub.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import dev.cosub.runtime.engine.Engines;
import dev.cosub.runtime.model.layers.BlockFixture;
import dev.cosub.runtime.model.layers.DropPathMode;
import dev.cosub.runtime.model.layers.DropPathSchedule;
import dev.cosub.runtime.model.layers.Flops;
import dev.cosub.runtime.model.layers.LayerScale;
import dev.cosub.runtime.train.Training;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What every architecture must do, checked the same way for all six. */
class ArchitecturesTest extends BlockFixture {

    private static final ImageShape GRAY = new ImageShape(1, 28, 28);
    private static final ImageShape RGB = new ImageShape(3, 32, 32);
    private static final ImageShape IMAGENET = new ImageShape(3, 224, 224);

    private Block build(String architecture, String size, ImageShape input, int classes,
            float dropPath) {
        return build(architecture, size, input, classes, dropPath, DropPathMode.MASK);
    }

    private Block build(String architecture, String size, ImageShape input, int classes,
            float dropPath, DropPathMode mode) {
        Block network = Architectures.byName(architecture).build(new ModelSpec(size, input,
                classes, dropPath, DropPathSchedule.UNIFORM, mode));
        network.initialize(manager, DataType.FLOAT32, input.batch(1));
        return network;
    }

    /**
     * Moves every parameter away from its initial value. Some branches start as exact or near
     * zeros by design (RegNet's zero-initialised last BatchNorm, ConvNeXt's LayerScale of 1e-6),
     * which would hide both drop-path and the gradients behind them.
     */
    private Block perturbed(Block network) {
        for (Pair<String, Parameter> p : network.getParameters()) {
            NDArray array = p.getValue().getArray();
            if (p.getValue().requiresGradient()) {
                array.addi(manager.randomNormal(0f, 0.1f, array.getShape(), array.getDataType()));
            }
        }
        return network;
    }

    @Test
    void theRegistryHasTheSixArchitecturesByTheirNames() {
        assertEquals(List.of("regnet", "vit", "pit", "xcit", "swin", "convnext"),
                List.copyOf(Architectures.names()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"regnet", "vit", "pit", "xcit", "swin", "convnext"})
    void nanoMapsSmallGrayscaleAndRgbImagesToLogits(String architecture) {
        assertEquals(new Shape(3, 10), forward(build(architecture, "nano", GRAY, 10, 0.1f),
                manager.randomNormal(GRAY.batch(3)), false).getShape());
        assertEquals(new Shape(2, 100), forward(build(architecture, "nano", RGB, 100, 0.1f),
                manager.randomNormal(RGB.batch(2)), true).getShape());
    }

    /**
     * An image's logits do not depend on the batch it comes in: a model served one image at a
     * time must answer as it did in evaluation. PiT once failed this on an AMD EPYC, where a
     * batch of one reached a channels-last convolution through a strided view.
     */
    @ParameterizedTest
    @ValueSource(strings = {"regnet", "vit", "pit", "xcit", "swin", "convnext"})
    void anImageAloneGetsTheLogitsItGetsInABatch(String architecture) {
        for (ImageShape shape : List.of(GRAY, RGB)) {
            Block network = perturbed(build(architecture, "nano", shape, 10, 0.1f));
            NDArray batch = manager.randomNormal(shape.batch(4));
            NDArray together = forward(network, batch, false);
            for (int i = 0; i < 4; i++) {
                NDArray alone = forward(network, batch.get(i + ":" + (i + 1)), false);
                float difference = alone.sub(together.get(i + ":" + (i + 1))).abs().max()
                        .getFloat();
                assertTrue(difference < 1e-4, architecture + " " + shape + ": image " + i
                        + " alone differs by " + difference);
            }
        }
    }

    /**
     * Published parameter counts with 1000 classes (RegNetY-200MF 3.16M, ViT-Ti 5.72M, PiT-Ti
     * 4.85M, XCiT-Nano-12/16 3.05M, Swin-T 28.29M, ConvNeXt-T 28.59M, DeiT III ViT-S 22.06M and
     * ViT-B 86.59M): ours must be within 1%, and stay exactly what they are.
     */
    @ParameterizedTest
    @CsvSource({
        "vit, deit3-tiny, 5720000, 5721832",
        "vit, deit3-small, 22060000, 22059496",
        "vit, deit3-base, 86590000, 86585320",
        "regnet, 200mf, 3160000, 3162996",
        "vit, tiny, 5720000, 5717416",
        "pit, tiny, 4850000, 4847272",
        "xcit, nano12, 3050000, 3053224",
        "swin, tiny, 28290000, 28288354",
        "convnext, tiny, 28590000, 28589128",
    })
    void standardSizeMatchesThePublishedParameterCountAndTakesImageNetInput(
            String architecture, String size, long published, long exact) {
        Block network = build(architecture, size, IMAGENET, 1000, 0.1f);
        long parameters = Training.parameterCount(network);
        assertEquals(exact, parameters, architecture + "-" + size);
        assertTrue(Math.abs(parameters - published) <= published / 100,
                architecture + "-" + size + " has " + parameters + " parameters, published "
                        + published);
        assertEquals(new Shape(1, 1000),
                forward(network, manager.randomNormal(IMAGENET.batch(1)), false).getShape());
    }

    /**
     * The sizes between nano and tiny, for data where nano underfits: several times nano's
     * parameters and multiply-adds on 28x28 grayscale images, and their counts pinned.
     */
    @ParameterizedTest
    @CsvSource({
        "vit, micro, nano, 1199882",
        "vit, deit3-micro, deit3-nano, 1201290",
        "convnext, micro, nano, 2613946",
    })
    void microSizesHoldSeveralTimesNanosCapacity(String architecture, String size, String nano,
            long exact) {
        Block micro = build(architecture, size, GRAY, 10, 0.1f);
        Block small = build(architecture, nano, GRAY, 10, 0.1f);
        long parameters = Training.parameterCount(micro);
        assertEquals(exact, parameters, architecture + "-" + size);
        double capacity = (double) parameters / Training.parameterCount(small);
        double cost = (double) Flops.perImage(micro) / Flops.perImage(small);
        assertTrue(capacity >= 2.5 && cost >= 2.5, architecture + "-" + size + ": "
                + capacity + "x the parameters and " + cost + "x the multiply-adds of " + nano);
        assertEquals(new Shape(2, 10), forward(micro, manager.randomNormal(GRAY.batch(2)), true)
                .getShape());
    }

    @ParameterizedTest
    @ValueSource(strings = {"regnet", "vit", "pit", "xcit", "swin", "convnext"})
    void dropPathIsActiveInTrainingOnlyAndPerSample(String architecture) {
        Block network = perturbed(build(architecture, "nano", GRAY, 10, 0.5f));
        NDArray x = manager.randomNormal(GRAY.batch(4));
        // BatchNorm uses batch statistics in training: compare whole duplicated batches so that
        // both halves see the same statistics and only drop-path can tell them apart.
        NDArray twice = x.concat(x, 0);
        assertTrue(forward(network, x, false).allClose(forward(network, x, false)),
                "inference is deterministic");
        NDList halves = forward(network, twice, true).split(2, 0);
        assertFalse(halves.get(0).allClose(halves.get(1), 1e-4, 1e-5, false),
                "the two copies of an image must be different submodels in training");
        NDList inference = forward(network, twice, false).split(2, 0);
        assertTrue(inference.get(0).allClose(inference.get(1), 1e-4, 1e-5, false),
                "the whole network in inference");
    }

    /**
     * Both drop-path modes draw their keep decisions the same way, so one engine seed gives both
     * the same submodels: efficient mode must then compute the same outputs and gradients while
     * skipping the dropped rows. (Branches holding BatchNorm run every row in both modes.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"regnet", "vit", "pit", "xcit", "swin", "convnext"})
    void efficientDropPathGivesTheOutputsAndGradientsOfMaskedDropPath(String architecture) {
        NDArray x = manager.randomNormal(GRAY.batch(8));
        NDArray outputWeights = manager.randomNormal(new Shape(8, 10));
        Block masked = build(architecture, "nano", GRAY, 10, 0.5f, DropPathMode.MASK);
        Block efficient = build(architecture, "nano", GRAY, 10, 0.5f, DropPathMode.EFFICIENT);
        perturbed(masked);
        copyParameters(masked, efficient);

        NDArray maskedOut = trainingPass(masked, x, outputWeights);
        NDArray efficientOut = trainingPass(efficient, x, outputWeights);
        Engines.pytorch().setRandomSeed(11);
        NDArray otherDraws = forward(masked, x, true);

        assertFalse(maskedOut.allClose(otherDraws, 1e-4, 1e-5, false),
                "another seed drops other rows: the comparison is not vacuous");
        assertTrue(efficientOut.allClose(maskedOut, 1e-4, 1e-5, false),
                architecture + ": outputs differ between the modes");
        ParameterList a = masked.getParameters();
        ParameterList b = efficient.getParameters();
        for (int i = 0; i < a.size(); i++) {
            if (a.valueAt(i).requiresGradient()) {
                NDArray ga = a.valueAt(i).getArray().getGradient();
                NDArray gb = b.valueAt(i).getArray().getGradient();
                assertTrue(gb.allClose(ga, 1e-3, 1e-5, false),
                        architecture + ": gradient of " + a.keyAt(i) + " differs");
            }
        }
    }

    /** Forward in training mode with engine seed 7, backward of a weighted sum of the logits. */
    private NDArray trainingPass(Block network, NDArray x, NDArray outputWeights) {
        Engines.pytorch().setRandomSeed(7);
        NDArray out;
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            out = forward(network, x, true);
            collector.backward(out.mul(outputWeights).sum());
        }
        return out.stopGradient();
    }

    private static void copyParameters(Block from, Block to) {
        ParameterList source = from.getParameters();
        ParameterList target = to.getParameters();
        for (int i = 0; i < source.size(); i++) {
            target.valueAt(i).getArray().set(source.valueAt(i).getArray().toByteBuffer());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"regnet", "vit", "pit", "xcit", "swin", "convnext"})
    void everyParameterReceivesAGradient(String architecture) {
        Block network = perturbed(build(architecture, "nano", GRAY, 10, 0.1f));
        NDArray x = manager.randomNormal(GRAY.batch(4));
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            collector.backward(forward(network, x, true).square().mean());
        }
        for (Pair<String, Parameter> p : network.getParameters()) {
            if (!p.getValue().requiresGradient()) {
                continue;
            }
            float gradientNorm = p.getValue().getArray().getGradient().abs().sum().getFloat();
            assertTrue(gradientNorm > 0f, architecture + ": " + p.getKey() + " got no gradient");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"regnet", "vit", "pit", "xcit", "swin", "convnext"})
    void savedWeightsLoadIntoAFreshNetworkAndGiveTheSameOutputs(String architecture)
            throws Exception {
        Block trained = perturbed(build(architecture, "nano", GRAY, 10, 0.1f));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        trained.saveParameters(new DataOutputStream(bytes));

        Block fresh = build(architecture, "nano", GRAY, 10, 0.1f);
        NDArray x = manager.randomNormal(GRAY.batch(3));
        assertFalse(forward(fresh, x, false).allClose(forward(trained, x, false)));
        fresh.loadParameters(manager, new DataInputStream(
                new ByteArrayInputStream(bytes.toByteArray())));
        NDArray loaded = forward(fresh, x, false);
        NDArray expected = forward(trained, x, false);
        // Loaded weights sit in Java buffers whose alignment can steer the engine to other
        // kernels: a rounding-level difference remains.
        assertTrue(loaded.allClose(expected, 1e-5, 1e-5, false),
                loaded.sub(expected).abs().max().getFloat() + " apart");
    }
}
