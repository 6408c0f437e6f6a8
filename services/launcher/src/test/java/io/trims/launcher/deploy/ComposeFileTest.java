package io.trims.launcher.deploy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * compose.yaml as a user meets it without a Docker engine: every trims variable it sets is one the README's
 * Configuration table documents for that role, every file it mounts or builds from exists, every service is
 * health-checked (or is a one-shot job), every dependency waits on a condition, every image is pinned, and
 * {@code docker-compose config} accepts it. The last part needs Debian's docker-compose: skipped where it is not
 * installed, unless TRIMS_REQUIRE_COMPOSE=1 (as in CI).
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Pattern CONFIG_ROW = Pattern.compile("^\\| `(TRIMS_[A-Z0-9_]+)` \\|[^|]*\\| ([^|]+) \\|", Pattern.MULTILINE);

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("compose.yaml")));
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    /** README Configuration rows: variable → its role column. */
    private static Map<String, String> documented() throws IOException {
        Map<String, String> rows = new HashMap<>();
        Matcher row = CONFIG_ROW.matcher(Files.readString(ROOT.resolve("README.md")));
        while (row.find()) {
            rows.put(row.group(1), row.group(2).trim());
        }
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Map<String, Object> service) {
        Object env = service.get("environment");
        return env == null ? Map.of() : (Map<String, Object>) env;
    }

    @Test
    void everyTrimsVariableIsDocumentedForTheRoleThatReadsIt() throws IOException {
        Map<String, String> documented = documented();
        List<String> wrong = new ArrayList<>();
        services().forEach((name, service) -> {
            Map<String, Object> env = environment(service);
            Object role = env.get("TRIMS_ROLE");
            env.keySet().stream().filter(key -> key.startsWith("TRIMS_")).forEach(key -> {
                String roles = documented.get(key);
                if (roles == null) {
                    wrong.add(name + ": " + key + " is not in the README's Configuration table");
                } else if (role != null && !key.equals("TRIMS_ROLE") && !roles.contains("all")
                        && !roles.contains(String.valueOf(role))) {
                    wrong.add(name + ": " + key + " is documented for " + roles + ", set for role " + role);
                }
            });
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyMountedOrBuiltFileExists() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> service : services().entrySet()) {
            for (Object volume : (List<Object>) service.getValue().getOrDefault("volumes", List.of())) {
                String source = String.valueOf(volume).split(":")[0];
                if (source.startsWith("./") && !Files.exists(ROOT.resolve(source))) {
                    missing.add(service.getKey() + " mounts " + source);
                }
            }
            if (service.getValue().get("build") instanceof Map<?, ?> build) {
                Path context = ROOT.resolve(String.valueOf(build.get("context")));
                Path dockerfile = context.resolve(String.valueOf(build.get("dockerfile")));
                if (!Files.isRegularFile(dockerfile)) {
                    missing.add(service.getKey() + " builds from " + dockerfile);
                } else {
                    copiedSources(dockerfile).stream().filter(source -> !Files.exists(context.resolve(source)))
                            .forEach(source -> missing.add(dockerfile.getFileName() + " copies " + source));
                }
            }
        }
        assertTrue(missing.isEmpty(), String.join("\n", missing));
    }

    /** The sources of the Dockerfile's COPY lines that copy from the build context (not from a stage). */
    private static List<String> copiedSources(Path dockerfile) throws IOException {
        List<String> sources = new ArrayList<>();
        for (String line : Files.readAllLines(dockerfile)) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 3 && words[0].equals("COPY") && !words[1].startsWith("--from")) {
                sources.addAll(List.of(words).subList(1, words.length - 1));
            }
        }
        return sources;
    }

    @Test
    @SuppressWarnings("unchecked")
    void servicesAreHealthCheckedAndWaitedOnAndImagesArePinned() throws IOException {
        List<String> wrong = new ArrayList<>();
        services().forEach((name, service) -> {
            boolean oneShot = "no".equals(service.get("restart"));
            if (!oneShot && !service.containsKey("healthcheck")) {
                wrong.add(name + " has no healthcheck");
            }
            if (service.get("depends_on") instanceof List<?>) {
                wrong.add(name + " depends on services without a condition");
            } else if (service.get("depends_on") instanceof Map<?, ?> dependsOn) {
                dependsOn.forEach((other, how) -> {
                    if (!(how instanceof Map<?, ?> condition) || condition.get("condition") == null) {
                        wrong.add(name + " waits on " + other + " without a condition");
                    }
                });
            }
            String image = String.valueOf(service.get("image"));
            if (!image.contains(":") || image.endsWith(":latest")) {
                wrong.add(name + " has an unpinned image " + image);
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertEquals(1, services().values().stream().filter(s -> "trims:local".equals(s.get("image"))
                && s.containsKey("build")).count(), "the trims image is built by one service");
    }

    /** The keys .env.example lists, which a user fills in as .env. */
    private static List<String> envExampleKeys() throws IOException {
        return Files.readAllLines(ROOT.resolve(".env.example")).stream()
                .map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> line.substring(0, line.indexOf('='))).toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void credentialsComeFromDotEnvWithoutDefaultsAndTheMinioConsoleIsNotPublished() throws IOException {
        String compose = Files.readString(ROOT.resolve("compose.yaml"));
        List<String> keys = envExampleKeys();
        List<String> wrong = new ArrayList<>();
        Matcher variable = Pattern.compile("\\$\\{([A-Z0-9_]+)([^}]*)}").matcher(compose);
        while (variable.find()) {
            if (!variable.group(2).startsWith(":?")) {
                wrong.add("${" + variable.group(1) + "} has a default or may be empty; it must be required (:?)");
            }
            if (!keys.contains(variable.group(1))) {
                wrong.add(variable.group(1) + " is not listed in .env.example");
            }
        }
        for (String secret : List.of("TRIMS_CLUSTER", "TRIMS_CLUSTER_SECRET", "TRIMS_S3_ACCESS_KEY",
                "TRIMS_S3_SECRET_KEY", "TRIMS_METRICS_KEY", "TRIMS_ADMIN_KEY", "MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD")) {
            if (!keys.contains(secret)) {
                wrong.add(secret + " is not in .env.example");
            }
        }
        services().forEach((name, service) -> {
            for (Object port : (List<Object>) service.getOrDefault("ports", List.of())) {
                if (String.valueOf(port).endsWith(":9001")) {
                    wrong.add(name + " publishes MinIO's console: " + port);
                }
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertTrue(Files.readAllLines(ROOT.resolve(".gitignore")).contains(".env"), ".env is never committed");
    }

    /**
     * The placement's /metrics need TRIMS_METRICS_KEY: Prometheus gets the same variable, writes it at start to the
     * file its trims-placement job sends as a bearer token, on a tmpfs, and then runs Prometheus.
     */
    @Test
    @SuppressWarnings("unchecked")
    void prometheusSendsThePlacementsMetricsKey() throws IOException {
        Map<String, Object> config = new Yaml().load(Files.readString(ROOT.resolve("deploy/prometheus/prometheus.yml")));
        Map<String, Object> job = ((List<Map<String, Object>>) config.get("scrape_configs")).stream()
                .filter(scrape -> "trims-placement".equals(scrape.get("job_name"))).findFirst().orElseThrow();
        Map<String, Object> authorization = (Map<String, Object>) job.get("authorization");
        assertEquals("Bearer", authorization.get("type"));
        Path keyFile = Path.of(String.valueOf(authorization.get("credentials_file")));

        Map<String, Map<String, Object>> services = services();
        Map<String, Object> prometheus = services.get("prometheus");
        Object placementKey = environment(services.get("placement")).get("TRIMS_METRICS_KEY");
        assertTrue(String.valueOf(placementKey).startsWith("${TRIMS_METRICS_KEY:?"), "placement: " + placementKey);
        assertEquals(placementKey, environment(prometheus).get("TRIMS_METRICS_KEY"));
        assertTrue(((List<Object>) prometheus.get("tmpfs")).contains(keyFile.getParent().toString()),
                "the key file is on a tmpfs: " + prometheus.get("tmpfs"));
        String command = String.join("\n", (List<String>) prometheus.get("command"));
        assertTrue(command.contains("\"$$TRIMS_METRICS_KEY\" > " + keyFile), command);
        assertTrue(command.contains("exec /bin/prometheus --config.file=/etc/prometheus/prometheus.yml"), command);
    }

    @Test
    void dockerComposeAcceptsTheFileWithAndWithoutTheGpuProfile() throws Exception {
        boolean required = "1".equals(System.getenv("TRIMS_REQUIRE_COMPOSE"));
        boolean installed = Files.isExecutable(Path.of("/usr/bin/docker-compose"));
        Assumptions.assumeTrue(installed || required, "docker-compose is not installed (apt-get install docker-compose)");
        assertTrue(installed, "TRIMS_REQUIRE_COMPOSE=1 but /usr/bin/docker-compose is missing");
        // As a user's .env would be: every key of .env.example filled in.
        Path env = Files.createTempFile("trims-compose", ".env");
        StringBuilder filled = new StringBuilder();
        envExampleKeys().forEach(key -> filled.append(key).append("=test-").append(key.toLowerCase())
                .append("-value\n"));
        Files.writeString(env, filled);
        for (List<String> profile : List.of(List.<String>of(), List.of("--profile", "gpu"))) {
            List<String> command = new ArrayList<>(List.of("/usr/bin/docker-compose", "--env-file", env.toString(),
                    "-f", "compose.yaml"));
            command.addAll(profile);
            command.addAll(List.of("config", "-q"));
            Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "docker-compose config did not finish in 60 s");
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + output);
            assertFalse(output.contains("WARNING"), output);
        }
        Files.delete(env);
    }
}
