package io.trims.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a process holds, for the soak: its heap after a full collection (asked for with {@code jcmd <pid> GC.run},
 * then read from its Prometheus {@code jvm_memory_used_bytes{area="heap"}}), its resident set, open files and
 * threads from {@code /proc/<pid>}.
 */
public record ProcessFigures(long heapBytes, long rssBytes, int openFiles, int threads) {

    private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*}\\s+(\\S+)",
            Pattern.MULTILINE);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param metrics the base URL whose {@code /metrics} carries the process's JVM meters */
    public static ProcessFigures of(long pid, String metrics) throws IOException, InterruptedException {
        collect(pid);
        String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        int openFiles;
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            openFiles = (int) fds.count();
        }
        return new ProcessFigures(heap(metrics), field(status, "VmRSS") * 1024, openFiles, (int) field(status, "Threads"));
    }

    /** A full collection in the process, so what is left on its heap is what it still holds. */
    private static void collect(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process gc = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), "GC.run"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!gc.waitFor(60, TimeUnit.SECONDS)) {
            gc.destroyForcibly();
            throw new IOException("jcmd " + pid + " GC.run did not finish within 60 s");
        }
        if (gc.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " GC.run exited with " + gc.exitValue());
        }
    }

    private static long heap(String metrics) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(metrics + "/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException(metrics + "/metrics answered " + answer.statusCode());
        }
        Matcher m = HEAP.matcher(answer.body());
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
            found = true;
        }
        if (!found) {
            throw new IOException(metrics + "/metrics has no jvm_memory_used_bytes{area=\"heap\"}");
        }
        return (long) sum;
    }

    private static long field(String status, String name) throws IOException {
        Matcher m = Pattern.compile("^" + name + ":\\s+(\\d+)", Pattern.MULTILINE).matcher(status);
        if (!m.find()) {
            throw new IOException("/proc status has no " + name);
        }
        return Long.parseLong(m.group(1));
    }
}
