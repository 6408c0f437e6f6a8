package io.trims.gpu.plan;

import io.trims.gpu.graph.ElementTypes;
import io.trims.gpu.graph.OnnxGraphReader;
import io.trims.gpu.graph.Shapes;
import io.trims.gpu.testing.RealModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArenaLayoutTest {

    @Test
    void aChainReusesMemoryOfDeadTensors() {
        Map<String, Lifetime> lifetimes = Map.of("a", new Lifetime(-1, 0), "b", new Lifetime(0, 1),
                "c", new Lifetime(1, 2), "d", new Lifetime(2, 3));
        Map<String, Long> bytes = Map.of("a", 1024L, "b", 1024L, "c", 1024L, "d", 1024L);
        ArenaPlanner.Assignment arena = ArenaPlanner.assign(lifetimes, bytes);
        assertEquals(2048, arena.totalBytes(), "two live tensors at a time need two slots");
        assertNoOverlap(lifetimes, bytes, arena.offsets());
    }

    @Test
    void smallTensorsFillGapsAndOffsetsAreAligned() {
        Map<String, Lifetime> lifetimes = Map.of("big1", new Lifetime(0, 1), "big2", new Lifetime(2, 3),
                "keep", new Lifetime(0, 3), "small", new Lifetime(2, 2));
        Map<String, Long> bytes = Map.of("big1", 4000L, "big2", 1000L, "keep", 3000L, "small", 1000L);
        ArenaPlanner.Assignment arena = ArenaPlanner.assign(lifetimes, bytes);
        assertNoOverlap(lifetimes, bytes, arena.offsets());
        assertEquals(4096 + 3072, arena.totalBytes(), "big2 and small fit where big1 was");
        arena.offsets().values().forEach(o -> assertEquals(0, o % ArenaPlanner.ALIGNMENT));
    }

    @Test
    void randomLifetimesNeverShareMemoryWhileAlive() {
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            Map<String, Lifetime> lifetimes = new HashMap<>();
            Map<String, Long> bytes = new HashMap<>();
            for (int i = 0; i < 40; i++) {
                int first = random.nextInt(30) - 1;
                lifetimes.put("t" + i, new Lifetime(first, first + random.nextInt(8)));
                bytes.put("t" + i, 1L + random.nextInt(10_000));
            }
            ArenaPlanner.Assignment arena = ArenaPlanner.assign(lifetimes, bytes);
            assertNoOverlap(lifetimes, bytes, arena.offsets());
        }
    }

    /** The real encoders' plans: arena offsets valid and the arena far below the sum of all activations. */
    @ParameterizedTest
    @ValueSource(strings = {RealModels.MINILM, RealModels.BGE_SMALL})
    void realEncoderArenas(String resource) throws Exception {
        Plan plan = Planner.plan(OnnxGraphReader.read(RealModels.bytes(resource)));
        for (int[] bs : new int[][]{{1, 8}, {2, 8}, {1, 128}, {8, 128}, {32, 128}}) {
            long[] shape = {bs[0], bs[1]};
            Layout layout = Binder.bind(plan, Signature.of(Map.of("input_ids", shape, "attention_mask", shape,
                    "token_type_ids", shape)));
            Map<String, Long> bytes = new HashMap<>();
            plan.lifetimes().keySet().forEach(r -> bytes.put(r,
                    Shapes.count(layout.shape(r)) * ElementTypes.bytes(plan.types().get(r))));
            assertNoOverlap(plan.lifetimes(), bytes, layout.offsets());
            long sum = bytes.values().stream().mapToLong(ArenaPlanner::align).sum();
            assertTrue(layout.arenaBytes() * 4 < sum, "arena " + layout.arenaBytes() + " vs sum " + sum);
            System.out.printf("%s batch %d seq %d: %d steps, weights %d B, arena %d B (sum of activations %d B)%n",
                    resource, bs[0], bs[1], plan.steps().size(), plan.weightBytes(), layout.arenaBytes(), sum);
        }
    }

    private static void assertNoOverlap(Map<String, Lifetime> lifetimes, Map<String, Long> bytes, Map<String, Long> offsets) {
        List<String> names = new ArrayList<>(lifetimes.keySet());
        assertEquals(names.size(), offsets.size());
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                String a = names.get(i);
                String b = names.get(j);
                if (!lifetimes.get(a).overlaps(lifetimes.get(b))) {
                    continue;
                }
                long a0 = offsets.get(a);
                long b0 = offsets.get(b);
                boolean disjoint = a0 + bytes.get(a) <= b0 || b0 + bytes.get(b) <= a0;
                assertTrue(disjoint, a + " and " + b + " are alive together but overlap");
                assertFalse(bytes.get(a) > 0 && a0 == b0, a + " and " + b + " share an offset");
            }
        }
    }
}
