package io.trims.launcher;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The embedded cluster as the whole-cluster tests start it: under a temp directory, on free ports. */
public final class TestClusters {

    private TestClusters() {
    }

    /**
     * Data and upload spool under {@code data}, every port free; {@code settings} add to or override that (agents,
     * threads, limits).
     */
    public static EmbeddedCluster start(Path data, Map<String, String> settings) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("TRIMS_DATA_DIR", data.toString());
        env.put("TRIMS_PORT", "0");
        env.put("TRIMS_REGISTRY_TMP_DIR", data.resolve("uploads").toString());
        env.putAll(settings);
        return EmbeddedCluster.start(env);
    }
}
