package io.trims.gpu.exec;

/** Elementwise FP32 unary operators. GELU is the exact erf form, GELU_TANH the tanh approximation. */
public enum UnaryOp {
    SQRT, ERF, RELU, SIGMOID, TANH, GELU, GELU_TANH, NEG, EXP
}
