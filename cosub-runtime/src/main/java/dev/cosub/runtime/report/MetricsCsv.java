package dev.cosub.runtime.report;

import static dev.cosub.runtime.report.CsvFiles.fixed;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** A run's {@code metrics.csv}: one row per epoch. */
public final class MetricsCsv {

    /** The columns, in order. Accuracies are fractions in [0, 1]. */
    public static final List<String> HEADER = List.of(
            "epoch", "train_loss", "test_top1", "test_top5", "test_loss", "learning_rate",
            "images_per_second", "seconds");

    private MetricsCsv() {}

    /** Writes {@code epochs} to {@code file} atomically. */
    public static void write(List<EpochMetrics> epochs, Path file) throws IOException {
        CsvFiles.write(file, HEADER, epochs.stream()
                .map(m -> List.of(m.epoch(), fixed(m.trainLoss(), 6), fixed(m.testTop1(), 6),
                        fixed(m.testTop5(), 6), fixed(m.testLoss(), 6),
                        String.format(Locale.ROOT, "%.6e", m.learningRate()),
                        fixed(m.imagesPerSecond(), 1), fixed(m.seconds(), 2)))
                .toList());
    }
}
