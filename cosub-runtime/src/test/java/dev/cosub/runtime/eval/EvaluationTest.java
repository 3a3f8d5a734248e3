package dev.cosub.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.cosub.runtime.data.Datasets;
import dev.cosub.runtime.data.ImageDataset;
import dev.cosub.runtime.engine.Engines;
import dev.cosub.runtime.loss.Criterion;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.Training;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EvaluationTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Engines.device("cpu"), Engines.ENGINE_NAME);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private long[] counts(float[][] logits, long... labels) {
        NDArray array = manager.create(logits);
        return Evaluation.correctCounts(array, manager.create(labels));
    }

    @Test
    void theLabelMustScoreStrictlyHighestForTop1() {
        float[] ranked = {0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f};
        assertArrayEquals(new long[] {1, 1}, counts(new float[][] {ranked}, 0));
        assertArrayEquals(new long[] {0, 1}, counts(new float[][] {ranked}, 4), "5th: top-5 only");
        assertArrayEquals(new long[] {0, 0}, counts(new float[][] {ranked}, 5), "6th: neither");
        float[] tied = {1f, 1f, 0f, 0f, 0f, 0f};
        assertArrayEquals(new long[] {0, 1}, counts(new float[][] {tied}, 0),
                "a tie for first place is not a correct top-1");
        float[] constant = {0f, 0f, 0f, 0f, 0f, 0f};
        assertArrayEquals(new long[] {0, 0}, counts(new float[][] {constant}, 3),
                "a network that scores every class the same is never right");
    }

    @Test
    void aRowWithANaNLogitIsWrongWhateverTheOtherScores() {
        float nan = Float.NaN;
        float[][] logits = {
            {nan, nan, nan, nan, nan, nan},
            {5f, nan, 0f, 0f, 0f, 0f},
            {nan, 5f, 0f, 0f, 0f, 0f},
            {Float.POSITIVE_INFINITY, 1f, 0f, 0f, 0f, 0f},
        };
        assertArrayEquals(new long[] {1, 1}, counts(logits, 0, 0, 0, 0),
                "only the last row, whose label is the one infinite score, is right");
    }

    @Test
    void aNetworkWithNaNWeightsScoresZeroNotOneHundredPercent() {
        ImageDataset data = Datasets.load("synthetic", null, 64, 0);
        RunConfig config = RunConfig.builder().dataset("synthetic").device("cpu").build();
        Block network = Training.initializedNetwork(config, data, manager);
        for (Parameter parameter : network.getParameters().values()) {
            NDArray array = parameter.getArray();
            array.set(array.getManager().full(array.getShape(), Float.NaN).toFloatArray());
        }

        EvalMetrics metrics = Evaluation.evaluate(network, data.test(), data.pipeline(),
                data.classes(), Criterion.BCE, 256, 1, manager);

        assertEquals(0.0, metrics.top1());
        assertEquals(0.0, metrics.top5());
        assertTrue(Double.isNaN(metrics.loss()), "the loss says what happened: " + metrics.loss());
    }
}
