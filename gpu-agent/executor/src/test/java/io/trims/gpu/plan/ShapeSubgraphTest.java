package io.trims.gpu.plan;

import io.trims.gpu.exec.HostBuffer;
import io.trims.gpu.exec.HostKernels;
import io.trims.gpu.exec.PlanExecutor;
import io.trims.gpu.graph.Graph;
import io.trims.gpu.graph.HostValues;
import io.trims.gpu.graph.OnnxGraphReader;
import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;
import io.trims.testmodels.OnnxGraphBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.trims.testmodels.OnnxGraphBuilder.floats;
import static io.trims.testmodels.OnnxGraphBuilder.longs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A BERT-style graph whose reshape targets and position ids come from Shape: those subgraphs run on the host per
 * input-shape signature, constant-only arithmetic is folded at plan time, and the device steps see plain shapes.
 */
class ShapeSubgraphTest {

    private static final int TABLE_ROWS = 600;
    private static final int WIDTH = 8;

    static byte[] model() {
        float[] table = new float[TABLE_ROWS * WIDTH];
        for (int i = 0; i < table.length; i++) {
            table[i] = i * 0.01f;
        }
        long[] positions = new long[16];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = i;
        }
        String[] none = new String[0];
        return new OnnxGraphBuilder(13)
                .input("X", DataType.FP32, "batch", "seq", WIDTH)
                .output("Y", DataType.FP32, "batch", 2, "seq", 4)
                .output("Z", DataType.FP32, "batch", "seq", WIDTH)
                .initializer(longs("zero", new long[]{0}))
                .initializer(longs("one", new long[]{1}))
                .initializer(longs("axes0", new long[]{0}, 1))
                .initializer(longs("heads", new long[]{2}, 1))
                .initializer(longs("headDim", new long[]{4}, 1))
                .initializer(longs("three", new long[]{3}, 1))
                .initializer(floats("half", new float[]{0.5f}))
                .initializer(floats("table", table, TABLE_ROWS, WIDTH))
                .initializer(longs("positions", positions, 1, 16))
                .node("Shape", "S", new String[]{"X"})
                .node("Gather", "B", new String[]{"S", "zero"}, "axis", 0)
                .node("Gather", "L", new String[]{"S", "one"}, "axis", 0)
                .node("Unsqueeze", "Bu", new String[]{"B", "axes0"})
                .node("Unsqueeze", "Lu", new String[]{"L", "axes0"})
                .node("Add", "folded", new String[]{"heads", "three"})
                .node("Sub", "two", new String[]{"folded", "three"})
                .node("Concat", "target", new String[]{"Bu", "Lu", "two", "headDim"}, "axis", 0)
                .node("Reshape", "R", new String[]{"X", "target"})
                .node("Transpose", "T", new String[]{"R"}, "perm", new long[]{0, 2, 1, 3})
                .node("Mul", "Y", new String[]{"T", "half"})
                .node("Slice", "pos", new String[]{"positions", "axes0", "Lu", "one"})
                .node("Gather", "P", new String[]{"table", "pos"}, "axis", 0)
                .node("Add", "Z", new String[]{"X", "P"})
                .bytes();
    }

    @Test
    void shapeSubgraphsAreHostAndConstantsAreFolded() throws Exception {
        Plan plan = Planner.plan(OnnxGraphReader.read(model()));
        for (String host : List.of("S", "B", "L", "Bu", "Lu", "target", "pos")) {
            assertEquals(Placement.HOST, plan.placement(host), host);
        }
        assertEquals(7, plan.hostNodes().size());
        assertArrayEquals(new long[]{2}, (long[]) plan.constants().get("two").data(), "constant-only arithmetic folds");
        assertTrue(plan.constants().containsKey("folded"));
        assertEquals(List.of("Reshape", "Transpose", "Mul", "Gather", "Add"),
                plan.steps().stream().map(s -> s.node().opType()).toList());
        assertEquals("X", plan.root("R"), "Reshape is a view of its input");
        assertEquals(Placement.WEIGHT, plan.placement("table"));
        assertEquals(Placement.WEIGHT, plan.placement("half"));
        assertEquals(Set.of("table", "half"), plan.weights().keySet(), "shape constants stay on the host");
        assertEquals((TABLE_ROWS * WIDTH + 1) * 4L, plan.weightBytes());
        assertEquals(new Lifetime(-1, 3), plan.lifetimes().get("pos"), "host values read by a device step are uploaded");
        assertEquals(new Lifetime(-1, 4), plan.lifetimes().get("X"), "the view R keeps X alive until its last reader");
    }

    @Test
    void eachSignatureBindsItsOwnShapesAndHostValues() throws Exception {
        Plan plan = Planner.plan(OnnxGraphReader.read(model()));
        Layout small = Binder.bind(plan, Signature.of(Map.of("X", new long[]{2, 5, WIDTH})));
        assertArrayEquals(new long[]{2, 5, 2, 4}, HostValues.longs(small.hostValues().get("target")));
        assertArrayEquals(new long[]{0, 1, 2, 3, 4}, HostValues.longs(small.hostValues().get("pos")));
        assertArrayEquals(new long[]{2, 2, 5, 4}, small.shape("T"));
        assertArrayEquals(new long[]{1, 5, WIDTH}, small.shape("P"));
        Layout large = Binder.bind(plan, Signature.of(Map.of("X", new long[]{3, 16, WIDTH})));
        assertArrayEquals(new long[]{3, 2, 16, 4}, large.shape("T"));
        assertTrue(large.arenaBytes() > small.arenaBytes());
    }

    @Test
    void executorRunsTheGraphAndCachesLayoutsPerSignature() throws Exception {
        Graph graph = OnnxGraphReader.read(model());
        HostKernels kernels = new HostKernels();
        Plan plan = Planner.plan(graph);
        PlanExecutor<HostBuffer> closedOne;
        try (PlanExecutor<HostBuffer> executor = new PlanExecutor<>(plan, kernels)) {
            closedOne = executor;
            executor.load();
            assertEquals(Map.of(), executor.plan().weights(), "the host copies of the weights are dropped after upload");
            assertEquals(plan.weightBytes(), executor.plan().weightBytes());
            assertTrue(executor.plan().constants().containsKey("positions"), "shape constants stay");
            int batch = 2;
            int seq = 3;
            float[] x = new float[batch * seq * WIDTH];
            for (int i = 0; i < x.length; i++) {
                x[i] = i;
            }
            Map<String, Tensor> inputs = Map.of("X", floats("X", x, batch, seq, WIDTH));
            List<Tensor> out = executor.run(inputs, Set.of());
            Tensor y = out.get(0);
            Tensor z = out.get(1);
            assertArrayEquals(new long[]{batch, 2, seq, 4}, y.shape());
            float[] yv = (float[]) y.data();
            float[] zv = (float[]) z.data();
            for (int b = 0; b < batch; b++) {
                for (int s = 0; s < seq; s++) {
                    for (int c = 0; c < WIDTH; c++) {
                        float xv = x[(b * seq + s) * WIDTH + c];
                        assertEquals(xv * 0.5f, yv[((b * 2 + c / 4) * seq + s) * 4 + c % 4], 0f);
                        assertEquals(xv + (s * WIDTH + c) * 0.01f, zv[(b * seq + s) * WIDTH + c], 1e-5f);
                    }
                }
            }
            Map<String, long[]> shape = Map.of("X", new long[]{batch, seq, WIDTH});
            assertSame(executor.layout(shape), executor.layout(shape), "a repeated signature is a cache hit");
            assertEquals(List.of("Z"), executor.run(inputs, Set.of("Z")).stream().map(Tensor::name).toList());
            assertEquals(executor.deviceBytes(), kernels.allocatedBytes());
            IllegalArgumentException wrongWidth = assertThrows(IllegalArgumentException.class,
                    () -> executor.run(Map.of("X", floats("X", new float[6], 1, 2, 3)), Set.of()));
            assertEquals("input 'X' has shape [1, 2, 3] but the model declares [-1, -1, 8]", wrongWidth.getMessage());
            IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                    () -> executor.run(Map.of("X", floats("X", new float[17 * WIDTH], 1, 17, WIDTH)), Set.of()));
            assertTrue(tooLong.getMessage().contains("node /Add/Z) cannot be shaped for inputs {X=[1, 17, 8]}"),
                    "only 16 positions exist: " + tooLong.getMessage());
        }
        assertEquals(0, kernels.allocatedBytes());
        assertThrows(IllegalStateException.class, closedOne::load);
    }
}
