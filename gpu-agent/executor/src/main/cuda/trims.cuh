// Shared definitions of trims' kernels. Shapes and strides travel by value in small structs of 32-bit ints
// (the host packs them as int[] in exactly this field order); element counts fit in 31 bits for the models served.
#pragma once

#define TRIMS_MAX_RANK 6

// Output shape and, per operand, its element strides (0 along a broadcast dimension).
struct Strided1 { int rank; int shape[TRIMS_MAX_RANK]; int sx[TRIMS_MAX_RANK]; };
struct Strided2 { int rank; int shape[TRIMS_MAX_RANK]; int sa[TRIMS_MAX_RANK]; int sb[TRIMS_MAX_RANK]; };
struct Strided3 {
    int rank; int shape[TRIMS_MAX_RANK];
    int sa[TRIMS_MAX_RANK]; int sb[TRIMS_MAX_RANK]; int sc[TRIMS_MAX_RANK];
};

// A grid-stride loop: any grid size covers any n.
#define TRIMS_FOR_EACH(i, n) \
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += blockDim.x * gridDim.x)

// Splits a row-major linear index of the output into the offset of one operand.
__device__ __forceinline__ int trims_offset(int linear, int rank, const int* shape, const int* strides) {
    int offset = 0;
    for (int d = rank - 1; d >= 0; --d) {
        int extent = shape[d];
        offset += (linear % extent) * strides[d];
        linear /= extent;
    }
    return offset;
}

// Sum over the block; every thread gets the result. blockDim.x is a multiple of 32, at most 1024.
__device__ __forceinline__ float trims_block_sum(float v, float* scratch) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    __syncthreads();
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    v = lane < warps ? scratch[lane] : 0.0f;
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ float trims_block_max(float v, float* scratch) {
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    __syncthreads();
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    v = lane < warps ? scratch[lane] : -INFINITY;
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}
