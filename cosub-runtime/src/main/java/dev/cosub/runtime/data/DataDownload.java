package dev.cosub.runtime.data;

import dev.cosub.runtime.io.AtomicFiles;
import dev.cosub.runtime.io.Digests;
import dev.cosub.runtime.io.InvalidDataException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
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

    /** Tries of one download: the first, and two more after a transient failure. */
    static final int ATTEMPTS = 3;
    private static final long RETRY_PAUSE_MILLIS = 500;

    /** Cached folders already named in this process's log: said once, not at every look. */
    private static final Set<Path> ANNOUNCED = ConcurrentHashMap.newKeySet();

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
     * cache, or downloaded, checked and unpacked into it. A transient failure (no connection, no
     * answer within the read timeout, HTTP 5xx or 429) is tried again, {@value #ATTEMPTS}
     * times in all.
     *
     * @throws InvalidDataException in one sentence naming the address and the cause, when the
     *     download fails, its hash differs (with both hashes), it is not the archive its name
     *     says, or it unpacks to links or past {@code limits}; nothing is left in the cache then
     */
    public static Path fetch(String url, String sha256, Path cache, DownloadLimits limits,
            Consumer<String> log) {
        checkSha256(sha256);
        String expected = sha256.toLowerCase(Locale.ROOT);
        Path done = cached(expected, cache);
        if (done != null) {
            if (ANNOUNCED.add(done)) {
                log.accept("data: " + url + " is in the cache, " + done);
            }
            return done;
        }
        URI address = parse(url);
        Path work = null;
        try {
            work = AtomicFiles.temporaryFolder(cache, ".download-");
            Path archive = work.resolve("archive");
            log.accept("data: downloading " + url + " into " + cache);
            long start = System.nanoTime();
            String found = downloadWithRetries(address, archive, limits, log);
            if (!found.equals(expected)) {
                throw new InvalidDataException("data: " + url + " has SHA-256 " + found
                        + " but dataSha256 is " + expected + ": not used, not kept. Check the"
                        + " address and the hash");
            }
            log.accept(String.format(Locale.ROOT, "data: %.1f MiB in %.1f s, SHA-256 matches",
                    Files.size(archive) / 1048576.0, (System.nanoTime() - start) / 1e9));
            Path content = work.resolve("content");
            unpack(archive, content, fileName(address), limits.unpackLimitBytes());
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

    /**
     * {@link #download}, tried again after a transient failure.
     *
     * @throws InvalidDataException naming the address and the last cause
     */
    private static String downloadWithRetries(URI address, Path file, DownloadLimits limits,
            Consumer<String> log) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return download(address, file, limits);
            } catch (TransientFailure e) {
                if (attempt == ATTEMPTS) {
                    throw new InvalidDataException("data: cannot download " + address + ": "
                            + e.getMessage() + " (" + ATTEMPTS + " attempts)", e);
                }
                log.accept("data: " + e.getMessage() + "; trying again (" + (attempt + 1) + " of "
                        + ATTEMPTS + ")");
                try {
                    Thread.sleep(RETRY_PAUSE_MILLIS * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", interrupted);
                }
            }
        }
    }

    /** A failure that may not happen again: a refused or silent connection, a busy server. */
    private static final class TransientFailure extends IOException {
        TransientFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Downloads into {@code file} and returns the SHA-256 of what arrived. The JDK's
     * {@link HttpURLConnection} bounds both the connection and every read, so a server that
     * accepts and then says nothing cannot hang the build.
     */
    private static String download(URI address, Path file, DownloadLimits limits)
            throws IOException {
        HttpURLConnection connection = (HttpURLConnection) address.toURL().openConnection();
        connection.setConnectTimeout((int) limits.connectTimeout().toMillis());
        connection.setReadTimeout((int) limits.readTimeout().toMillis());
        connection.setInstanceFollowRedirects(true);
        try {
            int status;
            try {
                status = connection.getResponseCode();
            } catch (SocketTimeoutException e) {
                throw new TransientFailure(timeoutCause(e, limits), e);
            } catch (ConnectException e) {
                throw new TransientFailure("the connection to " + address.getHost() + ":"
                        + port(address) + " was refused (" + e.getMessage() + ")", e);
            } catch (UnknownHostException e) {
                throw new InvalidDataException("data: cannot download " + address + ": the host "
                        + e.getMessage() + " is unknown (no network, or a mistyped address)", e);
            }
            if (status >= 500 || status == 429) {
                throw new TransientFailure("the server answered HTTP " + status, null);
            }
            if (status != 200) {
                throw new InvalidDataException("data: " + address + " answered HTTP " + status
                        + ": expected 200 and the archive");
            }
            MessageDigest digest = Digests.sha256();
            try (InputStream body = new DigestInputStream(connection.getInputStream(), digest)) {
                Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
            } catch (SocketTimeoutException e) {
                throw new TransientFailure(timeoutCause(e, limits) + " while sending the"
                        + " archive", e);
            }
            return HexFormat.of().formatHex(digest.digest());
        } finally {
            connection.disconnect();
        }
    }

    private static String timeoutCause(SocketTimeoutException e, DownloadLimits limits) {
        boolean connecting = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT)
                .contains("connect");
        return connecting
                ? "no connection within " + limits.connectTimeoutSeconds()
                        + " s (dataConnectTimeout)"
                : "the server sent nothing for " + limits.readTimeoutSeconds()
                        + " s (dataReadTimeout)";
    }

    private static int port(URI address) {
        return address.getPort() > 0 ? address.getPort()
                : "https".equalsIgnoreCase(address.getScheme()) ? 443 : 80;
    }

    private static void unpack(Path archive, Path content, String name, long limit)
            throws IOException {
        Files.createDirectories(content);
        byte[] head;
        try (InputStream in = Files.newInputStream(archive)) {
            head = in.readNBytes(4);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        boolean zip = head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3
                && head[3] == 4;
        if (zip) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(archive))) {
                extract(new ZipArchiveInputStream(in), content, limit);
            }
            return;
        }
        if (lower.endsWith(".zip")) {
            throw notWhatItsNameSays(name, "a zip archive", head);
        }
        boolean gzip = head.length >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B;
        if (!gzip && (lower.endsWith(".gz") || lower.endsWith(".tgz"))) {
            throw notWhatItsNameSays(name, "gzip-compressed", head);
        }
        boolean tar;
        try (InputStream in = open(archive, gzip)) {
            byte[] tarHead = in.readNBytes(262);
            tar = tarHead.length == 262 && new String(tarHead, 257, 5,
                    java.nio.charset.StandardCharsets.US_ASCII).equals("ustar");
        }
        if (!tar) {
            if (lower.endsWith(".tar") || lower.endsWith(".tar.gz") || lower.endsWith(".tgz")) {
                throw notWhatItsNameSays(name, "a tar archive", head);
            }
            // Not an archive and not named as one: one data file, kept under its name.
            Files.copy(archive, content.resolve(name));
            return;
        }
        try (InputStream in = open(archive, gzip)) {
            extract(new TarArchiveInputStream(in), content, limit);
        }
    }

    private static InvalidDataException notWhatItsNameSays(String name, String expected,
            byte[] head) {
        return new InvalidDataException("data: the download " + name + " is not " + expected
                + " as its name says (it starts with bytes " + HexFormat.of().formatHex(head)
                + "): not used, not kept. Check the address");
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

    /**
     * Writes the archive's files under {@code content}, refusing entries that would land outside
     * it, links of either kind (a link's target is outside the archive's control), and content
     * past {@code limit} bytes.
     */
    private static void extract(ArchiveInputStream<? extends ArchiveEntry> archive, Path content,
            long limit) throws IOException {
        Path root = content.toAbsolutePath().normalize();
        long written = 0;
        for (ArchiveEntry entry = archive.getNextEntry(); entry != null;
                entry = archive.getNextEntry()) {
            Path target = root.resolve(entry.getName()).normalize();
            if (!target.startsWith(root)) {
                throw new InvalidDataException("data: the archive's entry " + entry.getName()
                        + " points outside the folder it unpacks to; refused");
            }
            String link = link(entry);
            if (link != null) {
                throw new InvalidDataException("data: the archive's entry " + entry.getName()
                        + " is " + link + "; archives with links are refused: expected plain"
                        + " files and folders");
            }
            if (entry.isDirectory()) {
                Files.createDirectories(target);
            } else if (archive.canReadEntryData(entry)) {
                Files.createDirectories(target.getParent());
                written = copyWithin(archive, target, written, limit, entry.getName());
            }
        }
    }

    /** What kind of link {@code entry} is, with its target, or {@code null} for none. */
    private static String link(ArchiveEntry entry) {
        if (entry instanceof TarArchiveEntry tar) {
            if (tar.isSymbolicLink()) {
                return "a symbolic link to " + tar.getLinkName();
            }
            if (tar.isLink()) {
                return "a hard link to " + tar.getLinkName();
            }
        }
        if (entry instanceof ZipArchiveEntry zip && zip.isUnixSymlink()) {
            return "a symbolic link";
        }
        return null;
    }

    /** Copies one entry, failing once everything unpacked so far passes {@code limit}. */
    private static long copyWithin(InputStream in, Path target, long written, long limit,
            String entry) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(target)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                written += n;
                if (written > limit) {
                    throw new InvalidDataException(String.format(Locale.ROOT, "data: the archive"
                            + " unpacks to more than dataUnpackLimit = %d MiB (at entry %s);"
                            + " stopped, nothing kept. Raise dataUnpackLimit if the data is"
                            + " really this large", limit >> 20, entry));
                }
                out.write(buffer, 0, n);
            }
        }
        return written;
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
