package io.trims.launcher.process;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One trims role in a JVM of its own ({@code java io.trims.launcher.Launcher}, this test's class path passed in
 * CLASSPATH so the command line stays short), run in a directory of its own where its log and any {@code hs_err}
 * crash report go. Signals are real: SIGTERM ({@link #terminate}), SIGSTOP/SIGCONT, SIGKILL.
 */
final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Path dir;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Path dir, Process process, Path log) {
        this.name = name;
        this.dir = dir;
        this.process = process;
        this.log = log;
    }

    /** Starts the launcher with {@code env} added to this JVM's environment, in {@code dir}. */
    static ChildJvm start(String name, Path dir, Map<String, String> env) throws IOException {
        Files.createDirectories(dir);
        Path log = dir.resolve(name + "-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + jvmOptions(), "-Xmx320m", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1",
                "-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"), "io.trims.launcher.Launcher"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("CLASSPATH", classPath());
        Process process = builder.start();
        process.getOutputStream().close();
        return new ChildJvm(name, dir, process, log);
    }

    private static Path jvmOptions() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path options = p.resolve("deploy/jvm.options");
            if (Files.isRegularFile(options)) {
                return options;
            }
        }
        throw new IllegalStateException("deploy/jvm.options not found above " + here);
    }

    private static String classPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** Waits for a log line matching {@code pattern}; its first group. Fails if the process exits first. */
    String awaitLine(Pattern pattern, Duration patience) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Matcher m = pattern.matcher(logText());
            if (m.find()) {
                return m.group(1);
            }
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + " before '" + pattern
                        + "'; its log ends:\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(name + ": no '" + pattern + "' within " + patience.toSeconds() + " s; log:\n"
                        + tail());
            }
            Thread.sleep(50);
        }
    }

    String logText() throws IOException {
        return Files.readString(log, StandardCharsets.ISO_8859_1);
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM, then waits for the exit; the exit status. Kills it and fails if it takes longer than {@code patience}. */
    int terminate(Duration patience) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(name + " did not stop within " + patience.toSeconds() + " s of SIGTERM; log:\n"
                    + tail());
        }
        return process.exitValue();
    }

    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start();
        if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + pid() + " failed");
        }
    }

    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** JVM crash reports this process's directory holds (every process of one role shares it). */
    List<Path> crashReports() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
