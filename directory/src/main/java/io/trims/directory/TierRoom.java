package io.trims.directory;

/** Capacity and use of one tier on one host, in bytes. A capacity of 0 means the tier is absent. */
public record TierRoom(long capacityBytes, long usedBytes) {
    public long freeBytes() {
        return Math.max(0, capacityBytes - usedBytes);
    }

    public boolean present() {
        return capacityBytes > 0;
    }
}
