package io.trims.bench;

import io.trims.gpu.GpuInfo;
import io.trims.gpu.GpuProbe;

/** Says whether this machine has a usable GPU; exit status 0 if it has, 3 if not (for device-test.sh). */
public final class Probe {

    private Probe() {
    }

    public static void main(String[] args) {
        GpuInfo info = GpuProbe.probe();
        if (info.present()) {
            System.out.printf("GPU: %s, %d MiB, %d MiB free%n", info.name(), info.totalBytes() >> 20, info.freeBytes() >> 20);
            System.exit(0);
        }
        System.out.println("no GPU: " + info.reason());
        System.exit(3);
    }
}
