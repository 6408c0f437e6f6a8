// SGEMM for MatMul, batched MatMul and Gemm: C = alpha * op(A) op(B) + beta * bias, FP32 on the SIMT cores.
// One block of 256 threads computes a 64x64 tile of C, stepping through K in slices of 16 that are staged in
// shared memory; each thread accumulates a 4x4 register tile whose rows and columns are 16 apart, so that reads
// of the B slice are conflict-free and the A reads are broadcasts. Edges are bounds-checked (zero-filled loads,
// guarded stores), so any M, N, K work.
#include "trims.cuh"

#define GEMM_BM 64
#define GEMM_BN 64
#define GEMM_BK 16
#define GEMM_THREADS 256

// Packed by the host as int[19] in this order. Batch index z = z1 * batchInner + z2 (two batch dimensions are
// enough for [B, H, S, D] attention; a broadcast batch dimension has stride 0). op(A) is M x K, op(B) is K x N,
// row-major with leading dimensions lda, ldb, ldc. bias (may be null) is read at
// z1*biasS1 + z2*biasS2 + row*biasRs + col*biasCs, which covers ONNX Gemm's C broadcast ([N], [M,1], [M,N], scalar).
struct GemmShape {
    int M, N, K, lda, ldb, ldc, transA, transB, batchInner;
    int sa1, sa2, sb1, sb2, sc1, sc2;
    int biasS1, biasS2, biasRs, biasCs;
};

// Moves A, B, C and bias to the batch entry of this block (blockIdx.z).
__device__ __forceinline__ void gemm_batch_entry(const float*& A, const float*& B, const float*& bias, float*& C,
                                                 const GemmShape& g) {
    int z1 = blockIdx.z / g.batchInner, z2 = blockIdx.z % g.batchInner;
    A += (long long) z1 * g.sa1 + (long long) z2 * g.sa2;
    B += (long long) z1 * g.sb1 + (long long) z2 * g.sb2;
    C += (long long) z1 * g.sc1 + (long long) z2 * g.sc2;
    if (bias != nullptr) bias += (long long) z1 * g.biasS1 + (long long) z2 * g.biasS2;
}

// Stages the K slice at k0 of the BM x BN tile at (m0, n0) into shared memory, zero-filled past the edges: each
// of the GEMM_THREADS threads loads 4 elements of each operand, the index mapping following the operand's memory
// order so that consecutive threads read consecutive addresses.
template <int BM, int BN, int BK>
__device__ __forceinline__ void gemm_stage_slice(const float* A, const float* B, const GemmShape& g, int m0, int n0,
                                                 int k0, float (&As)[BK][BM + 4], float (&Bs)[BK][BN + 4]) {
    static_assert(BM * BK == 4 * GEMM_THREADS && BN * BK == 4 * GEMM_THREADS, "4 loads per thread per operand");
#pragma unroll
    for (int l = 0; l < 4; ++l) {
        int idx = threadIdx.x + l * GEMM_THREADS;
        int m, k;
        if (g.transA) { k = idx / BM; m = idx % BM; } else { m = idx / BK; k = idx % BK; }
        int gm = m0 + m, gk = k0 + k;
        float v = 0.0f;
        if (gm < g.M && gk < g.K) {
            v = g.transA ? A[(long long) gk * g.lda + gm] : A[(long long) gm * g.lda + gk];
        }
        As[k][m] = v;
        int n;
        if (g.transB) { n = idx / BK; k = idx % BK; } else { k = idx / BN; n = idx % BN; }
        int gn = n0 + n;
        gk = k0 + k;
        v = 0.0f;
        if (gn < g.N && gk < g.K) {
            v = g.transB ? B[(long long) gn * g.ldb + gk] : B[(long long) gk * g.ldb + gn];
        }
        Bs[k][n] = v;
    }
}

// Writes one element of C: alpha * acc + beta * bias.
__device__ __forceinline__ void gemm_store(float* C, const float* bias, const GemmShape& g, int gm, int gn,
                                           float alpha, float beta, float acc) {
    float v = alpha * acc;
    if (bias != nullptr) v += beta * bias[(long long) gm * g.biasRs + (long long) gn * g.biasCs];
    C[(long long) gm * g.ldc + gn] = v;
}

