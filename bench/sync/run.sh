#!/bin/sh
# The sync benchmark: time and bytes to sync RECORDS distributions and EVIDENCE_MIB of
# evidence from a laptop instance to a server over loopback HTTP, then onto an empty
# second laptop. Usage: bench/sync/run.sh [RECORDS] [EVIDENCE_MIB] [PROFILE]
# PROFILE is `release` (default) or `dev`.
set -eu
records=${1:-100000}
evidence=${2:-1024}
profile=${3:-release}
cd "$(dirname "$0")/../.."
if [ "$profile" = release ]; then
    cargo run --release -p sijill --example bench_sync -- "$records" "$evidence"
else
    cargo run -p sijill --example bench_sync -- "$records" "$evidence"
fi
