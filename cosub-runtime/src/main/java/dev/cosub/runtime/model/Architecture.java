package dev.cosub.runtime.model;

import ai.djl.nn.Block;
import java.util.List;

/** A family of networks selectable by name, each with named sizes. */
public interface Architecture {

    /** The name users select it by, e.g. {@code vit}. */
    String name();

    /** The size names this architecture offers. */
    List<String> sizes();

    /**
     * Builds an uninitialised network: input (B, C, H, W), output logits (B, classes).
     *
     * @throws IllegalArgumentException for an unknown size or an input the size cannot take
     */
    Block build(ModelSpec spec);

    /**
     * The same network in timm, with its parameter names, or why this family or size has none.
     *
     * @throws IllegalArgumentException for an unknown size
     */
    TimmCounterpart timm(ModelSpec spec);
}
