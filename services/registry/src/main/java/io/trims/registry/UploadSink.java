package io.trims.registry;

import io.trims.objectstore.TransferProgress;
import io.trims.protocol.V2Exception;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.streams.WriteStream;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where an upload's body is piped: a temp file, with the SHA-256 and byte count taken on the way so the file is
 * never read twice, and a size limit that fails the pipe (413) as soon as it is passed. A long upload logs its
 * progress ({@link TransferProgress}).
 */
final class UploadSink implements WriteStream<Buffer> {

    private final AsyncFile file;
    private final long limit;
    private final MessageDigest sha256;
    private final TransferProgress progress;
    private long bytes;
    private boolean ended;

    UploadSink(AsyncFile file, long limit, TransferProgress progress) {
        this.file = file;
        this.limit = limit;
        this.progress = progress;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static V2Exception tooLarge(long limit) {
        return new V2Exception(413, "model is larger than the registry accepts (" + limit
                + " bytes, TRIMS_MAX_MODEL_BYTES)");
    }

    long bytes() {
        return bytes;
    }

    /** Lowercase hex SHA-256 of everything written; call once, after the pipe succeeded. */
    String sha256() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    @Override
    public Future<Void> write(Buffer data) {
        bytes += data.length();
        if (bytes > limit) {
            return Future.failedFuture(tooLarge(limit));
        }
        sha256.update(data.getBytes());
        progress.advance(data.length());
        return file.write(data);
    }

    @Override
    public Future<Void> end() {
        ended = true;
        return file.end();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        file.exceptionHandler(handler);
        return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
        file.setWriteQueueMaxSize(maxSize);
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        // The pipe asks after a failed write, when it has already ended (closed) the file.
        return !ended && file.writeQueueFull();
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        file.drainHandler(handler);
        return this;
    }
}
