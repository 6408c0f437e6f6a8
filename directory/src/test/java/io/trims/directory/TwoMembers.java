package io.trims.directory;

import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Two real Hazelcast members of a fresh cluster in one JVM, each with its own directory, per test. */
abstract class TwoMembers {

    HazelcastInstance memberA;
    HazelcastInstance memberB;
    TierDirectory directoryA;
    TierDirectory directoryB;

    @BeforeEach
    void startMembers() {
        try (LocalMembers members = LocalMembers.reserve("directory-test-" + UUID.randomUUID(), 2, Map.of())) {
            memberA = members.start();
            memberB = members.start();
        }
        directoryA = new TierDirectory(memberA);
        directoryB = new TierDirectory(memberB);
    }

    @AfterEach
    void stopMembers() {
        directoryA.close();
        directoryB.close();
        memberB.getLifecycleService().terminate();
        memberA.getLifecycleService().terminate();
    }

    static ModelRecord model(String name, String version, long createdAt) {
        return new ModelRecord(name, version, "models/" + name + "/" + version + "/model.onnx", "00".repeat(32), 10,
                List.of(), List.of(), createdAt);
    }

    /** Events from the other member arrive asynchronously: polls until the condition holds, at most {@code timeout}. */
    static void awaitTrue(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        fail("condition not met within " + timeout);
    }
}
