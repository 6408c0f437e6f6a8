package io.trims.devicedata;

import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The inputs every correctness check and benchmark feeds a BERT-family encoder: {@code batch} rows of {@code seq}
 * tokens, [CLS] first and [SEP] last, random word ids between, and rows of different lengths (row b is padded by
 * {@code (b % 4) * seq / 8} positions) so the attention mask matters. The same on every machine.
 */
public final class FixedInputs {

    public static final int SEQ = 128;
    private static final long SEED = 20261123L;
    private static final int CLS = 101;
    private static final int SEP = 102;

    private FixedInputs() {
    }

    /** {@code input_ids}, {@code attention_mask} and {@code token_type_ids}, those of {@code names} only. */
    public static Map<String, Tensor> bert(int batch, int seq, Set<String> names) {
        long[] ids = new long[batch * seq];
        long[] mask = new long[batch * seq];
        long[] types = new long[batch * seq];
        SplittableRandom random = new SplittableRandom(SEED + batch);
        for (int b = 0; b < batch; b++) {
            int length = seq - (b % 4) * seq / 8;
            for (int s = 0; s < length; s++) {
                int at = b * seq + s;
                ids[at] = s == 0 ? CLS : s == length - 1 ? SEP : 1000 + random.nextInt(20_000);
                mask[at] = 1;
            }
        }
        long[] shape = {batch, seq};
        Map<String, Tensor> all = new LinkedHashMap<>();
        all.put("input_ids", new Tensor("input_ids", DataType.INT64, shape, ids));
        all.put("attention_mask", new Tensor("attention_mask", DataType.INT64, shape, mask));
        all.put("token_type_ids", new Tensor("token_type_ids", DataType.INT64, shape, types));
        all.keySet().retainAll(names);
        return all;
    }
}
