package dev.cosub.runtime.fork;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The native runtime a training child starts with. These settings are read when a process
 * starts, so only a process cosub launches itself can have them. They come from
 * {@code NativeRuntimeSweep} in the benchmark suites, which trains the same run under each
 * candidate in turn; rerun it on a new kind of machine.
 *
 * <ul>
 *   <li>glibc's allocator keeps freed memory instead of returning big blocks to the kernel and
 *       faulting them back in at every step: the largest mmap threshold glibc accepts, no
 *       trimming, a large top pad.
 *   <li>One OpenMP thread and one libtorch intra-op thread per core, one inter-op thread (cosub
 *       runs no operations concurrently). OpenMP keeps its default wait policy: sleeping at once
 *       ({@code OMP_WAIT_POLICY=PASSIVE}) measured 20% slower, since every small operation then
 *       wakes its threads.
 * </ul>
 */
public final class NativeRuntime {

    private NativeRuntime() {}

    /** Environment variables of a child that trains with {@code threads} intra-op threads. */
    public static Map<String, String> environment(int threads) {
        Map<String, String> environment = new LinkedHashMap<>();
        // glibc refuses mmap thresholds above 32 MiB on 64-bit machines.
        environment.put("MALLOC_MMAP_THRESHOLD_", Integer.toString(32 << 20));
        environment.put("MALLOC_TRIM_THRESHOLD_", Long.toString(4L << 30));
        environment.put("MALLOC_TOP_PAD_", Integer.toString(256 << 20));
        environment.put("OMP_NUM_THREADS", Integer.toString(threads));
        return environment;
    }

    /** JVM arguments of such a child. */
    public static List<String> jvmArgs(int threads) {
        return List.of(
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=" + threads,
                "-Dai.djl.pytorch.num_interop_threads=1",
                // DJL logs through SLF4J; the child has no logging backend and needs none.
                "-Dslf4j.internal.verbosity=ERROR",
                "-Xss4m");
    }
}
