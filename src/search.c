/*
 * search.c -- the user's query language, its safe translation into FTS5
 * syntax, and mh_db_search.
 *
 * Language (what a reader types into a news search box):
 *   words                 all must match (implicit AND)
 *   "some words"          a phrase
 *   a OR b                either; OR binds tighter than the implicit AND,
 *                         so `putin lavrov OR rubio` = putin AND (lavrov OR rubio)
 *   -word  NOT word       exclusion (also -"phrase", -(group))
 *   word*                 prefix
 *   ( ... )               grouping
 *   AND                   accepted and ignored (it is the default)
 * The query is cleaned first (mh_clean), so typographic quotes work as
 * phrase quotes.  Every word and phrase is rendered as an FTS5 string
 * ("..." with inner quotes doubled), so nothing the user types is ever
 * read as FTS5 syntax; the tokenizer (fts.c) then analyses the strings
 * exactly as it analysed the documents.  Words that analyse to no token
 * (lone punctuation) are dropped before rendering, because FTS5 treats an
 * empty string oddly.  Errors (MH_EQUERY) carry a message: empty query,
 * only exclusions, unbalanced parentheses or quotes, a dangling OR, more
 * than MH_MAX_QUERY_TERMS words or MH_MAX_QUERY_BYTES bytes, nesting
 * deeper than 16.
 */
#include "store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 16

typedef enum { L_END, L_WORD, L_PHRASE, L_OR, L_AND, L_NOT, L_LP, L_RP } lkind;

typedef struct lexer {
    const char *s;
    size_t n, i;
    /* the current lexeme */
    lkind kind;
    const char *text;
    size_t len;
    int prefix;
} lexer;

typedef struct parser {
    lexer lx;
    mh_query *q;
    mh_analyzer *an;
    int terms;
    mh_err err;
} parser;

static int is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

static mh_err perr(parser *p, const char *msg)
{
    if (!p->err) {
        snprintf(p->q->err, sizeof p->q->err, "%s", msg);
        p->err = MH_EQUERY;
    }
    return p->err;
}

/* Advance to the next lexeme. */
static void lex(parser *p)
{
    lexer *l = &p->lx;
    while (l->i < l->n && is_space(l->s[l->i]))
        l->i++;
    l->text = NULL;
    l->len = 0;
    l->prefix = 0;
    if (l->i >= l->n) {
        l->kind = L_END;
        return;
    }
    char c = l->s[l->i];
    if (c == '(') {
        l->kind = L_LP;
        l->i++;
        return;
    }
    if (c == ')') {
        l->kind = L_RP;
        l->i++;
        return;
    }
    if (c == '"') {
        size_t j = l->i + 1;
        while (j < l->n && l->s[j] != '"')
            j++;
        if (j >= l->n) {
            perr(p, "unterminated quote");
            l->kind = L_END;
            return;
        }
        l->kind = L_PHRASE;
        l->text = l->s + l->i + 1;
        l->len = j - l->i - 1;
        l->i = j + 1;
        return;
    }
    /* A '-' that starts a unit and is glued to what follows excludes it. */
    if (c == '-' && l->i + 1 < l->n && !is_space(l->s[l->i + 1])) {
        while (l->i < l->n && l->s[l->i] == '-')
            l->i++;
        l->kind = l->i < l->n && !is_space(l->s[l->i]) ? L_NOT : L_WORD;
        return;
    }
    size_t j = l->i;
    while (j < l->n && !is_space(l->s[j]) && l->s[j] != '"' && l->s[j] != '(' &&
           l->s[j] != ')')
        j++;
    l->text = l->s + l->i;
    l->len = j - l->i;
    l->i = j;
    if (l->len == 2 && memcmp(l->text, "OR", 2) == 0) {
        l->kind = L_OR;
        return;
    }
    if (l->len == 3 && memcmp(l->text, "AND", 3) == 0) {
        l->kind = L_AND;
        return;
    }
    if (l->len == 3 && memcmp(l->text, "NOT", 3) == 0) {
        l->kind = L_NOT;
        return;
    }
    while (l->len && l->text[l->len - 1] == '*') {
        l->len--;
        l->prefix = 1;
    }
    l->kind = L_WORD;
}

