package io.trims.placement;

import io.trims.directory.ModelRecord;
import io.trims.directory.TensorSpec;
import io.trims.policy.variant.ServiceTargets;
import io.trims.protocol.InferBody;
import io.trims.protocol.V2Exception;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a model-less request asks, read from the JSON header of its v2 body (the tensors stay unread and go to the
 * agent as they came): its targets ({@code parameters.max_latency_ms}, {@code min_accuracy}, {@code max_cost}) and
 * the names of its inputs, which a variant must take exactly.
 */
record TaskTargets(ServiceTargets targets, Set<String> inputs) {

    static final String MAX_LATENCY_MS = "max_latency_ms";
    static final String MIN_ACCURACY = "min_accuracy";
    static final String MAX_COST = "max_cost";

    static TaskTargets of(ForwardedBody body) {
        JsonObject header = InferBody.split(body.bytes(), body.headers().get(InferBody.HEADER_LENGTH)).header();
        Object parameters = header.getValue("parameters");
        if (parameters != null && !(parameters instanceof JsonObject)) {
            throw V2Exception.badRequest("parameters must be an object");
        }
        JsonObject given = parameters == null ? new JsonObject() : (JsonObject) parameters;
        if (!(header.getValue("inputs") instanceof JsonArray inputs) || inputs.isEmpty()) {
            throw V2Exception.badRequest("inputs must be a non-empty array");
        }
        Set<String> names = new TreeSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            if (!(inputs.getValue(i) instanceof JsonObject input) || !(input.getValue("name") instanceof String name)) {
                throw V2Exception.badRequest("inputs[" + i + "] needs a name");
            }
            names.add(name);
        }
        return new TaskTargets(new ServiceTargets(target(given, MAX_LATENCY_MS), target(given, MIN_ACCURACY),
                target(given, MAX_COST)), names);
    }

    /** The variant takes exactly the inputs the request gives. */
    boolean fits(ModelRecord variant) {
        return inputs.equals(names(variant));
    }

    /** The 400 of a request no variant takes, saying what each expects. */
    V2Exception noVariantFits(String task, List<ModelRecord> variants) {
        return V2Exception.badRequest("no variant of task '" + task + "' takes inputs " + inputs + ": "
                + variants.stream().map(v -> v.name() + " v" + v.version() + " expects " + names(v))
                .collect(Collectors.joining(", ")));
    }

    private static Set<String> names(ModelRecord variant) {
        return variant.inputs().stream().map(TensorSpec::name).collect(Collectors.toCollection(TreeSet::new));
    }

    private static OptionalDouble target(JsonObject parameters, String name) {
        Object value = parameters.getValue(name);
        if (value == null) {
            return OptionalDouble.empty();
        }
        if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue()) || number.doubleValue() < 0) {
            throw V2Exception.badRequest("parameter '" + name + "' must be a number of 0 or more, got " + value);
        }
        return OptionalDouble.of(number.doubleValue());
    }
}
