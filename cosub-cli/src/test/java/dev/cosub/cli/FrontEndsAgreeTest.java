package dev.cosub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cosub.runtime.train.RunParameter;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.maven.plugin.Mojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * The plugin and the command are two front ends of one runtime: each goal takes the same
 * parameters under the same names with the same defaults, and the same bad input gets the same
 * message and the same kind of failure from both. The plugin's side is read from the descriptor
 * Maven itself reads ({@code META-INF/maven/plugin.xml}).
 */
class FrontEndsAgreeTest {

    /** Maven-only: the training JVM's extra arguments and environment as POM structures. */
    private static final Set<String> PLUGIN_ONLY = Set.of("jvmArgs", "environmentVariables",
            "skip");
    private static final Set<String> COMMAND_ONLY = Set.of("help", "version", "debug");
    /**
     * Defaults that differ on purpose: the plugin writes under the project's {@code target/},
     * the command into the folder it runs in.
     */
    private static final Set<String> DIFFERENT_ON_PURPOSE = Set.of("outputDirectory");
    private static final Pattern STATED_DEFAULT = Pattern.compile("\\(default: ([^)]*)\\)");

    @TempDir
    Path dir;

    private static Document descriptor() throws Exception {
        try (InputStream in = FrontEndsAgreeTest.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/plugin.xml")) {
            assertTrue(in != null, "the plugin's descriptor is not on the test class path");
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
    }

    private static Element mojo(Document plugin, String goal) {
        NodeList mojos = plugin.getElementsByTagName("mojo");
        for (int i = 0; i < mojos.getLength(); i++) {
            Element mojo = (Element) mojos.item(i);
            if (text(mojo, "goal").equals(goal)) {
                return mojo;
            }
        }
        throw new AssertionError("the plugin has no goal " + goal);
    }

    private static String text(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }

    /** The goal's parameters a user sets, with their defaults (null where there is none). */
    private static Map<String, String> parameters(Element mojo) {
        Map<String, String> defaults = new TreeMap<>();
        Element parameters = (Element) mojo.getElementsByTagName("parameters").item(0);
        for (Node n = parameters.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element p && "true".equals(text(p, "editable"))) {
                defaults.put(text(p, "name"), null);
            }
        }
        Element configuration = (Element) mojo.getElementsByTagName("configuration").item(0);
        for (Node n = configuration.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.hasAttribute("default-value")
                    && defaults.containsKey(c.getTagName())) {
                defaults.put(c.getTagName(), c.getAttribute("default-value"));
            }
        }
        return defaults;
    }

    /** Every parameter a user can set on {@code goal}, for the documentation's checks. */
    static Set<String> parameterNames(String goal) throws Exception {
        return parameters(mojo(descriptor(), goal)).keySet();
    }

    /** The command's options, with the default each states (null where it states none). */
    private static Map<String, String> options(String command) {
        CommandLine line = Cosub.commandLine().getSubcommands().get(command);
        Map<String, String> options = new TreeMap<>();
        for (OptionSpec option : line.getCommandSpec().options()) {
            String name = option.longestName().replaceFirst("^--", "");
            String stated = option.defaultValue();
            Matcher matcher = STATED_DEFAULT.matcher(String.join(" ", option.description()));
            if (stated == null && matcher.find()) {
                stated = matcher.group(1);
            }
            options.put(name, stated);
        }
        COMMAND_ONLY.forEach(options::remove);
        return options;
    }

    @ParameterizedTest
    @ValueSource(strings = {"train", "eval", "export", "compare", "report"})
    void eachGoalTakesTheSameParametersWithTheSameDefaults(String goal) throws Exception {
        Map<String, String> plugin = parameters(mojo(descriptor(), goal));
        PLUGIN_ONLY.forEach(plugin::remove);
        Map<String, String> command = options(goal);
        assertEquals(plugin.keySet(), command.keySet(), "cosub:" + goal + " and cosub " + goal
                + " take different parameters");
        List<String> differences = new ArrayList<>();
        for (String name : plugin.keySet()) {
            String pluginDefault = plugin.get(name);
            String commandDefault = command.get(name);
            if (pluginDefault == null || commandDefault == null
                    || DIFFERENT_ON_PURPOSE.contains(name) || !isLiteral(commandDefault)) {
                continue;
            }
            if (!sameValue(pluginDefault, commandDefault)) {
                differences.add(name + ": plugin " + pluginDefault + ", command "
                        + commandDefault);
            }
        }
        assertEquals(List.of(), differences, "defaults of " + goal);
    }

    /**
     * The plugin's training parameters are {@link RunParameter}'s, with its defaults: the
     * command builds its options from that list, so both take the same.
     */
    @ParameterizedTest
    @ValueSource(strings = {"train", "eval", "export", "compare"})
    void thePluginDeclaresEveryRunParameterWithItsDefault(String goal) throws Exception {
        Map<String, String> plugin = parameters(mojo(descriptor(), goal));
        List<String> differences = new ArrayList<>();
        for (RunParameter parameter : RunParameter.values()) {
            String name = parameter.parameterName();
            if (!plugin.containsKey(name)) {
                differences.add(name + ": not a parameter of cosub:" + goal);
            } else if (!Objects.equals(plugin.get(name), parameter.defaultValue())
                    && (plugin.get(name) == null || parameter.defaultValue() == null
                    || !sameValue(plugin.get(name), parameter.defaultValue()))) {
                differences.add(name + ": plugin " + plugin.get(name) + ", runtime "
                        + parameter.defaultValue());
            }
        }
        assertEquals(List.of(), differences);
    }

    private static boolean isLiteral(String stated) {
        return stated.matches("[\\w.,:-]+( MiB)?");
    }

    private static boolean sameValue(String plugin, String command) {
        String bare = command.replace(" MiB", "");
        try {
            return Double.parseDouble(plugin) == Double.parseDouble(bare);
        } catch (NumberFormatException notNumbers) {
            return plugin.equalsIgnoreCase(bare);
        }
    }

    /**
     * The same bad value through {@code cosub:train} and {@code cosub train}: the same sentence,
     * naming the parameter and what is expected, a configuration error for Maven and exit code 2
     * for the command, before anything trains.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "architecture | resnet-9000 | unknown architecture 'resnet-9000': expected one of [regnet,",
        "size | giant | size 'giant' is not a size of vit: expected one of",
        "dropPathMode | fast | unknown dropPathMode 'fast': expected mask or efficient",
        "recipe | fancy | unknown recipe 'fancy': expected simple or deit3",
        "budget | forever | unknown budget 'forever': expected epochs or compute",
        "method | both | unknown method 'both': expected baseline or cosub",
        "device | tpu | device 'tpu': expected one of auto, cpu, gpu, gpu:N",
        "epochs | 0 | epochs = 0 is invalid: expected from 1 to 10000",
        "epochs | 1000000000 | epochs = 1000000000 is invalid: expected from 1 to 10000",
        "batchSize | 0 | batchSize = 0 is invalid: expected from 1 to 32768",
        "learningRate | -1 | learningRate = -1.0 is invalid: expected a positive number",
        "lambda | 2 | lambda = 2.0 is invalid: expected a weight in [0, 1]",
        "evalEvery | 0 | evalEvery = 0 is invalid: expected at least 1 (the last epoch is always"
            + " evaluated)",
        "normalization | 0.5 | normalization = 0.5 is invalid (no '/' between means and"
            + " deviations): expected empty (the dataset's own), imagenet, or per-channel",
        "imageSize | 4 | imageSize = 4 is invalid: expected 0 (the images' own size) or from 8 to"
            + " 1024 pixels",
        "imageSize | 100000 | imageSize = 100000 is invalid: expected 0 (the images' own size)",
        "dataReadTimeout | 0 | dataReadTimeout = 0 is invalid: expected from 1 to 3600 seconds"})
    void theSameBadInputGetsTheSameMessageFromBoth(String parameter, String value,
            String expected) throws Exception {
        Mojo mojo = configuredMojo("train", "dev.cosub.maven.TrainMojo");
        set(mojo, parameter, value);
        MojoExecutionException pluginFailure =
                assertThrows(MojoExecutionException.class, mojo::execute);

        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = Cosub.execute("train", "--no-fork", "--outputDirectory",
                    dir.resolve("command").toString(), "--" + parameter, value);
        } finally {
            System.setErr(original);
        }
        assertEquals(Cosub.BAD_INPUT, exit);
        String commandMessage = err.toString(StandardCharsets.UTF_8).trim();
        assertEquals(pluginFailure.getMessage(), commandMessage);
        assertTrue(commandMessage.contains(expected), commandMessage);
    }

    /**
     * A comparison that may not train names the configurations it found no run for, from the
     * plugin and from the command alike.
     */
    @Test
    void bothNameTheConfigurationsACompareCouldNotFind() throws Exception {
        String warning = "cosub: 2 configuration(s) of the grid have no run and trainMissing is"
                + " false";
        Mojo mojo = configuredMojo("compare", "dev.cosub.maven.CompareMojo");
        set(mojo, "dataset", "synthetic");
        set(mojo, "trainMissing", "false");
        String plugin = printed(() -> {
            mojo.execute();
            return 0;
        });
        assertTrue(plugin.contains(warning), plugin);

        String[] command = {"compare", "--no-trainMissing", "--dataset", "synthetic",
            "--outputDirectory", dir.resolve("command").toString()};
        String printedByCommand = printed(() -> Cosub.execute(command));
        assertTrue(printedByCommand.contains(warning), printedByCommand);
    }

    /** What {@code action} prints on standard output and error; it must end with 0. */
    private static String printed(Callable<Integer> action) throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
        try {
            assertEquals(0, action.call());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** A mojo with the descriptor's defaults, as Maven would configure it for a project. */
    private Mojo configuredMojo(String goal, String type) throws Exception {
        Mojo mojo = (Mojo) Class.forName(type).getDeclaredConstructor().newInstance();
        Element configuration =
                (Element) mojo(descriptor(), goal).getElementsByTagName("configuration").item(0);
        for (Node n = configuration.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.hasAttribute("default-value")
                    && !c.getAttribute("default-value").contains("${")) {
                set(mojo, c.getTagName(), c.getAttribute("default-value"));
            }
        }
        set(mojo, "outputDirectory", dir.resolve("plugin").toString());
        set(mojo, "projectDirectory", dir.toString());
        set(mojo, "fork", "false");
        field(mojo.getClass(), "pluginArtifacts").set(mojo, List.of());
        return mojo;
    }

    private static void set(Object mojo, String name, String value) throws Exception {
        Field field = field(mojo.getClass(), name);
        Class<?> type = field.getType();
        Object converted = type == String.class ? value
                : type == int.class || type == Integer.class ? Integer.valueOf(value)
                : type == long.class || type == Long.class ? Long.valueOf(value)
                : type == float.class || type == Float.class ? Float.valueOf(value)
                : type == double.class || type == Double.class ? Double.valueOf(value)
                : type == boolean.class ? Boolean.valueOf(value)
                : type == File.class ? new File(value)
                : null;
        if (converted == null) {
            throw new AssertionError("no conversion to " + type + " for " + name);
        }
        field.set(mojo, converted);
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException notHere) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(name + " in " + type);
    }
}