static int count_cb(void *ctx, const mh_token *t)
{
    MH_UNUSED(t);
    (*(size_t *)ctx)++;
    return 0;
}

/* Number of tokens the analyser finds in (s, n). */
static size_t n_tokens(parser *p, const char *s, size_t n)
{
    size_t k = 0;
    if (n == 0)
        return 0;
    mh_tokenize(p->an, s, n, MH_AN_NOSTEM, count_cb, &k);
    return k;
}

static mh_qnode *node(parser *p, mh_qkind kind)
{
    mh_qnode *x = mh_arena_alloc(&p->q->arena, sizeof *x);
    if (!x) {
        p->err = MH_ENOMEM;
        return NULL;
    }
    memset(x, 0, sizeof *x);
    x->kind = kind;
    return x;
}

/* Append to a node's kid (or excl) list; lists live in the arena and
 * grow by copying, which is fine for at most MH_MAX_QUERY_TERMS items. */
static int push(parser *p, mh_qnode ***list, size_t *n, mh_qnode *x)
{
    mh_qnode **v = mh_arena_alloc(&p->q->arena, (*n + 1) * sizeof *v);
    if (!v) {
        p->err = MH_ENOMEM;
        return 0;
    }
    if (*n)
        memcpy(v, *list, *n * sizeof *v);
    v[(*n)++] = x;
    *list = v;
    return 1;
}

static mh_qnode *parse_and(parser *p, int depth);

/* A word, phrase or group; NULL (without error) when it analyses to
 * nothing. */
static mh_qnode *parse_atom(parser *p, int depth)
{
    lexer *l = &p->lx;
    mh_qnode *x = NULL;
    switch (l->kind) {
    case L_WORD:
    case L_PHRASE:
        if (++p->terms > MH_MAX_QUERY_TERMS) {
            perr(p, "too many words in the query");
            return NULL;
        }
        if (n_tokens(p, l->text, l->len) > 0) {
            x = node(p, l->kind == L_WORD ? MH_Q_TERM : MH_Q_PHRASE);
            if (!x)
                return NULL;
            x->text = mh_arena_strndup(&p->q->arena, l->text, l->len);
            if (!x->text) {
                p->err = MH_ENOMEM;
                return NULL;
            }
            x->len = l->len;
            x->prefix = l->kind == L_WORD && l->prefix;
        }
        lex(p);
        return x;
    case L_LP:
        if (depth >= MAX_DEPTH) {
            perr(p, "parentheses nested too deeply");
            return NULL;
        }
        lex(p);
        x = parse_and(p, depth + 1);
        if (p->err)
            return NULL;
        if (l->kind != L_RP) {
            perr(p, "missing closing parenthesis");
            return NULL;
        }
        lex(p);
        return x;
    case L_RP:
        perr(p, "unbalanced parenthesis");
        return NULL;
    case L_OR:
        perr(p, "OR needs a word on both sides");
        return NULL;
    default:
        perr(p, "a word is missing");
        return NULL;
    }
}

/* A unit: an atom, maybe excluded.  *neg says whether it was. */
static mh_qnode *parse_unit(parser *p, int depth, int *neg)
{
    *neg = 0;
    while (p->lx.kind == L_NOT) {
        *neg = 1;
        lex(p);
    }
    if (*neg && (p->lx.kind == L_END || p->lx.kind == L_RP || p->lx.kind == L_OR))
        return perr(p, "nothing after an exclusion"), NULL;
    return parse_atom(p, depth);
}

/* Does x consist only of exclusions (an AND without positive kids)? */
static int only_excl(const mh_qnode *x)
{
    return x && x->kind == MH_Q_AND && x->n_kids == 0 && x->n_excl > 0;
}

