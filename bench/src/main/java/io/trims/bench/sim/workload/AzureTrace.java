package io.trims.bench.sim.workload;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The Azure Functions 2019 trace (Shahrad et al., "Serverless in the Wild", ATC 2020): files
 * {@code invocations_per_function_md.anon.dNN.csv}, one per day, one row per function with its invocations in each of
 * the day's 1440 minutes ({@code HashOwner,HashApp,HashFunction,Trigger,1,...,1440}). Plain or gzipped.
 *
 * <p>Functions are models: the {@code i}-th distinct function (in order of first appearance) asks for model
 * {@code i mod models}. Asked for fewer invocations than the files hold, every function keeps the same fraction of
 * its invocations, minute by minute (a running remainder, no randomness), so the shape of the days survives. Each
 * minute's invocations are spread uniformly over the minute from the seed. Read twice (total, then minutes) so that
 * no day is held in memory whole.
 */
public final class AzureTrace implements Workload {

    static final String PREFIX = "invocations_per_function_md.anon.d";
    private static final int FIRST_MINUTE_COLUMN = 4;
    private static final int MINUTES = 1440;

    /** The sample shipped with the simulator, made by {@link AzureSample}. */
    static final String SAMPLE = PREFIX + "01.csv.gz";

    /** One day's file: its name (a {@code .gz} name is gunzipped) and how to open it. */
    record Day(String name, Opener open) {
    }

    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    private final List<Day> days;
    private final String source;
    private Census census;

    private AzureTrace(List<Day> days, String source) {
        this.days = List.copyOf(days);
        this.source = source;
    }

    /** @param where one day's file, or a directory: every day file in it, in day order */
    public static AzureTrace of(Path where) {
        return new AzureTrace(dayFiles(where), where.getFileName().toString());
    }

    /** The one-day sample shipped in this package (made-up functions, the real format). */
    public static AzureTrace sample() {
        return new AzureTrace(List.of(new Day(SAMPLE, () -> {
            InputStream in = AzureTrace.class.getResourceAsStream(SAMPLE);
            if (in == null) {
                throw new IOException("the Azure sample " + SAMPLE + " is not on the class path");
            }
            return in;
        })), "the shipped sample");
    }

    @Override
    public String name() {
        return "azure";
    }

    @Override
    public int modelsUsed(int models) {
        return Math.min(models, census().functions.size());
    }

    @Override
    public Trace generate(int invocations, int models, long seed) {
        Census all = census();
        double keep = Math.min(1, (double) invocations / Math.max(1, all.invocations));
        int catalogue = modelsUsed(models);
        double[] carry = new double[all.functions.size()];
        SplittableRandom random = new SplittableRandom(seed);
        List<Long> requests = new ArrayList<>();
        for (int day = 0; day < days.size(); day++) {
            List<int[]>[] byMinute = kept(days.get(day), all.functions, keep, carry);
            for (int minute = 0; minute < MINUTES; minute++) {
                long minuteStart = (day * (long) MINUTES + minute) * 60_000_000_000L;
                List<Long> batch = new ArrayList<>();
                for (int[] entry : byMinute[minute]) {
                    for (int k = 0; k < entry[1]; k++) {
                        long offset = (long) (random.nextDouble() * 60_000_000_000L);
                        // A request is its arrival in microseconds, shifted past the model index, so one sort orders both.
                        batch.add(((minuteStart + offset) / 1000) << 20 | (entry[0] % catalogue));
                    }
                }
                batch.sort(null);
                requests.addAll(batch);
            }
        }
        int n = Math.min(invocations, requests.size());
        int[] asked = new int[n];
        long[] at = new long[n];
        for (int i = 0; i < n; i++) {
            long r = requests.get(i);
            asked[i] = (int) (r & ((1 << 20) - 1));
            at[i] = (r >>> 20) * 1000;
        }
        return new Trace(name(), String.format(Locale.ROOT, "Azure Functions 2019 format (%s: %d day(s), %d functions, "
                        + "%d invocations, %.4f of them kept)", source, days.size(), all.functions.size(),
                all.invocations, keep), asked, at);
    }

    /** One day's kept invocations, per minute: {function index, count}. */
    private static List<int[]>[] kept(Day day, Map<String, Integer> functions, double keep, double[] carry) {
        @SuppressWarnings("unchecked")
        List<int[]>[] byMinute = new List[MINUTES];
        for (int m = 0; m < MINUTES; m++) {
            byMinute[m] = new ArrayList<>();
        }
        rows(day, (key, counts) -> {
            int f = functions.get(key);
            for (int m = 0; m < MINUTES; m++) {
                carry[f] += counts[m] * keep;
                int k = (int) Math.floor(carry[f]);
                carry[f] -= k;
                if (k > 0) {
                    byMinute[m].add(new int[]{f, k});
                }
            }
        });
        return byMinute;
    }

    private synchronized Census census() {
        if (census == null) {
            Census c = new Census();
            for (Day day : days) {
                rows(day, (key, counts) -> {
                    c.functions.putIfAbsent(key, c.functions.size());
                    c.invocations += Arrays.stream(counts).asLongStream().sum();
                });
            }
            census = c;
        }
        return census;
    }

    private static final class Census {
        final Map<String, Integer> functions = new HashMap<>();
        long invocations;
    }

    @FunctionalInterface
    private interface Row {
        void accept(String function, int[] perMinute);
    }

    private static void rows(Day day, Row row) {
        try (BufferedReader in = reader(day)) {
            String header = in.readLine();
            if (header == null || !header.startsWith("HashOwner,HashApp,HashFunction,Trigger,1,")) {
                throw new IllegalArgumentException(day.name() + " is not an Azure Functions invocation file: " + header);
            }
            int[] counts = new int[MINUTES];
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    row.accept(parse(line, counts), counts);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + day.name(), e);
        }
    }

    /** Fills {@code counts} from the row and returns the function's key (owner, app and function hashes). */
    private static String parse(String line, int[] counts) {
        int column = 0;
        int start = 0;
        int keyEnd = -1;
        Arrays.fill(counts, 0);
        for (int i = 0; i <= line.length(); i++) {
            if (i < line.length() && line.charAt(i) != ',') {
                continue;
            }
            if (column == 2) {
                keyEnd = i;
            } else if (column >= FIRST_MINUTE_COLUMN && column < FIRST_MINUTE_COLUMN + MINUTES && i > start) {
                counts[column - FIRST_MINUTE_COLUMN] = Integer.parseInt(line, start, i, 10);
            }
            column++;
            start = i + 1;
        }
        if (keyEnd < 0) {
            throw new IllegalArgumentException("not a function row: " + line.substring(0, Math.min(80, line.length())));
        }
        return line.substring(0, keyEnd);
    }

    private static BufferedReader reader(Day day) throws IOException {
        InputStream in = day.open().open();
        if (day.name().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII), 1 << 16);
    }

    private static List<Day> dayFiles(Path where) {
        if (!Files.isDirectory(where)) {
            return List.of(fileDay(where));
        }
        try (Stream<Path> files = Files.list(where)) {
            List<Day> days = files.filter(f -> f.getFileName().toString().startsWith(PREFIX))
                    .filter(f -> f.toString().endsWith(".csv") || f.toString().endsWith(".csv.gz"))
                    .sorted().map(AzureTrace::fileDay).toList();
            if (days.isEmpty()) {
                throw new IllegalArgumentException("no " + PREFIX + "NN.csv files in " + where);
            }
            return days;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + where, e);
        }
    }

    private static Day fileDay(Path file) {
        return new Day(file.getFileName().toString(), () -> Files.newInputStream(file));
    }
}
