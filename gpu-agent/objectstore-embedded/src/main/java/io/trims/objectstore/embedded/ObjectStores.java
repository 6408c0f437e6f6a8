package io.trims.objectstore.embedded;

import io.trims.objectstore.MinioObjectStore;
import io.trims.objectstore.StoreConfig;

import java.io.IOException;

/** Opens the store a {@link StoreConfig} names: the S3 server at its endpoint, or an embedded one started here. */
public final class ObjectStores {

    private ObjectStores() {
    }

    /**
     * Connects to {@code config}'s endpoint, or first starts the embedded server (closed with the store). Blocking.
     * An endpoint that does not answer yet is no failure (see {@link MinioObjectStore#open}).
     */
    public static MinioObjectStore open(StoreConfig config) throws IOException {
        if (!config.isEmbedded()) {
            return MinioObjectStore.open(config.endpoint(), config.accessKey(), config.secretKey(), config.bucket(),
                    config.timeouts(), null);
        }
        EmbeddedS3Server server = new EmbeddedS3Server(config.dataDir(), config.embeddedPort(), config.accessKey(),
                config.secretKey()).start();
        try {
            return MinioObjectStore.open(server.endpoint(), config.accessKey(), config.secretKey(), config.bucket(),
                    config.timeouts(), server);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }
}
