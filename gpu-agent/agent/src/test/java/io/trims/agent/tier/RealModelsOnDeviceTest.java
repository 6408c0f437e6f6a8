package io.trims.agent.tier;

import io.trims.devicedata.DeviceData;
import io.trims.devicedata.FixedInputs;
import io.trims.devicedata.ReferenceOutput;

import io.trims.gpu.GpuProbe;
import io.trims.runtime.LoadedModel;
import io.trims.protocol.tensor.Tensor;
import io.trims.agent.tier.GpuBackend;
import io.trims.agent.tier.GpuBackends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;
import io.trims.gpu.testing.RequiresGpu;

/**
 * The real graphs of all-MiniLM-L6-v2 and bge-small-en-v1.5 (weights regrown from the seed, see {@link DeviceData})
 * on the GPU at batch 1, 8 and 32, seq 128: every output within 1e-3 of ONNX Runtime's on the same weights,
 * computed where the data was prepared. Needs {@code -Dtrims.devicedata=<dir>} (what prepare-device.sh writes).
 */
@RequiresGpu
class RealModelsOnDeviceTest {

    static final double TOLERANCE = 1e-3;

    @TempDir
    static Path models;
    private static Path data;
    private static GpuBackend gpu;

    @BeforeAll
    static void open() throws Exception {
        assertTrue(GpuProbe.probe().present(), GpuProbe.probe().reason());
        data = Path.of(System.getProperty("trims.devicedata", ".device/data"));
        assertTrue(Files.isDirectory(data), "no device data at " + data + "; run gpu-agent/scripts/prepare-device.sh");
        DeviceData.grow(data, models);
        gpu = GpuBackends.open(GpuProbe.probe()).orElseThrow(() -> new AssertionError("this build has no GPU executor"));
    }

    @AfterAll
    static void close() {
        if (gpu != null) {
            gpu.close();
        }
    }

    @TestFactory
    List<DynamicTest> gpuOutputsMatchOnnxRuntime() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : DeviceData.models(data)) {
            for (int batch : DeviceData.BATCHES) {
                tests.add(DynamicTest.dynamicTest(name + " batch " + batch, () -> compare(name, batch)));
            }
        }
        return tests;
    }

    private static void compare(String name, int batch) throws Exception {
        try (LoadedModel model = gpu.runtime().load(models.resolve(name + ".onnx"))) {
            Map<String, Tensor> inputs = FixedInputs.bert(batch, FixedInputs.SEQ, model.inputNames());
            for (Tensor out : model.run(inputs, Set.of())) {
                ReferenceOutput reference;
                try (InputStream in = Files.newInputStream(data.resolve(DeviceData.referenceName(name, batch, out.name())))) {
                    reference = ReferenceOutput.read(in);
                }
                double diff = reference.maxAbsDiff(out.shape(), (float[]) out.data());
                System.out.printf("%s batch %d %s: max abs diff %.3g over %d values%n", name, batch, out.name(), diff,
                        reference.values().length);
                assertTrue(diff <= TOLERANCE, name + " batch " + batch + " " + out.name() + ": max abs diff " + diff);
            }
        }
    }
}
