package io.trims.agent.admission;

/**
 * What one agent takes on: how many requests it holds at once (queued, loading or running), in total and per
 * model, and how many body bytes they may hold between them; and how big one request may be.
 *
 * @param maxRequests         requests held at once ({@code TRIMS_QUEUE_MAX_REQUESTS}); one more is a 429
 * @param maxRequestsPerModel requests held at once for one model ({@code TRIMS_QUEUE_MAX_REQUESTS_PER_MODEL})
 * @param maxHeldBytes        request body bytes the held requests may hold between them ({@code TRIMS_QUEUE_MAX_BYTES})
 * @param maxBatch            largest first dimension of an input ({@code TRIMS_MAX_BATCH}); more is a 413
 * @param maxInputElements    most elements of all inputs of one request together ({@code TRIMS_MAX_INPUT_ELEMENTS})
 * @param maxOutputBytes      most bytes the outputs of one request may take, estimated from the model's output
 *                            shapes before it runs ({@code TRIMS_MAX_OUTPUT_BYTES})
 * @param defaultDeadlineMs   deadline of a request that names none, from its arrival ({@code TRIMS_DEFAULT_DEADLINE_MS};
 *                            0: none)
 */
public record AdmissionLimits(int maxRequests, int maxRequestsPerModel, long maxHeldBytes, long maxBatch,
                              long maxInputElements, long maxOutputBytes, long defaultDeadlineMs) {

    public static final int DEFAULT_MAX_REQUESTS = 256;
    public static final int DEFAULT_MAX_REQUESTS_PER_MODEL = 128;
    public static final long DEFAULT_MAX_HELD_BYTES = 256L << 20;
    public static final long DEFAULT_MAX_BATCH = 1024;
    public static final long DEFAULT_MAX_INPUT_ELEMENTS = 16L << 20;
    public static final long DEFAULT_MAX_OUTPUT_BYTES = 16L << 20;

    public AdmissionLimits {
        if (maxRequests < 1 || maxRequestsPerModel < 1 || maxHeldBytes < 1) {
            throw new IllegalArgumentException("TRIMS_QUEUE_MAX_REQUESTS, TRIMS_QUEUE_MAX_REQUESTS_PER_MODEL and "
                    + "TRIMS_QUEUE_MAX_BYTES must be positive");
        }
        if (maxBatch < 1 || maxInputElements < 1 || maxOutputBytes < 1) {
            throw new IllegalArgumentException("TRIMS_MAX_BATCH, TRIMS_MAX_INPUT_ELEMENTS and TRIMS_MAX_OUTPUT_BYTES "
                    + "must be positive");
        }
        if (defaultDeadlineMs < 0) {
            throw new IllegalArgumentException("TRIMS_DEFAULT_DEADLINE_MS must not be negative (0: no deadline), not "
                    + defaultDeadlineMs);
        }
    }

    public static AdmissionLimits defaults() {
        return new AdmissionLimits(DEFAULT_MAX_REQUESTS, DEFAULT_MAX_REQUESTS_PER_MODEL, DEFAULT_MAX_HELD_BYTES,
                DEFAULT_MAX_BATCH, DEFAULT_MAX_INPUT_ELEMENTS, DEFAULT_MAX_OUTPUT_BYTES, 0);
    }

    public AdmissionLimits withQueue(int requests, int perModel, long bytes) {
        return new AdmissionLimits(requests, perModel, bytes, maxBatch, maxInputElements, maxOutputBytes,
                defaultDeadlineMs);
    }

    public AdmissionLimits withRequestLimits(long batch, long inputElements, long outputBytes) {
        return new AdmissionLimits(maxRequests, maxRequestsPerModel, maxHeldBytes, batch, inputElements, outputBytes,
                defaultDeadlineMs);
    }
}
