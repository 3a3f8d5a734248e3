package dev.cosub.runtime.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.cosub.runtime.data.Batch;
import dev.cosub.runtime.data.Batches;
import dev.cosub.runtime.data.ImagePipeline;
import dev.cosub.runtime.data.ImageSource;
import dev.cosub.runtime.loss.Criterion;
import dev.cosub.runtime.model.layers.Residual;

/**
 * What an evaluation measures besides test accuracy, to show why a method won or lost.
 *
 * <p>The generalisation gap: the full network in inference mode on a fixed sample of the
 * training images, without augmentation or drop-path and with the label loss only, so that it
 * compares with the test figures and across methods. The submodel signature, which is what
 * cosub trains for: on a fixed sample of the test images, the top-1 of one random submodel
 * (drop-path drawn at the training rates, everything else in inference mode) and how far two
 * independently drawn submodels agree.
 *
 * @param cleanTrainTop1 top-1 on the training sample, in [0, 1]
 * @param cleanTrainLoss the criterion's mean loss on the training sample
 * @param submodelTop1 top-1 of a random submodel on the test sample, in [0, 1]
 * @param submodelAgreement share of test-sample images on which two random submodels rank the
 *     same class first, in [0, 1]
 * @param submodelOutputGap mean absolute difference of the two submodels' sigmoid outputs over
 *     images and classes, in [0, 1]
 */
public record Diagnostics(double cleanTrainTop1, double cleanTrainLoss, double submodelTop1,
        double submodelAgreement, double submodelOutputGap) {

    /** Images in each sample: enough for a figure within about a point, at a fraction of a test pass. */
    public static final int SAMPLE_IMAGES = 2_000;

    /** Fixed, so that runs on the same images measure the same sample whatever their seed. */
    static final long SAMPLE_SEED = 20_230_618L;

    /** Figures of an epoch that was not evaluated, or of a record from before they existed. */
    public static final Diagnostics NONE = new Diagnostics(Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN);

    /**
     * Measures {@code network}. The submodels' drop-path draws come from the engine's generator:
     * seed it first for figures that repeat.
     *
     * @param train the images the network was trained on; a fixed sample of them is used
     * @param test the test images; a fixed sample of them is used
     * @param manager a manager on the network's device; temporaries are freed per batch
     */
    public static Diagnostics measure(Block network, ImageSource train, ImageSource test,
            ImagePipeline pipeline, int classes, Criterion criterion, int batchSize, int threads,
            NDManager manager) {
        EvalMetrics clean = Evaluation.evaluate(network, train.sample(SAMPLE_IMAGES, SAMPLE_SEED),
                pipeline, classes, criterion, batchSize, threads, manager);
        ImageSource sample = test.sample(SAMPLE_IMAGES, SAMPLE_SEED);
        ParameterStore parameters = new ParameterStore(manager, false);
        long correct = 0;
        long agreeing = 0;
        double gapSum = 0;
        Residual.sampleSubmodels(network, true);
        try (Batches batches = Batches.evaluation(sample, pipeline, batchSize, threads)) {
            while (batches.hasNext()) {
                Batch batch = batches.next();
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = Evaluation.imageArray(scope, batch, pipeline);
                    NDArray first = network.forward(parameters, new NDList(x), false)
                            .singletonOrThrow();
                    NDArray second = network.forward(parameters, new NDList(x), false)
                            .singletonOrThrow();
                    correct += Evaluation.correctCounts(first, Evaluation.labelArray(scope,
                            batch))[0];
                    agreeing += first.argMax(1).eq(second.argMax(1)).sum().getLong();
                    gapSum += Activation.sigmoid(first).sub(Activation.sigmoid(second)).abs()
                            .sum().getFloat();
                }
            }
        } finally {
            Residual.sampleSubmodels(network, false);
        }
        int n = sample.count();
        return new Diagnostics(clean.top1(), clean.loss(), (double) correct / n,
                (double) agreeing / n, gapSum / ((double) n * classes));
    }
}
