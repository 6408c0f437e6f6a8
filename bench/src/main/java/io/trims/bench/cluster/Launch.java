package io.trims.bench.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How the benchmark starts its processes: trims roles as {@code java -jar services/launcher/target/trims.jar} (the
 * jar's manifest names its libraries), the function hosts of the per-invocation baseline on this JVM's own class
 * path passed in CLASSPATH. Both keep the command line short: ONNX Runtime crashes a JVM whose command line is
 * longer than about 4 KB.
 *
 * @param trimsJar   the launcher's jar
 * @param jvmOptions deploy/jvm.options, Hazelcast's module flags and logging settings, read as a java @argfile
 * @param flags      more JVM flags for every process started
 */
public record Launch(Path trimsJar, Path jvmOptions, List<String> flags) {

    public Launch {
        flags = List.copyOf(flags);
    }

    /**
     * Finds trims.jar: the {@code trims.jar} system property, else {@code services/launcher/target/trims.jar} under
     * the working directory or its parent (the repository root, or bench/ when run by Maven).
     */
    public static Launch locate(List<String> flags) throws IOException {
        String given = System.getProperty("trims.jar");
        List<Path> candidates = new ArrayList<>();
        if (given != null) {
            candidates.add(Path.of(given));
        }
        Path here = Path.of("").toAbsolutePath();
        candidates.add(here.resolve("services/launcher/target/trims.jar"));
        if (here.getParent() != null) {
            candidates.add(here.getParent().resolve("services/launcher/target/trims.jar"));
        }
        for (Path jar : candidates) {
            if (Files.isRegularFile(jar)) {
                Path root = jar.toAbsolutePath().normalize().getParent().getParent().getParent().getParent();
                return new Launch(jar.toAbsolutePath().normalize(), root.resolve("deploy/jvm.options"), flags);
            }
        }
        throw new IOException("trims.jar not found (tried " + candidates + "); build it first: "
                + "mvn -B -pl bench -am package -DskipTests");
    }

    /** {@code java @jvm.options -Xmx<heap> -jar trims.jar}; the role comes from TRIMS_ROLE in its environment. */
    public List<String> trims(String heap) {
        List<String> command = new ArrayList<>(List.of(java(), "@" + jvmOptions, "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError"));
        command.addAll(flags);
        command.addAll(List.of("-jar", trimsJar.toString()));
        return command;
    }

    /** {@code java -Xmx<heap> <mainClass>}, to run with {@link #benchClassPath()} in CLASSPATH. */
    public List<String> bench(String heap, Class<?> mainClass) {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError"));
        command.addAll(flags);
        command.add(mainClass.getName());
        return command;
    }

    /**
     * This JVM's class path, for CLASSPATH (a manifest-only jar under Surefire, the whole list under the script),
     * made absolute: the processes run in their own directories.
     */
    public static Map<String, String> benchClassPath() {
        String absolute = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
        return Map.of("CLASSPATH", absolute);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
