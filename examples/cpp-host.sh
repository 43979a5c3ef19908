#!/usr/bin/env bash
# The C++ host (a Vlasiator-like MPI rank driving the plugin through vdfc.h, one JVM per rank) with the in-situ
# config: every rank compresses its cells in place, checks them, writes and re-reads a compressed restart.
#   examples/cpp-host.sh [NP [OUT_DIR]]     (default 2 ranks, ./out/examples; build first: mvn -B -q -pl cpp-adapter -am package -DskipTests; needs Open MPI)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
host="$root/cpp-adapter/target/vdfc-host"
if [ ! -x "$host" ]; then
  echo "cpp-host example: $host is not built; run (cd $root && mvn -B -q -pl cpp-adapter -am package -DskipTests)" >&2
  exit 3
fi
np="${1:-2}"
out="${2:-$root/out/examples}"
mkdir -p "$out"
flags=(--oversubscribe)
if [ "$(id -u)" -eq 0 ]; then flags+=(--allow-run-as-root); fi
cd "$root"
mpirun "${flags[@]}" -np "$np" "$host" --config configs/insitu.cfg --restart "$out/cpp-host.restart.vdfcr"
echo "cpp-host example: OK"
