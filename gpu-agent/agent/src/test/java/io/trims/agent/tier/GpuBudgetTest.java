package io.trims.agent.tier;

import io.trims.agent.GpuSettings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GpuBudgetTest {

    private static final long GIB = 1L << 30;

    @Test
    void derivedBudgetIsFreeMemoryMinusHeadroom() {
        assertEquals(79 * GIB, GpuBudget.of(80 * GIB, -1, GIB));
        assertEquals(0, GpuBudget.of(GIB / 2, -1, GIB), "less free than the headroom leaves no budget");
    }

    @Test
    void anExplicitBudgetWinsButNeverExceedsFreeMemory() {
        assertEquals(2 * GIB, GpuBudget.of(80 * GIB, 2 * GIB, GIB));
        assertEquals(80 * GIB, GpuBudget.of(80 * GIB, 100 * GIB, GIB));
        assertEquals(0, GpuBudget.of(80 * GIB, 0, GIB));
    }

    @Test
    void settingsComeFromTheEnvironmentWithDefaults() {
        GpuSettings defaults = GpuSettings.fromEnv(Map.of());
        assertEquals(new GpuSettings("auto", -1, GIB, 60_000, 2), defaults);
        assertTrue(defaults.allowed());
        assertFalse(defaults.required());
        GpuSettings set = GpuSettings.fromEnv(Map.of("TRIMS_GPU_ENABLED", "TRUE", "TRIMS_GPU_BUDGET_BYTES", "1000",
                "TRIMS_GPU_HEADROOM_BYTES", "5", "TRIMS_GPU_PROMOTE_WINDOW_MS", "10", "TRIMS_GPU_PROMOTE_AFTER", "3"));
        assertEquals(new GpuSettings("true", 1000, 5, 10, 3), set);
        assertTrue(set.required());
        assertFalse(GpuSettings.fromEnv(Map.of("TRIMS_GPU_ENABLED", "false")).allowed());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> GpuSettings.fromEnv(Map.of("TRIMS_GPU_ENABLED", "maybe")));
        assertEquals("TRIMS_GPU_ENABLED must be auto, true or false, not 'maybe'", bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GpuSettings.fromEnv(Map.of("TRIMS_GPU_PROMOTE_AFTER", "0")));
    }
}
