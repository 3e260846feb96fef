#!/usr/bin/env bash
# Installs the Debian 12 packages the project builds, tests and benchmarks with.
# Idempotent and quick when everything is present: apt is only touched for missing packages.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config clang-format clang-tidy
  # lld: the linker (several times faster than bfd on the test executables)
  lld
  # libraries (see docs/architecture.md for why each one)
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libsodium-dev libspdlog-dev libfmt-dev libcli11-dev libexpected-dev
  libcurl4-openssl-dev librust-blake3-dev
  # zxcvbn's password strength estimate (crypto/password_policy)
  libzxcvbn-dev
  # build-time data: the common-password list compiled into the binary (crypto/password_policy)
  john-data cracklib-runtime
  # fuzzing: clang's libFuzzer and sanitizer runtimes (the `fuzz` preset, tests/fuzz/README.md)
  clang libclang-rt-14-dev
  # tests and benchmarks
  tzdata libgtest-dev libgmock-dev libbenchmark-dev b3sum curl jq wrk nginx-light
  # the sqlite3 shell: black-box suites read what the binary stored
  sqlite3
  # YAML for the check of the Kubernetes manifests (tests/deploy/check_deploy.py)
  python3-yaml
  # the PostgreSQL backend: libpq to build against, the server for the throwaway test cluster
  # (scripts/pg-test-cluster.sh)
  postgresql libpq-dev
  # a real SMTP sink for the mail transport tests (tests/unit/mail/smtp_transport_test.cpp), and
  # openssl for its throwaway STARTTLS certificate
  python3-aiosmtpd openssl
  # the browser test of the /telemetry pages (tests/browser): headless Chromium driven by
  # playwright-core from npm; the OpenAPI checks (tests/openapi): @redocly/cli and ajv from npm
  chromium nodejs npm
)

missing=()
for p in "${packages[@]}"; do
  # Node.js from elsewhere (NodeSource's nodejs bundles npm and conflicts with Debian's npm)
  # will do: nodejs and npm are only needed as commands.
  case "$p" in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# The npm packages of the browser test and of the OpenAPI checks, exactly as locked: installed
# when node_modules is missing or older than the lockfile. Runs after the Debian packages (npm
# comes from them).
browser_modules() {
  local root dir
  root="$(cd "$(dirname "$0")/.." && pwd)"
  for dir in "$root/tests/browser" "$root/tests/openapi"; do
    [ -f "$dir/package-lock.json" ] || continue
    if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
      echo "install-deps: npm ci in ${dir#"$root"/}" >&2
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null && touch node_modules)
    fi
  done
}

if [ ${#missing[@]} -eq 0 ]; then
  browser_modules
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
# Likewise Debian's own PostgreSQL cluster: tests start a throwaway one of their own.
if command -v systemctl >/dev/null 2>&1; then "${sudo_cmd[@]}" systemctl disable --now postgresql >/dev/null 2>&1 || true; fi
"${sudo_cmd[@]}" service postgresql stop >/dev/null 2>&1 || true
browser_modules
