package io.trims.agent.admission;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The agent's one line of work in front of its inference workers. A request takes a {@link Ticket} when it arrives
 * ({@link #admit}: refused when the agent holds its limit of requests or bytes, in total or for the model) and keeps
 * it until answered; each piece of its work ({@link #run}) waits here until a worker is free, earliest deadline
 * first. A waiting piece whose deadline passes, or whose client has gone, is dropped without running; one already
 * running is left to finish, and nobody waits for it.
 *
 * <p>Bookkeeping is under this object's lock, held only for the few field updates; work is started and promises
 * completed outside it, each on the context of the request it belongs to.
 */
public final class RunQueue {

    /** How a request without a deadline is ordered: as if due this long after it came, so deadlines cannot starve it. */
    static final long NO_DEADLINE_ORDER_NANOS = 60_000_000_000L;
    /** Seconds a refused client is told to wait ({@code Retry-After}). */
    public static final int RETRY_AFTER_SECONDS = 1;

    private static final Comparator<Waiting<?>> EARLIEST_DEADLINE =
            Comparator.<Waiting<?>>comparingLong(w -> w.ticket.orderNanos).thenComparingLong(w -> w.ticket.sequence);

    private final WorkerExecutor workers;
    private final int concurrency;
    private final AdmissionLimits limits;
    private final Consumer<AdmissionException.Kind> rejected;
    private final PriorityQueue<Waiting<?>> waiting = new PriorityQueue<>(EARLIEST_DEADLINE);
    private final Map<String, Integer> heldPerModel = new HashMap<>();
    private int held;
    private long heldBytes;
    private int running;
    private long sequence;

    /**
     * @param concurrency how many pieces of work run at once: the workers' pool size
     * @param rejected    told of every request refused or dropped, by why
     */
    public RunQueue(WorkerExecutor workers, int concurrency, AdmissionLimits limits,
                    Consumer<AdmissionException.Kind> rejected) {
        this.workers = workers;
        this.concurrency = concurrency;
        this.limits = limits;
        this.rejected = rejected;
    }

    public AdmissionLimits limits() {
        return limits;
    }

    /**
     * Refuses when a request of {@code bytes} for {@code model} would not be admitted now: a look before its body
     * is read, so a full agent does not read it at all.
     */
    public synchronized void check(String model, long bytes) {
        AdmissionException refusal = refusal(model, bytes);
        if (refusal != null) {
            throw reject(refusal);
        }
    }

    /**
     * Takes a place for one request of {@code bytes} (its body) for {@code model}, or throws a
     * {@link AdmissionException.Kind#QUEUE_FULL}.
     *
     * @param deadlineNanos when it must have started, on {@link System#nanoTime}'s scale; {@link Long#MAX_VALUE}: never
     */
    public Ticket admit(String model, long bytes, long deadlineNanos) {
        long now = System.nanoTime();
        synchronized (this) {
            AdmissionException refusal = refusal(model, bytes);
            if (refusal != null) {
                throw reject(refusal);
            }
            held++;
            heldBytes += bytes;
            heldPerModel.merge(model, 1, Integer::sum);
            long order = deadlineNanos == Long.MAX_VALUE ? now + NO_DEADLINE_ORDER_NANOS : deadlineNanos;
            return new Ticket(model, bytes, deadlineNanos, order, sequence++);
        }
    }

    private AdmissionException refusal(String model, long bytes) {
        if (held >= limits.maxRequests()) {
            return full("holds " + held + " requests, its limit (TRIMS_QUEUE_MAX_REQUESTS)");
        }
        int forModel = heldPerModel.getOrDefault(model, 0);
        if (forModel >= limits.maxRequestsPerModel()) {
            return full("holds " + forModel + " requests for model '" + model
                    + "', its limit per model (TRIMS_QUEUE_MAX_REQUESTS_PER_MODEL)");
        }
        // A body bigger than the whole budget is still taken when nothing else is held, so it is never refused forever.
        if (heldBytes > 0 && heldBytes + bytes > limits.maxHeldBytes()) {
            return full("holds " + heldBytes + " bytes of requests; " + bytes + " more would pass its limit of "
                    + limits.maxHeldBytes() + " (TRIMS_QUEUE_MAX_BYTES)");
        }
        return null;
    }

    private static AdmissionException full(String why) {
        return new AdmissionException(AdmissionException.Kind.QUEUE_FULL, "this agent " + why
                + "; retry in " + RETRY_AFTER_SECONDS + " s or on another host");
    }

    private AdmissionException reject(AdmissionException e) {
        rejected.accept(e.kind());
        return e;
    }

    /**
     * Runs {@code work} on a worker once the ticket's turn comes. Fails without running it when the ticket's
     * deadline has passed or its client has gone, now or while it waits. Call on a Vert.x context: the future
     * completes on it.
     */
    public <T> Future<T> run(Ticket ticket, Callable<T> work) {
        Context context = Vertx.currentContext();
        Waiting<T> entry = new Waiting<>(ticket, work, Promise.promise(), context);
        AdmissionException refusal;
        synchronized (this) {
            refusal = ticket.refusal(System.nanoTime());
            if (refusal == null) {
                ticket.queued = entry;
                waiting.add(entry);
            }
        }
        if (refusal != null) {
            entry.settle(Future.failedFuture(reject(refusal)));
        } else {
            drain();
        }
        return entry.promise.future();
    }

    /** How many pieces of work wait for a worker now. */
    public synchronized int waiting() {
        return waiting.size();
    }

    /** How many requests hold a place now. */
    public synchronized int held() {
        return held;
    }

    /** Starts what may start: earliest deadline first, dropping what expired while it waited. */
    private void drain() {
        List<Waiting<?>> start = new ArrayList<>();
        List<Runnable> dropped = new ArrayList<>();
        synchronized (this) {
            long now = System.nanoTime();
            while (running < concurrency && !waiting.isEmpty()) {
                Waiting<?> next = waiting.poll();
                next.ticket.queued = null;
                AdmissionException why = next.ticket.refusal(now);
                if (why != null) {
                    dropped.add(() -> next.settle(Future.failedFuture(reject(why))));
                } else {
                    running++;
                    start.add(next);
                }
            }
        }
        dropped.forEach(Runnable::run);
        start.forEach(this::start);
    }

    private <T> void start(Waiting<T> entry) {
        workers.executeBlocking(entry.work, false).onComplete(done -> {
            synchronized (this) {
                running--;
            }
            entry.settle(done);
            drain();
        });
    }

    /** Takes the ticket's waiting work out of line, failing it with {@code why}; false when none waited. */
    private boolean withdraw(Ticket ticket, AdmissionException why) {
        Waiting<?> entry;
        synchronized (this) {
            entry = ticket.queued;
            if (entry == null) {
                return false;
            }
            waiting.remove(entry);
            ticket.queued = null;
        }
        entry.settle(Future.failedFuture(reject(why)));
        return true;
    }

    private synchronized void release(Ticket ticket) {
        held--;
        heldBytes -= ticket.bytes;
        heldPerModel.computeIfPresent(ticket.model, (m, n) -> n > 1 ? n - 1 : null);
    }

    /** One request's place, from arrival to answer. */
    public final class Ticket {

        private final String model;
        private final long bytes;
        private final long sequence;
        private long deadlineNanos;
        private long orderNanos;
        private Waiting<?> queued;
        private boolean gone;
        private boolean released;

        private Ticket(String model, long bytes, long deadlineNanos, long orderNanos, long sequence) {
            this.model = model;
            this.bytes = bytes;
            this.deadlineNanos = deadlineNanos;
            this.orderNanos = orderNanos;
            this.sequence = sequence;
        }

        /** When it must have started, on {@link System#nanoTime}'s scale; {@link Long#MAX_VALUE} when never. */
        public long deadlineNanos() {
            synchronized (RunQueue.this) {
                return deadlineNanos;
            }
        }

        /**
         * Moves the deadline earlier (as the request's body names one), for the work it queues from now on; a later
         * one changes nothing. True when it moved.
         */
        public boolean tighten(long deadline) {
            synchronized (RunQueue.this) {
                if (deadline - deadlineNanos >= 0 && deadlineNanos != Long.MAX_VALUE) {
                    return false;
                }
                // Keyed by the order, a waiting entry is taken out while it changes.
                boolean requeue = queued != null && waiting.remove(queued);
                deadlineNanos = deadline;
                orderNanos = Math.min(orderNanos, deadline);
                if (requeue) {
                    waiting.add(queued);
                }
                return true;
            }
        }

        /** The client has gone: work not yet started is dropped, now and later. True when some was waiting. */
        public boolean abandon() {
            synchronized (RunQueue.this) {
                gone = true;
            }
            return withdraw(this, clientGone());
        }

        /** The deadline has passed: work not yet started is dropped. True when some was waiting. */
        public boolean expire() {
            return withdraw(this, deadlinePassed());
        }

        /**
         * The deadline passed while the request's model was being loaded or run, so its answer will not be waited
         * for: what the client is told (and counted).
         */
        public AdmissionException lateAnswer() {
            return reject(new AdmissionException(AdmissionException.Kind.DEADLINE_PASSED, "the deadline of the "
                    + "request for model '" + model + "' passed while it was being loaded or run; its answer is dropped"));
        }

        /** Gives the place back; later calls do nothing. */
        public void release() {
            synchronized (RunQueue.this) {
                if (released) {
                    return;
                }
                released = true;
            }
            RunQueue.this.release(this);
        }

        /** Why work of this ticket may not start at {@code now}; null when it may. Under the queue's lock. */
        private AdmissionException refusal(long now) {
            if (gone) {
                return clientGone();
            }
            return now - deadlineNanos >= 0 && deadlineNanos != Long.MAX_VALUE ? deadlinePassed() : null;
        }

        private AdmissionException clientGone() {
            return new AdmissionException(AdmissionException.Kind.CLIENT_GONE,
                    "the client of a request for model '" + model + "' closed its connection before it ran");
        }

        private AdmissionException deadlinePassed() {
            return new AdmissionException(AdmissionException.Kind.DEADLINE_PASSED,
                    "the deadline of the request for model '" + model + "' passed before it could run; it was not run");
        }
    }

    /** A piece of work waiting for a worker, and where its outcome goes. */
    private record Waiting<T>(Ticket ticket, Callable<T> work, Promise<T> promise, Context context) {

        void settle(AsyncResult<T> outcome) {
            if (context == null) {
                promise.handle(outcome);
            } else {
                context.runOnContext(v -> promise.handle(outcome));
            }
        }
    }
}
