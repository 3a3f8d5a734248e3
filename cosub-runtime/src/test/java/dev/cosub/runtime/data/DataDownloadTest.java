package dev.cosub.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from an HTTP server the test starts on the loopback address. */
class DataDownloadTest {

    @TempDir
    Path work;

    private HttpServer server;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = served.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** CIFAR-10's files as the distribution packs them: a .tar.gz of one folder. */
    private byte[] cifarArchive() throws IOException {
        Path files = CifarFilesTest.cifar10(Files.createDirectories(work.resolve("source")));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(
                new GzipCompressorOutputStream(bytes));
                Stream<Path> walk = Files.walk(files.resolve("cifar-10-batches-bin"))) {
            for (Path file : walk.sorted().toList()) {
                String name = files.relativize(file).toString() + (Files.isDirectory(file)
                        ? "/" : "");
                TarArchiveEntry entry = new TarArchiveEntry(file.toFile(), name);
                tar.putArchiveEntry(entry);
                if (Files.isRegularFile(file)) {
                    Files.copy(file, tar);
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void anArchiveIsFetchedOnceCheckedAndUnpacked() throws Exception {
        byte[] archive = cifarArchive();
        served.put("/cifar-10-binary.tar.gz", archive);
        Path cache = work.resolve("cache");
        DataSpec spec = new DataSpec("cifar10", null, url("/cifar-10-binary.tar.gz"),
                sha256(archive), cache, 0, null, 0, 0, 1);

        ImageDataset data = Datasets.load(spec, log::add);
        assertEquals(15, data.train().count());
        assertEquals(1, requests.get());
        Path unpacked = cache.resolve(sha256(archive)).resolve("cifar-10-batches-bin");
        assertTrue(Files.isRegularFile(unpacked.resolve("test_batch.bin")));

        // Offline from now on: the server is gone, the cache answers.
        server.stop(0);
        Datasets.checkAvailable(spec, log::add);
        assertEquals(15, Datasets.load(spec, log::add).train().count());
        assertEquals(1, requests.get());
        assertTrue(String.join("\n", log).contains("in the cache"), log.toString());
        try (Stream<Path> entries = Files.list(cache)) {
            assertEquals(List.of(cache.resolve(sha256(archive))), entries.toList(),
                    "no temporary folder is left behind");
        }
    }

    @Test
    void aHashMismatchIsRefusedWithBothHashesAndNothingIsKept() throws Exception {
        byte[] archive = cifarArchive();
        served.put("/a.tar.gz", archive);
        Path cache = work.resolve("cache");
        String wrong = "0".repeat(64);
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> DataDownload.fetch(url("/a.tar.gz"), wrong, cache, log::add));
        assertTrue(e.getMessage().contains(sha256(archive)) && e.getMessage().contains(wrong),
                e.getMessage());
        try (Stream<Path> entries = Files.list(cache)) {
            assertEquals(List.of(), entries.toList());
        }
    }

    @Test
    void httpErrorsAndBadSettingsAreClear() throws Exception {
        Path cache = work.resolve("cache");
        InvalidDataException missing = assertThrows(InvalidDataException.class,
                () -> DataDownload.fetch(url("/absent.zip"), "1".repeat(64), cache, log::add));
        assertTrue(missing.getMessage().contains("HTTP 404"), missing.getMessage());
        IllegalArgumentException hash = assertThrows(IllegalArgumentException.class,
                () -> DataDownload.fetch(url("/x"), "abc", cache, log::add));
        assertTrue(hash.getMessage().startsWith("dataSha256 = abc is invalid"),
                hash.getMessage());
        IllegalArgumentException scheme = assertThrows(IllegalArgumentException.class,
                () -> DataDownload.fetch("file:///etc/passwd", "1".repeat(64), cache, log::add));
        assertTrue(scheme.getMessage().startsWith("dataUrl = file:///etc/passwd is invalid"),
                scheme.getMessage());
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> Datasets.load(new DataSpec("cifar10", work, url("/x"), "1".repeat(64),
                        cache, 0, null, 0, 0, 1), log::add));
        assertTrue(both.getMessage().contains("are both set"), both.getMessage());
    }

    @Test
    void anEntryEscapingTheFolderIsRefused() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry entry = new TarArchiveEntry("../escaped.txt");
            entry.setSize(2);
            tar.putArchiveEntry(entry);
            tar.write(new byte[] {'h', 'i'});
            tar.closeArchiveEntry();
        }
        byte[] archive = bytes.toByteArray();
        served.put("/evil.tar", archive);
        Path cache = work.resolve("cache");
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> DataDownload.fetch(url("/evil.tar"), sha256(archive), cache, log::add));
        assertTrue(e.getMessage().contains("../escaped.txt"), e.getMessage());
        assertTrue(Files.notExists(work.resolve("escaped.txt")));
        assertTrue(Files.notExists(cache.resolve("escaped.txt")));
    }
}
