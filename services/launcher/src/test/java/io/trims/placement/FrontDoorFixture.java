package io.trims.placement;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.trims.directory.CatalogueView;
import io.trims.directory.HostRecord;
import io.trims.directory.LiveDirectory;
import io.trims.directory.LocalMembers;
import io.trims.directory.ModelRecord;
import io.trims.directory.TensorSpec;
import io.trims.directory.TierDirectory;
import io.trims.directory.TierRoom;
import io.trims.policy.placement.FastestTierPolicy;
import io.trims.protocol.auth.ApiKeys;
import io.trims.protocol.auth.Auth;
import io.trims.protocol.auth.AuthConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What the front-door tests stand on: a Vert.x, a Hazelcast member of its own with the directory, which registers
 * {@link #MODEL}, the catalogue and live copies of it, and a front door over them. The agents are each test's own
 * stand-ins, published with {@link #publishHost}.
 */
record FrontDoorFixture(Vertx vertx, HazelcastInstance member, TierDirectory directory, CatalogueView catalogue,
                        LiveDirectory live, FrontDoor frontDoor) implements AutoCloseable {

    /** Y = 2X over FP32 [N, 2]: the model every stand-in agent serves. */
    static final ModelRecord MODEL = new ModelRecord("double", "1", "models/double/1.onnx", "00", 1000,
            List.of(new TensorSpec("x", "FP32", new long[]{-1, 2})),
            List.of(new TensorSpec("y", "FP32", new long[]{-1, 2})), 1);
    /** No keys, reads open: the calls of these tests need none. */
    static final Auth OPEN = new Auth(new AuthConfig(AuthConfig.Open.READS, ApiKeys.none(), ApiKeys.none(), 0, 0,
            null));

    static FrontDoorFixture start(MeterRegistry registry, FrontDoorConfig config) {
        Vertx vertx = Vertx.vertx();
        HazelcastInstance member = LocalMembers.startAlone("test-" + UUID.randomUUID());
        TierDirectory directory = new TierDirectory(member);
        directory.putModel(MODEL);
        CatalogueView catalogue = CatalogueView.open(directory);
        LiveDirectory live = LiveDirectory.open(directory);
        FrontDoor frontDoor = new FrontDoor(vertx, directory, catalogue, live, new FastestTierPolicy(), registry,
                config);
        return new FrontDoorFixture(vertx, member, directory, catalogue, live, frontDoor);
    }

    /** A stand-in agent's host record: listening on {@code port} of this machine, roomy, {@code inFlight} requests. */
    void publishHost(String name, int port, int inFlight) {
        long gib = 1L << 30;
        directory.publishHost(new HostRecord(name, directory.localMemberId(), "http://127.0.0.1:" + port, false,
                new TierRoom(0, 0), new TierRoom(4 * gib, 0), new TierRoom(10 * gib, 0), inFlight,
                System.currentTimeMillis()));
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        frontDoor.close();
        live.close();
        catalogue.close();
        directory.close();
        member.shutdown();
        await(vertx.close());
    }
}
