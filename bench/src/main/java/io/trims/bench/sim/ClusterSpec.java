package io.trims.bench.sim;

/** A simulated cluster: {@code hosts} alike hosts. */
public record ClusterSpec(int hosts, HostSpec host) {

    public ClusterSpec {
        if (hosts < 1) {
            throw new IllegalArgumentException("a cluster needs a host");
        }
    }

    public long cpuBytes() {
        return hosts * host.cpuBytes();
    }

    public long gpuBytes() {
        return hosts * host.gpuBytes();
    }

    public long diskBytes() {
        return hosts * host.diskBytes();
    }

    /** The host names, in order: {@code host-00}, {@code host-01}, ... */
    public static String hostName(int index) {
        return String.format("host-%02d", index);
    }
}
