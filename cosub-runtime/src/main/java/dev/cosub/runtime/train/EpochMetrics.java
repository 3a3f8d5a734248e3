package dev.cosub.runtime.train;

import dev.cosub.runtime.eval.Diagnostics;

/**
 * One epoch of a run.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean training loss over the epoch's steps, as trained: with augmentation and
 *     drop-path, and for cosub with its co-training terms (see {@code diagnostics} for figures
 *     that compare with the test's and across methods)
 * @param testTop1 test top-1 accuracy after the epoch, in [0, 1]
 * @param testTop5 test top-5 accuracy after the epoch, in [0, 1]
 * @param testLoss test loss after the epoch
 * @param learningRate learning rate at the epoch's last step
 * @param imagesPerSecond training images per second during the epoch (evaluation excluded)
 * @param seconds wall time of the epoch's training steps
 * @param diagnostics the generalisation gap and the submodel signature after the epoch;
 *     {@link Diagnostics#NONE} when it was not evaluated or the record predates them
 */
public record EpochMetrics(
        int epoch,
        double trainLoss,
        double testTop1,
        double testTop5,
        double testLoss,
        double learningRate,
        double imagesPerSecond,
        double seconds,
        Diagnostics diagnostics) {

    public EpochMetrics {
        diagnostics = diagnostics == null ? Diagnostics.NONE : diagnostics;
    }
}
