package dev.cosub.runtime.engine;

import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A training's share of the processors, kept while it runs: it registers in the machine's
 * {@link RunningTrainings} so that others see it, and, when the process that launched it left
 * the threads to it ({@value #SHARED_PROPERTY}), it sets libtorch's intra-op threads to the
 * processors divided among the trainings running, at least one, re-read at most every
 * {@value #CHECK_INTERVAL_SECONDS} seconds.
 *
 * <p>Why: two trainings that each run one thread per processor make every parallel operation
 * wait for a thread the other holds, and together do a fifth of the work one does alone. With a
 * share each, no thread waits for a processor. A thread count can change at any step; OpenMP's
 * wait policy cannot, so the launcher chooses that once, at start.
 */
public final class ThreadShare implements AutoCloseable {

    /** Set to {@code true} by a launcher that leaves the thread count to the training. */
    public static final String SHARED_PROPERTY = "cosub.threads.shared";
    /** The launcher's account of the native settings it chose, for the run's record. */
    public static final String CHOICE_PROPERTY = "cosub.native.choice";

    static final int CHECK_INTERVAL_SECONDS = 2;

    private final RunningTrainings registry;
    private final RunningTrainings.Registration registration;
    private final boolean follows;
    private final int processors;
    private final List<String> othersAtStart;
    private final long checkIntervalNanos;
    private final List<CpuSharing.ThreadChange> changes = new ArrayList<>();
    private int threads;
    private long lastCheck;

    ThreadShare(RunningTrainings registry, String description, boolean follows,
            long checkIntervalNanos) {
        this.registry = registry;
        this.registration = registry.register(description);
        this.follows = follows;
        this.processors = Runtime.getRuntime().availableProcessors();
        this.othersAtStart = registration.others();
        this.checkIntervalNanos = checkIntervalNanos;
        this.threads = follows ? JniUtils.getNumThreads() : 0;
        this.lastCheck = System.nanoTime() - checkIntervalNanos;
    }

    /**
     * Registers a training described by {@code description} (what another run's record will
     * name it by); its threads follow its share when this JVM was launched to do so.
     */
    public static ThreadShare start(RunningTrainings registry, String description) {
        return new ThreadShare(registry, description, Boolean.getBoolean(SHARED_PROPERTY),
                CHECK_INTERVAL_SECONDS * 1_000_000_000L);
    }

    /**
     * Takes this training's current share: called between steps, on the thread that trains
     * (OpenMP keeps the thread count per calling thread).
     *
     * @param epoch the epoch running (1-based)
     * @param step the steps of that epoch done
     * @return the change made, if the share changed
     */
    public Optional<CpuSharing.ThreadChange> adjust(int epoch, int step) {
        long now = System.nanoTime();
        if (!follows || now - lastCheck < checkIntervalNanos) {
            return Optional.empty();
        }
        lastCheck = now;
        int trainings = Math.max(1, registry.count());
        int share = Math.max(1, processors / trainings);
        if (share == threads) {
            return Optional.empty();
        }
        JniUtils.setNumThreads(share);
        threads = share;
        CpuSharing.ThreadChange change = new CpuSharing.ThreadChange(epoch, step, trainings,
                share);
        changes.add(change);
        return Optional.of(change);
    }

    /** What this training saw and did, so far. */
    public CpuSharing record() {
        return new CpuSharing(processors, othersAtStart, System.getProperty(CHOICE_PROPERTY),
                follows, changes);
    }

    @Override
    public void close() {
        registration.close();
    }
}
