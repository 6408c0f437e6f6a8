package io.trims.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/** A blocking HTTP/1.1 keep-alive client that times each call, from sending the request to the last response byte. */
final class InferClient {

    /** One answer: status, the trims headers, the body bytes and the wall-clock time the call took. */
    record Answer(int status, String host, String tier, byte[] body, double millis) {}

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    Answer post(URI url, byte[] json) throws IOException, InterruptedException {
        return post(url, json, Map.of());
    }

    /** As {@link #post(URI, byte[])}, with {@code headers} too (an agent's key, for a call straight to it). */
    Answer post(URI url, byte[] json, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(url)
                .timeout(Duration.ofMinutes(3))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json));
        headers.forEach(builder::header);
        HttpRequest request = builder.build();
        long start = System.nanoTime();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        double millis = (System.nanoTime() - start) / 1e6;
        return new Answer(response.statusCode(), response.headers().firstValue("trims-host").orElse("-"),
                response.headers().firstValue("trims-tier").orElse("-"), response.body(), millis);
    }

    /**
     * Streams a file to {@code url} with PUT, as {@code curl -T} does, with the admin key (uploads are writes);
     * returns the status and body.
     */
    HttpResponse<String> put(URI url, String adminKey, Supplier<InputStream> file)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url)
                        .timeout(Duration.ofMinutes(3))
                        .header("content-type", "application/octet-stream")
                        .header("authorization", "Bearer " + adminKey)
                        .PUT(HttpRequest.BodyPublishers.ofInputStream(file))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
