package io.trims.bench.sim.modelless;

/**
 * One strategy's figures over a model-less trace.
 *
 * @param sloAttainment share of requests answered within their latency target (a failed request misses it)
 * @param floorsMet     share of requests served by a variant at least as accurate as they asked
 * @param meanAccuracy  mean accuracy of the variants that served the requests
 * @param coldStarts    requests whose variant was not in memory on their host (loaded from disk or fetched)
 */
public record ModelLessResult(String strategy, long requests, double sloAttainment, double floorsMet,
                              double meanAccuracy,
                              double latencyP50Ms, double latencyP99Ms, long coldStarts, long failed,
                              double wallSeconds) {
}
