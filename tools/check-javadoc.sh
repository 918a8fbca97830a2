#!/usr/bin/env bash
# The Javadoc of the library's public API (vnet-parallel, vnet-core, vnet-ops, vnet-io, vnet-train, vnet-onnx; main code only,
# without the message classes protoc generates) with every
# doclint check on: a missing @param/@return/@throws, a broken {@link} or malformed HTML fails the build
# (maven-javadoc-plugin's configuration in the root pom: doclint all, failOnWarnings). `compile` first, so the
# modules resolve each other from the reactor without an install.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -ntp -q -pl vnet-parallel,vnet-core,vnet-ops,vnet-io,vnet-train,vnet-onnx compile javadoc:javadoc "$@"
