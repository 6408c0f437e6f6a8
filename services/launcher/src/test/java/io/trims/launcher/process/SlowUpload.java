package io.trims.launcher.process;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** An upload whose body is sent over about {@code seconds}: one a stop is sure to find under way. */
final class SlowUpload {

    private static final int CHUNK = 32 * 1024;

    private SlowUpload() {
    }

    /** Starts the upload; the future is its status, or -1 when the connection failed before an answer. */
    static CompletableFuture<Integer> start(HttpClient http, String frontDoor, String adminKey, String model,
                                            byte[] bytes, double seconds) {
        long chunks = Math.max(1, (bytes.length + CHUNK - 1) / CHUNK);
        long pauseMs = (long) (seconds * 1000 / chunks);
        HttpRequest request = HttpRequest.newBuilder(URI.create(frontDoor + "/v1/models/" + model + "/versions/1"))
                .timeout(Duration.ofSeconds(60)).header("content-type", "application/octet-stream")
                .header("authorization", "Bearer " + adminKey)
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new Paced(bytes, pauseMs)), bytes.length))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .thenApply(HttpResponse::statusCode)
                .exceptionally(e -> -1);
    }

    /** The bytes, {@link #CHUNK} at a time with a pause before each. */
    private static final class Paced extends InputStream {
        private final byte[] bytes;
        private final long pauseMs;
        private int at;

        Paced(byte[] bytes, long pauseMs) {
            this.bytes = bytes;
            this.pauseMs = pauseMs;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (at >= bytes.length) {
                return -1;
            }
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            int n = Math.min(Math.min(length, CHUNK), bytes.length - at);
            System.arraycopy(bytes, at, into, offset, n);
            at += n;
            return n;
        }
    }
}
