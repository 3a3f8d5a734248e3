package dev.cosub.runtime.model;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The registry of architectures, by the names users type. */
public final class Architectures {

    private static final Map<String, Architecture> BY_NAME = new LinkedHashMap<>();

    static {
        register(new RegNetY());
        register(new VisionTransformer());
        register(new PoolingVisionTransformer());
        register(new CrossCovarianceImageTransformer());
        register(new SwinTransformer());
        register(new ConvNeXt());
    }

    private Architectures() {}

    private static void register(Architecture architecture) {
        BY_NAME.put(architecture.name(), architecture);
    }

    /** Names of all registered architectures. */
    public static Set<String> names() {
        return BY_NAME.keySet();
    }

    /**
     * Returns the architecture called {@code name}.
     *
     * @throws IllegalArgumentException naming the known architectures when there is none
     */
    public static Architecture byName(String name) {
        Architecture architecture =
                name == null ? null : BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
        if (architecture == null) {
            throw new IllegalArgumentException(
                    "unknown architecture '" + name + "': expected one of " + names());
        }
        return architecture;
    }
}
