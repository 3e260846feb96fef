#!/usr/bin/env bash
# Keeps the layer rules of docs/architecture.md: Boost.Beast only in src/http/, the database
# client headers only in src/storage/, no SQL, Beast or JSON library in domain headers, and the
# telemetry catalog on core alone.
set -euo pipefail
root=${1:-$(dirname "$0")/..}
cd "$root"
status=0
violation() { echo "include rule broken: $1"; status=1; }

while IFS= read -r hit; do violation "$hit (Beast outside src/http/)"; done \
  < <(grep -rnE '#include\s*[<"]boost/beast' src tests bench 2>/dev/null | grep -v '^src/http/' || true)
while IFS= read -r hit; do violation "$hit (database header outside src/storage/)"; done \
  < <(grep -rnE '#include\s*[<"](sqlite3\.h|libpq-fe\.h)' src 2>/dev/null | grep -v '^src/storage/' || true)
while IFS= read -r hit; do violation "$hit (domain must stay free of Beast, SQL and JSON types)"; done \
  < <(grep -rnE '#include\s*[<"](boost/(beast|json|asio)|sqlite3\.h|libpq-fe\.h)' src/domain 2>/dev/null || true)
while IFS= read -r hit; do violation "$hit (core and domain must not depend on upper layers)"; done \
  < <(grep -rnE '#include\s*"(http|api|app|storage)/' src/core src/domain 2>/dev/null || true)
while IFS= read -r hit; do violation "$hit (telemetry depends on core only)"; done \
  < <(grep -rnE '#include\s*"[a-z_]+/' src/telemetry 2>/dev/null | grep -vE '#include\s*"(core|telemetry)/' || true)
while IFS= read -r hit; do violation "$hit (telemetry must stay free of Beast, SQL and JSON types)"; done \
  < <(grep -rnE '#include\s*[<"](boost/(beast|json|asio)|sqlite3\.h|libpq-fe\.h)' src/telemetry 2>/dev/null || true)

[ $status -eq 0 ] && echo "include rules hold"
exit $status
