package dev.cosub.runtime.fork;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.engine.ThreadShare;
import org.junit.jupiter.api.Test;

class NativeRuntimeTest {

    @Test
    void aRunAloneTakesEveryProcessorAndSpins() {
        NativeRuntime alone = NativeRuntime.choose(null, 8, 0);

        assertEquals(8, alone.threads());
        assertTrue(alone.followsShare());
        assertFalse(alone.environment().containsKey("OMP_WAIT_POLICY"));
        assertEquals("8", alone.environment().get("OMP_NUM_THREADS"));
        assertTrue(alone.jvmArgs().contains("-Dai.djl.pytorch.num_threads=8"));
        assertTrue(alone.jvmArgs().contains("-D" + ThreadShare.SHARED_PROPERTY + "=true"));
        assertTrue(alone.why().startsWith("alone on 8 processors"), alone.why());
    }

    @Test
    void aRunBesideOthersTakesItsShareAndSleepsWhenIdle() {
        NativeRuntime third = NativeRuntime.choose(null, 8, 2);

        assertEquals(2, third.threads());
        assertEquals("PASSIVE", third.environment().get("OMP_WAIT_POLICY"));
        assertTrue(third.jvmArgs().contains("-D" + ThreadShare.CHOICE_PROPERTY + "="
                + third.why()));
        assertTrue(third.why().startsWith("2 other cosub trainings running on 8 processors"),
                third.why());
        assertEquals(1, NativeRuntime.choose(null, 2, 5).threads(), "at least one thread");
    }

    @Test
    void fixedThreadsLeaveEverythingToTheUser() {
        NativeRuntime fixed = NativeRuntime.choose(3, 2, 4);

        assertEquals(3, fixed.threads());
        assertFalse(fixed.followsShare());
        assertFalse(fixed.environment().containsKey("OMP_WAIT_POLICY"));
        assertFalse(fixed.jvmArgs().contains("-D" + ThreadShare.SHARED_PROPERTY + "=true"));
        assertTrue(fixed.why().startsWith("threads = 3 as configured"), fixed.why());
    }

    /** The build runs its test JVMs with the allocator of a training child (pom.xml). */
    @Test
    void testJvmsRunWithTheChildsAllocatorSettings() {
        NativeRuntime.choose(null, 2, 0).environment().forEach((name, value) -> {
            if (name.startsWith("MALLOC_")) {
                assertEquals(value, System.getenv(name), name + " in pom.xml's test settings");
            }
        });
    }
}
