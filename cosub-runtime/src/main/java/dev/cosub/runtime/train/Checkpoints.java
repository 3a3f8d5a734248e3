package dev.cosub.runtime.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.cosub.runtime.eval.EvalMetrics;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where a run keeps its progress after every epoch, so that a run interrupted by a crash, a
 * kill or a cancelled job continues from its last completed epoch.
 */
public interface Checkpoints {

    /** No checkpoints: the run starts from nothing and keeps nothing. */
    Checkpoints NONE = new Checkpoints() {
        @Override
        public void save(Progress progress, Block network, DecoupledAdamW.State optimizer) {}

        @Override
        public Optional<Restored> restore(Block network, NDManager manager) {
            return Optional.empty();
        }
    };

    /**
     * Keeps the progress after a completed epoch, replacing the previous checkpoint whole or
     * not at all.
     *
     * @throws java.io.UncheckedIOException when it cannot be written
     */
    void save(Progress progress, Block network, DecoupledAdamW.State optimizer);

    /**
     * The latest valid checkpoint, its weights loaded into {@code network}. A checkpoint that is
     * torn or of another configuration is set aside and reported, never loaded.
     *
     * @param manager owns the optimizer state it reads
     * @throws java.io.UncheckedIOException when it cannot be read or set aside
     */
    Optional<Restored> restore(Block network, NDManager manager);

    /**
     * A checkpoint read back.
     *
     * @param progress how far the run had come
     * @param optimizer the optimizer's state then
     */
    record Restored(Progress progress, DecoupledAdamW.State optimizer) {}

    /**
     * How far a run has come, after a completed epoch.
     *
     * @param epochsDone completed epochs
     * @param epochs their figures
     * @param windowRates images per second of the timed windows so far
     * @param warmupRates those of the warm-up window
     * @param trainSeconds training time so far
     * @param startedAt when the run first started
     * @param lastTest the latest test figures, or {@code null}
     * @param matmulPeakFlopsPerSecond the matmul peak measured when the run first started
     * @param resumedAfter the completed epochs of each earlier start this run continued from
     */
    record Progress(int epochsDone, List<EpochMetrics> epochs, List<Double> windowRates,
            List<Double> warmupRates, double trainSeconds, Instant startedAt,
            EvalMetrics lastTest, double matmulPeakFlopsPerSecond, List<Integer> resumedAfter) {

        public Progress {
            epochs = List.copyOf(epochs);
            windowRates = List.copyOf(windowRates);
            warmupRates = List.copyOf(warmupRates);
            resumedAfter = List.copyOf(resumedAfter);
        }

        /** The progress of a run that starts now, from nothing. */
        static Progress fresh(Instant startedAt, double matmulPeakFlopsPerSecond) {
            return new Progress(0, List.of(), List.of(), List.of(), 0, startedAt, null,
                    matmulPeakFlopsPerSecond, List.of());
        }
    }
}
