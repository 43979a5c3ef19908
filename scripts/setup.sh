#!/usr/bin/env bash
# Installs what vdfc needs on a Debian 12 machine, only what is missing: the JDK, Maven, MPJ Express (libmpj-java),
# Open MPI and a C++ compiler (cpp-adapter), Debian's zfp (the peer codec of `vdfc bench`) and hdf5-tools (h5dump
# checks of `vdfc export`). Then fetches the Maven dependencies and builds everything without running tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
pkgs=(openjdk-17-jdk-headless maven libmpj-java openmpi-bin libopenmpi-dev g++ make cmake libzfp-dev zfp hdf5-tools)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ "${VDFC_SETUP_NO_BUILD:-}" != 1 ]; then
  echo "setup: building (mvn -B -q package -DskipTests)"
  mvn -B -q package -DskipTests
fi
