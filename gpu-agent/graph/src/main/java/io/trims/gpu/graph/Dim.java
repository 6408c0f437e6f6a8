package io.trims.gpu.graph;

/** One dimension of a declared graph input or output: a fixed size, or a symbolic name (size -1). */
public record Dim(long size, String param) {

    public static Dim fixed(long size) {
        return new Dim(size, "");
    }

    public static Dim symbolic(String param) {
        return new Dim(-1, param);
    }
}
