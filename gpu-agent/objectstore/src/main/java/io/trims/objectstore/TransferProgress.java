package io.trims.objectstore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Progress of one long transfer (a model fetched from or put to object storage, an upload arriving at the
 * registry), logged at INFO every {@link #EVERY_SECONDS} seconds while it lasts: bytes so far, the total when known,
 * the mean rate. A transfer shorter than that logs nothing. Counting is a few arithmetic steps per buffer and takes
 * no lock or timer, so it may run on an event loop; one thread at a time advances a transfer.
 */
public final class TransferProgress {

    public static final long EVERY_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(TransferProgress.class);
    private static final long EVERY_NANOS = TimeUnit.SECONDS.toNanos(EVERY_SECONDS);

    private final String what;
    private final long totalBytes;
    private final LongSupplier nanoClock;
    private final long started;
    private long nextReport;
    private long bytes;

    TransferProgress(String what, long totalBytes, LongSupplier nanoClock) {
        this.what = what;
        this.totalBytes = totalBytes;
        this.nanoClock = nanoClock;
        this.started = nanoClock.getAsLong();
        this.nextReport = started + EVERY_NANOS;
    }

    /**
     * Starts counting a transfer named {@code what} (e.g. "fetch of models/bert/1/model.onnx").
     *
     * @param totalBytes its size, or a negative number when it is not known
     */
    public static TransferProgress start(String what, long totalBytes) {
        return new TransferProgress(what, totalBytes, System::nanoTime);
    }

    /** Counts {@code n} more bytes, and logs where the transfer is if the last line is old enough. */
    public void advance(long n) {
        if (n <= 0) {
            return;
        }
        bytes += n;
        long now = nanoClock.getAsLong();
        if (now - nextReport >= 0) {
            nextReport = now + EVERY_NANOS;
            report(now);
        }
    }

    public long bytes() {
        return bytes;
    }

    private void report(long now) {
        double seconds = (now - started) / 1e9;
        double mibPerSecond = bytes / (1024.0 * 1024.0) / Math.max(seconds, 1e-9);
        if (totalBytes >= 0) {
            LOG.info("{}: {} of {} bytes ({}%), {} MiB/s, {} s", what, bytes, totalBytes,
                    totalBytes == 0 ? 100 : bytes * 100 / totalBytes, oneDecimal(mibPerSecond), Math.round(seconds));
        } else {
            LOG.info("{}: {} bytes so far, {} MiB/s, {} s", what, bytes, oneDecimal(mibPerSecond), Math.round(seconds));
        }
    }

    private static String oneDecimal(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
