package io.trims.gpu.graph;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ShapeRulesTest {

    private static Node node(String op, Object... attributes) {
        Map<String, Attribute> attrs = new java.util.HashMap<>();
        for (int i = 0; i < attributes.length; i += 2) {
            attrs.put((String) attributes[i], new Attribute((String) attributes[i], attributes[i + 1]));
        }
        return new Node("/" + op, op, List.of("a", "b", "c", "d", "e"), List.of("y"), attrs);
    }

    private static long[] infer(Node node, int opset, List<long[]> shapes, long[]... params) {
        Node sized = new Node(node.name(), node.opType(), node.inputs().subList(0, shapes.size()), node.outputs(), node.attributes());
        return ShapeRules.infer(sized, opset, shapes, i -> i < params.length ? params[i] : null);
    }

    private static long[] s(long... dims) {
        return dims;
    }

    @Test
    void broadcastingFollowsNumpy() {
        assertArrayEquals(s(2, 3, 4), Shapes.broadcast(s(3, 1), s(2, 1, 4)));
        assertArrayEquals(s(0, 1, 0), Shapes.broadcastStrides(s(3, 1), s(2, 3, 4)));
        assertArrayEquals(s(4, 0, 1), Shapes.broadcastStrides(s(2, 1, 4), s(2, 3, 4)));
        assertThrows(GraphException.class, () -> Shapes.broadcast(s(3), s(4)));
        assertArrayEquals(s(2, 5), infer(node("Where"), 13, Arrays.asList(s(2, 1), s(5), s())));
    }

    @Test
    void matMulBroadcastsBatchDims() {
        Node mm = node("MatMul");
        assertArrayEquals(s(2, 3, 4, 5), infer(mm, 13, List.of(s(2, 1, 4, 6), s(3, 6, 5))));
        assertArrayEquals(s(4), infer(mm, 13, List.of(s(4, 6), s(6))));
        assertArrayEquals(s(5), infer(mm, 13, List.of(s(6), s(6, 5))));
        assertThrows(GraphException.class, () -> infer(mm, 13, List.of(s(4, 6), s(5, 5))));
        assertArrayEquals(s(3, 4), infer(node("Gemm", "transA", 1L, "transB", 1L), 13, List.of(s(5, 3), s(4, 5))));
    }

    @Test
    void reshapeKeepsZerosAndInfersMinusOne() {
        Node reshape = node("Reshape");
        assertArrayEquals(s(2, 3, 4), infer(reshape, 14, List.of(s(2, 12), s(3)), null, s(0, 3, -1)));
        assertArrayEquals(s(24), infer(reshape, 14, List.of(s(2, 12), s(1)), null, s(-1)));
        assertThrows(GraphException.class, () -> infer(reshape, 14, List.of(s(2, 12), s(1)), null, s(5)));
        assertThrows(GraphException.class, () -> infer(reshape, 14, List.of(s(2, 12), s(2)), s(1), null),
                "a shape that is not host-known is an error");
    }

    @Test
    void unsqueezeSqueezeByAttributeAndByInput() {
        assertArrayEquals(s(1, 2, 1, 3), infer(node("Unsqueeze", "axes", s(0, 2)), 11, List.of(s(2, 3))));
        assertArrayEquals(s(2, 3, 1), infer(node("Unsqueeze"), 13, List.of(s(2, 3), s(1)), null, s(-1)));
        assertArrayEquals(s(2, 3), infer(node("Squeeze"), 13, List.of(s(1, 2, 1, 3), s(2)), null, s(0, -2)));
        assertArrayEquals(s(2, 3), infer(node("Squeeze"), 13, List.of(s(1, 2, 1, 3))), "no axes: every 1 goes");
        assertArrayEquals(s(6, 4), infer(node("Flatten", "axis", 2L), 13, List.of(s(2, 3, 4))));
    }

    @Test
    void sliceClampsAndStepsBackwards() {
        Node slice = node("Slice");
        assertArrayEquals(s(2, 2), infer(slice, 13, List.of(s(2, 10), s(1), s(1), s(1), s(1)),
                null, s(3), s(-100), s(1), s(-2)));
        SliceRule rule = SliceRule.of(s(2, 10), s(3), s(-100), s(1), s(-2));
        assertArrayEquals(s(0, 3), rule.starts());
        assertArrayEquals(s(1, -2), rule.steps());
        assertArrayEquals(s(1, 10), infer(slice, 13, List.of(s(2, 10), s(1), s(1)), null, s(1), s(Long.MAX_VALUE)),
                "without axes the bounds apply from axis 0");
        assertArrayEquals(s(2, 0), SliceRule.of(s(2, 10), s(5), s(3), s(1), null).outShape());
        assertArrayEquals(s(1, 3), infer(node("Slice", "starts", s(1), "ends", s(4), "axes", s(1)), 9, List.of(s(1, 10))));
    }

    @Test
    void gatherTransposeConcatReduce() {
        assertArrayEquals(s(2, 4, 5, 6), infer(node("Gather", "axis", 1L), 13, List.of(s(2, 3, 6), s(4, 5))));
        assertArrayEquals(s(2, 6), infer(node("Gather", "axis", 1L), 13, List.of(s(2, 3, 6), s())));
        assertArrayEquals(s(4, 2, 3), infer(node("Transpose", "perm", s(2, 0, 1)), 13, List.of(s(2, 3, 4))));
        assertArrayEquals(s(4, 3, 2), infer(node("Transpose"), 13, List.of(s(2, 3, 4))));
        assertArrayEquals(s(2, 7), infer(node("Concat", "axis", -1L), 13, List.of(s(2, 3), s(2, 4))));
        assertArrayEquals(s(2, 3, 1), infer(node("ReduceMean", "axes", s(-1)), 13, List.of(s(2, 3, 4))));
        assertArrayEquals(s(2), infer(node("ReduceMean", "keepdims", 0L), 18, List.of(s(2, 3, 4), s(2)), null, s(1, 2)));
        assertArrayEquals(s(3), infer(node("Shape"), 13, List.of(s(2, 3, 4))));
        assertArrayEquals(s(2), infer(node("Shape", "start", 1L), 15, List.of(s(2, 3, 4))));
    }
}
