package io.trims.gpu.graph;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One operator application. An empty string in {@code inputs} is an omitted optional input, as in ONNX.
 *
 * @param name the node's name (never empty: the reader names unnamed nodes after their first output)
 */
public record Node(String name, String opType, List<String> inputs, List<String> outputs, Map<String, Attribute> attributes) {

    public Node {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = Map.copyOf(attributes);
    }

    /** The i-th input's name, or empty when absent or omitted. */
    public Optional<String> input(int i) {
        return i < inputs.size() && !inputs.get(i).isEmpty() ? Optional.of(inputs.get(i)) : Optional.empty();
    }

    public String output() {
        return outputs.get(0);
    }

    public Optional<Attribute> attribute(String name) {
        return Optional.ofNullable(attributes.get(name));
    }

    public long intAttr(String name, long fallback) {
        return attribute(name).map(Attribute::asLong).orElse(fallback);
    }

    public float floatAttr(String name, float fallback) {
        return attribute(name).map(Attribute::asFloat).orElse(fallback);
    }

    public String stringAttr(String name, String fallback) {
        return attribute(name).map(Attribute::asString).orElse(fallback);
    }

    /** An INTS attribute, or empty when the node has none of that name. */
    public Optional<long[]> intsAttr(String name) {
        return attribute(name).map(Attribute::asLongs);
    }

    /** How errors name this node: {@code "Softmax (node /x/Softmax)"}. */
    public String describe() {
        return "operator " + opType + " (node " + name + ")";
    }
}
