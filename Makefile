# muhabir -- plain Makefile.  Targets: all test asan fuzz bench install clean
# Dependencies come from Debian packages via pkg-config (libstemmer has no
# .pc file, so it is linked by name).

PREFIX   ?= /usr/local
BUILD    ?= build
CC       ?= cc
PKGS     := sqlite3 libutf8proc libcjson gumbo zlib libxxhash libmicrohttpd libpcre2-8
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS)) -lstemmer -lm -lpthread

OPT      ?= -O2 -g
CFLAGS   ?= $(OPT)
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra \
             -Iinclude -Isrc $(PKG_CFLAGS) $(CFLAGS) $(EXTRA_CFLAGS)
LDFLAGS  ?=

LIB_SRC  := $(sort $(wildcard src/*.c))
CLI_SRC  := $(sort $(wildcard cli/*.c) $(wildcard server/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TOOL_SRC := $(sort $(wildcard tools/*.c))
BENCH_SRC:= $(sort $(wildcard bench/*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TESTS    := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOLS    := $(TOOL_SRC:tools/%.c=$(BUILD)/tools/%)
BENCHES  := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all test unit asan fuzz bench install clean tools check
all: $(BUILD)/muhabir $(BUILD)/libmuhabir.a $(TOOLS) $(BENCHES)

$(BUILD)/%.o: %.c $(wildcard include/*.h src/*.h server/*.h cli/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libmuhabir.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/muhabir: $(CLI_OBJ) $(BUILD)/libmuhabir.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libmuhabir.a $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.h $(BUILD)/libmuhabir.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $< $(BUILD)/libmuhabir.a \
	    $(shell pkg-config --libs cmocka) $(PKG_LIBS)

# Tests that compile sources of the program in (their allocation-failure
# sweeps drive the server's handlers and `analyze --json` in-process).
$(BUILD)/tests/test_server: $(wildcard server/*.c server/*.h)
$(BUILD)/tests/test_text: cli/cmd_analyze.c cli/cli.h

$(BUILD)/tools/%: tools/%.c $(BUILD)/libmuhabir.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libmuhabir.a $(PKG_LIBS)

$(BUILD)/bench/%: bench/%.c $(BUILD)/libmuhabir.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libmuhabir.a $(PKG_LIBS)

# The web page, embedded in the binary: server/web_assets.c is generated
# (and committed) from web/* by tools/embed.c; this rebuilds it when web/
# changes.
WEB_ASSETS := $(sort $(wildcard web/*.html web/*.css web/*.js))
server/web_assets.c: $(WEB_ASSETS) tools/embed.c
	@mkdir -p $(BUILD)/tools
	$(CC) -std=c11 -Wall -Wextra -O1 -o $(BUILD)/tools/embed-gen tools/embed.c
	$(BUILD)/tools/embed-gen $(WEB_ASSETS) > $@.tmp && mv $@.tmp $@

# Entities and quotes: the lexicon (data/lexicon/*.txt -> src/lexicon_data.c)
# and the entity tagger (WikiNER under $(MUHABIR_SHARED) -> data/ner.model and
# src/ner_model_data.c).  Both outputs are generated and committed; these
# targets rebuild them.  Retrain the model after changing the lexicon (its
# features include gazetteer membership).
LEXICON := $(sort $(wildcard data/lexicon/*.txt))
.PHONY: lexicon model
lexicon: tools/gen_lexicon.c $(LEXICON)
	@mkdir -p $(BUILD)/tools
	$(CC) -std=c11 -Wall -Wextra -O1 -o $(BUILD)/tools/gen_lexicon-gen tools/gen_lexicon.c
	$(BUILD)/tools/gen_lexicon-gen $(LEXICON) > src/lexicon_data.c.tmp
	mv src/lexicon_data.c.tmp src/lexicon_data.c

model: $(BUILD)/tools/train_ner
	$(BUILD)/tools/train_ner train --out data/ner.model --c-out src/ner_model_data.c

# Word clusters, features of the tagger (tools/gen_clusters.c), learned from
# unlabeled text under $(MUHABIR_SHARED): TTC-3600, the words of WikiNER
# train and the UD Turkish sentences -> src/ner_clusters_data.c (generated,
# committed: word hashes and classes, no words).  About 20 s.  Then make
# model: the model is trained on these clusters.
CLUSTER_DATA = $(or $(MUHABIR_SHARED),../shared)/data
.PHONY: clusters
clusters: $(BUILD)/tools/gen_clusters
	$(BUILD)/tools/gen_clusters --c-out src/ner_clusters_data.c.tmp $(CLUSTER_DATA)/ttc3600 \
	    $(CLUSTER_DATA)/wikiner/train.conll $(CLUSTER_DATA)/ud/UD_Turkish-BOUN \
	    $(CLUSTER_DATA)/ud/UD_Turkish-Penn
	mv src/ner_clusters_data.c.tmp src/ner_clusters_data.c

unit: $(TESTS) $(BUILD)/muhabir $(BUILD)/tools/train_ner $(BUILD)/tools/ud_eval $(BUILD)/tools/aeb_eval

# The test command: unit tests, golden fixtures, CLI end-to-end, pathological.
test: unit
	BUILD=$(BUILD) sh tests/run.sh

# The same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	    EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined" test

# libFuzzer harnesses (clang).  FUZZ_SECONDS bounds each run.
FUZZ_SECONDS ?= 20
fuzz:
	sh fuzz/run.sh $(FUZZ_SECONDS)

bench: all
	sh bench/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/muhabir $(DESTDIR)$(PREFIX)/bin/muhabir
	install -m 644 $(BUILD)/libmuhabir.a $(DESTDIR)$(PREFIX)/lib/libmuhabir.a
	install -m 644 include/muhabir.h $(DESTDIR)$(PREFIX)/include/muhabir.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|0.1.0|' -e 's|@PKGS@|$(PKGS)|' muhabir.pc.in \
	    > $(DESTDIR)$(PREFIX)/lib/pkgconfig/muhabir.pc
	install -m 644 man/muhabir.1 $(DESTDIR)$(PREFIX)/share/man/man1/muhabir.1

clean:
	rm -rf build build-asan build-fuzz

# Everything CI runs: the suite, the suite under ASan+UBSan, a short fuzz
# run of every harness; the last line sums them up (tests/check.sh).
check:
	+sh tests/check.sh
