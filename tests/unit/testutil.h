/* testutil.h -- shared helpers for the cmocka unit tests. */
#ifndef MH_TESTUTIL_H
#define MH_TESTUTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "muhabir.h"

/* Root of the shared evaluation data (../shared), or NULL when absent:
 * tests that need it call skip() then. */
static inline const char *tu_shared(void)
{
    const char *s = getenv("MUHABIR_SHARED");
    if (!s || !*s)
        s = "../shared";
    FILE *f;
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/seeds", s);
    f = fopen(probe, "r");
    if (!f)
        return NULL;
    fclose(f);
    return s;
}

/* Read a whole file; caller frees with free().  NULL if unreadable. */
/* Remove a test database and its WAL and shared-memory files. */
static inline void tu_rm_db(const char *path)
{
    char p[512];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

static inline char *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *p = malloc(cap + 1);
    size_t k;
    while (p && (k = fread(p + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            char *q = realloc(p, cap * 2 + 1);
            if (!q) { free(p); p = NULL; break; }
            p = q;
            cap *= 2;
        }
    }
    fclose(f);
    if (p) {
        p[n] = 0;
        if (len)
            *len = n;
    }
    return p;
}

#define assert_str_eq_n(s, n, lit) do { \
        const char *s_ = (s); size_t n_ = (n); const char *l_ = (lit); \
        if (n_ != strlen(l_) || memcmp(s_, l_, n_) != 0) \
            fail_msg("expected \"%s\", got \"%.*s\"", l_, (int)n_, s_ ? s_ : "(null)"); \
    } while (0)

/* Allocation-failure sweeps.  TU_SWEEP(k) runs k = 1, 2, ... with a
 * stride that grows with k (1 + k/16), so that a few hundred runs
 * reach allocations far into an operation.  Arm with tu_fail(k) before
 * the operation and call tu_unarm() after it: that returns 1 when the
 * armed allocation was never reached (the operation ran without a
 * failure, so the sweep has gone past its end). */
unsigned long mh_alloc_fail_left(void);   /* src/mem.c, internal.h */
#define TU_SWEEP(k, max) for (unsigned long k = 1; k < (max); k += 1 + k / 16)
static inline void tu_fail(unsigned long k) { mh_set_alloc_fail(k); }
static inline int tu_unarm(void)
{
    int left = mh_alloc_fail_left() != 0;
    mh_set_alloc_fail(0);
    return left;
}

/* A call that builds text from a database (a JSON answer). */
typedef mh_err (*tu_text_call)(mh_db *db, const void *arg, char **out, size_t *len);

/* The call fn(db, arg) failing each allocation in turn: each run gives
 * MH_ENOMEM and no text, or exactly want (want_len bytes), until a run
 * reaches no armed allocation.  what names the call in failures.
 * Returns how many runs failed. */
static inline int tu_sweep_text(mh_db *db, const char *what, tu_text_call fn, const void *arg,
                                const char *want, size_t want_len)
{
    int complete = 0, failed = 0;
    TU_SWEEP(k, 400000) {
        char *got = NULL;
        size_t len = 0;
        tu_fail(k);
        mh_err e = fn(db, arg, &got, &len);
        int clean = tu_unarm();
        if (e == MH_OK) {
            if (len != want_len || strcmp(got, want) != 0)
                fail_msg("%s, failing allocation %lu:\n%s\nunhindered:\n%s", what, k, got, want);
        } else {
            if (e != MH_ENOMEM)
                fail_msg("%s, failing allocation %lu: %s (%s)", what, k, mh_errstr(e),
                         mh_db_errmsg(db));
            assert_null(got);
            failed++;
        }
        mh_free(got);
        if (clean) {
            complete = 1;
            break;
        }
    }
    assert_true(complete);
    return failed;
}

#endif
