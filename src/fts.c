/*
 * fts.c -- muhabir's Turkish analyser as an FTS5 tokenizer ("muhabir"),
 * so documents and queries go through exactly one analysis (mh_tokenize).
 *
 * For every token we emit two terms at one position (the second as
 * FTS5_TOKEN_COLOCATED, and only when it differs): the ASCII fold of its
 * stem and the ASCII fold of its norm (Turkish lowercase surface without
 * the apostrophe suffix).  Documents and queries go through the same
 * expansion, and a query token matches when either alternative matches:
 * "antlaşma" finds "Antlaşması'nın" (stem fold "antlasma"), "istanbul"
 * finds "İstanbul'daki" (fold "istanbul"), "gorusme" finds "görüşme".
 *
 * Why folds only: an earlier version also indexed the unfolded stem and
 * norm.  Every position that carried one of those also carried its fold
 * (folding is idempotent), so any query alternative that matched an
 * unfolded term had a fold that matched too: the folds alone give the
 * same positions, the same hits and the same BM25 scores, at half the
 * postings to write.  The cost is that "ışık" and "isik" are one term;
 * in news text that conflation is what users want.  Prefix queries
 * (word*) emit only the fold of the norm: folding maps letter by letter,
 * so a term starting with the norm has a fold starting with its fold;
 * the stem of a fragment means nothing.
 *
 * The offsets handed to FTS5 span the whole surface including an
 * apostrophe suffix ("Lavrov'un"), so snippet() and highlight() mark the
 * word as the reader sees it.
 *
 * Source: the FTS5 extension API (fts5_api, fts5_tokenizer v1) of SQLite.
 * Limits: texts over INT_MAX bytes cannot reach a tokenizer (SQLite).
 */
#include "store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

typedef struct tokenizer {
    mh_analyzer *an;
    mh_fts_hint *hint;
} tokenizer;

typedef struct emit_ctx {
    void *fts_ctx;
    int (*xToken)(void *, int, const char *, int, int, int);
    int prefix;       /* query prefix mode: no stems */
    int query;        /* a query, not a document */
    int rc;           /* SQLite error from xToken */
} emit_ctx;

