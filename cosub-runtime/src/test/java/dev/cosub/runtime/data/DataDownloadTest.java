package dev.cosub.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.cosub.runtime.io.InvalidDataException;
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
    /** How many requests get 503 Service Unavailable before the server answers. */
    private final AtomicInteger busyAnswers = new AtomicInteger();
    private static final DownloadLimits QUICK = new DownloadLimits(1, 1, 1);
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = served.get(exchange.getRequestURI().getPath());
            if (busyAnswers.getAndDecrement() > 0) {
                exchange.sendResponseHeaders(503, -1);
            } else if (body == null) {
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
        assertEquals(1, log.stream().filter(line -> line.contains("is in the cache")).count(),
                "said once, not at every look: " + log);
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
                () -> DataDownload.fetch(url("/a.tar.gz"), wrong, cache, DownloadLimits.DEFAULT, log::add));
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
                () -> DataDownload.fetch(url("/absent.zip"), "1".repeat(64), cache, DownloadLimits.DEFAULT, log::add));
        assertTrue(missing.getMessage().contains("HTTP 404"), missing.getMessage());
        IllegalArgumentException hash = assertThrows(IllegalArgumentException.class,
                () -> DataDownload.fetch(url("/x"), "abc", cache, DownloadLimits.DEFAULT, log::add));
        assertTrue(hash.getMessage().startsWith("dataSha256 = abc is invalid"),
                hash.getMessage());
        IllegalArgumentException scheme = assertThrows(IllegalArgumentException.class,
                () -> DataDownload.fetch("file:///etc/passwd", "1".repeat(64), cache, DownloadLimits.DEFAULT, log::add));
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
                () -> DataDownload.fetch(url("/evil.tar"), sha256(archive), cache, DownloadLimits.DEFAULT, log::add));
        assertTrue(e.getMessage().contains("../escaped.txt"), e.getMessage());
        assertTrue(Files.notExists(work.resolve("escaped.txt")));
        assertTrue(Files.notExists(cache.resolve("escaped.txt")));
    }

    @Test
    void aServerThatAcceptsAndNeverAnswersTimesOutAndLeavesNothing() throws Exception {
        Path cache = work.resolve("cache");
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 5,
                InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + silent.getLocalPort() + "/data.tar.gz";
            long start = System.nanoTime();
            InvalidDataException e = assertThrows(InvalidDataException.class,
                    () -> DataDownload.fetch(url, "1".repeat(64), cache, QUICK, log::add));
            assertEquals("data: cannot download " + url + ": the server sent nothing for 1 s"
                    + " (dataReadTimeout) (3 attempts)", e.getMessage());
            assertTrue(System.nanoTime() - start < 30e9, "bounded, not for ever");
        }
        assertEquals(2, log.stream().filter(line -> line.contains("trying again")).count(),
                log.toString());
        try (Stream<Path> entries = Files.list(cache)) {
            assertEquals(List.of(), entries.toList(), "no .download- folder is left");
        }
    }

    @Test
    void aClosedPortIsOneSentenceAndABusyServerIsTriedAgain() throws Exception {
        Path cache = work.resolve("cache");
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closed + "/x.tar";
        InvalidDataException refused = assertThrows(InvalidDataException.class,
                () -> DataDownload.fetch(url, "1".repeat(64), cache, QUICK, log::add));
        assertTrue(refused.getMessage().startsWith("data: cannot download " + url + ": the"
                + " connection to 127.0.0.1:" + closed + " was refused"), refused.getMessage());

        byte[] archive = cifarArchive();
        served.put("/cifar.tar.gz", archive);
        busyAnswers.set(2);
        Path data = DataDownload.fetch(url("/cifar.tar.gz"), sha256(archive), cache, QUICK,
                log::add);
        assertTrue(Files.isRegularFile(data.resolve("test_batch.bin")));
        assertEquals(3, requests.get(), "two 503 answers, then the archive");
    }

    @Test
    void linksAreRefusedByNameAndABombStopsAtTheLimit() throws Exception {
        Path cache = work.resolve("cache");
        ByteArrayOutputStream linked = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(linked)) {
            TarArchiveEntry link = new TarArchiveEntry("data/passwd",
                    TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        served.put("/linked.tar", linked.toByteArray());
        InvalidDataException link = assertThrows(InvalidDataException.class,
                () -> DataDownload.fetch(url("/linked.tar"), sha256(linked.toByteArray()), cache,
                        QUICK, log::add));
        assertEquals("data: the archive's entry data/passwd is a symbolic link to /etc/passwd;"
                + " archives with links are refused: expected plain files and folders",
                link.getMessage());

        // 3 MiB of zeros compress to a few KiB; the limit is 1 MiB.
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(
                new GzipCompressorOutputStream(bomb))) {
            TarArchiveEntry zeros = new TarArchiveEntry("zeros.bin");
            zeros.setSize(3 << 20);
            tar.putArchiveEntry(zeros);
            tar.write(new byte[3 << 20]);
            tar.closeArchiveEntry();
        }
        served.put("/bomb.tar.gz", bomb.toByteArray());
        InvalidDataException limit = assertThrows(InvalidDataException.class,
                () -> DataDownload.fetch(url("/bomb.tar.gz"), sha256(bomb.toByteArray()), cache,
                        QUICK, log::add));
        assertTrue(limit.getMessage().startsWith("data: the archive unpacks to more than"
                + " dataUnpackLimit = 1 MiB (at entry zeros.bin)"), limit.getMessage());
        try (Stream<Path> entries = Files.list(cache)) {
            assertEquals(List.of(), entries.toList(), "nothing kept");
        }
    }

    @Test
    void aDownloadThatIsNotTheArchiveItsNameSaysIsNotCached() throws Exception {
        byte[] html = "<html>not found</html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        served.put("/data.tar.gz", html);
        Path cache = work.resolve("cache");
        InvalidDataException e = assertThrows(InvalidDataException.class,
                () -> DataDownload.fetch(url("/data.tar.gz"), sha256(html), cache, QUICK,
                        log::add));
        assertTrue(e.getMessage().startsWith("data: the download data.tar.gz is not"
                + " gzip-compressed as its name says (it starts with bytes 3c68746d)"),
                e.getMessage());
        try (Stream<Path> entries = Files.list(cache)) {
            assertEquals(List.of(), entries.toList());
        }
    }

    @Test
    void limitsOutsideTheirRangesAreRefusedByName() {
        assertEquals("dataReadTimeout = 0 is invalid: expected from 1 to 3600 seconds",
                assertThrows(IllegalArgumentException.class,
                        () -> new DownloadLimits(30, 0, 10)).getMessage());
        assertEquals("dataUnpackLimit = -1 is invalid: expected from 1 to 16777216 MiB",
                assertThrows(IllegalArgumentException.class,
                        () -> new DownloadLimits(30, 60, -1)).getMessage());
    }
}
