package dev.cosub.runtime.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The network of the same family in timm (PyTorch Image Models), or why there is none: what
 * lets a network trained here be handed to PyTorch and a timm-named file start a run here.
 */
public sealed interface TimmCounterpart {

    /**
     * A network that timm builds with {@code timm.create_model(name, **arguments)} and whose
     * {@code state_dict} has {@code parameterNames} with the same shapes and the same math.
     *
     * @param name a registered timm model whose defaults {@code arguments} override
     * @param arguments constructor arguments: numbers, booleans, strings and lists of numbers
     * @param parameterNames timm's name of each of this project's parameters, in the order
     *     {@code Block.getParameters()} lists them
     */
    record Mapped(String name, Map<String, Object> arguments, List<String> parameterNames)
            implements TimmCounterpart {

        public Mapped {
            arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
            parameterNames = List.copyOf(parameterNames);
        }

        /**
         * timm's name of each of {@code network}'s parameters, by this project's name, in the
         * network's order. {@code network} must be the one this counterpart describes.
         */
        public Map<String, String> byProjectName(Block network) {
            PairList<String, Parameter> parameters = network.getParameters();
            if (parameters.size() != parameterNames.size()) {
                throw new IllegalStateException("timm's " + name + " has "
                        + parameterNames.size() + " parameters where this network has "
                        + parameters.size() + ": the name map is out of step with the model");
            }
            Map<String, String> names = new LinkedHashMap<>();
            for (int i = 0; i < parameters.size(); i++) {
                names.put(parameters.get(i).getKey(), parameterNames.get(i));
            }
            return names;
        }
    }

    /** timm's names of a layer's weight and bias, e.g. {@code head.weight, head.bias}. */
    static List<String> weightAndBias(String... layers) {
        return Stream.of(layers).flatMap(layer -> Stream.of(layer + ".weight", layer + ".bias"))
                .toList();
    }

    /** @param why what in timm's network differs from this one, for the user to read */
    record Unmapped(String why) implements TimmCounterpart {}
}
