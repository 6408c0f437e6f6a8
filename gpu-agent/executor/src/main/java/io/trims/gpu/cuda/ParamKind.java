package io.trims.gpu.cuda;

/**
 * The kinds of kernel parameter trims' kernels take, with their size in bytes and how the PTX declares them.
 * Structs travel by value as int arrays packed in field order (see {@code src/main/cuda/trims.cuh}).
 */
public enum ParamKind {
    /** A device pointer ({@code CUdeviceptr}; {@code null} is passed as a null pointer). */
    PTR(8, ".u64"),
    /** A 32-bit int ({@code Integer}). */
    INT(4, ".u32"),
    /** A 32-bit float ({@code Float}). */
    FLOAT(4, ".f32"),
    /** {@code Strided1}: rank, shape[6], sx[6]. */
    STRIDED1(4 * StridePacking.STRIDED1_INTS, ".b8"),
    /** {@code Strided2}: rank, shape[6], sa[6], sb[6]. */
    STRIDED2(4 * StridePacking.STRIDED2_INTS, ".b8"),
    /** {@code Strided3}: rank, shape[6], sa[6], sb[6], sc[6]. */
    STRIDED3(4 * StridePacking.STRIDED3_INTS, ".b8"),
    /** {@code GemmShape}: 19 ints, see {@link GemmShape}. */
    GEMM(4 * GemmShape.INTS, ".b8");

    private final int bytes;
    private final String ptxType;

    ParamKind(int bytes, String ptxType) {
        this.bytes = bytes;
        this.ptxType = ptxType;
    }

    public int bytes() {
        return bytes;
    }

    /** The PTX type of the {@code .param} that declares it ({@code .b8} arrays for structs). */
    public String ptxType() {
        return ptxType;
    }
}
