package io.trims.runtime.onnx;

import io.trims.protocol.tensor.DataType;
import io.trims.protocol.tensor.Tensor;
import io.trims.runtime.InferenceException;
import io.trims.runtime.LoadedModel;
import io.trims.testmodels.TextModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ONNX Runtime's rejections of bad inputs reach the caller as 400s in words about the inputs, with no source paths. */
class OrtErrorsTest {

    private static final OnnxCpuRuntime RUNTIME = new OnnxCpuRuntime(1);

    @TempDir
    Path dir;

    @AfterAll
    static void close() {
        RUNTIME.close();
    }

    private InferenceException failure(long[] ids, long[] idsShape, long[] mask, long[] maskShape) throws Exception {
        try (LoadedModel model = RUNTIME.load(Files.write(dir.resolve("text.onnx"), TextModels.embedder()))) {
            Map<String, Tensor> inputs = Map.of(
                    "input_ids", new Tensor("input_ids", DataType.INT64, idsShape, ids),
                    "attention_mask", new Tensor("attention_mask", DataType.INT64, maskShape, mask));
            return assertThrows(InferenceException.class, () -> model.run(inputs, Set.of()));
        }
    }

    private static void assertClean(InferenceException e) {
        assertTrue(e.badInput(), e.getMessage());
        assertEquals(400, e.status());
        assertFalse(e.getMessage().contains("/onnxruntime_src"), e.getMessage());
        assertFalse(e.getMessage().contains(".cc:") || e.getMessage().contains(".h:"), e.getMessage());
    }

    @Test
    void disagreeingLengthsNameBothInputs() throws Exception {
        InferenceException e = failure(new long[]{1, 2, 3, 4}, new long[]{1, 4}, new long[]{1, 1, 1}, new long[]{1, 3});
        assertClean(e);
        assertEquals("input 'input_ids' has shape [1,4] but 'attention_mask' has [1,3]: dimension 1 must agree",
                e.getMessage());
    }

    @Test
    void tokenIdsPastTheTableAreOutOfRange() throws Exception {
        InferenceException e = failure(new long[]{1, 99}, new long[]{1, 2}, new long[]{1, 1}, new long[]{1, 2});
        assertClean(e);
        assertTrue(e.getMessage().contains("outside the table of 10 rows") && e.getMessage().contains("99"), e.getMessage());
        assertTrue(e.getMessage().contains("input_ids"), e.getMessage());
    }

    @Test
    void negativeTokenIdsAreRefusedThoughTheRuntimeWouldCountThemFromTheEnd() throws Exception {
        InferenceException e = failure(new long[]{1, -3}, new long[]{1, 2}, new long[]{1, 1}, new long[]{1, 2});
        assertClean(e);
        assertEquals("input 'input_ids': element 1 is -3, outside the table of 10 rows it indexes"
                + " (token ids must lie in [0, 10))", e.getMessage());
    }

    @Test
    void theScanFindsTheEmbeddingTableOfTheTokenIds() throws Exception {
        Path file = Files.write(dir.resolve("scan.onnx"), TextModels.embedder());
        assertEquals(Map.of("input_ids", (long) TextModels.VOCABULARY), IndexBounds.scan(file).rows());
        assertEquals(Map.of(), IndexBounds.scan(Files.write(dir.resolve("junk.onnx"), new byte[]{1, 2, 3})).rows());
    }
}
