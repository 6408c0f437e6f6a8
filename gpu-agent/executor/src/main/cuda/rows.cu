// Row kernels: one block per row, warp-shuffle plus shared-memory block reductions.
// blockDim.x is a multiple of 32 (at most 1024), chosen by the host from the row length.
#include "trims.cuh"

extern "C" __global__ void reduce_mean_last_f32(const float* x, float* y, int rows, int cols) {
    __shared__ float scratch[32];
    int row = blockIdx.x;
    if (row >= rows) return;
    const float* in = x + (long long) row * cols;
    float s = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) s += in[j];
    s = trims_block_sum(s, scratch);
    if (threadIdx.x == 0) y[row] = s / (float) cols;
}

// Softmax along the middle axis of an [outer, axis, inner] view (the last axis when inner = 1); one block per
// (outer, inner) pair, rows = outer * inner. Numerically stable: subtract the row's max before exp, then divide
// by the sum.
extern "C" __global__ void softmax_f32(const float* x, float* y, int rows, int axis, int inner) {
    __shared__ float scratch[32];
    int row = blockIdx.x;
    if (row >= rows) return;
    long long base = (long long) (row / inner) * axis * inner + row % inner;
    const float* in = x + base;
    float* out = y + base;
    float m = -INFINITY;
    for (int j = threadIdx.x; j < axis; j += blockDim.x) m = fmaxf(m, in[(long long) j * inner]);
    m = trims_block_max(m, scratch);
    float s = 0.0f;
    for (int j = threadIdx.x; j < axis; j += blockDim.x) {
        float e = expf(in[(long long) j * inner] - m);
        out[(long long) j * inner] = e;
        s += e;
    }
    s = trims_block_sum(s, scratch);
    float inv = 1.0f / s;
    for (int j = threadIdx.x; j < axis; j += blockDim.x) out[(long long) j * inner] *= inv;
}

// y = (x - mean) / sqrt(var + eps) * gamma + beta; beta may be null. Two passes (mean, then the centred
// sum of squares) rather than E[x^2] - E[x]^2, which cancels badly.
extern "C" __global__ void layernorm_last_f32(const float* x, const float* gamma, const float* beta, float* y,
                                              int rows, int cols, float eps) {
    __shared__ float scratch[32];
    int row = blockIdx.x;
    if (row >= rows) return;
    const float* in = x + (long long) row * cols;
    float* out = y + (long long) row * cols;
    float s = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) s += in[j];
    float mean = trims_block_sum(s, scratch) / (float) cols;
    float q = 0.0f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        float c = in[j] - mean;
        q += c * c;
    }
    float var = trims_block_sum(q, scratch) / (float) cols;
    float inv = rsqrtf(var + eps);
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        float v = (in[j] - mean) * inv * gamma[j];
        out[j] = beta != nullptr ? v + beta[j] : v;
    }
}
