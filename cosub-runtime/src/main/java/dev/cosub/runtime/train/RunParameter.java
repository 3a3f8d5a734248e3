package dev.cosub.runtime.train;

import dev.cosub.runtime.data.Datasets;
import dev.cosub.runtime.model.Architectures;
import dev.cosub.runtime.model.layers.DropPathMode;
import dev.cosub.runtime.model.layers.DropPathSchedule;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The parameters a user sets to define a training run, each declared here once: its name (the
 * plugin's parameter, the command's option, {@code -Dcosub.<name>}), its default, what it takes
 * and a one-line description. The command builds its options from this list, and a test holds
 * the plugin's parameters to it.
 */
public enum RunParameter {
    ARCHITECTURE("architecture", "vit", "NAME",
            "the network: " + String.join(", ", Architectures.names()),
            RunConfig.Builder::architecture),
    SIZE("size", "nano", "SIZE",
            "nano, micro (ViT and ConvNeXt), or a published size of the architecture, e.g."
                    + " tiny", RunConfig.Builder::size),
    METHOD("method", "cosub", "METHOD", "baseline or cosub",
            (b, v) -> b.method(Method.parse(v))),
    RECIPE("recipe", "simple", "RECIPE", "simple or deit3",
            (b, v) -> b.recipe(Recipe.parse(v))),
    DATASET("dataset", "fashion-mnist", "NAME", String.join(", ", Datasets.NAMES),
            RunConfig.Builder::dataset),
    DATA_DIRECTORY("dataDirectory", null, "DIR",
            "where the data is (default: the dataset's own folder, if it has one)",
            (b, v) -> b.dataDirectory(Path.of(v))),
    DATA_URL("dataUrl", null, "URL",
            "download the data's archive once from here (needs dataSha256)",
            RunConfig.Builder::dataUrl),
    DATA_SHA256("dataSha256", null, "HEX", "the archive's SHA-256",
            RunConfig.Builder::dataSha256),
    DATA_CACHE("dataCache", null, "DIR",
            "where downloads are kept (default: ~/.cache/cosub/data)",
            (b, v) -> b.dataCache(Path.of(v))),
    DATA_CONNECT_TIMEOUT("dataConnectTimeout", "30", "SECONDS",
            "how long a download waits for the server to accept",
            (b, v) -> b.dataConnectTimeout(whole("dataConnectTimeout", v))),
    DATA_READ_TIMEOUT("dataReadTimeout", "60", "SECONDS",
            "how long a download waits for the server to send",
            (b, v) -> b.dataReadTimeout(whole("dataReadTimeout", v))),
    DATA_UNPACK_LIMIT("dataUnpackLimit", "65536", "MIB",
            "how many MiB a downloaded archive may unpack to",
            (b, v) -> b.dataUnpackLimit(whole("dataUnpackLimit", v))),
    IMAGE_SIZE("imageSize", "0", "PIXELS",
            "side of the images the network sees; 0 keeps the data's own",
            (b, v) -> b.imageSize(whole("imageSize", v))),
    NORMALIZATION("normalization", null, "SETTING",
            "empty (the dataset's own), imagenet, or m1,m2,m3/s1,s2,s3",
            RunConfig.Builder::normalization),
    DATA_THREADS("dataThreads", "0", "N", "threads that decode and augment; 0 = half the cores",
            (b, v) -> b.dataThreads(whole("dataThreads", v))),
    TRAIN_SUBSET("trainSubset", "0", "N", "training images, 0 = all",
            (b, v) -> b.trainSubset(whole("trainSubset", v))),
    SUBSET_SEED("subsetSeed", null, "SEED", "seed that draws the training subset (default: each"
            + " run's seed; set it to train every seed on the same images)",
            (b, v) -> b.subsetSeed(wholeLong("subsetSeed", v))),
    EPOCHS("epochs", "10", "N", "passes over the training images",
            (b, v) -> b.epochs(whole("epochs", v))),
    BUDGET("budget", "epochs", "BUDGET", "epochs or compute",
            (b, v) -> b.budget(Budget.parse(v))),
    BATCH_SIZE("batchSize", "128", "N", "images per step",
            (b, v) -> b.batchSize(whole("batchSize", v))),
    LEARNING_RATE("learningRate", "0.001", "RATE", "peak AdamW learning rate",
            (b, v) -> b.learningRate(decimal("learningRate", v))),
    WEIGHT_DECAY("weightDecay", "0.05", "DECAY", "decoupled weight decay",
            (b, v) -> b.weightDecay(decimal("weightDecay", v))),
    WARMUP_EPOCHS("warmupEpochs", null, "N",
            "linear warm-up epochs (default: 1, none for a one-epoch run)",
            (b, v) -> b.warmupEpochs(whole("warmupEpochs", v))),
    DROP_PATH("dropPath", "0.1", "RATE", "stochastic-depth rate of the deepest block",
            (b, v) -> b.dropPath(decimal("dropPath", v))),
    DROP_PATH_SCHEDULE("dropPathSchedule", null, "SCHEDULE", "linear or uniform (default:"
            + " linear, uniform for ViT with the deit3 recipe)",
            (b, v) -> b.dropPathSchedule(DropPathSchedule.parse(v))),
    DROP_PATH_MODE("dropPathMode", "mask", "MODE", "mask or efficient",
            (b, v) -> b.dropPathMode(DropPathMode.parse(v))),
    LAMBDA("lambda", "0.5", "WEIGHT", "cosub's weight of the label terms",
            (b, v) -> b.lambda(decimal("lambda", v))),
    EVAL_EVERY("evalEvery", "1", "N", "evaluate every N epochs (and after the last)",
            (b, v) -> b.evalEvery(whole("evalEvery", v))),
    SEED("seed", "0", "SEED", "seed of everything random",
            (b, v) -> b.seed(wholeLong("seed", v))),
    DEVICE("device", "auto", "DEVICE", "auto, cpu, gpu or gpu:N",
            (b, v) -> b.device(v.trim().toLowerCase(Locale.ROOT))),
    INIT_FROM("initFrom", null, "PATH",
            "start from these weights: a run folder, a model folder written by cosub export or a"
                    + " .safetensors file with cosub's or timm's names, of the same architecture"
                    + " and size (a classifier of another class count is"
                    + " initialised afresh; default: the seed's random weights)",
            (b, v) -> b.initFrom(Path.of(v)));

