package io.trims.directory;

/**
 * Told of directory changes as they happen, on a Hazelcast event thread: implementations must not block.
 * Every method has an empty default so a listener overrides only what it cares about.
 */
public interface DirectoryListener {
    default void hostChanged(HostRecord host) {
    }

    default void hostRemoved(HostRecord host) {
    }

    default void statsChanged(HostStats stats) {
    }

    default void statsRemoved(HostStats stats) {
    }

    default void residencyChanged(Residency residency) {
    }

    default void residencyRemoved(Residency residency) {
    }

    /** The host map was cleared as a whole (one event, no removal per host). */
    default void hostsCleared() {
    }

    /** The residency map was cleared as a whole. */
    default void residenciesCleared() {
    }

    /** The statistics map was cleared as a whole. */
    default void statsCleared() {
    }

    default void modelChanged(ModelRecord model) {
    }

    default void modelRemoved(ModelRecord model) {
    }
}
