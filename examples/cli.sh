#!/usr/bin/env bash
# The command line on a real file: inspect, compress (zfpb within minValue, moments conserved), verify, decompress,
# export cells to HDF5 and draw one cell beside its reconstruction.
#   examples/cli.sh [FILE [OUT_DIR]]      (defaults: the bundled real restart, ./out/examples)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vdfc="$root/bin/vdfc"
in="${1:-$root/../shared/data/ipshock/restart.0000100.vlsv}"
out="${2:-$root/out/examples}"
mkdir -p "$out"
echo "== inspect";    "$vdfc" inspect "$in"
echo "== compress";   "$vdfc" compress "$in" "$out/cli.vdfc.vlsv" --codec zfpb --tolerance minValue --conserve on -q
echo "== verify";     "$vdfc" verify "$in" "$out/cli.vdfc.vlsv"
echo "== decompress"; "$vdfc" decompress "$out/cli.vdfc.vlsv" "$out/cli.restored.vlsv" -q
cell="$("$vdfc" inspect "$in" --json | sed -n 's/.*"first_cell_with_blocks": \([0-9]*\).*/\1/p' | head -1)"
echo "== export cell $cell to HDF5"; "$vdfc" export "$out/cli.vdfc.vlsv" "$out/cli.h5" --cells "$cell" --original "$in" -q
echo "== plot cell $cell";           "$vdfc" plot "$in" "$out/cli.vdfc.vlsv" --cell "$cell" --out "$out/cli.png"
echo "cli example: OK ($out)"
