package dev.cosub.runtime.data;

import java.time.Duration;

/**
 * How long a download may wait and how much an archive may unpack to.
 *
 * @param connectTimeoutSeconds how long to wait for the server to accept the connection
 * @param readTimeoutSeconds how long the server may stay silent before, or while, it sends
 * @param unpackLimitMiB how many MiB an archive may unpack to, so that a decompression bomb
 *     stops before it fills the disk
 */
public record DownloadLimits(int connectTimeoutSeconds, int readTimeoutSeconds,
        int unpackLimitMiB) {

    public static final int DEFAULT_CONNECT_TIMEOUT = 30;
    public static final int DEFAULT_READ_TIMEOUT = 60;
    /** 64 GiB: ImageNet-1k's training set is about 140 GB, most datasets far less. */
    public static final int DEFAULT_UNPACK_LIMIT = 65_536;
    /** 16 TiB. */
    public static final int MAX_UNPACK_LIMIT = 1 << 24;
    public static final int MAX_TIMEOUT = 3600;

    public static final DownloadLimits DEFAULT = new DownloadLimits(DEFAULT_CONNECT_TIMEOUT,
            DEFAULT_READ_TIMEOUT, DEFAULT_UNPACK_LIMIT);

    /**
     * @throws IllegalArgumentException naming the parameter and its range
     */
    public DownloadLimits {
        check("dataConnectTimeout", connectTimeoutSeconds, MAX_TIMEOUT, "seconds");
        check("dataReadTimeout", readTimeoutSeconds, MAX_TIMEOUT, "seconds");
        check("dataUnpackLimit", unpackLimitMiB, MAX_UNPACK_LIMIT, "MiB");
    }

    private static void check(String parameter, int value, int max, String unit) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(parameter + " = " + value + " is invalid:"
                    + " expected from 1 to " + max + " " + unit);
        }
    }

    Duration connectTimeout() {
        return Duration.ofSeconds(connectTimeoutSeconds);
    }

    Duration readTimeout() {
        return Duration.ofSeconds(readTimeoutSeconds);
    }

    long unpackLimitBytes() {
        return (long) unpackLimitMiB << 20;
    }
}
