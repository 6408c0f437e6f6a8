package io.trims.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeakFlopsTest {

    @Test
    void theDataSheetIsReadByDeviceNameMostSpecificFirst() {
        assertEquals(66.9e12, PeakFlops.fromName("NVIDIA H100 80GB HBM3").orElseThrow(), 1e9);
        assertEquals(51.2e12, PeakFlops.fromName("NVIDIA H100 PCIe").orElseThrow(), 1e9);
        assertEquals(66.9e12, PeakFlops.fromName("NVIDIA H200").orElseThrow(), 1e9);
        assertEquals(19.5e12, PeakFlops.fromName("NVIDIA A100-SXM4-40GB").orElseThrow(), 1e9);
        assertTrue(PeakFlops.fromName("Some Future GPU").isEmpty());
    }

    @Test
    void unknownDevicesAreEstimatedFromSmsAndClock() {
        // H100 SXM: 132 SMs at 1980 MHz boost -> 66.9 TFLOP/s, the data sheet's figure.
        assertEquals(66.9e12, PeakFlops.estimate(132, 1_980_000), 0.1e12);
    }
}
