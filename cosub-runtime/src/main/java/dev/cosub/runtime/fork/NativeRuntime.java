package dev.cosub.runtime.fork;

import dev.cosub.runtime.engine.ThreadShare;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The native runtime a training child starts with, chosen when it starts from what the machine
 * offers then. These settings are read when a process starts, so only a process cosub launches
 * itself can have them.
 *
 * <ul>
 *   <li>glibc's allocator keeps freed memory instead of returning big blocks to the kernel and
 *       faulting them back in at every step: the largest mmap threshold glibc accepts, no
 *       trimming, a large top pad ({@code NativeRuntimeSweep} in the benchmark suites measured
 *       these).
 *   <li>One inter-op thread (cosub runs no operations concurrently) and, unless the user fixed
 *       them, intra-op threads that follow the run's share of the processors while it trains
 *       ({@link ThreadShare}).
 *   <li>OpenMP's wait policy: its threads spin between operations when the run starts alone, and
 *       sleep at once ({@code OMP_WAIT_POLICY=PASSIVE}) when other cosub trainings run, so that
 *       they leave the processors to them. Spinning alone measured up to 20% faster on a
 *       Sapphire Rapids machine; spinning beside another training cost each 90% of its speed
 *       ({@code SharingBenchmark}).
 * </ul>
 *
 * Fixed threads leave everything to the user, as before this choice existed: that many threads
 * and OpenMP's default policy.
 *
 * @param threads the intra-op threads it starts with
 * @param followsShare whether those threads follow the run's share while it trains
 * @param passiveWait whether OpenMP's threads sleep as soon as they wait
 * @param why the choice in words, recorded in the run's {@code run.json}
 */
public record NativeRuntime(int threads, boolean followsShare, boolean passiveWait,
        String why) {

    /**
     * @param fixedThreads the threads the user asked for, or {@code null} to share
     * @param processors the processors this JVM may use
     * @param othersRunning the cosub trainings running on the machine now
     */
    public static NativeRuntime choose(Integer fixedThreads, int processors,
            int othersRunning) {
        if (fixedThreads != null) {
            return new NativeRuntime(fixedThreads, false, false, String.format(Locale.ROOT,
                    "threads = %d as configured, OpenMP's default wait policy (%s running at"
                            + " start)", fixedThreads, others(othersRunning)));
        }
        int share = Math.max(1, processors / (othersRunning + 1));
        if (othersRunning == 0) {
            return new NativeRuntime(share, true, false, String.format(Locale.ROOT,
                    "alone on %d processors: %d threads that spin between operations",
                    processors, share));
        }
        return new NativeRuntime(share, true, true, String.format(Locale.ROOT,
                "%s running on %d processors: %d threads that sleep when idle"
                        + " (OMP_WAIT_POLICY=PASSIVE)", others(othersRunning), processors,
                share));
    }

    private static String others(int count) {
        return count + " other cosub training" + (count == 1 ? "" : "s");
    }

    /** Environment variables of the child. */
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        // glibc refuses mmap thresholds above 32 MiB on 64-bit machines.
        environment.put("MALLOC_MMAP_THRESHOLD_", Integer.toString(32 << 20));
        environment.put("MALLOC_TRIM_THRESHOLD_", Long.toString(4L << 30));
        environment.put("MALLOC_TOP_PAD_", Integer.toString(256 << 20));
        // The starting team; libtorch may change it later (omp_set_num_threads).
        environment.put("OMP_NUM_THREADS", Integer.toString(threads));
        if (passiveWait) {
            environment.put("OMP_WAIT_POLICY", "PASSIVE");
        }
        return environment;
    }

    /** JVM arguments of the child. */
    public List<String> jvmArgs() {
        List<String> args = new ArrayList<>(List.of(
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=" + threads,
                "-Dai.djl.pytorch.num_interop_threads=1",
                // DJL logs through SLF4J; the child has no logging backend and needs none.
                "-Dslf4j.internal.verbosity=ERROR",
                "-Xss4m",
                "-D" + ThreadShare.CHOICE_PROPERTY + "=" + why));
        if (followsShare) {
            args.add("-D" + ThreadShare.SHARED_PROPERTY + "=true");
        }
        return args;
    }
}
