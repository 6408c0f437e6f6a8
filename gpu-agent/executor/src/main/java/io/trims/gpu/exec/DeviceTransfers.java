package io.trims.gpu.exec;

import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;

/** Host tensors to and from device buffers, by element type. */
final class DeviceTransfers {

    private DeviceTransfers() {
    }

    static <B> void upload(Kernels<B> kernels, B dst, Tensor t) {
        switch (t.type()) {
            case FP32 -> kernels.uploadFloats(dst, (float[]) t.data());
            case INT64 -> kernels.uploadLongs(dst, (long[]) t.data());
            case INT32 -> kernels.uploadInts(dst, (int[]) t.data());
            case BOOL -> kernels.uploadBools(dst, (boolean[]) t.data());
            default -> throw new IllegalArgumentException("tensor '" + t.name() + "' of " + t.type() + " cannot go to the device");
        }
    }

    static <B> Tensor download(Kernels<B> kernels, B src, String name, DataType type, long[] shape) {
        int count = Math.toIntExact(Tensor.elementCount(shape));
        Object data = switch (type) {
            case FP32 -> kernels.downloadFloats(src, count);
            case INT64 -> kernels.downloadLongs(src, count);
            case INT32 -> kernels.downloadInts(src, count);
            case BOOL -> kernels.downloadBools(src, count);
            default -> throw new IllegalArgumentException("tensor '" + name + "' of " + type + " cannot come from the device");
        };
        return new Tensor(name, type, shape, data);
    }
}
