// Checks every kernel of src/main/cuda on the host (see cuda_emulation.h) against plain C++ references.
// Built and run by gpu-agent/scripts/check-ptx.sh; exits non-zero on the first mismatch.
#include "cuda_emulation.h"
#include "../../main/cuda/elementwise.cu"
#include "../../main/cuda/rows.cu"
#include "../../main/cuda/matmul.cu"
#include "../../main/cuda/memory.cu"

#include <cstdio>
#include <cstdlib>
#include <random>

static int failures = 0;
static std::mt19937 rng(7);

static void expect(bool ok, const char* what, int at, double got, double want) {
    if (!ok && failures++ < 20) std::printf("MISMATCH %s at %d: got %.7g want %.7g\n", what, at, got, want);
}
static void near(const char* what, const std::vector<float>& got, const std::vector<double>& want, double tol) {
    for (size_t i = 0; i < want.size(); ++i) expect(std::fabs(got[i] - want[i]) <= tol, what, (int) i, got[i], want[i]);
}
static std::vector<float> randoms(int n) {
    std::uniform_real_distribution<float> d(-1.0f, 1.0f);
    std::vector<float> v(n);
    for (auto& x : v) x = d(rng);
    return v;
}
static dim3 d1(unsigned x) { return dim3{x, 1, 1}; }

static void binary_broadcast() {
    // [2,3,4] = a[2,1,4] + b[3,1]
    auto a = randoms(8), b = randoms(3);
    Strided2 s{3, {2, 3, 4, 1, 1, 1}, {4, 0, 1}, {0, 1, 0}};
    std::vector<float> y(24);
    emu_launch(add_f32, d1(2), d1(32), a.data(), b.data(), y.data(), 24, s);
    std::vector<double> want(24);
    for (int i = 0; i < 24; ++i) want[i] = a[(i / 12) * 4 + i % 4] + b[i / 4 % 3];
    near("add_f32 broadcast", y, want, 1e-6);
    std::vector<float> p(24);
    emu_launch(pow_f32, d1(1), d1(32), a.data(), b.data(), p.data(), 24, s);
    for (int i = 0; i < 24; ++i) want[i] = std::pow((double) a[(i / 12) * 4 + i % 4], (double) b[i / 4 % 3]);
    for (int i = 0; i < 24; ++i) if (a[(i / 12) * 4 + i % 4] < 0) { want[i] = 0; p[i] = 0; } // NaN either way
    near("pow_f32", p, want, 1e-5);
}

static void integer_and_compare() {
    std::vector<long long> a{-7, 7, 9, 4}, b{2, -2, 0, 4}, y(4);
    Strided2 s{1, {4, 1, 1, 1, 1, 1}, {1}, {1}};
    emu_launch(div_i64, d1(1), d1(32), a.data(), b.data(), y.data(), 4, s);
    long long want[] = {-3, -3, 0, 1};
    for (int i = 0; i < 4; ++i) expect(y[i] == want[i], "div_i64", i, (double) y[i], (double) want[i]);
    std::vector<unsigned char> eq(4);
    emu_launch(equal_i64, d1(1), d1(32), a.data(), b.data(), eq.data(), 4, s);
    for (int i = 0; i < 4; ++i) expect(eq[i] == (a[i] == b[i]), "equal_i64", i, eq[i], a[i] == b[i]);
}

