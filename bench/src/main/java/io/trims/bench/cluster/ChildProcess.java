package io.trims.bench.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process the benchmark started (an agent, the front door, a function host), its output in a log file. Every one
 * is stopped by {@link #close}, and a JVM shutdown hook kills any still running, so none outlives the benchmark
 * even when it fails or is interrupted.
 */
public final class ChildProcess implements AutoCloseable {

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(20);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }), "bench-children-killer"));
    }

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with {@code env} added to this process's environment; output goes to {@code log}. */
    public static ChildProcess start(String name, List<String> command, Map<String, String> env, Path log)
            throws IOException {
        Files.createDirectories(log.getParent());
        // Run in the log's directory, so whatever a process leaves in its working directory (a JVM crash report)
        // goes with the run's temporary files, not into the checkout.
        ProcessBuilder builder = new ProcessBuilder(command).directory(log.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        RUNNING.add(process);
        return new ChildProcess(name, process, log);
    }

    /**
     * Waits until the log has a line matching {@code pattern} and returns its first group: the URL a server
     * prints once it listens. Fails when the process exits first or {@code patience} runs out.
     */
    public String awaitLine(Pattern pattern, Duration patience) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Matcher m = pattern.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
            if (m.find()) {
                return m.group(1);
            }
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + " before it was ready; "
                        + "its log " + log + " ends: " + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(name + " was not ready within " + patience.toSeconds() + " s; its log " + log
                        + " ends: " + tail());
            }
            Thread.sleep(100);
        }
    }

    public String name() {
        return name;
    }

    /** The last lines of the log, for error messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** The operating system's id of the process: the JVM itself, since no shell stands between. */
    public long pid() {
        return process.pid();
    }

    /** SIGKILL: the process gets no chance to close anything, as when a machine fails. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Asks the process to stop (SIGTERM: its shutdown hook closes it cleanly), kills it if it does not in time. */
    public void stopAsync() {
        process.destroy();
    }

    /** Waits for the stop asked by {@link #stopAsync}; kills the process if it takes longer than the patience. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                System.err.println(name + " did not stop within " + STOP_PATIENCE.toSeconds() + " s: killed");
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            RUNNING.remove(process);
        }
    }
}
