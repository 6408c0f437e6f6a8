package io.trims.directory;

/**
 * An agent as the directory knows it.
 *
 * @param host     the agent's stable name
 * @param memberId the Hazelcast member UUID of the agent's JVM; its records go when that member leaves
 * @param endpoint base URL of the agent's v2 API, e.g. {@code http://10.0.0.5:8081}
 */
public record HostRecord(String host, String memberId, String endpoint, boolean hasGpu,
                         TierRoom gpu, TierRoom cpu, TierRoom disk, int inFlight, long updatedAtMillis) {

    public TierRoom room(TierLevel tier) {
        return switch (tier) {
            case GPU -> gpu;
            case CPU -> cpu;
            case DISK -> disk;
        };
    }
}
