package io.trims.placement;

import io.trims.directory.DirectorySnapshot;
import io.trims.directory.ModelId;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierLevel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Where a registered model version stands in the cluster, in Triton's repository states, read from a snapshot of
 * the live directory copy (which holds live hosts' copies only):
 * <ul>
 *     <li>READY: a copy is READY in a tier it runs from (GPU or CPU) on some live host;</li>
 *     <li>LOADING: none is, but a copy is on its way (loading into memory, or being fetched to a disk);</li>
 *     <li>UNLOADING: none is, but a copy in memory is being let go (marked EVICTING);</li>
 *     <li>UNAVAILABLE: in no live host's memory; the reason says where it is (on a disk, or in object storage only).</li>
 * </ul>
 * UNAVAILABLE is not an error: the next request for it loads it, as a cold start.
 */
record ModelState(String state, String reason) {

    static final String READY = "READY";
    static final String LOADING = "LOADING";
    static final String UNLOADING = "UNLOADING";
    static final String UNAVAILABLE = "UNAVAILABLE";

    boolean ready() {
        return READY.equals(state);
    }

    static ModelState of(ModelId model, DirectorySnapshot snapshot) {
        if (snapshot.hosts().isEmpty()) {
            return new ModelState(UNAVAILABLE, "no live host");
        }
        List<Residency> copies = snapshot.holders(model);
        if (copies.stream().anyMatch(inMemory(ResidencyState.READY))) {
            return new ModelState(READY, "");
        }
        List<Residency> loading = copies.stream().filter(c -> c.state() == ResidencyState.LOADING).toList();
        if (!loading.isEmpty()) {
            return new ModelState(LOADING, loading.stream()
                    .map(c -> (c.tier() == TierLevel.DISK ? "fetching to disk on " : "loading into "
                            + c.tier().label() + " on ") + c.host())
                    .collect(Collectors.joining(", ")));
        }
        List<Residency> leaving = copies.stream().filter(inMemory(ResidencyState.EVICTING)).toList();
        if (!leaving.isEmpty()) {
            return new ModelState(UNLOADING, "leaving " + where(leaving));
        }
        List<Residency> onDisk = copies.stream()
                .filter(c -> c.tier() == TierLevel.DISK && c.state() == ResidencyState.READY).toList();
        if (!onDisk.isEmpty()) {
            return new ModelState(UNAVAILABLE, "on disk on " + hosts(onDisk) + "; the next request loads it");
        }
        return new ModelState(UNAVAILABLE, "in object storage only; the next request loads it");
    }

    /** Every copy of the version on a live host, fastest tier first: {@code [{host, tier, state}]}. */
    static JsonArray copies(ModelId model, DirectorySnapshot snapshot) {
        JsonArray copies = new JsonArray();
        snapshot.holders(model).forEach(c -> copies.add(new JsonObject()
                .put("host", c.host()).put("tier", c.tier().label()).put("state", c.state().label())));
        return copies;
    }

    private static Predicate<Residency> inMemory(ResidencyState state) {
        return c -> c.tier() != TierLevel.DISK && c.state() == state;
    }

    private static String where(List<Residency> copies) {
        return copies.stream().map(c -> c.tier().label() + " on " + c.host()).collect(Collectors.joining(", "));
    }

    private static String hosts(List<Residency> copies) {
        return copies.stream().map(Residency::host).distinct().collect(Collectors.joining(", "));
    }
}
