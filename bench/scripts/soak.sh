#!/usr/bin/env bash
# The soak: 1,000 register -> infer -> delete cycles and 1,000 CPU<->disk demotion cycles against a front door and
# one agent (processes of their own); heap after a full GC, RSS, open files and threads of both at checkpoints.
# Writes bench/results/<date>/soak.md. Arguments: [--register-cycles n (1000)] [--demotion-cycles n (1000)]
# [--out dir]. MVN_OFFLINE=1 builds with -o.
exec "$(dirname "$0")/bench-main.sh" io.trims.bench.load.SoakBench "$@"
