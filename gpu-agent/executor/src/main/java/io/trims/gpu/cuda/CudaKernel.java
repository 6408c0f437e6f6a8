package io.trims.gpu.cuda;

import java.util.List;

import static io.trims.gpu.cuda.ParamKind.FLOAT;
import static io.trims.gpu.cuda.ParamKind.GEMM;
import static io.trims.gpu.cuda.ParamKind.INT;
import static io.trims.gpu.cuda.ParamKind.PTR;
import static io.trims.gpu.cuda.ParamKind.STRIDED2;
import static io.trims.gpu.cuda.ParamKind.STRIDED3;

/**
 * Every kernel entry that trims launches: the PTX module that holds it, its unmangled name and its parameters.
 * A test parses the checked-in PTX and checks each entry is declared there with exactly these parameters, so a
 * kernel edited without this table (or the reverse) fails the build, not a launch on a GPU.
 */
public enum CudaKernel {
    ADD_F32("elementwise", "add_f32", PTR, PTR, PTR, INT, STRIDED2),
    SUB_F32("elementwise", "sub_f32", PTR, PTR, PTR, INT, STRIDED2),
    MUL_F32("elementwise", "mul_f32", PTR, PTR, PTR, INT, STRIDED2),
    DIV_F32("elementwise", "div_f32", PTR, PTR, PTR, INT, STRIDED2),
    POW_F32("elementwise", "pow_f32", PTR, PTR, PTR, INT, STRIDED2),
    ADD_I64("elementwise", "add_i64", PTR, PTR, PTR, INT, STRIDED2),
    SUB_I64("elementwise", "sub_i64", PTR, PTR, PTR, INT, STRIDED2),
    MUL_I64("elementwise", "mul_i64", PTR, PTR, PTR, INT, STRIDED2),
    DIV_I64("elementwise", "div_i64", PTR, PTR, PTR, INT, STRIDED2),
    EQUAL_F32("elementwise", "equal_f32", PTR, PTR, PTR, INT, STRIDED2),
    EQUAL_I64("elementwise", "equal_i64", PTR, PTR, PTR, INT, STRIDED2),
    WHERE_F32("elementwise", "where_f32", PTR, PTR, PTR, PTR, INT, STRIDED3),
    WHERE_I64("elementwise", "where_i64", PTR, PTR, PTR, PTR, INT, STRIDED3),
    SQRT_F32("elementwise", "sqrt_f32", PTR, PTR, INT),
    ERF_F32("elementwise", "erf_f32", PTR, PTR, INT),
    RELU_F32("elementwise", "relu_f32", PTR, PTR, INT),
    SIGMOID_F32("elementwise", "sigmoid_f32", PTR, PTR, INT),
    TANH_F32("elementwise", "tanh_f32", PTR, PTR, INT),
    NEG_F32("elementwise", "neg_f32", PTR, PTR, INT),
    EXP_F32("elementwise", "exp_f32", PTR, PTR, INT),
    GELU_F32("elementwise", "gelu_f32", PTR, PTR, INT),
    GELU_TANH_F32("elementwise", "gelu_tanh_f32", PTR, PTR, INT),
    CAST_I64_F32("elementwise", "cast_i64_f32", PTR, PTR, INT),
    CAST_I32_F32("elementwise", "cast_i32_f32", PTR, PTR, INT),
    CAST_U8_F32("elementwise", "cast_u8_f32", PTR, PTR, INT),
    CAST_F32_I64("elementwise", "cast_f32_i64", PTR, PTR, INT),
    CAST_F32_I32("elementwise", "cast_f32_i32", PTR, PTR, INT),
    CAST_F32_U8("elementwise", "cast_f32_u8", PTR, PTR, INT),
    CAST_I64_I32("elementwise", "cast_i64_i32", PTR, PTR, INT),
    CAST_I32_I64("elementwise", "cast_i32_i64", PTR, PTR, INT),
    CAST_I64_U8("elementwise", "cast_i64_u8", PTR, PTR, INT),
    CAST_U8_I64("elementwise", "cast_u8_i64", PTR, PTR, INT),
    CAST_I32_U8("elementwise", "cast_i32_u8", PTR, PTR, INT),
    CAST_U8_I32("elementwise", "cast_u8_i32", PTR, PTR, INT),
    REDUCE_MEAN_LAST_F32("rows", "reduce_mean_last_f32", PTR, PTR, INT, INT),
    SOFTMAX_F32("rows", "softmax_f32", PTR, PTR, INT, INT, INT),
    LAYERNORM_LAST_F32("rows", "layernorm_last_f32", PTR, PTR, PTR, PTR, INT, INT, FLOAT),
    SGEMM_F32("matmul", "sgemm_f32", PTR, PTR, PTR, PTR, FLOAT, FLOAT, GEMM),
    SGEMM128_F32("matmul", "sgemm128_f32", PTR, PTR, PTR, PTR, FLOAT, FLOAT, GEMM),
    STRIDED_COPY_B8("memory", "strided_copy_b8", PTR, PTR, INT, INT, INT, STRIDED2),
    STRIDED_COPY_B32("memory", "strided_copy_b32", PTR, PTR, INT, INT, INT, STRIDED2),
    STRIDED_COPY_B64("memory", "strided_copy_b64", PTR, PTR, INT, INT, INT, STRIDED2),
    GATHER_B8("memory", "gather_b8", PTR, PTR, PTR, INT, INT, INT, INT),
    GATHER_B32("memory", "gather_b32", PTR, PTR, PTR, INT, INT, INT, INT),
    GATHER_B64("memory", "gather_b64", PTR, PTR, PTR, INT, INT, INT, INT),
    FILL_B32("memory", "fill_b32", PTR, INT, INT);

    private final String module;
    private final String entry;
    private final List<ParamKind> params;

    CudaKernel(String module, String entry, ParamKind... params) {
        this.module = module;
        this.entry = entry;
        this.params = List.of(params);
    }

    /** The PTX resource (without {@code .ptx}) that holds the entry. */
    public String module() {
        return module;
    }

    public String entry() {
        return entry;
    }

    public List<ParamKind> params() {
        return params;
    }
}
