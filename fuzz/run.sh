#!/bin/sh
# fuzz/run.sh SECONDS -- build every fuzz/fuzz_*.c harness with libFuzzer
# (clang, ASan+UBSan) against a fuzz build of the library and run each for
# SECONDS seconds, seeded from the sample corpus and pathological inputs.
# Exits non-zero when a harness finds a crash.
set -eu
SECS=${1:-20}
B=build-fuzz
command -v clang >/dev/null || { echo "fuzz: clang not installed, skipped"; exit 0; }
FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -g -O1"
make -s BUILD=$B CC=clang OPT="$FLAGS" LDFLAGS="-fsanitize=address,undefined" $B/libmuhabir.a >/dev/null
LIBS="$(pkg-config --libs sqlite3 libutf8proc libcjson gumbo zlib libxxhash libmicrohttpd libpcre2-8) -lstemmer -lm -lpthread"
CF="$(pkg-config --cflags sqlite3 libutf8proc libcjson gumbo zlib libxxhash libmicrohttpd libpcre2-8)"
status=0
for h in fuzz/fuzz_*.c; do
    name=$(basename "$h" .c)
    extra=""
    # a harness may name extra sources it needs on a line "// fuzz-sources: a.c b.c"
    srcs=$(sed -n 's|^// fuzz-sources: ||p' "$h")
    clang -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude -Isrc -Iserver $CF \
        -fsanitize=fuzzer,address,undefined -g -O1 -o $B/$name "$h" $srcs $B/libmuhabir.a $LIBS
    corpus=$B/corpus_$name
    mkdir -p "$corpus"
    seeddir=$(sed -n 's|^// fuzz-seeds: ||p' "$h")
    for d in ${seeddir:-examples/corpus tests/pathological}; do
        [ -d "$d" ] && find "$d" -type f -size -200k -exec cp {} "$corpus"/ \; 2>/dev/null || true
    done
    echo "fuzz: $name for ${SECS}s"
    if ! $B/$name -max_total_time="$SECS" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=0 "$corpus" >$B/$name.log 2>&1; then
        echo "fuzz: $name FAILED"; tail -40 $B/$name.log; status=1
    else
        echo "fuzz: $name ok ($(grep -c . $B/$name.log) log lines)"
    fi
done
exit $status