static mh_qnode *parse_or(parser *p, int depth, int *neg)
{
    mh_qnode *first = parse_unit(p, depth, neg);
    if (p->err || p->lx.kind != L_OR)
        return first;
    if (*neg || only_excl(first))
        return perr(p, "an excluded word cannot be part of an OR"), NULL;
    mh_qnode *or = node(p, MH_Q_OR);
    if (!or)
        return NULL;
    if (first && !push(p, &or->kids, &or->n_kids, first))
        return NULL;
    while (p->lx.kind == L_OR) {
        int n2;
        lex(p);
        if (p->lx.kind == L_END || p->lx.kind == L_RP || p->lx.kind == L_OR)
            return perr(p, "OR needs a word on both sides"), NULL;
        mh_qnode *x = parse_unit(p, depth, &n2);
        if (p->err)
            return NULL;
        if (n2 || only_excl(x))
            return perr(p, "an excluded word cannot be part of an OR"), NULL;
        if (x && !push(p, &or->kids, &or->n_kids, x))
            return NULL;
    }
    if (or->n_kids == 0)
        return NULL;
    if (or->n_kids == 1)
        return or->kids[0];
    return or;
}

static mh_qnode *parse_and(parser *p, int depth)
{
    mh_qnode *and = node(p, MH_Q_AND);
    if (!and)
        return NULL;
    while (!p->err && p->lx.kind != L_END && p->lx.kind != L_RP) {
        int neg;
        if (p->lx.kind == L_AND) {
            lex(p);
            continue;
        }
        mh_qnode *x = parse_or(p, depth, &neg);
        if (p->err)
            return NULL;
        if (!x)
            continue;
        if (neg) {
            /* "-(-a)": FTS5 has no way to say what excluding nothing
             * but exclusions would mean, and neither do we. */
            if (only_excl(x))
                return perr(p, "a group that only excludes cannot be excluded"), NULL;
            if (!push(p, &and->excl, &and->n_excl, x))
                return NULL;
        } else if (x->kind == MH_Q_AND) {
            /* A group inside an AND merges into it: "a (b -c)" = a b -c. */
            for (size_t i = 0; i < x->n_kids; i++)
                if (!push(p, &and->kids, &and->n_kids, x->kids[i]))
                    return NULL;
            for (size_t i = 0; i < x->n_excl; i++)
                if (!push(p, &and->excl, &and->n_excl, x->excl[i]))
                    return NULL;
        } else if (!push(p, &and->kids, &and->n_kids, x)) {
            return NULL;
        }
    }
    if (p->err)
        return NULL;
    if (and->n_kids == 0 && and->n_excl == 0)
        return NULL;
    if (and->n_kids == 1 && and->n_excl == 0)
        return and->kids[0];
    return and;
}

mh_err mh_query_parse(mh_analyzer *an, const char *q, size_t n, mh_query **out)
{
    parser p;
    char *clean = NULL;
    size_t clen = 0;
    mh_query *query = mh_malloc(sizeof *query);
    *out = NULL;
    if (!query)
        return MH_ENOMEM;
    memset(query, 0, sizeof *query);
    mh_arena_init(&query->arena, 4096);
    *out = query;
    memset(&p, 0, sizeof p);
    p.q = query;
    p.an = an;
    if (!q || !an)
        return perr(&p, "no query");
    if (n > MH_MAX_QUERY_BYTES)
        return perr(&p, "query too long");
    mh_err e = mh_clean(q, n, 0, &clean, &clen);
    if (e) {
        if (e == MH_ENOMEM)
            return MH_ENOMEM;
        return perr(&p, "query is not text");
    }
    /* The cleaned text must outlive parsing: nodes copy what they keep. */
    p.lx.s = clean;
    p.lx.n = clen;
    lex(&p);
    mh_qnode *root = p.err ? NULL : parse_and(&p, 0);
    if (!p.err && p.lx.kind == L_RP)
        perr(&p, "unbalanced parenthesis");
    if (!p.err && !root)
        perr(&p, "empty query: no word to search for");
    if (!p.err && only_excl(root))
        perr(&p, "the query only excludes; add a word to search for");
    mh_free(clean);
    if (p.err)
        return p.err;
    query->root = root;
    return MH_OK;
}

void mh_query_free(mh_query *q)
{
    if (!q)
        return;
    mh_arena_free(&q->arena);
    mh_free(q);
}

/* An FTS5 string: the text in double quotes, inner quotes doubled. */
static void render_string(mh_buf *b, const char *s, size_t n)
{
    mh_buf_addc(b, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            mh_buf_addc(b, '"');
        mh_buf_addc(b, s[i]);
    }
    mh_buf_addc(b, '"');
}

