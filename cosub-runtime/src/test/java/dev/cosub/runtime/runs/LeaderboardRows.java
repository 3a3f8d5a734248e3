package dev.cosub.runtime.runs;

import java.time.Instant;

/** Leaderboard rows of made-up runs, for the tests of the leaderboard and the comparison. */
public final class LeaderboardRows {

    private LeaderboardRows() {}

    public static LeaderboardRow row(String id, String architecture, String method, long seed,
            double top1, String configHash) {
        return row(id, architecture, method, "epochs", seed, top1, configHash,
                architecture + "-recipe");
    }

    /** A run of {@code recipeHash}, timed as the baseline or cosub of ViT-nano would be. */
    public static LeaderboardRow row(String id, String architecture, String method, String budget,
            long seed, double top1, String configHash, String recipeHash) {
        boolean cosub = method.equals("cosub");
        return new LeaderboardRow(id, Instant.parse("2026-11-28T10:00:00Z").plusSeconds(seed),
                "fashion-mnist", architecture, "nano", method, "simple", budget, seed, 3, 128,
                1e-3f, 0.1f, "mask", 0.5f, 10_000, 205_066, top1, 0.99, 0.25,
                cosub ? 121 : budget.equals("compute") ? 121 : 60.5, cosub ? 700 : 1400,
                cosub ? 9.38e10 : 9.14e10, "cpu()", "PyTorch 2.7.1", configHash, recipeHash,
                !cosub && budget.equals("compute") ? 6 : 3, cosub ? 650 : 1300,
                cosub ? 750 : 1500, "0.1.0@abcdef012345", LeaderboardRow.FitSummary.NONE, "");
    }

    /** {@code row} with other timings and code: its wall time, its rates and its code. */
    public static LeaderboardRow timed(LeaderboardRow r, double trainSeconds, double imagesPerSecond,
            String codeVersion) {
        return new LeaderboardRow(r.runId(), r.timestamp(), r.dataset(), r.architecture(),
                r.size(), r.method(), r.recipe(), r.budget(), r.seed(), r.epochs(),
                r.batchSize(), r.learningRate(), r.dropPath(), r.dropPathMode(), r.lambda(),
                r.trainImages(), r.parameters(), r.top1(), r.top5(), r.testLoss(), trainSeconds,
                imagesPerSecond, r.trainFlopsPerSecond(), r.device(), r.engineVersion(),
                r.configHash(), r.recipeHash(), r.trainedEpochs(), 0.9 * imagesPerSecond,
                1.1 * imagesPerSecond, codeVersion, r.fit(), r.initFrom());
    }

    /** {@code row} with another final test loss and fit summary. */
    public static LeaderboardRow fitted(LeaderboardRow r, double testLoss,
            LeaderboardRow.FitSummary fit) {
        return new LeaderboardRow(r.runId(), r.timestamp(), r.dataset(), r.architecture(),
                r.size(), r.method(), r.recipe(), r.budget(), r.seed(), r.epochs(),
                r.batchSize(), r.learningRate(), r.dropPath(), r.dropPathMode(), r.lambda(),
                r.trainImages(), r.parameters(), r.top1(), r.top5(), testLoss, r.trainSeconds(),
                r.imagesPerSecond(), r.trainFlopsPerSecond(), r.device(), r.engineVersion(),
                r.configHash(), r.recipeHash(), r.trainedEpochs(), r.imagesPerSecondQ1(),
                r.imagesPerSecondQ3(), r.codeVersion(), fit, r.initFrom());
    }

    /** {@code row} as a run of another cell of a map: its images, drop-path and recipe. */
    public static LeaderboardRow inCell(LeaderboardRow r, int trainImages, float dropPath) {
        return new LeaderboardRow(r.runId() + "-" + trainImages + "-" + dropPath, r.timestamp(),
                r.dataset(), r.architecture(), r.size(), r.method(), r.recipe(), r.budget(),
                r.seed(), r.epochs(), r.batchSize(), r.learningRate(), dropPath,
                r.dropPathMode(), r.lambda(), trainImages, r.parameters(), r.top1(), r.top5(),
                r.testLoss(), r.trainSeconds(), r.imagesPerSecond(), r.trainFlopsPerSecond(),
                r.device(), r.engineVersion(), r.configHash() + "-" + trainImages + "-" + dropPath,
                r.recipeHash() + "-" + trainImages + "-" + dropPath, r.trainedEpochs(),
                r.imagesPerSecondQ1(), r.imagesPerSecondQ3(), r.codeVersion(), r.fit(),
                r.initFrom());
    }

    /** {@code row} as a fine-tuning run started from {@code initFrom}: another recipe. */
    public static LeaderboardRow fineTuned(LeaderboardRow r, String initFrom) {
        return new LeaderboardRow(r.runId() + "-tuned", r.timestamp(), r.dataset(),
                r.architecture(), r.size(), r.method(), r.recipe(), r.budget(), r.seed(),
                r.epochs(), r.batchSize(), r.learningRate(), r.dropPath(), r.dropPathMode(),
                r.lambda(), r.trainImages(), r.parameters(), r.top1(), r.top5(), r.testLoss(),
                r.trainSeconds(), r.imagesPerSecond(), r.trainFlopsPerSecond(), r.device(),
                r.engineVersion(), r.configHash() + "-tuned", r.recipeHash() + "-tuned",
                r.trainedEpochs(), r.imagesPerSecondQ1(), r.imagesPerSecondQ3(), r.codeVersion(),
                r.fit(), initFrom);
    }
}
