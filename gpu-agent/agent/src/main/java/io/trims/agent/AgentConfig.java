package io.trims.agent;

import io.trims.agent.admission.AdmissionLimits;
import io.trims.policy.eviction.EvictionPolicies;
import io.trims.policy.eviction.LruPolicy;
import io.trims.protocol.EnvNumbers;
import io.trims.protocol.http.ServerTimeouts;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * How one agent runs.
 *
 * @param host             the agent's name in the directory
 * @param bindAddress      the address its HTTP server listens on (0.0.0.0: every interface)
 * @param port             HTTP port of its v2 API; 0 takes any free port
 * @param advertiseAddress the address the placement service uses to reach it
 * @param cacheDir         the disk tier's directory
 * @param diskBudgetBytes  disk tier budget
 * @param cpuBudgetBytes   CPU tier budget (sum of the resident models' file sizes)
 * @param evictionPolicy   name of the eviction policy of every tier
 * @param spareCopyIdleMs  how long a memory copy that another host keeps may go unused before it is given back
 *                         (0: never)
 * @param ortIntraThreads  ONNX Runtime intra-op threads per session
 * @param inferenceThreads worker threads that run models
 * @param loadThreads      worker threads that fetch and load models
 * @param maxRequestBytes  largest inference request body accepted (bigger: 413)
 * @param gpu              the GPU tier's settings
 * @param store            how fetches from object storage are retried and the store probed
 * @param admission        how many requests and bytes it holds at once, how big one may be, the default deadline
 * @param http             how long its HTTP server waits on a client
 */
public record AgentConfig(String host, String bindAddress, int port, String advertiseAddress, Path cacheDir, long diskBudgetBytes,
                          long cpuBudgetBytes, String evictionPolicy, long spareCopyIdleMs, int ortIntraThreads,
                          int inferenceThreads, int loadThreads, long maxRequestBytes, GpuSettings gpu,
                          StoreSettings store, AdmissionLimits admission, ServerTimeouts http) {

    public static final long GIB = 1L << 30;
    public static final long MIB = 1L << 20;

    public AgentConfig {
        EvictionPolicies.requireKnown(evictionPolicy);
        if (spareCopyIdleMs < 0) {
            throw new IllegalArgumentException("TRIMS_SPARE_COPY_IDLE_MS must not be negative (0 keeps spare copies), "
                    + "not " + spareCopyIdleMs);
        }
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new IllegalArgumentException("TRIMS_BIND_ADDRESS must be an address, e.g. 127.0.0.1 or 0.0.0.0");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("TRIMS_AGENT_PORT must be 0..65535, not " + port);
        }
        if (ortIntraThreads < 1 || inferenceThreads < 1 || loadThreads < 1) {
            throw new IllegalArgumentException("thread counts must be at least 1");
        }
        if (diskBudgetBytes < 0 || cpuBudgetBytes < 0 || maxRequestBytes < 1) {
            throw new IllegalArgumentException("budgets must not be negative and the request limit must be positive");
        }
    }

    /**
     * Reads TRIMS_HOST (default {@code <hostname>-<port>}, or {@code <hostname>-<random>} when the port is 0),
     * TRIMS_BIND_ADDRESS (0.0.0.0: an agent role runs in a container), TRIMS_AGENT_PORT (8081), TRIMS_ADVERTISE_ADDRESS (127.0.0.1), TRIMS_CACHE_DIR ({@code data/cache/<host>}),
     * TRIMS_DISK_BUDGET_BYTES (8 GiB), TRIMS_CPU_BUDGET_BYTES (4 GiB), TRIMS_EVICTION_POLICY (lru),
     * TRIMS_SPARE_COPY_IDLE_MS (60000), TRIMS_ORT_INTRA_THREADS (1), TRIMS_INFER_THREADS (cores), TRIMS_LOAD_THREADS (4),
     * TRIMS_MAX_REQUEST_BYTES (64 MiB), the GPU settings ({@link GpuSettings#fromEnv}), the store's
     * ({@link StoreSettings#fromEnv}), the admission limits
     * TRIMS_QUEUE_MAX_REQUESTS (256), TRIMS_QUEUE_MAX_REQUESTS_PER_MODEL (128), TRIMS_QUEUE_MAX_BYTES (256 MiB),
     * TRIMS_MAX_BATCH (1024), TRIMS_MAX_INPUT_ELEMENTS (16 Mi), TRIMS_MAX_OUTPUT_BYTES (16 MiB),
     * TRIMS_DEFAULT_DEADLINE_MS (0: none), and the HTTP timeouts ({@link ServerTimeouts#fromEnv}).
     */
    public static AgentConfig fromEnv(Map<String, String> env) {
        int port = intOf(env, "TRIMS_AGENT_PORT", 8081);
        String host = env.getOrDefault("TRIMS_HOST", defaultHost(port));
        String bind = env.get("TRIMS_BIND_ADDRESS");
        return new AgentConfig(
                host,
                bind == null || bind.isBlank() ? "0.0.0.0" : bind.trim(),
                port,
                env.getOrDefault("TRIMS_ADVERTISE_ADDRESS", "127.0.0.1"),
                Path.of(env.getOrDefault("TRIMS_CACHE_DIR", "data/cache/" + host)),
                longOf(env, "TRIMS_DISK_BUDGET_BYTES", 8 * GIB),
                longOf(env, "TRIMS_CPU_BUDGET_BYTES", 4 * GIB),
                env.getOrDefault("TRIMS_EVICTION_POLICY", LruPolicy.NAME),
                longOf(env, "TRIMS_SPARE_COPY_IDLE_MS", 60_000),
                intOf(env, "TRIMS_ORT_INTRA_THREADS", 1),
                intOf(env, "TRIMS_INFER_THREADS", Runtime.getRuntime().availableProcessors()),
                intOf(env, "TRIMS_LOAD_THREADS", 4),
                longOf(env, "TRIMS_MAX_REQUEST_BYTES", 64 * MIB),
                GpuSettings.fromEnv(env),
                StoreSettings.fromEnv(env),
                admission(env),
                ServerTimeouts.fromEnv(env));
    }

    private static AdmissionLimits admission(Map<String, String> env) {
        return new AdmissionLimits(
                intOf(env, "TRIMS_QUEUE_MAX_REQUESTS", AdmissionLimits.DEFAULT_MAX_REQUESTS),
                intOf(env, "TRIMS_QUEUE_MAX_REQUESTS_PER_MODEL", AdmissionLimits.DEFAULT_MAX_REQUESTS_PER_MODEL),
                longOf(env, "TRIMS_QUEUE_MAX_BYTES", AdmissionLimits.DEFAULT_MAX_HELD_BYTES),
                longOf(env, "TRIMS_MAX_BATCH", AdmissionLimits.DEFAULT_MAX_BATCH),
                longOf(env, "TRIMS_MAX_INPUT_ELEMENTS", AdmissionLimits.DEFAULT_MAX_INPUT_ELEMENTS),
                longOf(env, "TRIMS_MAX_OUTPUT_BYTES", AdmissionLimits.DEFAULT_MAX_OUTPUT_BYTES),
                longOf(env, "TRIMS_DEFAULT_DEADLINE_MS", 0));
    }

    /** One machine, loopback, any free port, the given cache and budgets: tests. */
    public static AgentConfig local(String host, Path cacheDir, long cpuBudgetBytes, long diskBudgetBytes) {
        return fromEnv(Map.of("TRIMS_HOST", host, "TRIMS_BIND_ADDRESS", "127.0.0.1", "TRIMS_AGENT_PORT", "0", "TRIMS_CACHE_DIR", cacheDir.toString(),
                "TRIMS_CPU_BUDGET_BYTES", Long.toString(cpuBudgetBytes),
                "TRIMS_DISK_BUDGET_BYTES", Long.toString(diskBudgetBytes), "TRIMS_INFER_THREADS", "4"));
    }

    public AgentConfig withMaxRequestBytes(long bytes) {
        return new AgentConfig(host, bindAddress, port, advertiseAddress, cacheDir, diskBudgetBytes, cpuBudgetBytes, evictionPolicy,
                spareCopyIdleMs, ortIntraThreads, inferenceThreads, loadThreads, bytes, gpu, store, admission, http);
    }

    public AgentConfig withGpu(GpuSettings settings) {
        return new AgentConfig(host, bindAddress, port, advertiseAddress, cacheDir, diskBudgetBytes, cpuBudgetBytes, evictionPolicy,
                spareCopyIdleMs, ortIntraThreads, inferenceThreads, loadThreads, maxRequestBytes, settings, store,
                admission, http);
    }

    public AgentConfig withStore(StoreSettings settings) {
        return new AgentConfig(host, bindAddress, port, advertiseAddress, cacheDir, diskBudgetBytes, cpuBudgetBytes, evictionPolicy,
                spareCopyIdleMs, ortIntraThreads, inferenceThreads, loadThreads, maxRequestBytes, gpu, settings,
                admission, http);
    }

    public AgentConfig withAdmission(AdmissionLimits limits) {
        return new AgentConfig(host, bindAddress, port, advertiseAddress, cacheDir, diskBudgetBytes, cpuBudgetBytes, evictionPolicy,
                spareCopyIdleMs, ortIntraThreads, inferenceThreads, loadThreads, maxRequestBytes, gpu, store, limits,
                http);
    }

    public AgentConfig withHttp(ServerTimeouts timeouts) {
        return new AgentConfig(host, bindAddress, port, advertiseAddress, cacheDir, diskBudgetBytes, cpuBudgetBytes, evictionPolicy,
                spareCopyIdleMs, ortIntraThreads, inferenceThreads, loadThreads, maxRequestBytes, gpu, store, admission,
                timeouts);
    }

    public AgentConfig withInferenceThreads(int threads) {
        return new AgentConfig(host, bindAddress, port, advertiseAddress, cacheDir, diskBudgetBytes, cpuBudgetBytes, evictionPolicy,
                spareCopyIdleMs, ortIntraThreads, threads, loadThreads, maxRequestBytes, gpu, store, admission, http);
    }

    private static String defaultHost(int port) {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            name = "agent";
        }
        return name + "-" + (port == 0 ? UUID.randomUUID().toString().substring(0, 8) : Integer.toString(port));
    }

    static int intOf(Map<String, String> env, String key, int fallback) {
        String value = env.get(key);
        try {
            return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, not '" + value + "'", e);
        }
    }

    static long longOf(Map<String, String> env, String key, long fallback) {
        return EnvNumbers.whole(env, key, fallback);
    }
}