static void render(const mh_qnode *x, mh_buf *b)
{
    switch (x->kind) {
    case MH_Q_TERM:
        render_string(b, x->text, x->len);
        if (x->prefix)
            mh_buf_adds(b, " *");
        break;
    case MH_Q_PHRASE:
        render_string(b, x->text, x->len);
        break;
    case MH_Q_OR:
        mh_buf_addc(b, '(');
        for (size_t i = 0; i < x->n_kids; i++) {
            if (i)
                mh_buf_adds(b, " OR ");
            render(x->kids[i], b);
        }
        mh_buf_addc(b, ')');
        break;
    case MH_Q_AND:
        mh_buf_addc(b, '(');
        for (size_t i = 0; i < x->n_kids; i++) {
            if (i)
                mh_buf_adds(b, " AND ");
            render(x->kids[i], b);
        }
        mh_buf_addc(b, ')');
        if (x->n_excl) {
            mh_buf_adds(b, " NOT (");
            for (size_t i = 0; i < x->n_excl; i++) {
                if (i)
                    mh_buf_adds(b, " OR ");
                render(x->excl[i], b);
            }
            mh_buf_addc(b, ')');
        }
        break;
    }
}

/* Leaves in the order render() writes them, which is FTS5's phrase
 * order. */
static void each_leaf(const mh_qnode *x, int excluded, mh_phrase_cb cb, void *ctx)
{
    switch (x->kind) {
    case MH_Q_TERM:
    case MH_Q_PHRASE: {
        mh_buf b;
        mh_buf_init(&b, 0);
        render(x, &b);
        cb(ctx, b.err ? NULL : mh_buf_cstr(&b), excluded);
        mh_buf_free(&b);
        break;
    }
    case MH_Q_OR:
    case MH_Q_AND:
        for (size_t i = 0; i < x->n_kids; i++)
            each_leaf(x->kids[i], excluded, cb, ctx);
        for (size_t i = 0; i < x->n_excl; i++)
            each_leaf(x->excl[i], 1, cb, ctx);
        break;
    }
}

void mh_query_each_phrase(const mh_query *q, mh_phrase_cb cb, void *ctx)
{
    if (q && q->root)
        each_leaf(q->root, 0, cb, ctx);
}

void mh_query_fts5(const mh_query *q, mh_buf *b)
{
    if (!q || !q->root) {
        if (!b->err)
            b->err = MH_EINVAL;
        return;
    }
    /* An AND with exclusions renders as "(...) NOT (...)"; wrap it so the
     * whole is one expression. */
    mh_buf_addc(b, '(');
    render(q->root, b);
    mh_buf_addc(b, ')');
}

/* ------------------------------------------------------------------ */
/* Dates                                                               */
/* ------------------------------------------------------------------ */

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* "YYYY-MM-DD" for 0 <= y <= 9999, 1 <= m <= 12, 1 <= d <= 31. */
static void put_date(char out[11], int y, int m, int d)
{
    int v[3] = {y, m, d}, w[3] = {4, 2, 2};
    char *p = out;
    for (int k = 0; k < 3; k++) {
        if (k)
            *p++ = '-';
        for (int i = w[k] - 1; i >= 0; i--) {
            p[i] = (char)('0' + v[k] % 10);
            v[k] /= 10;
        }
        p += w[k];
    }
    *p = 0;
}

static int days_in(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

mh_err mh_search_date_bound(const char *s, int end, char out[11])
{
    size_t n = s ? strlen(s) : 0;
    int y, m = end ? 12 : 1, d = 1;
    out[0] = 0;
    if (n == 4 && digits(s, 4)) {
        y = num(s, 4);
    } else if (n == 7 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2)) {
        y = num(s, 4);
        m = num(s + 5, 2);
    } else if (n == 10 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2) && s[7] == '-' &&
               digits(s + 8, 2)) {
        y = num(s, 4);
        m = num(s + 5, 2);
        d = num(s + 8, 2);
        if (m < 1 || m > 12 || d < 1 || d > days_in(y, m))
            return MH_ERANGE;
        put_date(out, y, m, d);
        return MH_OK;
    } else {
        /* Other spellings (28.10.2025, 28 Ekim 2025) as the extractor
         * reads them; the whole string must be the date. */
        char tmp[11];
        if (n && mh_date_parse(s, n, tmp) == n) {
            memcpy(out, tmp, 11);
            return MH_OK;
        }
        return MH_ERANGE;
    }
    if (y < 1 || m < 1 || m > 12)
        return MH_ERANGE;
    if (end)
        d = days_in(y, m);
    put_date(out, y, m, d);
    return MH_OK;
}

