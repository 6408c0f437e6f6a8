#!/usr/bin/env bash
# CI check of the kernels and the checked-in PTX:
#  1. runs every kernel on the host through executor/src/test/cuda/cuda_emulation.h against C++ references (needs g++
#     12 or newer for C++20 <barrier>; skipped with a message where there is no g++);
#  2. regenerates the PTX into a temporary directory and fails when it differs from what is checked in (a .cu
#     edited without running build-ptx.sh);
#  3. assembles every PTX file with ptxas for sm_80 (A100) and sm_90 (H100), so a kernel that would not compile
#     for those GPUs fails the build.
# Where nvcc is not on the PATH, steps 2 and 3 cannot run: the script says so and exits 0 (the CI machines of this
# project have CUDA 13's nvcc and ptxas at /usr/local/bin; the Maven build itself never needs them).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
executor="$here/executor"
checked="$executor/src/main/resources/io/trims/gpu/cuda"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if command -v g++ >/dev/null 2>&1; then
  if ! g++ -std=c++20 -pthread -w -O1 -o "$tmp/emulate" "$executor/src/test/cuda/emulate_kernels.cpp" 2>"$tmp/gxx.log"; then
    head -40 "$tmp/gxx.log"
    echo "check-ptx: the kernels do not compile for host emulation (g++ -std=c++20)" >&2
    exit 1
  fi
  "$tmp/emulate"
else
  echo "check-ptx: no g++ here; host emulation of the kernels skipped"
fi

if ! command -v "${NVCC:-nvcc}" >/dev/null 2>&1 || ! command -v ptxas >/dev/null 2>&1; then
  echo "check-ptx: nvcc/ptxas not on the PATH; PTX not regenerated or assembled (checked-in PTX used as is)"
  exit 0
fi
"$here/scripts/build-ptx.sh" "$tmp/ptx" >/dev/null
if ! diff -r "$checked" "$tmp/ptx" >"$tmp/diff"; then
  head -40 "$tmp/diff"
  echo "check-ptx: the checked-in PTX differs from gpu-agent/executor/src/main/cuda; run gpu-agent/scripts/build-ptx.sh" >&2
  exit 1
fi
for ptx in "$checked"/*.ptx; do
  for arch in sm_80 sm_90; do
    if ! ptxas -arch="$arch" -O3 -o "$tmp/out.cubin" "$ptx"; then
      echo "check-ptx: ptxas -arch=$arch failed on $(basename "$ptx")" >&2
      exit 1
    fi
  done
done
echo "check-ptx: $(ls "$checked"/*.ptx | wc -l) PTX files match their sources and assemble for sm_80 and sm_90"
