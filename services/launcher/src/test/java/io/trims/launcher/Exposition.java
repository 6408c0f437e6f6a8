package io.trims.launcher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** One scrape of a {@code /metrics} endpoint, read as the Prometheus text format 0.0.4: samples, HELP and TYPE lines. */
record Exposition(List<Sample> samples, Map<String, String> help, Map<String, String> types) {

    /** One sample line: {@code name{label="value",...} value}. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    static Exposition parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> help = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                String[] parts = line.substring(7).split(" ", 2);
                help.put(parts[0], parts.length > 1 ? parts[1].trim() : "");
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ", 2);
                types.put(parts[0], parts.length > 1 ? parts[1].trim() : "");
            } else if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(sample(line));
            }
        }
        return new Exposition(samples, help, types);
    }

    List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The sum of the samples of {@code name} whose labels satisfy {@code where}. */
    double sum(String name, Predicate<Map<String, String>> where) {
        return named(name).stream().filter(s -> where.test(s.labels())).mapToDouble(Sample::value).sum();
    }

    /** The value of the one sample of {@code name} with exactly these labels, or null when there is none. */
    Double value(String name, Map<String, String> labels) {
        return named(name).stream().filter(s -> s.labels().equals(labels)).map(Sample::value).findFirst().orElse(null);
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new HashMap<>();
        String name;
        int rest;
        if (brace >= 0 && (space < 0 || brace < space)) {
            name = line.substring(0, brace);
            rest = labels(line, brace + 1, labels);
        } else {
            name = line.substring(0, space);
            rest = space;
        }
        String[] valueAndTime = line.substring(rest).trim().split(" ");
        return new Sample(name, labels, number(valueAndTime[0]));
    }

    /** Reads {@code k="v",...}} from {@code from}; returns the index after the closing brace. */
    private static int labels(String line, int from, Map<String, String> into) {
        int i = from;
        while (line.charAt(i) != '}') {
            int eq = line.indexOf('=', i);
            String key = line.substring(i, eq).trim();
            StringBuilder value = new StringBuilder();
            int j = eq + 2; // past ="
            while (line.charAt(j) != '"') {
                char c = line.charAt(j);
                if (c == '\\') {
                    char escaped = line.charAt(++j);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
                j++;
            }
            into.put(key, value.toString());
            i = j + 1;
            if (line.charAt(i) == ',') {
                i++;
            }
        }
        return i + 1;
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
