package io.trims.bench.cluster;

import java.util.List;

/**
 * What one system did with the arrival sequence.
 *
 * @param policies      the placement and eviction policies it ran, defaults resolved to their names
 * @param outcomes      one per arrival, in arrival order
 * @param copies        agents holding the hottest model in memory, sampled about once a second; empty for the baseline
 * @param agents        the agents' counters over the measured window (nothing for the baseline)
 * @param setupSeconds  starting the processes, and for the ideal the preloading
 * @param measureSeconds from the first arrival to the last answer (or the end of the drain)
 */
public record SystemResult(SystemSpec spec, String policies, List<Outcome> outcomes, List<CopiesProbe.Sample> copies,
                           AgentScrape agents, double setupSeconds, double measureSeconds) {

    public SystemResult {
        outcomes = List.copyOf(outcomes);
        copies = List.copyOf(copies);
    }

    public long ok() {
        return outcomes.stream().filter(Outcome::ok).count();
    }

    public long unanswered() {
        return outcomes.stream().filter(o -> !o.answered()).count();
    }

    public long failed() {
        return outcomes.stream().filter(o -> o.answered() && !o.ok()).count();
    }
}
