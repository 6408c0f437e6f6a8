package io.trims.gpu.cuda;

import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

import java.util.List;

/**
 * Checks a kernel's arguments against its declared parameters and packs them into the {@code kernelParams}
 * array of {@code cuLaunchKernel}: one pointer per parameter, to the value (a device pointer, an int, a float,
 * or a struct passed as its packed int array). Pure Java: {@link Pointer} does not load native code.
 */
public final class LaunchArgs {

    private LaunchArgs() {
    }

    /**
     * Throws {@link IllegalArgumentException} naming the first argument that does not fit. A PTR takes a
     * {@link DeviceBuffer} or {@code null} (a null device pointer), INT an {@link Integer}, FLOAT a {@link Float},
     * a struct an {@code int[]} of exactly its size.
     */
    public static void check(CudaKernel kernel, Object... args) {
        List<ParamKind> params = kernel.params();
        if (args.length != params.size()) {
            throw new IllegalArgumentException(kernel.entry() + " takes " + params.size() + " arguments, not "
                    + args.length);
        }
        for (int i = 0; i < args.length; i++) {
            ParamKind kind = params.get(i);
            Object a = args[i];
            boolean fits = switch (kind) {
                case PTR -> a == null || a instanceof DeviceBuffer;
                case INT -> a instanceof Integer;
                case FLOAT -> a instanceof Float;
                case STRIDED1, STRIDED2, STRIDED3, GEMM -> a instanceof int[] s && s.length * 4 == kind.bytes();
            };
            if (!fits) {
                throw new IllegalArgumentException(kernel.entry() + " argument " + i + " must be " + kind + ", not "
                        + describe(a));
            }
        }
    }

    /** The checked arguments as {@code cuLaunchKernel}'s parameter array. */
    public static Pointer pack(CudaKernel kernel, Object... args) {
        check(kernel, args);
        NativePointerObject[] each = new NativePointerObject[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            each[i] = switch (kernel.params().get(i)) {
                case PTR -> Pointer.to(a == null ? new CUdeviceptr() : ((DeviceBuffer) a).pointer());
                case INT -> Pointer.to(new int[] {(Integer) a});
                case FLOAT -> Pointer.to(new float[] {(Float) a});
                case STRIDED1, STRIDED2, STRIDED3, GEMM -> Pointer.to((int[]) a);
            };
        }
        return Pointer.to(each);
    }

    private static String describe(Object a) {
        if (a == null) {
            return "null";
        }
        if (a instanceof int[] s) {
            return "int[" + s.length + "]";
        }
        return a.getClass().getSimpleName();
    }
}
