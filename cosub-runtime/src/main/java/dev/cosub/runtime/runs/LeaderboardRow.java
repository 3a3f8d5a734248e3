package dev.cosub.runtime.runs;

import static dev.cosub.runtime.io.CsvFiles.fixed;

import dev.cosub.runtime.eval.Diagnostics;
import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.train.EpochMetrics;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVRecord;

/**
 * One finished run in a leaderboard. Accuracies are fractions in [0, 1].
 *
 * @param runId the run's folder name
 * @param timestamp when the run started
 * @param dataset dataset name
 * @param architecture architecture name
 * @param size architecture size
 * @param method baseline or cosub
 * @param recipe simple or deit3
 * @param budget epochs or compute (under which a baseline trains twice {@code epochs})
 * @param seed the run's seed
 * @param epochs the configured epochs
 * @param batchSize images per step
 * @param learningRate peak learning rate
 * @param dropPath stochastic-depth rate of the deepest block
 * @param dropPathMode {@code mask} or {@code efficient}
 * @param lambda cosub's label weight (unused by the baseline)
 * @param trainImages training images used per epoch
 * @param parameters trainable parameters
 * @param top1 final test top-1
 * @param top5 final test top-5
 * @param testLoss final test loss
 * @param trainSeconds wall time of the training steps
 * @param imagesPerSecond median training images per second
 * @param trainFlopsPerSecond model FLOP/s at that rate (forward and backward)
 * @param device the DJL device it ran on
 * @param engineVersion engine name and version
 * @param configHash hash of the configuration, equal for equal configurations
 * @param recipeHash hash of the configuration without method, seed and budget: the runs a
 *     comparison puts side by side share it
 * @param trainedEpochs the epochs trained: twice {@code epochs} for a baseline under the
 *     compute budget
 * @param imagesPerSecondQ1 first quartile of the training rate over its timed windows; NaN in
 *     rows from before it was kept
 * @param imagesPerSecondQ3 third quartile likewise
 * @param codeVersion the cosub code that made the run (see
 *     {@link dev.cosub.runtime.runs.CodeVersion#describe}); {@code unknown} in rows from before
 *     it was kept
 * @param fit how the run fit its training images, from its evaluations;
 *     {@link FitSummary#NONE} in rows from before it was kept
 * @param initFrom the weights a fine-tuning run started from, as its configuration named them;
 *     empty for a run from random weights and in rows from before it was kept
 */
