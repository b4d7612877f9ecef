#!/usr/bin/env bash
# Issue 3: start-to-first-output latency per sandbox kind against the bare tool (bwrap, runc run)
# in the same run. Needs bubblewrap, runc and busybox-static (see .ci/run). BENCH_OPTS="-Dbench.starts=100".
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests install
mvn -q -B -pl sandbox-supervisor dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
exec java ${BENCH_OPTS:-} -cp "sandbox-supervisor/target/test-classes:sandbox-supervisor/target/classes:$(cat sandbox-supervisor/target/test-classpath.txt)" \
  dev.griot.sandbox.SandboxStartBenchmark
