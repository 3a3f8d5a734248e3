package dev.cosub.runtime.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.cosub.runtime.engine.Engines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A CPU manager with a fixed seed, and shortcuts to initialise and run blocks. */
public abstract class BlockFixture {

    protected NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager(Engines.device("cpu"), Engines.pytorch().getEngineName());
        Engines.pytorch().setRandomSeed(5);
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    protected <B extends Block> B initialized(B block, Shape input) {
        block.initialize(manager, DataType.FLOAT32, input);
        return block;
    }

    protected NDArray forward(Block block, NDArray x, boolean training) {
        return block.forward(new ParameterStore(manager, false), new NDList(x), training)
                .singletonOrThrow();
    }

    protected NDArray random(long... shape) {
        return manager.randomNormal(new Shape(shape));
    }

    /** The shapes of a block's parameters, for checking what kind of layer it holds. */
    protected java.util.List<Shape> parameterShapes(Block block) {
        return block.getParameters().values().stream().map(p -> p.getArray().getShape()).toList();
    }
}
