package io.trims.runtime.onnx;

import ai.onnxruntime.OrtException;
import io.trims.protocol.tensor.Tensor;
import io.trims.runtime.InferenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns ONNX Runtime's error text, which names its own source files and functions, into words about the caller's
 * inputs. Errors the inputs caused (disagreeing dimensions, an index outside a table, a shape too large to
 * allocate, an invalid argument) are a 400 naming the inputs; anything else is a 500 with a generic message, its
 * raw text only in the log.
 */
final class OrtErrors {

    private static final Logger LOG = LoggerFactory.getLogger(OrtErrors.class);
    private static final Pattern NODE = Pattern.compile("running (\\w+) node\\. Name:'([^']*)'");
    private static final Pattern INDEX = Pattern.compile("idx=(-?\\d+) must be within the inclusive range \\[(-?\\d+),(-?\\d+)\\]");
    private static final Pattern EXPECTED_DIMS = Pattern.compile(
            "invalid dimensions for input: (\\S+) for the following indices\\s+index: (\\d+) Got: (\\d+) Expected: (\\d+)");

    private OrtErrors() {
    }

    static InferenceException translate(OrtException e, Map<String, Tensor> given) {
        String raw = String.valueOf(e.getMessage());
        String lower = raw.toLowerCase(Locale.ROOT);
        String node = node(raw);
        Matcher index = INDEX.matcher(raw);
        if (index.find()) {
            return bad("an index is out of range" + node + ": " + index.group(1) + " must be within ["
                    + index.group(2) + "," + index.group(3) + "]; check the integer inputs "
                    + integerInputs(given) + " (e.g. token ids against the vocabulary size)", e);
        }
        if (lower.contains("out of data bounds") || lower.contains("out of bounds") || lower.contains("out of range")) {
            return bad("an index in the inputs is out of range" + node + "; check the integer inputs "
                    + integerInputs(given), e);
        }
        if (lower.contains("broadcast") || lower.contains("shape mismatch") || lower.contains("incompatible dimensions")
                || lower.contains("dimension mismatch")) {
            return bad(disagreement(given).orElse("the inputs' shapes do not fit together" + node + ": "
                    + shapes(given)), e);
        }
        Matcher dims = EXPECTED_DIMS.matcher(raw);
        if (dims.find()) {
            return bad("input '" + dims.group(1) + "': dimension " + dims.group(2) + " must be " + dims.group(4)
                    + ", got " + dims.group(3), e);
        }
        if (lower.contains("bad_alloc") || lower.contains("failed to allocate")) {
            return bad("the inputs " + shapes(given) + " would need more memory than this server has" + node
                    + "; send smaller shapes", e);
        }
        if (e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT
                || e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_GRAPH) {
            return bad("the model cannot run on these inputs" + node + ": " + shapes(given), e);
        }
        LOG.error("ONNX Runtime failed{} on inputs {}: {}", node, shapes(given), raw);
        return new InferenceException("internal error running the model" + node, false, e);
    }

    /** The first pair of same-rank inputs whose dimensions differ, in words; empty when none. */
    private static java.util.Optional<String> disagreement(Map<String, Tensor> given) {
        List<Tensor> tensors = new ArrayList<>(given.values());
        tensors.sort((a, b) -> a.name().compareTo(b.name()));
        for (int i = 0; i < tensors.size(); i++) {
            for (int j = i + 1; j < tensors.size(); j++) {
                long[] a = tensors.get(i).shape();
                long[] b = tensors.get(j).shape();
                if (a.length != b.length) {
                    continue;
                }
                for (int d = 0; d < a.length; d++) {
                    if (a[d] != b[d] && a[d] != 1 && b[d] != 1) {
                        return java.util.Optional.of("input '" + tensors.get(j).name() + "' has shape "
                                + text(b) + " but '" + tensors.get(i).name() + "' has " + text(a) + ": dimension "
                                + d + " must agree");
                    }
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static InferenceException bad(String message, OrtException cause) {
        return new InferenceException(message, true, cause);
    }

    /** " (in the Gather node '/Gather')", or "" when the text names no node. */
    private static String node(String raw) {
        Matcher m = NODE.matcher(raw);
        return m.find() ? " (in the " + m.group(1) + " node '" + m.group(2) + "')" : "";
    }

    private static String integerInputs(Map<String, Tensor> given) {
        return given.values().stream().filter(t -> t.type().name().startsWith("INT") || t.type().name().startsWith("UINT"))
                .map(Tensor::name).sorted().toList().toString();
    }

    private static String shapes(Map<String, Tensor> given) {
        StringBuilder text = new StringBuilder();
        given.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).forEach(t ->
                text.append(text.length() == 0 ? "" : ", ").append('\'').append(t.name()).append("' ").append(text(t.shape())));
        return text.toString();
    }

    private static String text(long[] shape) {
        return Arrays.toString(shape).replace(" ", "");
    }
}
