package io.trims.objectstore.embedded;

import io.trims.objectstore.MinioObjectStore;
import io.trims.objectstore.StoreConfig;
import io.trims.objectstore.StoreTimeouts;
import io.trims.objectstore.StoreUnavailableException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MinioObjectStoreTest {

    @TempDir
    static Path dir;

    private static EmbeddedS3Server server;
    private static MinioObjectStore store;

    @BeforeAll
    static void start() throws IOException {
        server = new EmbeddedS3Server(dir.resolve("s3"), 0, "trims", "trims-secret").start();
        store = MinioObjectStore.open(server.endpoint(), "trims", "trims-secret", "test-models");
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        server.close();
    }

    @Test
    void roundTripPutGetSizeListDelete() throws IOException {
        byte[] bytes = "onnx bytes".getBytes(StandardCharsets.UTF_8);
        store.put("models/a/1/model.onnx", new ByteArrayInputStream(bytes), bytes.length);
        store.put("models/a/1/manifest.json", new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), -1);
        store.put("models/b/1/model.onnx", new ByteArrayInputStream(bytes), bytes.length);

        try (InputStream in = store.get("models/a/1/model.onnx")) {
            assertArrayEquals(bytes, in.readAllBytes());
        }
        assertEquals(OptionalLong.of(bytes.length), store.size("models/a/1/model.onnx"));
        assertEquals(List.of("models/a/1/manifest.json", "models/a/1/model.onnx"),
                store.list("models/a/").stream().sorted().toList());
        assertEquals(3, store.list("models/").size());

        store.delete("models/a/1/model.onnx");
        assertEquals(OptionalLong.empty(), store.size("models/a/1/model.onnx"));
        assertEquals(List.of("models/a/1/manifest.json"), store.list("models/a/"));
        store.delete("models/a/1/model.onnx"); // absent: not an error
    }

    @Test
    void unknownSizeUploadOverFiveMiBGoesInParts() throws Exception {
        byte[] bytes = new byte[13 * 1024 * 1024];
        new Random(7).nextBytes(bytes);
        store.put("big/model.onnx", new ByteArrayInputStream(bytes), -1);
        assertEquals(OptionalLong.of(bytes.length), store.size("big/model.onnx"));
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = store.get("big/model.onnx")) {
            byte[] chunk = new byte[64 * 1024];
            for (int n; (n = in.read(chunk)) > 0; ) {
                digest.update(chunk, 0, n);
            }
        }
        assertTrue(Arrays.equals(MessageDigest.getInstance("SHA-256").digest(bytes), digest.digest()));
    }

    @Test
    void missingKeyIsNoSuchFile() throws IOException {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> store.get("models/none/1/model.onnx"));
        assertEquals("models/none/1/model.onnx", e.getFile());
        assertEquals(OptionalLong.empty(), store.size("models/none/1/model.onnx"));
        assertTrue(store.list("models/none/").isEmpty());
    }

    @Test
    void reopeningFindsTheExistingBucketAndItsObjects() throws Exception {
        store.put("kept/x", new ByteArrayInputStream(new byte[]{1, 2, 3}), 3);
        try (MinioObjectStore again = MinioObjectStore.open(server.endpoint(), "trims", "trims-secret", "test-models")) {
            assertEquals(OptionalLong.of(3), again.size("kept/x"));
        }
    }

    @Test
    void wrongSecretIsRefused() {
        assertThrows(IOException.class,
                () -> MinioObjectStore.open(server.endpoint(), "trims", "not-the-secret", "other-bucket"));
    }

    @Test
    void embeddedConfigStartsItsOwnServer() throws Exception {
        try (MinioObjectStore own = ObjectStores.open(StoreConfig.embedded(dir.resolve("own")))) {
            own.put("k", new ByteArrayInputStream(new byte[]{9}), 1);
            assertEquals(List.of("k"), own.list(""));
        }
    }

    @Test
    void configFromEnvHasDefaults() {
        StoreConfig defaults = StoreConfig.fromEnv(Map.of());
        assertNull(defaults.endpoint());
        assertTrue(defaults.isEmbedded());
        assertEquals("trims", defaults.accessKey());
        assertEquals("trims-secret", defaults.secretKey());
        assertEquals("trims-models", defaults.bucket());
        assertEquals(Path.of("data/s3"), defaults.dataDir());
        assertEquals(9000, defaults.embeddedPort());
        StoreConfig minio = StoreConfig.fromEnv(Map.of("TRIMS_S3_ENDPOINT", "http://minio:9000", "TRIMS_S3_BUCKET", "b",
                "TRIMS_S3_ACCESS_KEY", "k", "TRIMS_S3_SECRET_KEY", "s"));
        assertEquals("http://minio:9000", minio.endpoint());
        assertEquals("b", minio.bucket());
        assertEquals("k", minio.accessKey());
        IllegalArgumentException noKeys = assertThrows(IllegalArgumentException.class,
                () -> StoreConfig.fromEnv(Map.of("TRIMS_S3_ENDPOINT", "http://minio:9000")));
        assertTrue(noKeys.getMessage().contains("TRIMS_S3_ACCESS_KEY must be set"), noKeys.getMessage());
        IllegalArgumentException noSecret = assertThrows(IllegalArgumentException.class,
                () -> StoreConfig.fromEnv(Map.of("TRIMS_S3_ENDPOINT", "http://minio:9000",
                        "TRIMS_S3_ACCESS_KEY", "k")));
        assertTrue(noSecret.getMessage().contains("TRIMS_S3_SECRET_KEY"), noSecret.getMessage());
        assertEquals(StoreTimeouts.DEFAULTS, defaults.timeouts());
        assertEquals(new StoreTimeouts(100, 200, 300, 400), StoreConfig.fromEnv(Map.of("TRIMS_S3_CONNECT_TIMEOUT_MS",
                "100", "TRIMS_S3_READ_TIMEOUT_MS", "200", "TRIMS_S3_WRITE_TIMEOUT_MS", "300",
                "TRIMS_S3_CALL_TIMEOUT_MS", "400")).timeouts());
        assertThrows(IllegalArgumentException.class,
                () -> StoreTimeouts.fromEnv(Map.of("TRIMS_S3_READ_TIMEOUT_MS", "0")));
        assertThrows(IllegalArgumentException.class,
                () -> StoreTimeouts.fromEnv(Map.of("TRIMS_S3_CONNECT_TIMEOUT_MS", "soon")));
    }

    @Test
    void aStoreThatIsDownOpensAndEachCallSaysItIsUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + closedPort;
        try (MinioObjectStore down = MinioObjectStore.open(endpoint, "trims", "trims-secret", "down-bucket",
                new StoreTimeouts(500, 500, 500, 0), null)) {
            for (Executable call : List.<Executable>of(down::probe, () -> down.get("k"), () -> down.size("k"),
                    () -> down.list(""), () -> down.put("k", new ByteArrayInputStream(new byte[]{1}), 1))) {
                StoreUnavailableException e = assertThrows(StoreUnavailableException.class, call);
                assertTrue(e.getMessage().startsWith("object store at " + endpoint + " is unavailable"), e.getMessage());
            }
        }
    }
}
