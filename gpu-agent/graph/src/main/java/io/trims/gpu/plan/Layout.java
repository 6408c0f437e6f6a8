package io.trims.gpu.plan;

import io.trims.protocol.tensor.Tensor;

import java.util.Map;

/**
 * A plan bound to one input-shape signature: every tensor's shape, the values the host computed for this signature
 * (constants excluded: they are in the plan), and each arena storage root's byte offset in one arena of
 * {@code arenaBytes}.
 */
public record Layout(Signature signature, Map<String, long[]> shapes, Map<String, Tensor> hostValues,
                     Map<String, Long> offsets, long arenaBytes) {

    public Layout {
        shapes = Map.copyOf(shapes);
        hostValues = Map.copyOf(hostValues);
        offsets = Map.copyOf(offsets);
    }

    public long[] shape(String tensor) {
        long[] s = shapes.get(tensor);
        if (s == null) {
            throw new IllegalArgumentException("no shape for tensor '" + tensor + "'");
        }
        return s.clone();
    }
}
