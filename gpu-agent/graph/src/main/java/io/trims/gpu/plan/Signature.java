package io.trims.gpu.plan;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The actual shapes of a run's inputs, by input name: the key of the per-shape layout cache. */
public record Signature(Map<String, List<Long>> shapes) {

    public Signature {
        shapes = Map.copyOf(shapes);
    }

    public static Signature of(Map<String, long[]> inputShapes) {
        Map<String, List<Long>> shapes = new TreeMap<>();
        inputShapes.forEach((name, shape) -> shapes.put(name, Arrays.stream(shape).boxed().toList()));
        return new Signature(shapes);
    }

    public long[] shape(String input) {
        return shapes.get(input).stream().mapToLong(Long::longValue).toArray();
    }
}
