package io.trims.agent.testing;

import io.trims.runtime.LoadedModel;
import io.trims.runtime.ModelRuntime;
import io.trims.runtime.RuntimeLoadException;
import io.trims.protocol.tensor.Tensor;
import io.trims.agent.tier.GpuBackend;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * A GPU executor double for the GPU tier's bookkeeping only (a GPU-less unit of logic): a loaded model claims a
 * number of device bytes, which a test may change, and runs nothing; closing is recorded. The tier on a real device
 * is tested by the {@code gpu} tests.
 */
public final class BookkeepingGpu implements GpuBackend, ModelRuntime {

    private final ToLongFunction<String> bytesOfFile;
    private final List<String> closed = new ArrayList<>();
    private volatile boolean closedDevice;

    /** @param bytesOfFile device bytes a model claims when loaded, from its file name */
    public BookkeepingGpu(ToLongFunction<String> bytesOfFile) {
        this.bytesOfFile = bytesOfFile;
    }

    /** Names of the model files whose device copies were closed, in order. */
    public synchronized List<String> closed() {
        return List.copyOf(closed);
    }

    public boolean closedDevice() {
        return closedDevice;
    }

    @Override
    public String deviceName() {
        return "bookkeeping double";
    }

    @Override
    public long freeBytes() {
        return 0;
    }

    @Override
    public long totalBytes() {
        return 0;
    }

    @Override
    public ModelRuntime runtime() {
        return this;
    }

    @Override
    public long deviceBytes(LoadedModel model) {
        return ((DeviceModel) model).bytes;
    }

    /** A file named {@code unsupported...} is refused as a model the executor cannot run. */
    @Override
    public LoadedModel load(Path file) throws RuntimeLoadException {
        String name = file.getFileName().toString();
        if (name.startsWith("unsupported")) {
            throw new RuntimeLoadException("operator LSTM is not supported", null);
        }
        return new DeviceModel(name, bytesOfFile.applyAsLong(name));
    }

    @Override
    public void close() {
        closedDevice = true;
    }

    /** A model's device copy as the double holds it. */
    public final class DeviceModel implements LoadedModel {
        private final String name;
        private volatile long bytes;
        private volatile boolean isClosed;

        DeviceModel(String name, long bytes) {
            this.name = name;
            this.bytes = bytes;
        }

        /** Lets a test grow or shrink what the copy holds on the device, as a larger batch grows its arena. */
        public void claim(long deviceBytes) {
            bytes = deviceBytes;
        }

        public boolean isClosed() {
            return isClosed;
        }

        @Override
        public Set<String> inputNames() {
            return Set.of();
        }

        @Override
        public Set<String> outputNames() {
            return Set.of();
        }

        @Override
        public List<Tensor> run(Map<String, Tensor> inputs, Set<String> outputs) {
            throw new UnsupportedOperationException("the bookkeeping double runs nothing");
        }

        @Override
        public void close() {
            isClosed = true;
            synchronized (BookkeepingGpu.this) {
                closed.add(name);
            }
        }
    }
}
