package dev.cosub.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NormalizationTest {

    /** Evaluation passes a run's measured normalisation on as a setting: it must read back. */
    @Test
    void theSettingReadsBackAsTheSameNormalization() {
        Normalization measured = new Normalization(new float[] {0.4914f, 0.48216826f, 0.1f},
                new float[] {0.247f, 0.2435f, 0.26158848f});
        assertEquals("0.4914,0.48216826,0.1/0.247,0.2435,0.26158848", measured.setting());
        assertEquals(measured, Normalization.parse(measured.setting()));
    }
}
