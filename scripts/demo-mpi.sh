#!/usr/bin/env bash
# The main job on 2 MPI ranks (MPJ Express, multicore device) over the bundled real restart: the ranks agree on a codec
# (codec = auto, configs/auto_budget.cfg), each encodes its block-balanced share of the cells, and together they write
# one compressed file; then the file is read back and checked cell by cell on the ranks, decompressed by the ranks
# (each decodes only its cells) into a standard restart, and that restart is verified against the original.
# Output files go to ./out/. VDFC_DEMO_NP sets the number of ranks (default 2); VDFC_DEMO_NO_SETUP=1 skips setup.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ "${VDFC_DEMO_NO_SETUP:-}" = 1 ] || bash scripts/setup.sh
data=../shared/data/ipshock/restart.0000100.vlsv
np="${VDFC_DEMO_NP:-2}"
mpirun=(mpi-driver/bin/vdfc-mpirun -np "$np" --timeout 300)
mkdir -p out
echo "== compress on $np ranks (codec = auto among zfpb,zstd under the error budgets of configs/auto_budget.cfg)"
"${mpirun[@]}" restart compress "$data" out/restart.mpi.vdfc.vlsv --config configs/auto_budget.cfg -q
echo "== read back on $np ranks: the compressed file against the original, every cell within its bound"
"${mpirun[@]}" restart verify "$data" out/restart.mpi.vdfc.vlsv --png out/restart.mpi.errors.png
echo "== decompress on $np ranks to a standard restart"
"${mpirun[@]}" restart decompress out/restart.mpi.vdfc.vlsv out/restart.mpi.restored.vlsv -q
echo "== verify the restored restart against the original on $np ranks"
"${mpirun[@]}" restart verify "$data" out/restart.mpi.restored.vlsv
