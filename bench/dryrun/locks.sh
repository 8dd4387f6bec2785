#!/usr/bin/env bash
# Lock-sampler precision and cost benchmark (not part of CI).
# usage: bench/dryrun/locks.sh [ROUNDS] [INTERVAL_MS]   defaults 5 and 100
set -euo pipefail
cd "$(dirname "$0")/../.."
# compile and resolve only: nothing is installed into the local repository
mvn -B -q compile -pl core -am
mvn -B -q dependency:build-classpath -pl core -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp
exec java -cp "core/target/classes:$(cat core/target/bench.cp)" bench/dryrun/LockSampleBench.java "${1:-5}" \
  "${2:-100}"
