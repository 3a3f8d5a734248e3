package dev.cosub.runtime.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Function;

/** The project's JSON files (run records, evaluations): pretty-printed, written atomically. */
public final class Json {

    /**
     * A number that is not finite (a test figure of an epoch that was not evaluated, the rate
     * of a run too short to time) is written as {@code null}, which every JSON reader accepts,
     * and read back as NaN.
     */
    private static final TypeAdapter<Double> NUMBERS = new TypeAdapter<>() {
        @Override
        public void write(JsonWriter out, Double value) throws IOException {
            if (value == null || !Double.isFinite(value)) {
                out.nullValue();
            } else {
                out.value(value);
            }
        }

        @Override
        public Double read(JsonReader in) throws IOException {
            if (in.peek() == com.google.gson.stream.JsonToken.NULL) {
                in.nextNull();
                return Double.NaN;
            }
            return in.nextDouble();
        }
    };

    private static final Gson COMPACT = new GsonBuilder()
            .registerTypeAdapter(Double.class, NUMBERS)
            .registerTypeAdapter(double.class, NUMBERS)
            .serializeNulls()
            .registerTypeHierarchyAdapter(Path.class, stringAdapter(Path::of))
            .registerTypeAdapter(Instant.class, stringAdapter(Instant::parse))
            .create();

    private static final Gson GSON = COMPACT.newBuilder().setPrettyPrinting().create();

    private Json() {}

    public static String toJson(Object value) {
        return GSON.toJson(value);
    }

    /** {@code value} on one line. */
    public static String toCompactJson(Object value) {
        return COMPACT.toJson(value);
    }

    public static <T> T fromJson(String json, Class<T> type) {
        return GSON.fromJson(json, type);
    }

    /** Writes {@code value} to {@code file} atomically. */
    public static void write(Object value, Path file) throws IOException {
        AtomicFiles.writeString(file, toJson(value) + "\n");
    }

    /**
     * Reads a {@code type} from {@code file}.
     *
     * @throws InvalidDataException naming the file when it is missing or not such JSON
     */
    public static <T> T read(Path file, Class<T> type) {
        try {
            T value = fromJson(Files.readString(file, StandardCharsets.UTF_8), type);
            if (value == null) {
                throw new InvalidDataException(file + " is empty: expected a JSON "
                        + type.getSimpleName());
            }
            return value;
        } catch (NoSuchFileException e) {
            throw new InvalidDataException(file + " does not exist", e);
        } catch (IOException e) {
            throw new InvalidDataException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new InvalidDataException(file + " is not a valid " + type.getSimpleName()
                    + " JSON file: " + e.getMessage(), e);
        }
    }

    private static <T> TypeAdapter<T> stringAdapter(Function<String, T> parse) {
        return new TypeAdapter<T>() {
            @Override
            public void write(JsonWriter out, T value) throws IOException {
                out.value(value.toString());
            }

            @Override
            public T read(JsonReader in) throws IOException {
                return parse.apply(in.nextString());
            }
        }.nullSafe();
    }
}
