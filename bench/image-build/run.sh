#!/usr/bin/env bash
# Benchmark: one layer per module (odoo-gitops build) against one layer for all addons (what `COPY addons/` in a
# Dockerfile does, reproduced here with --max-module-layers 1), both pushed to a real loopback registry.
# 40 modules of ~5 MB (incompressible) each: cold build and push, then a rebuild after one module changed.
# Reports seconds and bytes uploaded (blobs the registry received), and the ratios. Not part of CI.
#
# usage: bench/image-build/run.sh          (needs cli/target/odoo-gitops.jar, docker-registry, skopeo, python3)
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=cli/target/odoo-gitops.jar
[ -f "$JAR" ] || { echo "build the CLI first: mvn -B -q install -DskipTests" >&2; exit 2; }
for tool in /usr/bin/docker-registry skopeo python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install docker-registry skopeo python3)" >&2; exit 2; }
done
MODULES=${MODULES:-40}
MODULE_MB=${MODULE_MB:-5}

WORK=bench/work/image-build
rm -rf "$WORK" && mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
REG=127.0.0.1:$PORT
cat > "$WORK/registry.yml" <<YAML
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $WORK/storage}}
http: {addr: $REG, secret: bench-only}
YAML
/usr/bin/docker-registry serve "$WORK/registry.yml" > "$WORK/registry.log" 2>&1 &
REGISTRY_PID=$!
trap 'kill $REGISTRY_PID 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs "http://$REG/v2/" >/dev/null 2>&1 && break; sleep 0.2; done

# A small base image in OCI layout, pushed with skopeo (stands in for the official odoo image).
B="$WORK/base"; mkdir -p "$B/root/etc/odoo" "$B/layout/blobs/sha256"
echo "[options]" > "$B/root/etc/odoo/odoo.conf"
tar --sort=name --mtime=@1 --owner=0 --group=0 -C "$B/root" -cf "$B/layer.tar" .
DIFF_ID=$(sha256sum "$B/layer.tar" | cut -d' ' -f1)
gzip -n -c "$B/layer.tar" > "$B/layer.tar.gz"
LAYER=$(sha256sum "$B/layer.tar.gz" | cut -d' ' -f1); cp "$B/layer.tar.gz" "$B/layout/blobs/sha256/$LAYER"
printf '{"architecture":"amd64","os":"linux","config":{"User":"odoo"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
  "$DIFF_ID" > "$B/config.json"
CONFIG=$(sha256sum "$B/config.json" | cut -d' ' -f1); cp "$B/config.json" "$B/layout/blobs/sha256/$CONFIG"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%d}]}' \
  "$CONFIG" "$(stat -c %s "$B/config.json")" "$LAYER" "$(stat -c %s "$B/layer.tar.gz")" > "$B/manifest.json"
MANIFEST=$(sha256sum "$B/manifest.json" | cut -d' ' -f1); cp "$B/manifest.json" "$B/layout/blobs/sha256/$MANIFEST"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%d}]}' \
  "$MANIFEST" "$(stat -c %s "$B/manifest.json")" > "$B/layout/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' > "$B/layout/oci-layout"
skopeo copy -q --dest-tls-verify=false "oci:$B/layout" "docker://$REG/library/odoo:17.0"

# The addons: MODULES modules of MODULE_MB MB of random data each.
ADDONS="$WORK/addons"
for i in $(seq -w 1 "$MODULES"); do
  m="$ADDONS/bench_mod_$i"; mkdir -p "$m/static/data"
  printf "{'name': 'Bench %s', 'version': '17.0.1.0.0', 'depends': ['base']}\n" "$i" > "$m/__manifest__.py"
  : > "$m/__init__.py"
  head -c "${MODULE_MB}M" /dev/urandom > "$m/static/data/blob.bin"
done

uploaded_bytes() { # sum of the sizes of blobs uploaded since log line $1
  tail -n +"$1" "$WORK/registry.log" | grep -oE '"PUT /v2/[^ ]*/blobs/uploads/[^ ]*digest=sha256(%3A|:)[0-9a-f]{64}' \
    | grep -oE '[0-9a-f]{64}$' | sort -u | while read -r hex; do
      stat -c %s "$WORK/storage/docker/registry/v2/blobs/sha256/${hex:0:2}/$hex/data"; done | awk '{s+=$1} END {print s+0}'
}
build() { # name max-layers tag -> "seconds bytes"
  local start line end
  line=$(($(wc -l < "$WORK/registry.log") + 1))
  start=$(date +%s.%N)
  java -jar "$JAR" build --addons "$ADDONS" --base "$REG/library/odoo:17.0" --image "$REG/bench/$1" \
    --tag "$3" --revision 0000000000000000000000000000000000000000 --max-module-layers "$2" \
    --cache-dir "$WORK/cache-$1" --output json > "$WORK/$1-$3.json" 2> "$WORK/$1-$3.err"
  end=$(date +%s.%N)
  echo "$(echo "$end - $start" | bc) $(uploaded_bytes "$line")"
}

ORIGINAL=$(mktemp -p "$WORK")
cp "$ADDONS/bench_mod_07/static/data/blob.bin" "$ORIGINAL"
read -r L_COLD_S L_COLD_B < <(build layered 100 cold)
head -c "${MODULE_MB}M" /dev/urandom > "$ADDONS/bench_mod_07/static/data/blob.bin"
read -r L_INC_S L_INC_B < <(build layered 100 one-changed)
cp "$ORIGINAL" "$ADDONS/bench_mod_07/static/data/blob.bin"
read -r S_COLD_S S_COLD_B < <(build single 1 cold)
head -c "${MODULE_MB}M" /dev/urandom > "$ADDONS/bench_mod_07/static/data/blob.bin"
read -r S_INC_S S_INC_B < <(build single 1 one-changed)

python3 - "$L_COLD_S" "$L_COLD_B" "$L_INC_S" "$L_INC_B" "$S_COLD_S" "$S_COLD_B" "$S_INC_S" "$S_INC_B" \
  "$MODULES" "$MODULE_MB" <<'PY'
import sys
lcs, lcb, lis, lib, scs, scb, sis, sib = map(float, sys.argv[1:9]); n, mb = sys.argv[9:11]
mib = lambda b: f"{b / 2**20:8.1f} MiB"
print(f"{n} modules x {mb} MB; one module changed between the two builds of each kind")
print(f"{'':28}{'seconds':>9}{'uploaded':>14}")
print(f"{'one layer per module, cold':28}{lcs:9.1f}{mib(lcb):>14}")
print(f"{'one layer per module, +1':28}{lis:9.1f}{mib(lib):>14}")
print(f"{'single layer (COPY), cold':28}{scs:9.1f}{mib(scb):>14}")
print(f"{'single layer (COPY), +1':28}{sis:9.1f}{mib(sib):>14}")
print(f"incremental upload, per-module / single layer: {lib / sib:.3f} (bytes), {lis / sis:.2f} (seconds)")
print(f"incremental upload / changed module size: {lib / (float(mb) * 2**20):.2f}")
PY
