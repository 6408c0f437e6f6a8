package io.trims.testmodels;

import io.trims.protocol.tensor.DataType;

/** A tiny text model, shaped like the encoders users send token ids to, for tests of bad input. */
public final class TextModels {

    /** Rows of the embedding table: token ids must lie in [0, VOCABULARY). */
    public static final int VOCABULARY = 10;
    public static final int WIDTH = 4;

    private TextModels() {
    }

    /**
     * Inputs {@code input_ids} and {@code attention_mask}, INT64 [batch, sequence]; outputs {@code hidden}
     * = Gather(embeddings, input_ids), FP32 [batch, sequence, WIDTH], and {@code summed} = input_ids +
     * attention_mask, INT64 [batch, sequence], so that inputs of disagreeing lengths fail as they do in real models.
     */
    public static byte[] embedder() {
        float[] table = new float[VOCABULARY * WIDTH];
        for (int i = 0; i < table.length; i++) {
            table[i] = i / 10f;
        }
        return new OnnxGraphBuilder(13)
                .input("input_ids", DataType.INT64, "batch", "sequence")
                .input("attention_mask", DataType.INT64, "batch", "sequence")
                .initializer(OnnxGraphBuilder.floats("embeddings", table, VOCABULARY, WIDTH))
                .node("Gather", "hidden", new String[]{"embeddings", "input_ids"})
                .node("Add", "summed", new String[]{"input_ids", "attention_mask"})
                .output("hidden", DataType.FP32, "batch", "sequence", WIDTH)
                .output("summed", DataType.INT64, "batch", "sequence")
                .bytes();
    }
}
