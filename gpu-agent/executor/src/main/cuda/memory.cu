// Data movement. One strided copy serves Transpose (permuted strides), Slice (offset and stepped strides),
// Expand (zero strides), Concat (each input copied into its slab of the output) and plain copies; it is
// specialised by element width only, since moving bytes does not care about the element type.
#include "trims.cuh"

// y[oy + sum_d idx_d * sy_d] = x[ox + sum_d idx_d * sx_d] over every index of shape (rank <= 6).
// Packed as Strided2: sa = strides of x, sb = strides of y.
#define TRIMS_STRIDED_COPY(name, T)                                                             \
    extern "C" __global__ void name(const T* x, T* y, int ox, int oy, int n, Strided2 d) {     \
        TRIMS_FOR_EACH(i, n) {                                                                  \
            y[oy + trims_offset(i, d.rank, d.shape, d.sb)] = x[ox + trims_offset(i, d.rank, d.shape, d.sa)]; \
        }                                                                                       \
    }

TRIMS_STRIDED_COPY(strided_copy_b8, unsigned char)
TRIMS_STRIDED_COPY(strided_copy_b32, unsigned int)
TRIMS_STRIDED_COPY(strided_copy_b64, unsigned long long)

// ONNX Gather on axis a, with data viewed as [outer, axisLen, inner] and k indices:
// y[o, i, j] = x[o, idx[i], j]; a negative index counts from the end. An index out of range yields 0 rather
// than reading outside the buffer (the host checks indices it can see; this guards the ones it cannot).
#define TRIMS_GATHER(name, T)                                                                   \
    extern "C" __global__ void name(const T* x, const long long* idx, T* y, int outer, int axisLen, \
                                    int k, int inner) {                                         \
        int n = outer * k * inner;                                                              \
        TRIMS_FOR_EACH(i, n) {                                                                  \
            int j = i % inner;                                                                  \
            int r = i / inner;                                                                  \
            int q = r % k;                                                                      \
            int o = r / k;                                                                      \
            long long at = idx[q];                                                              \
            if (at < 0) at += axisLen;                                                          \
            y[i] = (at >= 0 && at < axisLen) ? x[((long long) o * axisLen + at) * inner + j] : (T) 0; \
        }                                                                                       \
    }

TRIMS_GATHER(gather_b8, unsigned char)
TRIMS_GATHER(gather_b32, unsigned int)
TRIMS_GATHER(gather_b64, unsigned long long)

// Fills n elements with one value (bit pattern), e.g. a zeroed accumulator.
extern "C" __global__ void fill_b32(unsigned int* y, unsigned int v, int n) {
    TRIMS_FOR_EACH(i, n) y[i] = v;
}
