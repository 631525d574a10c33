#!/usr/bin/env bash
# The scale benchmark: xtenant against a bare aws-sdk-rust loop making the same calls.
#
#   benches/scale.sh [PAIRS] [SIZE...]      SIZE: 1k, 10k or 100k (default: all three)
#
# For each size it generates a world (`xtenant sim generate`) and measures
#   1. `xtenant run` in-process (local staging started by the run) with every report:
#      wall time, probes/s and peak RSS (/usr/bin/time -v);
#   2. against one standalone `xtenant sim serve`, PAIRS interleaved pairs of the bare
#      baseline (examples/bare_baseline.rs) and `xtenant run --no-reports` on the same
#      world as an AWS-account target (AWS_ENDPOINT_URL): the median of the pair ratios.
# Build first, optimised as a user installs it (the first release build of the AWS SDK
# crates takes 10 minutes or more):
#   cargo build --release --bin xtenant --example bare_baseline
# XTENANT and BARE override the binaries (for example the debug ones of `cargo test
# --no-run`); TARGET_DIR the cargo target dir.
set -euo pipefail

pairs=${1:-3}
shift || true
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1k 10k 100k)
target_dir=${TARGET_DIR:-${CARGO_TARGET_DIR:-target}}
xtenant=${XTENANT:-$target_dir/release/xtenant}
bare=${BARE:-$target_dir/release/examples/bare_baseline}
for binary in "$xtenant" "$bare"; do
  [ -x "$binary" ] || { echo "error: $binary is not built (see the header of $0)" >&2; exit 4; }
done
work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# tenants users-per-tenant resources: probes = T*U * T * R * 4.
shape() {
  case "$1" in
    1k) echo "5 2 5" ;;
    10k) echo "16 2 5" ;;
    100k) echo "50 2 5" ;;
    *) echo "error: unknown size $1 (1k, 10k, 100k)" >&2; exit 4 ;;
  esac
}

# Runs a command under /usr/bin/time -v; prints "SECONDS PEAK_KB EXIT".
timed() {
  local log=$work/time.log status=0
  /usr/bin/time -v "$@" >"$work/out.log" 2>"$log" || status=$?
  local wall peak
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" |
    awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  peak=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  echo "$wall $peak $status"
}

# probe_s is the run's own "probes finished in" figure; the rest of inproc_s is starting
# local staging, cleanup and writing every report.
printf '%-6s %8s %10s %9s %10s %12s %10s %10s %8s\n' size probes inproc_s probe_s probes/s peak_rss_MB bare_s xtenant_s ratio
for size in "${sizes[@]}"; do
  read -r tenants users resources <<<"$(shape "$size")"
  dir=$work/$size
  "$xtenant" sim generate --tenants "$tenants" --users-per-tenant "$users" \
    --resources "$resources" --out "$dir" >/dev/null
  probes=$((tenants * users * tenants * resources * 4))

  read -r wall peak status <<<"$(timed "$xtenant" run "$dir/matrix.yaml" --no-audit \
    --reports-dir "$dir/reports")"
  [ "$status" -eq 0 ] || { echo "error: the in-process run of $size exited $status" >&2; tail -5 "$work/out.log" >&2; exit 1; }
  inproc=$wall
  probe_phase=$(sed -n 's/^probes finished in \([0-9.]*\)s.*/\1/p' "$work/out.log")
  peak_mb=$((peak / 1024))

  "$xtenant" sim serve --world "$dir/world.yaml" >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do grep -q '^local staging ready' "$work/serve.log" && break; sleep 0.1; done
  endpoint=$(sed -n 's/^local staging ready: endpoint=\([^ ]*\).*/\1/p' "$work/serve.log")
  [ -n "$endpoint" ] || { echo "error: local staging did not start" >&2; exit 1; }
  ratios=()
  bare_times=()
  xtenant_times=()
  for pair in $(seq "$pairs"); do
    read -r bare_wall _ bare_status <<<"$(timed "$bare" "$endpoint" "$tenants" "$users" "$resources" 16)"
    [ "$bare_status" -eq 0 ] || { echo "error: the bare baseline exited $bare_status" >&2; exit 1; }
    read -r xt_wall _ xt_status <<<"$(timed env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY \
      AWS_ENDPOINT_URL="$endpoint" AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true \
      "$xtenant" run "$dir/matrix.account.yaml" --no-reports --no-audit \
      --reports-dir "$dir/account-$pair")"
    [ "$xt_status" -eq 0 ] || { echo "error: xtenant against standalone staging exited $xt_status" >&2; tail -5 "$work/out.log" >&2; exit 1; }
    bare_times+=("$bare_wall")
    xtenant_times+=("$xt_wall")
    ratios+=("$(awk -v x="$xt_wall" -v b="$bare_wall" 'BEGIN { printf "%.3f", x / b }')")
  done
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=""
  median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
  printf '%-6s %8d %10.2f %9.2f %10.0f %12d %10.2f %10.2f %8.3f\n' "$size" "$probes" "$inproc" "${probe_phase:-0}" \
    "$(awk -v p="$probes" -v s="$inproc" 'BEGIN { print p / s }')" "$peak_mb" \
    "$(median "${bare_times[@]}")" "$(median "${xtenant_times[@]}")" "$(median "${ratios[@]}")"
done
