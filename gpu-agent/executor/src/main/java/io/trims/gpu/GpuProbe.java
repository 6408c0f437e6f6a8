package io.trims.gpu;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Finds out once per JVM whether a CUDA GPU can be used, through JCuda's driver API. Where libcuda.so.1 is absent
 * the first touch of {@link JCudaDriver} throws a {@link LinkageError} and the class stays unusable for the life of
 * the JVM, so the answer is computed once and remembered.
 */
public final class GpuProbe {

    private static final Logger LOG = LoggerFactory.getLogger(GpuProbe.class);
    private static volatile GpuInfo answer;

    private GpuProbe() {
    }

    /** The remembered answer, probing on the first call. Never throws. */
    public static GpuInfo probe() {
        GpuInfo known = answer;
        if (known != null) {
            return known;
        }
        synchronized (GpuProbe.class) {
            if (answer == null) {
                answer = probeOnce();
                if (answer.present()) {
                    LOG.info("GPU tier present: {} with {} bytes ({} free)", answer.name(), answer.totalBytes(), answer.freeBytes());
                } else {
                    LOG.info("GPU tier absent: {}", answer.reason());
                }
            }
            return answer;
        }
    }

    private static GpuInfo probeOnce() {
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            int[] count = new int[1];
            JCudaDriver.cuDeviceGetCount(count);
            if (count[0] == 0) {
                return GpuInfo.absent("the CUDA driver reports no devices");
            }
            CUdevice device = new CUdevice();
            JCudaDriver.cuDeviceGet(device, 0);
            CUcontext context = new CUcontext();
            JCudaDriver.cuCtxCreate(context, 0, device);
            try {
                long[] free = new long[1];
                long[] total = new long[1];
                JCudaDriver.cuMemGetInfo(free, total);
                return new GpuInfo(true, deviceName(device), total[0], free[0], "");
            } finally {
                JCudaDriver.cuCtxDestroy(context);
            }
        } catch (LinkageError e) {
            return GpuInfo.absent("no CUDA driver (libcuda.so.1) could be loaded: " + innermost(e.getMessage()));
        } catch (RuntimeException e) {
            // JCuda's CudaException (e.g. CUDA_ERROR_NO_DEVICE) when exceptions are enabled.
            return GpuInfo.absent("the CUDA driver refused: " + e.getMessage());
        }
    }

    /** JCuda's message carries the nested stack traces of every load attempt; the last error line says why. */
    private static String innermost(String message) {
        if (message == null) {
            return "unknown reason";
        }
        String marker = "UnsatisfiedLinkError: ";
        String reason = message.lines().findFirst().orElse(message);
        for (String line : message.lines().toList()) {
            int at = line.indexOf(marker);
            if (at >= 0) {
                reason = line.substring(at + marker.length());
            }
        }
        return reason;
    }

    /** The device's name as the driver reports it. Only for a machine where {@link #probe()} found a GPU. */
    public static String deviceName(CUdevice device) {
        byte[] raw = new byte[256];
        JCudaDriver.cuDeviceGetName(raw, raw.length, device);
        return cString(raw);
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }
}
