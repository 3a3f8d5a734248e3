package dev.cosub.runtime.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/** Reads and writes {@link RunResult}s as JSON. */
public final class RunResultJson {

    private static final Gson GSON = new GsonBuilder()
            .setPrettyPrinting()
            .serializeSpecialFloatingPointValues()
            .registerTypeHierarchyAdapter(Path.class, stringAdapter(Path::of))
            .registerTypeAdapter(Instant.class, stringAdapter(Instant::parse))
            .create();

    private RunResultJson() {}

    public static String toJson(RunResult result) {
        return GSON.toJson(result);
    }

    public static RunResult fromJson(String json) {
        return GSON.fromJson(json, RunResult.class);
    }

    /** Writes {@code result} to {@code file} atomically: readers never see a partial file. */
    public static void write(RunResult result, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(temporary, toJson(result), StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static <T> TypeAdapter<T> stringAdapter(java.util.function.Function<String, T> parse) {
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
