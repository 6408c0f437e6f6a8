#!/usr/bin/env bash
# Process stop, 100 times (or $1): runs StopProcessTest on real processes (a placement process and two agents, each
# its own JVM, an S3 server in the test JVM), stopping an agent under load and the placement process during an
# upload by turns with SIGTERM, restarting each. It fails on any answer other than 200 or 503 while an agent stops,
# on any hs_err_pid*.log crash report, on a lost registration (an agent missing from the directory after its restart,
# a registered model gone) and on an aborted upload that left an object or a spool file. Writes the figures of
# every iteration to bench/results/<date>/stop-loop.txt. MVN_OFFLINE=1 builds with -o.
set -euo pipefail
cd "$(dirname "$0")/../.."
iterations="${1:-100}"
out="bench/results/$(date -u +%Y-%m-%d)"
mkdir -p "$out"
report="$PWD/$out/stop-loop.txt"
: > "$report"
echo "stop loop: $iterations iterations, figures in $report"
mvn -B -q ${MVN_OFFLINE:+-o} -pl services/launcher -am verify -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtest=StopProcessTest -Dtrims.stop.iterations="$iterations" -Dtrims.stop.report="$report"
tail -n 1 "$report"
