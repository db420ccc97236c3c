#!/bin/sh
# tools/deps-debian.sh -- install what muhabir builds and tests with, from
# Debian's packages (run as root).  The libraries are found with
# pkg-config by the Makefile; jq, chromium and node/npm are only for the
# server and browser tests, which skip (exit 77) without them.
set -eu
export DEBIAN_FRONTEND=noninteractive
[ "$(id -u)" = 0 ] || { echo "deps-debian.sh: run as root (apt-get install)"; exit 1; }
apt-get update -qq || true
apt-get install -y -qq build-essential pkg-config clang libclang-rt-14-dev \
    libsqlite3-dev libstemmer-dev libutf8proc-dev libcjson-dev libgumbo-dev \
    zlib1g-dev libxxhash-dev libmicrohttpd-dev libpcre2-dev libcmocka-dev \
    sqlite3 curl time wrk >/dev/null
for pkg in jq:jq chromium:chromium npm:"nodejs npm"; do
    command -v "${pkg%%:*}" >/dev/null || apt-get install -y -qq ${pkg#*:} >/dev/null ||
        echo "deps-debian.sh: could not install ${pkg#*:} (its tests will skip)"
done
