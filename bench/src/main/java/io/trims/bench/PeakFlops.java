package io.trims.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Peak FP32 (non-tensor-core) FLOP/s of a device: from its name, by the vendor's data sheet, or else estimated as
 * SMs x clock x 128 FP32 lanes x 2 (an FMA is two FLOPs; 128 lanes per SM holds for Ampere GA10x, Ada and Hopper).
 */
final class PeakFlops {

    /** Name fragment (lower case, most specific first) to peak FP32 TFLOP/s. */
    private static final Map<String, Double> SHEET = new LinkedHashMap<>();

    static {
        SHEET.put("h100 pcie", 51.2);
        SHEET.put("h100 nvl", 60.0);
        SHEET.put("h100", 66.9);
        SHEET.put("h200", 66.9);
        SHEET.put("gh200", 66.9);
        SHEET.put("a100", 19.5);
        SHEET.put("a10g", 31.2);
        SHEET.put("a10", 31.2);
        SHEET.put("l40s", 91.6);
        SHEET.put("l40", 90.5);
        SHEET.put("l4", 30.3);
        SHEET.put("v100", 15.7);
        SHEET.put("t4", 8.1);
        SHEET.put("rtx 4090", 82.6);
        SHEET.put("rtx 3090", 35.6);
    }

    private PeakFlops() {
    }

    /** Peak FLOP/s from the data sheet, if the name is known. */
    static OptionalDouble fromName(String deviceName) {
        String name = deviceName.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, Double> e : SHEET.entrySet()) {
            if (name.contains(e.getKey())) {
                return OptionalDouble.of(e.getValue() * 1e12);
            }
        }
        return OptionalDouble.empty();
    }

    /** SMs x clock (kHz, as the driver reports it) x 128 lanes x 2 FLOPs per FMA. */
    static double estimate(int multiprocessors, int clockKhz) {
        return multiprocessors * (clockKhz * 1e3) * 128 * 2;
    }
}
