#!/usr/bin/env bash
# The cluster benchmark in one command: builds bench and the modules it needs in the reactor (no install: nothing
# of trims goes into ~/.m2; services/launcher/target/trims.jar is built too, every trims process runs from it),
# writes bench's class path to a file and runs io.trims.bench.cluster.ClusterBench with it in CLASSPATH, so the java
# command line stays short (ONNX Runtime crashes the JVM on one over about 4 KB).
# Writes bench/results/<date>/cluster-bench.md and its PNG plots. Arguments go to ClusterBench:
# [--smoke] [--out dir] [--rate r] [--seconds s] [--zipf s] [--seed n] [--systems spec]. MVN_OFFLINE=1 builds with -o.
set -euo pipefail
cd "$(dirname "$0")/../.."
classpath=$PWD/bench/target/cluster-classpath.txt
mvn -B -q ${MVN_OFFLINE:+-o} -pl bench -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$classpath"
# the launcher's trims.jar names its copied target/lib/*.jar in its manifest: its classes folder keeps them off the path.
sed -i 's|/services/launcher/target/trims\.jar|/services/launcher/target/classes|' "$classpath"
label="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] && label="$label (uncommitted changes)"
CLASSPATH="$PWD/bench/target/classes:$(cat "$classpath")" exec java -Xmx2g -Djava.awt.headless=true \
  @deploy/jvm.options io.trims.bench.cluster.ClusterBench --label "$label" "$@"
