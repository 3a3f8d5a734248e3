package dev.cosub.runtime.goals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cosub.runtime.train.RunConfig;
import org.junit.jupiter.api.Test;

class InterruptionTest {

    @Test
    void anInterruptionSaysWhereTheRunStoodAndHowToResume() {
        Interruption interruption = new Interruption(System.err);
        assertEquals(null, interruption.message(), "no run trains");
        RunConfig config = RunConfig.builder().epochs(5).build();
        interruption.started(config);
        try {
            assertEquals("cosub: interrupted vit-nano cosub seed 0 before its first checkpoint;"
                    + " run the same command to start it again", interruption.message());
            interruption.see("epoch 2/5: train loss 0.5, test top-1 80.00%");
            assertEquals("cosub: interrupted vit-nano cosub seed 0 before its first checkpoint;"
                    + " run the same command to start it again", interruption.message(),
                    "an epoch reported but not yet saved is not there to resume from");
            interruption.see("checkpoint of epoch 2 of 5 written to /out/resume.ckpt");
            assertEquals("cosub: interrupted vit-nano cosub seed 0; it has a checkpoint of epoch 2"
                    + " of 5: run the same command to resume from there", interruption.message());
        } finally {
            interruption.finished();
        }
        assertEquals(null, interruption.message());
    }
}
