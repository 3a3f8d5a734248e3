package dev.cosub.runtime.train;

import dev.cosub.runtime.data.DataDownload;
import dev.cosub.runtime.data.DataSpec;
import dev.cosub.runtime.data.Datasets;
import dev.cosub.runtime.data.DownloadLimits;
import dev.cosub.runtime.data.Normalization;
import dev.cosub.runtime.loss.Criterion;
import dev.cosub.runtime.model.Architectures;
import dev.cosub.runtime.model.layers.DropPathMode;
import dev.cosub.runtime.model.layers.DropPathSchedule;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything that defines a training run. Invalid values are refused when the configuration is
 * built, with a message naming the parameter, the value and what is expected.
 *
 * @param architecture registered architecture name, e.g. {@code vit}
 * @param size the architecture's size, e.g. {@code nano}
 * @param method baseline or cosub
 * @param criterion the loss on labels (cosub needs BCE)
 * @param recipe augmentation and targets around the method: simple or deit3
 * @param dataset dataset name
 * @param dataDirectory where the dataset's files are; {@code null} for its default
 * @param dataUrl where to download the dataset's archive from when it is not in the cache;
 *     {@code null} (the default) never downloads
 * @param dataSha256 the archive's SHA-256, required with {@code dataUrl}
 * @param dataCache where downloaded archives are unpacked; {@code null} for
 *     {@code ~/.cache/cosub/data}
 * @param dataConnectTimeout seconds a download waits for its server to accept the connection
 *     ({@code null}, in records from before it existed: the default)
 * @param dataReadTimeout seconds a download waits for its server to send (likewise)
 * @param dataUnpackLimit MiB a downloaded archive may unpack to (likewise)
 * @param imageSize the side of the square images the network sees, 0 for the data's own
 * @param normalization per-channel normalisation: {@code null} for the dataset's own,
 *     {@code imagenet}, or {@code m1,m2,m3/s1,s2,s3}
 * @param dataThreads threads that decode and augment images, 0 for half the cores
 * @param trainSubset number of training images to use (seeded random subset), 0 for all
 * @param subsetSeed the seed that draws that subset; {@code null} (the default) for the run's
 *     seed, so that each seed of a comparison trains on its own subset and the interval over
 *     seeds covers the choice of images too; set it to hold the subset fixed across seeds
 * @param epochs passes over the training images (see {@link #trainedEpochs})
 * @param budget what a comparison holds equal: epochs, or compute (the baseline then trains
 *     twice the epochs); always epochs for cosub, which trains the same either way
 * @param batchSize images per step (cosub runs each twice)
 * @param learningRate peak learning rate of AdamW
 * @param weightDecay decoupled weight decay, applied to weights only
 * @param warmupEpochs epochs of linear warm-up before the cosine decay
 * @param dropPath stochastic-depth rate of the deepest block
 * @param dropPathSchedule how the rate is spread over depth (default: linear, or uniform for
 *     ViT with the deit3 recipe)
 * @param dropPathMode whether a dropped row's branch is computed and zeroed or skipped
 * @param lambda cosub's weight of the label terms against the co-training terms
 * @param gradientClipNorm maximum global gradient norm, 0 to disable clipping
 * @param seed seeds weights, data order, augmentation and drop-path masks
 * @param evalEvery evaluate on the test images every this many epochs (and after the last)
 * @param device auto, cpu, gpu or gpu:N
 * @param initFrom the weights to start from: a run folder, a model folder written by
 *     {@code cosub export} or a safetensors file with cosub's or timm's names; {@code null} (the default) starts from the seed's random weights.
 *     A classifier of another class count is initialised afresh
 * @param initFromSha256 the SHA-256 of those weights, which names them in the configuration
 *     hash; filled in from {@code initFrom} when the configuration is built
 */
public record RunConfig(
        String architecture,
        String size,
        Method method,
        Criterion criterion,
        Recipe recipe,
        String dataset,
        Path dataDirectory,
        String dataUrl,
        String dataSha256,
        Path dataCache,
        Integer dataConnectTimeout,
        Integer dataReadTimeout,
        Integer dataUnpackLimit,
        int imageSize,
        String normalization,
        int dataThreads,
        int trainSubset,
        Long subsetSeed,
        int epochs,
        Budget budget,
        int batchSize,
        float learningRate,
        float weightDecay,
        int warmupEpochs,
        float dropPath,
        DropPathSchedule dropPathSchedule,
        DropPathMode dropPathMode,
        float lambda,
        float gradientClipNorm,
        long seed,
        int evalEvery,
        String device,
        Path initFrom,
        String initFromSha256) {

    /**
     * The largest image side: over twice the largest the published recipes train at (ViTs at
     * 224-448); a batch of 256 such colour images already holds 3 GB of pixels.
     */
    public static final int MAX_IMAGE_SIZE = 1024;
    /** The longest training: ten times the longest the cosub paper reports (800 epochs). */
    public static final int MAX_EPOCHS = 10_000;
    /** The largest batch: the largest that large-batch ViT training publishes (LAMB, 32k). */
    public static final int MAX_BATCH_SIZE = 32_768;
    /** The most threads of one kind a run may ask for; a machine with more cores is rare. */
    public static final int MAX_THREADS = 256;

    public RunConfig {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(criterion, "criterion");
        Objects.requireNonNull(recipe, "recipe");
        Objects.requireNonNull(budget, "budget");
        // cosub trains the same under both budgets: one configuration, one run.
        budget = method == Method.COSUB ? Budget.EPOCHS : budget;
        Objects.requireNonNull(dropPathSchedule, "dropPathSchedule");
        Objects.requireNonNull(dropPathMode, "dropPathMode");
        architecture = Architectures.byName(architecture).name();
        if (!Architectures.byName(architecture).sizes().contains(size)) {
            throw new IllegalArgumentException(
                    "size '" + size + "' is not a size of " + architecture + ": expected one of "
                            + Architectures.byName(architecture).sizes());
        }
        dataset = Datasets.canonical(dataset);
        dataUrl = blankToNull(dataUrl);
        dataSha256 = blankToNull(dataSha256);
        normalization = blankToNull(normalization);
        if (dataUrl != null) {
            DataDownload.checkSha256(dataSha256);
        }
        // Records written before these settings existed have none.
        dataConnectTimeout = Objects.requireNonNullElse(dataConnectTimeout,
                DownloadLimits.DEFAULT_CONNECT_TIMEOUT);
        dataReadTimeout = Objects.requireNonNullElse(dataReadTimeout,
                DownloadLimits.DEFAULT_READ_TIMEOUT);
        dataUnpackLimit = Objects.requireNonNullElse(dataUnpackLimit,
                DownloadLimits.DEFAULT_UNPACK_LIMIT);
        new DownloadLimits(dataConnectTimeout, dataReadTimeout, dataUnpackLimit);
        require(imageSize == 0 || imageSize >= 8 && imageSize <= MAX_IMAGE_SIZE, "imageSize",
                imageSize, "0 (the images' own size) or from 8 to " + MAX_IMAGE_SIZE + " pixels");
        Normalization.parse(normalization);
        require(dataThreads >= 0 && dataThreads <= MAX_THREADS, "dataThreads", dataThreads,
                "0 (half the cores) or up to " + MAX_THREADS);
        require(trainSubset >= 0, "trainSubset", trainSubset, "0 (all) or a positive count");
        // Without a subset there is nothing to draw: the same run, one hash.
        subsetSeed = trainSubset == 0 ? null : subsetSeed;
        require(epochs >= 1 && epochs <= MAX_EPOCHS, "epochs", epochs,
                "from 1 to " + MAX_EPOCHS);
        require(batchSize >= 1 && batchSize <= MAX_BATCH_SIZE, "batchSize", batchSize,
                "from 1 to " + MAX_BATCH_SIZE);
        require(learningRate > 0 && Float.isFinite(learningRate), "learningRate", learningRate,
                "a positive number");
        require(weightDecay >= 0 && Float.isFinite(weightDecay), "weightDecay", weightDecay,
                ">= 0");
        require(warmupEpochs >= 0 && warmupEpochs < epochs, "warmupEpochs", warmupEpochs,
                "from 0 to epochs - 1 (" + (epochs - 1) + ")");
        require(dropPath >= 0 && dropPath < 1, "dropPath", dropPath, "a rate in [0, 1)");
        require(lambda >= 0 && lambda <= 1, "lambda", lambda, "a weight in [0, 1]");
        require(evalEvery >= 1, "evalEvery", evalEvery,
                "at least 1 (the last epoch is always evaluated)");
        require(gradientClipNorm >= 0 && Float.isFinite(gradientClipNorm), "gradientClipNorm",
                gradientClipNorm, ">= 0 (0 disables clipping)");
        if (recipe == Recipe.DEIT3 && criterion != Criterion.BCE) {
            throw new IllegalArgumentException("criterion '" + criterion + "' cannot be used"
                    + " with recipe deit3, whose binarised mixed targets need bce");
        }
        if (method == Method.COSUB && criterion != Criterion.BCE) {
            throw new IllegalArgumentException(
                    "criterion '" + criterion + "' cannot be used with method cosub, which is"
                            + " defined with bce");
        }
        device = device == null ? "auto" : device;
        initFromSha256 = initFrom == null ? null
                : initFromSha256 != null ? initFromSha256 : InitFrom.sha256(initFrom);
    }

    /** Which data this run reads and how it is shaped. */
    public DataSpec dataSpec() {
        return new DataSpec(dataset, dataDirectory, dataUrl, dataSha256, dataCache, imageSize,
                normalization, trainSubset, trainSubsetSeed(), dataThreads,
                new DownloadLimits(dataConnectTimeout, dataReadTimeout, dataUnpackLimit));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The seed that draws the training subset: {@code subsetSeed}, or else the run's seed. */
    public long trainSubsetSeed() {
        return subsetSeed != null ? subsetSeed : seed;
    }

    /** The epochs this run trains: twice {@code epochs} for a baseline under the compute budget. */
    public int trainedEpochs() {
        return budget.epochs(method, epochs);
    }

    /** The warm-up epochs it trains, stretched like its epochs. */
    public int trainedWarmupEpochs() {
        return budget.epochs(method, warmupEpochs);
    }

    private static void require(boolean ok, String parameter, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(
                    parameter + " = " + value + " is invalid: expected " + expected);
        }
    }

    /** A builder with the project's defaults: ViT-nano, cosub, Fashion-MNIST. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder()
                .architecture(architecture).size(size).method(method).criterion(criterion)
                .recipe(recipe).dataset(dataset).dataDirectory(dataDirectory).dataUrl(dataUrl)
                .dataSha256(dataSha256).dataCache(dataCache)
                .dataConnectTimeout(dataConnectTimeout).dataReadTimeout(dataReadTimeout)
                .dataUnpackLimit(dataUnpackLimit).imageSize(imageSize)
                .normalization(normalization).dataThreads(dataThreads).trainSubset(trainSubset)
                .subsetSeed(subsetSeed).epochs(epochs).budget(budget).batchSize(batchSize).learningRate(learningRate)
                .weightDecay(weightDecay).warmupEpochs(warmupEpochs).dropPath(dropPath)
                .dropPathSchedule(dropPathSchedule).dropPathMode(dropPathMode).lambda(lambda)
                .gradientClipNorm(gradientClipNorm).seed(seed).evalEvery(evalEvery)
                .device(device).initFrom(initFrom, initFromSha256);
    }

    /** Builds a {@link RunConfig}; every setter has a sensible default. */
    public static final class Builder {
        private String architecture = "vit";
        private String size = "nano";
        private Method method = Method.COSUB;
        private Criterion criterion = Criterion.BCE;
        private Recipe recipe = Recipe.SIMPLE;
        private String dataset = "fashion-mnist";
        private Path dataDirectory;
        private String dataUrl;
        private String dataSha256;
        private Path dataCache;
        private int dataConnectTimeout = DownloadLimits.DEFAULT_CONNECT_TIMEOUT;
        private int dataReadTimeout = DownloadLimits.DEFAULT_READ_TIMEOUT;
        private int dataUnpackLimit = DownloadLimits.DEFAULT_UNPACK_LIMIT;
        private int imageSize;
        private String normalization;
        private int dataThreads;
        private int trainSubset;
        private Long subsetSeed;
        private int epochs = 10;
        private Budget budget = Budget.EPOCHS;
        private int batchSize = 128;
        private float learningRate = 1e-3f;
        private float weightDecay = 0.05f;
        // Unset: one warm-up epoch when there is more than one epoch.
        private Integer warmupEpochs;
        private float dropPath = 0.1f;
        // Unset: uniform for ViT with the deit3 recipe, else linear.
        private DropPathSchedule dropPathSchedule;
        private DropPathMode dropPathMode = DropPathMode.MASK;
        private float lambda = 0.5f;
        private float gradientClipNorm = 1f;
        private long seed;
        private int evalEvery = 1;
        private String device = "auto";
        private Path initFrom;
        private String initFromSha256;

        public Builder architecture(String value) { architecture = value; return this; }
        public Builder size(String value) { size = value; return this; }
        public Builder method(Method value) { method = value; return this; }
        public Builder criterion(Criterion value) { criterion = value; return this; }
        public Builder recipe(Recipe value) { recipe = value; return this; }
        public Builder dataset(String value) { dataset = value; return this; }
        public Builder dataDirectory(Path value) { dataDirectory = value; return this; }
        public Builder dataUrl(String value) { dataUrl = value; return this; }
        public Builder dataSha256(String value) { dataSha256 = value; return this; }
        public Builder dataCache(Path value) { dataCache = value; return this; }
        public Builder dataConnectTimeout(int value) { dataConnectTimeout = value; return this; }
        public Builder dataReadTimeout(int value) { dataReadTimeout = value; return this; }
        public Builder dataUnpackLimit(int value) { dataUnpackLimit = value; return this; }
        public Builder imageSize(int value) { imageSize = value; return this; }
        public Builder normalization(String value) { normalization = value; return this; }
        public Builder dataThreads(int value) { dataThreads = value; return this; }
        public Builder trainSubset(int value) { trainSubset = value; return this; }
        /** {@code null}: the run's seed draws the subset. */
        public Builder subsetSeed(Long value) { subsetSeed = value; return this; }
        public Builder epochs(int value) { epochs = value; return this; }
        public Builder budget(Budget value) { budget = value; return this; }
        public Builder batchSize(int value) { batchSize = value; return this; }
        public Builder learningRate(float value) { learningRate = value; return this; }
        public Builder weightDecay(float value) { weightDecay = value; return this; }
        public Builder warmupEpochs(int value) { warmupEpochs = value; return this; }
        public Builder dropPath(float value) { dropPath = value; return this; }
        public Builder dropPathSchedule(DropPathSchedule value) { dropPathSchedule = value; return this; }
        public Builder dropPathMode(DropPathMode value) { dropPathMode = value; return this; }
        public Builder lambda(float value) { lambda = value; return this; }
        public Builder gradientClipNorm(float value) { gradientClipNorm = value; return this; }
        public Builder seed(long value) { seed = value; return this; }
        public Builder evalEvery(int value) { evalEvery = value; return this; }
        public Builder device(String value) { device = value; return this; }
        /** The weights to start from; their SHA-256 is read when the configuration is built. */
        public Builder initFrom(Path value) { return initFrom(value, null); }

        /** Weights whose SHA-256 is already known, as a record holds them. */
        Builder initFrom(Path value, String sha256) {
            initFrom = value;
            initFromSha256 = sha256;
            return this;
        }

        public RunConfig build() {
            DropPathSchedule schedule = dropPathSchedule != null ? dropPathSchedule
                    : recipe == Recipe.DEIT3 && "vit".equalsIgnoreCase(String.valueOf(architecture)
                            .trim()) ? DropPathSchedule.UNIFORM : DropPathSchedule.LINEAR;
            return new RunConfig(architecture, size, method, criterion, recipe, dataset,
                    dataDirectory, dataUrl, dataSha256, dataCache, dataConnectTimeout,
                    dataReadTimeout, dataUnpackLimit, imageSize, normalization,
                    dataThreads, trainSubset, subsetSeed, epochs, budget, batchSize, learningRate, weightDecay,
                    warmupEpochs != null ? warmupEpochs : Math.min(1, Math.max(0, epochs - 1)),
                    dropPath, schedule, dropPathMode, lambda, gradientClipNorm, seed,
                    evalEvery, device, initFrom, initFromSha256);
        }
    }
}
