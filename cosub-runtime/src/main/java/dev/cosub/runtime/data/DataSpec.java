package dev.cosub.runtime.data;

import java.nio.file.Path;

/**
 * Which data a run reads and how it is shaped.
 *
 * @param dataset the dataset's name (see {@link Datasets#NAMES})
 * @param directory where its files are; {@code null} for its default or the download
 * @param url where to download its archive from, or {@code null} (the default: offline)
 * @param sha256 the archive's SHA-256, required with {@code url}
 * @param cache where downloads are kept; {@code null} for {@link DataDownload#defaultCache}
 * @param imageSize the side of the square images the network sees; 0 for the data's own
 * @param normalization {@code null} for the dataset's own statistics (computed from the
 *     training images of a folder), {@code imagenet}, or {@code m1,m2,m3/s1,s2,s3}
 * @param trainSubset training images to keep (a seeded random subset), 0 for all
 * @param seed the seed of the subset
 * @param threads threads that decode and augment; 0 for {@link #defaultThreads}
 * @param download the timeouts and the unpacking limit of a download
 */
public record DataSpec(String dataset, Path directory, String url, String sha256, Path cache,
        int imageSize, String normalization, int trainSubset, long seed, int threads,
        DownloadLimits download) {

    public DataSpec {
        download = download == null ? DownloadLimits.DEFAULT : download;
    }

    /** With the default download limits. */
    public DataSpec(String dataset, Path directory, String url, String sha256, Path cache,
            int imageSize, String normalization, int trainSubset, long seed, int threads) {
        this(dataset, directory, url, sha256, cache, imageSize, normalization, trainSubset, seed,
                threads, DownloadLimits.DEFAULT);
    }

    /** Only a dataset and its directory; everything else by default. */
    public static DataSpec of(String dataset, Path directory) {
        return new DataSpec(dataset, directory, null, null, null, 0, null, 0, 0, 0);
    }

    /** Half the cores, at least one: the other half runs the engine. */
    public static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** The threads to use. */
    public int threadsOrDefault() {
        return threads > 0 ? threads : defaultThreads();
    }
}
