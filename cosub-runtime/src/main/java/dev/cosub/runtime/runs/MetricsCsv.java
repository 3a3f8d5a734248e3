package dev.cosub.runtime.runs;

import static dev.cosub.runtime.io.CsvFiles.fixed;

import dev.cosub.runtime.io.CsvFiles;
import dev.cosub.runtime.train.EpochMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** A run's {@code metrics.csv}: one row per epoch. */
public final class MetricsCsv {

    /**
     * The columns, in order. Accuracies are fractions in [0, 1]. {@code train_loss} is the loss
     * as trained; the {@code clean_train_*} and {@code submodel_*} columns are
     * {@link dev.cosub.runtime.eval.Diagnostics}, empty for an epoch not evaluated.
     */
    public static final List<String> HEADER = List.of(
            "epoch", "train_loss", "test_top1", "test_top5", "test_loss", "learning_rate",
            "images_per_second", "seconds", "clean_train_top1", "clean_train_loss",
            "submodel_top1", "submodel_agreement", "submodel_output_gap");

    private MetricsCsv() {}

    /** Writes {@code epochs} to {@code file} atomically. */
    public static void write(List<EpochMetrics> epochs, Path file) throws IOException {
        CsvFiles.write(file, HEADER, epochs.stream()
                .map(m -> List.of(m.epoch(), fixed(m.trainLoss(), 6), fixed(m.testTop1(), 6),
                        fixed(m.testTop5(), 6), fixed(m.testLoss(), 6),
                        String.format(Locale.ROOT, "%.6e", m.learningRate()),
                        fixed(m.imagesPerSecond(), 1), fixed(m.seconds(), 2),
                        fixed(m.diagnostics().cleanTrainTop1(), 6),
                        fixed(m.diagnostics().cleanTrainLoss(), 6),
                        fixed(m.diagnostics().submodelTop1(), 6),
                        fixed(m.diagnostics().submodelAgreement(), 6),
                        fixed(m.diagnostics().submodelOutputGap(), 6)))
                .toList());
    }
}
