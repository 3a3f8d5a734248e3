package dev.cosub.runtime.model;

import ai.djl.nn.Block;
import dev.cosub.runtime.model.layers.Residual;
import dev.cosub.runtime.model.layers.WeightInit;
import java.util.List;
import java.util.Map;

/**
 * An architecture whose sizes are named configurations of type {@code C}: the name, the size
 * list and the lookup with its error message live here once.
 */
abstract class SizedArchitecture<C> implements Architecture {

    private final String name;
    private final Map<String, C> sizes;

    /** @param sizes configurations by size name, in the order users should see them */
    SizedArchitecture(String name, Map<String, C> sizes) {
        this.name = name;
        this.sizes = sizes;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<String> sizes() {
        return List.copyOf(sizes.keySet());
    }

    @Override
    public final Block build(ModelSpec spec) {
        Block network = build(config(spec), spec);
        Residual.setMode(network, spec.mode());
        WeightInit.apply(network, this::initializeWeights);
        return network;
    }

    @Override
    public final TimmCounterpart timm(ModelSpec spec) {
        return timm(config(spec), spec);
    }

    private C config(ModelSpec spec) {
        C config = sizes.get(spec.size());
        if (config == null) {
            throw new IllegalArgumentException("unknown " + name + " size '" + spec.size()
                    + "': expected one of " + sizes());
        }
        return config;
    }

    /** Builds the network of one configuration for the spec's input, classes and drop-path. */
    abstract Block build(C config, ModelSpec spec);

    /**
     * The family's initialisation, as its reference defines it, for one block of a network
     * (called for every block; see {@link WeightInit}).
     */
    abstract void initializeWeights(Block block);

    /**
     * timm's network of one configuration. Families that have not been matched to timm's names
     * and math say so; mapping one takes its name list and a forward cross-check against an
     * independent PyTorch implementation (see {@code ReferenceForwardTest}).
     */
    TimmCounterpart timm(C config, ModelSpec spec) {
        return new TimmCounterpart.Unmapped("cosub's " + name + " has not been matched to"
                + " timm's parameter names and math; the maps that exist are ViT, DeiT III and"
                + " ConvNeXt with a stride-4 stem");
    }

    /** Refuses an input whose sides a patch or stem stride does not divide. */
    final void requireDivisible(ImageShape input, int patch) {
        if (input.height() % patch != 0 || input.width() % patch != 0) {
            throw new IllegalArgumentException(name + " with patch " + patch
                    + " needs image sides divisible by it, got " + input);
        }
    }
}
