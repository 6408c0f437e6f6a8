package io.trims.placement;

import io.trims.directory.DirectorySnapshot;
import io.trims.directory.HostRecord;
import io.trims.directory.LiveDirectory;
import io.trims.directory.ModelId;
import io.trims.directory.Residency;
import io.trims.directory.ResidencyState;
import io.trims.directory.TierLevel;
import io.trims.directory.TierRoom;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The cluster as the live page shows it, as JSON, read from memory only (the front door's directory copy, its
 * request log and rates), so it is cheap enough to build on an event loop: hosts with each tier's bytes, the
 * copies of every model and their state, the copies per model, the recent requests and the per-second rates.
 */
final class ClusterState {

    private static final Comparator<Residency> BY_PLACE = Comparator.comparing(Residency::host)
            .thenComparing(Residency::model).thenComparing(Residency::version)
            .thenComparing(r -> r.tier().rank());

    private final LiveDirectory live;
    private final RequestLog requests;
    private final RequestRates rates;

    ClusterState(LiveDirectory live, RequestLog requests, RequestRates rates) {
        this.live = live;
        this.requests = requests;
        this.rates = rates;
    }

    /** Everything: {@link #directory()} plus {@code at}, {@code requests} (oldest first) and {@code rates}. */
    JsonObject snapshot() {
        long now = System.currentTimeMillis();
        JsonArray recent = new JsonArray();
        requests.recent().forEach(entry -> recent.add(entry.toJson()));
        return directory().put("at", now).put("requests", recent).put("rates", rates(now));
    }

    /** Per model version requested in the last minute, per whole second: see {@link RequestRates#toJson}. */
    JsonArray rates(long nowMillis) {
        return rates.toJson(nowMillis);
    }

    /** {@code hosts} (by name), {@code residencies} (by host, model, tier) and {@code models} (by name, version). */
    JsonObject directory() {
        DirectorySnapshot snapshot = live.snapshot();
        JsonArray hosts = new JsonArray();
        snapshot.hosts().values().stream().sorted(Comparator.comparing(HostRecord::host))
                .forEach(host -> hosts.add(host(host)));
        List<Residency> copies = snapshot.residencies().stream().sorted(BY_PLACE).toList();
        JsonArray residencies = new JsonArray();
        copies.forEach(copy -> residencies.add(residency(copy)));
        return new JsonObject().put("hosts", hosts).put("residencies", residencies).put("models", models(copies));
    }

    private static JsonObject host(HostRecord host) {
        JsonObject tiers = new JsonObject();
        for (TierLevel tier : TierLevel.values()) {
            TierRoom room = host.room(tier);
            tiers.put(tier.label(), new JsonObject().put("present", room.present())
                    .put("capacityBytes", room.capacityBytes()).put("usedBytes", room.usedBytes()));
        }
        return new JsonObject().put("host", host.host()).put("endpoint", host.endpoint()).put("gpu", host.hasGpu())
                .put("inFlight", host.inFlight()).put("updatedAt", host.updatedAtMillis()).put("tiers", tiers);
    }

    private static JsonObject residency(Residency copy) {
        return new JsonObject().put("host", copy.host()).put("model", copy.model()).put("version", copy.version())
                .put("tier", copy.tier().label()).put("state", copy.state().label()).put("bytes", copy.bytes())
                .put("loadedAt", copy.loadedAtMillis());
    }

    /**
     * Per model version: {@code ready} copies per tier, copies {@code loading} and {@code evicting} in any tier,
     * and the {@code hosts} holding it in some state.
     */
    private static JsonArray models(List<Residency> copies) {
        Map<String, List<Residency>> byModel = copies.stream().collect(Collectors.groupingBy(
                copy -> copy.modelId().key(), TreeMap::new, Collectors.toList()));
        JsonArray models = new JsonArray();
        byModel.values().forEach(ofModel -> {
            ModelId id = ofModel.get(0).modelId();
            JsonObject ready = new JsonObject();
            for (TierLevel tier : TierLevel.values()) {
                ready.put(tier.label(), ofModel.stream()
                        .filter(c -> c.tier() == tier && c.state() == ResidencyState.READY).count());
            }
            models.add(new JsonObject().put("model", id.name()).put("version", id.version()).put("ready", ready)
                    .put("loading", ofModel.stream().filter(c -> c.state() == ResidencyState.LOADING).count())
                    .put("evicting", ofModel.stream().filter(c -> c.state() == ResidencyState.EVICTING).count())
                    .put("hosts", new JsonArray(ofModel.stream().map(Residency::host).distinct().toList())));
        });
        return models;
    }
}
