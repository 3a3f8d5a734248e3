package dev.cosub.runtime.train;

import dev.cosub.runtime.engine.CpuSharing;
import dev.cosub.runtime.eval.Diagnostics;
import java.util.Locale;
import java.util.function.Consumer;

/** Receives the progress of a training run. */
public interface ProgressListener {

    /** A listener that ignores everything. */
    ProgressListener NONE = new ProgressListener() {};

    /** Training is about to start. */
    default void onStart(RunConfig config, long parameters, int trainImages, int stepsPerEpoch,
            String device) {}

    /**
     * Periodic news from within an epoch.
     *
     * @param epoch 1-based epoch
     * @param step 1-based step within the epoch
     * @param meanLoss mean training loss of the epoch so far
     * @param imagesPerSecond median images per second of the epoch's windows so far (NaN before
     *     the first window after the warm-up)
     * @param etaSeconds estimated seconds until training ends
     */
    default void onProgress(int epoch, int step, int stepsPerEpoch, double meanLoss,
            double imagesPerSecond, double etaSeconds) {}

    /** The run continues from the checkpoint of its epoch {@code epochsDone}. */
    default void onResume(int epochsDone, int epochs) {}

    /** Its libtorch threads followed its share of the processors. */
    default void onThreads(CpuSharing.ThreadChange change) {}

    /** An epoch finished and was evaluated. */
    default void onEpoch(RunConfig config, EpochMetrics metrics, double elapsedSeconds,
            double etaSeconds) {}

    /** A listener that writes human-readable lines to {@code sink}. */
    static ProgressListener lines(Consumer<String> sink) {
        return new ProgressListener() {
            @Override
            public void onStart(RunConfig config, long parameters, int trainImages,
                    int stepsPerEpoch, String device) {
                sink.accept(String.format(Locale.ROOT,
                        "training %s-%s with %s on %s: %,d parameters, %,d images, %d %s of %d"
                                + " %s, batch %d, device %s",
                        config.architecture(), config.size(), config.method(), config.dataset(),
                        parameters, trainImages, config.trainedEpochs(),
                        config.trainedEpochs() == 1 ? "epoch" : "epochs", stepsPerEpoch,
                        stepsPerEpoch == 1 ? "step" : "steps", config.batchSize(), device));
            }

            @Override
            public void onProgress(int epoch, int step, int stepsPerEpoch, double meanLoss,
                    double imagesPerSecond, double etaSeconds) {
                sink.accept(String.format(Locale.ROOT,
                        "  epoch %d step %d/%d: loss %.4f, %.0f img/s, ETA %s",
                        epoch, step, stepsPerEpoch, meanLoss, imagesPerSecond,
                        duration(etaSeconds)));
            }

            @Override
            public void onResume(int epochsDone, int epochs) {
                sink.accept(String.format(Locale.ROOT,
                        "resuming from the checkpoint of epoch %d of %d", epochsDone, epochs));
            }

            @Override
            public void onThreads(CpuSharing.ThreadChange change) {
                sink.accept(String.format(Locale.ROOT,
                        "  epoch %d step %d: %d cosub %s running, %d libtorch %s from here",
                        change.epoch(), change.step(), change.trainings(),
                        change.trainings() == 1 ? "training" : "trainings", change.threads(),
                        change.threads() == 1 ? "thread" : "threads"));
            }

            @Override
            public void onEpoch(RunConfig config, EpochMetrics m, double elapsedSeconds,
                    double etaSeconds) {
                String test = Double.isNaN(m.testTop1()) ? "not evaluated"
                        : String.format(Locale.ROOT, "test top-1 %.2f%%, top-5 %.2f%%, test loss"
                                + " %.4f", 100 * m.testTop1(), 100 * m.testTop5(), m.testLoss())
                        + diagnostics(m.diagnostics());
                sink.accept(String.format(Locale.ROOT,
                        "epoch %d/%d: train loss %.4f, %s, lr %.2e, %.0f img/s, elapsed %s, ETA %s",
                        m.epoch(), config.trainedEpochs(), m.trainLoss(), test, m.learningRate(),
                        m.imagesPerSecond(), duration(elapsedSeconds), duration(etaSeconds)));
            }
        };
    }

    private static String diagnostics(Diagnostics d) {
        if (Double.isNaN(d.cleanTrainTop1())) {
            return "";
        }
        return String.format(Locale.ROOT, ", clean train top-1 %.2f%%, submodel top-1 %.2f%%,"
                        + " submodels agree %.2f%%", 100 * d.cleanTrainTop1(),
                100 * d.submodelTop1(), 100 * d.submodelAgreement());
    }

    /** Formats seconds as {@code 1h02m03s}, {@code 2m03s} or {@code 3s}. */
    static String duration(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s % 3600 / 60, s % 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}
