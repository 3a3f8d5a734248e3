package dev.cosub.runtime.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.cosub.runtime.data.Batch;
import dev.cosub.runtime.data.Batches;
import dev.cosub.runtime.data.ImagePipeline;
import dev.cosub.runtime.data.ImageSource;
import dev.cosub.runtime.loss.Criterion;
import java.nio.FloatBuffer;

/**
 * Evaluates the whole network in inference mode: no drop-path, one pass per image, no batch
 * duplication, whichever method trained it.
 */
public final class Evaluation {

    private Evaluation() {}

    /**
     * Top-1, top-5 and mean loss of {@code network} on {@code images}.
     *
     * @param pipeline how images are centre-cropped and normalised
     * @param threads threads that prepare batches
     * @param manager a manager on the network's device; temporaries are freed per batch
     */
    public static EvalMetrics evaluate(
            Block network,
            ImageSource images,
            ImagePipeline pipeline,
            int classes,
            Criterion criterion,
            int batchSize,
            int threads,
            NDManager manager) {
        ParameterStore parameters = new ParameterStore(manager, false);
        long top1 = 0;
        long top5 = 0;
        double lossSum = 0;
        try (Batches batches = Batches.evaluation(images, pipeline, batchSize, threads)) {
            while (batches.hasNext()) {
                Batch batch = batches.next();
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = imageArray(scope, batch, pipeline);
                    NDArray labels = labelArray(scope, batch);
                    NDArray logits = network.forward(parameters, new NDList(x), false)
                            .singletonOrThrow();
                    long[] correct = correctCounts(logits, labels);
                    top1 += correct[0];
                    top5 += correct[1];
                    NDArray targets = labels.oneHot(classes);
                    lossSum += criterion.loss(logits, targets).getFloat() * batch.size();
                }
            }
        }
        int n = images.count();
        return new EvalMetrics((double) top1 / n, (double) top5 / n, lossSum / n, n);
    }

    /**
     * How many rows of {@code logits} (B, C) rank their label first, and how many within the
     * first five.
     *
     * <p>A label's rank is the number of classes whose logit is at least the label's, itself
     * included: a tie counts against the label, so a network that gives every class the same
     * score is never right. A NaN compares false with everything and would otherwise make every
     * row look correct; a row with a NaN logit is counted wrong.
     *
     * @param labels (B) class indices
     * @return {top-1 count, top-5 count}
     */
    public static long[] correctCounts(NDArray logits, NDArray labels) {
        long batch = logits.getShape().get(0);
        NDArray labelLogits = logits.gather(labels.toType(DataType.INT64, false)
                .reshape(batch, 1), 1);
        NDArray rank = logits.gte(labelLogits).sum(new int[] {1});
        NDArray finite = logits.isNaN().sum(new int[] {1}).eq(0);
        return new long[] {
            rank.eq(1).logicalAnd(finite).sum().getLong(),
            rank.lte(5).logicalAnd(finite).sum().getLong()
        };
    }

    /** A batch's images as one (B, C, H, W) array owned by {@code scope}. */
    static NDArray imageArray(NDManager scope, Batch batch, ImagePipeline pipeline) {
        return scope.create(
                FloatBuffer.wrap(batch.pixels(), 0, batch.size() * pipeline.output().size()),
                pipeline.output().batch(batch.size()), DataType.FLOAT32);
    }

    static NDArray labelArray(NDManager scope, Batch batch) {
        long[] labels = new long[batch.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = batch.labels()[i];
        }
        return scope.create(labels, new Shape(labels.length));
    }
}
