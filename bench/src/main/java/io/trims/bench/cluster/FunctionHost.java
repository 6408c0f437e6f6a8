package io.trims.bench.cluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.trims.protocol.InferRequest;
import io.trims.protocol.V2Codec;
import io.trims.protocol.tensor.Tensor;
import io.trims.runtime.LoadedModel;
import io.trims.runtime.onnx.OnnxCpuRuntime;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One host of the per-invocation baseline, the serverless practice the TrIMS paper starts from: every request
 * reads its model from the host's local disk, creates an ONNX Runtime session (the same runtime class and
 * settings as an agent's CPU tier), runs it, and closes it; nothing is kept between requests. It answers the same
 * KServe v2 infer path as an agent, with {@code trims-tier: disk}. Invocations run on {@code threads} workers, and
 * only while the models being loaded fit in {@code budget} bytes (the memory an agent's CPU tier may use), as a
 * function platform admits functions by their memory size.
 *
 * <p>Run as its own process: {@code FunctionHost <name> <models-dir> <threads> <budget-bytes>}; prints
 * {@code function host <name> serving at <url>} once it listens.
 */
public final class FunctionHost {

    private static final Pattern INFER = Pattern.compile("^/v2/models/([A-Za-z0-9][A-Za-z0-9._-]*)(?:/versions/[^/]+)?/infer$");
    private static final long MIB = 1 << 20;
    private static final long ADMISSION_PATIENCE_S = 300;
    /** Longer than the slowest load (about 13 s for 2 GB), shorter than the benchmark waits before it kills. */
    private static final long STOP_PATIENCE_S = 15;

    private final String name;
    private final Path models;
    private final Semaphore memoryMib;
    private final int budgetMib;
    private final OnnxCpuRuntime runtime = new OnnxCpuRuntime(1);

    private FunctionHost(String name, Path models, long budgetBytes) {
        this.name = name;
        this.models = models;
        this.budgetMib = (int) (budgetBytes / MIB);
        this.memoryMib = new Semaphore(budgetMib, true);
    }

    public static void main(String[] args) throws IOException {
        String name = args[0];
        FunctionHost host = new FunctionHost(name, Path.of(args[1]), Long.parseLong(args[3]));
        int threads = Integer.parseInt(args[2]);
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.createContext("/v2/models/", host::handle);
        server.setExecutor(workers);
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            workers.shutdown();
            try {
                // A JVM that exits while ONNX Runtime is creating a session crashes in native code: let loads finish.
                workers.awaitTermination(STOP_PATIENCE_S, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "function-host-stop"));
        System.out.println("function host " + name + " serving at http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Matcher m = INFER.matcher(exchange.getRequestURI().getPath());
            if (!"POST".equals(exchange.getRequestMethod()) || !m.matches()) {
                reply(exchange, 404, error("no such route"));
                return;
            }
            Path file = models.resolve(m.group(1) + ".onnx");
            if (!Files.isRegularFile(file)) {
                reply(exchange, 404, error("unknown model '" + m.group(1) + "'"));
                return;
            }
            int mib = (int) Math.max(1, (Files.size(file) + MIB - 1) / MIB);
            if (mib > budgetMib) {
                reply(exchange, 507, error("model larger than the host's memory budget"));
                return;
            }
            if (!memoryMib.tryAcquire(mib, ADMISSION_PATIENCE_S, TimeUnit.SECONDS)) {
                reply(exchange, 503, error("no memory for the model within " + ADMISSION_PATIENCE_S + " s"));
                return;
            }
            byte[] answer;
            try {
                answer = invoke(m.group(1), file, body);
            } finally {
                memoryMib.release(mib);
            }
            reply(exchange, 200, answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            reply(exchange, 500, error(String.valueOf(e.getMessage())));
        }
    }

    /** Load, run, unload: the whole life of a model in a function without a persistent store. */
    private byte[] invoke(String model, Path file, byte[] body) throws Exception {
        InferRequest request = V2Codec.parseRequest(Buffer.buffer(body));
        try (LoadedModel loaded = runtime.load(file)) {
            Map<String, Tensor> inputs = new HashMap<>();
            request.inputs().forEach(t -> inputs.put(t.name(), t));
            List<Tensor> outputs = loaded.run(inputs, new LinkedHashSet<>(request.requestedOutputs()));
            return V2Codec.formatResponse(model, "1", request.id(), outputs).encode().getBytes(StandardCharsets.UTF_8);
        }
    }

    private void reply(HttpExchange exchange, int status, byte[] json) throws IOException {
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.getResponseHeaders().set("trims-host", name);
        if (status == 200) {
            exchange.getResponseHeaders().set("trims-tier", "disk");
        }
        exchange.sendResponseHeaders(status, json.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(json);
        }
    }

    private static byte[] error(String message) {
        return new JsonObject().put("error", message).encode().getBytes(StandardCharsets.UTF_8);
    }
}
