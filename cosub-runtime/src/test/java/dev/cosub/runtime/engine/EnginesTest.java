package dev.cosub.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class EnginesTest {

    @Test
    void loadsPyTorchOffline() {
        assertEquals("PyTorch", Engines.pytorch().getEngineName());
        assertEquals("true", System.getProperty("ai.djl.offline"));
    }

    @Test
    void resolvesDeviceNames() {
        assertEquals(Device.cpu(), Engines.device("cpu"));
        assertEquals(Device.cpu(), Engines.device(" CPU "));
        Device auto = Engines.device("auto");
        int gpus = Engines.pytorch().getGpuCount();
        assertEquals(gpus > 0 ? Device.gpu() : Device.cpu(), auto);
    }

    @Test
    void refusesUnknownOrAbsentDevices() {
        String unknown = assertThrows(IllegalArgumentException.class, () -> Engines.device("tpu"))
                .getMessage();
        assertTrue(unknown.contains("tpu") && unknown.contains("gpu:N"), unknown);
        String absent = assertThrows(IllegalArgumentException.class, () -> Engines.device("gpu:99"))
                .getMessage();
        assertTrue(absent.contains("gpu:99") && absent.contains("GPU"), absent);
        assertThrows(IllegalArgumentException.class, () -> Engines.device("gpu:x"));
    }
}
