package io.trims.registry;

import io.trims.directory.TaskProfile;
import io.trims.protocol.V2Exception;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * A model version's task profile as clients declare it: query parameters of an upload ({@code task},
 * {@code accuracy}, {@code tags} comma-separated, {@code cost}) or the JSON body of a PATCH. A task needs an
 * accuracy (variants are compared by it); a cost left out is the default from the file's size.
 */
final class TaskDeclarations {

    private static final String TASK = "task";
    private static final String ACCURACY = "accuracy";
    private static final String TAGS = "tags";
    private static final String COST = "cost";
    private static final List<String> FIELDS = List.of(TASK, ACCURACY, TAGS, COST);

    private TaskDeclarations() {
    }

    /** The profile an upload declares, once its size is known; {@link TaskProfile#NONE} when it declares none. */
    static Function<Long, TaskProfile> fromQuery(MultiMap query) {
        String task = single(query, TASK);
        String accuracy = single(query, ACCURACY);
        String tags = single(query, TAGS);
        String cost = single(query, COST);
        if (task == null) {
            if (accuracy != null || tags != null || cost != null) {
                throw V2Exception.badRequest("accuracy, tags and cost describe a task: give task too");
            }
            return bytes -> TaskProfile.NONE;
        }
        String name = ModelNames.check(TASK, task);
        double score = number(ACCURACY, required(ACCURACY, accuracy));
        List<String> labels = tags == null ? List.of() : tags(List.of(tags.split(",", -1)));
        OptionalDouble weight = cost == null ? OptionalDouble.empty() : OptionalDouble.of(cost(number(COST, cost)));
        return bytes -> new TaskProfile(name, score, labels, weight.orElse(TaskProfile.costOf(bytes)));
    }

    /**
     * {@code current} with the fields {@code patch} gives replaced; {@code "task": ""} (or null) removes the
     * version from its task.
     */
    static TaskProfile patched(TaskProfile current, JsonObject patch, long bytes) {
        for (String field : patch.fieldNames()) {
            if (!FIELDS.contains(field)) {
                throw V2Exception.badRequest("unknown field '" + field + "': a task profile has " + FIELDS);
            }
        }
        if (patch.containsKey(TASK) && (patch.getValue(TASK) == null || "".equals(patch.getValue(TASK)))) {
            return TaskProfile.NONE;
        }
        String task = patch.containsKey(TASK) ? ModelNames.check(TASK, text(TASK, patch.getValue(TASK)))
                : current.task();
        if (task.isEmpty()) {
            throw V2Exception.badRequest("this version declares no task: give task too");
        }
        if (!current.declared() && !patch.containsKey(ACCURACY)) {
            throw V2Exception.badRequest("accuracy is missing: a task's variants are compared by it");
        }
        double accuracy = patch.containsKey(ACCURACY) ? number(ACCURACY, patch.getValue(ACCURACY)) : current.accuracy();
        List<String> tags = patch.containsKey(TAGS) ? tags(list(patch.getValue(TAGS))) : current.tags();
        double cost = patch.containsKey(COST) ? cost(number(COST, patch.getValue(COST)))
                : current.declared() ? current.cost() : TaskProfile.costOf(bytes);
        return new TaskProfile(task, accuracy, tags, cost);
    }

    /** The profile's fields for a model record's JSON; the cost is there for every version. */
    static void putInto(JsonObject json, TaskProfile profile, long bytes) {
        if (profile.declared()) {
            json.put(TASK, profile.task()).put(ACCURACY, profile.accuracy()).put(TAGS, new JsonArray(profile.tags()))
                    .put(COST, profile.cost());
        } else {
            json.put(COST, TaskProfile.costOf(bytes));
        }
    }

    /** What {@link #putInto} wrote; a record without a task declares none. */
    static TaskProfile from(JsonObject json) {
        String task = json.getString(TASK, "");
        if (task.isEmpty()) {
            return TaskProfile.NONE;
        }
        List<String> tags = new ArrayList<>();
        json.getJsonArray(TAGS, new JsonArray()).forEach(t -> tags.add((String) t));
        return new TaskProfile(task, json.getDouble(ACCURACY, 0.0), tags, json.getDouble(COST, 0.0));
    }

    private static String single(MultiMap query, String name) {
        List<String> values = query.getAll(name);
        if (values.size() > 1) {
            throw V2Exception.badRequest("query parameter '" + name + "' is given " + values.size() + " times");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    private static String required(String field, String value) {
        if (value == null) {
            throw V2Exception.badRequest(field + " is missing: a task's variants are compared by it");
        }
        return value;
    }

    private static String text(String field, Object value) {
        if (!(value instanceof String s)) {
            throw V2Exception.badRequest(field + " must be a string, got " + value);
        }
        return s;
    }

    private static double number(String field, Object value) {
        double number;
        if (value instanceof Number n) {
            number = n.doubleValue();
        } else if (value instanceof String s) {
            try {
                number = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw V2Exception.badRequest(field + " must be a number, got '" + s + "'");
            }
        } else {
            throw V2Exception.badRequest(field + " must be a number, got " + value);
        }
        if (!Double.isFinite(number)) {
            throw V2Exception.badRequest(field + " must be a finite number, got " + value);
        }
        return number;
    }

    private static double cost(double cost) {
        if (cost < 0) {
            throw V2Exception.badRequest("cost must not be negative, got " + cost);
        }
        return cost;
    }

    private static List<?> list(Object value) {
        if (!(value instanceof JsonArray array)) {
            throw V2Exception.badRequest("tags must be an array of strings, got " + value);
        }
        return array.getList();
    }

    private static List<String> tags(List<?> values) {
        List<String> tags = new ArrayList<>(values.size());
        for (Object value : values) {
            tags.add(ModelNames.check("tag", text("a tag", value)));
        }
        return List.copyOf(tags);
    }
}
