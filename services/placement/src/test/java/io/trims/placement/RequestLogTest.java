package io.trims.placement;

import io.trims.directory.ModelId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestLogTest {

    private static final ModelId MODEL = new ModelId("resnet", "2");

    private static List<Long> seqs(List<RequestLog.Entry> entries) {
        return entries.stream().map(RequestLog.Entry::seq).toList();
    }

    private static RequestLog.Entry add(RequestLog log, double latencyMs) {
        return log.add(MODEL, "agent-1", "cpu", "cpu", 200, latencyMs, 1.5);
    }

    @Test
    void keepsTheNewestEntriesInOrderAndForgetsTheOldestWhenFull() {
        RequestLog log = new RequestLog(3);
        assertEquals(List.of(), log.recent());
        assertEquals(0, log.lastSeq());
        for (int i = 1; i <= 2; i++) {
            add(log, i);
        }
        assertEquals(List.of(1L, 2L), seqs(log.recent()));
        for (int i = 3; i <= 7; i++) {
            add(log, i);
        }
        assertEquals(List.of(5L, 6L, 7L), seqs(log.recent()), "only the last three are held");
        assertEquals(List.of(5.0, 6.0, 7.0), log.recent().stream().map(RequestLog.Entry::latencyMs).toList());
        assertEquals(7, log.lastSeq());
    }

    @Test
    void sinceGivesWhatCameAfterASequenceNumberOfWhatIsStillHeld() {
        RequestLog log = new RequestLog(4);
        for (int i = 1; i <= 10; i++) {
            add(log, i);
        }
        assertEquals(List.of(9L, 10L), seqs(log.since(8)));
        assertEquals(List.of(), seqs(log.since(10)));
        assertEquals(List.of(7L, 8L, 9L, 10L), seqs(log.since(2)), "what was overwritten is gone");
        assertEquals(List.of(), seqs(log.since(99)));
    }

    @Test
    void anEntryCarriesWhatItWasGivenAndGoesToTheListeners() {
        RequestLog log = new RequestLog(2);
        List<RequestLog.Entry> heard = new ArrayList<>();
        log.onEntry(heard::add);
        long before = System.currentTimeMillis();
        RequestLog.Entry entry = log.add(MODEL, "agent-2", "gpu", "remote", 503, 12.5, 40.25);
        assertEquals(List.of(entry), heard);
        assertEquals("resnet", entry.model());
        assertEquals("2", entry.version());
        assertTrue(entry.atMillis() >= before && entry.atMillis() <= System.currentTimeMillis());
        assertEquals("{\"seq\":1,\"at\":" + entry.atMillis() + ",\"model\":\"resnet\",\"version\":\"2\","
                + "\"host\":\"agent-2\",\"tier\":\"gpu\",\"placement\":\"remote\",\"status\":503,"
                + "\"latencyMs\":12.5,\"predictedMs\":40.25}", entry.toJson().encode());
    }

    @Test
    void writersOnManyThreadsGetDistinctNumbersAndTheRingStaysBounded() throws Exception {
        RequestLog log = new RequestLog(50);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            pool.submit(() -> {
                for (int i = 0; i < 1000; i++) {
                    add(log, i);
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(4000, log.lastSeq());
        assertEquals(LongStream.rangeClosed(3951, 4000).boxed().toList(), seqs(log.recent()));
    }

    @Test
    void aLogHoldsAtLeastOneEntry() {
        assertThrows(IllegalArgumentException.class, () -> new RequestLog(0));
    }
}
