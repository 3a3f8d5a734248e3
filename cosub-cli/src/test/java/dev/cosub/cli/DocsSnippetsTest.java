package dev.cosub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.cosub.runtime.goals.Goals;
import dev.cosub.runtime.runs.Provenance;
import dev.cosub.runtime.runs.RunFolder;
import dev.cosub.runtime.runs.RunStore;
import dev.cosub.runtime.suites.Suites;
import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.RunParameter;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import picocli.CommandLine;

/**
 * Every snippet in the README and in {@code docs/} (the results' pages included) is one a user
 * can paste: Java compiles
 * against the runtime, {@code cosub} command lines parse, {@code -Dcosub.*} properties and POM
 * parameters name parameters of their goal, and {@code exec:exec@ID} names an execution that
 * exists. {@code docs/parameters.md} is generated from {@link RunParameter}; run this test with
 * {@code -Dcosub.docs.write=true} to write it anew.
 */
class DocsSnippetsTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath()
            .getParent();
    private static final Pattern BLOCK = Pattern.compile("```(\\w*)\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PROPERTY = Pattern.compile("-Dcosub\\.(\\w+)=");
    private static final Pattern GOAL = Pattern.compile("\\bcosub:(\\w+)");
    private static final Pattern EXECUTION = Pattern.compile("-pl (\\S+) exec:exec@([\\w-]+)");
    private static final String PARAMETERS_BEGIN = "<!-- generated from RunParameter: begin -->";
    private static final String PARAMETERS_END = "<!-- generated from RunParameter: end -->";

    @TempDir
    Path dir;

    record Snippet(Path file, String language, String text) {
        @Override
        public String toString() {
            return ROOT.relativize(file) + " (" + language + "): " + text.lines().findFirst()
                    .orElse("");
        }
    }

    private static List<Snippet> snippets() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        // docs/results too: the commands that made the published runs must still run them.
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<Snippet> snippets = new ArrayList<>();
        for (Path file : files) {
            Matcher block = BLOCK.matcher(Files.readString(file));
            while (block.find()) {
                snippets.add(new Snippet(file, block.group(1), block.group(2)));
            }
        }
        return snippets;
    }

    @Test
    void javaSnippetsCompileAgainstTheRuntime() throws Exception {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int index = 0;
        List<Snippet> javaSnippets = snippets().stream()
                .filter(s -> s.language().equals("java")).toList();
        assertTrue(!javaSnippets.isEmpty(), "the README has a Java example");
        for (Snippet snippet : javaSnippets) {
            String name = "Snippet" + index++;
            StringBuilder source = new StringBuilder();
            for (String pkg : List.of("data", "eval", "export", "fork", "goals", "runs",
                    "train")) {
                source.append("import dev.cosub.runtime.").append(pkg).append(".*;\n");
            }
            // What an application that loads an exported model imports from DJL.
            for (String type : List.of("inference.Predictor", "modality.Classifications",
                    "modality.cv.Image", "modality.cv.ImageFactory", "repository.zoo.Criteria",
                    "repository.zoo.ZooModel")) {
                source.append("import ai.djl.").append(type).append(";\n");
            }
            source.append("import java.nio.file.Path;\nclass ").append(name)
                    .append(" {\n  void run() throws Exception {\n").append(snippet.text())
                    .append("\n  }\n}\n");
            JavaFileObject file = new SimpleJavaFileObject(
                    URI.create("string:///" + name + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            };
            StringWriter errors = new StringWriter();
            boolean compiled = compiler.getTask(errors, null, null,
                    List.of("-classpath", classPath(), "-d", dir.toString(), "-proc:none"), null,
                    List.of(file)).call();
            assertTrue(compiled, snippet + "\n" + errors);
        }
    }

    /** The runtime and DJL, wherever the test's class loader found them. */
    private static String classPath() throws URISyntaxException {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> type : List.of(RunConfig.class, Goals.class, NDArray.class)) {
            entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString());
        }
        entries.add(System.getProperty("java.class.path"));
        return String.join(File.pathSeparator, entries);
    }

    @Test
    void commandLinesParseAndMavenLinesNameRealParameters() throws Exception {
        List<String> problems = new ArrayList<>();
        int commands = 0;
        for (Snippet snippet : snippets()) {
            // text blocks are what a command printed, not commands.
            if (List.of("java", "xml", "text").contains(snippet.language())) {
                continue;
            }
            String text = snippet.text().replace("\\\n", " ");
            for (String line : text.split("\n")) {
                String code = line.strip();
                if (code.startsWith("#") || code.isEmpty()) {
                    continue;
                }
                code = code.replaceFirst("^- run: ", "").replaceAll("\\s+#.*$", "");
                for (String command : code.split("&&|;")) {
                    List<String> words = words(command.strip());
                    if (words.isEmpty()) {
                        continue;
                    }
                    String program = Path.of(words.get(0)).getFileName().toString();
                    if (program.equals("cosub")) {
                        commands++;
                        try {
                            Cosub.commandLine().parseArgs(
                                    words.subList(1, words.size()).toArray(String[]::new));
                        } catch (CommandLine.ParameterException e) {
                            problems.add(snippet + ": " + command + ": " + e.getMessage());
                        }
                    } else if (program.equals("mvn")) {
                        commands++;
                        problems.addAll(checkMaven(snippet, command));
                    }
                }
            }
        }
        assertTrue(commands > 10, "found only " + commands + " command lines");
        assertEquals(List.of(), problems);
    }

    private static List<String> checkMaven(Snippet snippet, String command) throws Exception {
        List<String> problems = new ArrayList<>();
        Matcher goal = GOAL.matcher(command);
        Matcher property = PROPERTY.matcher(command);
        if (goal.find()) {
            Set<String> parameters = null;
            while (property.find()) {
                if (parameters == null) {
                    parameters = FrontEndsAgreeTest.parameterNames(goal.group(1));
                }
                if (!parameters.contains(property.group(1))) {
                    problems.add(snippet + ": cosub:" + goal.group(1) + " has no parameter "
                            + property.group(1));
                }
            }
        }
        Matcher execution = EXECUTION.matcher(command);
        if (execution.find()) {
            String pom = Files.readString(ROOT.resolve(execution.group(1)).resolve("pom.xml"));
            if (!pom.contains("<id>" + execution.group(2) + "</id>")) {
                problems.add(snippet + ": " + execution.group(1) + " has no execution "
                        + execution.group(2));
            }
        }
        return problems;
    }

    /** Splits a command line as a shell would, quotes kept together; variables stand as text. */
    private static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (char c : command.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    @Test
    void pomSnippetsConfigureRealParameters() throws Exception {
        Set<String> parameters = new LinkedHashSet<>();
        for (String goal : List.of("train", "eval", "compare", "report")) {
            parameters.addAll(FrontEndsAgreeTest.parameterNames(goal));
        }
        List<String> problems = new ArrayList<>();
        for (Snippet snippet : snippets()) {
            if (!snippet.language().equals("xml")) {
                continue;
            }
            InputStream in = new ByteArrayInputStream(
                    snippet.text().getBytes(StandardCharsets.UTF_8));
            Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
            NodeList configurations = pom.getElementsByTagName("configuration");
            for (int i = 0; i < configurations.getLength(); i++) {
                for (Node n = configurations.item(i).getFirstChild(); n != null;
                        n = n.getNextSibling()) {
                    if (n instanceof Element e && !parameters.contains(e.getTagName())) {
                        problems.add(snippet + ": no parameter " + e.getTagName());
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theParameterPageIsGeneratedFromRunParameter() throws IOException {
        Path page = ROOT.resolve("docs/parameters.md");
        String text = Files.readString(page);
        int begin = text.indexOf(PARAMETERS_BEGIN);
        int end = text.indexOf(PARAMETERS_END);
        assertTrue(begin >= 0 && end > begin, page + " lacks the generated section's markers");
        String generated = text.substring(0, begin + PARAMETERS_BEGIN.length()) + "\n"
                + parameterTable() + text.substring(end);
        if (Boolean.getBoolean("cosub.docs.write")) {
            Files.writeString(page, generated);
        }
        assertEquals(generated, text, page + " is not what RunParameter says: run this test"
                + " with -Dcosub.docs.write=true to write it anew");
    }

    /**
     * A published folder named after a suite holds runs that the suite, as it is now, would
     * make: its command in the results' pages reproduces them (with --reuse, continues them).
     */
    @ParameterizedTest
    @ValueSource(strings = {Suites.REGIME_MAP, Suites.REGIME_MAP_CELL_2, Suites.REGIME_MAP_CELL_3,
            Suites.REGIME_MAP_CELL_5})
    void publishedSuiteFoldersHoldTheSuitesOwnConfigurations(String suite) throws IOException {
        Path results = ROOT.resolve("docs/results");
        Path published = results.resolve(suite);
        Set<String> planned = new LinkedHashSet<>();
        Suites.all(results, UnaryOperator.identity()).get(suite).runs()
                .forEach(config -> planned.add(Provenance.configHash(config)));
        List<RunFolder> runs = new RunStore(published).list();
        assertTrue(!runs.isEmpty(), published + " holds no runs");
        for (RunFolder run : runs) {
            assertTrue(planned.contains(run.record().configHash()), run.directory() + " ("
                    + run.record().configHash() + ") is not a configuration of the suite "
                    + suite);
        }
    }

    private static String parameterTable() {
        StringBuilder table = new StringBuilder(
                "| parameter | value | default | what it sets |\n|---|---|---|---|\n");
        for (RunParameter parameter : RunParameter.values()) {
            String description = parameter.description()
                    .replace(" (default: " + parameter.defaultValue() + ")", "");
            table.append("| `").append(parameter.parameterName()).append("` | ")
                    .append(parameter.label()).append(" | ")
                    .append(parameter.defaultValue() == null ? ""
                            : "`" + parameter.defaultValue() + "`")
                    .append(" | ").append(description.replace("|", "\\|")).append(" |\n");
        }
        return table.toString();
    }
}
