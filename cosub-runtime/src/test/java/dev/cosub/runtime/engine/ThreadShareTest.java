package dev.cosub.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThreadShareTest {

    @TempDir
    Path directory;

    @Test
    void threadsFollowTheShareAsOtherTrainingsComeAndGo() {
        int processors = Runtime.getRuntime().availableProcessors();
        assumeTrue(processors >= 2, "a share smaller than all needs two processors");
        Engines.pytorch();
        int before = JniUtils.getNumThreads();
        RunningTrainings registry = new RunningTrainings(directory);
        try (ThreadShare share = new ThreadShare(registry, "vit-nano", true, 0)) {
            share.adjust(1, 16);
            assertEquals(processors, JniUtils.getNumThreads());
            try (RunningTrainings.Registration other = registry.register("convnext-nano")) {
                share.adjust(1, 32);
                assertEquals(processors / 2, JniUtils.getNumThreads());
                share.adjust(1, 48);
            }
            share.adjust(2, 16);
            assertEquals(processors, JniUtils.getNumThreads());

            CpuSharing record = share.record();
            assertEquals(processors, record.processors());
            assertEquals(List.of(), record.othersAtStart());
            List<CpuSharing.ThreadChange> changes = record.threadChanges();
            assertEquals(new CpuSharing.ThreadChange(1, 32, 2, processors / 2),
                    changes.get(changes.size() - 2));
            assertEquals(new CpuSharing.ThreadChange(2, 16, 1, processors),
                    changes.get(changes.size() - 1));
        } finally {
            JniUtils.setNumThreads(before);
        }
    }

    @Test
    void fixedThreadsStayAndTheOthersAtStartAreRecorded() {
        Engines.pytorch();
        int before = JniUtils.getNumThreads();
        RunningTrainings registry = new RunningTrainings(directory);
        try (RunningTrainings.Registration other = registry.register("swin-nano cosub seed 2");
                ThreadShare share = new ThreadShare(registry, "vit-nano", false, 0)) {
            share.adjust(1, 16);

            assertEquals(before, JniUtils.getNumThreads());
            CpuSharing record = share.record();
            assertFalse(record.threadsFollowShare());
            assertEquals(List.of("swin-nano cosub seed 2"), record.othersAtStart());
            assertEquals(List.of(), record.threadChanges());
            assertNull(record.nativeChoice(), "no launcher chose in this JVM");
        }
        assertEquals(0, registry.count());
    }
}
