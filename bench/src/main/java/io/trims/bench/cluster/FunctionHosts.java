package io.trims.bench.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The per-invocation baseline's hosts: one {@link FunctionHost} process per agent the clusters have. */
public final class FunctionHosts implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("function host \\S+ serving at (\\S+)");

    private final List<ChildProcess> processes = new ArrayList<>();
    private final List<String> urls = new ArrayList<>();

    private FunctionHosts() {
    }

    /** Starts {@code count} hosts reading models from {@code models}; returns once all listen. */
    public static FunctionHosts start(Launch launch, int count, Path models, int threads, long budgetBytes,
                                      String heap, Path work) throws Exception {
        FunctionHosts hosts = new FunctionHosts();
        try {
            for (int i = 1; i <= count; i++) {
                List<String> command = new ArrayList<>(launch.bench(heap, FunctionHost.class));
                command.addAll(List.of("function-" + i, models.toString(), Integer.toString(threads),
                        Long.toString(budgetBytes)));
                hosts.processes.add(ChildProcess.start("function-" + i, command, Launch.benchClassPath(),
                        work.resolve("logs/function-" + i + ".log")));
            }
            for (ChildProcess p : hosts.processes) {
                hosts.urls.add(p.awaitLine(READY, Duration.ofSeconds(60)));
            }
            return hosts;
        } catch (Exception | Error e) {
            hosts.close();
            throw e;
        }
    }

    public List<String> urls() {
        return List.copyOf(urls);
    }

    @Override
    public void close() {
        processes.forEach(ChildProcess::stopAsync);
        processes.forEach(ChildProcess::close);
        processes.clear();
    }
}
