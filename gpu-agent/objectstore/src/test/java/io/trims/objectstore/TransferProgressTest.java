package io.trims.objectstore;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A long transfer logs where it is every five seconds; a short one says nothing. */
class TransferProgressTest {

    private static final long MIB = 1 << 20;

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(TransferProgress.class);
    private final AtomicLong clock = new AtomicLong(1_000);

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    @Test
    void aTransferOfKnownSizeLogsBytesShareAndRateEveryFiveSeconds() {
        TransferProgress fetch = new TransferProgress("fetch of models/big/1/model.onnx", 20 * MIB, clock::get);
        for (int second = 1; second <= 12; second++) {
            clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
            fetch.advance(MIB);
        }
        assertEquals(List.of(
                "fetch of models/big/1/model.onnx: 5242880 of 20971520 bytes (25%), 1.0 MiB/s, 5 s",
                "fetch of models/big/1/model.onnx: 10485760 of 20971520 bytes (50%), 1.0 MiB/s, 10 s"), messages());
        assertTrue(lines.list.stream().allMatch(e -> e.getLevel() == Level.INFO));
        assertEquals(12 * MIB, fetch.bytes());
    }

    @Test
    void aTransferOfUnknownSizeSaysHowMuchSoFar() {
        TransferProgress upload = new TransferProgress("upload of big v1", -1, clock::get);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(6));
        upload.advance(3 * MIB);
        assertEquals(List.of("upload of big v1: 3145728 bytes so far, 0.5 MiB/s, 6 s"), messages());
    }

    @Test
    void aShortTransferLogsNothingAndACountedStreamCountsEveryByte() throws IOException {
        TransferProgress quick = new TransferProgress("fetch of models/small/1/model.onnx", 1000, clock::get);
        try (InputStream in = new CountedInputStream(new ByteArrayInputStream(new byte[1000]), quick)) {
            assertEquals(0, in.read());
            assertEquals(999, in.readAllBytes().length);
        }
        assertEquals(1000, quick.bytes());
        assertEquals(List.of(), messages());
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
