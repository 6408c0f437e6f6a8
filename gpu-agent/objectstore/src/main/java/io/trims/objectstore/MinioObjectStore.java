package io.trims.objectstore;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/** {@link ObjectStore} over one bucket of an S3 server (MinIO, or the embedded S3Proxy), through the MinIO client. */
public final class MinioObjectStore implements ObjectStore, AutoCloseable {

    /** Part size for uploads of unknown length: S3 wants at least 5 MiB per part; each part is buffered in memory. */
    public static final long UNKNOWN_SIZE_PART_BYTES = 8L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(MinioObjectStore.class);
    private static final Set<String> MISSING = Set.of("NoSuchKey", "NoSuchObject", "ResourceNotFound");

    private final MinioClient client;
    private final String endpoint;
    private final String bucket;
    private final AutoCloseable owned;

    private MinioObjectStore(MinioClient client, String endpoint, String bucket, AutoCloseable owned) {
        this.client = client;
        this.endpoint = endpoint;
        this.bucket = bucket;
        this.owned = owned;
    }

    /** Connects to {@code endpoint} and creates {@code bucket} if it is missing. Blocking. */
    public static MinioObjectStore open(String endpoint, String accessKey, String secretKey, String bucket) throws IOException {
        return open(endpoint, accessKey, secretKey, bucket, null);
    }

    /**
     * As {@link #open(String, String, String, String)}; {@code owned} (e.g. the embedded server behind
     * {@code endpoint}) is closed with this store. May be null.
     */
    public static MinioObjectStore open(String endpoint, String accessKey, String secretKey, String bucket,
                                        AutoCloseable owned) throws IOException {
        return open(endpoint, accessKey, secretKey, bucket, StoreTimeouts.DEFAULTS, owned);
    }

    /**
     * As {@link #open(String, String, String, String, AutoCloseable)}, every call bounded by {@code timeouts}. A store
     * that cannot be reached now is not an error: the store is returned, its calls fail with
     * {@link StoreUnavailableException} until it answers, and {@link #probe} creates the bucket then. So a process
     * starts and serves what it holds without its store.
     */
    public static MinioObjectStore open(String endpoint, String accessKey, String secretKey, String bucket,
                                        StoreTimeouts timeouts, AutoCloseable owned) throws IOException {
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(timeouts.connect())
                .readTimeout(timeouts.read())
                .writeTimeout(timeouts.write())
                .callTimeout(timeouts.call())
                .protocols(List.of(Protocol.HTTP_1_1))
                .build();
        MinioClient client = MinioClient.builder()
                .endpoint(endpoint)
                .credentials(accessKey, secretKey)
                .region("us-east-1") // a fixed region spares a bucket-location lookup before each first call
                .httpClient(http, true)
                .build();
        MinioObjectStore store = new MinioObjectStore(client, endpoint, bucket, owned);
        try {
            store.ensureBucket();
        } catch (StoreUnavailableException e) {
            LOG.warn("{}; starting without it, later calls retry", e.getMessage());
        } catch (IOException | RuntimeException e) {
            closeQuietly(client); // its dispatcher thread would keep the JVM alive
            throw e;
        }
        return store;
    }

    /** The store's endpoint URL, as messages name it. */
    public String endpoint() {
        return endpoint;
    }

    public String bucket() {
        return bucket;
    }

    private void ensureBucket() throws IOException {
        try {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
        } catch (MinioException e) {
            if (!"BucketAlreadyOwnedByYou".equals(code(e))) {
                throw io("checking bucket " + bucket, e);
            }
        } catch (RuntimeException e) {
            throw transport("checking bucket " + bucket, e);
        }
    }

    @Override
    public void probe() throws IOException {
        ensureBucket();
    }

