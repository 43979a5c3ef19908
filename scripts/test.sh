#!/usr/bin/env bash
# Installs what is missing, builds and runs every test of every module (JUnit 5 via Surefire).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VDFC_SETUP_NO_BUILD=1 bash scripts/setup.sh
mvn -B verify
