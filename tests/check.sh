#!/bin/sh
# tests/check.sh -- everything CI runs (make check): the suite, the suite
# again under ASan+UBSan, and a short libFuzzer run of every harness
# (each fuzz harness counts as one test).  The last line sums them up.
set -u
FUZZ_SECONDS=${FUZZ_SECONDS:-10}
total_p=0; total_f=0; total_s=0
tally() {   # tally LOGFILE: add the runner's closing "N passed, N failed, N skipped"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
    if [ -z "$line" ]; then total_f=$((total_f + 1)); return; fi
    set -- $line
    total_p=$((total_p + $1)); total_f=$((total_f + $3)); total_s=$((total_s + ${5:-0}))
}
log=$(mktemp)
echo "== suite"
# Through make, so that the tests' own make calls (bench programs) inherit
# the build's variables (MAKEFLAGS).
make -s -j2 test | tee "$log"
tally "$log"
echo "== suite under ASan+UBSan"
make -s -j2 BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
    EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" \
    LDFLAGS="-fsanitize=address,undefined" test | tee "$log"
tally "$log"
echo "== fuzz (${FUZZ_SECONDS}s each)"
sh fuzz/run.sh "$FUZZ_SECONDS" | tee "$log"
fp=$(grep -c '^fuzz: .* ok' "$log"); ff=$(grep -c '^fuzz: .* FAILED' "$log")
total_p=$((total_p + fp)); total_f=$((total_f + ff))
rm -f "$log"
echo "check: $total_p passed, $total_f failed, $total_s skipped"
[ "$total_f" -eq 0 ]
