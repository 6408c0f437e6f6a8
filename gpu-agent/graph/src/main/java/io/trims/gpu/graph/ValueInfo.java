package io.trims.gpu.graph;

import io.trims.protocol.tensor.DataType;

import java.util.List;

/** A declared graph input or output: name, element type and dimensions (symbolic ones have size -1). */
public record ValueInfo(String name, DataType type, List<Dim> dims) {

    public ValueInfo {
        dims = List.copyOf(dims);
    }

    /** The declared shape, -1 for every symbolic dimension. */
    public long[] shape() {
        return dims.stream().mapToLong(Dim::size).toArray();
    }
}
