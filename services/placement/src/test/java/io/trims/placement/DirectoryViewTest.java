package io.trims.placement;

import com.hazelcast.core.HazelcastInstance;
import io.trims.directory.DirectoryConfig;
import io.trims.directory.DirectoryMember;
import io.trims.directory.DirectorySnapshot;
import io.trims.directory.TierDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kept snapshot under concurrent re-takes, over a real Hazelcast directory. Each take reads the directory and
 * then waits at a gate the test opens, so the order in which concurrent takes finish is the test's to choose.
 */
class DirectoryViewTest {

    private static Vertx vertx;
    private static HazelcastInstance member;
    private static TierDirectory directory;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        member = DirectoryMember.start(DirectoryConfig.local("test-" + UUID.randomUUID()));
        directory = new TierDirectory(member);
    }

    @AfterAll
    static void stop() throws Exception {
        directory.close();
        member.shutdown();
        await(vertx.close());
    }

    @Test
    void aSlowOlderTakeNeverReplacesANewerOne() throws Exception {
        GatedTakes takes = new GatedTakes(2);
        try (DirectoryView view = new DirectoryView(vertx, directory, takes, 60_000)) {
            Future<DirectorySnapshot> older = view.fresh();
            takes.awaitStarted(0);
            Thread.sleep(5);
            Future<DirectorySnapshot> newer = view.fresh();
            takes.awaitStarted(1);
            assertTrue(takes.taken(1).takenAtMillis() > takes.taken(0).takenAtMillis());

            takes.release(1);
            await(newer);
            takes.release(0);
            await(older);

            assertSame(takes.taken(1), await(view.snapshot()), "the older take finished last but is not kept");
            assertEquals(2, takes.calls(), "the kept copy was fresh enough: no re-take");
        }
    }

    @Test
    void onlyTheRequestThatStartedARetakeEndsIt() throws Exception {
        GatedTakes takes = new GatedTakes(3);
        // Every kept copy counts as too old, so each request would re-take unless one is already under way.
        try (DirectoryView view = new DirectoryView(vertx, directory, takes, 0)) {
            Future<DirectorySnapshot> first = view.snapshot();
            takes.awaitStarted(0);
            Future<DirectorySnapshot> alsoFirst = view.snapshot();
            takes.awaitStarted(1);
            takes.release(0);
            await(first);

            Future<DirectorySnapshot> retake = view.snapshot();
            takes.awaitStarted(2);
            takes.release(1);
            await(alsoFirst);

            await(view.snapshot());
            assertEquals(3, takes.calls(), "a second re-take started while one was under way");
            takes.release(2);
            await(retake);
        }
    }

    /** Takes real snapshots; the first {@code gated} takes each wait for the test to release them. */
    private static final class GatedTakes implements Supplier<DirectorySnapshot> {
        private final int gated;
        private final AtomicInteger calls = new AtomicInteger();
        private final Map<Integer, DirectorySnapshot> taken = new ConcurrentHashMap<>();
        private final CountDownLatch[] started;
        private final CountDownLatch[] released;

        GatedTakes(int gated) {
            this.gated = gated;
            this.started = new CountDownLatch[gated];
            this.released = new CountDownLatch[gated];
            for (int i = 0; i < gated; i++) {
                started[i] = new CountDownLatch(1);
                released[i] = new CountDownLatch(1);
            }
        }

        @Override
        public DirectorySnapshot get() {
            int call = calls.getAndIncrement();
            DirectorySnapshot snapshot = directory.snapshot();
            taken.put(call, snapshot);
            if (call < gated) {
                started[call].countDown();
                try {
                    if (!released[call].await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("take " + call + " was never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return snapshot;
        }

        void awaitStarted(int call) throws InterruptedException {
            assertTrue(started[call].await(10, TimeUnit.SECONDS), "take " + call + " did not start");
        }

        void release(int call) {
            released[call].countDown();
        }

        DirectorySnapshot taken(int call) {
            return taken.get(call);
        }

        int calls() {
            return calls.get();
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
