#!/usr/bin/env bash
# Builds examples/consumer, a separate Maven project that depends on dev.vnet:vnet-train as any user would,
# against the artifacts of this checkout: installs them into the local repository (~/.m2), then compiles and
# tests the consumer (it trains one epoch on synthetic smears and segments an image). docs/embedding.md quotes
# the consumer's code, and its test holds the page to that code.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -ntp -q install -DskipTests
mvn -B -ntp -f examples/consumer/pom.xml test
