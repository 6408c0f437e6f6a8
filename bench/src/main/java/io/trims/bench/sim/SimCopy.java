package io.trims.bench.sim;

/** What a simulated tier holds for a model: a stand-in for a file on disk or a loaded session, with its size. */
public record SimCopy(int model, long bytes) {
}
