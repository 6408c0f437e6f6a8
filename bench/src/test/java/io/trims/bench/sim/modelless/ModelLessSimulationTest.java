package io.trims.bench.sim.modelless;

import io.trims.agent.AgentConfig;
import io.trims.bench.sim.SimOptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelLessSimulationTest {

    private static ModelLessExperiment small(long seed) {
        SimOptions o = SimOptions.parse(new String[]{"--models", "30", "--invocations", "20000", "--hosts", "6",
                "--rate", "2", "--capacity", "0.5", "--seed", Long.toString(seed)}, Map.of(), 4);
        return ModelLessSimulator.prepare(o, AgentConfig.fromEnv(Map.of("TRIMS_HOST", "sim")));
    }

    @Test
    void theStrategiesServeWhatTheyPromise() {
        ModelLessExperiment e = small(7);
        List<ModelLessResult> results = e.runAll();
        ModelLessResult choice = results.get(0);
        ModelLessResult accurate = results.get(1);
        ModelLessResult smallest = results.get(2);
        System.out.println(ModelLessSimulator.markdown(SimOptions.parse(new String[0], Map.of(), 4), e, results));

        assertEquals(List.of("variant-choice", "most-accurate", "smallest"),
                results.stream().map(ModelLessResult::strategy).toList());
        results.forEach(r -> assertEquals(20_000, r.requests()));
        assertTrue(accurate.meanAccuracy() > smallest.meanAccuracy(), "the baselines are the two ends");
        assertTrue(choice.meanAccuracy() >= smallest.meanAccuracy() && choice.meanAccuracy() <= accurate.meanAccuracy(),
                "variant choice serves between the two ends: " + results);
        assertEquals(1.0, choice.floorsMet(), "variant choice never serves below a request's accuracy floor");
        assertEquals(1.0, accurate.floorsMet());
        assertTrue(smallest.floorsMet() < 0.5, "the smallest meets only the floors at its own accuracy: " + results);
        assertTrue(choice.sloAttainment() > accurate.sloAttainment(),
                "choosing by target meets more latency targets than always the most accurate: " + results);
    }

    @Test
    void aSeedGivesTheSameRun() {
        ModelLessResult a = small(3).run(VariantStrategy.VARIANT_CHOICE);
        ModelLessResult b = small(3).run(VariantStrategy.VARIANT_CHOICE);
        assertEquals(a.sloAttainment(), b.sloAttainment());
        assertEquals(a.meanAccuracy(), b.meanAccuracy());
        assertEquals(a.latencyP99Ms(), b.latencyP99Ms());
    }
}
