package dev.cosub.runtime.train;

import java.util.Locale;

/**
 * A run whose loss became NaN or infinite, or stayed far above what an untrained network scores:
 * its weights are no result, and it stops where it was noticed.
 */
public final class TrainingDivergedException extends TrainingFailedException {

    private final int epoch;
    private final int step;
    private final RunResult partial;

    TrainingDivergedException(String message, int epoch, int step, RunResult partial) {
        super(message);
        this.epoch = epoch;
        this.step = step;
        this.partial = partial;
    }

    /** A divergence noticed at a training step's loss. */
    static TrainingDivergedException atStep(int epoch, int step, int stepsPerEpoch,
            double learningRate, double loss, String why) {
        return new TrainingDivergedException(String.format(Locale.ROOT,
                "training diverged at epoch %d, step %d of %d: loss %s at learning rate %.3g (%s);"
                        + " lower learningRate or gradientClipNorm, or raise warmupEpochs",
                epoch, step, stepsPerEpoch, loss, learningRate, why), epoch, step, null);
    }

    /** A divergence noticed when evaluating after an epoch. */
    static TrainingDivergedException atEvaluation(int epoch, double testLoss) {
        return new TrainingDivergedException(String.format(Locale.ROOT,
                "training diverged: the test loss after epoch %d is %s, the network outputs"
                        + " non-finite values; lower learningRate", epoch, testLoss),
                epoch, 0, null);
    }

    /** The same failure, with what the run had done until then. */
    TrainingDivergedException withPartial(RunResult result) {
        TrainingDivergedException e = new TrainingDivergedException(getMessage(), epoch, step,
                result);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** 1-based epoch in which the run diverged. */
    public int epoch() {
        return epoch;
    }

    /** 1-based step of that epoch, or 0 when noticed at evaluation. */
    public int step() {
        return step;
    }

    /** The epochs completed before the divergence, or {@code null}. */
    public RunResult partial() {
        return partial;
    }
}
