#!/usr/bin/env bash
# The restart utilities on 2 MPI ranks (MPJ Express, multicore device): the ranks share the cells and write one
# compressed restart together, then verify it against the original.
#   examples/mpirun.sh [FILE [OUT_DIR]]   (defaults: the bundled real restart, ./out/examples)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
in="${1:-$root/../shared/data/ipshock/restart.0000100.vlsv}"
out="${2:-$root/out/examples}"
mkdir -p "$out"
run="$root/mpi-driver/bin/vdfc-mpirun"
echo "== restart compress on 2 ranks"
"$run" -np 2 restart compress "$in" "$out/mpirun.vdfc.vlsv" --config "$root/configs/ipshock_restart.cfg" -q
echo "== restart verify on 2 ranks"
"$run" -np 2 restart verify "$in" "$out/mpirun.vdfc.vlsv"
echo "mpirun example: OK ($out)"
