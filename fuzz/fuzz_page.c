/*
 * fuzz_page.c -- libFuzzer harness for the page parser and extractor:
 * arbitrary bytes are read as each input format, and every record that
 * comes out goes through extraction.  Nothing may crash, hang or leak.
 */
#include "muhabir.h"

#include <stddef.h>
#include <stdint.h>

static int on_record(void *ctx, const mh_record *r)
{
    (void)ctx;
    mh_article *a = NULL;
    if (mh_extract(r, NULL, &a) == MH_OK)
        mh_article_free(a);
    return 0;
}

static void on_error(void *ctx, const char *path, long index, mh_err e, const char *detail)
{
    (void)ctx; (void)path; (void)index; (void)e; (void)detail;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const mh_format fmts[] = { MH_FMT_TEXT, MH_FMT_JSONL, MH_FMT_JSON, MH_FMT_HTML };
    if (size == 0)
        return 0;
    /* The first byte picks the format so one corpus exercises all of them. */
    mh_format f = fmts[data[0] % 4];
    mh_page_read_mem("fuzz", (const char *)data + 1, size - 1, f, on_record, on_error, NULL);
    return 0;
}
