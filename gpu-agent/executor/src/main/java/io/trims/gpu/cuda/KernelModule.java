package io.trims.gpu.cuda;

import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * trims' kernels loaded into a device's context: every PTX resource through {@code cuModuleLoadData} (the driver
 * JIT-compiles PTX for the device at hand), and every {@link CudaKernel} looked up once.
 */
public final class KernelModule implements AutoCloseable {

    private final CudaDevice device;
    private final Map<String, CUmodule> modules;
    private final Map<CudaKernel, CUfunction> functions;

    private KernelModule(CudaDevice device, Map<String, CUmodule> modules, Map<CudaKernel, CUfunction> functions) {
        this.device = device;
        this.modules = modules;
        this.functions = functions;
    }

    public static KernelModule load(CudaDevice device) {
        device.makeCurrent();
        Map<String, CUmodule> modules = new LinkedHashMap<>();
        for (String name : PtxResources.MODULES) {
            CUmodule module = new CUmodule();
            JCudaDriver.cuModuleLoadData(module, PtxResources.image(name));
            modules.put(name, module);
        }
        Map<CudaKernel, CUfunction> functions = new EnumMap<>(CudaKernel.class);
        for (CudaKernel k : CudaKernel.values()) {
            CUfunction f = new CUfunction();
            JCudaDriver.cuModuleGetFunction(f, modules.get(k.module()), k.entry());
            functions.put(k, f);
        }
        return new KernelModule(device, modules, functions);
    }

    /** Launches {@code kernel} on {@code stream} (null: the context's default stream); does not wait. */
    public void launch(CudaKernel kernel, LaunchGeometry.Grid grid, CUstream stream, Object... args) {
        device.makeCurrent();
        JCudaDriver.cuLaunchKernel(functions.get(kernel), grid.x(), grid.y(), grid.z(), grid.block(), 1, 1,
                0, stream, LaunchArgs.pack(kernel, args), null);
    }

    public CudaDevice device() {
        return device;
    }

    @Override
    public void close() {
        device.makeCurrent();
        for (CUmodule m : modules.values()) {
            JCudaDriver.cuModuleUnload(m);
        }
        modules.clear();
    }
}
