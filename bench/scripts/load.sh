#!/usr/bin/env bash
# The open-loop load test: a front door and two agents as processes of their own, a fixed arrival rate for 60 s by
# default, latency from each request's due time. Writes bench/results/<date>/load.md.
# Arguments: [--rate r (40)] [--seconds s (60)] [--agents n (2)] [--out dir]. MVN_OFFLINE=1 builds with -o.
exec "$(dirname "$0")/bench-main.sh" io.trims.bench.load.LoadBench "$@"
