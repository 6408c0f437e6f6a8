package io.trims.bench.sim.workload;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a made-up day in the Azure Functions 2019 format, small enough to ship: the sample the simulator replays
 * when the real trace is not at hand. Its functions mimic the trace's mix: mean rates spread over orders of magnitude
 * (log-normal), HTTP functions following the day, timers firing on a fixed period, queue and event functions in
 * bursts. Deterministic for a seed.
 *
 * <p>{@code java io.trims.bench.sim.workload.AzureSample <out.csv[.gz]> [functions] [seed]}
 */
public final class AzureSample {

    private static final int MINUTES = 1440;
    private static final String[] TRIGGERS = {"http", "timer", "queue", "event", "storage"};
    private static final double[] TRIGGER_SHARE = {0.40, 0.30, 0.15, 0.10, 0.05};
    private static final int[] TIMER_PERIODS = {1, 5, 15, 60};

    private AzureSample() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: AzureSample <out.csv[.gz]> [functions] [seed]");
        }
        Path out = Path.of(args[0]);
        int functions = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 2019;
        write(out, functions, seed);
        System.out.printf(Locale.ROOT, "wrote %s: %d functions, %d bytes%n", out, functions, Files.size(out));
    }

    public static void write(Path out, int functions, long seed) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        SplittableRandom random = new SplittableRandom(seed);
        try (OutputStream file = Files.newOutputStream(out);
             OutputStream body = out.toString().endsWith(".gz") ? new GZIPOutputStream(file, 1 << 16) : file;
             Writer w = new OutputStreamWriter(body, StandardCharsets.US_ASCII)) {
            w.write("HashOwner,HashApp,HashFunction,Trigger");
            for (int m = 1; m <= MINUTES; m++) {
                w.write("," + m);
            }
            w.write('\n');
            String owner = hash(random);
            String app = hash(random);
            for (int f = 0; f < functions; f++) {
                // Owners have a few apps, apps a few functions, as in the trace.
                if (random.nextInt(8) == 0) {
                    owner = hash(random);
                }
                if (random.nextInt(3) == 0) {
                    app = hash(random);
                }
                String trigger = trigger(random);
                int[] counts = counts(trigger, meanPerMinute(random), random);
                StringBuilder row = new StringBuilder(4 * MINUTES);
                row.append(owner).append(',').append(app).append(',').append(hash(random)).append(',').append(trigger);
                for (int c : counts) {
                    row.append(',').append(c);
                }
                w.write(row.append('\n').toString());
            }
        }
    }

    /** Median 0.05 invocations a minute, a few functions hundreds of times more. */
    private static double meanPerMinute(SplittableRandom random) {
        return Math.exp(Math.log(0.05) + 2.5 * gaussian(random));
    }

    private static int[] counts(String trigger, double mean, SplittableRandom random) {
        int[] counts = new int[MINUTES];
        switch (trigger) {
            case "timer" -> {
                int period = TIMER_PERIODS[random.nextInt(TIMER_PERIODS.length)];
                int each = (int) Math.max(1, Math.round(mean * period));
                int phase = random.nextInt(period);
                for (int m = phase; m < MINUTES; m += period) {
                    counts[m] = each;
                }
            }
            case "http" -> {
                int peak = 720 + random.nextInt(240) - 120;
                for (int m = 0; m < MINUTES; m++) {
                    counts[m] = poisson(mean * (1 + 0.6 * Math.cos(2 * Math.PI * (m - peak) / MINUTES)), random);
                }
            }
            default -> {
                // On a fifth of the time, in bursts of about 20 minutes, at five times the mean while on.
                boolean on = random.nextInt(5) == 0;
                for (int m = 0; m < MINUTES; m++) {
                    if (random.nextDouble() < (on ? 1.0 / 20 : 1.0 / 80)) {
                        on = !on;
                    }
                    counts[m] = on ? poisson(5 * mean, random) : 0;
                }
            }
        }
        return counts;
    }

    private static String trigger(SplittableRandom random) {
        double u = random.nextDouble();
        for (int i = 0; i < TRIGGERS.length; i++) {
            u -= TRIGGER_SHARE[i];
            if (u < 0) {
                return TRIGGERS[i];
            }
        }
        return TRIGGERS[0];
    }

    /** Knuth's method for small means, the normal approximation above 30. */
    private static int poisson(double mean, SplittableRandom random) {
        if (mean > 30) {
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
        }
        double limit = Math.exp(-mean);
        int k = 0;
        for (double p = random.nextDouble(); p > limit; p *= random.nextDouble()) {
            k++;
        }
        return k;
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** A 16-digit hex name, standing for the trace's SHA-256 hashes of owner, app and function. */
    private static String hash(SplittableRandom random) {
        return String.format("%016x", random.nextLong());
    }
}
