package dev.cosub.runtime.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import dev.cosub.runtime.engine.Scalars;

/** The training criteria: sigmoid BCE, softmax cross-entropy, and the cosub loss built on BCE. */
public final class Losses {

    private Losses() {}

    /**
     * Sigmoid binary cross-entropy on logits, averaged over all B x C entries, as
     * {@code softplus(z) - z * t}.
     *
     * <p>Not DJL's {@code SigmoidBinaryCrossEntropyLoss}: its {@code relu(z) - z t +
     * softplus(-|z|)} form has the gradient {@code -t} instead of {@code 1/2 - t} at exactly
     * {@code z = 0}, where relu and abs have zero subgradients, e.g. on a zero-initialised head.
     */
    public static NDArray bce(NDArray logits, NDArray targets) {
        return Activation.softPlus(logits).sub(logits.mul(targets)).mean();
    }

    /** Softmax cross-entropy with (possibly soft) target distributions, averaged over the batch. */
    public static NDArray softmaxCrossEntropy(NDArray logits, NDArray targets) {
        return logits.logSoftmax(1).mul(targets).sum(new int[] {1}).neg().mean();
    }

    /**
     * The cosub loss on the logits of a duplicated batch.
     *
     * <pre>
     * L = lambda/2     * [BCE(z1, y) + BCE(z2, y)]
     *   + (1-lambda)/2 * [BCE(z1, sigmoid(sg z2)) + BCE(z2, sigmoid(sg z1))]
     * </pre>
     *
     * @param logits (2B, C): rows 0..B-1 are submodel 1 (z1), rows B..2B-1 submodel 2 (z2)
     * @param targets (B, C) targets shared by both submodels
     * @param lambda the weight of the label terms against the co-training terms, in [0, 1]
     */
    public static NDArray cosub(NDArray logits, NDArray targets, float lambda) {
        long batch = targets.getShape().get(0);
        if (logits.getShape().get(0) != 2 * batch) {
            throw new IllegalArgumentException(
                    "cosub expects logits for a duplicated batch (2B rows), got "
                            + logits.getShape() + " for " + batch + " targets");
        }
        NDList halves = logits.split(2, 0);
        NDArray z1 = halves.get(0);
        NDArray z2 = halves.get(1);
        // Each submodel is the other's teacher: the teacher's prediction is a constant target.
        NDArray teacherFor1 = Activation.sigmoid(z2.stopGradient());
        NDArray teacherFor2 = Activation.sigmoid(z1.stopGradient());
        NDArray labelTerms = Scalars.times(bce(z1, targets).add(bce(z2, targets)), lambda / 2.0);
        NDArray teacherTerms = Scalars.times(bce(z1, teacherFor1).add(bce(z2, teacherFor2)),
                (1.0 - lambda) / 2.0);
        return labelTerms.add(teacherTerms);
    }
}
