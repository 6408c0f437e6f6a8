package io.trims.policy.clock;

/**
 * The one clock of tiers, use histories and policy inputs: nanoseconds from an arbitrary origin, never going back
 * (Caffeine's {@code Ticker}). The agent runs on {@link #system()}; tests and the simulator pass their own, e.g. an
 * {@code AtomicLong}'s {@code get}, and move it by hand.
 */
@FunctionalInterface
public interface Ticker {

    long read();

    /** {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
