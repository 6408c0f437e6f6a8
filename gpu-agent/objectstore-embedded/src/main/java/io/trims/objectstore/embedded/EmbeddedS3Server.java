package io.trims.objectstore.embedded;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * An S3 server inside this JVM (S3Proxy over a directory), for one-machine runs and tests: the rest of trims
 * speaks to it through the MinIO client exactly as it would to MinIO.
 */
public final class EmbeddedS3Server implements AutoCloseable {

    private static final long START_TIMEOUT_MILLIS = 10_000;
    private static final long STOP_TIMEOUT_MILLIS = 500;

    private final Path dataDir;
    private final int requestedPort;
    private final String accessKey;
    private final String secretKey;
    private S3Proxy proxy;

    /** @param port the port to listen on, 127.0.0.1 only; 0 for any free port */
    public EmbeddedS3Server(Path dataDir, int port, String accessKey, String secretKey) {
        this.dataDir = dataDir;
        this.requestedPort = port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** Starts listening; returns when the server accepts requests. */
    public synchronized EmbeddedS3Server start() throws IOException {
        if (proxy != null) {
            return this;
        }
        Files.createDirectories(dataDir);
        Properties properties = new Properties();
        // S3Proxy dropped jclouds but kept its property names.
        properties.setProperty("jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
        properties.setProperty("jclouds.identity", accessKey);
        properties.setProperty("jclouds.credential", secretKey);
        S3Proxy started = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem", properties))
                .endpoint(URI.create("http://127.0.0.1:" + requestedPort))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .stopTimeout(STOP_TIMEOUT_MILLIS)
                .build();
        try {
            started.start();
            long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
            while (!"STARTED".equals(started.getState())) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException("embedded S3 server did not start within " + START_TIMEOUT_MILLIS + " ms");
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopQuietly(started);
            throw new IOException("interrupted while starting the embedded S3 server", e);
        } catch (IOException e) {
            stopQuietly(started);
            throw e;
        } catch (Exception e) {
            stopQuietly(started);
            throw new IOException("embedded S3 server failed to start on port " + requestedPort + ": " + e.getMessage(), e);
        }
        proxy = started;
        return this;
    }

    /** The port it listens on (the chosen one when started with port 0). */
    public synchronized int port() {
        if (proxy == null) {
            throw new IllegalStateException("not started");
        }
        return proxy.getPort();
    }

    /** The endpoint URL for an S3 client, e.g. {@code http://127.0.0.1:9000}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public synchronized void close() {
        if (proxy != null) {
            stopQuietly(proxy);
            proxy = null;
        }
    }

    private static void stopQuietly(S3Proxy proxy) {
        try {
            proxy.stop();
        } catch (Exception ignored) {
            // stopping is best effort; the port is released when the JVM exits in any case
        }
    }
}
