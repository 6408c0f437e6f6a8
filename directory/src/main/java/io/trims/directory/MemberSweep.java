package io.trims.directory;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Removes what the membership events alone leave behind: a host record whose Hazelcast member is not in the cluster
 * now, whatever its age (a frozen agent's record, re-put by a split-brain merge under the member id it had before
 * it was removed), and, once seen twice in a row, residencies and statistics of a host that has no record.
 *
 * <p>Only the oldest member sweeps, so a cluster makes one pass a period however many members it has; another
 * member takes over when it leaves. A host record is removed only if unchanged since it was read, so an agent that
 * rewrites its own record meanwhile (under its new member id) keeps it.
 */
final class MemberSweep implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MemberSweep.class);
    /** How often host records are checked against the members: how long a dead member's record can outlive it. */
    static final long PERIOD_MILLIS = 1_000;
    /** Every how many periods orphaned residencies and statistics are looked for (they read a bigger map). */
    private static final int ORPHAN_EVERY = 5;

    private final HazelcastInstance hazelcast;
    private final SignedMap<HostRecord> hosts;
    private final SignedMap<Residency> residencies;
    private final SignedMap<HostStats> stats;
    private final ScheduledExecutorService timer;
    /** Hosts without a record seen by the last orphan pass; touched by the timer thread only. */
    private Set<String> orphansLastTime = Set.of();
    private int passes;

    MemberSweep(HazelcastInstance hazelcast, SignedMap<HostRecord> hosts, SignedMap<Residency> residencies,
                SignedMap<HostStats> stats) {
        this.hazelcast = hazelcast;
        this.hosts = hosts;
        this.residencies = residencies;
        this.stats = stats;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "trims-directory-sweep");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::pass, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void pass() {
        try {
            if (!hazelcast.getLifecycleService().isRunning() || !oldest()) {
                return;
            }
            Set<String> live = new HashSet<>();
            for (Member m : hazelcast.getCluster().getMembers()) {
                live.add(m.getUuid().toString());
            }
            sweepHosts(live);
            if (++passes % ORPHAN_EVERY == 0) {
                sweepOrphans();
            }
        } catch (RuntimeException e) {
            // A member shutting down or a partition moving: the next pass tries again.
            LOG.debug("directory sweep skipped: {}", e.toString());
        }
    }

    private boolean oldest() {
        Member first = hazelcast.getCluster().getMembers().iterator().next();
        return first.localMember();
    }

    /** Removes host records naming a member that is not in the cluster now. */
    private void sweepHosts(Set<String> liveMembers) {
        for (HostRecord record : hosts.values()) {
            // Read again just before: the host may have republished under its new member since the scan.
            HostRecord now = hosts.get(record.host());
            if (now != null && !liveMembers.contains(now.memberId())) {
                hosts.remove(record.host());
                LOG.info("directory: host {} named member {}, which is gone: removed its records", now.host(),
                        now.memberId());
                removeResidencies(now.host());
                stats.remove(now.host());
            }
        }
    }

    /** Removes residencies and statistics of hosts that had no record in this pass and the one before. */
    private void sweepOrphans() {
        Set<String> known = hosts.all().keySet();
        Set<String> orphans = new HashSet<>();
        for (Residency r : residencies.values()) {
            if (!known.contains(r.host())) {
                orphans.add(r.host());
            }
        }
        for (String host : stats.all().keySet()) {
            if (!known.contains(host)) {
                orphans.add(host);
            }
        }
        for (String host : orphans) {
            if (orphansLastTime.contains(host) && hosts.get(host) == null) {
                LOG.info("directory: host {} has had no record for {} ms: removed its residencies", host,
                        ORPHAN_EVERY * PERIOD_MILLIS);
                removeResidencies(host);
                stats.remove(host);
            }
        }
        orphansLastTime = orphans;
    }

    private void removeResidencies(String host) {
        residencies.all().forEach((key, r) -> {
            if (r.host().equals(host)) {
                residencies.remove(key);
            }
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