public record LeaderboardRow(
        String runId,
        Instant timestamp,
        String dataset,
        String architecture,
        String size,
        String method,
        String recipe,
        String budget,
        long seed,
        int epochs,
        int batchSize,
        float learningRate,
        float dropPath,
        String dropPathMode,
        float lambda,
        int trainImages,
        long parameters,
        double top1,
        double top5,
        double testLoss,
        double trainSeconds,
        double imagesPerSecond,
        double trainFlopsPerSecond,
        String device,
        String engineVersion,
        String configHash,
        String recipeHash,
        int trainedEpochs,
        double imagesPerSecondQ1,
        double imagesPerSecondQ3,
        String codeVersion,
        FitSummary fit,
        String initFrom) {

    public LeaderboardRow {
        fit = fit == null ? FitSummary.NONE : fit;
        initFrom = initFrom == null ? "" : initFrom;
    }

    /**
     * The recipe as tables show it: with the name of the weights a fine-tuning run started
     * from, which the recipe hash tells apart but the recipe's name does not.
     */
    public String recipeLabel() {
        return initFrom.isEmpty() ? recipe
                : recipe + ", from " + Path.of(initFrom).getFileName();
    }

    /**
     * What a run's evaluations say about overfitting, for tables that compare runs without
     * their folders.
     *
     * @param cleanTrainTop1 at the last evaluation that measured it, the network's top-1 on a
     *     fixed sample of its training images without augmentation or drop-path; NaN when none
     *     did
     * @param submodelAgreement at that evaluation, how often two random submodels agree on the
     *     top class of a fixed test sample; NaN when none measured it
     * @param lowestTestLoss the lowest test loss of any evaluation; NaN without one
     * @param lowestTestLossEpoch the epoch of that evaluation, 0 without one: a test loss that
     *     bottoms out before the last epoch and then rises is the mark of overfitting
     */
    public record FitSummary(double cleanTrainTop1, double submodelAgreement,
            double lowestTestLoss, int lowestTestLossEpoch) {

        /** The summary of a row from before it was kept. */
        public static final FitSummary NONE = new FitSummary(Double.NaN, Double.NaN, Double.NaN,
                0);

        /** The summary of a run's per-epoch figures. */
        public static FitSummary of(List<EpochMetrics> epochs) {
            Diagnostics last = Diagnostics.NONE;
            EpochMetrics lowest = null;
            for (EpochMetrics epoch : epochs) {
                if (!Double.isNaN(epoch.diagnostics().cleanTrainTop1())) {
                    last = epoch.diagnostics();
                }
                if (!Double.isNaN(epoch.testLoss())
                        && (lowest == null || epoch.testLoss() < lowest.testLoss())) {
                    lowest = epoch;
                }
            }
            return new FitSummary(last.cleanTrainTop1(), last.submodelAgreement(),
                    lowest == null ? Double.NaN : lowest.testLoss(),
                    lowest == null ? 0 : lowest.epoch());
        }
    }

    /** What rows from before the code version was kept say in its place. */
    public static final String UNKNOWN_CODE = "unknown";

    /** The leaderboard's columns, in order; {@link #values()} follows it. */
    public static final List<String> HEADER = List.of(
            "run_id", "timestamp", "dataset", "architecture", "size", "method", "recipe", "budget",
            "seed", "epochs",
            "batch_size", "learning_rate", "drop_path", "drop_path_mode", "lambda", "train_images",
            "parameters", "top1", "top5", "test_loss", "train_seconds", "images_per_second",
            "train_flops_per_second", "device", "engine_version", "config_hash", "recipe_hash",
            "trained_epochs", "images_per_second_q1", "images_per_second_q3", "code_version",
            "clean_train_top1", "submodel_agreement", "lowest_test_loss",
            "lowest_test_loss_epoch", "init_from");

    /** The header of leaderboards written before the trained epochs and code were kept. */
    static final List<String> HEADER_BEFORE_CODE_VERSION = HEADER.subList(0, 27);

    /** The header of leaderboards written before the fit summary was kept. */
    static final List<String> HEADER_BEFORE_FIT = HEADER.subList(0, 31);

    /** The header of leaderboards written before the starting weights were kept. */
    static final List<String> HEADER_BEFORE_INIT_FROM = HEADER.subList(0, 35);

    /** The cells of this row in {@link #HEADER} order. */
    public List<String> values() {
        return List.of(runId, timestamp.toString(), dataset, architecture, size, method, recipe,
                budget, Long.toString(seed), Integer.toString(epochs), Integer.toString(batchSize),
                Float.toString(learningRate), Float.toString(dropPath), dropPathMode,
                Float.toString(lambda), Integer.toString(trainImages), Long.toString(parameters),
                fixed(top1, 6), fixed(top5, 6), fixed(testLoss, 6), fixed(trainSeconds, 2),
                fixed(imagesPerSecond, 1), String.format(Locale.ROOT, "%.4e", trainFlopsPerSecond),
                device, engineVersion, configHash, recipeHash, Integer.toString(trainedEpochs),
                fixed(imagesPerSecondQ1, 1), fixed(imagesPerSecondQ3, 1), codeVersion,
                fixed(fit.cleanTrainTop1(), 6), fixed(fit.submodelAgreement(), 6),
                fixed(fit.lowestTestLoss(), 6), Integer.toString(fit.lowestTestLossEpoch()),
                initFrom);
    }

    /**
     * Parses a record read with {@link #HEADER}.
     *
     * @throws InvalidDataException naming the file, line, column and value when a cell is wrong
     */
    static LeaderboardRow parse(CSVRecord r, Path file) {
        Cells cells = new Cells(r, file);
        return new LeaderboardRow(
                cells.text("run_id"), cells.instant("timestamp"), cells.text("dataset"),
                cells.text("architecture"), cells.text("size"), cells.text("method"),
                cells.text("recipe"), cells.text("budget"), cells.number("seed").longValue(), cells.number("epochs").intValue(),
                cells.number("batch_size").intValue(),
                cells.number("learning_rate").floatValue(), cells.number("drop_path").floatValue(),
                cells.text("drop_path_mode"), cells.number("lambda").floatValue(), cells.number("train_images").intValue(),
                cells.number("parameters").longValue(), cells.fraction("top1"),
                cells.fraction("top5"), cells.number("test_loss").doubleValue(),
                cells.number("train_seconds").doubleValue(),
                cells.number("images_per_second").doubleValue(),
                cells.number("train_flops_per_second").doubleValue(), cells.text("device"),
                cells.text("engine_version"), cells.text("config_hash"),
                cells.text("recipe_hash"),
                r.isMapped("trained_epochs") ? cells.number("trained_epochs").intValue()
                        : legacyTrainedEpochs(cells),
                cells.optionalNumber("images_per_second_q1"),
                cells.optionalNumber("images_per_second_q3"),
                r.isMapped("code_version") ? cells.text("code_version") : UNKNOWN_CODE,
                new FitSummary(cells.optionalNumber("clean_train_top1"),
                        cells.optionalNumber("submodel_agreement"),
                        cells.optionalNumber("lowest_test_loss"),
                        r.isMapped("lowest_test_loss_epoch")
                                ? cells.number("lowest_test_loss_epoch").intValue() : 0),
                r.isMapped("init_from") ? r.get("init_from") : "");
    }

    /** Rows from before trained_epochs: a compute-budget baseline trained twice its epochs. */
    private static int legacyTrainedEpochs(Cells cells) {
        int epochs = cells.number("epochs").intValue();
        return cells.text("budget").equals("compute") && cells.text("method").equals("baseline")
                ? 2 * epochs : epochs;
    }

    private record Cells(CSVRecord record, Path file) {
        String text(String column) {
            String value = record.get(column);
            if (value.isBlank()) {
                throw invalid(column, value, "a value");
            }
            return value;
        }

        Double number(String column) {
            String value = record.get(column);
            try {
                return Double.valueOf(value);
            } catch (NumberFormatException e) {
                throw invalid(column, value, "a number");
            }
        }

        /** A number, NaN when the cell is empty or the column is not in the file. */
        double optionalNumber(String column) {
            return !record.isMapped(column) || record.get(column).isEmpty() ? Double.NaN
                    : number(column);
        }

        /** An accuracy: a complete run has one in [0, 1], never NaN. */
        double fraction(String column) {
            double value = number(column);
            if (!(value >= 0 && value <= 1)) {
                throw invalid(column, record.get(column), "an accuracy in [0, 1]; a row"
                        + " without one is no finished run");
            }
            return value;
        }

        Instant instant(String column) {
            String value = record.get(column);
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw invalid(column, value, "an ISO-8601 instant such as 2026-01-31T12:00:00Z");
            }
        }

        InvalidDataException invalid(String column, String value, String expected) {
            return new InvalidDataException(file + " line " + (record.getRecordNumber() + 1)
                    + ": " + column + " = '" + value + "' is invalid: expected " + expected);
        }
    }
}
