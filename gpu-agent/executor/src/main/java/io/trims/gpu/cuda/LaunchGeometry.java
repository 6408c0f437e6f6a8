package io.trims.gpu.cuda;

/** Grid and block sizes for trims' kernels. Pure arithmetic, no CUDA. */
public final class LaunchGeometry {

    /** Threads per block of the elementwise and copy kernels. */
    public static final int ELEMENTWISE_BLOCK = 256;
    /** Blocks beyond this are not launched: the kernels loop over the rest (grid-stride loops). */
    public static final int MAX_ELEMENTWISE_BLOCKS = 8192;
    /** Threads per block of the row kernels at most. */
    public static final int MAX_ROW_BLOCK = 256;
    /** CUDA's limit on gridDim.y and gridDim.z. */
    public static final int MAX_GRID_YZ = 65535;

    private LaunchGeometry() {
    }

    /** A launch: grid in blocks (x, y, z) and threads per block along x. */
    public record Grid(int x, int y, int z, int block) {
        public Grid {
            if (x < 1 || y < 1 || z < 1 || block < 1 || block > 1024) {
                throw new IllegalArgumentException("invalid launch grid " + x + "x" + y + "x" + z + " of " + block);
            }
            if (y > MAX_GRID_YZ || z > MAX_GRID_YZ) {
                throw new IllegalArgumentException("grid y/z above " + MAX_GRID_YZ + ": " + y + ", " + z);
            }
        }
    }

    public static int ceilDiv(long a, long b) {
        return Math.toIntExact((a + b - 1) / b);
    }

    /** For the grid-stride kernels over n elements (n = 0 still launches one block, which does nothing). */
    public static Grid elementwise(long n) {
        int blocks = (int) Math.min(MAX_ELEMENTWISE_BLOCKS, Math.max(1, ceilDiv(n, ELEMENTWISE_BLOCK)));
        return new Grid(blocks, 1, 1, ELEMENTWISE_BLOCK);
    }

    /** For the row kernels: one block per row, threads a multiple of 32 covering the row up to 256. */
    public static Grid rows(int rows, int cols) {
        if (rows < 1) {
            throw new IllegalArgumentException("a row kernel needs at least one row");
        }
        int threads = Math.min(MAX_ROW_BLOCK, Math.max(32, ceilDiv(cols, 32) * 32));
        return new Grid(rows, 1, 1, threads);
    }
}
