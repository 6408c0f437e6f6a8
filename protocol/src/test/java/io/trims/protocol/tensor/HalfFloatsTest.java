package io.trims.protocol.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HalfFloatsTest {

    private static void fp16(float value, int bits) {
        assertEquals(bits, HalfFloats.toFp16(value) & 0xffff, () -> value + " as FP16");
    }

    @Test
    void fp16OfKnownValues() {
        fp16(1f, 0x3c00);
        fp16(-2f, 0xc000);
        fp16(0.5f, 0x3800);
        fp16(65504f, 0x7bff);
        fp16(1f / 3, 0x3555);
        fp16(0f, 0x0000);
        fp16(-0f, 0x8000);
        fp16(0x1p-24f, 0x0001);
        fp16(0x1p-14f, 0x0400);
        fp16(Float.POSITIVE_INFINITY, 0x7c00);
        fp16(Float.NEGATIVE_INFINITY, 0xfc00);
    }

    @Test
    void fp16RoundsToNearestTiesToEven() {
        fp16(65519f, 0x7bff);
        fp16(65520f, 0x7c00);
        fp16(1f + 0x1p-11f, 0x3c00);
        fp16(1f + 3 * 0x1p-11f, 0x3c02);
        fp16(0x1p-25f, 0x0000);
        fp16(0x1.8p-25f, 0x0001);
        fp16(3 * 0x1p-25f, 0x0002);
        fp16(0x1.ffcp-15f, 0x0400);
        assertTrue(Float.isNaN(HalfFloats.fromFp16(HalfFloats.toFp16(Float.NaN))));
    }

    @Test
    void everyFp16PatternSurvivesFloatAndBack() {
        for (int bits = 0; bits <= 0xffff; bits++) {
            float value = HalfFloats.fromFp16((short) bits);
            if (Float.isNaN(value)) {
                assertEquals(0x7c00, bits & 0x7c00);
                continue;
            }
            assertEquals(bits, HalfFloats.toFp16(value) & 0xffff, "pattern " + Integer.toHexString(bits));
        }
    }

    @Test
    void bf16IsTheTopHalfRoundedToEven() {
        assertEquals(0x3f80, HalfFloats.toBf16(1f) & 0xffff);
        assertEquals(0xc000, HalfFloats.toBf16(-2f) & 0xffff);
        assertEquals(0x3f80, HalfFloats.toBf16(1f + 0x1p-8f) & 0xffff, "a tie goes to the even neighbour");
        assertEquals(0x3f82, HalfFloats.toBf16(1f + 3 * 0x1p-8f) & 0xffff);
        assertEquals(0x3f81, HalfFloats.toBf16(1f + 0x1.8p-8f) & 0xffff);
        assertEquals(0x7f80, HalfFloats.toBf16(Float.MAX_VALUE) & 0xffff, "rounds up to infinity");
        assertTrue(Float.isNaN(HalfFloats.fromBf16(HalfFloats.toBf16(Float.NaN))));
        for (int bits = 0; bits <= 0xffff; bits++) {
            float value = HalfFloats.fromBf16((short) bits);
            if (!Float.isNaN(value)) {
                assertEquals(bits, HalfFloats.toBf16(value) & 0xffff);
            }
        }
    }
}