static void where_and_unary_and_cast() {
    std::vector<unsigned char> c{1, 0, 1};
    auto x = randoms(6), z = randoms(1);
    Strided3 s{2, {2, 3, 1, 1, 1, 1}, {0, 1}, {3, 1}, {0, 0}};
    std::vector<float> y(6);
    emu_launch(where_f32, d1(1), d1(32), c.data(), x.data(), z.data(), y.data(), 6, s);
    std::vector<double> want(6);
    for (int i = 0; i < 6; ++i) want[i] = c[i % 3] ? x[i] : z[0];
    near("where_f32", y, want, 0);
    auto v = randoms(100);
    for (auto& e : v) e *= 4;
    std::vector<float> g(100), t(100), sg(100);
    emu_launch(gelu_f32, d1(2), d1(32), v.data(), g.data(), 100);
    emu_launch(gelu_tanh_f32, d1(2), d1(32), v.data(), t.data(), 100);
    emu_launch(sigmoid_f32, d1(2), d1(32), v.data(), sg.data(), 100);
    std::vector<double> wg(100), wt(100), ws(100);
    for (int i = 0; i < 100; ++i) {
        double q = v[i];
        wg[i] = 0.5 * q * (1 + std::erf(q / std::sqrt(2.0)));
        wt[i] = 0.5 * q * (1 + std::tanh(std::sqrt(2 / M_PI) * (q + 0.044715 * q * q * q)));
        ws[i] = 1 / (1 + std::exp(-q));
    }
    near("gelu_f32", g, wg, 1e-5);
    near("gelu_tanh_f32", t, wt, 1e-5);
    near("sigmoid_f32", sg, ws, 1e-6);
    std::vector<float> f{-1.7f, 2.9f, 0.0f};
    std::vector<long long> l(3);
    emu_launch(cast_f32_i64, d1(1), d1(32), f.data(), l.data(), 3);
    long long wl[] = {-1, 2, 0};
    for (int i = 0; i < 3; ++i) expect(l[i] == wl[i], "cast_f32_i64", i, (double) l[i], (double) wl[i]);
    std::vector<unsigned char> u(3);
    emu_launch(cast_f32_u8, d1(1), d1(32), f.data(), u.data(), 3);
    for (int i = 0; i < 3; ++i) expect(u[i] == (f[i] != 0), "cast_f32_u8", i, u[i], f[i] != 0);
}

static void rows() {
    int r = 3, c = 300;
    auto x = randoms(r * c);
    std::vector<float> mean(r), sm(r * c), ln(r * c), ln0(r * c);
    emu_launch(reduce_mean_last_f32, d1(r), d1(256), x.data(), mean.data(), r, c);
    auto gamma = randoms(c), beta = randoms(c);
    emu_launch(softmax_f32, d1(r), d1(256), x.data(), sm.data(), r, c, 1);
    emu_launch(layernorm_last_f32, d1(r), d1(256), x.data(), gamma.data(), beta.data(), ln.data(), r, c, 1e-5f);
    emu_launch(layernorm_last_f32, d1(r), d1(96), x.data(), gamma.data(), (const float*) nullptr, ln0.data(), r, c,
               1e-5f);
    std::vector<double> wm(r), ws(r * c), wl(r * c), wl0(r * c);
    for (int i = 0; i < r; ++i) {
        double s = 0, mx = -1e30, e = 0, q = 0;
        for (int j = 0; j < c; ++j) { s += x[i * c + j]; mx = std::max(mx, (double) x[i * c + j]); }
        wm[i] = s / c;
        for (int j = 0; j < c; ++j) { e += std::exp(x[i * c + j] - mx); q += (x[i * c + j] - wm[i]) * (x[i * c + j] - wm[i]); }
        for (int j = 0; j < c; ++j) {
            ws[i * c + j] = std::exp(x[i * c + j] - mx) / e;
            wl0[i * c + j] = (x[i * c + j] - wm[i]) / std::sqrt(q / c + 1e-5) * gamma[j];
            wl[i * c + j] = wl0[i * c + j] + beta[j];
        }
    }
    near("reduce_mean_last_f32", mean, wm, 1e-6);
    near("softmax_f32", sm, ws, 1e-6);
    near("layernorm_last_f32", ln, wl, 1e-5);
    near("layernorm_last_f32 without beta", ln0, wl0, 1e-5);
    // softmax over the middle axis of [2, 5, 3]
    auto m = randoms(30);
    std::vector<float> sm3(30);
    emu_launch(softmax_f32, d1(6), d1(32), m.data(), sm3.data(), 6, 5, 3);
    std::vector<double> w3(30);
    for (int o = 0; o < 2; ++o)
        for (int in = 0; in < 3; ++in) {
            double e = 0;
            for (int a = 0; a < 5; ++a) e += std::exp(m[(o * 5 + a) * 3 + in]);
            for (int a = 0; a < 5; ++a) w3[(o * 5 + a) * 3 + in] = std::exp(m[(o * 5 + a) * 3 + in]) / e;
        }
    near("softmax_f32 middle axis", sm3, w3, 1e-6);
}

