package dev.cosub.runtime.engine;

import java.util.List;

/**
 * How a training shared the machine's processors, for its record: a run that was slow because
 * it was not alone says so.
 *
 * @param processors the processors this JVM could use (Java counts its affinity mask and its
 *     cgroup CPU quota)
 * @param othersAtStart the other cosub trainings running when it started, e.g.
 *     {@code convnext-nano cosub seed 1 (pid 4242)}
 * @param nativeChoice the native settings it started with and why, as the process that
 *     launched it chose them; {@code null} when nobody chose (trained inside another program)
 * @param threadsFollowShare whether its libtorch threads followed its share of the processors
 *     while it ran ({@code false} when they were fixed)
 * @param threadChanges each change of its libtorch threads, in order
 */
public record CpuSharing(int processors, List<String> othersAtStart, String nativeChoice,
        boolean threadsFollowShare, List<ThreadChange> threadChanges) {

    public CpuSharing {
        othersAtStart = List.copyOf(othersAtStart);
        threadChanges = List.copyOf(threadChanges);
    }

    /**
     * One change of the libtorch threads.
     *
     * @param epoch the epoch it happened in (1-based)
     * @param step the step of that epoch after which it happened
     * @param trainings the cosub trainings running then, this one included
     * @param threads the libtorch intra-op threads from then on
     */
    public record ThreadChange(int epoch, int step, int trainings, int threads) {}
}