/* ------------------------------------------------------------------ */
/* mh_db_search                                                        */
/* ------------------------------------------------------------------ */

void mh_hits_free(mh_hit *hits, size_t n)
{
    if (!hits)
        return;
    for (size_t i = 0; i < n; i++) {
        mh_free(hits[i].path);
        mh_free(hits[i].title);
        mh_free(hits[i].date);
        mh_free(hits[i].outlet);
        mh_free(hits[i].snippet);
    }
    mh_free(hits);
}

mh_err mh_db_search(mh_db *db, const mh_search_opts *o, mh_hit **out, size_t *n)
{
    mh_search_req req;
    mh_query *q = NULL;
    char from[11], to[11], *okey = NULL;
    size_t okey_len = 0;
    mh_err e;

    if (!out || !n)
        return MH_EINVAL;
    *out = NULL;
    *n = 0;
    if (!db || !o || !o->query)
        return db ? mh_db_fail(db, MH_EINVAL, "no query") : MH_EINVAL;
    memset(&req, 0, sizeof req);
    if (o->limit > 1000)
        return mh_db_fail(db, MH_ERANGE, "limit %zu is over 1000", o->limit);
    if (o->offset > 1000000)
        return mh_db_fail(db, MH_ERANGE, "offset %zu is too large", o->offset);
    req.limit = o->limit ? o->limit : 20;
    req.offset = o->offset;
    if (o->from) {
        if (mh_search_date_bound(o->from, 0, from))
            return mh_db_fail(db, MH_ERANGE, "bad date: %s (use YYYY-MM-DD)", o->from);
        req.from = from;
    }
    if (o->to) {
        if (mh_search_date_bound(o->to, 1, to))
            return mh_db_fail(db, MH_ERANGE, "bad date: %s (use YYYY-MM-DD)", o->to);
        req.to = to;
    }
    if (req.from && req.to && strcmp(req.from, req.to) > 0)
        return mh_db_fail(db, MH_ERANGE, "--from %s is after --to %s", req.from, req.to);
    req.hl_open = o->hl_open ? o->hl_open : "[";
    req.hl_close = o->hl_close ? o->hl_close : "]";
    req.snippet_tokens = o->snippet_tokens > 0 && o->snippet_tokens <= 64 ? o->snippet_tokens : 24;
    if (o->rank_window == SIZE_MAX) {
        req.window = 0;
    } else {
        req.window = o->rank_window ? o->rank_window : 500;
        if (req.window < 2 * (req.offset + req.limit))
            req.window = 2 * (req.offset + req.limit);
    }

    e = mh_query_parse(mh_db_analyzer(db), o->query, strlen(o->query), &q);
    if (e == MH_EQUERY) {
        e = mh_db_fail(db, e, "bad query: %s", q->err);
        goto out;
    }
    if (e) {
        e = mh_db_fail(db, e, "%s", mh_errstr(e));
        goto out;
    }
    req.query = q;
    if (o->outlet) {
        char *co = NULL;
        size_t colen = 0;
        e = mh_clean(o->outlet, strlen(o->outlet), 0, &co, &colen);
        if (!e)
            e = mh_tr_fold(co, colen, &okey, &okey_len);
        mh_free(co);
        if (e) {
            e = mh_db_fail(db, e == MH_ENOMEM ? e : MH_EINVAL, "bad outlet name");
            goto out;
        }
        req.outlet_key = okey;
    }
    mh_store *s = mh_db_store(db);
    e = s->ops->search(s, &req, out, n);
    if (e)
        mh_db_fail(db, e, "%s", s->ops->errmsg(s));
out:
    mh_query_free(q);
    mh_free(okey);
    return e;
}
