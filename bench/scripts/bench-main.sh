#!/usr/bin/env bash
# Builds bench and the modules it needs in the reactor (no install; services/launcher/target/trims.jar too, which
# every trims process runs from), writes bench's class path to a file and runs the main class given first with it
# in CLASSPATH, so the java command line stays short (ONNX Runtime crashes a JVM whose one is over about 4 KB).
# The other arguments go to the main class. MVN_OFFLINE=1 builds with -o; SKIP_BUILD=1 runs what is built.
set -euo pipefail
cd "$(dirname "$0")/../.."
main="$1"
shift
classpath=$PWD/bench/target/cluster-classpath.txt
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -q ${MVN_OFFLINE:+-o} -pl bench -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$classpath"
  # the launcher's trims.jar names its copied target/lib/*.jar in its manifest: its classes folder keeps them off the path.
  sed -i 's|/services/launcher/target/trims\.jar|/services/launcher/target/classes|' "$classpath"
fi
label="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] && label="$label (uncommitted changes)"
CLASSPATH="$PWD/bench/target/classes:$(cat "$classpath")" exec java -Xmx1g @deploy/jvm.options "$main" \
  --label "$label" "$@"
