package dev.cosub.cli;

import dev.cosub.runtime.model.DropPathMode;
import dev.cosub.runtime.model.DropPathSchedule;
import dev.cosub.runtime.train.Budget;
import dev.cosub.runtime.train.Method;
import dev.cosub.runtime.train.Recipe;
import dev.cosub.runtime.train.RunConfig;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The options that define a training configuration, named as the Maven plugin's parameters. An
 * option left out keeps {@link RunConfig.Builder}'s default, the same as the plugin's.
 */
final class RunOptions {

    @Option(names = "--architecture", paramLabel = "NAME",
            description = "regnet, vit, pit, xcit, swin or convnext (default: vit)")
    String architecture;

    @Option(names = "--size", description = "nano, or a published size, e.g. tiny (default: nano)")
    String size;

    @Option(names = "--method", description = "baseline or cosub (default: cosub)")
    String method;

    @Option(names = "--recipe", description = "simple or deit3 (default: simple)")
    String recipe;

    @Option(names = "--dataset",
            description = "fashion-mnist, mnist, cifar10, cifar100, folder or synthetic"
                    + " (default: fashion-mnist)")
    String dataset;

    @Option(names = "--dataDirectory", paramLabel = "DIR", description = "where the data is")
    Path dataDirectory;

    @Option(names = "--dataUrl", paramLabel = "URL",
            description = "download the data's archive once from here (needs --dataSha256)")
    String dataUrl;

    @Option(names = "--dataSha256", paramLabel = "HEX", description = "the archive's SHA-256")
    String dataSha256;

    @Option(names = "--dataCache", paramLabel = "DIR",
            description = "where downloads are kept (default: ~/.cache/cosub/data)")
    Path dataCache;

    @Option(names = "--dataConnectTimeout", paramLabel = "SECONDS",
            description = "how long a download waits for the server to accept (default: 30)")
    Integer dataConnectTimeout;

    @Option(names = "--dataReadTimeout", paramLabel = "SECONDS",
            description = "how long a download waits for the server to send (default: 60)")
    Integer dataReadTimeout;

    @Option(names = "--dataUnpackLimit", paramLabel = "MIB",
            description = "how much a downloaded archive may unpack to (default: 65536 MiB)")
    Integer dataUnpackLimit;

    @Option(names = "--imageSize", paramLabel = "PIXELS",
            description = "side of the images the network sees (default: the data's own)")
    Integer imageSize;

    @Option(names = "--normalization",
            description = "empty (the dataset's own), imagenet, or m1,m2,m3/s1,s2,s3")
    String normalization;

    @Option(names = "--dataThreads",
            description = "threads that decode and augment (default: half the cores)")
    Integer dataThreads;

    @Option(names = "--trainSubset", paramLabel = "N", description = "training images, 0 = all")
    Integer trainSubset;

    @Option(names = "--subsetSeed", paramLabel = "SEED", description = "seed that draws the"
            + " training subset (default: each run's seed; set it to train every seed on the same"
            + " images)")
    Long subsetSeed;

    @Option(names = "--epochs", description = "passes over the training images (default: 10)")
    Integer epochs;

    @Option(names = "--budget", description = "epochs or compute (default: epochs)")
    String budget;

    @Option(names = "--batchSize", description = "images per step (default: 128)")
    Integer batchSize;

    @Option(names = "--learningRate", description = "peak AdamW learning rate (default: 1e-3)")
    Float learningRate;

    @Option(names = "--weightDecay", description = "decoupled weight decay (default: 0.05)")
    Float weightDecay;

    @Option(names = "--warmupEpochs", description = "linear warm-up epochs (default: 1)")
    Integer warmupEpochs;

    @Option(names = "--dropPath", description = "stochastic-depth rate (default: 0.1)")
    Float dropPath;

    @Option(names = "--dropPathSchedule", description = "linear or uniform")
    String dropPathSchedule;

    @Option(names = "--dropPathMode", description = "mask or efficient (default: mask)")
    String dropPathMode;

    @Option(names = "--lambda", description = "cosub's weight of the label terms (default: 0.5)")
    Float lambda;

    @Option(names = "--evalEvery", description = "evaluate every N epochs (default: 1)")
    Integer evalEvery;

    @Option(names = "--seed", description = "seed of everything random (default: 0)")
    Long seed;

    @Option(names = "--device", description = "auto, cpu, gpu or gpu:N (default: auto)")
    String device;

    /** A builder with the options given; the others keep the builder's defaults. */
    RunConfig.Builder builder() {
        return applyTo(RunConfig.builder());
    }

    /** Sets on {@code b} the options that were given, leaving the others as they are. */
    RunConfig.Builder applyTo(RunConfig.Builder b) {
        if (architecture != null) b.architecture(architecture);
        if (size != null) b.size(size);
        if (method != null) b.method(Method.parse(method));
        if (recipe != null) b.recipe(Recipe.parse(recipe));
        if (dataset != null) b.dataset(dataset);
        if (dataDirectory != null) b.dataDirectory(dataDirectory);
        if (dataUrl != null) b.dataUrl(dataUrl);
        if (dataSha256 != null) b.dataSha256(dataSha256);
        if (dataCache != null) b.dataCache(dataCache);
        if (dataConnectTimeout != null) b.dataConnectTimeout(dataConnectTimeout);
        if (dataReadTimeout != null) b.dataReadTimeout(dataReadTimeout);
        if (dataUnpackLimit != null) b.dataUnpackLimit(dataUnpackLimit);
        if (normalization != null) b.normalization(normalization);
        if (imageSize != null) b.imageSize(imageSize);
        if (dataThreads != null) b.dataThreads(dataThreads);
        if (trainSubset != null) b.trainSubset(trainSubset);
        if (subsetSeed != null) b.subsetSeed(subsetSeed);
        if (epochs != null) b.epochs(epochs);
        if (budget != null) b.budget(Budget.parse(budget));
        if (batchSize != null) b.batchSize(batchSize);
        if (learningRate != null) b.learningRate(learningRate);
        if (weightDecay != null) b.weightDecay(weightDecay);
        if (warmupEpochs != null) b.warmupEpochs(warmupEpochs);
        if (dropPath != null) b.dropPath(dropPath);
        if (dropPathSchedule != null) b.dropPathSchedule(DropPathSchedule.parse(dropPathSchedule));
        if (dropPathMode != null) b.dropPathMode(DropPathMode.parse(dropPathMode));
        if (lambda != null) b.lambda(lambda);
        if (evalEvery != null) b.evalEvery(evalEvery);
        if (seed != null) b.seed(seed);
        if (device != null) b.device(device.trim().toLowerCase(Locale.ROOT));
        return b;
    }
}
