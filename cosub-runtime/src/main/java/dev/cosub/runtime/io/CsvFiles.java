package dev.cosub.runtime.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/** The project's CSV files: RFC 4180 with a header row, '\n' line ends, written atomically. */
public final class CsvFiles {

    private CsvFiles() {}

    /** Replaces {@code file} with {@code header} and {@code rows}. */
    public static void write(Path file, List<String> header, List<? extends List<?>> rows)
            throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder()
                .setHeader(header.toArray(String[]::new))
                .setRecordSeparator('\n')
                .get();
        AtomicFiles.write(file, out -> {
            OutputStreamWriter writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            CSVPrinter printer = new CSVPrinter(writer, format);
            for (List<?> row : rows) {
                printer.printRecord(row);
            }
            printer.flush();
        });
    }

    /**
     * Reads the records of a CSV file whose header must be exactly {@code header}.
     *
     * @param what what the file should be, for messages (e.g. "a cosub leaderboard")
     * @throws InvalidDataException naming the file and both headers when they differ
     */
    public static List<CSVRecord> read(Path file, List<String> header, String what) {
        return read(file, header, List.of(), what);
    }

    /**
     * Reads the records of a CSV file whose header is {@code header} or one of
     * {@code olderHeaders}, which files written by earlier versions have; each record is read
     * by column name, and a column an older header lacks is not mapped.
     *
     * @throws InvalidDataException naming the file and the headers when it has none of them
     */
    public static List<CSVRecord> read(Path file, List<String> header,
            List<List<String>> olderHeaders, String what) {
        CSVFormat format = CSVFormat.DEFAULT.builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .get();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.parse(withoutByteOrderMark(reader), format)) {
            List<String> found = parser.getHeaderNames();
            if (!found.equals(header) && !olderHeaders.contains(found)) {
                throw new InvalidDataException(file + " is not " + what + ": its header is "
                        + found + " but " + what + " has " + header
                        + "; move the file away or choose another output directory");
            }
            List<CSVRecord> records = parser.getRecords();
            for (CSVRecord record : records) {
                if (record.size() != found.size()) {
                    throw new InvalidDataException(file + " line " + (record.getRecordNumber() + 1)
                            + " has " + record.size() + " columns, expected " + found.size());
                }
            }
            return records;
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new InvalidDataException("cannot read " + file + " as " + what + ": "
                    + e.getMessage(), e);
        }
    }

    /** Skips the byte-order mark that some editors and spreadsheets put first. */
    private static Reader withoutByteOrderMark(BufferedReader reader) throws IOException {
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
        return reader;
    }

    /** A number with a fixed count of decimals, independent of the default locale. */
    public static String fixed(double value, int decimals) {
        return Double.isFinite(value)
                ? String.format(Locale.ROOT, "%." + decimals + "f", value)
                : "";
    }
}
