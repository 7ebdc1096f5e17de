#!/usr/bin/env bash
# mm compare in-process (1 thread, 2 threads) against the BullMQ queue with 1 and 2 `mm worker`
# processes (concurrency 1 each) on a throw-away redis-server. Prints wall times; run from the repo
# root after `npm run build`. Usage: bench/queue-compare.sh [DATA] [MODELS] [REPEATS]
set -euo pipefail
DATA=${1:-../shared/data/h1_dev}
MODELS=${2:-rf,hgb,logreg}
REPEATS=${3:-3}
MM="node $(pwd)/bin/run.js"
TMP=$(mktemp -d)
PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$TMP" >/dev/null 2>&1 &
REDIS=$!
WORKERS=()
cleanup() { for w in "${WORKERS[@]:-}"; do [ -n "$w" ] && kill -9 "$w" 2>/dev/null || true; done; kill -9 "$REDIS" 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
until redis-cli -p "$PORT" ping >/dev/null 2>&1; do sleep 0.1; done
URL="redis://127.0.0.1:$PORT"

wall() { # label, args...
  local label=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  $MM compare "$DATA" --models "$MODELS" --json "$@" > "$TMP/out.json"
  t1=$(date +%s.%N)
  awk -v l="$label" -v a="$t0" -v b="$t1" 'BEGIN { printf "%s\t%.1f s\n", l, b - a }'
}

start_workers() { # n
  WORKERS=()
  for _ in $(seq "$1"); do
    $MM worker --queue "$URL" --concurrency 1 --registry "$TMP/reg-q" 2>>"$TMP/workers.log" &
    WORKERS+=($!)
  done
  sleep 2
}
stop_workers() { for w in "${WORKERS[@]}"; do kill -TERM "$w"; wait "$w" 2>/dev/null || true; done; WORKERS=(); }

echo "uptime: $(uptime)"
for r in $(seq "$REPEATS"); do
  rm -rf "$TMP"/reg-*
  wall "local --threads 1" --threads 1 --registry "$TMP/reg-1"
  wall "local --threads 2" --threads 2 --registry "$TMP/reg-2"
  redis-cli -p "$PORT" flushall >/dev/null
  start_workers 1
  wall "queue, 1 worker" --queue "$URL" --registry "$TMP/reg-q"
  stop_workers
  redis-cli -p "$PORT" flushall >/dev/null
  start_workers 2
  wall "queue, 2 workers" --queue "$URL" --registry "$TMP/reg-q"
  stop_workers
done
echo "jobs per queue run: $(grep -c ' done in ' "$TMP/workers.log") over $((REPEATS * 2)) runs"
echo "uptime: $(uptime)"
