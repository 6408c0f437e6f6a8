#!/usr/bin/env bash
# The simulator in one command: builds bench and the modules it needs in the reactor (no install: nothing of trims
# goes into ~/.m2), writes bench's class path to a file and runs io.trims.bench.sim.Simulator with it in CLASSPATH,
# so the java command line stays short. It replays each workload through simulated hosts built from the live policy
# and tier classes and writes bench/results/<date>/simulator.md and simulator.csv.
# Arguments go to the simulator, e.g. [--workloads zipf,bursty,diurnal,azure] [--invocations 1000000]
# [--models 1000] [--hosts 20] [--capacity 0.10] [--seed 1] [--placement fastest-tier,random] [--eviction lru,gdsf]
# [--azure DIR] [--out DIR]; each also as TRIMS_SIM_<NAME> in the environment (README: Performance, Simulator).
# `simulate.sh model-less [options]` runs the model-less workload instead (simulator-model-less.md).
# MVN_OFFLINE=1 builds with -o.
set -euo pipefail
cd "$(dirname "$0")/../.."
classpath=$PWD/bench/target/sim-classpath.txt
mvn -B -q ${MVN_OFFLINE:+-o} -pl bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$classpath"
# the launcher's trims.jar names its copied target/lib/*.jar in its manifest: its classes folder keeps them off the path.
sed -i 's|/services/launcher/target/trims\.jar|/services/launcher/target/classes|' "$classpath"
label="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] && label="$label (uncommitted changes)"
# A small young generation keeps the per-request garbage (snapshots, estimates) in cache: the 1M-request speed
# check takes about a third less time than with the default one sized from -Xmx.
main=io.trims.bench.sim.Simulator
if [ "${1:-}" = model-less ]; then
  main=io.trims.bench.sim.modelless.ModelLessSimulator
  shift
fi
CLASSPATH="$PWD/bench/target/classes:$(cat "$classpath")" exec java -Xmx6g -Xmn128m -XX:+UseParallelGC \
  "$main" --label "$label" "$@"
