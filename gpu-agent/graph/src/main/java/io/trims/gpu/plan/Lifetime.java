package io.trims.gpu.plan;

/**
 * The steps during which an arena tensor must hold its value: written at {@code first} (-1: before the first step,
 * for inputs and host values) and last read at {@code last} (the step count for graph outputs, read after the run).
 */
public record Lifetime(int first, int last) {

    public boolean overlaps(Lifetime other) {
        return first <= other.last && other.first <= last;
    }

    public Lifetime union(Lifetime other) {
        return new Lifetime(Math.min(first, other.first), Math.max(last, other.last));
    }
}
