package io.trims.gpu.cuda;

import io.trims.gpu.GpuProbe;
import io.trims.runtime.LoadedModel;
import io.trims.protocol.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.trims.gpu.testing.RequiresGpu;

/**
 * Real models on the GPU against ONNX Runtime's outputs computed elsewhere (the GPU machine has no ONNX Runtime):
 * {@code -Dtrims.gpu.cases=model.onnx=reference.bin,model.onnx=reference2.bin,...}, each reference file written
 * by {@link ReferenceTensors} with the inputs and ONNX Runtime's outputs. Every output must agree within
 * {@code -Dtrims.gpu.tolerance} (default 1e-3, max abs diff). Without the property the test is skipped.
 */
@RequiresGpu
class RealModelOnDeviceTest {

    @Test
    void realModelsAgreeWithOnnxRuntime() throws Exception {
        String cases = System.getProperty("trims.gpu.cases", "");
        Assumptions.assumeFalse(cases.isBlank(), "no -Dtrims.gpu.cases given");
        assertTrue(GpuProbe.probe().present(), GpuProbe.probe().reason());
        double tolerance = Double.parseDouble(System.getProperty("trims.gpu.tolerance", "1e-3"));
        Map<Path, List<Path>> byModel = new LinkedHashMap<>();
        for (String pair : cases.split(",")) {
            String[] parts = pair.trim().split("=", 2);
            byModel.computeIfAbsent(Path.of(parts[0]), p -> new java.util.ArrayList<>()).add(Path.of(parts[1]));
        }
        try (GpuRuntime runtime = GpuRuntime.open(0)) {
            for (Map.Entry<Path, List<Path>> e : byModel.entrySet()) {
                try (LoadedModel model = runtime.load(e.getKey())) {
                    for (Path ref : e.getValue()) {
                        check(runtime, model, e.getKey(), ref, tolerance);
                    }
                }
            }
            assertEquals(0, runtime.memory().totalBytes());
        }
    }

    private static void check(GpuRuntime runtime, LoadedModel model, Path file, Path ref, double tolerance)
            throws Exception {
        ReferenceTensors.Reference reference = ReferenceTensors.read(ref);
        Map<String, Tensor> inputs = new HashMap<>();
        reference.inputs().forEach(t -> inputs.put(t.name(), t));
        Set<String> wanted = new java.util.LinkedHashSet<>();
        reference.outputs().forEach(t -> wanted.add(t.name()));
        model.run(inputs, wanted); // the first run of a shape plans it and sizes the arena
        long start = System.nanoTime();
        List<Tensor> got = model.run(inputs, wanted);
        double ms = (System.nanoTime() - start) / 1e6;
        Map<String, Tensor> byName = new HashMap<>();
        got.forEach(t -> byName.put(t.name(), t));
        for (Tensor want : reference.outputs()) {
            Tensor have = byName.get(want.name());
            assertArrayEquals(want.shape(), have.shape(), want.name() + " shape");
            double diff = maxAbsDiff((float[]) want.data(), (float[]) have.data());
            System.out.printf("%s %s %s: max abs diff %.3g, warm run %.2f ms, %d device bytes%n", file.getFileName(),
                    ref.getFileName(), want.name(), diff, ms, runtime.deviceBytes(model));
            assertTrue(diff <= tolerance, file.getFileName() + " " + ref.getFileName() + " " + want.name()
                    + ": max abs diff " + diff + " > " + tolerance);
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (Double.isNaN(d)) {
                return Double.POSITIVE_INFINITY;
            }
            max = Math.max(max, d);
        }
        return max;
    }
}
