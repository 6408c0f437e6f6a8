package io.trims.gpu.exec;

/** Scalar functions the host reference needs and Java lacks. */
public final class HostMath {

    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    private HostMath() {
    }

    /** erf with relative error under 1.2e-7 (Numerical Recipes' Chebyshev fit of erfc). */
    public static double erf(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - erfc : erfc - 1;
    }

    static float unary(UnaryOp op, float x) {
        return (float) switch (op) {
            case SQRT -> Math.sqrt(x);
            case ERF -> erf(x);
            case RELU -> Math.max(0f, x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case TANH -> Math.tanh(x);
            case GELU -> 0.5 * x * (1 + erf(x * SQRT_HALF));
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
            case NEG -> -x;
            case EXP -> Math.exp(x);
        };
    }

    static float binary(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> (float) Math.pow(a, b);
            case EQUAL -> a == b ? 1 : 0;
        };
    }

    static long binary(BinaryOp op, long a, long b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> (long) Math.pow(a, b);
            case EQUAL -> a == b ? 1 : 0;
        };
    }
}