static int same(const char *a, size_t an, const char *b, size_t bn)
{
    if (an != bn)
        return 0;
    if (a == b)
        return 1;
    /* Terms are short: compared here, not by a call. */
    for (size_t i = 0; i < an; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
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

/*
 * Snowball cuts many Turkish nouns to one or two letters that are
 * another word's root: "altın" (gold) -> "al" (take), "yeni" -> "ye",
 * "dolar" -> "do", "basın" -> "ba", "oyun" -> "oy".  As a query's
 * alternative such a stem would match every form of that root ("altın"
 * found "aldı", "alındı" ahead of gold), so a query word keeps only its
 * own fold then, unless the stem is one of the short noun roots whose
 * forms really are the word's (evde/evler, işler, suyu, ayında, elde,
 * adı, içinde).  Documents keep both terms: only queries change, and an
 * index needs no rebuild.  The cost is recall on inflected forms of such
 * words ("aldı" no longer finds "alıyor").
 */
static int short_stem(const mh_token *t)
{
    static const char roots[][3] = { "ev", "is", "su", "ay", "el", "ad", "ic" };
    size_t n = t->stem_fold_len;
    if (n > 2 || n >= t->fold_len)
        return 0;
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++)
        if (n == 2 && t->stem_fold[0] == roots[i][0] && t->stem_fold[1] == roots[i][1])
            return 0;
    return 1;
}

static int on_token(void *ctx, const mh_token *t)
{
    emit_ctx *c = ctx;
    const char *seen[4];
    size_t seen_n[4];
    int k = 0, rc = SQLITE_OK;
    int start = (int)t->start, end = (int)t->full_end;
    int stems = !c->prefix && t->stem && t->stem_len;
    if (stems && c->query && t->stem_fold && short_stem(t))
        stems = 0;

    if (end < start)
        end = (int)t->end;
    /* Documents and queries alike: the two folds (see the top comment). */
    if (stems && t->stem_fold &&
        (rc = emit(c, seen, seen_n, &k, t->stem_fold, t->stem_fold_len, start, end)))
        goto out;
    rc = emit(c, seen, seen_n, &k, t->fold, t->fold_len, start, end);
out:
    if (rc)
        c->rc = rc;
    return rc;
}

/* ------------------------------------------------------------------ */
/* Terms made ahead of indexing                                         */
/* ------------------------------------------------------------------ */

/*
 * The pipeline analyses an article's texts on a worker thread and
 * indexes them only when its commit group is complete (db.c), after the
 * group's other articles were stored.  Keeping the analysed mh_docs that
 * long would cost some 40 KB per article; what indexing needs of them is
 * only the terms on_token emits.  mh_fts_terms_make writes them down in that order, each
 * as a flags byte, the term's length (2 bytes), the term, and its start
 * and end offsets (4 bytes each, little endian): about 20 bytes a term.
 * The record also keeps the length and a hash of the text it was made
 * from, so it can only ever stand in for that text.
 */
struct mh_fts_terms {
    size_t text_len;
    uint64_t text_hash;
    mh_buf b;
};

/*
 * Writing the terms down is done here directly rather than through
 * on_token and an xToken: the record of a token is at most two terms of
 * known lengths, so its room is made once and its bytes are stored
 * without a call per field (on 1,000 generated pages the generic path
 * made six buffer appends per term and cost more than tokenizing the
 * title and lead).  The terms and their order are on_token's:
 * put_token must decide exactly as on_token and emit do.
 */
#define TERM_MAX 32767          /* emit's ceiling on a term's bytes */
#define TERM_FIXED 11           /* flags, 2 length bytes, start, end */

/* Write one term at o (room made): its flag, length, bytes and offsets;
 * returns the end. */
static inline unsigned char *put_term(unsigned char *o, int colocated, const char *s, size_t n,
                                      int start, int end)
{
    o[0] = (unsigned char)colocated;
    o[1] = (unsigned char)(n & 0xFF);
    o[2] = (unsigned char)(n >> 8);
    mh_copy_small(o + 3, s, n);
    mh_le32_put(o + 3 + n, (uint32_t)start);
    mh_le32_put(o + 7 + n, (uint32_t)end);
    return o + TERM_FIXED + n;
}

/* Append the terms of one token (on_token's for a document). */
static void put_token(mh_buf *b, const mh_token *t)
{
    int start = (int)t->start, end = (int)t->full_end;
    if (end < start)
        end = (int)t->end;
    const char *a = NULL, *f = t->fold;
    size_t an = 0, fn = t->fold_len;
    if (t->stem && t->stem_len && t->stem_fold && t->stem_fold_len &&
        t->stem_fold_len <= TERM_MAX) {
        a = t->stem_fold;
        an = t->stem_fold_len;
    }
    if (fn == 0 || fn > TERM_MAX || (a && same(a, an, f, fn)))
        fn = 0;
    if (!an && !fn)
        return;
    if (!mh_buf_reserve(b, (an ? TERM_FIXED + an : 0) + (fn ? TERM_FIXED + fn : 0)))
        return;
    unsigned char *o = (unsigned char *)b->p + b->len, *o0 = o;
    if (an)
        o = put_term(o, 0, a, an, start, end);
    if (fn)
        o = put_term(o, an ? 1 : 0, f, fn, start, end);
    b->len += (size_t)(o - o0);
    b->p[b->len] = 0;
}

static mh_fts_terms *terms_new(const char *text, size_t n)
{
    mh_fts_terms *ft = mh_malloc(sizeof *ft);
    if (!ft)
        return NULL;
    ft->text_len = n;
    ft->text_hash = XXH3_64bits(text, n);
    /* Terms run to about 20 bytes per token; the buffer's ceiling is
     * the page ceiling, which no real body's terms reach. */
    mh_buf_init(&ft->b, 0);
    return ft;
}

mh_err mh_fts_terms_make(const mh_doc *d, mh_fts_terms **out)
{
    *out = NULL;
    if (!d || !d->text)
        return MH_EINVAL;
    mh_fts_terms *ft = terms_new(d->text, d->text_len);
    if (!ft)
        return MH_ENOMEM;
    /* Room for the usual terms at once (about 20 bytes a token), not by
     * doubling from a kilobyte; put_token still makes any more it needs,
     * and a failure here only leaves that to it. */
    if (d->n_tokens <= ft->b.max / 32) {
        size_t cap = d->n_tokens * 24 + 1;
        char *p = cap > 1024 ? mh_realloc(ft->b.p, cap) : NULL;
        if (p) {
            ft->b.p = p;
            ft->b.cap = cap;
        }
    }
    for (size_t i = 0; i < d->n_tokens && !ft->b.err; i++)
        put_token(&ft->b, &d->tokens[i]);
    if (ft->b.err) {
        mh_fts_terms_free(ft);
        return MH_ENOMEM;
    }
    *out = ft;
    return MH_OK;
}

static int text_token(void *ctx, const mh_token *t)
{
    mh_buf *b = ctx;
    put_token(b, t);
    return b->err ? 1 : 0;
}

mh_err mh_fts_terms_text(mh_analyzer *an, const char *s, size_t n, mh_fts_terms **out)
{
    *out = NULL;
    if (!an || !s)
        return MH_EINVAL;
    if (n > MH_MAX_PAGE_BYTES)
        return MH_ETOOBIG;
    mh_fts_terms *ft = terms_new(s, n);
    if (!ft)
        return MH_ENOMEM;
    int r = mh_tokenize(an, s, n, 0, text_token, &ft->b);
    mh_err e = ft->b.err ? MH_ENOMEM : (mh_err)r;
    if (e) {
        mh_fts_terms_free(ft);
        return e;
    }
    *out = ft;
    return MH_OK;
}

void mh_fts_terms_free(mh_fts_terms *ft)
{
    if (!ft)
        return;
    mh_buf_free(&ft->b);
    mh_free(ft);
}

/* Hand the written-down terms to FTS5, as on_token handed them first. */
static int replay_terms(const mh_fts_terms *ft, emit_ctx *c)
{
    const unsigned char *p = (const unsigned char *)ft->b.p, *e = p + ft->b.len;
    while (p < e) {
        if (e - p < 3)
            return SQLITE_CORRUPT;
        int colocated = p[0], n = p[1] | p[2] << 8;
        p += 3;
        if (e - p < n + 8)
            return SQLITE_CORRUPT;
        int rc = c->xToken(c->fts_ctx, colocated ? FTS5_TOKEN_COLOCATED : 0, (const char *)p, n,
                           (int)mh_le32_get(p + n), (int)mh_le32_get(p + n + 4));
        if (rc != SQLITE_OK)
            return rc;
        p += n + 8;
    }
    return SQLITE_OK;
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
    emit_ctx c = {fts_ctx, xToken, 0, (flags & FTS5_TOKENIZE_QUERY) != 0, SQLITE_OK};
    unsigned opts = 0;
    if (n <= 0 || !text)
        return SQLITE_OK;

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
    /* A column the pipeline analysed: replay the terms made from it. */
    if ((flags & FTS5_TOKENIZE_DOCUMENT) && t->hint) {
        uint64_t h = 0;
        for (int i = 0; i < 3; i++) {
            const mh_fts_terms *ft = t->hint->terms[i];
            if (!ft || ft->text_len != (size_t)n)
                continue;
            if (!h)
                h = XXH3_64bits(text, (size_t)n);
            if (ft->text_hash == h)
                return replay_terms(ft, &c);
        }
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

/* ------------------------------------------------------------------ */
/* mh_snippet: a snippet that tokenizes only as far as it shows          */
/* ------------------------------------------------------------------ */

/*
 * mh_snippet(fts, open, close, ellipsis, ntokens) -- a window of ntokens
 * tokens of the lead or the body, placed to hold the most distinct query
 * phrases, with the matched words between open and close (the start of
 * the lead when only the title matched).
 * Why not FTS5's snippet(): it tokenizes every column of every hit in
 * full to score fragments, which costs more than the whole ranked search
 * of a rare word.  Here the text is tokenized only up to the end of the
 * window (the tokenizer is stopped there), and matches near the start,
 * where news puts them, cost little.
 */
#define SNIP_MAX_INST 64

typedef struct snip_ctx {
    int pos;                   /* position of the next token */
    int from, to;              /* window [from, to) */
    int first_start, last_end; /* byte range of the window */
    int more;                  /* tokens exist past the window */
    const unsigned char *hl;   /* hl[pos - from]: highlight this token */
    mh_buf *out;
    const char *text;
    int copied;                /* bytes of text already copied */
    const char *open, *close;
} snip_ctx;

static int snip_token(void *ctx, int tflags, const char *tok, int n, int start, int end)
{
    snip_ctx *c = ctx;
    MH_UNUSED(tok);
    MH_UNUSED(n);
    if (tflags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK;
    int pos = c->pos++;
    if (pos < c->from)
        return SQLITE_OK;
    if (pos >= c->to) {
        c->more = 1;
        return SQLITE_DONE;    /* stop tokenizing: the window is complete */
    }
    if (c->first_start < 0) {
        c->first_start = start;
        c->copied = start;
    }
    if (c->hl[pos - c->from]) {
        mh_buf_add(c->out, c->text + c->copied, (size_t)(start - c->copied));
        mh_buf_adds(c->out, c->open);
        mh_buf_add(c->out, c->text + start, (size_t)(end - start));
        mh_buf_adds(c->out, c->close);
        c->copied = end;
    }
    c->last_end = end;
    return SQLITE_OK;
}

static void mh_snippet(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                       int argc, sqlite3_value **argv)
{
    int n_inst = 0, rc, col = -1;
    int ip[SNIP_MAX_INST], ic[SNIP_MAX_INST], io[SNIP_MAX_INST];
    unsigned char hl[128];
    mh_buf out;

    if (argc != 4) {
        sqlite3_result_error(ctx, "mh_snippet: 4 arguments expected", -1);
        return;
    }
    const char *open = (const char *)sqlite3_value_text(argv[0]);
    const char *close = (const char *)sqlite3_value_text(argv[1]);
    const char *ellipsis = (const char *)sqlite3_value_text(argv[2]);
    int ntok = sqlite3_value_int(argv[3]);
    if (!open)
        open = "";
    if (!close)
        close = "";
    if (!ellipsis)
        ellipsis = "";
    if (ntok < 1)
        ntok = 1;
    if (ntok > (int)sizeof hl)
        ntok = (int)sizeof hl;

    if ((rc = api->xInstCount(fts, &n_inst)) != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    if (n_inst > SNIP_MAX_INST)
        n_inst = SNIP_MAX_INST;
    for (int i = 0; i < n_inst; i++) {
        if ((rc = api->xInst(fts, i, &ip[i], &ic[i], &io[i])) != SQLITE_OK) {
            sqlite3_result_error_code(ctx, rc);
            return;
        }
    }
    /*
     * The window: in the lead or the body (the title is shown anyway),
     * holding the most distinct phrases, and among those the one that
     * ends earliest in its column, since tokenizing up to the window's
     * end is the cost.  When only the title matched: the lead's start.
     */
    int ncol = api->xColumnCount(fts);
    int best_from = 0, best_score = -1, best_end = 0;
    for (int i = 0; i < n_inst; i++) {
        if (ic[i] == 0 && ncol > 1)
            continue;
        int from = io[i] - ntok / 4;
        if (from < 0)
            from = 0;
        int score = 0;
        uint64_t seen = 0;
        for (int k = 0; k < n_inst; k++) {
            if (ic[k] != ic[i] || io[k] < from || io[k] >= from + ntok)
                continue;
            uint64_t bit = (uint64_t)1 << (ip[k] & 63);
            if (!(seen & bit)) {
                seen |= bit;
                score++;
            }
        }
        if (score > best_score || (score == best_score && from + ntok < best_end)) {
            best_score = score;
            best_from = from;
            best_end = from + ntok;
            col = ic[i];
        }
    }
    if (col < 0) {
        col = ncol > 1 ? 1 : 0;
        const char *t = NULL;
        int tn = 0;
        /* An article without a lead: its body. */
        if (ncol > 2 && (api->xColumnText(fts, 1, &t, &tn) != SQLITE_OK || tn == 0))
            col = 2;
        best_from = 0;
    }
    memset(hl, 0, sizeof hl);
    for (int k = 0; k < n_inst; k++) {
        if (ic[k] != col)
            continue;
        int len = api->xPhraseSize(fts, ip[k]);
        for (int t = 0; t < len; t++) {
            int p = io[k] + t - best_from;
            if (p >= 0 && p < ntok)
                hl[p] = 1;
        }
    }

    const char *text = NULL;
    int n = 0;
    if ((rc = api->xColumnText(fts, col, &text, &n)) != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    if (!text || n <= 0) {
        sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
        return;
    }
    mh_buf_init(&out, 0);
    if (best_from > 0)
        mh_buf_adds(&out, ellipsis);
    snip_ctx c = {0, best_from, best_from + ntok, -1, 0, 0, hl, &out, text, 0, open, close};
    rc = api->xTokenize(fts, text, n, &c, snip_token);
    if (rc != SQLITE_OK && rc != SQLITE_DONE) {
        mh_buf_free(&out);
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    if (c.first_start >= 0 && c.last_end > c.copied)
        mh_buf_add(&out, text + c.copied, (size_t)(c.last_end - c.copied));
    if (c.more)
        mh_buf_adds(&out, ellipsis);
    if (out.err) {
        mh_buf_free(&out);
        sqlite3_result_error_nomem(ctx);
        return;
    }
    size_t len = 0;
    char *r = mh_buf_detach(&out, &len);
    sqlite3_result_text(ctx, r ? r : "", (int)len, r ? mh_free : SQLITE_STATIC);
}

/* ------------------------------------------------------------------ */
/* mh_bm25: BM25 with document frequencies supplied by the caller        */
/* ------------------------------------------------------------------ */

/*
 * mh_bm25(fts, dfs, ntok) -- Okapi BM25 (k1 = 1.2, b = 0.75) with the
 * column weights title 10, lead 4, body 1, as FTS5's bm25(fts, 10, 4, 1),
 * returned negated like it (lower is better), except for two inputs:
 *  - dfs: a blob of doubles, the number of articles matching each phrase
 *    of the query, in FTS5's phrase order.  FTS5's bm25() counts them by
 *    walking every phrase's whole doclist at the first row, which for a
 *    common word costs more than ranking a thousand rows; the search
 *    estimates them from the newest matches instead (store_sqlite.c).
 *    Without the blob (or with too few entries) the phrase counts are
 *    taken from FTS5 as bm25() does.
 *  - ntok: the article's length in tokens (NULL: ask FTS5, one more
 *    lookup per row).
 */
#define BM25_K1 1.2
#define BM25_B 0.75

typedef struct bm25_query {
    int n_phrase;
    double avgdl;
    double *idf;               /* per phrase */
} bm25_query;

static int bm25_count_cb(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx)
{
    MH_UNUSED(api);
    MH_UNUSED(fts);
    (*(sqlite3_int64 *)ctx)++;
    return SQLITE_OK;
}

static void bm25_query_free(void *p)
{
    bm25_query *q = p;
    if (q)
        mh_free(q->idf);
    mh_free(q);
}

static int bm25_setup(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_value *dfs,
                      bm25_query **out)
{
    sqlite3_int64 n_row = 0, n_tok = 0;
    int rc;
    bm25_query *q = api->xGetAuxdata(fts, 0);
    if (q) {
        *out = q;
        return SQLITE_OK;
    }
    q = mh_malloc(sizeof *q);
    if (!q)
        return SQLITE_NOMEM;
    q->n_phrase = api->xPhraseCount(fts);
    q->idf = mh_malloc(((size_t)q->n_phrase + 1) * sizeof *q->idf);
    if (!q->idf) {
        mh_free(q);
        return SQLITE_NOMEM;
    }
    if ((rc = api->xRowCount(fts, &n_row)) != SQLITE_OK ||
        (rc = api->xColumnTotalSize(fts, -1, &n_tok)) != SQLITE_OK) {
        bm25_query_free(q);
        return rc;
    }
    q->avgdl = n_row > 0 ? (double)n_tok / (double)n_row : 1.0;
    if (q->avgdl <= 0)
        q->avgdl = 1.0;
    const double *given = NULL;
    int n_given = 0;
    if (dfs && sqlite3_value_type(dfs) == SQLITE_BLOB) {
        given = sqlite3_value_blob(dfs);
        n_given = sqlite3_value_bytes(dfs) / (int)sizeof(double);
    }
    for (int i = 0; i < q->n_phrase; i++) {
        double nhit;
        if (given && i < n_given) {
            memcpy(&nhit, (const char *)given + (size_t)i * sizeof(double), sizeof nhit);
        } else {
            sqlite3_int64 c = 0;
            if ((rc = api->xQueryPhrase(fts, i, &c, bm25_count_cb)) != SQLITE_OK) {
                bm25_query_free(q);
                return rc;
            }
            nhit = (double)c;
        }
        double idf = log(((double)n_row - nhit + 0.5) / (nhit + 0.5));
        q->idf[i] = idf > 1e-6 ? idf : 1e-6;
    }
    if ((rc = api->xSetAuxdata(fts, q, bm25_query_free)) != SQLITE_OK)
        return rc;   /* xSetAuxdata freed q */
    *out = q;
    return SQLITE_OK;
}

static void mh_bm25(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                    int argc, sqlite3_value **argv)
{
    static const double weight[] = {10.0, 4.0, 1.0};
    double freq_small[16], *freq = freq_small;
    bm25_query *q = NULL;
    int rc, n_inst = 0;

    rc = bm25_setup(api, fts, argc > 0 ? argv[0] : NULL, &q);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    if (q->n_phrase > (int)MH_ARRAY_LEN(freq_small)) {
        freq = mh_malloc((size_t)q->n_phrase * sizeof *freq);
        if (!freq) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
    }
    for (int i = 0; i < q->n_phrase; i++)
        freq[i] = 0;
    rc = api->xInstCount(fts, &n_inst);
    for (int i = 0; rc == SQLITE_OK && i < n_inst; i++) {
        int ip, ic, io;
        rc = api->xInst(fts, i, &ip, &ic, &io);
        if (rc == SQLITE_OK && ip >= 0 && ip < q->n_phrase)
            freq[ip] += ic >= 0 && ic < (int)MH_ARRAY_LEN(weight) ? weight[ic] : 1.0;
    }
    double dl = 0;
    if (rc == SQLITE_OK) {
        if (argc > 1 && sqlite3_value_type(argv[1]) == SQLITE_INTEGER) {
            dl = (double)sqlite3_value_int64(argv[1]);
        } else {
            int nt = 0;
            rc = api->xColumnSize(fts, -1, &nt);
            dl = nt;
        }
    }
    if (rc != SQLITE_OK) {
        if (freq != freq_small)
            mh_free(freq);
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    double score = 0, norm = BM25_K1 * (1 - BM25_B + BM25_B * dl / q->avgdl);
    for (int i = 0; i < q->n_phrase; i++)
        score += q->idf[i] * (freq[i] * (BM25_K1 + 1.0)) / (freq[i] + norm);
    if (freq != freq_small)
        mh_free(freq);
    sqlite3_result_double(ctx, -score);
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
    int rc = api->xCreateTokenizer(api, "muhabir", hint, &tok, NULL);
    if (rc == SQLITE_OK)
        rc = api->xCreateFunction(api, "mh_snippet", NULL, mh_snippet, NULL);
    if (rc == SQLITE_OK)
        rc = api->xCreateFunction(api, "mh_bm25", NULL, mh_bm25, NULL);
    return rc;
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
