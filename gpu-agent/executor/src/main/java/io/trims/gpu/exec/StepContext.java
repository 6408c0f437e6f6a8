package io.trims.gpu.exec;

import io.trims.protocol.tensor.DataType;

/** What compiling one step needs to know about its tensors, for one input-shape signature and one arena. */
interface StepContext<B> {

    Kernels<B> kernels();

    int opset();

    /** The device buffer (weight, arena slot, or a view of either) holding a tensor. */
    B buffer(String tensor);

    long[] shape(String tensor);

    DataType type(String tensor);

    /** A host-known tensor's values as longs (parameters: shapes, axes, slice bounds). */
    long[] longs(String tensor);
}
