#!/usr/bin/env bash
# Compiles trims' CUDA C kernels (gpu-agent/executor/src/main/cuda/*.cu) to PTX, one .ptx per .cu, into the checked-in
# resources (or into the directory given as $1). PTX for compute_80 runs on A100 (sm_80), H100 (sm_90) and newer
# through the driver's JIT; the ISA version follows the nvcc used (CUDA 13 writes PTX 9.0, which needs a CUDA 13
# driver). No --use_fast_math: erff/expf/tanhf/powf keep their accurate forms (ONNX Runtime agreement <= 1e-3).
# No -lineinfo/-G: the PTX then carries no source paths, and the output is the same on every run and machine
# with the same nvcc.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
src="$here/executor/src/main/cuda"
out="${1:-$here/executor/src/main/resources/io/trims/gpu/cuda}"
NVCC="${NVCC:-nvcc}"
mkdir -p "$out"
cd "$src"
for cu in *.cu; do
  "$NVCC" -ptx -arch=compute_80 -O3 -std=c++17 -o "$out/${cu%.cu}.ptx" "$cu"
done
echo "PTX written to $out: $(cd "$out" && ls ./*.ptx | xargs -n1 basename | tr '\n' ' ')"
