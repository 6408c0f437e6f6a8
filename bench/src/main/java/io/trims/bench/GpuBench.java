package io.trims.bench;

import io.trims.devicedata.DeviceData;
import io.trims.devicedata.FixedInputs;
import io.trims.gpu.GpuProbe;
import io.trims.runtime.LoadedModel;
import io.trims.runtime.ModelRuntime;
import io.trims.runtime.onnx.OnnxCpuRuntime;
import io.trims.protocol.tensor.Tensor;
import io.trims.agent.tier.GpuBackend;
import io.trims.agent.tier.GpuBackends;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The GPU benchmark: per model (the real graphs of the device test data, weights regrown from the seed) and batch
 * size (1, 8, 32; seq 128): cold load from disk to the GPU, warm GPU run, warm CPU run with ONNX Runtime, and trims'
 * SGEMM against the device's peak FP32; written as a Markdown table naming the device.
 *
 * <p>Every run also times trims' own executor on plain-Java host kernels (the same plan, on the CPU) as a baseline.
 * {@code --cpu-only} runs the CPU half alone, so the harness runs on any machine. Usage:
 * {@code GpuBench [--data .device/data] [--out bench-report.md] [--reps 20] [--cpu-reps 5] [--cpu-only]
 * [--host-reps 3] [--host-batches 1,8]} (plain-Java kernels are slow: batch 32 is left out unless asked for).
 */
public final class GpuBench {

    private GpuBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path data = Path.of(options.getOrDefault("--data", ".device/data"));
        Path out = Path.of(options.getOrDefault("--out", "bench-report.md"));
        int reps = Integer.parseInt(options.getOrDefault("--reps", "20"));
        int cpuReps = Integer.parseInt(options.getOrDefault("--cpu-reps", "5"));
        boolean cpuOnly = options.containsKey("--cpu-only");
        int hostReps = Integer.parseInt(options.getOrDefault("--host-reps", "3"));
        int[] hostBatches = java.util.Arrays.stream(options.getOrDefault("--host-batches", "1,8").split(","))
                .mapToInt(Integer::parseInt).toArray();

        Path models = Files.createTempDirectory("trims-bench-models-");
        List<String> names = DeviceData.grow(data, models);
        Report report = new Report(cpuOnly);
        try (OnnxCpuRuntime ort = new OnnxCpuRuntime(Runtime.getRuntime().availableProcessors())) {
            for (String name : names) {
                Path file = models.resolve(name + ".onnx");
                for (int batch : DeviceData.BATCHES) {
                    report.put(name, batch, "ORT CPU warm (ms)", warm(ort, file, batch, cpuReps));
                }
            }
        }
        try (HostBaseline host = new HostBaseline()) {
            for (String name : names) {
                for (int batch : hostBatches) {
                    report.put(name, batch, "trims host kernels warm (ms)", warm(host, models.resolve(name + ".onnx"), batch, hostReps));
                }
            }
        }
        if (!cpuOnly) {
            gpu(report, names, models, reps);
        }
        Files.writeString(out, report.markdown(cpuReps, reps, hostReps));
        System.out.println(report.markdown(cpuReps, reps, hostReps));
        System.out.println("written to " + out.toAbsolutePath());
    }

    private static void gpu(Report report, List<String> names, Path models, int reps) throws Exception {
        GpuBackend gpu = GpuBackends.open(GpuProbe.probe())
                .orElseThrow(() -> new IllegalStateException("no GPU executor: " + GpuProbe.probe().reason()));
        try (gpu) {
            report.device(gpu.deviceName());
            for (String name : names) {
                Path file = models.resolve(name + ".onnx");
                for (int batch : DeviceData.BATCHES) {
                    LoadedModel[] loaded = new LoadedModel[1];
                    report.put(name, batch, "cold load disk→GPU (ms)", Timing.millis(() -> loaded[0] = gpu.runtime().load(file)));
                    try (LoadedModel model = loaded[0]) {
                        Map<String, Tensor> inputs = FixedInputs.bert(batch, FixedInputs.SEQ, model.inputNames());
                        report.put(name, batch, "first GPU run (ms)", Timing.millis(() -> model.run(inputs, Set.of())));
                        report.put(name, batch, "GPU warm (ms)", Timing.medianMillis(reps, () -> model.run(inputs, Set.of())));
                        report.put(name, batch, "device MiB", gpu.deviceBytes(model) / (1024.0 * 1024.0));
                    }
                }
            }
        }
        report.gemm(GemmFigure.measure(4096, 20));
    }

    /** Median wall time of one run of {@code file} at {@code batch} after a warm-up; the load is not timed. */
    static double warm(ModelRuntime runtime, Path file, int batch, int reps) throws Exception {
        try (LoadedModel model = runtime.load(file)) {
            Map<String, Tensor> inputs = FixedInputs.bert(batch, FixedInputs.SEQ, model.inputNames());
            return Timing.medianMillis(reps, () -> model.run(inputs, Set.of()));
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> list = new ArrayList<>(List.of(args));
        for (int i = 0; i < list.size(); i++) {
            String key = list.get(i);
            if (!key.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + key);
            }
            boolean flag = i + 1 >= list.size() || list.get(i + 1).startsWith("--");
            options.put(key, flag ? "" : list.get(++i));
        }
        return options;
    }
}
