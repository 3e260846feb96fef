#!/usr/bin/env bash
# Installs the Debian 12 packages the project builds, tests and benchmarks with.
# Idempotent and quick when everything is present: apt is only touched for missing packages.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config clang-format clang-tidy
  # libraries (see docs/architecture.md for why each one)
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libsodium-dev libspdlog-dev libfmt-dev libcli11-dev libexpected-dev
  libcurl4-openssl-dev librust-blake3-dev
  # build-time data: the common-password list compiled into the binary (crypto/password_policy)
  john-data cracklib-runtime
  # tests and benchmarks
  tzdata libgtest-dev libgmock-dev libbenchmark-dev b3sum curl jq wrk nginx-light
  # the sqlite3 shell: black-box suites read what the binary stored
  sqlite3
  # a real SMTP sink for the mail transport tests (tests/unit/mail/smtp_transport_test.cpp)
  python3-aiosmtpd
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
else
  sudo_cmd=()
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# nginx is only a benchmark reference: never leave it running as a system service.
if command -v systemctl >/dev/null 2>&1; then "${sudo_cmd[@]}" systemctl disable --now nginx >/dev/null 2>&1 || true; fi
"${sudo_cmd[@]}" service nginx stop >/dev/null 2>&1 || true