static void gemm(int M, int N, int K, bool ta, bool tb, bool withBias, int batchOuter, int batchInner,
                 int tile = 64) {
    int batch = batchOuter * batchInner;
    auto a = randoms(batch * M * K), b = randoms(batchInner * K * N), bias = randoms(N);
    std::vector<float> c(batch * M * N);
    // B broadcast over the outer batch dimension (stride 0), as for [B, H] x [H] batches.
    GemmShape g{M, N, K, ta ? M : K, tb ? K : N, N, ta, tb, batchInner,
                batchInner * M * K, M * K, 0, K * N, batchInner * M * N, M * N, 0, 0, 0, 1};
    dim3 grid{(unsigned) (N + tile - 1) / tile, (unsigned) (M + tile - 1) / tile, (unsigned) batch};
    emu_launch(tile == 64 ? sgemm_f32 : sgemm128_f32, grid, d1(256), a.data(), b.data(),
               withBias ? bias.data() : nullptr, c.data(), 0.5f, 2.0f, g);
    std::vector<double> want(c.size());
    for (int z = 0; z < batch; ++z) {
        const float* A = a.data() + (long) z * M * K;
        const float* B = b.data() + (long) (z % batchInner) * K * N;
        for (int i = 0; i < M; ++i)
            for (int j = 0; j < N; ++j) {
                double s = 0;
                for (int p = 0; p < K; ++p) s += (double) (ta ? A[p * M + i] : A[i * K + p]) * (tb ? B[j * K + p] : B[p * N + j]);
                want[(long) z * M * N + i * N + j] = 0.5 * s + (withBias ? 2.0 * bias[j] : 0.0);
            }
    }
    char what[96];
    std::snprintf(what, sizeof what, "sgemm%d %dx%dx%d ta=%d tb=%d bias=%d batch=%dx%d", tile, M, N, K, ta, tb,
                  withBias, batchOuter, batchInner);
    near(what, c, want, 1e-4);
}

static void movement() {
    // transpose [2,3,4] -> perm (2,0,1): out [4,2,3]; x strides per out dim: (1, 12, 4)
    std::vector<float> x(24), y(24);
    for (int i = 0; i < 24; ++i) x[i] = (float) i;
    Strided2 s{3, {4, 2, 3, 1, 1, 1}, {1, 12, 4}, {6, 3, 1}};
    emu_launch(strided_copy_b32, d1(1), d1(64), (const unsigned*) x.data(), (unsigned*) y.data(), 0, 0, 24, s);
    std::vector<double> want(24);
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 2; ++j)
            for (int k = 0; k < 3; ++k) want[(i * 2 + j) * 3 + k] = x[(j * 3 + k) * 4 + i];
    near("strided_copy_b32 transpose", y, want, 0);
    // gather rows of a [5, 3] table with indices {4, -1, 0, 7}: 7 is out of range and yields 0
    std::vector<float> table(15), out(12);
    for (int i = 0; i < 15; ++i) table[i] = (float) i;
    std::vector<long long> idx{4, -1, 0, 7};
    emu_launch(gather_b32, d1(1), d1(32), (const unsigned*) table.data(), idx.data(), (unsigned*) out.data(), 1, 5, 4, 3);
    std::vector<double> wg{12, 13, 14, 12, 13, 14, 0, 1, 2, 0, 0, 0};
    near("gather_b32", out, wg, 0);
    std::vector<float> filled(70);
    emu_launch(fill_b32, d1(1), d1(32), (unsigned*) filled.data(), 0x3f800000u, 70);
    near("fill_b32", filled, std::vector<double>(70, 1.0), 0);
}

int main() {
    binary_broadcast();
    integer_and_compare();
    where_and_unary_and_cast();
    rows();
    gemm(1, 1, 1, false, false, false, 1, 1);
    gemm(64, 64, 16, false, false, false, 1, 1);
    gemm(65, 70, 33, false, false, true, 1, 1);
    gemm(65, 70, 33, true, false, false, 1, 1);
    gemm(65, 70, 33, false, true, true, 1, 1);
    gemm(37, 129, 17, true, true, false, 1, 1);
    gemm(20, 30, 40, false, false, false, 2, 3);
    gemm(128, 128, 8, false, false, false, 1, 1, 128);
    gemm(130, 257, 19, false, false, true, 1, 1, 128);
    gemm(130, 257, 19, true, false, false, 1, 1, 128);
    gemm(130, 257, 19, false, true, true, 1, 1, 128);
    gemm(129, 131, 21, true, true, false, 1, 1, 128);
    gemm(140, 150, 9, false, false, true, 2, 2, 128);
    movement();
    if (failures) {
        std::printf("emulated kernels: %d mismatches\n", failures);
        return 1;
    }
    std::printf("emulated kernels: all checks passed\n");
    return 0;
}
