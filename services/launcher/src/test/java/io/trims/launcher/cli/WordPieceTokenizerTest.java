package io.trims.launcher.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The shipped all-MiniLM-L6-v2 tokenizer against ids Hugging Face's BERT tokenizer gives for the same texts. */
class WordPieceTokenizerTest {

    private static WordPieceTokenizer minilm() throws Exception {
        return Tokenizers.forModel(null, "all-minilm-l6-v2");
    }

    @Test
    void splitsPunctuationAndFramesWithClsAndSep() throws Exception {
        assertArrayEquals(new long[]{101, 7592, 1010, 2088, 999, 102}, minilm().encode("Hello, world!"));
    }

    @Test
    void stripsAccentsAndSplitsWordsIntoPieces() throws Exception {
        assertArrayEquals(new long[]{101, 7668, 7861, 8270, 4667, 2015, 102}, minilm().encode("Café embeddings"));
        assertArrayEquals(new long[]{101, 12241, 2015, 4240, 4275, 3435, 1012, 102},
                minilm().encode("TrIMS serves models fast."));
    }

    @Test
    void basicSplitKeepsCjkCharactersApartAndDropsControls() {
        assertEquals(List.of("a", "中", "文", "b"), WordPieceTokenizer.words("a中文b\u0007"));
    }

    @Test
    void truncatesToTheFilesMaximumLength() throws Exception {
        long[] ids = minilm().encode("word ".repeat(500));
        assertEquals(128, ids.length);
        assertEquals(101, ids[0]);
        assertEquals(102, ids[127]);
    }

    @Test
    void aModelWithoutAShippedTokenizerIsAUsageError() {
        assertThrows(Cli.UsageException.class, () -> Tokenizers.forModel(null, "my-model"));
    }
}
