#!/usr/bin/env bash
# Installs the Debian 12 packages kgraph builds, tests and runs with.
# Safe to re-run: apt-get skips what is already installed. Must run as root
# (or with sudo available) on a fresh machine that has only g++, cmake, ninja.
set -euo pipefail
PKGS=(
  build-essential cmake ninja-build pkg-config ccache
  librocksdb-dev
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libre2-dev libgtest-dev libgmock-dev libbenchmark-dev
  libutf8proc-dev libgumbo-dev nlohmann-json3-dev libcli11-dev libxxhash-dev libjemalloc-dev libsimdjson-dev
  libzstd-dev
  iso-codes tzdata openssl
  wamerican libgeonames0 libglib2.0-bin python3-fake-factory
  python3 python3-grpcio python3-grpc-tools
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-deps: all packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "setup-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
