/*
 * quote.c -- attributed statements in analysed Turkish news text: who
 * said what, with which reporting verb, direct, indirect or partial.
 *
 * Input is clean text (mh_clean: quote marks are ASCII " and ', the
 * apostrophe is '), analysed by mh_analyze, with the entities of
 * mh_entities_find.  Steps:
 *  1. Quotation spans, paired within a line: double quotes by state;
 *     single quotes told apart from apostrophes by their neighbours (a '
 *     between two letters is an apostrophe, Rusya'nın, unless a lowercase
 *     letter meets a capital: konuşulmuyor'Lavrov is a glued closing
 *     quote).  Single quotes inside a double-quoted span belong to it.
 *  2. Reporting predicates from data/lexicon/reporting_verbs.txt: finite
 *     (dedi, belirtti, ifadesini kullandı, diye konuştu), participles
 *     ("..." diyen Putin; ... olduğunu belirten Lavrov) and converbs
 *     (belirterek, vurgulayarak).
 *  3. Each quotation is, in this order: a title or name (followed by a
 *     work noun, "Kinjal" füzesi; dropped), direct (a predicate right
 *     after it, a colon introducer before it, a genitive speech noun after
 *     it: Guterres'in "..." sözleri), partial (inside the clause of a
 *     later predicate: "umut" verdiğini belirtti), a statement without a
 *     speaker (a quoted paragraph or heading, also one glued to the next
 *     sentence), or a scare quote (dropped).
 *  4. Indirect speech: a predicate after a nominalised clause in the
 *     accusative (or dative for işaret etti): "... olduğunu söyledi".
 *     The occasion said before it ("..., törende yaptığı konuşmada,")
 *     is its setting, not its words (the lexicon's [setting] cues).
 *  5. Speakers: a participle's head; else the subject of the clause: a
 *     participle's head followed by a comma earlier in the sentence, a
 *     nominative name followed by a comma (people before organisations
 *     before places), a name opening the sentence (after a phrase on
 *     the topic closed by a postposition of the lexicon's [topic]: "Olayla
 *     ilgili Genel Müdür Arslan ..."), a title standing
 *     for a person named earlier (Dışişleri Bakanı, ...), or an
 *     organisation's head word standing for the one organisation named
 *     earlier whose name holds it (Bakanlık, Banka); else, when the
 *     clause has no overt subject at all, the speaker of the statement in
 *     the previous sentence of the same paragraph (pro-drop).  Otherwise
 *     unknown: never a guess.
 *  6. Headlines (MH_QUOTE_OPT_HEADLINE): "Name: statement", and
 *     "Name'den ... açıklaması: statement" when the statement is quoted or
 *     in the first person.
 *
 * Limits: a quotation never spans lines (a quoted paragraph that goes on
 * in the next line is two quotations); inverted order ("dedi Lavrov") and
 * speakers named only by a common noun ("yetkililer", or "Bakanlık" when
 * two ministries were named) are unknown; embedded reported speech inside
 * reported speech keeps the outer speaker.
 */
#include "lexicon.h"

#include <stdlib.h>
#include <xxhash.h>

#define QUOTE_MAX_PER_DOC  100000

typedef struct qspan {
    uint32_t open, close;       /* byte offsets of the marks (close: of the closing mark) */
    uint32_t in_start, in_end;  /* the inside, trimmed */
    size_t t0, t1;              /* tokens inside: [t0, t1) */
    int used;
} qspan;

typedef struct pred {
    size_t tok, ntok;
    int form;
    unsigned flags;
    const char *canon;
    int generic;
    int consumed;               /* taken by a direct quotation */
    long head;                  /* participle: the mention after it, -1 */
    size_t head_end;            /* token after the head (and its role) */
} pred;

typedef struct qctx {
    const mh_doc *d;
    const mh_entities *e;
    const mh_lexicon *lx;
    unsigned opts;
    qspan *q;
    size_t nq, capq;
    pred *p;
    size_t np, capp;
    long *in_q;                 /* per token: quotation index or -1 */
    long *pred_at;              /* per token: predicate starting here or -1 */
    long *pred_cover;           /* per token: predicate covering it or -1 */
    mh_quotes *out;
    size_t capo;
    mh_arena *arena;
    /* The last attributed statement, for subjects left out (pro-drop). */
    long last_speaker;
    uint32_t last_sentence;
    uint32_t last_end;
    int have_last;
    int last_quote_end;         /* the last statement was a direct quotation */
    const pred *last_pred;
    mh_err err;
} qctx;

/* ------------------------------------------------------------------ */
/* Character helpers                                                    */
/* ------------------------------------------------------------------ */

static uint32_t cp_before(const char *s, size_t lo, size_t i)
{
    if (i <= lo)
        return 0;
    size_t j = i - 1;
    while (j > lo && ((unsigned char)s[j] & 0xC0) == 0x80)
        j--;
    size_t k = j;
    return mh_utf8_next(s, i, &k);
}

static uint32_t cp_after(const char *s, size_t hi, size_t i)
{
    if (i + 1 >= hi)
        return 0;
    size_t k = i + 1;
    return mh_utf8_next(s, hi, &k);
}

static int is_space_cp(uint32_t c) { return c == 0 || c == ' ' || c == '\n'; }

/* Only spaces and sentence punctuation in [a, b) of one line? */
static int only_marks(const char *t, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (t[i] != ' ' && t[i] != '.' && t[i] != ',')
            return 0;
    return 1;
}
static int is_letter(uint32_t c) { return c && mh_cp_is_letter(c); }
static int is_digit(uint32_t c) { return c >= '0' && c <= '9'; }

/* ------------------------------------------------------------------ */
/* 1. Quotation spans                                                   */
/* ------------------------------------------------------------------ */

static void add_span(qctx *c, uint32_t open, uint32_t close)
{
    if (c->err || c->nq >= QUOTE_MAX_PER_DOC)
        return;
    const char *t = c->d->text;
    uint32_t a = open + 1, b = close;
    while (a < b && t[a] == ' ')
        a++;
    while (b > a && t[b - 1] == ' ')
        b--;
    if (b <= a)
        return;
    if (c->nq == c->capq && mh_grow(&c->q, &c->capq, c->nq + 1, sizeof *c->q, 16)) {
        c->err = MH_ENOMEM;
        return;
    }
    c->q[c->nq++] = (qspan){ open, close, a, b, 0, 0, 0 };
}

/*
 * Double quotes of line [ls, le): a mark opens when none is open and
 * something other than a space follows it; the next mark closes -- unless
 * it looks like an opening one (a space before it, a word after it):
 * that is a quotation inside the quotation, written with the same mark
 * (cleaning makes every double mark one), and its own close comes next
 * ("... adeta "sözcüsü" haline gelen ..." inside a statement).
 */
static void spans_double(qctx *c, size_t ls, size_t le)
{
    const char *t = c->d->text;
    long open = -1;
    int nested = 0;
    for (size_t i = ls; i < le; i++) {
        const char *qm = memchr(t + i, '"', le - i);
        if (!qm)
            break;
        i = (size_t)(qm - t);
        if (open < 0) {
            /* A value of an attribute (alt="...") is markup, not speech. */
            if (i + 1 < le && t[i + 1] != ' ' && !(i > ls && t[i - 1] == '='))
                open = (long)i;
            continue;
        }
        uint32_t b = cp_before(t, ls, i), a = cp_after(t, le, i);
        if (is_space_cp(b) && is_letter(a)) {
            nested++;
            continue;
        }
        if (nested) {
            nested--;
            continue;
        }
        add_span(c, (uint32_t)open, (uint32_t)i);
        open = -1;
    }
    /* An unclosed quotation running to the end of its line is kept when
     * it is a sentence or more (a quoted paragraph that goes on). */
    if (open >= 0) {
        size_t words = 0;
        for (size_t i = (size_t)open + 1; i < le; i++)
            if (t[i] == ' ')
                words++;
        if (words >= 4)
            add_span(c, (uint32_t)open, (uint32_t)le);
    }
}

