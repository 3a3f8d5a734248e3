package dev.cosub.maven;

import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.RunParameter;
import java.io.File;
import java.lang.reflect.Field;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The parameters that define a training configuration ({@link RunParameter}'s, each a field of
 * the same name), for the goals that train a configuration or find its run.
 */
abstract class ConfiguredMojo extends CosubMojo {

    /**
     * Architecture to train: {@code regnet} (RegNetY), {@code vit}, {@code pit}, {@code xcit},
     * {@code swin} or {@code convnext}.
     */
    @Parameter(property = "cosub.architecture", defaultValue = "vit")
    protected String architecture;

    /**
     * Size of the architecture: {@code nano} (every architecture; for 28x28 and 32x32 images) or
     * a published configuration for 224x224 images: {@code 200mf} (regnet), {@code tiny} and
     * {@code small} (vit), {@code tiny} (pit, swin, convnext), {@code nano12} (xcit). ViT also
     * has DeiT III's LayerScale ViT, the one the cosub paper trains: {@code deit3-nano} (small
     * images), {@code deit3-tiny}, {@code deit3-small} and {@code deit3-base}.
     */
    @Parameter(property = "cosub.size", defaultValue = "nano")
    protected String size;

    /** {@code baseline} (stochastic depth alone) or {@code cosub} (submodel co-training). */
    @Parameter(property = "cosub.method", defaultValue = "cosub")
    protected String method;

    /**
     * The recipe around the method: {@code simple} (padded random crop, flip where the data
     * allows, BCE on one-hot labels) or {@code deit3}, the one cosub builds on (3-Augment, Mixup
     * 0.8 or CutMix 1.0 per batch, binarised BCE targets, uniform drop-path for ViT).
     */
    @Parameter(property = "cosub.recipe", defaultValue = "simple")
    protected String recipe;

    /**
     * Dataset: {@code fashion-mnist}, {@code mnist} (IDX files), {@code cifar10},
     * {@code cifar100} (their binary distributions), {@code folder} (your images:
     * {@code train/<class>/*.png|jpg|jpeg} and {@code val/<class>/...} or {@code test/}) or
     * {@code synthetic}.
     */
    @Parameter(property = "cosub.dataset", defaultValue = "fashion-mnist")
    protected String dataset;

    /**
     * Directory with the dataset's files: the IDX files (gzipped or not), CIFAR's {@code .bin}
     * files (or the folder holding {@code cifar-10-batches-bin}/{@code cifar-100-binary}), or
     * an image folder's {@code train/} and {@code val/}. Default: where the Debian package
     * installs Fashion-MNIST, {@code /usr/share/datasets/fashion-mnist}; the other datasets have
     * none.
     */
    @Parameter(property = "cosub.dataDirectory")
    protected File dataDirectory;

    /**
     * An http(s) address of the dataset's archive ({@code .tar.gz}, {@code .tar}, {@code .zip})
     * to download once into {@code dataCache} instead of {@code dataDirectory}; needs
     * {@code dataSha256}. Unset (the default), nothing is downloaded.
     */
    @Parameter(property = "cosub.dataUrl")
    protected String dataUrl;

    /** The SHA-256 of the archive at {@code dataUrl}; a download that differs is refused. */
    @Parameter(property = "cosub.dataSha256")
    protected String dataSha256;

    /** Where downloaded archives are kept, unpacked; default {@code ~/.cache/cosub/data}. */
    @Parameter(property = "cosub.dataCache")
    protected File dataCache;

    /** Seconds a download waits for its server to accept the connection. */
    @Parameter(property = "cosub.dataConnectTimeout", defaultValue = "30")
    protected int dataConnectTimeout;

    /**
     * Seconds a download waits for its server to send, before the answer and between its
     * parts; a silent server fails the download (after two more tries) instead of hanging it.
     */
    @Parameter(property = "cosub.dataReadTimeout", defaultValue = "60")
    protected int dataReadTimeout;

    /**
     * MiB a downloaded archive may unpack to; unpacking stops past it, so that a decompression
     * bomb cannot fill the disk.
     */
    @Parameter(property = "cosub.dataUnpackLimit", defaultValue = "65536")
    protected int dataUnpackLimit;

    /**
     * The side of the square images the network sees; 0 keeps the data's own size (28 for
     * Fashion-MNIST, 32 for CIFAR, the images' size for a folder whose images share one).
     * Training crops at random (a shifted crop under 64 pixels, a random-resized crop above);
     * evaluation resizes the shorter side and keeps the centre.
     */
    @Parameter(property = "cosub.imageSize", defaultValue = "0")
    protected int imageSize;

    /**
     * Per-channel normalisation: empty for the dataset's own statistics (measured on 1,000
     * training images of a folder), {@code imagenet}, or {@code m1,m2,m3/s1,s2,s3} in [0, 1]
     * pixel units.
     */
    @Parameter(property = "cosub.normalization")
    protected String normalization;

