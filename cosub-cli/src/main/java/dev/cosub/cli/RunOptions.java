package dev.cosub.cli;

import dev.cosub.runtime.train.RunConfig;
import dev.cosub.runtime.train.RunParameter;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The options that define a training configuration, made from {@link RunParameter}: the same
 * names, defaults and descriptions as the plugin's parameters. An option left out keeps
 * {@link RunConfig.Builder}'s default, the same as the plugin's.
 */
final class RunOptions {

    /** The name under which the options are mixed into a command. */
    static final String MIXIN = "run";

    private RunOptions() {}

    /** One option per {@link RunParameter}, to mix into the commands that train or find runs. */
    static CommandSpec spec() {
        CommandSpec spec = CommandSpec.create();
        for (RunParameter parameter : RunParameter.values()) {
            spec.addOption(OptionSpec.builder("--" + parameter.parameterName())
                    .paramLabel(parameter.label())
                    .type(String.class)
                    .description(parameter.description())
                    .build());
        }
        return spec;
    }

    /** Sets on {@code builder} the options given to {@code command}, leaving the others. */
    static RunConfig.Builder applyTo(CommandSpec command, RunConfig.Builder builder) {
        for (RunParameter parameter : RunParameter.values()) {
            String value = given(command, parameter);
            if (value != null) {
                parameter.apply(builder, value);
            }
        }
        return builder;
    }

    /** A builder with the options given to {@code command}. */
    static RunConfig.Builder builder(CommandSpec command) {
        return applyTo(command, RunConfig.builder());
    }

    /** The value given for {@code parameter}, or {@code null}. */
    static String given(CommandSpec command, RunParameter parameter) {
        return command.findOption("--" + parameter.parameterName()).getValue();
    }

    /** The path given for {@code parameter}, or {@code null}. */
    static Path givenPath(CommandSpec command, RunParameter parameter) {
        String value = given(command, parameter);
        return value == null ? null : Path.of(value);
    }
}
