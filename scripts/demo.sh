#!/usr/bin/env bash
# The main job on the bundled real data: inspect the real restart, compress it with the error-bounded zfpb codec
# (moments conserved), verify every cell against its bound, decompress to a standard restart, and check a lossless
# round trip is byte-identical. Output files go to ./out/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
data=../shared/data/ipshock/restart.0000100.vlsv
mkdir -p out
echo "== inspect"; bin/vdfc inspect "$data"
echo "== compress (zfpb, tolerance 0.5*minValue, moments conserved)"
bin/vdfc compress "$data" out/restart.vdfc.vlsv --codec zfpb --tolerance '0.5*minValue'
echo "== verify compressed vs original"; bin/vdfc verify "$data" out/restart.vdfc.vlsv
echo "== decompress to a standard restart"; bin/vdfc decompress out/restart.vdfc.vlsv out/restart.restored.vlsv
echo "== lossless round trip (zstd): byte-identical?"
bin/vdfc compress "$data" out/restart.zstd.vlsv --codec zstd -q
bin/vdfc decompress out/restart.zstd.vlsv out/restart.zstd.restored.vlsv -q
cmp "$data" out/restart.zstd.restored.vlsv && echo "byte-identical: yes"
