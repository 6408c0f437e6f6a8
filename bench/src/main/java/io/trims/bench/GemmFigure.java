package io.trims.bench;

import io.trims.gpu.cuda.GemmBenchmark;
import io.trims.gpu.cuda.GpuRuntime;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;

import java.util.OptionalDouble;

/** trims' SGEMM kernel at one square size, against the device's peak FP32. Touches JCuda: GPU machines only. */
record GemmFigure(String device, int size, double flopsPerSecond, double peakFlopsPerSecond, String peakSource) {

    static GemmFigure measure(int size, int reps) {
        try (GpuRuntime gpu = GpuRuntime.open(0)) {
            GemmBenchmark.Measurement m = gpu.sgemm(size, size, size, reps);
            OptionalDouble sheet = PeakFlops.fromName(gpu.deviceName());
            if (sheet.isPresent()) {
                return new GemmFigure(gpu.deviceName(), size, m.flopsPerSecond(), sheet.getAsDouble(), "data sheet");
            }
            CUdevice handle = new CUdevice();
            JCudaDriver.cuDeviceGet(handle, 0);
            int[] sms = new int[1];
            int[] clockKhz = new int[1];
            JCudaDriver.cuDeviceGetAttribute(sms, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, handle);
            JCudaDriver.cuDeviceGetAttribute(clockKhz, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_CLOCK_RATE, handle);
            return new GemmFigure(gpu.deviceName(), size, m.flopsPerSecond(), PeakFlops.estimate(sms[0], clockKhz[0]),
                    sms[0] + " SMs x " + clockKhz[0] / 1000 + " MHz x 128 x 2");
        }
    }

    double fractionOfPeak() {
        return flopsPerSecond / peakFlopsPerSecond;
    }
}
