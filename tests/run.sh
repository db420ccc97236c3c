#!/bin/sh
# tests/run.sh -- the whole suite: cmocka unit binaries (build/tests/*),
# then shell tests (tests/cli/*.sh: CLI end to end, golden files,
# pathological inputs).  A shell test exits 0 (pass), 77 (skip) or other
# (fail).  The last line is the runner's own summary.
BUILD=${BUILD:-build}
export BUILD
export MUHABIR_SHARED=${MUHABIR_SHARED:-../shared}
export CMOCKA_MESSAGE_OUTPUT=stdout
pass=0; fail=0; skip=0; failed=""
for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    out=$(timeout 600 "$t" 2>&1); rc=$?
    echo "$out" | grep -E '^\[  (FAILED|ERROR|  SKIPPED)' | head -20
    p=$(echo "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
    f=$(echo "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
    s=$(echo "$out" | sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "$out" | tail -20; fi
    echo "unit $(basename "$t"): $p passed, $f failed, $s skipped"
    pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
    [ "$f" -ne 0 ] && failed="$failed $(basename "$t")"
done
for t in tests/cli/*.sh; do
    [ -f "$t" ] || continue
    log=$(mktemp)
    timeout 900 sh "$t" >"$log" 2>&1; rc=$?
    case $rc in
        0) pass=$((pass + 1)); echo "ok   $t";;
        77) skip=$((skip + 1)); echo "skip $t: $(tail -1 "$log")";;
        *) fail=$((fail + 1)); failed="$failed $t"; echo "FAIL $t (exit $rc)"; tail -30 "$log" | sed 's/^/    /';;
    esac
    rm -f "$log"
done
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
