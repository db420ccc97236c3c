#!/bin/sh
# tests/cli/e2e.sh -- runs the web page's end-to-end test in headless
# Chromium (tests/e2e/run.sh) as part of the suite; skips (77) where
# chromium or node is not installed.
exec sh "$(dirname "$0")/../e2e/run.sh"
