/*
 * fuzz_entities.c -- libFuzzer harness for who-said-what: arbitrary bytes
 * are cleaned and analysed as a body and as a headline, then go through
 * the entity finder (built-in model, gazetteers, the rules around the
 * tagger) and the quote finder, with the body's entities as the
 * headline's context, as the store does.  Besides "no crash, no hang, no
 * leak, no UB", every span must lie inside the text, in order, and every
 * name, role and verb must be valid UTF-8 of its stated length.
 */
// fuzz-seeds: examples/corpus tests/golden/quotes tests/pathological
#include "muhabir.h"

#include <stdlib.h>
#include <string.h>

static mh_analyzer *an;

static void check_str(const char *s, size_t n)
{
    if (!s) {
        if (n)
            abort();
        return;
    }
    if (!mh_utf8_valid(s, n) || memchr(s, '\0', n))
        abort();
}

static void check_entities(const mh_doc *d, const mh_entities *e)
{
    for (size_t i = 0; i < e->n; i++) {
        const mh_mention *m = &e->m[i];
        if (m->start >= m->end || m->end > d->text_len || m->full_end < m->end ||
            m->full_end > d->text_len)
            abort();
        if (i && e->m[i - 1].start > m->start)
            abort();
        if (m->type <= MH_ENT_NONE || m->type >= MH_ENT_TYPE_COUNT || !m->name || !m->name_len)
            abort();
        check_str(m->name, m->name_len);
        check_str(m->role, m->role_len);
        if (m->role_len && m->role_start > m->start)
            abort();
    }
}

static void check_quotes(const mh_doc *d, const mh_entities *e, const mh_quotes *q)
{
    for (size_t i = 0; i < q->n; i++) {
        const mh_quote *x = &q->q[i];
        if (x->start > x->end || x->end > d->text_len)
            abort();
        if (x->verb_end < x->verb_start || x->verb_end > d->text_len)
            abort();
        if (x->speaker_mention >= 0 && (!e || (size_t)x->speaker_mention >= e->n))
            abort();
        if ((x->speaker != NULL) != (x->speaker_type != MH_ENT_NONE))
            abort();
        check_str(x->speaker, x->speaker_len);
        check_str(x->speaker_role, x->speaker_role_len);
        check_str(x->verb, x->verb_len);
        if (!mh_quote_kind_name(x->kind))
            abort();
    }
}

/* Entities and quotes of one analysed text; ctx is the body's entities
 * when this is the headline.  Returns the entities (caller frees). */
static mh_entities *run(const mh_doc *d, const mh_entities *ctx, unsigned qopts)
{
    mh_entities *e = NULL;
    if (mh_entities_find(NULL, d, ctx, 0, &e) != MH_OK)
        return NULL;
    check_entities(d, e);
    mh_quotes *q = NULL;
    if (mh_quotes_find(d, e, qopts, &q) == MH_OK) {
        check_quotes(d, e, q);
        mh_quotes_free(q);
    }
    return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!an && !(an = mh_analyzer_new()))
        return 0;
    char *c = NULL;
    size_t n = 0;
    if (mh_clean((const char *)data, size, MH_CLEAN_LINES, &c, &n) != MH_OK)
        return 0;
    /* The first line is also read as a headline. */
    const char *nl = memchr(c, '\n', n);
    size_t hn = nl ? (size_t)(nl - c) : n;
    mh_doc *body = NULL, *head = NULL;
    mh_entities *be = NULL, *he = NULL;
    if (mh_analyze(an, c, n, 0, &body) == MH_OK)
        be = run(body, NULL, 0);
    if (mh_analyze(an, c, hn, MH_AN_NOSTEM, &head) == MH_OK)
        he = run(head, be, MH_QUOTE_OPT_HEADLINE);
    mh_entities_free(he);
    mh_entities_free(be);
    mh_doc_free(head);
    mh_doc_free(body);
    mh_free(c);
    return 0;
}