    @Override
    public void put(String key, InputStream data, long size) throws IOException {
        try {
            PutObjectArgs.Builder args = PutObjectArgs.builder().bucket(bucket).object(key);
            InputStream counted = new CountedInputStream(data, TransferProgress.start("put of " + key, size));
            if (size >= 0) {
                args.stream(counted, size, -1L);
            } else {
                args.stream(counted, null, UNKNOWN_SIZE_PART_BYTES);
            }
            client.putObject(args.build());
        } catch (MinioException e) {
            throw io("putting " + key, e);
        } catch (RuntimeException e) {
            throw transport("putting " + key, e);
        }
    }

    @Override
    public InputStream get(String key) throws IOException {
        try {
            GetObjectResponse response = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build());
            InputStream body = new TransportStream(response, this::unavailable, "reading " + key);
            return new CountedInputStream(body, TransferProgress.start("fetch of " + key, lengthOf(response)));
        } catch (MinioException e) {
            if (isMissing(e)) {
                throw new NoSuchFileException(key);
            }
            throw io("getting " + key, e);
        } catch (RuntimeException e) {
            throw transport("getting " + key, e);
        }
    }

    /** The object's length as the response announces it, or -1. */
    private static long lengthOf(GetObjectResponse response) {
        String length = response.headers().get("Content-Length");
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public OptionalLong size(String key) throws IOException {
        try {
            return OptionalLong.of(client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()).size());
        } catch (MinioException e) {
            if (isMissing(e)) {
                return OptionalLong.empty();
            }
            throw io("stat of " + key, e);
        } catch (RuntimeException e) {
            throw transport("stat of " + key, e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (MinioException e) {
            if (!isMissing(e)) {
                throw io("deleting " + key, e);
            }
        } catch (RuntimeException e) {
            throw transport("deleting " + key, e);
        }
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        List<String> keys = new ArrayList<>();
        try {
            for (Result<Item> result : client.listObjects(
                    ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
                Item item = result.get();
                if (!item.isDir()) {
                    keys.add(item.objectName());
                }
            }
        } catch (MinioException e) {
            throw io("listing " + prefix, e);
        } catch (RuntimeException e) {
            throw transport("listing " + prefix, e);
        }
        return keys;
    }

    @Override
    public void close() throws Exception {
        try {
            client.close();
        } finally {
            if (owned != null) {
                owned.close();
            }
        }
    }

    private static void closeQuietly(MinioClient client) {
        try {
            client.close();
        } catch (Exception ignored) {
            // the failure being reported matters more
        }
    }

    private static boolean isMissing(MinioException e) {
        ErrorResponseException response = errorResponse(e);
        return response != null && (MISSING.contains(response.errorResponse().code())
                || (response.response() != null && response.response().code() == 404));
    }

    private static String code(MinioException e) {
        ErrorResponseException response = errorResponse(e);
        return response == null ? null : response.errorResponse().code();
    }

    /** The S3 error response behind an exception; the 9.x client sometimes wraps it. */
    private static ErrorResponseException errorResponse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ErrorResponseException response) {
                return response;
            }
        }
        return null;
    }

    /**
     * The store's answer as an exception: {@link StoreUnavailableException} when there was no answer (refused, timed
     * out, cut) or a server error, a plain IOException for what the store refused (e.g. access denied).
     */
    private IOException io(String what, MinioException e) {
        ErrorResponseException response = errorResponse(e);
        if (response == null || response.response() == null || response.response().code() >= 500) {
            return unavailable(what, e);
        }
        return new IOException("object store: " + what + " failed: " + response.errorResponse().code() + ": "
                + response.errorResponse().message(), e);
    }

    /**
     * The 9.x client reports a call that got no answer (refused, timed out, cut) as an unchecked exception around
     * the IOException: that is the store being unavailable. Any other runtime failure is thrown as it is.
     */
    private StoreUnavailableException transport(String what, RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return unavailable(what, e);
            }
        }
        throw e;
    }

    private StoreUnavailableException unavailable(String what, Throwable e) {
        return new StoreUnavailableException("object store at " + endpoint + " is unavailable: " + what + " failed: "
                + rootMessage(e), e);
    }

    /** The innermost cause's class and message: "ConnectException: Connection refused", "SocketTimeoutException: timeout". */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
