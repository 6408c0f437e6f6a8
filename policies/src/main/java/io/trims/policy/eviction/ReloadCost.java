package io.trims.policy.eviction;

import java.util.List;

/**
 * What bringing a resident of one snapshot back into its tier would cost, in nanoseconds: its measured load, or, for
 * a copy whose load was not seen (found in the cache at start), its bytes at the mean load time per byte of the
 * residents whose loads were seen (1 ns per byte if none were).
 */
final class ReloadCost {

    private final double nanosPerByte;

    private ReloadCost(double nanosPerByte) {
        this.nanosPerByte = nanosPerByte;
    }

    static ReloadCost of(List<Resident> residents) {
        long nanos = 0;
        long bytes = 0;
        for (Resident r : residents) {
            if (r.loadCost().isPresent() && r.bytes() > 0) {
                nanos += r.loadCost().get().nanos();
                bytes += r.bytes();
            }
        }
        return new ReloadCost(bytes == 0 ? 1 : (double) nanos / bytes);
    }

    double nanos(Resident r) {
        return r.loadCost().map(c -> (double) c.nanos()).orElse(nanosPerByte * r.bytes());
    }
}
