#!/usr/bin/env bash
# Cold whole-CLI 'fleet plan' of 1,000 tenants (the configuration 'bench/run fleet' writes): plain 'java -jar' vs. the
# launcher the build puts next to the jar (cli/target/odoo-gitops: class-data sharing, C1 for short commands), each a
# new JVM, runs alternated, median against the 1 s target. The launcher's first run, which records the archive, is
# timed on its own. Every run's output must be byte-identical to the first plain run's.
#   bench/run fleet-cold [RUNS]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-5}"
mvn -B -q -Pbench -DskipTests -pl bench,cli -am package
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
FLEET_BENCH_CONFIG="$work/fleet 1000.yaml" java -Xmx2g -jar bench/target/odoo-gitops-bench.jar fleet
image="registry.example.com/acme/odoo@sha256:$(printf 'a%.0s' $(seq 64))"
args=(fleet plan --config "$work/fleet 1000.yaml" --fleet saas --image "$image" --at 2027-03-03T09:00:00Z)
export XDG_CACHE_HOME="$work/cache"
unset ODOO_GITOPS_JAVA_OPTS JDK_JAVA_OPTIONS || true

# Wall time of one run in ms (its output goes to $work/out); its CPU time (user + system, all threads, JIT included)
# is appended to $work/cpu-$1, being less at the mercy of a shared machine's load.
timed() {
  local start end which="$1"
  shift
  start=$(date +%s%N)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%U %S' -o "$work/time" "$@" > "$work/out"
    awk '{ printf "%d\n", ($1 + $2) * 1000 }' "$work/time" >> "$work/cpu-$which"
  else
    "$@" > "$work/out"
  fi
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}
median() {
  printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"
}

java -jar cli/target/odoo-gitops.jar "${args[@]}" > "$work/expected"
first=$(timed first cli/target/odoo-gitops "${args[@]}")
cmp -s "$work/out" "$work/expected" || { echo "the launcher's first run printed another plan" >&2; exit 1; }
plain=(); launcher=()
for _ in $(seq "$runs"); do
  plain+=("$(timed plain java -jar cli/target/odoo-gitops.jar "${args[@]}")")
  cmp -s "$work/out" "$work/expected" || { echo "plain java -jar printed another plan" >&2; exit 1; }
  launcher+=("$(timed launcher cli/target/odoo-gitops "${args[@]}")")
  cmp -s "$work/out" "$work/expected" || { echo "the launcher printed another plan" >&2; exit 1; }
done
p=$(median "${plain[@]}"); l=$(median "${launcher[@]}")
echo
echo "cold 'odoo-gitops fleet plan' of 1,000 tenants, whole CLI, median of $runs (runs alternated, outputs identical):"
echo "  java -jar odoo-gitops.jar:                $p ms (${plain[*]})"
echo "  cli/target/odoo-gitops (CDS archive, C1): $l ms (${launcher[*]}); first run, recording the archive: $first ms"
if [ -f "$work/cpu-plain" ]; then
  echo "  CPU (user + system), median: plain $(median $(cat "$work/cpu-plain")) ms, launcher" \
    "$(median $(cat "$work/cpu-launcher")) ms, first launcher run $(cat "$work/cpu-first") ms"
fi
echo "  launcher vs. plain: $(awk "BEGIN { printf \"%.2f\", $p / $l }")x faster"
if [ "$l" -lt 1000 ]; then
  echo "  target under 1000 ms: met with the launcher"
else
  echo "  target under 1000 ms: NOT met here ($l ms)"
fi
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