extern "C" __global__ void __launch_bounds__(GEMM_THREADS)
sgemm_f32(const float* A, const float* B, const float* bias, float* C, float alpha, float beta, GemmShape g) {
    __shared__ float As[GEMM_BK][GEMM_BM + 4];
    __shared__ float Bs[GEMM_BK][GEMM_BN + 4];
    gemm_batch_entry(A, B, bias, C, g);
    int m0 = blockIdx.y * GEMM_BM, n0 = blockIdx.x * GEMM_BN;
    int tx = threadIdx.x % 16, ty = threadIdx.x / 16;

    float acc[4][4];
#pragma unroll
    for (int i = 0; i < 4; ++i)
#pragma unroll
        for (int j = 0; j < 4; ++j) acc[i][j] = 0.0f;

    for (int k0 = 0; k0 < g.K; k0 += GEMM_BK) {
        gemm_stage_slice<GEMM_BM, GEMM_BN, GEMM_BK>(A, B, g, m0, n0, k0, As, Bs);
        __syncthreads();
#pragma unroll
        for (int k = 0; k < GEMM_BK; ++k) {
            float a[4], b[4];
#pragma unroll
            for (int i = 0; i < 4; ++i) a[i] = As[k][ty + 16 * i];
#pragma unroll
            for (int j = 0; j < 4; ++j) b[j] = Bs[k][tx + 16 * j];
#pragma unroll
            for (int i = 0; i < 4; ++i)
#pragma unroll
                for (int j = 0; j < 4; ++j) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
        }
        __syncthreads();
    }

#pragma unroll
    for (int i = 0; i < 4; ++i) {
        int gm = m0 + ty + 16 * i;
        if (gm >= g.M) continue;
#pragma unroll
        for (int j = 0; j < 4; ++j) {
            int gn = n0 + tx + 16 * j;
            if (gn >= g.N) continue;
            gemm_store(C, bias, g, gm, gn, alpha, beta, acc[i][j]);
        }
    }
}

// The large-tile variant for big products (M and N of 128 or more): a 128x128 tile of C per block of 256
// threads, K in slices of 8, each thread an 8x8 register tile made of two 4x4 quads 64 rows and 64 columns
// apart, read from shared memory as float4. Twice the arithmetic per shared-memory load of sgemm_f32.
#define GEMM2_BM 128
#define GEMM2_BN 128
#define GEMM2_BK 8

extern "C" __global__ void __launch_bounds__(GEMM_THREADS)
sgemm128_f32(const float* A, const float* B, const float* bias, float* C, float alpha, float beta, GemmShape g) {
    __shared__ __align__(16) float As[GEMM2_BK][GEMM2_BM + 4];
    __shared__ __align__(16) float Bs[GEMM2_BK][GEMM2_BN + 4];
    gemm_batch_entry(A, B, bias, C, g);
    int m0 = blockIdx.y * GEMM2_BM, n0 = blockIdx.x * GEMM2_BN;
    int tx = threadIdx.x % 16, ty = threadIdx.x / 16;

    float acc[8][8];
#pragma unroll
    for (int i = 0; i < 8; ++i)
#pragma unroll
        for (int j = 0; j < 8; ++j) acc[i][j] = 0.0f;

    for (int k0 = 0; k0 < g.K; k0 += GEMM2_BK) {
        gemm_stage_slice<GEMM2_BM, GEMM2_BN, GEMM2_BK>(A, B, g, m0, n0, k0, As, Bs);
        __syncthreads();
#pragma unroll
        for (int k = 0; k < GEMM2_BK; ++k) {
            float a[8], b[8];
            float4 a0 = *reinterpret_cast<const float4*>(&As[k][ty * 4]);
            float4 a1 = *reinterpret_cast<const float4*>(&As[k][64 + ty * 4]);
            float4 b0 = *reinterpret_cast<const float4*>(&Bs[k][tx * 4]);
            float4 b1 = *reinterpret_cast<const float4*>(&Bs[k][64 + tx * 4]);
            a[0] = a0.x; a[1] = a0.y; a[2] = a0.z; a[3] = a0.w;
            a[4] = a1.x; a[5] = a1.y; a[6] = a1.z; a[7] = a1.w;
            b[0] = b0.x; b[1] = b0.y; b[2] = b0.z; b[3] = b0.w;
            b[4] = b1.x; b[5] = b1.y; b[6] = b1.z; b[7] = b1.w;
#pragma unroll
            for (int i = 0; i < 8; ++i)
#pragma unroll
                for (int j = 0; j < 8; ++j) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
        }
        __syncthreads();
    }

#pragma unroll
    for (int i = 0; i < 8; ++i) {
        int gm = m0 + (i < 4 ? ty * 4 + i : 64 + ty * 4 + i - 4);
        if (gm >= g.M) continue;
#pragma unroll
        for (int j = 0; j < 8; ++j) {
            int gn = n0 + (j < 4 ? tx * 4 + j : 64 + tx * 4 + j - 4);
            if (gn >= g.N) continue;
            gemm_store(C, bias, g, gm, gn, alpha, beta, acc[i][j]);
        }
    }
}
