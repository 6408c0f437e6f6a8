#!/usr/bin/env bash
# Prepares .device/ (ignored by git) for gpu-agent/scripts/device-test.sh, on a machine with Maven and a JDK 17:
#   jre.tar.xz   a Java 17 runtime made with jlink (the GPU machine has no Java)
#   lib/         the jars the gpu tests and the benchmark need: trims' own (main, tests, bench), JCuda and its
#                linux-x86_64 natives, protobuf + the ONNX classes, SLF4J/Logback, ONNX Runtime with only its
#                linux-x64 natives, and the JUnit console launcher
#   data/        the real graphs of all-MiniLM-L6-v2 and bge-small-en-v1.5 with their large weights reduced to
#                mean/std (regrown from a fixed seed there), and ONNX Runtime's outputs on the regrown models at
#                batch 1, 8 and 32 (seq 128) computed here
# Then send it with the device tool: run(command="gpu-agent/scripts/device-test.sh", carry=[".device"]).
# The whole folder must stay under the 64 MiB a device call carries (with the tracked files); it prints its size.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
DEV="$ROOT/.device"
LIMIT_MIB=${TRIMS_DEVICE_LIMIT_MIB:-56}
MVN="mvn -B -q ${TRIMS_MVN_OFFLINE--o}"

exclude=$(git rev-parse --git-path info/exclude)
mkdir -p "$(dirname "$exclude")"
for ignored in .device/ .device-out/; do
  grep -qxF "$ignored" "$exclude" 2>/dev/null || echo "$ignored" >> "$exclude"
done

echo "== building the gpu-agent modules (main + tests) and bench"
# One build: the class path file is written by each module in turn and ends with bench's, which holds every jar
# the device needs (bench depends on the launcher, hence on all of trims).
CLASSPATH_FILE="$ROOT/bench/target/device-classpath.txt"
$MVN package dependency:build-classpath -pl bench -am -DskipTests -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE"
CONSOLE_VERSION=1.14.0
CONSOLE="$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone/$CONSOLE_VERSION/junit-platform-console-standalone-$CONSOLE_VERSION.jar"
if [ ! -f "$CONSOLE" ]; then
  mvn -B -q dependency:get -Dartifact="org.junit.platform:junit-platform-console-standalone:$CONSOLE_VERSION"
fi

rm -rf "$DEV"
mkdir -p "$DEV/lib" "$DEV/data" "$DEV/tmp"

# Only what the gpu tests and the benchmark load: no Vert.x, Hazelcast or object storage (the agent-level tests do
# not run there). A short class path also keeps ONNX Runtime 1.29 from crashing on a long java.class.path.
wanted='/(onnxruntime|tribuo-util-onnx|protobuf-java|slf4j-api|logback-classic|logback-core|jcuda|jcuda-natives)-[0-9]'
tr ':' '\n' < "$CLASSPATH_FILE" | grep -E "$wanted" | while read -r jar; do
  cp "$jar" "$DEV/lib/"
done
V=0.1.0-SNAPSHOT
for module in directory protocol policies gpu-agent/graph gpu-agent/runtime gpu-agent/executor gpu-agent/device-data gpu-agent/agent bench; do
  for jar in "$ROOT/$module"/target/trims-*-$V.jar "$ROOT/$module"/target/trims-*-$V-tests.jar; do
    if [ -f "$jar" ]; then cp "$jar" "$DEV/lib/"; fi
  done
done
cp "$CONSOLE" "$DEV/lib/"
ort=$(ls "$DEV"/lib/onnxruntime-*.jar)
# ONNX Runtime's jar carries every platform's natives (54 MB); the GPU machine needs linux-x64 only.
zip -q -d "$ort" 'ai/onnxruntime/native/win-x64/*' 'ai/onnxruntime/native/osx-*' 'ai/onnxruntime/native/linux-aarch64/*' \
  'ThirdPartyNotices.txt' >/dev/null || true
# JCuda's natives jar also carries the runtime-API, NVRTC and PTX-compiler bindings; trims uses the driver API only.
zip -q -d "$DEV"/lib/jcuda-natives-*.jar 'lib/libJNvPTXCompiler-*' 'lib/libJNvrtc-*' 'lib/libJCudaRuntime-*' >/dev/null || true

echo "== test data: skeletons of the real models and ONNX Runtime references"
data_cp=""
for jar in "$DEV"/lib/*.jar; do
  case "$jar" in *console-standalone*|*trims-agent*|*trims-bench*) ;; *) data_cp="${data_cp:+$data_cp:}$jar" ;; esac
done
for jar in $(tr ':' '\n' < "$CLASSPATH_FILE" | grep -E '/langchain4j-embeddings-'); do
  data_cp="$data_cp:$jar"
done
java -Xmx6g -cp "$data_cp" io.trims.devicedata.DeviceData prepare "$DEV/data" \
  minilm=classpath:all-minilm-l6-v2.onnx bge-small=classpath:bge-small-en-v1.5.onnx

echo "== Java runtime (jlink)"
jlink --add-modules java.base,java.logging,java.management,jdk.unsupported,java.naming,java.xml,java.sql,java.net.http,jdk.management,jdk.zipfs \
  --strip-debug --compress=2 --no-header-files --no-man-pages --output "$DEV/tmp/jre"
"$DEV/tmp/jre/bin/java" -version
tar -C "$DEV/tmp" -cJf "$DEV/jre.tar.xz" jre
rm -rf "$DEV/tmp"

echo "== sizes"
du -b "$DEV/jre.tar.xz" "$DEV"/lib/*.jar | sort -n | awk '{printf "%10.2f MiB  %s\n", $1/1048576, $2}'
du -sb "$DEV/data" | awk '{printf "%10.2f MiB  %s\n", $1/1048576, $2}'
total=$(du -sb "$DEV" | cut -f1)
tracked=$(git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)
printf '.device: %.2f MiB; tracked files: %.2f MiB; a device call carries both (limit 64 MiB)\n' \
  "$(echo "$total / 1048576" | bc -l)" "$(echo "$tracked / 1048576" | bc -l)"
if [ "$total" -gt $((LIMIT_MIB * 1048576)) ]; then
  echo "error: .device is over ${LIMIT_MIB} MiB" >&2
  exit 1
fi
