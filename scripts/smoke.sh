#!/usr/bin/env bash
# Starts the built service (bundled PostgreSQL, or DATABASE_URL when set), checks /health and a
# login, then stops it with SIGTERM and expects a clean exit 0.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${SMOKE_PORT:-3917}
tmp=$(mktemp -d)
chmod 755 "$tmp" # the bundled PostgreSQL runs as the postgres user
log="$tmp/service.log"
if [[ -n "${DATABASE_URL:-}" ]]; then
  export JWT_SECRET=${JWT_SECRET:-smoke-test-secret-smoke-test-secret-0123}
  export BOOTSTRAP_CLINIC_NAME="Smoke clinic" BOOTSTRAP_ADMIN_EMAIL="smoke-admin@example.org" BOOTSTRAP_ADMIN_PASSWORD="smoke-password-123"
  email=smoke-admin@example.org; password=smoke-password-123
else
  export DATA_DIR="$tmp/data" BUNDLED_PG_PORT=$((port + 1))
  email=physician@demo.local; password=calcitrack-demo
fi
PORT=$port node dist/src/main.js >"$log" 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { cat "$log"; echo "service exited during start-up"; exit 1; }
  sleep 0.5
done
curl -fs "http://127.0.0.1:$port/health"; echo
curl -fs "http://127.0.0.1:$port/" | grep -q '<div id="root">' || { cat "$log"; echo "the web app is not served at /"; exit 1; }
echo "web app served at /"
token=$(curl -fs -X POST "http://127.0.0.1:$port/api/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).accessToken))')
[[ -n "$token" ]] || { cat "$log"; echo "login failed"; exit 1; }
if [[ -z "${DATABASE_URL:-}" ]]; then
  n=$(curl -fs "http://127.0.0.1:$port/api/v1/patients" -H "Authorization: Bearer $token" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items.length))')
  echo "demo patients: $n"
  [[ "$n" -ge 1 ]] || { echo "the demo data is missing"; exit 1; }
fi
kill -TERM $pid
status=0; wait $pid || status=$?
[[ $status -eq 0 ]] || { cat "$log"; echo "exit status $status after SIGTERM"; exit 1; }
echo "smoke test passed"
