#!/usr/bin/env bash
# Reproduces bench/mse/README.md: timings of sijill-mse at t = 3, 5, 8 lists and HRDAG's
# production LCMCR run on the 20-list stratum (fixed seeds). Pass `quick` to skip the
# production run.
set -euo pipefail
cd "$(dirname "$0")/../.."
lscpu | grep -E "Model name|^CPU\(s\)" || true
cargo bench -p sijill-mse --bench mse -- "$@"
