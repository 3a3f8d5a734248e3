package dev.cosub.runtime.io;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Lower-case names for the enums users type on command lines and in POMs. */
public final class EnumNames {

    private EnumNames() {}

    /**
     * The constant of {@code type} named {@code name}, case-insensitively.
     *
     * @param what what the value is, for the error message (e.g. "method")
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String name, String what) {
        String normalized = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(normalized)) {
                return constant;
            }
        }
        String accepted = Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(" or "));
        throw new IllegalArgumentException(
                "unknown " + what + " '" + name + "': expected " + accepted);
    }
}
