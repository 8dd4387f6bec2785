#!/usr/bin/env bash
# Clone-time and analysis-overhead benchmark of the dry-run (not part of CI).
# usage: bench/dryrun/run.sh [SIZE_GB]   default 2; needs pg_dump/psql on the PATH (Debian: postgresql-client)
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q install -DskipTests -pl core -am
mvn -B -q dependency:build-classpath -pl core -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp
exec java -cp "core/target/classes:$(cat core/target/bench.cp)" bench/dryrun/CloneBench.java "${1:-2}"