    /** Threads that decode and augment images ahead of the training step; 0: half the cores. */
    @Parameter(property = "cosub.dataThreads", defaultValue = "0")
    protected int dataThreads;

    /** Number of training images to use, a seeded random subset; 0 uses them all. */
    @Parameter(property = "cosub.trainSubset", defaultValue = "0")
    protected int trainSubset;

    /**
     * The seed that draws the training subset. Unset: each run's own seed, so each seed trains on
     * its own subset; set it to train every seed on the same images.
     */
    @Parameter(property = "cosub.subsetSeed")
    protected Long subsetSeed;

    /** Passes over the training images. */
    @Parameter(property = "cosub.epochs", defaultValue = "10")
    protected int epochs;

    /**
     * What the comparison holds equal: {@code epochs} (both methods train {@code epochs}) or
     * {@code compute} (the baseline trains twice the epochs and warm-up, as many rows forward and
     * backward as cosub; cosub trains the same under both).
     */
    @Parameter(property = "cosub.budget", defaultValue = "epochs")
    protected String budget;

    /** Images per step; cosub runs each image through two submodels. */
    @Parameter(property = "cosub.batchSize", defaultValue = "128")
    protected int batchSize;

    /** Peak learning rate of AdamW, reached after the warm-up and decayed by a cosine. */
    @Parameter(property = "cosub.learningRate", defaultValue = "0.001")
    protected float learningRate;

    /** Decoupled weight decay, applied to weights only (not to norms, biases or embeddings). */
    @Parameter(property = "cosub.weightDecay", defaultValue = "0.05")
    protected float weightDecay;

    /** Epochs of linear warm-up; default one epoch when there are several, else none. */
    @Parameter(property = "cosub.warmupEpochs")
    protected Integer warmupEpochs;

    /** Stochastic-depth rate of the deepest residual block, in [0, 1). */
    @Parameter(property = "cosub.dropPath", defaultValue = "0.1")
    protected float dropPath;

    /**
     * How the drop-path rate spreads over depth: {@code linear} (0 at the first block to
     * {@code dropPath} at the last) or {@code uniform}. Default: linear, or uniform for ViT with
     * the deit3 recipe. XCiT always uses its own (the same rate on every XCA block, none on its
     * class-attention blocks), and so do the ViT {@code deit3-*} sizes (the same rate on every
     * block).
     */
    @Parameter(property = "cosub.dropPathSchedule")
    protected String dropPathSchedule;

    /**
     * How dropped rows skip their residual branches: {@code mask} (compute the branch for every
     * row, then zero the dropped ones) or {@code efficient} (run each branch on its kept rows
     * only, the same function at a fraction of the cost; branches holding BatchNorm, as in
     * RegNetY, still run every row so that their batch statistics do not change).
     */
    @Parameter(property = "cosub.dropPathMode", defaultValue = "mask")
    protected String dropPathMode;

    /**
     * Evaluate on the test images every this many epochs; the last epoch is always evaluated.
     * Evaluation takes a large share of a short run.
     */
    @Parameter(property = "cosub.evalEvery", defaultValue = "1")
    protected int evalEvery;

    /** cosub's weight of the label terms against the co-training terms, in [0, 1]. */
    @Parameter(property = "cosub.lambda", defaultValue = "0.5")
    protected float lambda;

    /** Seed of the weights, data order, augmentation, drop-path masks and training subset. */
    @Parameter(property = "cosub.seed", defaultValue = "0")
    protected long seed;

    /** Where to train: {@code auto} (a GPU when DJL sees one), {@code cpu}, {@code gpu}, {@code gpu:N}. */
    @Parameter(property = "cosub.device", defaultValue = "auto")
    protected String device;

    /**
     * The weights to start from, to fine-tune: a run folder, or a model folder written by
     * {@code cosub:export}, of the same architecture and size. A classifier trained for another
     * number of classes is initialised afresh (the log says so); any other parameter whose
     * shape differs is refused, named with both shapes. The weights' SHA-256 is part of the
     * configuration hash and of {@code run.json}. Default: the seed's random weights.
     */
    @Parameter(property = "cosub.initFrom")
    protected File initFrom;

    /**
     * The configuration these parameters define: every field named after a
     * {@link RunParameter} and set (or defaulted) is applied the way the command applies its
     * option, so that both front ends read a parameter alike.
     */
    protected RunConfig.Builder builder() {
        RunConfig.Builder builder = RunConfig.builder();
        for (RunParameter parameter : RunParameter.values()) {
            Object value = valueOf(parameter.parameterName());
            if (value != null) {
                parameter.apply(builder, value instanceof File file ? file.getPath()
                        : String.valueOf(value));
            }
        }
        return builder;
    }

    private Object valueOf(String parameter) {
        try {
            Field field = ConfiguredMojo.class.getDeclaredField(parameter);
            return field.get(this);
        } catch (NoSuchFieldException | IllegalAccessException e) {
            throw new IllegalStateException("the plugin has no parameter " + parameter, e);
        }
    }

    protected RunConfig config() {
        return builder().build();
    }
}
