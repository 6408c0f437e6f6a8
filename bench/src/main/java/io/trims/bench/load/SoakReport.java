package io.trims.bench.load;

import io.trims.bench.cluster.BenchModel;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/** The soak's Markdown: every checkpoint of both processes, and the growth from the warm start to the end. */
final class SoakReport {

    private static final double MIB = 1 << 20;

    private SoakReport() {
    }

    static String markdown(String label, String machine, String loadBefore, String loadAfter, BenchModel model,
                           List<SoakBench.Checkpoint> checkpoints, int registerCycles, double registerSeconds,
                           int demotionCycles, double demotionSeconds, Map<String, Integer> demotionTiers) {
        StringBuilder md = new StringBuilder("# Soak: register, infer, delete; CPU-disk demotion\n\n");
        md.append(String.format(Locale.ROOT, """
                Code: %s. Machine: %s. Load average before %s, after %s.

                A front door (with the registry) and one agent, each a process of its own. Models are generated MLPs \
                of %.1f MB; the agent's CPU tier holds one of them (3 MiB). After %d warm-up cycles of each kind:

                - %d register, infer, delete cycles (a new model name each time: upload, one request, which fetches \
                it from object storage and loads it, then the delete, which evicts it) in %.1f s, %.1f cycles/s;
                - %d demotion cycles (a request for model A, then one for B: each evicts the other from the CPU tier \
                to disk and loads its own from disk, an ONNX Runtime session closed and one created per request) \
                in %.1f s, %.1f cycles/s. The tier each request found its model in: %s.

                Figures after a full collection (`jcmd <pid> GC.run`; heap from the process's own \
                `jvm_memory_used_bytes{area="heap"}`, RSS, open files and threads from `/proc/<pid>`):

                """, label, machine, loadBefore, loadAfter, model.bytes() / 1e6, 20, registerCycles, registerSeconds,
                registerCycles / registerSeconds, demotionCycles, demotionSeconds, demotionCycles / demotionSeconds,
                demotionTiers));
        md.append("| phase | cycles | at (s) | agent heap (MiB) | agent RSS (MiB) | agent files | agent threads "
                + "| front door heap (MiB) | front door RSS (MiB) | front door files | front door threads |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (SoakBench.Checkpoint c : checkpoints) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %s | %s |%n", c.phase(), c.cycles(), c.seconds(),
                    row(c.agent()), row(c.frontDoor())));
        }
        SoakBench.Checkpoint first = checkpoints.get(0);
        SoakBench.Checkpoint last = checkpoints.get(checkpoints.size() - 1);
        md.append("\nGrowth from the warm start to the end (end minus start):\n\n");
        md.append("| process | heap (MiB) | RSS (MiB) | open files | threads |\n|---|---:|---:|---:|---:|\n");
        md.append(growth("agent", first.agent(), last.agent()));
        md.append(growth("front door", first.frontDoor(), last.frontDoor()));
        return md.toString();
    }

    private static String row(ProcessFigures f) {
        return String.format(Locale.ROOT, "%.1f | %.1f | %d | %d", f.heapBytes() / MIB, f.rssBytes() / MIB,
                f.openFiles(), f.threads());
    }

    private static String growth(String process, ProcessFigures before, ProcessFigures after) {
        return String.format(Locale.ROOT, "| %s | %+.1f | %+.1f | %+d | %+d |%n", process,
                delta(before, after, ProcessFigures::heapBytes) / MIB, delta(before, after, ProcessFigures::rssBytes) / MIB,
                after.openFiles() - before.openFiles(), after.threads() - before.threads());
    }

    private static long delta(ProcessFigures before, ProcessFigures after, ToLongFunction<ProcessFigures> figure) {
        return figure.applyAsLong(after) - figure.applyAsLong(before);
    }
}
