// Elementwise kernels: binary operators with N-d broadcasting through strides, Where, unary operators, casts.
// Built without --use_fast_math: erff, expf, tanhf and powf keep their accurate (few-ulp) forms, which the
// 1e-3 agreement with ONNX Runtime over a dozen encoder layers needs.
#include "trims.cuh"

#define TRIMS_BINARY(name, T, R, expr)                                                          \
    extern "C" __global__ void name(const T* a, const T* b, R* y, int n, Strided2 d) {         \
        TRIMS_FOR_EACH(i, n) {                                                                  \
            T x0 = a[trims_offset(i, d.rank, d.shape, d.sa)];                                   \
            T x1 = b[trims_offset(i, d.rank, d.shape, d.sb)];                                   \
            y[i] = (expr);                                                                      \
        }                                                                                       \
    }

TRIMS_BINARY(add_f32, float, float, x0 + x1)
TRIMS_BINARY(sub_f32, float, float, x0 - x1)
TRIMS_BINARY(mul_f32, float, float, x0 * x1)
TRIMS_BINARY(div_f32, float, float, x0 / x1)
TRIMS_BINARY(pow_f32, float, float, x1 == 2.0f ? x0 * x0 : powf(x0, x1))
// Integer division truncates toward zero (C semantics, as ONNX Div on integers); a zero divisor yields 0 instead of
// an undefined result.
TRIMS_BINARY(add_i64, long long, long long, x0 + x1)
TRIMS_BINARY(sub_i64, long long, long long, x0 - x1)
TRIMS_BINARY(mul_i64, long long, long long, x0 * x1)
TRIMS_BINARY(div_i64, long long, long long, x1 == 0 ? 0 : x0 / x1)
TRIMS_BINARY(equal_f32, float, unsigned char, (unsigned char) (x0 == x1))
TRIMS_BINARY(equal_i64, long long, unsigned char, (unsigned char) (x0 == x1))

// y = c ? x : z, the condition a bool tensor (one byte per element, nonzero = true).
#define TRIMS_WHERE(name, T)                                                                    \
    extern "C" __global__ void name(const unsigned char* c, const T* x, const T* z, T* y, int n, Strided3 d) { \
        TRIMS_FOR_EACH(i, n) {                                                                  \
            bool take = c[trims_offset(i, d.rank, d.shape, d.sa)] != 0;                         \
            y[i] = take ? x[trims_offset(i, d.rank, d.shape, d.sb)] : z[trims_offset(i, d.rank, d.shape, d.sc)]; \
        }                                                                                       \
    }

TRIMS_WHERE(where_f32, float)
TRIMS_WHERE(where_i64, long long)

#define TRIMS_UNARY(name, expr)                                                                 \
    extern "C" __global__ void name(const float* x, float* y, int n) {                          \
        TRIMS_FOR_EACH(i, n) {                                                                  \
            float v = x[i];                                                                     \
            y[i] = (expr);                                                                      \
        }                                                                                       \
    }

TRIMS_UNARY(sqrt_f32, sqrtf(v))
TRIMS_UNARY(erf_f32, erff(v))
TRIMS_UNARY(relu_f32, fmaxf(v, 0.0f))
TRIMS_UNARY(sigmoid_f32, 1.0f / (1.0f + expf(-v)))
TRIMS_UNARY(tanh_f32, tanhf(v))
TRIMS_UNARY(neg_f32, -v)
TRIMS_UNARY(exp_f32, expf(v))
// Gelu exact: x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)).
TRIMS_UNARY(gelu_f32, 0.5f * v * (1.0f + erff(v * 0.70710678118654752f)))
// Gelu tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
TRIMS_UNARY(gelu_tanh_f32, 0.5f * v * (1.0f + tanhf(0.79788456080286536f * (v + 0.044715f * v * v * v))))

#define TRIMS_CAST(name, S, D, expr)                                                            \
    extern "C" __global__ void name(const S* x, D* y, int n) {                                  \
        TRIMS_FOR_EACH(i, n) {                                                                  \
            S v = x[i];                                                                         \
            y[i] = (expr);                                                                      \
        }                                                                                       \
    }

// Bool is one byte, 0 or 1; a cast to bool is "nonzero". Float to integer truncates toward zero, as ONNX does.
TRIMS_CAST(cast_i64_f32, long long, float, (float) v)
TRIMS_CAST(cast_i32_f32, int, float, (float) v)
TRIMS_CAST(cast_u8_f32, unsigned char, float, (float) v)
TRIMS_CAST(cast_f32_i64, float, long long, (long long) v)
TRIMS_CAST(cast_f32_i32, float, int, (int) v)
TRIMS_CAST(cast_f32_u8, float, unsigned char, (unsigned char) (v != 0.0f))
TRIMS_CAST(cast_i64_i32, long long, int, (int) v)
TRIMS_CAST(cast_i32_i64, int, long long, (long long) v)
TRIMS_CAST(cast_i64_u8, long long, unsigned char, (unsigned char) (v != 0))
TRIMS_CAST(cast_u8_i64, unsigned char, long long, (long long) v)
TRIMS_CAST(cast_i32_u8, int, unsigned char, (unsigned char) (v != 0))
TRIMS_CAST(cast_u8_i32, unsigned char, int, (int) v)
