package io.trims.directory;

import java.util.Arrays;

/** A model input or output as the KServe v2 metadata names it; -1 in a shape is a dynamic dimension. */
public record TensorSpec(String name, String datatype, long[] shape) {
    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && name.equals(t.name) && datatype.equals(t.datatype) && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + datatype.hashCode()) + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + ":" + datatype + Arrays.toString(shape);
    }
}
