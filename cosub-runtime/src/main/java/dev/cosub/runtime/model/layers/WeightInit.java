package dev.cosub.runtime.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import java.util.function.Consumer;

/**
 * How a family's reference initialises its layers, module by module, as each model file of timm
 * does in its {@code _init_weights}: a policy visits every block of a built network and gives
 * the parameters it cares about their initializers; the others keep their own. The engine then
 * draws every value from the run's seed when the network is initialised.
 */
public final class WeightInit {

    /** The largest absolute value timm's {@code trunc_normal_} keeps, whatever the deviation. */
    static final float TRUNCATION = 2f;

    private WeightInit() {}

    /** Visits {@code network} and every block below it with a family's {@code policy}. */
    public static void apply(Block network, Consumer<Block> policy) {
        policy.accept(network);
        for (Block child : network.getChildren().values()) {
            apply(child, policy);
        }
    }

    /**
     * A normal distribution cut at ±2 in absolute value, as timm's {@code trunc_normal_} with its
     * defaults: at the deviations used here (0.02) nothing is ever cut, so it is a plain normal.
     * (DJL's truncated normal cuts at ±2 deviations instead, which narrows it by 12%.)
     */
    public static Initializer truncatedNormal(float std) {
        return (manager, shape, dataType) -> {
            NDArray values = manager.randomNormal(0f, std, shape, dataType);
            for (NDArray outside = values.abs().gt(TRUNCATION); outside.any().getBoolean();
                    outside = values.abs().gt(TRUNCATION)) {
                values = NDArrays.where(outside, manager.randomNormal(0f, std, shape, dataType),
                        values);
            }
            return values;
        };
    }

    /** A plain normal distribution. */
    public static Initializer normal(float std) {
        return (manager, shape, dataType) -> manager.randomNormal(0f, std, shape, dataType);
    }

    /** Zeros. */
    public static Initializer zeros() {
        return Initializer.ZEROS;
    }

    /**
     * The policy of timm's vision transformers (ViT, DeiT III, Swin, XCiT): linear layers
     * trunc-normal 0.02 with zero bias; convolutions keep PyTorch's initialisation.
     */
    public static void transformerLayers(Block block) {
        if (isLinear(block)) {
            set(block, truncatedNormal(0.02f), zeros());
        } else if (isConvolution(block)) {
            pytorchDefault(block);
        }
    }

    /** Whether {@code block} is a linear layer or a convolution, the layers policies set. */
    public static boolean isLinear(Block block) {
        return block instanceof Linear;
    }

    public static boolean isConvolution(Block block) {
        return block instanceof Convolution;
    }

    /** Sets the weight's and, when the layer has one, the bias's initializers. */
    public static void set(Block layer, Initializer weight, Initializer bias) {
        layer.getParameters().get("weight").setInitializer(weight);
        Parameter biasParameter = layer.getParameters().get("bias");
        if (biasParameter != null) {
            biasParameter.setInitializer(bias);
        }
    }

    /**
     * PyTorch's own initialisation of a linear or convolution layer, which references that
     * leave a layer alone keep: weight and bias uniform in ±1/sqrt(fan-in), the fan-in being the
     * inputs of one output unit (input channels / groups x kernel area for a convolution).
     */
    public static void pytorchDefault(Block layer) {
        Parameter weight = layer.getParameters().get("weight");
        // A layer initialises its weight before its bias, whose bound is the weight's.
        set(layer, (manager, shape, dataType) -> uniform(manager, shape, dataType, fanIn(shape)),
                (manager, shape, dataType) -> uniform(manager, shape, dataType,
                        fanIn(weight.getArray().getShape())));
    }

    private static NDArray uniform(ai.djl.ndarray.NDManager manager, Shape shape,
            ai.djl.ndarray.types.DataType dataType, long fanIn) {
        float bound = (float) (1 / Math.sqrt(fanIn));
        return manager.randomUniform(-bound, bound, shape, dataType);
    }

    /** Inputs per output unit of a weight (out, in, kernel...). */
    static long fanIn(Shape weight) {
        return weight.size() / weight.get(0);
    }

    /**
     * He initialisation by fan-out for a convolution, the fan-out being output channels x kernel
     * area / groups: each output channel of a grouped convolution sees its group only.
     */
    public static Initializer heFanOut(Convolution convolution) {
        int groups = convolution.getGroups();
        return (manager, shape, dataType) -> {
            long kernelArea = shape.size() / (shape.get(0) * shape.get(1));
            double fanOut = (double) shape.get(0) * kernelArea / groups;
            return manager.randomNormal(0f, (float) Math.sqrt(2 / fanOut), shape, dataType);
        };
    }
}
