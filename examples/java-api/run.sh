#!/usr/bin/env bash
# Runs CompressOneCell.java against the built plugin (Java source-file mode: no separate compile step).
#   examples/java-api/run.sh [FILE [CELL_ID]]       (build first: mvn -B -q package -DskipTests)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [ ! -d "$root/plugin/target/lib" ]; then
  echo "java-api example: build first: (cd $root && mvn -B -q package -DskipTests)" >&2
  exit 2
fi
file="${1:-$root/../shared/data/ipshock/restart.0000100.vlsv}"
exec java -cp "$root/plugin/target/classes:$root/plugin/target/lib/*" "$root/examples/java-api/CompressOneCell.java" "$file" ${2:+"$2"}
