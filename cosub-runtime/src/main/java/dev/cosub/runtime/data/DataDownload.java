package dev.cosub.runtime.data;

import dev.cosub.runtime.report.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Fetches a dataset archive once into a cache, checks its SHA-256 and unpacks it, so that every
 * later run finds it offline. The cache holds one folder per archive, named by its SHA-256; it
 * appears whole or not at all: the download and unpacking happen in a temporary folder beside
 * it, moved into place only once the hash matched and the archive unpacked.
 *
 * <p>Archives are recognised by their first bytes: {@code .tar.gz}/{@code .tgz}, {@code .tar}
 * and {@code .zip} are unpacked (Apache Commons Compress); anything else is kept as one file
 * named as in the address. When the archive holds a single folder, that folder is the data
 * directory.
 */
public final class DataDownload {

    private DataDownload() {}

    /** {@code ~/.cache/cosub/data}. */
    public static Path defaultCache() {
        return Path.of(System.getProperty("user.home"), ".cache", "cosub", "data");
    }

    /** Whether {@code sha256} is 64 hexadecimal digits. */
    public static void checkSha256(String sha256) {
        if (sha256 == null || !sha256.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("dataSha256 = " + sha256 + " is invalid: expected"
                    + " the archive's SHA-256, 64 hexadecimal digits (e.g. from sha256sum)");
        }
    }

    /** The data directory of the archive if it is in {@code cache} already, else null. */
    public static Path cached(String sha256, Path cache) {
        Path target = cache.resolve(sha256.toLowerCase(Locale.ROOT));
        return Files.isDirectory(target) ? dataRoot(target) : null;
    }

    /**
     * The data directory of the archive at {@code url} whose SHA-256 is {@code sha256}: from the
     * cache, or downloaded, checked and unpacked into it.
     *
     * @throws InvalidDataException when the download fails or its hash differs (with both
     *     hashes); nothing is left in the cache then
     */
    public static Path fetch(String url, String sha256, Path cache, Consumer<String> log) {
        checkSha256(sha256);
        String expected = sha256.toLowerCase(Locale.ROOT);
        Path done = cached(expected, cache);
        if (done != null) {
            log.accept("data: " + url + " is in the cache, " + done);
            return done;
        }
        URI address = parse(url);
        Path work = null;
        try {
            work = AtomicFiles.temporaryFolder(cache, ".download-");
            Path archive = work.resolve("archive");
            log.accept("data: downloading " + url + " into " + cache);
            long start = System.nanoTime();
            String found = download(address, archive);
            if (!found.equals(expected)) {
                throw new InvalidDataException("data: " + url + " has SHA-256 " + found
                        + " but dataSha256 is " + expected + ": not used, not kept. Check the"
                        + " address and the hash");
            }
            log.accept(String.format(Locale.ROOT, "data: %.1f MiB in %.1f s, SHA-256 matches",
                    Files.size(archive) / 1048576.0, (System.nanoTime() - start) / 1e9));
            Path content = work.resolve("content");
            unpack(archive, content, fileName(address));
            Path target = cache.resolve(expected);
            try {
                Files.move(content, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                log.accept("data: another process unpacked it first; using theirs");
            } catch (AtomicMoveNotSupportedException e) {
                throw new InvalidDataException("data: cannot move into " + target + " atomically"
                        + " (" + e.getMessage() + ")", e);
            }
            return dataRoot(target);
        } catch (IOException e) {
            throw new InvalidDataException("data: " + url + ": " + e, e);
        } finally {
            if (work != null) {
                deleteRecursively(work);
            }
        }
    }

    private static URI parse(String url) {
        try {
            URI address = URI.create(url);
            String scheme = String.valueOf(address.getScheme()).toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("scheme " + address.getScheme());
            }
            return address;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dataUrl = " + url + " is invalid: expected an"
                    + " http:// or https:// address of an archive", e);
        }
    }

    /** Downloads into {@code file} and returns the SHA-256 of what arrived. */
    private static String download(URI address, Path file) throws IOException {
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(HttpRequest.newBuilder(address).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        MessageDigest digest = Digests.sha256();
        try (InputStream body = new DigestInputStream(response.body(), digest)) {
            if (response.statusCode() != 200) {
                throw new InvalidDataException("data: " + address + " answered HTTP "
                        + response.statusCode() + ": expected 200 and the archive");
            }
            Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void unpack(Path archive, Path content, String name) throws IOException {
        Files.createDirectories(content);
        byte[] head;
        try (InputStream in = Files.newInputStream(archive)) {
            head = in.readNBytes(4);
        }
        boolean zip = head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3
                && head[3] == 4;
        if (zip) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(archive))) {
                extract(new ZipArchiveInputStream(in), content);
            }
            return;
        }
        boolean gzip = head.length >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B;
        boolean tar;
        try (InputStream in = open(archive, gzip)) {
            byte[] tarHead = in.readNBytes(262);
            tar = tarHead.length == 262 && new String(tarHead, 257, 5,
                    java.nio.charset.StandardCharsets.US_ASCII).equals("ustar");
        }
        if (!tar) {
            Files.copy(archive, content.resolve(name));
            return;
        }
        try (InputStream in = open(archive, gzip)) {
            extract(new TarArchiveInputStream(in), content);
        }
    }

    /** The archive's bytes, decompressed when {@code gzip}. */
    private static InputStream open(Path archive, boolean gzip) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(archive));
        try {
            return gzip ? new GzipCompressorInputStream(in) : in;
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    private static void extract(ArchiveInputStream<? extends ArchiveEntry> archive, Path content)
            throws IOException {
        Path root = content.toAbsolutePath().normalize();
        for (ArchiveEntry entry = archive.getNextEntry(); entry != null;
                entry = archive.getNextEntry()) {
            Path target = root.resolve(entry.getName()).normalize();
            if (!target.startsWith(root)) {
                throw new InvalidDataException("data: the archive's entry " + entry.getName()
                        + " points outside the folder it unpacks to; refused");
            }
            if (entry.isDirectory()) {
                Files.createDirectories(target);
            } else if (archive.canReadEntryData(entry)) {
                Files.createDirectories(target.getParent());
                Files.copy(archive, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The folder's only entry when that is a folder (an archive of one top folder). */
    private static Path dataRoot(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            List<Path> all = entries.toList();
            return all.size() == 1 && Files.isDirectory(all.get(0)) ? all.get(0) : folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fileName(URI address) {
        String path = address.getPath();
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        return name.isBlank() || name.startsWith(".") ? "data" : name;
    }

    private static void deleteRecursively(Path folder) {
        try {
            AtomicFiles.deleteTree(folder);
        } catch (IOException e) {
            // A temporary folder that cannot be removed is harmless: its name starts with a dot.
        }
    }

}
