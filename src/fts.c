/*
 * fts.c -- muhabir's Turkish analyser as an FTS5 tokenizer ("muhabir"),
 * so documents and queries go through exactly one analysis (mh_tokenize).
 *
 * For every token we emit its stem, then as FTS5_TOKEN_COLOCATED
 * alternatives at the same position: the norm (Turkish lowercase surface
 * without the apostrophe suffix) and the ASCII folds of both, each only
 * when it differs from what came before.  Documents thus carry
 * "antlaşma"-stem, "antlaşması", "antlasmasi"... at one position, and a
 * query token, also expanded into its set, matches when any alternative
 * matches: "istanbul" finds "İstanbul'daki", "gorusme" finds "görüşme".
 *
 * Queries emit only the two folds (of the stem, of the norm), which
 * matches exactly the same positions as the whole set, at half the
 * posting lists to merge: at every position a document carries, with
 * each term, its fold (fold(stem) = stem fold, fold(norm) = fold, and
 * folding is idempotent), so whenever any query alternative x equals a
 * document term, fold(x) is a query fold equal to a document term; and
 * the folds are members of the set anyway.  Same positions, same hits,
 * same BM25 scores.  Prefix queries (word*) emit only the fold of the
 * norm: folding maps letter by letter, so a term starting with the norm
 * has a fold starting with its fold; the stem of a fragment means
 * nothing.
 *
 * The offsets handed to FTS5 span the whole surface including an
 * apostrophe suffix ("Lavrov'un"), so snippet() and highlight() mark the
 * word as the reader sees it.
 *
 * Source: the FTS5 extension API (fts5_api, fts5_tokenizer v1) of SQLite.
 * Limits: texts over INT_MAX bytes cannot reach a tokenizer (SQLite).
 */
#include "store.h"

#include <stdlib.h>
#include <string.h>

typedef struct tokenizer {
    mh_analyzer *an;
    mh_fts_hint *hint;
} tokenizer;

typedef struct emit_ctx {
    void *fts_ctx;
    int (*xToken)(void *, int, const char *, int, int, int);
    int query;        /* query: folds only */
    int prefix;       /* query prefix mode: no stems */
    int rc;           /* SQLite error from xToken */
} emit_ctx;

