package dev.cosub.runtime.data;

import dev.cosub.runtime.io.InvalidDataException;
import dev.cosub.runtime.model.ImageShape;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Batches of images, read, augmented and normalised on worker threads ahead of the training
 * step: a bounded number of batches are prepared while the engine works on the current one, so
 * a folder larger than memory streams from disk.
 *
 * <p>A pass's order depends on the seed and the epoch alone, and each batch draws its crops,
 * flips and mixing from a generator seeded by the seed, the epoch and the batch's index: the
 * same seed gives the same batches whatever the number of threads and however they are timed.
 */
public final class Batches implements Iterator<Batch>, AutoCloseable {

    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

    private final ImageSource images;
    private final ImagePipeline pipeline;
    private final boolean training;
    private final int batchSize;
    private final long seed;
    private final int epoch;
    private final int[] order;
    private final ExecutorService workers;
    private final ArrayDeque<Future<Batch>> ahead = new ArrayDeque<>();
    /** One buffer per batch in flight and one for the batch the caller holds. */
    private final float[][] buffers;
    private final float[][] mixScratch;
    private final int batchCount;
    private int submitted;
    private int delivered;

    private Batches(ImageSource images, ImagePipeline pipeline, boolean training, int batchSize,
            long seed, int epoch, int[] order, int threads) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("data threads must be >= 1, got " + threads);
        }
        this.images = images;
        this.pipeline = pipeline;
        this.training = training;
        this.batchSize = batchSize;
        this.seed = seed;
        this.epoch = epoch;
        this.order = order;
        this.batchCount = count(order.length, batchSize);
        int inFlight = Math.min(threads + 1, Math.max(batchCount, 1));
        this.buffers = new float[inFlight + 1][];
        this.mixScratch = new float[inFlight + 1][];
        this.workers = Executors.newFixedThreadPool(Math.min(threads, inFlight), task -> {
            Thread thread = new Thread(task, "cosub-data-" + THREAD_NUMBER.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        while (submitted < batchCount && ahead.size() < inFlight) {
            submit();
        }
    }

    /**
     * Shuffled, augmented batches for training epoch {@code epoch} (0-based) of a seeded run,
     * prepared by {@code threads} workers.
     */
    public static Batches training(ImageSource images, ImagePipeline pipeline, int batchSize,
            long seed, int epoch, int threads) {
        int[] order = shuffled(images.count(), new Random(seed * 1_000_003L + epoch));
        return new Batches(images, pipeline, true, batchSize, seed, epoch, order, threads);
    }

    /** Batches in source order, centre-cropped without augmentation, for evaluation. */
    public static Batches evaluation(ImageSource images, ImagePipeline pipeline, int batchSize,
            int threads) {
        int[] order = new int[images.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return new Batches(images, pipeline, false, batchSize, 0, 0, order, threads);
    }

    /** Number of batches per pass, the last one possibly partial. */
    public static int count(int images, int batchSize) {
        return (images + batchSize - 1) / batchSize;
    }

    /** A Fisher-Yates permutation of 0..n-1. */
    static int[] shuffled(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /** The image indices in the order this pass visits them. */
    public int[] order() {
        return order.clone();
    }

    @Override
    public boolean hasNext() {
        return delivered < batchCount;
    }

    /**
     * The next batch. Its pixel array is reused by a later batch once the following call
     * returns: hand it to the engine before asking for another.
     *
     * @throws InvalidDataException naming the file of an image that cannot be decoded
     */
    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Future<Batch> head = ahead.removeFirst();
        if (submitted < batchCount) {
            submit();
        }
        try {
            Batch batch = head.get();
            delivered++;
            if (!hasNext()) {
                close();
            }
            return batch;
        } catch (ExecutionException e) {
            close();
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("preparing a batch failed", e.getCause());
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        }
    }

    /** Stops the workers; batches not taken are dropped. */
    @Override
    public void close() {
        workers.shutdownNow();
    }

    private void submit() {
        int index = submitted++;
        int slot = index % buffers.length;
        ahead.addLast(workers.submit(() -> prepare(index, slot)));
    }

    private Batch prepare(int index, int slot) {
        ImageShape shape = pipeline.output();
        int imageSize = shape.size();
        if (buffers[slot] == null) {
            buffers[slot] = new float[batchSize * imageSize];
        }
        float[] pixels = buffers[slot];
        int first = index * batchSize;
        int size = Math.min(batchSize, order.length - first);
        int[] labels = new int[size];
        float[] scratch = new float[imageSize];
        Random random = training ? new Random(batchSeed(seed, epoch, index)) : null;
        for (int b = 0; b < size; b++) {
            int image = order[first + b];
            labels[b] = images.label(image);
            Raster raster = images.read(image);
            if (training) {
                pipeline.training(raster, random, scratch, pixels, b * imageSize);
            } else {
                pipeline.evaluation(raster, scratch, pixels, b * imageSize);
            }
        }
        Mixing mixing = pipeline.augmentation().mixing();
        if (!training || !mixing.isActive()) {
            return new Batch(pixels, labels, size);
        }
        if (mixScratch[slot] == null) {
            mixScratch[slot] = new float[pixels.length];
        }
        return new Batch(pixels, labels, size,
                mixing.mix(pixels, mixScratch[slot], size, shape, random));
    }

    /** A batch's generator seed: the run's seed, the epoch and the batch, well mixed. */
    static long batchSeed(long seed, int epoch, int batch) {
        long z = (seed * 1_000_003L + epoch) * 0x9E3779B97F4A7C15L + batch;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
