package io.trims.bench;

import io.trims.agent.gpu.cuda.CudaDevice;
import io.trims.agent.gpu.cuda.DeviceMemory;
import io.trims.agent.gpu.cuda.GemmBenchmark;
import io.trims.agent.gpu.cuda.KernelModule;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;

import java.util.OptionalDouble;

/** trims' SGEMM kernel at one square size, against the device's peak FP32. Touches JCuda: GPU machines only. */
record GemmFigure(String device, int size, double flopsPerSecond, double peakFlopsPerSecond, String peakSource) {

    static GemmFigure measure(int size, int reps) {
        try (CudaDevice device = CudaDevice.open(0); KernelModule kernels = KernelModule.load(device)) {
            GemmBenchmark.Measurement m = GemmBenchmark.sgemm(new DeviceMemory(device), kernels, size, size, size, reps);
            OptionalDouble sheet = PeakFlops.fromName(device.name());
            if (sheet.isPresent()) {
                return new GemmFigure(device.name(), size, m.flopsPerSecond(), sheet.getAsDouble(), "data sheet");
            }
            CUdevice handle = new CUdevice();
            JCudaDriver.cuDeviceGet(handle, device.ordinal());
            int[] sms = new int[1];
            int[] clockKhz = new int[1];
            JCudaDriver.cuDeviceGetAttribute(sms, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, handle);
            JCudaDriver.cuDeviceGetAttribute(clockKhz, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_CLOCK_RATE, handle);
            return new GemmFigure(device.name(), size, m.flopsPerSecond(), PeakFlops.estimate(sms[0], clockKhz[0]),
                    sms[0] + " SMs x " + clockKhz[0] / 1000 + " MHz x 128 x 2");
        }
    }

    double fractionOfPeak() {
        return flopsPerSecond / peakFlopsPerSecond;
    }
}
