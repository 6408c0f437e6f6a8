package io.trims.gpu.exec;

import io.trims.gpu.graph.ElementTypes;
import io.trims.gpu.graph.GraphException;
import io.trims.gpu.graph.HostValues;
import io.trims.gpu.graph.Shapes;
import io.trims.gpu.graph.ValueInfo;
import io.trims.gpu.plan.ArenaPlanner;
import io.trims.gpu.plan.Binder;
import io.trims.gpu.plan.Layout;
import io.trims.gpu.plan.Placement;
import io.trims.gpu.plan.Plan;
import io.trims.gpu.plan.Signature;
import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs a {@link Plan} through a {@link Kernels}: weights go up once on {@link #load()}, activations live in one arena
 * sized for the largest input-shape signature seen so far (it grows, never shrinks, until {@link #close()}). Layouts and
 * compiled launches are cached per signature (the {@value #CACHED_SIGNATURES} most recent), so a repeated shape costs
 * a map lookup on the host. Runs are serialised: there is one arena.
 */
public final class PlanExecutor<B> implements AutoCloseable {

    private final Kernels<B> kernels;
    private Plan plan;
    private boolean closed;
    /** Signatures whose layout and launches stay cached; the least recently used beyond this are bound again. */
    public static final int CACHED_SIGNATURES = 64;

    private final Map<Signature, Layout> layouts = lru();
    private final Map<Signature, List<Runnable>> launches = lru();
    private final Map<String, B> weights = new HashMap<>();
    private B weightBlock;
    private long weightBlockBytes;
    private B arena;
    private long arenaBytes;

    public PlanExecutor(Plan plan, Kernels<B> kernels) {
        this.plan = plan;
        this.kernels = kernels;
    }

    /**
     * Uploads every weight the device steps read into one device block (once; later calls do nothing), then drops
     * the plan's host copies of the weights ({@link Plan#withoutWeightData()}).
     */
    public synchronized void load() {
        if (closed) {
            throw new IllegalStateException("the executor is closed");
        }
        if (weightBlock != null) {
            return;
        }
        Map<String, Long> offsets = new TreeMap<>();
        long total = 0;
        for (Map.Entry<String, Tensor> w : new TreeMap<>(plan.weights()).entrySet()) {
            offsets.put(w.getKey(), total);
            total += ArenaPlanner.align(bytes(w.getValue()));
        }
        weightBlock = kernels.allocate(Math.max(total, 1));
        weightBlockBytes = Math.max(total, 1);
        offsets.forEach((name, offset) -> {
            Tensor t = plan.weights().get(name);
            B view = kernels.view(weightBlock, offset, Math.max(bytes(t), 1));
            weights.put(name, view);
            if (t.size() > 0) {
                DeviceTransfers.upload(kernels, view, t);
            }
        });
        kernels.synchronize();
        plan = plan.withoutWeightData();
    }

    /**
     * Runs the model on {@code inputs} (one tensor per graph input, of its declared type) and returns the requested
     * outputs (every graph output when {@code outputs} is empty) in graph output order.
     */
    public synchronized List<Tensor> run(Map<String, Tensor> inputs, Set<String> outputs) {
        if (weightBlock == null) {
            throw new IllegalStateException("the plan is not loaded");
        }
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (ValueInfo in : plan.graph().inputs()) {
            Tensor t = inputs.get(in.name());
            if (t == null) {
                throw new IllegalArgumentException("input '" + in.name() + "' is missing");
            }
            if (t.type() != in.type()) {
                throw new IllegalArgumentException("input '" + in.name() + "' is " + t.type() + " but the model takes " + in.type());
            }
            shapes.put(in.name(), t.shape());
        }
        Signature signature = Signature.of(shapes);
        Layout layout = layout(signature);
        ensureArena(layout.arenaBytes());
        List<Runnable> program = launches.computeIfAbsent(signature,
                s -> StepCompiler.compile(plan.steps(), new Context(layout)));
        Context ctx = new Context(layout);
        for (ValueInfo in : plan.graph().inputs()) {
            if (plan.lifetimes().containsKey(in.name()) && inputs.get(in.name()).size() > 0) {
                DeviceTransfers.upload(kernels, ctx.buffer(in.name()), inputs.get(in.name()));
            }
        }
        layout.hostValues().forEach((name, value) -> {
            if (plan.lifetimes().containsKey(name) && value.size() > 0) {
                DeviceTransfers.upload(kernels, ctx.buffer(name), value);
            }
        });
        program.forEach(Runnable::run);
        List<Tensor> results = new ArrayList<>();
        for (ValueInfo out : plan.graph().outputs()) {
            if (outputs.isEmpty() || outputs.contains(out.name())) {
                results.add(output(out.name(), layout, ctx));
            }
        }
        return results;
    }

    private Tensor output(String name, Layout layout, Context ctx) {
        Tensor host = layout.hostValues().getOrDefault(name, plan.constants().get(name));
        if (host != null) {
            return new Tensor(name, host.type(), host.shape(), host.data());
        }
        long[] shape = layout.shape(name);
        DataType type = plan.types().get(name);
        if (Shapes.count(shape) == 0) {
            return new Tensor(name, type, shape, HostValues.newArray(type, 0));
        }
        return DeviceTransfers.download(kernels, ctx.buffer(name), name, type, shape);
    }

    private void ensureArena(long bytes) {
        if (arena != null && arenaBytes >= bytes) {
            return;
        }
        if (arena != null) {
            kernels.free(arena);
            launches.clear();
        }
        arena = kernels.allocate(Math.max(bytes, 1));
        arenaBytes = Math.max(bytes, 1);
    }

    /** Bytes allocated on the device for weights (0 before {@link #load()}). */
    public synchronized long weightBytes() {
        return weightBlock == null ? 0 : weightBlockBytes;
    }

    /** Bytes of the arena currently allocated on the device (0 before the first run). */
    public synchronized long arenaBytes() {
        return arena == null ? 0 : arenaBytes;
    }

    /** Everything this executor holds on the device: weights plus arena. */
    public synchronized long deviceBytes() {
        return weightBytes() + arenaBytes();
    }

    /**
     * The layout for these input shapes (binding it if not seen yet): shapes, host values, arena offsets and size.
     * An {@link IllegalArgumentException} says why shapes do not fit the model.
     */
    public synchronized Layout layout(Map<String, long[]> inputShapes) {
        return layout(Signature.of(inputShapes));
    }

    private Layout layout(Signature signature) {
        Layout layout = layouts.get(signature);
        if (layout == null) {
            try {
                layout = Binder.bind(plan, signature);
            } catch (GraphException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            layouts.put(signature, layout);
        }
        return layout;
    }

    /** The plan this executor runs (after {@link #load()}, without host copies of the weights). */
    public synchronized Plan plan() {
        return plan;
    }

    /** Frees the weights and the arena (not the kernels); a closed executor cannot be loaded again. */
    @Override
    public synchronized void close() {
        closed = true;
        if (arena != null) {
            kernels.free(arena);
            arena = null;
        }
        if (weightBlock != null) {
            kernels.free(weightBlock);
            weightBlock = null;
        }
        weights.clear();
        launches.clear();
    }

    private static <V> Map<Signature, V> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Signature, V> eldest) {
                return size() > CACHED_SIGNATURES;
            }
        };
    }

    private static long bytes(Tensor t) {
        return (long) t.size() * ElementTypes.bytes(t.type());
    }

    /** Buffers of one layout in the current arena. */
    private final class Context implements StepContext<B> {

        private final Layout layout;

        Context(Layout layout) {
            this.layout = layout;
        }

        @Override
        public Kernels<B> kernels() {
            return kernels;
        }

        @Override
        public int opset() {
            return plan.graph().opset();
        }

        @Override
        public B buffer(String tensor) {
            String root = plan.root(tensor);
            if (plan.placement(root) == Placement.WEIGHT) {
                return weights.get(root);
            }
            Long offset = layout.offsets().get(root);
            if (offset == null) {
                throw new IllegalStateException("tensor '" + tensor + "' has no device memory");
            }
            long size = Shapes.count(layout.shape(root)) * ElementTypes.bytes(plan.types().get(root));
            return kernels.view(arena, offset, Math.max(size, 1));
        }

        @Override
        public long[] shape(String tensor) {
            return layout.shape(tensor);
        }

        @Override
        public DataType type(String tensor) {
            return plan.types().get(tensor);
        }

        @Override
        public long[] longs(String tensor) {
            Tensor t = layout.hostValues().getOrDefault(tensor, plan.constants().get(tensor));
            if (t == null) {
                throw new IllegalStateException("tensor '" + tensor + "' is not known on the host");
            }
            return HostValues.longs(t);
        }
    }
}