    private final String parameterName;
    private final String defaultValue;
    private final String label;
    private final String description;
    private final BiConsumer<RunConfig.Builder, String> setter;

    RunParameter(String parameterName, String defaultValue, String label, String description,
            BiConsumer<RunConfig.Builder, String> setter) {
        this.parameterName = parameterName;
        this.defaultValue = defaultValue;
        this.label = label;
        this.description = description;
        this.setter = setter;
    }

    /** The name users type: {@code <name>} in a POM, {@code --name} on the command line. */
    public String parameterName() {
        return parameterName;
    }

    /** The default as a user would write it, or {@code null} where it depends on others. */
    public String defaultValue() {
        return defaultValue;
    }

    /** What the value is, in one word: {@code N}, {@code DIR}, {@code RATE}... */
    public String label() {
        return label;
    }

    /** One line: what it sets and the values it takes, with the default where there is one. */
    public String description() {
        return defaultValue == null ? description
                : description + " (default: " + defaultValue + ")";
    }

    /**
     * Sets {@code value} on {@code builder}.
     *
     * @throws IllegalArgumentException naming the parameter and the value, for a value it
     *     cannot take
     */
    public void apply(RunConfig.Builder builder, String value) {
        setter.accept(builder, value);
    }

    private static int whole(String name, String value) {
        return parsed(name, value, Integer::valueOf, "a whole number");
    }

    private static long wholeLong(String name, String value) {
        return parsed(name, value, Long::valueOf, "a whole number");
    }

    private static float decimal(String name, String value) {
        return parsed(name, value, Float::valueOf, "a number");
    }

    private static <T> T parsed(String name, String value, Function<String, T> parser,
            String expected) {
        try {
            return parser.apply(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " = '" + value + "' is invalid: expected "
                    + expected);
        }
    }
}
