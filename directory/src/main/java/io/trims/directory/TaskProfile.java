package io.trims.directory;

import java.util.List;
import java.util.Objects;

/**
 * What a model version declares for model-less serving: the task it serves and how well and at what cost.
 *
 * @param task     e.g. {@code sentence-embedding}; empty when the version declares none (it serves by name only)
 * @param accuracy on the scale the task defines (higher is better), e.g. an MTEB average score
 * @param tags     free labels, e.g. {@code quantized}
 * @param cost     the weight of one request, lower is cheaper; {@link #costOf} gives the default from the size
 */
public record TaskProfile(String task, double accuracy, List<String> tags, double cost) {

    public static final TaskProfile NONE = new TaskProfile("", 0, List.of(), 0);
    /** The default cost counts the model's size in units of 100 MB. */
    static final double BYTES_PER_COST_UNIT = 100e6;

    public TaskProfile {
        Objects.requireNonNull(task, "task");
        tags = List.copyOf(tags);
    }

    public boolean declared() {
        return !task.isEmpty();
    }

    /** The default cost of a request to a model of {@code bytes}: its size in 100 MB, to three decimals. */
    public static double costOf(long bytes) {
        return Math.round(bytes / BYTES_PER_COST_UNIT * 1000) / 1000.0;
    }
}
