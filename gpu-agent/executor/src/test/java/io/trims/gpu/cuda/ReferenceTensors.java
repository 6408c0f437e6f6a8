package io.trims.gpu.cuda;

import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The file that carries a model's inputs and its ONNX Runtime outputs to the GPU machine (which has no ONNX
 * Runtime): magic {@code TRIMSREF1}, then the inputs, then the outputs, each list an int count of tensors; a
 * tensor is its name and {@link DataType} name (UTF), rank (int), dims (long each), then its elements big-endian
 * (FP32 float, INT64 long, INT32 int, BOOL byte 0/1).
 */
public final class ReferenceTensors {

    private static final String MAGIC = "TRIMSREF1";

    /** Inputs to run, and the outputs ONNX Runtime gave for them. */
    public record Reference(List<Tensor> inputs, List<Tensor> outputs) {
    }

    private ReferenceTensors() {
    }

    public static void write(Path file, Reference reference) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeUTF(MAGIC);
            writeAll(out, reference.inputs());
            writeAll(out, reference.outputs());
        }
    }

    public static Reference read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            String magic = in.readUTF();
            if (!MAGIC.equals(magic)) {
                throw new IOException(file + " is not a trims reference file (magic " + magic + ")");
            }
            return new Reference(readAll(in), readAll(in));
        }
    }

    private static void writeAll(DataOutputStream out, List<Tensor> tensors) throws IOException {
        out.writeInt(tensors.size());
        for (Tensor t : tensors) {
            out.writeUTF(t.name());
            out.writeUTF(t.type().name());
            out.writeInt(t.shape().length);
            for (long d : t.shape()) {
                out.writeLong(d);
            }
            switch (t.type()) {
                case FP32 -> {
                    for (float v : (float[]) t.data()) {
                        out.writeFloat(v);
                    }
                }
                case INT64 -> {
                    for (long v : (long[]) t.data()) {
                        out.writeLong(v);
                    }
                }
                case INT32 -> {
                    for (int v : (int[]) t.data()) {
                        out.writeInt(v);
                    }
                }
                case BOOL -> {
                    for (boolean v : (boolean[]) t.data()) {
                        out.writeByte(v ? 1 : 0);
                    }
                }
                default -> throw new IOException("reference files carry FP32, INT64, INT32 and BOOL, not " + t.type());
            }
        }
    }

    private static List<Tensor> readAll(DataInputStream in) throws IOException {
        int count = in.readInt();
        List<Tensor> tensors = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            DataType type = DataType.valueOf(in.readUTF());
            long[] shape = new long[in.readInt()];
            long n = 1;
            for (int d = 0; d < shape.length; d++) {
                shape[d] = in.readLong();
                n *= shape[d];
            }
            int size = Math.toIntExact(n);
            Object data = switch (type) {
                case FP32 -> {
                    float[] v = new float[size];
                    for (int j = 0; j < size; j++) {
                        v[j] = in.readFloat();
                    }
                    yield v;
                }
                case INT64 -> {
                    long[] v = new long[size];
                    for (int j = 0; j < size; j++) {
                        v[j] = in.readLong();
                    }
                    yield v;
                }
                case INT32 -> {
                    int[] v = new int[size];
                    for (int j = 0; j < size; j++) {
                        v[j] = in.readInt();
                    }
                    yield v;
                }
                case BOOL -> {
                    boolean[] v = new boolean[size];
                    for (int j = 0; j < size; j++) {
                        v[j] = in.readByte() != 0;
                    }
                    yield v;
                }
                default -> throw new IOException("unexpected element type " + type);
            };
            tensors.add(new Tensor(name, type, shape, data));
        }
        return tensors;
    }
}
