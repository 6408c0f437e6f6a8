package io.trims.placement;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

/**
 * {@code GET /v2}: the KServe v2 server metadata, with the protocol extensions trims serves under Triton's names,
 * so that a Triton client that checks for an extension before using it finds it.
 */
final class ServerMetadataRoutes {

    static final String NAME = "trims";
    /** Only what the front door really serves; each name is Triton's. */
    static final List<String> EXTENSIONS = List.of(
            "binary_tensor_data", "model_repository", "model_configuration", "statistics");
    private static final String VERSION_RESOURCE = "trims-version.properties";

    private final JsonObject metadata = new JsonObject()
            .put("name", NAME)
            .put("version", version())
            .put("extensions", new JsonArray(EXTENSIONS));

    void mount(Router router) {
        router.get("/v2").handler(ctx -> ctx.response().putHeader("content-type", "application/json")
                .end(metadata.encode()));
    }

    /** The project version, which the build writes into a resource (Maven resource filtering). */
    static String version() {
        try (InputStream in = ServerMetadataRoutes.class.getResourceAsStream(VERSION_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(VERSION_RESOURCE + " is missing from the placement jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            if (version.isBlank() || version.contains("${")) {
                throw new IllegalStateException(VERSION_RESOURCE + " was not filled in by the build: '" + version + "'");
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + VERSION_RESOURCE, e);
        }
    }
}