static int inside_double(const qctx *c, size_t from, size_t pos)
{
    for (size_t k = from; k < c->nq; k++)
        if (pos > c->q[k].open && pos < c->q[k].close + 1)
            return 1;
    return 0;
}

/* Single quotes of line [ls, le), outside double-quoted spans. */
static void spans_single(qctx *c, size_t ls, size_t le, size_t first_q)
{
    const char *t = c->d->text;
    long open = -1;
    for (size_t i = ls; i < le; i++) {
        const char *qm = memchr(t + i, '\'', le - i);
        if (!qm)
            break;
        i = (size_t)(qm - t);
        if (inside_double(c, first_q, i))
            continue;
        uint32_t b = cp_before(t, ls, i), a = cp_after(t, le, i);
        int glued_close = 0;
        if ((is_letter(b) || is_digit(b)) && is_letter(a)) {
            /* Between letters: an apostrophe, unless a lowercase letter
             * meets a capital (a closing quote glued to the next word). */
            if (is_letter(b) && mh_cp_is_lower(b) && mh_cp_is_upper(a))
                glued_close = 1;
            else
                continue;
        }
        int opener = !glued_close && !is_space_cp(a) &&
                     (is_space_cp(b) || b == '(' || b == ':' || b == '.' || b == ',' ||
                      b == '"' || b == '-' || b == '[');
        int closer = glued_close || (!is_space_cp(b) &&
                     (is_space_cp(a) || a == ',' || a == '.' || a == ';' || a == ':' ||
                      a == ')' || a == '!' || a == '?' || a == '"' || a == '-'));
        if (open < 0) {
            if (opener)
                open = (long)i;
        } else if (closer) {
            add_span(c, (uint32_t)open, (uint32_t)i);
            open = -1;
        }
    }
}

static int cmp_qspan(const void *a, const void *b)
{
    const qspan *x = a, *y = b;
    return x->open < y->open ? -1 : x->open > y->open;
}

