/*
 * fuzz_clean.c -- libFuzzer harness for the cleaning boundary and the
 * analyser: arbitrary bytes are cleaned (both modes), then analysed and
 * unglued.  Also checks the boundary's promise: its output is valid UTF-8.
 */
#include "muhabir.h"

#include <stdint.h>
#include <stdlib.h>

static mh_analyzer *an;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!an)
        an = mh_analyzer_new();
    for (unsigned opts = 0; opts <= MH_CLEAN_LINES; opts++) {
        char *c = NULL;
        size_t n = 0;
        if (mh_clean((const char *)data, size, opts, &c, &n) != MH_OK)
            continue;
        if (!mh_utf8_valid(c, n))
            abort();
        mh_doc *d = NULL;
        if (an && mh_analyze(an, c, n, 0, &d) == MH_OK) {
            for (size_t i = 0; i < d->n_tokens; i++)
                if (d->tokens[i].end > n || d->tokens[i].start > d->tokens[i].end)
                    abort();
            mh_doc_free(d);
        }
        char *u = NULL;
        size_t un = 0;
        if (mh_unglue(c, n, &u, &un) == MH_OK)
            mh_free(u);
        mh_free(c);
    }
    return 0;
}
