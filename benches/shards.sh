#!/usr/bin/env bash
# A plan too big for one runner, as CI runs it: N shards one after another, then one merge.
#
#   benches/shards.sh [SHARDS] [TENANTS USERS_PER_TENANT RESOURCES]
#
# The default is the issue's 1,000,000-probe plan (50 tenants × 2 users × 50 tenants × 50
# resources × 4 actions) in 10 shards of 10 users, 100,000 probes each. For every shard it
# prints wall time and peak RSS (/usr/bin/time -v) of `xtenant run --shard K/N` with every
# report, then the same for `xtenant merge`, and checks that the merged evidence holds every
# planned probe once, all held, with exit code 0 (the generated world passes).
# XTENANT overrides the binary (default: the release build, `cargo build --release`).
set -euo pipefail

shards=${1:-10}
tenants=${2:-50}
users=${3:-2}
resources=${4:-50}
target_dir=${TARGET_DIR:-${CARGO_TARGET_DIR:-target}}
xtenant=$(realpath -m "${XTENANT:-$target_dir/release/xtenant}")
[ -x "$xtenant" ] || { echo "error: $xtenant is not built (cargo build --release, or set XTENANT)" >&2; exit 4; }
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

# Runs a command under /usr/bin/time -v; prints "SECONDS PEAK_MB EXIT".
timed() {
  local log=$work/time.log status=0
  /usr/bin/time -v "$@" >"$work/out.log" 2>"$log" || status=$?
  awk -F': ' -v status="$status" '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = (n == 3) ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2] }
    /Maximum resident set size/ { peak = int($2 / 1024) }
    END { print wall, peak, status }' "$log"
}

"$xtenant" sim generate --tenants "$tenants" --users-per-tenant "$users" \
  --resources "$resources" --out "$work/world" >/dev/null
probes=$((tenants * users * tenants * resources * 4))
echo "plan: $probes probes, $((tenants * users)) users, $shards shards"
printf '%-10s %10s %12s %6s\n' step wall_s peak_rss_MB exit

files=()
for k in $(seq "$shards"); do
  read -r wall peak status <<<"$(cd "$work/world" && timed "$xtenant" run matrix.yaml --no-audit \
    --shard "$k/$shards" --reports-dir "$work/shard-$k")"
  printf '%-10s %10.2f %12d %6d\n' "shard $k" "$wall" "$peak" "$status"
  [ "$status" -eq 0 ] || { echo "error: shard $k exited $status" >&2; tail -5 "$work/out.log" >&2; exit 1; }
  files+=("$work/shard-$k/world.shard-$k-of-$shards.evidence.json")
done

read -r wall peak status <<<"$(timed "$xtenant" merge "${files[@]}" --reports-dir "$work/merged")"
printf '%-10s %10.2f %12d %6d\n' merge "$wall" "$peak" "$status"
[ "$status" -eq 0 ] || { echo "error: the merge exited $status" >&2; tail -5 "$work/out.log" >&2; exit 1; }

# The merged evidence must hold the whole plan: every probe once, every one held.
python3 - "$work/merged/world.evidence.json" "$probes" <<'EOF'
import json, sys
evidence = json.load(open(sys.argv[1]))
records = evidence["results"]["records"]
names = {record["name"] for record in records}
counts, expected = evidence["counts"], int(sys.argv[2])
print(f"merged: {len(records)} records, {len(names)} distinct, counts {counts}, exit code {evidence['exit_code']}")
assert len(records) == expected == len(names) == counts["held"], "the merged run is not the whole plan"
assert evidence["exit_code"] == 0
EOF
ls -l "$work/merged" | awk 'NR > 1 { printf "  %-24s %6.1f MB\n", $9, $5 / 1048576 }'
