package io.trims.launcher.cli;

import io.vertx.core.json.JsonObject;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The BERT uncased tokenizer that a Hugging Face {@code tokenizer.json} of type WordPiece describes (the files the
 * langchain4j embedding jars ship): clean and lower-case the text, strip accents, split on whitespace and
 * punctuation, then split each word greedily into the longest vocabulary pieces ({@code ##} marks a continuation),
 * and frame the ids as {@code [CLS] ... [SEP]}, truncated to the file's maximum length.
 */
public final class WordPieceTokenizer {

    private final Map<String, Integer> vocabulary;
    private final String continuation;
    private final int unknown;
    private final int classify;
    private final int separator;
    private final int maxWordChars;
    private final int maxTokens;

    private WordPieceTokenizer(Map<String, Integer> vocabulary, String continuation, String unknown,
                               int maxWordChars, int maxTokens) {
        this.vocabulary = vocabulary;
        this.continuation = continuation;
        this.unknown = id(vocabulary, unknown);
        this.classify = id(vocabulary, "[CLS]");
        this.separator = id(vocabulary, "[SEP]");
        this.maxWordChars = maxWordChars;
        this.maxTokens = maxTokens;
    }

    /** Reads a {@code tokenizer.json}; anything but a WordPiece model is refused. */
    public static WordPieceTokenizer fromJson(JsonObject file) {
        JsonObject model = file.getJsonObject("model");
        if (model == null || !"WordPiece".equals(model.getString("type"))) {
            throw new IllegalArgumentException("not a WordPiece tokenizer.json");
        }
        Map<String, Integer> vocabulary = new HashMap<>();
        model.getJsonObject("vocab").forEach(entry -> vocabulary.put(entry.getKey(), ((Number) entry.getValue()).intValue()));
        JsonObject truncation = file.getJsonObject("truncation");
        int maxTokens = truncation == null ? 512 : truncation.getInteger("max_length", 512);
        return new WordPieceTokenizer(vocabulary, model.getString("continuing_subword_prefix", "##"),
                model.getString("unk_token", "[UNK]"), model.getInteger("max_input_chars_per_word", 100), maxTokens);
    }

    /** The token ids of one text, framed by {@code [CLS]} and {@code [SEP]}. */
    public long[] encode(String text) {
        List<Integer> ids = new ArrayList<>();
        ids.add(classify);
        for (String word : words(text)) {
            pieces(word, ids);
        }
        List<Integer> kept = ids.size() > maxTokens - 1 ? ids.subList(0, maxTokens - 1) : ids;
        long[] encoded = new long[kept.size() + 1];
        for (int i = 0; i < kept.size(); i++) {
            encoded[i] = kept.get(i);
        }
        encoded[kept.size()] = separator;
        return encoded;
    }

    /** Lower-cased, accent-free words and single punctuation marks, as BERT's basic tokenizer splits them. */
    static List<String> words(String text) {
        String folded = Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFD);
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        folded.codePoints().forEach(c -> {
            if (Character.getType(c) == Character.NON_SPACING_MARK || c == 0 || c == 0xFFFD
                    || (Character.isISOControl(c) && !Character.isWhitespace(c))) {
                return;
            }
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                flush(word, words);
            } else if (isPunctuation(c) || isCjk(c)) {
                flush(word, words);
                words.add(new String(Character.toChars(c)));
            } else {
                word.appendCodePoint(c);
            }
        });
        flush(word, words);
        return words;
    }

    private void pieces(String word, List<Integer> ids) {
        if (word.codePointCount(0, word.length()) > maxWordChars) {
            ids.add(unknown);
            return;
        }
        List<Integer> found = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            Integer piece = null;
            while (start < end) {
                String candidate = (start > 0 ? continuation : "") + word.substring(start, end);
                piece = vocabulary.get(candidate);
                if (piece != null) {
                    break;
                }
                end = word.offsetByCodePoints(end, -1);
            }
            if (piece == null) {
                ids.add(unknown);
                return;
            }
            found.add(piece);
            start = end;
        }
        ids.addAll(found);
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (!word.isEmpty()) {
            words.add(word.toString());
            word.setLength(0);
        }
    }

    /** ASCII symbols count as punctuation too, as in BERT (so {@code $} and {@code ^} split words). */
    private static boolean isPunctuation(int c) {
        if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.CONNECTOR_PUNCTUATION || type == Character.DASH_PUNCTUATION
                || type == Character.START_PUNCTUATION || type == Character.END_PUNCTUATION
                || type == Character.INITIAL_QUOTE_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION
                || type == Character.OTHER_PUNCTUATION;
    }

    private static boolean isCjk(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2CEAF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }

    private static int id(Map<String, Integer> vocabulary, String token) {
        Integer id = vocabulary.get(token);
        if (id == null) {
            throw new IllegalArgumentException("tokenizer vocabulary has no " + token);
        }
        return id;
    }
}