static int same(const char *a, size_t an, const char *b, size_t bn)
{
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

/* Emit one term unless it repeats one already emitted for this token. */
static int emit(emit_ctx *c, const char *seen[4], size_t seen_n[4], int *k,
                const char *s, size_t n, int start, int end)
{
    if (n == 0 || n > 32767)
        return SQLITE_OK;
    for (int i = 0; i < *k; i++)
        if (same(seen[i], seen_n[i], s, n))
            return SQLITE_OK;
    int flags = *k ? FTS5_TOKEN_COLOCATED : 0;
    seen[*k] = s;
    seen_n[*k] = n;
    (*k)++;
    return c->xToken(c->fts_ctx, flags, s, (int)n, start, end);
}

static int on_token(void *ctx, const mh_token *t)
{
    emit_ctx *c = ctx;
    const char *seen[4];
    size_t seen_n[4];
    int k = 0, rc = SQLITE_OK;
    int start = (int)t->start, end = (int)t->full_end;
    int stems = !c->prefix && t->stem && t->stem_len;

    if (end < start)
        end = (int)t->end;
    if (c->query) {
        if (stems && t->stem_fold &&
            (rc = emit(c, seen, seen_n, &k, t->stem_fold, t->stem_fold_len, start, end)))
            goto out;
        rc = emit(c, seen, seen_n, &k, t->fold, t->fold_len, start, end);
        goto out;
    }
    if (stems && (rc = emit(c, seen, seen_n, &k, t->stem, t->stem_len, start, end)))
        goto out;
    if ((rc = emit(c, seen, seen_n, &k, t->norm, t->norm_len, start, end)))
        goto out;
    if (stems && t->stem_fold &&
        (rc = emit(c, seen, seen_n, &k, t->stem_fold, t->stem_fold_len, start, end)))
        goto out;
    rc = emit(c, seen, seen_n, &k, t->fold, t->fold_len, start, end);
out:
    if (rc)
        c->rc = rc;
    return rc;
}

static int tok_create(void *pctx, const char **argv, int argc, Fts5Tokenizer **out)
{
    MH_UNUSED(argv);
    *out = NULL;
    if (argc > 0)
        return SQLITE_ERROR;    /* the tokenizer takes no options */
    tokenizer *t = mh_malloc(sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    t->hint = pctx;
    t->an = mh_analyzer_new();
    if (!t->an) {
        mh_free(t);
        return SQLITE_NOMEM;
    }
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *p)
{
    tokenizer *t = (tokenizer *)p;
    if (!t)
        return;
    mh_analyzer_free(t->an);
    mh_free(t);
}

static int tok_tokenize(Fts5Tokenizer *p, void *fts_ctx, int flags, const char *text,
                        int n, int (*xToken)(void *, int, const char *, int, int, int))
{
    tokenizer *t = (tokenizer *)p;
    emit_ctx c = {fts_ctx, xToken, 0, 0, SQLITE_OK};
    unsigned opts = 0;
    if (n <= 0 || !text)
        return SQLITE_OK;
    c.query = (flags & FTS5_TOKENIZE_QUERY) != 0;
    if ((flags & FTS5_TOKENIZE_QUERY) && (flags & FTS5_TOKENIZE_PREFIX)) {
        c.prefix = 1;
        opts |= MH_AN_NOSTEM;
    }
    /* snippet() and highlight() re-tokenize the hits' text only to map
     * token positions to byte offsets; they skip colocated terms, so the
     * stems (the costly part) are not needed, and the positions are the
     * same without them (MH_AN_NOSTEM keeps token boundaries). */
    if (flags & FTS5_TOKENIZE_AUX)
        opts |= MH_AN_NOSTEM;
    /* The body the pipeline has just analysed: replay its tokens. */
    const mh_doc *d = t->hint ? t->hint->doc : NULL;
    if ((flags & FTS5_TOKENIZE_DOCUMENT) && d && d->text_len == (size_t)n &&
        memcmp(d->text, text, (size_t)n) == 0) {
        for (size_t i = 0; i < d->n_tokens; i++)
            if (on_token(&c, &d->tokens[i]))
                return c.rc;
        return SQLITE_OK;
    }
    int r = mh_tokenize(t->an, text, (size_t)n, opts, on_token, &c);
    if (c.rc)
        return c.rc;
    if (r == MH_ENOMEM)
        return SQLITE_NOMEM;
    /* Other failures (a text over MH_MAX_TOKENS) leave the rest of the
     * text unindexed rather than failing the whole article. */
    return SQLITE_OK;
}

static fts5_api *fts5_api_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api;
}

int mh_fts_register(sqlite3 *db, mh_fts_hint *hint)
{
    static fts5_tokenizer tok = {tok_create, tok_delete, tok_tokenize};
    fts5_api *api = fts5_api_of(db);
    if (!api || api->iVersion < 2)
        return SQLITE_ERROR;
    return api->xCreateTokenizer(api, "muhabir", hint, &tok, NULL);
}

/* ------------------------------------------------------------------ */
/* Fingerprint                                                         */
/* ------------------------------------------------------------------ */

/* Made-up text touching what the analyser decides: case, dotted and
 * dotless I, apostrophe suffixes, inflections, numbers, hyphens,
 * abbreviations, glued sentences. */
static const char probe[] =
    "İstanbul'daki görüşmeler ISPARTA'DA sürdü. Irmak kıyısında ışıklar yandı; "
    "Dr. Ayşe Çelik'in açıklamasına göre 28.10.2025 tarihinde 4,5 milyon kişi "
    "antlaşmaların ve müzakerelerin sonucunu bekledi.Covid-19 sonrası "
    "T.C. Başbakanlığı'nın kararları \"kesin\" dedi. Öğrencilerimizden ÜÇ'ü geldi.";

static int fp_token(void *ctx, int flags, const char *tok, int n, int start, int end)
{
    mh_buf *b = ctx;
    mh_buf_printf(b, "%d %d %d ", flags, start, end);
    mh_buf_add(b, tok, (size_t)n);
    mh_buf_addc(b, '\n');
    return b->err ? SQLITE_NOMEM : SQLITE_OK;
}

uint64_t mh_fts_fingerprint(void)
{
    tokenizer t;
    mh_buf b;
    uint64_t h = 0;
    t.hint = NULL;
    t.an = mh_analyzer_new();
    if (!t.an)
        return 0;
    mh_buf_init(&b, 0);
    if (tok_tokenize((Fts5Tokenizer *)&t, &b, FTS5_TOKENIZE_DOCUMENT, probe,
                     (int)sizeof probe - 1, fp_token) == SQLITE_OK && !b.err) {
        /* FNV-1a: enough to notice a change, no dependency needed. */
        h = 0xcbf29ce484222325ull;
        for (size_t i = 0; i < b.len; i++) {
            h ^= (unsigned char)b.p[i];
            h *= 0x100000001b3ull;
        }
    }
    mh_buf_free(&b);
    mh_analyzer_free(t.an);
    return h;
}
