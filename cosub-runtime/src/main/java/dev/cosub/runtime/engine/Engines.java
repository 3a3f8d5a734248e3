package dev.cosub.runtime.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Loads DJL's PyTorch engine offline and resolves device names.
 *
 * <p>DJL downloads native libraries when it may; cosub never lets it, so a missing libtorch is
 * reported instead of fetched.
 */
public final class Engines {

    public static final String ENGINE_NAME = "PyTorch";

    private Engines() {}

    /** Returns the PyTorch engine, loaded with network access disabled. */
    public static Engine pytorch() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        try {
            return Engine.getEngine(ENGINE_NAME);
        } catch (RuntimeException | LinkageError e) {
            throw new EngineUnavailableException(
                    "The DJL PyTorch engine could not be loaded ("
                            + e.getMessage()
                            + "). cosub runs offline and does not download libtorch. Either keep"
                            + " ai.djl.pytorch:pytorch-native-cpu (classifier linux-x86_64) on the"
                            + " classpath, or point PYTORCH_LIBRARY_PATH at a local libtorch "
                            + "and set PYTORCH_VERSION and PYTORCH_FLAVOR (e.g. cpu, cu128) to"
                            + " match it.",
                    e);
        }
    }

    /**
     * Resolves a device name: {@code auto} (a GPU when the engine sees one, else the CPU), {@code
     * cpu}, {@code gpu} (the first GPU) or {@code gpu:N}.
     *
     * @throws IllegalArgumentException for an unknown name or a GPU that is not there
     */
    public static Device device(String name) {
        Engine engine = pytorch();
        String normalized = name == null ? "auto" : name.trim().toLowerCase(java.util.Locale.ROOT);
        int gpus = engine.getGpuCount();
        if (normalized.equals("auto")) {
            return gpus > 0 ? Device.gpu() : Device.cpu();
        }
        if (normalized.equals("cpu")) {
            return Device.cpu();
        }
        if (normalized.equals("gpu") || normalized.startsWith("gpu:")) {
            int index = 0;
            if (normalized.startsWith("gpu:")) {
                try {
                    index = Integer.parseInt(normalized.substring(4));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "device '" + name + "': expected gpu:N with N a GPU index", e);
                }
            }
            if (index < 0 || index >= gpus) {
                throw new IllegalArgumentException(
                        "device '"
                                + name
                                + "': the PyTorch engine sees "
                                + gpus
                                + " GPU(s). Use 'cpu' or 'auto', or provide a CUDA libtorch via"
                                + " PYTORCH_LIBRARY_PATH.");
            }
            return Device.gpu(index);
        }
        throw new IllegalArgumentException(
                "device '" + name + "': expected one of auto, cpu, gpu, gpu:N");
    }
}
