#!/usr/bin/env bash
# The main job on the bundled real data: install what is missing and build (setup.sh), inspect the real restart, then
# on 2 MPI ranks (demo-mpi.sh): agree on a codec under error budgets, compress, read back and verify every cell against
# its bound, decompress to a standard restart and verify it; finally show that a lossless codec restores the restart
# byte for byte. Output files go to ./out/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
data=../shared/data/ipshock/restart.0000100.vlsv
mkdir -p out
echo "== inspect the real restart"
bin/vdfc inspect "$data"
VDFC_DEMO_NO_SETUP=1 bash scripts/demo-mpi.sh
echo "== lossless round trip (zstd): byte-identical?"
bin/vdfc compress "$data" out/restart.zstd.vlsv --codec zstd -q
bin/vdfc decompress out/restart.zstd.vlsv out/restart.zstd.restored.vlsv -q
cmp "$data" out/restart.zstd.restored.vlsv && echo "byte-identical: yes"