static size_t tok_at_or_after(const mh_doc *d, size_t byte)
{
    size_t lo = 0, hi = d->n_tokens;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (d->tokens[mid].start < byte)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void find_spans(qctx *c)
{
    const mh_doc *d = c->d;
    size_t n = d->text_len;
    for (size_t ls = 0; ls < n;) {
        const char *nl = memchr(d->text + ls, '\n', n - ls);
        size_t le = nl ? (size_t)(nl - d->text) : n;
        size_t first = c->nq;
        spans_double(c, ls, le);
        spans_single(c, ls, le, first);
        ls = le + 1;
    }
    if (c->err)
        return;
    if (c->nq)
        qsort(c->q, c->nq, sizeof *c->q, cmp_qspan);
    for (size_t k = 0; k < c->nq; k++) {
        qspan *q = &c->q[k];
        q->t0 = tok_at_or_after(d, q->in_start);
        q->t1 = tok_at_or_after(d, q->close);
        for (size_t i = q->t0; i < q->t1; i++)
            c->in_q[i] = (long)k;
    }
}

/* ------------------------------------------------------------------ */
/* 2. Predicates                                                        */
/* ------------------------------------------------------------------ */

static long mention_at(const qctx *c, size_t tok)
{
    if (!c->e || !c->e->priv || tok >= c->e->priv->n_tok)
        return -1;
    return c->e->priv->tok2m[tok];
}

static int is_capital(const mh_token *t) { return (t->flags & (MH_TOK_CAP | MH_TOK_ALLCAPS)) != 0; }

static int only_spaces(const char *t, size_t a, size_t b)
{
    return !mh_first_nonspace(t, a, b);
}

static int gap_has_comma_after(const qctx *c, size_t tok)
{
    const mh_doc *d = c->d;
    size_t a = d->tokens[tok].full_end;
    size_t b = tok + 1 < d->n_tokens ? d->tokens[tok + 1].start : d->text_len;
    return mh_first_nonspace(d->text, a, b) == ',';
}

/* "Sinan Öncel: "..." dedi." -- a colon after the subject. */
static int gap_has_colon_after(const qctx *c, size_t tok)
{
    const mh_doc *d = c->d;
    size_t a = d->tokens[tok].full_end;
    size_t b = tok + 1 < d->n_tokens ? d->tokens[tok + 1].start : d->text_len;
    return mh_first_nonspace(d->text, a, b) == ':';
}

static int is_title_tok(const qctx *c, size_t tok)
{
    const mh_token *t = &c->d->tokens[tok];
    return (mh_lex_word(c->lx, t->fold, t->fold_len) & MH_GZ_TITLE) != 0;
}

/* A title phrase ending at head standing for a person: walk back over
 * capitalised words and titles in the same sentence. */
static long role_phrase_ref(const qctx *c, size_t head, size_t lo)
{
    const mh_doc *d = c->d;
    size_t a = head;
    while (a > lo) {
        const mh_token *p = &d->tokens[a - 1], *q = &d->tokens[a];
        if (p->sentence != q->sentence || (p->flags & MH_TOK_APOS) || c->in_q[a - 1] >= 0 ||
            !only_spaces(d->text, p->full_end, q->start) || !is_capital(p))
            break;
        long m = mention_at(c, a - 1);
        if (m >= 0 && c->e->m[m].type == MH_ENT_PERSON)
            break;
        a--;
    }
    return mh_entities_role_ref(c->e, a, head);
}

/* The participle's head: [role words] name right after the predicate. */
static void participle_head(qctx *c, pred *p)
{
    const mh_doc *d = c->d;
    p->head = -1;
    p->head_end = p->tok + p->ntok;
    size_t j = p->tok + p->ntok;
    size_t lim = j + 8;
    for (; j < d->n_tokens && j < lim; j++) {
        const mh_token *t = &d->tokens[j], *pv = &d->tokens[j - 1];
        if (t->sentence != d->tokens[p->tok].sentence ||
            !only_spaces(d->text, pv->full_end, t->start) || c->in_q[j] >= 0)
            return;
        long m = mention_at(c, j);
        if (m >= 0 && c->e->m[m].tok == j) {
            const mh_mention *mm = &c->e->m[m];
            if (mm->type == MH_ENT_PERSON || mm->type == MH_ENT_ORG) {
                p->head = m;
                p->head_end = mm->tok + mm->n_tok;
                return;
            }
            /* A place right after a participle opens a role (Rusya
             * Dışişleri Bakanı ...): go on. */
        }
        if (is_title_tok(c, j) && (j + 1 >= d->n_tokens || mention_at(c, j + 1) < 0 ||
                                   c->e->m[mention_at(c, j + 1)].type != MH_ENT_PERSON)) {
            /* "belirten Bakan, ..." : a title standing for a person. */
            long r = role_phrase_ref(c, j, p->tok + p->ntok);
            if (r >= 0) {
                p->head = r;
                p->head_end = j + 1;
            }
            return;
        }
        if (!is_capital(t) && !(mh_lex_word(c->lx, t->fold, t->fold_len) & MH_GZ_TPREFIX))
            return;
    }
}

static void add_pred(qctx *c, size_t tok, const mh_verb_hit *h)
{
    if (c->err)
        return;
    if (c->np == c->capp && mh_grow(&c->p, &c->capp, c->np + 1, sizeof *c->p, 16)) {
        c->err = MH_ENOMEM;
        return;
    }
    pred *p = &c->p[c->np];
    *p = (pred){ tok, h->ntok, h->form, h->flags, h->canon, h->generic, 0, -1, tok + h->ntok };
    for (size_t k = tok; k < tok + h->ntok; k++)
        c->pred_cover[k] = (long)c->np;
    c->pred_at[tok] = (long)c->np;
    c->np++;
    if (h->form == MH_VF_PARTICIPLE && c->e)
        participle_head(c, p);
}

static void find_preds(qctx *c)
{
    const mh_doc *d = c->d;
    for (size_t i = 0; i < d->n_tokens; i++) {
        if (c->in_q[i] >= 0)
            continue;
        mh_verb_hit h;
        if (!mh_lex_verb(c->lx, d, i, &h))
            continue;
        int inq = 0;
        for (size_t k = i; k < i + h.ntok; k++)
            if (c->in_q[k] >= 0)
                inq = 1;
        if (inq)
            continue;
        add_pred(c, i, &h);
        i += h.ntok - 1;
    }
}

/* ------------------------------------------------------------------ */
/* 5. Speakers                                                          */
/* ------------------------------------------------------------------ */

/* Is the name in the nominative (no case suffix)?  An abbreviation in
 * brackets right after the same name ("İttifakı'nın (AOSIS) da") is in
 * the case of that name. */
static int nominative(const qctx *c, const mh_mention *m)
{
    const mh_doc *d = c->d;
    const mh_token *last = &d->tokens[m->tok + m->n_tok - 1];
    if (last->flags & MH_TOK_APOS)
        return 0;
    size_t k = (size_t)(m - c->e->m);
    if (k > 0 && m->start > 0 && d->text[m->start - 1] == '(' && m->full_end < d->text_len &&
        d->text[m->full_end] == ')') {
        const mh_mention *p = m - 1;
        size_t gap = m->start - 1 - p->full_end;
        if (gap <= 1 && (gap == 0 || d->text[p->full_end] == ' ') &&
            p->name_len == m->name_len && memcmp(p->name, m->name, m->name_len) == 0)
            return !(d->tokens[p->tok + p->n_tok - 1].flags & MH_TOK_APOS);
    }
    return 1;
}

static int type_rank(mh_ent_type t)
{
    return t == MH_ENT_PERSON ? 3 : t == MH_ENT_ORG ? 2 : t == MH_ENT_PLACE ? 1 : 0;
}

static size_t sentence_first_tok(const qctx *c, size_t tok)
{
    const mh_doc *d = c->d;
    uint32_t s = d->tokens[tok].sentence;
    while (tok > 0 && d->tokens[tok - 1].sentence == s)
        tok--;
    return tok;
}

static long org_head_ref(const qctx *c, size_t i);

/* The token after a phrase opening the sentence at s0 and closed by a
 * postposition of the lexicon's [topic] ("31 Ağustos akşamı yaşanan
 * olayla ilgili"), within 12 tokens, before any comma, quotation or
 * token at to; s0 when there is none, or when a person or organisation
 * comes first: then the phrase is no opening one ("Banka konuyla ilgili
 * yaptığı açıklamada ..."). */
static size_t topic_end(const qctx *c, size_t s0, size_t to)
{
    const mh_doc *d = c->d;
    for (size_t i = s0; i < to && i < s0 + 12; i++) {
        const mh_token *t = &d->tokens[i];
        long m = mention_at(c, i);
        if (c->in_q[i] >= 0 || org_head_ref(c, i) >= 0 ||
            (m >= 0 && (c->e->m[m].type == MH_ENT_PERSON || c->e->m[m].type == MH_ENT_ORG)))
            break;
        if (i > s0 && !is_capital(t) &&
            mh_lex_cue(c->lx, t->fold, t->fold_len, MH_CUE_TOPIC))
            return i + 1;
        if (gap_has_comma_after(c, i))
            break;
    }
    return s0;
}

/*
 * Token i, an organisation's head word standing alone for the
 * organisation ("Banka, ...", "Bakanlık ... açıkladı"): the one
 * organisation named before it in the text whose name holds that word
 * ("Halkbank", "Hazine ve Maliye Bakanlığı").  -1 when there is none,
 * or more than one: never a guess.
 */
static long org_head_ref(const qctx *c, size_t i)
{
    const mh_doc *d = c->d;
    const mh_token *t = &d->tokens[i];
    if (!c->e || !is_capital(t) || (t->flags & (MH_TOK_APOS | MH_TOK_ALLCAPS)) ||
        t->fold_len < 4 || !mh_lex_cue(c->lx, t->fold, t->fold_len, MH_CUE_ORGHEAD))
        return -1;
    long self = mention_at(c, i);
    if (self >= 0 && c->e->m[self].n_tok != 1)
        return -1;          /* part of a longer name, which speaks itself */
    /* The word without its last letter: "banka" is in "halkbank",
     * "bakanlık" in "bakanlığı". */
    size_t k = t->fold_len - 1;
    long found = -1;
    for (size_t j = 0; j < c->e->n; j++) {
        const mh_mention *m = &c->e->m[j];
        if (m->start >= t->start)
            break;
        if (m->type != MH_ENT_ORG || (long)j == self)
            continue;
        int has = 0;
        for (size_t w = m->tok; w < m->tok + m->n_tok && !has; w++) {
            const mh_token *o = &d->tokens[w];
            /* Another lone "Banka" names nothing more. */
            if (m->n_tok == 1 && o->fold_len == t->fold_len)
                break;
            has = mh_bytes_has(o->fold, o->fold_len, t->fold, k);
        }
        if (!has)
            continue;
        const mh_mention *f = found >= 0 ? &c->e->m[found] : NULL;
        if (f && (f->name_len != m->name_len || memcmp(f->name, m->name, m->name_len) != 0))
            return -1;
        found = (long)j;
    }
    return found;
}

/*
 * The subject of a predicate whose clause runs over tokens [from, to)
 * (tokens inside quotations are skipped).  Returns a mention index or -1;
 * *after is the first token after the subject (and its comma), or from.
 * *overt is set when the clause has a comma-marked phrase (a subject that
 * is not a name), which forbids taking the previous speaker.
 */
static long find_subject(qctx *c, size_t from, size_t to, size_t *after, int *overt)
{
    const mh_doc *d = c->d;
    *after = from;
    *overt = 0;
    if (!c->e || from >= to)
        return -1;
    /* (1) A participle's head followed by a comma. */
    long best = -1;
    size_t best_after = from;
    for (size_t k = 0; k < c->np; k++) {
        const pred *p = &c->p[k];
        if (p->tok < from || p->tok >= to || p->form != MH_VF_PARTICIPLE || p->head < 0 ||
            p->head_end > to)
            continue;
        if (gap_has_comma_after(c, p->head_end - 1)) {
            best = p->head;
            best_after = p->head_end;
        }
    }
    if (best >= 0) {
        *after = best_after;
        return best;
    }
    /* (2) A nominative name or a title followed by a comma. */
    int best_rank = 0;
    for (size_t i = from; i < to; i++) {
        if (c->in_q[i] >= 0)
            continue;
        long m = mention_at(c, i);
        if (m >= 0 && c->e->m[m].tok == i) {
            const mh_mention *mm = &c->e->m[m];
            size_t last = mm->tok + mm->n_tok - 1;
            i = last;
            if (last >= to || !nominative(c, mm) ||
                !(gap_has_comma_after(c, last) || gap_has_colon_after(c, last)))
                continue;
            *overt = 1;
            int r = type_rank(mm->type);
            if (mm->type == MH_ENT_PLACE && mm->tok != sentence_first_tok(c, mm->tok))
                r = 0;
            long ref = mm->n_tok == 1 ? org_head_ref(c, mm->tok) : -1;
            if (r > best_rank) {
                best_rank = r;
                best = ref >= 0 ? ref : m;
                best_after = last + 1;
            }
            continue;
        }
        const mh_token *t = &d->tokens[i];
        if (gap_has_comma_after(c, i))
            *overt = 1;
        if (is_capital(t) && !(t->flags & MH_TOK_APOS) && is_title_tok(c, i) &&
            gap_has_comma_after(c, i)) {
            long r = role_phrase_ref(c, i, from);
            if (r >= 0 && type_rank(MH_ENT_PERSON) > best_rank) {
                best_rank = type_rank(MH_ENT_PERSON);
                best = r;
                best_after = i + 1;
            }
        } else if (gap_has_comma_after(c, i)) {
            long r = org_head_ref(c, i);
            if (r >= 0 && type_rank(MH_ENT_ORG) > best_rank) {
                best_rank = type_rank(MH_ENT_ORG);
                best = r;
                best_after = i + 1;
            }
        }
    }
    if (best >= 0) {
        *after = best_after;
        return best;
    }
    /* (3) A name followed by "da", "de" or "ise" ("Scholz da ... söyledi"):
     * the particle marks the subject of the clause. */
    for (size_t i = from; i + 1 < to; i++) {
        long m = mention_at(c, i);
        if (m < 0 || c->in_q[i] >= 0 || c->e->m[m].tok != i)
            continue;
        const mh_mention *mm = &c->e->m[m];
        size_t nx = mm->tok + mm->n_tok;
        if (nx >= to || !nominative(c, mm) ||
            (mm->type != MH_ENT_PERSON && mm->type != MH_ENT_ORG))
            continue;
        const mh_token *pt = &d->tokens[nx];
        if ((pt->norm_len == 2 && (memcmp(pt->norm, "da", 2) == 0 || memcmp(pt->norm, "de", 2) == 0)) ||
            (pt->norm_len == 3 && memcmp(pt->norm, "ise", 3) == 0)) {
            *after = nx + 1;
            return m;
        }
    }
    /* (4) A name (or a title standing for one) opening the sentence.  An
     * organisation or place followed by titles and a person is the
     * person's role ("COP29 Başkanı Muhtar Babayev ... dedi"). */
    size_t s0 = sentence_first_tok(c, from);
    size_t w0 = topic_end(c, s0, to);
    for (size_t i = from > w0 ? from : w0; i < to && i < w0 + 4; i++) {
        if (c->in_q[i] >= 0)
            break;
        long ref = i == w0 ? org_head_ref(c, i) : -1;
        if (ref >= 0) {
            *after = i + 1;
            return ref;
        }
        long m = mention_at(c, i);
        if (m >= 0 && c->e->m[m].type != MH_ENT_PERSON) {
            /* (The title words map to the person whose role they are.) */
            size_t j = c->e->m[m].tok + c->e->m[m].n_tok, k = j;
            long pm = -1;
            while (k < to && k < j + 4 && c->in_q[k] < 0 &&
                   (is_capital(&d->tokens[k]) ||
                    (mh_lex_word(c->lx, d->tokens[k].fold, d->tokens[k].fold_len) &
                     (MH_GZ_TITLE | MH_GZ_TPREFIX))) &&
                   !(d->tokens[k].flags & MH_TOK_APOS) && !gap_has_comma_after(c, k) &&
                   !(mention_at(c, k) >= 0 && c->e->m[mention_at(c, k)].tok == k))
                k++;
            if (k > j && k < to && is_title_tok(c, k - 1))
                pm = mention_at(c, k);
            if (pm >= 0 && c->e->m[pm].type == MH_ENT_PERSON && c->e->m[pm].tok == k)
                m = pm;
        }
        if (m >= 0) {
            const mh_mention *mm = &c->e->m[m];
            if ((mm->type == MH_ENT_PERSON || mm->type == MH_ENT_ORG) && nominative(c, mm) &&
                mm->tok + mm->n_tok <= to) {
                *after = mm->tok + mm->n_tok;
                return m;
            }
            break;
        }
        if (gap_has_comma_after(c, i))
            break;
    }
    return -1;
}

/* Speaker of a predicate with its clause starting at token from. */
static long pred_speaker(qctx *c, const pred *p, size_t from, size_t *after)
{
    *after = from;
    if (p->form == MH_VF_PARTICIPLE)
        return p->head;
    int overt;
    long s = find_subject(c, from, p->tok, after, &overt);
    if (s >= 0 || overt || !c->have_last)
        return s;
    /* No subject at all: the speaker of the previous sentence of the same
     * paragraph goes on speaking -- unless the clause has a capitalised
     * word in the nominative, which may be a subject the tagger missed. */
    const mh_doc *d = c->d;
    for (size_t i = from; i < p->tok; i++) {
        const mh_token *t = &d->tokens[i];
        if (c->in_q[i] < 0 && is_capital(t) && !(t->flags & (MH_TOK_APOS | MH_TOK_SENT0)))
            return -1;
    }
    uint32_t sent = d->tokens[from].sentence;
    uint32_t at = d->tokens[from].start;
    if ((c->last_sentence == sent || c->last_sentence + 1 == sent) && c->last_end <= at &&
        !memchr(d->text + c->last_end, '\n', at - c->last_end))
        return c->last_speaker;
    return -1;
}

/* ------------------------------------------------------------------ */
/* Output                                                               */
/* ------------------------------------------------------------------ */

static void emit(qctx *c, uint32_t start, uint32_t end, mh_quote_kind kind, long speaker,
                 const pred *p, const char *verb_override, unsigned flags)
{
    if (c->err)
        return;
    mh_quotes *o = c->out;
    if (o->n == c->capo && mh_grow(&o->q, &c->capo, o->n + 1, sizeof *o->q, 16)) {
        c->err = MH_ENOMEM;
        return;
    }
    mh_quote *q = &o->q[o->n];
    memset(q, 0, sizeof *q);
    q->start = start;
    q->end = end;
    q->kind = kind;
    q->flags = flags;
    q->speaker_mention = speaker;
    if (speaker >= 0 && c->e) {
        const mh_mention *m = &c->e->m[speaker];
        q->speaker = m->name;
        q->speaker_len = m->name_len;
        q->speaker_type = m->type;
        uint32_t rl;
        const char *r = mh_entities_role_of(c->e, (size_t)speaker, &rl);
        if (r) {
            q->speaker_role = r;
            q->speaker_role_len = rl;
        }
    }
    const mh_doc *d = c->d;
    if (verb_override) {
        q->verb = verb_override;
        q->verb_len = (uint32_t)strlen(verb_override);
    } else if (p) {
        q->verb_start = d->tokens[p->tok].start;
        q->verb_end = d->tokens[p->tok + p->ntok - 1].full_end;
        if (p->generic) {
            const mh_token *v = &d->tokens[p->tok + p->ntok - 1];
            size_t cl = strlen(p->canon);
            char *s = mh_arena_alloc(c->arena, cl + 1 + v->norm_len + 1);
            if (!s) {
                c->err = MH_ENOMEM;
                return;
            }
            memcpy(s, p->canon, cl);
            s[cl] = ' ';
            memcpy(s + cl + 1, v->norm, v->norm_len);
            s[cl + 1 + v->norm_len] = 0;
            q->verb = s;
        } else {
            q->verb = p->canon;
        }
        q->verb_len = (uint32_t)strlen(q->verb);
    }
    o->n++;
    if (speaker >= 0) {
        c->have_last = 1;
        c->last_speaker = speaker;
        c->last_end = end;
        c->last_quote_end = kind == MH_QUOTE_DIRECT && !(flags & MH_QF_HEADLINE) && p;
        c->last_pred = p;
        size_t t = tok_at_or_after(d, end);
        if (p && p->tok + p->ntok > t)
            t = p->tok + p->ntok - 1;
        else if (t > 0)
            t--;
        c->last_sentence = t < d->n_tokens ? d->tokens[t].sentence : 0;
        if (p)
            c->last_end = d->tokens[p->tok + p->ntok - 1].full_end;
    }
}

/* ------------------------------------------------------------------ */
/* 3. Quotations                                                        */
/* ------------------------------------------------------------------ */

/* The token right after a closing quote, when nothing but spaces and
 * commas stand between them in the same line; else (size_t)-1. */
static size_t token_after_quote(const qctx *c, const qspan *q)
{
    const mh_doc *d = c->d;
    size_t t = q->t1;
    if (t >= d->n_tokens)
        return (size_t)-1;
    for (size_t i = q->close + 1; i < d->tokens[t].start; i++) {
        char ch = d->text[i];
        if (ch != ' ' && ch != ',')
            return (size_t)-1;
    }
    return t;
}

static int genitive_suffix(const mh_token *t)
{
    static const char *const g[] = { "in", "ın", "un", "ün", "nin", "nın", "nun", "nün" };
    if (!(t->flags & MH_TOK_APOS))
        return 0;
    for (size_t i = 0; i < MH_ARRAY_LEN(g); i++)
        if (strlen(g[i]) == t->suffix_len && memcmp(g[i], t->suffix, t->suffix_len) == 0)
            return 1;
    return 0;
}

static int ablative_suffix(const mh_token *t)
{
    static const char *const g[] = { "den", "dan", "ten", "tan", "nden", "ndan" };
    if (!(t->flags & MH_TOK_APOS))
        return 0;
    for (size_t i = 0; i < MH_ARRAY_LEN(g); i++)
        if (strlen(g[i]) == t->suffix_len && memcmp(g[i], t->suffix, t->suffix_len) == 0)
            return 1;
    return 0;
}

/* A quotation that is a name: few words, all capitalised (function words
 * aside), no sentence punctuation. */
static int looks_like_name(const qctx *c, const qspan *q)
{
    const mh_doc *d = c->d;
    size_t n = q->t1 - q->t0;
    if (!n || n > 4)
        return 0;
    for (size_t i = q->in_start; i < q->in_end; i++)
        if (d->text[i] == '.' || d->text[i] == '!' || d->text[i] == '?' || d->text[i] == ',')
            return 0;
    if (!is_capital(&d->tokens[q->t0]))
        return 0;
    for (size_t i = q->t0; i < q->t1; i++) {
        const mh_token *t = &d->tokens[i];
        if (!is_capital(t) && !(t->flags & MH_TOK_NUM) && t->norm_len > 3)
            return 0;
    }
    /* A capitalised first word alone may be a sentence ("Hayır"); a lone
     * word is a name only when it is not all there is on its line. */
    return 1;
}

/* Does the quotation stand alone on its line (a quoted paragraph or
 * heading)? */
static int whole_line(const qctx *c, const qspan *q)
{
    const char *t = c->d->text;
    size_t n = c->d->text_len;
    for (size_t i = q->open; i > 0 && t[i - 1] != '\n'; i--)
        if (t[i - 1] != ' ')
            return 0;
    for (size_t i = q->close + 1; i < n && t[i] != '\n'; i++)
        if (t[i] != ' ' && t[i] != '.' && t[i] != '"' && t[i] != '\'')
            return 0;
    return 1;
}

/* Is the quotation a sentence of its own followed on its line by a
 * capitalised word (the splitter ends a sentence there, text.c)? */
static int glued_heading(const qctx *c, const qspan *q)
{
    const mh_doc *d = c->d;
    if (q->t0 >= q->t1 || q->t1 >= d->n_tokens)
        return 0;
    const mh_token *first = &d->tokens[q->t0], *next = &d->tokens[q->t1];
    if (next->sentence == first->sentence || !(next->flags & MH_TOK_CAP) ||
        (q->t0 > 0 && d->tokens[q->t0 - 1].sentence == first->sentence))
        return 0;
    return only_spaces(d->text, q->close + 1, next->start);
}

/* The predicate whose last token stands right before a colon that is
 * right before the quotation (blank lines allowed between). */
static long colon_pred(const qctx *c, const qspan *q, size_t *colon_tok)
{
    const mh_doc *d = c->d;
    size_t i = q->open;
    while (i > 0 && (d->text[i - 1] == ' ' || d->text[i - 1] == '\n'))
        i--;
    if (i == 0 || d->text[i - 1] != ':')
        return -2;
    size_t colon = i - 1;
    size_t t = tok_at_or_after(d, colon);
    if (t == 0)
        return -2;
    t--;
    if (!only_spaces(d->text, d->tokens[t].full_end, colon))
        return -2;
    *colon_tok = t;
    long p = c->pred_cover[t];
    if (p >= 0 && c->p[p].tok + c->p[p].ntok - 1 == t)
        return p;
    return -1;
}

static size_t words_in(const qspan *q) { return q->t1 - q->t0; }

static void do_quote(qctx *c, size_t k)
{
    qspan *q = &c->q[k];
    const mh_doc *d = c->d;
    if (q->used)
        return;
    q->used = 1;
    size_t ta = token_after_quote(c, q);
    int cue = 0;
    if (ta != (size_t)-1) {
        const mh_token *tt = &d->tokens[ta];
        cue = mh_lex_cue(c->lx, tt->fold, tt->fold_len, MH_CUE_WORK) ? MH_CUE_WORK
            : mh_lex_cue(c->lx, tt->fold, tt->fold_len, MH_CUE_SPEECH) ? MH_CUE_SPEECH
            : mh_lex_cue(c->lx, tt->fold, tt->fold_len, MH_CUE_BRIDGE) ? MH_CUE_BRIDGE : 0;
    }
    size_t q0 = q->t0 < d->n_tokens ? q->t0 : d->n_tokens - 1;
    size_t from = q->t0 < d->n_tokens ? sentence_first_tok(c, q0) : 0;
    size_t after;

    if (cue == MH_CUE_WORK)
        return;
    /* Direct: a predicate right after the quotation. */
    if (ta != (size_t)-1 && c->pred_at[ta] >= 0) {
        pred *p = &c->p[c->pred_at[ta]];
        p->consumed = 1;
        if (words_in(q) <= 4 && looks_like_name(c, q) && p->form == MH_VF_PARTICIPLE &&
            p->head < 0)
            return;
        long s = pred_speaker(c, p, from, &after);
        emit(c, q->in_start, q->in_end, MH_QUOTE_DIRECT, s, p, NULL, 0);
        return;
    }
    /* Direct: introduced by a predicate and a colon. */
    size_t ct;
    long cp = colon_pred(c, q, &ct);
    if (cp >= 0) {
        pred *p = &c->p[cp];
        long s = pred_speaker(c, p, sentence_first_tok(c, p->tok), &after);
        emit(c, q->in_start, q->in_end, MH_QUOTE_DIRECT, s, p, NULL, 0);
        /* Quoted paragraphs that follow right after speak on. */
        size_t j = k + 1;
        while (j < c->nq && !c->q[j].used) {
            const qspan *nx = &c->q[j], *pv = &c->q[j - 1];
            size_t g = pv->close + 1;
            while (g < nx->open && (d->text[g] == ' ' || d->text[g] == '\n'))
                g++;
            if (g != nx->open || !memchr(d->text + pv->close, '\n', nx->open - pv->close) ||
                !whole_line(c, nx))
                break;
            c->q[j].used = 1;
            emit(c, nx->in_start, nx->in_end, MH_QUOTE_DIRECT, s, p, NULL, 0);
            j++;
        }
        return;
    }
    /* Direct: a genitive speaker and a speech noun (Guterres'in "..."
     * sözleri); bridge words may stand between. */
    if (cue == MH_CUE_BRIDGE && ta + 1 < d->n_tokens &&
        d->tokens[ta + 1].sentence == d->tokens[ta].sentence &&
        mh_lex_cue(c->lx, d->tokens[ta + 1].fold, d->tokens[ta + 1].fold_len, MH_CUE_SPEECH)) {
        ta++;
        cue = MH_CUE_SPEECH;
    }
    if (cue == MH_CUE_SPEECH && c->e) {
        long s = -1;
        for (size_t i = q0; i > from && c->e; i--) {
            long m = mention_at(c, i - 1);
            if (c->in_q[i - 1] >= 0 || m < 0)
                continue;
            const mh_mention *mm = &c->e->m[m];
            if (mm->tok + mm->n_tok == i && genitive_suffix(&d->tokens[i - 1])) {
                s = m;
                break;
            }
            i = mm->tok + 1;
        }
        /* Without a genitive the noun is not someone's words ("olumsuz"
         * yanıt aldıklarını): go on with the other readings. */
        if (s >= 0) {
            const mh_token *ct2 = &d->tokens[ta];
            char *verb = mh_arena_strndup(c->arena, ct2->norm, ct2->norm_len);
            if (!verb) {
                c->err = MH_ENOMEM;
                return;
            }
            emit(c, q->in_start, q->in_end, MH_QUOTE_DIRECT, s, NULL, verb, 0);
            return;
        }
    }
    /* Partial: inside the clause of a later predicate of the sentence. */
    if (q->t1 < d->n_tokens && d->tokens[q->t1].sentence == d->tokens[q0].sentence &&
        !looks_like_name(c, q)) {
        uint32_t sent = d->tokens[q0].sentence;
        for (size_t i = q->t1; i < d->n_tokens && d->tokens[i].sentence == sent; i++) {
            long pi = c->pred_at[i];
            if (pi < 0 || c->in_q[i] >= 0)
                continue;
            const pred *p = &c->p[pi];
            long s = p->form == MH_VF_PARTICIPLE ? p->head : -1;
            if (p->form != MH_VF_PARTICIPLE) {
                int overt;
                s = find_subject(c, from, p->tok, &after, &overt);
                if (s >= 0 && after > q->t0)
                    s = -1;         /* the quotation is before the subject */
                if (s < 0 && !overt) {
                    size_t a2;
                    s = pred_speaker(c, p, from, &a2);
                }
            }
            if (s >= 0)
                emit(c, q->in_start, q->in_end, MH_QUOTE_PARTIAL, s, p, NULL, 0);
            return;
        }
    }
    /* A quoted heading whose line end a scraper lost: the quotation is a
     * sentence of its own and a capitalised word follows it on its line
     * ('... dedi. "Satışlar kampanyadan geliyor" Temmuzda ...').  Nobody
     * is named for it. */
    if (glued_heading(c, q)) {
        if (words_in(q) >= 3)
            emit(c, q->in_start, q->in_end, MH_QUOTE_DIRECT, -1, NULL, NULL, 0);
        return;
    }
    /* A quotation right after the previous statement and its verb ("...,"
     * dedi. "...") goes on with the same speaker. */
    if (c->have_last && c->last_quote_end && c->last_end <= q->open &&
        q->open - c->last_end <= 3 && only_marks(d->text, c->last_end, q->open) &&
        words_in(q) >= 3) {
        emit(c, q->in_start, q->in_end, MH_QUOTE_DIRECT, c->last_speaker, c->last_pred, NULL, 0);
        return;
    }
    /* A statement nobody is named for: a quoted paragraph or heading, or
     * a quotation of a sentence or more.  Short quotations in running
     * text are scare quotes. */
    int sentence_like = 0;
    for (size_t i = q->in_start; i < q->in_end; i++)
        if (d->text[i] == '.' || d->text[i] == '!' || d->text[i] == '?')
            sentence_like = 1;
    if ((whole_line(c, q) && words_in(q) >= 3) || (sentence_like && words_in(q) >= 4) ||
        words_in(q) >= 8)
        emit(c, q->in_start, q->in_end, MH_QUOTE_DIRECT, -1, NULL, NULL, 0);
}

/* ------------------------------------------------------------------ */
/* 4. Indirect speech                                                   */
/* ------------------------------------------------------------------ */

/* A nominalised clause in the accusative (olduğunu, beklediklerini,
 * vereceğini, vermesini) or, as the predicate wants, the dative
 * (planlandığına) or the genitive (gerektiğinin).  Works on the ASCII
 * fold. */
static int complement(const mh_token *t, unsigned vflags)
{
    const char *f = t->fold;
    size_t n = t->fold_len;
    if (n < 6 || (t->flags & (MH_TOK_CAP | MH_TOK_NUM)))
        return 0;
    if (vflags & MH_VERB_GENITIVE) {
        /* -DIğInIn: the possessive vowel, then n + vowel + n. */
        if (n < 8 || f[n - 1] != 'n' || (f[n - 2] != 'i' && f[n - 2] != 'u') || f[n - 3] != 'n')
            return 0;
        n -= 3;
    } else if (vflags & MH_VERB_DATIVE) {
        if (f[n - 2] != 'n' || (f[n - 1] != 'a' && f[n - 1] != 'e'))
            return 0;
        n -= 2;
    } else if (f[n - 2] != 'n' || (f[n - 1] != 'i' && f[n - 1] != 'u')) {
        return 0;
    } else {
        n -= 2;
    }
    if (f[n - 1] == 'i' || f[n - 1] == 'u')
        n--;                                 /* the possessive vowel */
    static const char *const ends[] = {
        "dig", "dug", "tig", "tug", "acag", "eceg", "mas", "mes",
        "diklar", "dikler", "duklar", "dukler", "tiklar", "tikler", "tuklar", "tukler",
        "acaklar", "ecekler", "malar", "meler",
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(ends); i++) {
        size_t el = strlen(ends[i]);
        if (n > el + 1 && memcmp(f + n - el, ends[i], el) == 0)
            return 1;
    }
    return 0;
}

static int is_particle(const mh_token *t)
{
    static const char *const w[] = { "da", "de", "ise", "ayrıca", "bir", "kez", "daha" };
    for (size_t i = 0; i < MH_ARRAY_LEN(w); i++)
        if (strlen(w[i]) == t->norm_len && memcmp(w[i], t->norm, t->norm_len) == 0)
            return 1;
    return 0;
}

/* Does a word, by its fold, end in a locative (töreninde, konuşmada) or
 * a "-rken" converb (konuşurken)? */
static int setting_form(const mh_token *t)
{
    const char *f = t->fold;
    size_t n = t->fold_len;
    if (n >= 4 && memcmp(f + n - 4, "rken", 4) == 0)
        return 1;
    return n >= 4 && (f[n - 1] == 'a' || f[n - 1] == 'e') && (f[n - 2] == 'd' || f[n - 2] == 't');
}

/*
 * The first token of an indirect statement's words from token start:
 * phrases closed by a comma whose last word names the occasion in a
 * locative ("X, açılış töreninde yaptığı konuşmada, projenin ...
 * tamamlandığını belirtti") are the setting, not what was said.  Only
 * the occasion nouns of the lexicon's [setting] cues count, so a place
 * or time said as part of the statement stays in it.  A short such
 * phrase right at the start needs no comma.
 */
static size_t skip_setting(const qctx *c, size_t start, size_t ct)
{
    const mh_doc *d = c->d;
    size_t k = start;
    while (k < ct) {
        if (c->in_q[k] >= 0)
            break;
        if (gap_has_comma_after(c, k)) {
            const mh_token *t = &d->tokens[k];
            if (!setting_form(t) || !mh_lex_cue(c->lx, t->fold, t->fold_len, MH_CUE_SETTING))
                break;
            start = k + 1;
        }
        k++;
    }
    /* Without a comma, a phrase of two or three words that opens the
     * words and ends in an occasion noun in a locative is the setting
     * too ("X, açılış töreninde demiryolunun sürdüğünü söyledi"), when
     * two words or more are left. */
    for (k = start; k < ct && k < start + 3; k++) {
        const mh_token *t = &d->tokens[k];
        if (c->in_q[k] >= 0 || gap_has_comma_after(c, k))
            break;
        if (setting_form(t) && mh_lex_cue(c->lx, t->fold, t->fold_len, MH_CUE_SETTING)) {
            /* One word may be what was said ("Görüşmede bir sonuç
             * alınması gerektiğinin"); a compound rarely is. */
            if (k > start && k + 2 <= ct)
                start = k + 1;
            break;
        }
    }
    return start;
}

static void do_indirect(qctx *c, size_t pi)
{
    pred *p = &c->p[pi];
    const mh_doc *d = c->d;
    if (p->consumed || (p->flags & MH_VERB_DIRECT_ONLY) || p->tok == 0)
        return;
    /* A colon after the predicate introduces a quotation instead. */
    size_t last = p->tok + p->ntok - 1;
    size_t nx = last + 1 < d->n_tokens ? d->tokens[last + 1].start : d->text_len;
    if (mh_first_nonspace(d->text, d->tokens[last].full_end, nx) == ':')
        return;
    size_t ct = p->tok - 1;
    while (ct > 0 && is_particle(&d->tokens[ct]) && d->tokens[ct].sentence == d->tokens[p->tok].sentence)
        ct--;
    const mh_token *cv = &d->tokens[ct];
    if (cv->sentence != d->tokens[p->tok].sentence || c->in_q[ct] >= 0 ||
        !complement(cv, p->flags) ||
        !only_spaces(d->text, cv->full_end, d->tokens[ct + 1].start))
        return;
    size_t s0 = sentence_first_tok(c, p->tok);
    /* The clause starts after the latest boundary: an earlier predicate
     * (and a participle's head) of the sentence, or the subject. */
    size_t start = s0;
    for (size_t k = 0; k < pi; k++) {
        const pred *o = &c->p[k];
        if (o->tok < s0)
            continue;
        size_t b = o->form == MH_VF_PARTICIPLE ? o->head_end : o->tok + o->ntok;
        if (b > start && b <= ct)
            start = b;
    }
    for (size_t k = 0; k < c->nq; k++) {
        const qspan *q = &c->q[k];
        if (q->t0 >= s0 && q->t1 <= ct && q->t1 > start && c->q[k].used &&
            token_after_quote(c, q) != (size_t)-1 && c->pred_at[token_after_quote(c, q)] >= 0)
            start = q->t1;          /* after a direct quotation and its verb */
    }
    /* The subject is looked for from the start of the sentence (a
     * participle's head before an earlier clause is the subject of this
     * one too); the clause starts after it. */
    size_t after;
    long s = pred_speaker(c, p, s0, &after);
    if (p->form != MH_VF_PARTICIPLE && after > start)
        start = after;
    start = skip_setting(c, start, ct);
    if (s < 0 || ct < start || ct - start + 1 < 2)
        return;
    emit(c, d->tokens[start].start, cv->full_end, MH_QUOTE_INDIRECT, s, p, NULL, 0);
}

/* ------------------------------------------------------------------ */
/* 6. Headlines                                                         */
/* ------------------------------------------------------------------ */

/* First person: the statement speaks as "I" or "we". */
static int first_person(const mh_doc *d, size_t t0, size_t t1)
{
    static const char *const ends[] = { "yorum", "yoruz", "acagim", "ecegim", "acagiz",
                                        "ecegiz", "mayiz", "meyiz", "dim", "dum", "tim",
                                        "tum", "imiz", "umuz", "imizi", "umuzu", "imize",
                                        "imizin", "dik", "duk", "tik", "tuk" };
    static const char *const words[] = { "ben", "biz", "bizim", "benim", "bana", "bize" };
    for (size_t i = t0; i < t1; i++) {
        const mh_token *t = &d->tokens[i];
        for (size_t k = 0; k < MH_ARRAY_LEN(words); k++)
            if (strlen(words[k]) == t->fold_len && memcmp(words[k], t->fold, t->fold_len) == 0)
                return 1;
        if (t->fold_len < 6 || (t->flags & MH_TOK_ALLCAPS))
            continue;
        for (size_t k = 0; k < MH_ARRAY_LEN(ends); k++) {
            size_t el = strlen(ends[k]);
            if (t->fold_len > el + 2 && memcmp(t->fold + t->fold_len - el, ends[k], el) == 0)
                return 1;
        }
    }
    return 0;
}

static void do_headline(qctx *c)
{
    const mh_doc *d = c->d;
    const char *t = d->text;
    /* The first colon outside quotations, followed by a space, with words
     * on both sides. */
    size_t colon = (size_t)-1;
    for (size_t i = 0; i < d->text_len; i++) {
        if (t[i] == '\n')
            break;
        if (t[i] != ':')
            continue;
        size_t tk = tok_at_or_after(d, i);
        if (tk == 0 || tk >= d->n_tokens || c->in_q[tk - 1] >= 0 || i + 1 >= d->text_len ||
            t[i + 1] != ' ')
            continue;
        colon = i;
        break;
    }
    if (colon == (size_t)-1 || !c->e)
        return;
    size_t r0 = tok_at_or_after(d, colon), l1 = r0;   /* left: [0, l1) */
    if (r0 >= d->n_tokens || l1 == 0)
        return;
    size_t rs = colon + 1;
    while (rs < d->text_len && t[rs] == ' ')
        rs++;
    size_t re = rs;
    while (re < d->text_len && t[re] != '\n')
        re++;
    while (re > rs && t[re - 1] == ' ')
        re--;
    /* A statement already in quotes: take the inside. */
    long inner = c->in_q[r0];
    int quoted = 0;
    if (inner >= 0 && c->q[inner].open == rs) {
        rs = c->q[inner].in_start;
        re = c->q[inner].in_end;
        c->q[inner].used = 1;
        quoted = 1;
    }
    if (re <= rs)
        return;
    /* "Name: ..." -- every word on the left is a title word or the name. */
    long last = mention_at(c, l1 - 1);
    if (last >= 0) {
        const mh_mention *m = &c->e->m[last];
        int ok = m->tok + m->n_tok == l1 && nominative(c, m);
        for (size_t i = 0; i < m->tok && ok; i++)
            ok = is_capital(&d->tokens[i]) || is_title_tok(c, i);
        /* A role phrase to the left must really be one (or nothing). */
        if (ok && m->tok > 0 && !m->role_len)
            ok = 0;
        if (ok) {
            emit(c, (uint32_t)rs, (uint32_t)re, MH_QUOTE_DIRECT, last, NULL, NULL, MH_QF_HEADLINE);
            return;
        }
    }
    /* "Name'den ... açıklaması: ..." */
    const mh_token *lt = &d->tokens[l1 - 1];
    if (!mh_lex_cue(c->lx, lt->fold, lt->fold_len, MH_CUE_HEADLINE) ||
        !(quoted || first_person(d, r0, d->n_tokens)))
        return;
    for (size_t i = 0; i + 1 < l1; i++) {
        long m = mention_at(c, i);
        if (m < 0 || c->e->m[m].tok + c->e->m[m].n_tok != i + 1)
            continue;
        if (ablative_suffix(&d->tokens[i]) || genitive_suffix(&d->tokens[i])) {
            emit(c, (uint32_t)rs, (uint32_t)re, MH_QUOTE_DIRECT, m, NULL, NULL, MH_QF_HEADLINE);
            return;
        }
    }
}

/* ------------------------------------------------------------------ */
/* Entry points                                                         */
/* ------------------------------------------------------------------ */

const char *mh_quote_kind_name(mh_quote_kind k)
{
    switch (k) {
    case MH_QUOTE_DIRECT: return "direct";
    case MH_QUOTE_INDIRECT: return "indirect";
    case MH_QUOTE_PARTIAL: return "partial";
    default: return "";
    }
}

void mh_quotes_free(mh_quotes *q)
{
    if (!q)
        return;
    if (q->priv) {
        mh_arena_free(q->priv);
        mh_free(q->priv);
    }
    mh_free(q->q);
    mh_free(q);
}

static int cmp_quote(const void *a, const void *b)
{
    const mh_quote *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end;
}

mh_err mh_quotes_find(const mh_doc *doc, const mh_entities *ents, unsigned opts,
                      mh_quotes **out)
{
    if (!doc || !out)
        return MH_EINVAL;
    *out = NULL;
    if (ents && (!ents->priv || ents->priv->doc != doc))
        return MH_EINVAL;
    qctx c;
    memset(&c, 0, sizeof c);
    c.d = doc;
    c.e = ents;
    c.opts = opts;
    c.err = MH_ENOMEM;
    c.lx = mh_lexicon_get();
    size_t nt = doc->n_tokens ? doc->n_tokens : 1;
    c.out = mh_malloc(sizeof *c.out);
    if (!c.lx || !c.out)
        goto out;
    memset(c.out, 0, sizeof *c.out);
    c.arena = mh_malloc(sizeof *c.arena);
    if (!c.arena)
        goto out;
    mh_arena_init(c.arena, 4096);
    c.out->priv = c.arena;
    /* The three per-token arrays in one block (freed through in_q). */
    c.in_q = mh_malloc(3 * nt * sizeof *c.in_q);
    if (!c.in_q)
        goto out;
    c.pred_at = c.in_q + nt;
    c.pred_cover = c.in_q + 2 * nt;
    for (size_t i = 0; i < 3 * nt; i++)
        c.in_q[i] = -1;
    c.err = MH_OK;
    find_spans(&c);
    if (!c.err)
        find_preds(&c);
    if (!c.err && (opts & MH_QUOTE_OPT_HEADLINE))
        do_headline(&c);
    /* Quotations and predicates in text order, so that a subject left out
     * takes the speaker of the statement before it. */
    size_t qi = 0, pi = 0;
    while (!c.err && (qi < c.nq || pi < c.np)) {
        uint32_t qpos = qi < c.nq ? c.q[qi].open : UINT32_MAX;
        uint32_t ppos = pi < c.np ? doc->tokens[c.p[pi].tok].start : UINT32_MAX;
        if (qpos <= ppos)
            do_quote(&c, qi++);
        else
            do_indirect(&c, pi++);
    }
    if (c.err || c.arena->err) {
        c.err = c.err ? c.err : MH_ENOMEM;
        goto out;
    }
    if (c.out->n)
        qsort(c.out->q, c.out->n, sizeof *c.out->q, cmp_quote);
    *out = c.out;
    c.out = NULL;
out:
    mh_free(c.q);
    mh_free(c.p);
    mh_free(c.in_q);
    mh_quotes_free(c.out);     /* only on failure: *out took it otherwise */
    return c.err;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                 */
/* ------------------------------------------------------------------ */

/* A byte of a word in a folded quote key: a-z, 0-9, or any byte of a
 * multi-byte character. */
static inline int key_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

mh_err mh_quote_key_folded(const char *fold, size_t fn, const char *speaker, size_t sn,
                           char out[33])
{
    if (!out || (!fold && fn) || (!speaker && sn))
        return MH_EINVAL;
    const mh_lexicon *lx = mh_lexicon_get();
    if (!lx)
        return MH_ENOMEM;
    /* The speaker's name key first: the hashed bytes are written at once
     * into one block (on the stack for most statements). */
    mh_buf key, kf;
    mh_buf_init(&key, 0);
    mh_buf_init(&kf, 0);
    mh_err e = mh_lex_name_key_with(lx, speaker ? speaker : "", sn, &key, &kf);
    mh_buf_free(&kf);
    char loc[2048], *b = loc;
    size_t need = fn + 1 + key.len;
    if (!e && need > MH_MAX_PAGE_BYTES)
        e = MH_ETOOBIG;
    if (!e && need > sizeof loc && !(b = mh_malloc(need)))
        e = MH_ENOMEM;
    if (e) {
        mh_buf_free(&key);
        return e;
    }
    /* Folded words of the text, one space between them (punctuation and
     * case do not count), then the speaker's name key.  A word is a run
     * of bytes a-z, 0-9 or >= 0x80. */
    const unsigned char *u = (const unsigned char *)fold;
    size_t bl = 0, i = 0;
    while (i < fn) {
        while (i < fn && !key_word_byte(u[i]))
            i++;
        if (i >= fn)
            break;
        if (bl)
            b[bl++] = ' ';
        while (i < fn && key_word_byte(u[i]))
            b[bl++] = (char)u[i++];
    }
    b[bl++] = '\x1f';
    if (key.len)
        memcpy(b + bl, key.p, key.len);
    bl += key.len;
    XXH128_hash_t h = XXH3_128bits(b, bl);
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 8; i++) {
        out[i * 2] = hex[(h.high64 >> (60 - 8 * i)) & 0xF];
        out[i * 2 + 1] = hex[(h.high64 >> (56 - 8 * i)) & 0xF];
        out[16 + i * 2] = hex[(h.low64 >> (60 - 8 * i)) & 0xF];
        out[16 + i * 2 + 1] = hex[(h.low64 >> (56 - 8 * i)) & 0xF];
    }
    out[32] = 0;
    if (b != loc)
        mh_free(b);
    mh_buf_free(&key);
    return MH_OK;
}

mh_err mh_quote_key(const char *text, size_t n, const char *speaker, size_t sn, char out[33])
{
    if (!out || (!text && n) || (!speaker && sn))
        return MH_EINVAL;
    mh_buf f;
    mh_buf_init(&f, 0);
    mh_tr_fold_buf(&f, text ? text : "", n);
    mh_err e = f.err ? f.err : mh_quote_key_folded(f.p ? f.p : "", f.len, speaker, sn, out);
    mh_buf_free(&f);
    return e;
}
