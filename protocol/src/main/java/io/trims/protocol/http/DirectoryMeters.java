package io.trims.protocol.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.trims.directory.TierDirectory;

/** trims_directory_records_rejected_total{map}: directory entries this process ignored as not signed by the cluster. */
public final class DirectoryMeters {

    private DirectoryMeters() {
    }

    public static void bind(MeterRegistry registry, TierDirectory directory) {
        for (String map : directory.rejectedRecords().keySet()) {
            FunctionCounter.builder("trims_directory_records_rejected", directory,
                            d -> d.rejectedRecords().getOrDefault(map, 0L))
                    .description("Directory entries ignored because their signature did not check (forged or "
                            + "written without the cluster secret)")
                    .tag("map", map)
                    .register(registry);
        }
    }
}
