#!/usr/bin/env bash
# Runs the gpu tests and the GPU benchmark on a GPU machine from what prepare-device.sh put in .device/:
# unpacks the jlink'd Java, checks the class path with one GPU-free test, probes the GPU, runs every test tagged
# "gpu" with the JUnit console launcher (not those also tagged "cluster": they need Hazelcast and S3Proxy, which
# are not carried; run them with Maven on a GPU host) and then the benchmark. Reports go to $OUT (default .device-out/).
# Without a GPU it says so and stops after the class-path check ("no GPU: gpu tests skipped");
# TRIMS_DEVICE_CPU_BENCH=1 then runs the benchmark's CPU-only half.
set -uo pipefail
cd "$(dirname "$0")/../.."
DEV=.device
OUT=${OUT:-$PWD/.device-out}
mkdir -p "$OUT"
if [ ! -f "$DEV/jre.tar.xz" ]; then
  echo "no $DEV/jre.tar.xz: run gpu-agent/scripts/prepare-device.sh first (and carry .device)" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! tar -C "$work" -xJf "$DEV/jre.tar.xz" 2>/dev/null; then
  # No xz on this image: Python's tarfile reads it.
  python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$DEV/jre.tar.xz" "$work"
fi
JAVA="$work/jre/bin/java"
"$JAVA" -version 2>&1 | tee "$OUT/java-version.txt"
(nvidia-smi || echo "no nvidia-smi") > "$OUT/nvidia-smi.txt" 2>&1

cp=""
for jar in "$DEV"/lib/*.jar; do
  case "$jar" in *console-standalone*) console="$jar" ;; *) cp="${cp:+$cp:}$jar" ;; esac
done
launch() {
  "$JAVA" -Xmx8g -Dtrims.devicedata="$DEV/data" -jar "$console" execute --disable-banner --details=tree \
    --class-path "$cp" "$@"
}

echo "== class path check (no GPU needed)"
launch --select-class io.trims.devicedata.SeededWeightsTest --reports-dir "$OUT/junit-check" \
  2>&1 | tee "$OUT/check.txt"
check=${PIPESTATUS[0]}

echo "== GPU probe"
"$JAVA" -cp "$cp" io.trims.bench.Probe 2>&1 | grep -v DEBUG | tee "$OUT/probe.txt"
gpu=${PIPESTATUS[0]}

status=$check
if [ "$gpu" -eq 0 ]; then
  echo "== gpu tests"
  launch --scan-class-path "$DEV/lib/trims-gpu-executor-0.1.0-SNAPSHOT-tests.jar:$DEV/lib/trims-agent-0.1.0-SNAPSHOT-tests.jar" --include-tag gpu --exclude-tag cluster --fail-if-no-tests \
    --reports-dir "$OUT/junit-gpu" 2>&1 | tee "$OUT/gpu-tests.txt"
  tests=${PIPESTATUS[0]}
  echo "== GPU benchmark"
  "$JAVA" -Xmx8g -cp "$cp" io.trims.bench.GpuBench --data "$DEV/data" --out "$OUT/bench-report.md" 2>&1 \
    | tee "$OUT/bench.txt"
  bench=${PIPESTATUS[0]}
  [ "$tests" -ne 0 ] && status=$tests
  [ "$bench" -ne 0 ] && [ "$status" -eq 0 ] && status=$bench
else
  echo "no GPU: gpu tests skipped" | tee "$OUT/gpu-tests.txt"
  if [ "${TRIMS_DEVICE_CPU_BENCH:-0}" = "1" ]; then
    echo "== benchmark, CPU only"
    "$JAVA" -Xmx8g -cp "$cp" io.trims.bench.GpuBench --cpu-only --data "$DEV/data" --out "$OUT/bench-report-cpu.md" 2>&1 \
      | tee "$OUT/bench.txt"
    bench=${PIPESTATUS[0]}
    [ "$bench" -ne 0 ] && [ "$status" -eq 0 ] && status=$bench
  fi
fi
echo "reports in $OUT (exit $status)"
exit "$status"
