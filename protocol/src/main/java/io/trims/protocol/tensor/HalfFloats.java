package io.trims.protocol.tensor;

/**
 * FP16 (IEEE 754 binary16) and BF16 (bfloat16) bit patterns to and from {@code float}. Narrowing rounds to nearest,
 * ties to even, as numpy and ONNX Runtime do; widening is exact. (Java 17 has no Float.floatToFloat16.)
 */
public final class HalfFloats {

    private static final int FP16_INFINITY = 0x7c00;

    private HalfFloats() {
    }

    public static short toFp16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) {
            // Infinity stays infinity; NaN keeps its top payload bits and stays a (quiet) NaN.
            return (short) (sign | FP16_INFINITY | (mantissa == 0 ? 0 : 0x200 | (mantissa >>> 13)));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1f) {
            return (short) (sign | FP16_INFINITY);
        }
        if (halfExponent <= 0) {
            if (halfExponent < -10) {
                return (short) sign;
            }
            // A subnormal half: the full significand (with its leading 1) shifted into the 10 mantissa bits.
            return (short) (sign | roundShift(mantissa | 0x800000, 14 - halfExponent));
        }
        // A carry out of the mantissa moves into the exponent, which is the right result (up to infinity).
        return (short) (sign | roundShift((halfExponent << 23) | mantissa, 13));
    }

    public static float fromFp16(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float subnormal = mantissa * 0x1p-24f;
            return sign == 0 ? subnormal : -subnormal;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    public static short toBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) roundShift(bits, 16);
    }

    public static float fromBf16(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xffff) << 16);
    }

    /** {@code value >>> shift}, rounded to nearest with ties to even. */
    private static int roundShift(int value, int shift) {
        int kept = value >>> shift;
        int dropped = value & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        return dropped > half || (dropped == half && (kept & 1) != 0) ? kept + 1 : kept;
    }
}
