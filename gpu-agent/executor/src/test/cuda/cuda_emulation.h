// Runs trims' CUDA C kernels on the host, for checking their logic where no GPU exists: each block runs alone,
// one std::thread per CUDA thread, so function-local "__shared__" statics are exactly block-shared memory;
// __syncthreads is a block barrier and __shfl_xor_sync exchanges through a block-wide buffer between two
// barriers (valid because trims' kernels call shuffles with every thread of the block). Slow: small launches only.
#pragma once
#include <barrier>
#include <cmath>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

struct dim3 { unsigned x = 1, y = 1, z = 1; };
struct alignas(16) float4 { float x, y, z, w; };

inline thread_local dim3 threadIdx, blockIdx;
inline dim3 blockDim, gridDim;
inline std::unique_ptr<std::barrier<>> emu_barrier;
inline std::vector<float> emu_shuffle;

#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
#define __launch_bounds__(n)
#define __align__(n) __attribute__((aligned(n)))

inline void __syncthreads() { emu_barrier->arrive_and_wait(); }

inline float __shfl_xor_sync(unsigned, float v, int lane_mask) {
    unsigned t = threadIdx.x;
    emu_barrier->arrive_and_wait();
    emu_shuffle[t] = v;
    emu_barrier->arrive_and_wait();
    float other = emu_shuffle[(t & ~31u) | ((t & 31u) ^ (unsigned) lane_mask)];
    emu_barrier->arrive_and_wait();
    return other;
}

inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }

template <typename Kernel, typename... Args>
void emu_launch(Kernel kernel, dim3 grid, dim3 block, Args... args) {
    gridDim = grid;
    blockDim = block;
    for (unsigned bz = 0; bz < grid.z; ++bz)
        for (unsigned by = 0; by < grid.y; ++by)
            for (unsigned bx = 0; bx < grid.x; ++bx) {
                emu_barrier = std::make_unique<std::barrier<>>(block.x);
                emu_shuffle.assign(block.x, 0.0f);
                std::vector<std::thread> threads;
                for (unsigned tx = 0; tx < block.x; ++tx) {
                    threads.emplace_back([=] {
                        blockIdx = dim3{bx, by, bz};
                        threadIdx = dim3{tx, 0, 0};
                        kernel(args...);
                    });
                }
                for (auto& t : threads) t.join();
            }
}
