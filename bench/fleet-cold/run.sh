#!/usr/bin/env bash
# Cold whole-CLI 'fleet plan' of 1,000 tenants (the configuration 'bench/run fleet' writes): plain 'java -jar' vs. the
# launcher the build puts next to the jar (cli/target/odoo-gitops: class-data sharing, C1 for short commands), each a
# new JVM, runs alternated, median against the 1 s target. The launcher's first run, which records the archive, is
# timed on its own. Every run's output must be byte-identical to the first plain run's.
# Then, to see which commands C1 alone suits, a long command: a whole-CLI 'fleet promote' of one wave of 200 tenants
# against git daemon on loopback (each run on a fresh copy of the repository), default JIT vs. C1, runs alternated.
#   bench/run fleet-cold [RUNS [PROMOTE_RUNS]]   (default 5 and 3; PROMOTE_RUNS 0 leaves the promote part out)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-5}"
promote_runs="${2:-3}"
mvn -B -q -Pbench -DskipTests -pl bench,cli -am package
work="$(mktemp -d)"
daemon=""
trap '[ -n "$daemon" ] && kill "$daemon" 2>/dev/null; rm -rf "$work"' EXIT
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

[ "$promote_runs" -gt 0 ] || exit 0

# A GitOps repository of 200 tenants without gates or freezes, one wave: nothing but git and our code set the pace.
seed="$work/seed"
mkdir -p "$seed"
{
  echo "timeZone: Europe/Brussels"
  echo "applications:"
  echo "  odoo: { image: registry.example.com/acme/odoo }"
  echo "environments:"
  for i in $(seq -f '%03g' 0 199); do
    echo "  t$i: { path: envs/t$i, layout: kustomize, labels: { tier: shared } }"
    mkdir -p "$seed/envs/t$i"
    printf 'images:\n  - name: registry.example.com/acme/odoo\n    digest: sha256:%s\n' "$(printf '0%.0s' $(seq 64))" \
      > "$seed/envs/t$i/kustomization.yaml"
  done
  echo "fleets:"
  echo "  bench:"
  echo "    waves:"
  echo "      - { name: all, canary: true, selector: { matchLabels: { tier: shared } } }"
} > "$seed/odoo-gitops.yaml"
git -C "$seed" init -q -b main
git -C "$seed" add -A
git -C "$seed" -c user.name=bench -c user.email=bench@example.com commit -q -m "initial GitOps repository"
mkdir -p "$work/served"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
git daemon --reuseaddr --export-all --enable=receive-pack --base-path="$work/served" --listen=127.0.0.1 \
  --port="$port" "$work/served" &
daemon=$!
sleep 1
promote() {
  local name="run$1"
  shift
  git clone -q --bare "$seed" "$work/served/$name.git"
  timed promote java "$@" -jar cli/target/odoo-gitops.jar fleet promote --repo "git://127.0.0.1:$port/$name.git" \
    --cache-dir "$work/cache-$name" --fleet bench --initiator bench --reason bench \
    --image "registry.example.com/acme/odoo@sha256:$(printf 'b%.0s' $(seq 64))" 2>/dev/null
  grep -q "promoted t199" "$work/out" || { echo "fleet promote did not promote the wave" >&2; exit 1; }
}
jit=(); c1=(); jitcpu=(); c1cpu=()
for n in $(seq "$promote_runs"); do
  rm -f "$work/cpu-promote"
  jit+=("$(promote "jit$n")")
  [ -f "$work/cpu-promote" ] && jitcpu+=("$(cat "$work/cpu-promote")")
  rm -f "$work/cpu-promote"
  c1+=("$(promote "c1$n" -XX:TieredStopAtLevel=1)")
  [ -f "$work/cpu-promote" ] && c1cpu+=("$(cat "$work/cpu-promote")")
done
echo
echo "cold 'odoo-gitops fleet promote' of one wave of 200 tenants, whole CLI, git daemon on loopback, median of" \
  "$promote_runs (runs alternated):"
echo "  default JIT: $(median "${jit[@]}") ms (${jit[*]})${jitcpu:+; CPU $(median "${jitcpu[@]}") ms (${jitcpu[*]})}"
echo "  C1 only:     $(median "${c1[@]}") ms (${c1[*]})${c1cpu:+; CPU $(median "${c1cpu[@]}") ms (${c1cpu[*]})}"
echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
