package dev.cosub.runtime.train;

/**
 * Decides from each step's loss whether a run has diverged: a NaN or infinite loss at once, or a
 * loss that stays above {@link #BOUND_FACTOR} times the loss of an uninformed prediction for
 * {@link #PATIENCE} consecutive steps.
 */
final class DivergenceGuard {

    /** A loss this many times an uninformed prediction's is far beyond any training noise. */
    static final double BOUND_FACTOR = 100;

    /** Steps the loss must stay above the bound: one spike is not a divergence. */
    static final int PATIENCE = 50;

    private final double bound;
    private final int stepsPerEpoch;
    private int stepsAbove;

    /**
     * @param uninformedLoss the loss of a prediction that knows nothing, e.g. ln 2 for BCE
     */
    DivergenceGuard(double uninformedLoss, int stepsPerEpoch) {
        this.bound = BOUND_FACTOR * uninformedLoss;
        this.stepsPerEpoch = stepsPerEpoch;
    }

    /**
     * Checks one step's loss.
     *
     * @throws TrainingDivergedException naming the epoch, step, learning rate and loss
     */
    void check(double loss, int epoch, int step, double learningRate) {
        if (!Double.isFinite(loss)) {
            throw TrainingDivergedException.atStep(epoch, step, stepsPerEpoch, learningRate, loss,
                    "not a finite number");
        }
        stepsAbove = loss > bound ? stepsAbove + 1 : 0;
        if (stepsAbove >= PATIENCE) {
            throw TrainingDivergedException.atStep(epoch, step, stepsPerEpoch, learningRate, loss,
                    String.format(java.util.Locale.ROOT,
                            "above %.3g, %.0f times an uninformed prediction's loss, for %d steps",
                            bound, BOUND_FACTOR, PATIENCE));
        }
    }
}
