package io.trims.launcher.cli;

import io.trims.launcher.EmbeddedCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code trims upload|models|infer|health} against a real embedded cluster serving the real all-MiniLM-L6-v2. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliTest {

    @TempDir
    static Path data;
    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmbeddedCluster.start(Map.of("TRIMS_DATA_DIR", data.toString(), "TRIMS_PORT", "0",
                "TRIMS_AGENTS", "1", "TRIMS_SERVICES_INSTANCES", "1"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private record Run(int status, String out) {}

    private static Run trims(String command, String... args) throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        int status = new Cli(URI.create(cluster.url()), cluster.adminKey(), new PrintStream(text, true, StandardCharsets.UTF_8))
                .run(command, List.of(args));
        return new Run(status, text.toString(StandardCharsets.UTF_8));
    }

    @Test
    @Order(1)
    void healthSaysTheClusterIsReady() throws Exception {
        Run health = trims("health");
        assertEquals(0, health.status(), health.out());
        assertEquals(1, trims("health", cluster.url() + "/v2/no-such-path").status());
    }

    @Test
    @Order(2)
    void uploadNumbersVersionsOnePastTheNewest() throws Exception {
        Path file = data.resolve("all-minilm-l6-v2.onnx");
        try (InputStream in = CliTest.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
            Files.copy(in, file);
        }
        Run first = trims("upload", file.toString(), "all-minilm-l6-v2");
        assertEquals(0, first.status(), first.out());
        assertTrue(first.out().startsWith("uploaded all-minilm-l6-v2 version 1 ("), first.out());
        Run second = trims("upload", file.toString(), "all-minilm-l6-v2");
        assertTrue(second.out().startsWith("uploaded all-minilm-l6-v2 version 2 ("), second.out());
        Run again = trims("upload", file.toString(), "all-minilm-l6-v2", "2");
        assertEquals(1, again.status(), again.out());
        assertTrue(again.out().contains("answered 409"), again.out());
    }

    @Test
    @Order(3)
    void modelsListsEveryVersionWithItsInputs() throws Exception {
        Run models = trims("models");
        assertEquals(0, models.status(), models.out());
        assertEquals(2, models.out().lines().filter(line -> line.startsWith("all-minilm-l6-v2 ")).count(), models.out());
        assertTrue(models.out().contains("input_ids INT64[-1,-1]"), models.out());
    }

    @Test
    @Order(4)
    void inferTokenizesABatchOfTextsAndSaysWhereItRan() throws Exception {
        Run infer = trims("infer", "all-minilm-l6-v2", "--version", "1",
                "--text", "hello world", "--text", "TrIMS serves models fast.");
        assertEquals(0, infer.status(), infer.out());
        assertTrue(infer.out().startsWith("all-minilm-l6-v2 version 1 on agent-1, tier remote"), infer.out());
        assertTrue(infer.out().contains("output_0 FP32[2,8,384] ["), infer.out());
        Run warm = trims("infer", "all-minilm-l6-v2", "--version", "1", "--text", "hello world");
        assertTrue(warm.out().contains("tier cpu"), warm.out());
    }

    @Test
    @Order(5)
    void mistakesAreExplained() throws Exception {
        Run unknown = trims("infer", "no-such-model", "--tokenizer", "all-minilm-l6-v2", "--text", "x");
        assertEquals(1, unknown.status());
        assertTrue(unknown.out().contains("answered 404"), unknown.out());
        Run noText = trims("infer", "all-minilm-l6-v2");
        assertEquals(2, noText.status());
        assertTrue(noText.out().contains("at least one --text"), noText.out());
        assertEquals(2, trims("upload", data.resolve("missing.onnx").toString(), "m").status());
    }
}
