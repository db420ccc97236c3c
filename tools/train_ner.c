/*
 * train_ner.c -- train, evaluate and time the entity tagger of entity.c.
 *
 *   train_ner train [--bits B] [--epochs N] [--seed S] [--cap C] [--out data/ner.model]
 *                   [--c-out src/ner_model_data.c]           (make model)
 *                   with neither, both defaults are written; with --out
 *                   alone, only that file (a trial never replaces the
 *                   compiled-in model)
 *   train_ner eval [--model FILE] [--test FILE]      F1 per type, WikiNER test
 *   train_ner finnews [--model FILE]                 entity recall on FinNews
 *                                                    (FINNEWS_DEBUG=1: the labels missed)
 *   train_ner bench [--model FILE] [--rounds N]      µs per article (entities + quotes)
 *   train_ner quotes-dump FILE...                    a FinNews article and its quotes
 *   train_ner quotes-eval [--ann FILE]               quote precision/recall on FinNews
 *
 * Training data: WikiNER Turkish (data/wikiner/{train,dev,test}.conll under
 * $MUHABIR_SHARED, default ../shared), CC BY-SA 4.0.  Labels map PERSON ->
 * person, GPE and LOC -> place, ORG -> organisation, everything else O.
 * Each CoNLL sentence is cleaned token by token, joined with spaces and
 * analysed with mh_analyze, so the tagger is trained on exactly the tokens
 * and features it sees at run time; labels go to tokens by byte offset.
 *
 * Learning: averaged structured perceptron (Collins 2002) with hashed
 * features (2^bits rows of MH_NER_ROW weights), Viterbi decoding with the
 * same search and skip rule as the tagger (lowercase after O is O), other
 * names of the data (NORP, EVENT, DATE...) as a tag of their own (MISC),
 * sentences shuffled each epoch by a fixed-seed generator: the same data
 * and options give the same model bytes.  --cap C (0, none, by default):
 * a sentence's update moves the weights by at most C tokens' worth, a
 * sentence wrong in many places being scaled down (bench/README.md
 * "## Entities": cap 2 gains a little on average, not installed).
 * After each epoch the averaged, quantised model is scored on dev through
 * mh_entities_find with the tagger's spans only (MH_ENT_OPT_TAGGER_ONLY);
 * the best epoch is written.
 * The rules around the tagger, and the gazetteer entries they alone use
 * (a file's [rules] section), change more often than the tagger should:
 * scoring without them keeps `make model` giving the same bytes.  Weights are quantised to int16 and zlib-compressed
 * (level 9 for the written model only).
 * NER_DEBUG=1 with eval prints each sentence as word/GOLD|PRED;
 * NER_DEBUG=2 also marks the first word of each span (B-PER).
 *
 * Features (entity.c, ner_static): the word, two words either side, affixes
 * of 1-4 letters, shapes of the five-word window, the apostrophe suffix,
 * punctuation around the word, gazetteer runs, the capitalised run the
 * word is in (its last word, the words before and after it, the position
 * and length), the word clusters of the word and of its neighbours (make
 * clusters, tools/gen_clusters.c), and the previous tag with the word and
 * its shape.
 *
 * Scoring: exact spans (first token, token count, type) of the whole
 * pipeline (tagger + gazetteers + rules) against the gold spans.
 */
#include "lexicon.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <zlib.h>

#define NSTAT (MH_NER_MAXF)

static const char *shared_root(void)
{
    const char *s = getenv("MUHABIR_SHARED");
    return s && *s ? s : "../shared";
}

static void die(const char *msg)
{
    fprintf(stderr, "train_ner: %s\n", msg);
    exit(1);
}

/* ------------------------------------------------------------------ */
/* CoNLL sentences through the analyser                                 */
/* ------------------------------------------------------------------ */

typedef struct gold_span { uint32_t tok, n; int type; } gold_span;

typedef struct sent {
    char *text;          /* joined, cleaned tokens */
    size_t len;
    unsigned char *gold; /* per analyser token: MH_TAG_* */
    size_t n_tok;
} sent;

typedef struct corpus {
    sent *s;
    size_t n, cap;
    size_t tokens, dropped;
} corpus;

static int map_label(const char *l)
{
    int b = l[0] == 'B';
    if (l[0] != 'B' && l[0] != 'I')
        return MH_TAG_O;
    const char *t = l + 2;
    if (strcmp(t, "PERSON") == 0)
        return b ? MH_TAG_BPER : MH_TAG_IPER;
    if (strcmp(t, "GPE") == 0 || strcmp(t, "LOC") == 0)
        return b ? MH_TAG_BLOC : MH_TAG_ILOC;
    if (strcmp(t, "ORG") == 0)
        return b ? MH_TAG_BORG : MH_TAG_IORG;
    /* Titles are roles, not names, and hold names ("Çin İmparatoru"). */
    if (strcmp(t, "TITLE") == 0)
        return MH_TAG_O;
    return MH_TAG_MISC;
}

static int is_begin(int t) { return t == MH_TAG_BPER || t == MH_TAG_BLOC || t == MH_TAG_BORG; }
static int is_ent(int t) { return t != MH_TAG_O && t != MH_TAG_MISC; }
static int begin_of(int t) { return !is_ent(t) ? t : (is_begin(t) ? t : t - 1); }
static int type_of_tag(int t)
{
    return t == MH_TAG_O ? 0 : (t <= MH_TAG_IPER ? MH_ENT_PERSON
                                : t <= MH_TAG_ILOC ? MH_ENT_PLACE : MH_ENT_ORG);
}

/* Finish one sentence: tokens[] and labels[] are the CoNLL columns. */
static void add_sentence(corpus *c, mh_analyzer *an, char **toks, int *labs, size_t n)
{
    if (!n)
        return;
    mh_buf b;
    mh_buf_init(&b, 0);
    uint32_t *starts = malloc(n * sizeof *starts), *ends = malloc(n * sizeof *ends);
    for (size_t i = 0; i < n; i++) {
        char *cl;
        size_t cn;
        if (i)
            mh_buf_addc(&b, ' ');
        starts[i] = (uint32_t)b.len;
        if (mh_clean(toks[i], strlen(toks[i]), 0, &cl, &cn) == MH_OK) {
            mh_buf_add(&b, cl, cn);
            mh_free(cl);
        }
        ends[i] = (uint32_t)b.len;
    }
    mh_doc *d;
    if (b.err || mh_analyze(an, b.p ? b.p : "", b.len, MH_AN_NOSTEM, &d) != MH_OK)
        die("analysis failed");
    sent s = { 0 };
    s.len = b.len;
    s.text = mh_buf_detach(&b, NULL);
    s.n_tok = d->n_tokens;
    s.gold = calloc(d->n_tokens ? d->n_tokens : 1, 1);
    size_t ci = 0;
    long last_ci = -1;
    for (size_t k = 0; k < d->n_tokens; k++) {
        uint32_t st = d->tokens[k].start;
        while (ci + 1 < n && starts[ci + 1] <= st)
            ci++;
        int t = labs[ci];
        if ((long)ci == last_ci && is_ent(t))
            t = is_begin(t) ? t + 1 : t;        /* second piece of one CoNLL token */
        /* A label that cannot follow the previous one starts a span. */
        if (is_ent(t) && !is_begin(t) && !(k && (s.gold[k - 1] == t || s.gold[k - 1] == t - 1)))
            t = t - 1;
        s.gold[k] = (unsigned char)t;
        last_ci = (long)ci;
    }
    c->tokens += d->n_tokens;
    mh_doc_free(d);
    free(starts);
    free(ends);
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 1024;
        c->s = realloc(c->s, c->cap * sizeof *c->s);
    }
    c->s[c->n++] = s;
}

static void read_conll(const char *path, corpus *c, mh_analyzer *an)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "train_ner: cannot open %s\n", path);
        exit(77);
    }
    char line[4096];
    char **toks = NULL;
    int *labs = NULL;
    size_t n = 0, cap = 0;
    while (fgets(line, sizeof line, f)) {
        size_t l = strlen(line);
        while (l && (line[l - 1] == '\n' || line[l - 1] == '\r'))
            line[--l] = 0;
        char *tab = strchr(line, '\t');
        if (!l || !tab) {
            add_sentence(c, an, toks, labs, n);
            for (size_t i = 0; i < n; i++)
                free(toks[i]);
            n = 0;
            continue;
        }
        *tab = 0;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            toks = realloc(toks, cap * sizeof *toks);
            labs = realloc(labs, cap * sizeof *labs);
        }
        toks[n] = strdup(line);
        labs[n] = map_label(tab + 1);
        n++;
    }
    add_sentence(c, an, toks, labs, n);
    for (size_t i = 0; i < n; i++)
        free(toks[i]);
    free(toks);
    free(labs);
    fclose(f);
}

static void corpus_free(corpus *c)
{
    for (size_t i = 0; i < c->n; i++) {
        mh_free(c->s[i].text);
        free(c->s[i].gold);
    }
    free(c->s);
    memset(c, 0, sizeof *c);
}

/* Gold spans of a sentence. */
static size_t gold_spans(const sent *s, gold_span *out)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n_tok;) {
        int t = s->gold[i];
        if (!is_ent(t)) {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < s->n_tok && s->gold[j] == begin_of(t) + 1)
            j++;
        out[n++] = (gold_span){ (uint32_t)i, (uint32_t)(j - i), type_of_tag(t) };
        i = j;
    }
    return n;
}

/* ------------------------------------------------------------------ */
/* Scoring through the pipeline                                         */
/* ------------------------------------------------------------------ */

typedef struct prf { size_t tp[4], fp[4], fn[4]; } prf;

static unsigned ent_opts;
/* How the sentences are analysed: training reads WikiNER with the endings
 * glued to capitals kept in the word (MH_AN_NOGLUE), as the model was
 * first trained before the analyser split them (two tokens of train:
 * the model stays the same bytes); scoring reads them as ingest does. */
static unsigned an_opts = MH_AN_NOSTEM;

static void score_sentence(const mh_ner *m, mh_analyzer *an, const sent *s, prf *r)
{
    mh_doc *d;
    mh_entities *e;
    if (mh_analyze(an, s->text, s->len, an_opts, &d) != MH_OK)
        die("analysis failed");
    if (mh_entities_find(m, d, NULL, ent_opts, &e) != MH_OK)
        die("entities failed");
    gold_span *g = malloc((s->n_tok + 1) * sizeof *g);
    size_t ng = gold_spans(s, g);
    char *used = calloc(ng + 1, 1);
    for (size_t i = 0; i < e->n; i++) {
        const mh_mention *x = &e->m[i];
        int hit = 0;
        for (size_t k = 0; k < ng && !hit; k++)
            if (!used[k] && g[k].tok == x->tok && g[k].n == x->n_tok && g[k].type == (int)x->type) {
                used[k] = 1;
                hit = 1;
            }
        if (hit)
            r->tp[x->type]++;
        else
            r->fp[x->type]++;
    }
    for (size_t k = 0; k < ng; k++)
        if (!used[k])
            r->fn[g[k].type]++;
    if (getenv("NER_DEBUG")) {
        /* NER_DEBUG=2 marks the first token of each span with "B-". */
        static const char *tn[] = { "", "PER", "LOC", "ORG" };
        int bio = getenv("NER_DEBUG")[0] == '2';
        for (size_t k = 0; k < d->n_tokens; k++) {
            const char *pt = "", *gt = "", *pb = "", *gb = "";
            for (size_t i = 0; i < e->n; i++)
                if (k >= e->m[i].tok && k < e->m[i].tok + e->m[i].n_tok) {
                    pt = tn[e->m[i].type];
                    pb = bio && k == e->m[i].tok ? "B-" : "";
                }
            for (size_t i = 0; i < ng; i++)
                if (k >= g[i].tok && k < g[i].tok + g[i].n) {
                    gt = tn[g[i].type];
                    gb = bio && k == g[i].tok ? "B-" : "";
                }
            printf("%.*s", (int)(d->tokens[k].full_end - d->tokens[k].start), d->text + d->tokens[k].start);
            if (*pt || *gt)
                printf("/%s%s|%s%s", gb, gt, pb, pt);
            printf(" ");
        }
        printf("\n");
    }
    free(g);
    free(used);
    mh_entities_free(e);
    mh_doc_free(d);
}

static double f1_of(const prf *r, int t, double *p, double *rc)
{
    size_t tp = 0, fp = 0, fn = 0;
    for (int k = 1; k < 4; k++)
        if (!t || t == k) {
            tp += r->tp[k];
            fp += r->fp[k];
            fn += r->fn[k];
        }
    *p = tp + fp ? (double)tp / (double)(tp + fp) : 0;
    *rc = tp + fn ? (double)tp / (double)(tp + fn) : 0;
    return *p + *rc > 0 ? 2 * *p * *rc / (*p + *rc) : 0;
}

static double score_corpus(const mh_ner *m, mh_analyzer *an, const corpus *c, int verbose)
{
    prf r;
    memset(&r, 0, sizeof r);
    for (size_t i = 0; i < c->n; i++)
        score_sentence(m, an, &c->s[i], &r);
    double p, rc, f = f1_of(&r, 0, &p, &rc);
    if (verbose) {
        static const char *names[] = { "all", "person", "place", "org" };
        printf("%-8s %9s %9s %9s %7s %7s %7s\n", "type", "precision", "recall", "F1", "tp", "fp", "fn");
        for (int t = 1; t < 4; t++) {
            double tf = f1_of(&r, t, &p, &rc);
            printf("%-8s %9.4f %9.4f %9.4f %7zu %7zu %7zu\n", names[t], p, rc, tf, r.tp[t], r.fp[t], r.fn[t]);
        }
        f = f1_of(&r, 0, &p, &rc);
        printf("%-8s %9.4f %9.4f %9.4f\n", "micro", p, rc, f);
    }
    return f;
}

/* ------------------------------------------------------------------ */
/* Training                                                             */
/* ------------------------------------------------------------------ */

typedef struct tokfeat {
    uint64_t st[NSTAT];       /* static features */
    uint64_t dyn[MH_NTAGS][MH_NER_DYNF];
    unsigned char nst, gold, skip, first;   /* first: first token of its sentence */
    unsigned char brk;                      /* mh_ner_break: no I- tag here */
} tokfeat;

typedef struct trainset {
    tokfeat *t;
    size_t n;
    size_t *sent_at;          /* first token of each sentence */
    size_t n_sent;
} trainset;

static void build_trainset(const corpus *c, mh_analyzer *an, trainset *ts)
{
    const mh_lexicon *lx = mh_lexicon_get();
    ts->t = malloc((c->tokens + 1) * sizeof *ts->t);
    ts->sent_at = malloc((c->n + 1) * sizeof *ts->sent_at);
    ts->n = 0;
    ts->n_sent = 0;
    uint64_t f[MH_NER_MAXF];
    for (size_t i = 0; i < c->n; i++) {
        const sent *s = &c->s[i];
        mh_doc *d;
        if (mh_analyze(an, s->text, s->len, an_opts, &d) != MH_OK)
            die("analysis failed");
        if (d->n_tokens != s->n_tok)
            die("analysis is not deterministic");
        mh_ner_tok *nt = malloc((d->n_tokens + 1) * sizeof *nt);
        mh_ner_prepare(lx, d, nt);
        ts->sent_at[ts->n_sent++] = ts->n;
        for (size_t k = 0; k < d->n_tokens; k++) {
            tokfeat *x = &ts->t[ts->n++];
            for (int p = 0; p < MH_NTAGS; p++) {
                size_t nf = mh_ner_features(d, nt, k, p, f);
                size_t ns = nf - MH_NER_DYNF;
                if (p == 0) {
                    memcpy(x->st, f, ns * sizeof *f);
                    x->nst = (unsigned char)ns;
                }
                memcpy(x->dyn[p], f + ns, MH_NER_DYNF * sizeof *f);
            }
            x->gold = s->gold[k];
            x->skip = nt[k].skip;
            x->brk = (unsigned char)mh_ner_break(&nt[k]);
            x->first = k == 0 || d->tokens[k - 1].sentence != d->tokens[k].sentence;
        }
        free(nt);
        mh_doc_free(d);
    }
    ts->sent_at[ts->n_sent] = ts->n;
}

typedef struct perceptron {
    unsigned bits;
    size_t rows;
    float *w, *u;
    double c;
} perceptron;

static void update(perceptron *pc, const tokfeat *x, int prev, int tag, float delta)
{
    size_t mask = pc->rows - 1;
    float cu = (float)pc->c * delta;
    for (size_t k = 0; k < (size_t)x->nst + MH_NER_DYNF; k++) {
        uint64_t h = k < x->nst ? x->st[k] : x->dyn[prev][k - x->nst];
        size_t at = (h & mask) * MH_NER_ROW + (size_t)tag;
        pc->w[at] += delta;
        pc->u[at] += cu;
    }
}

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static size_t skip_errors;
static double upd_cap;          /* --cap: tokens' worth of update per sentence */

/* May tag t follow prev at a token with the skip flag (lowercase)?  The
 * tagger's rule: a lowercase word after O (or another name) is O. */
static int allowed_at(int prev, int t, const tokfeat *x)
{
    if (x->skip && (prev == MH_TAG_O || prev == MH_TAG_MISC) && t != MH_TAG_O)
        return 0;
    if (x->brk && (t == MH_TAG_IPER || t == MH_TAG_ILOC || t == MH_TAG_IORG))
        return 0;
    return mh_ner_allowed(prev, t);
}

/* Does token k with previous tag prev get a score (else it is O for free)? */
static int scored(const tokfeat *x, int prev)
{
    return !(x->skip && (prev == MH_TAG_O || prev == MH_TAG_MISC));
}

/*
 * Viterbi decoding of the tokens [a, b) of one sentence into out[0..b-a), the
 * same search as tag_doc of entity.c: a lowercase word after a lowercase
 * word whose best tag is O or another name cuts the sentence there (it
 * is O, and the path up to it is read back), so that runs of lowercase
 * prose cost nothing.
 */
static void viterbi(const perceptron *pc, const trainset *ts, size_t a, size_t b,
                    float (*delta)[MH_NER_ROW], unsigned char (*bp)[MH_NER_ROW],
                    unsigned char *out)
{
    float sc[MH_NER_ROW], st[MH_NER_ROW];
    size_t mask = pc->rows - 1;
    int start = 1;
    size_t seg = a;
    for (size_t k = a; k <= b; k++) {
        int cut = k == b;
        if (!cut && !start && ts->t[k].skip && ts->t[k - 1].skip) {
            int bt = 0;
            for (int t = 1; t < MH_NTAGS; t++)
                if (delta[k - 1 - a][t] > delta[k - 1 - a][bt])
                    bt = t;
            cut = bt == MH_TAG_O || bt == MH_TAG_MISC;
        }
        if (cut && !start) {
            int bt = 0;
            for (int t = 1; t < MH_NTAGS; t++)
                if (delta[k - 1 - a][t] > delta[k - 1 - a][bt])
                    bt = t;
            for (size_t i = k; i-- > seg;) {
                out[i - a] = (unsigned char)bt;
                bt = bp[i - a][bt];
            }
            start = 1;
            if (k < b)
                out[k - a] = MH_TAG_O;
            continue;
        }
        if (k == b)
            break;
        const tokfeat *x = &ts->t[k];
        if (start && x->skip) {
            out[k - a] = MH_TAG_O;
            continue;
        }
        for (int t = 0; t < MH_NER_ROW; t++)
            st[t] = 0;
        for (size_t f = 0; f < x->nst; f++) {
            const float *r = pc->w + (x->st[f] & mask) * MH_NER_ROW;
            for (int t = 0; t < MH_NTAGS; t++)
                st[t] += r[t];
        }
        int np = start ? 1 : MH_NTAGS;
        for (int t = 0; t < MH_NTAGS; t++) {
            delta[k - a][t] = -1e30f;
            bp[k - a][t] = 0;
        }
        for (int pi = 0; pi < np; pi++) {
            int p = start ? MH_TAG_O : pi;
            float base = start ? 0 : delta[k - 1 - a][p];
            if (base <= -1e29f)
                continue;
            for (int t = 0; t < MH_NTAGS; t++)
                sc[t] = st[t];
            for (int f = 0; f < MH_NER_DYNF; f++) {
                const float *r = pc->w + (x->dyn[p][f] & mask) * MH_NER_ROW;
                for (int t = 0; t < MH_NTAGS; t++)
                    sc[t] += r[t];
            }
            for (int t = 0; t < MH_NTAGS; t++) {
                if (!allowed_at(p, t, x))
                    continue;
                float v = base + sc[t];
                if (v > delta[k - a][t]) {
                    delta[k - a][t] = v;
                    bp[k - a][t] = (unsigned char)p;
                }
            }
        }
        if (start)
            seg = k;
        start = 0;
    }
}

static size_t train_epoch(perceptron *pc, const trainset *ts, size_t *order)
{
    size_t errors = 0;
    skip_errors = 0;
    for (size_t i = ts->n_sent; i > 1; i--) {
        size_t j = rng() % i;
        size_t t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    size_t maxlen = 1;
    for (size_t si = 0; si < ts->n_sent; si++)
        if (ts->sent_at[si + 1] - ts->sent_at[si] > maxlen)
            maxlen = ts->sent_at[si + 1] - ts->sent_at[si];
    float (*delta)[MH_NER_ROW] = malloc(maxlen * sizeof *delta);
    unsigned char (*bp)[MH_NER_ROW] = malloc(maxlen * sizeof *bp);
    unsigned char *pred = malloc(maxlen), *gold = malloc(maxlen);
    for (size_t oi = 0; oi < ts->n_sent; oi++) {
        size_t si = order[oi];
        size_t a = ts->sent_at[si], b = ts->sent_at[si + 1];
        /* The gold path as the search can produce it. */
        int prev = MH_TAG_O;
        for (size_t k = a; k < b; k++) {
            int g = ts->t[k].gold;
            if (!allowed_at(prev, g, &ts->t[k])) {
                if (!scored(&ts->t[k], prev)) {
                    if (g != MH_TAG_MISC)
                        skip_errors++;
                    g = MH_TAG_O;
                } else {
                    g = begin_of(g);
                }
            }
            gold[k - a] = (unsigned char)g;
            prev = g;
        }
        viterbi(pc, ts, a, b, delta, bp, pred);
        /* More wrong tokens than the cap: each one's update is scaled
         * down so that the sentence moves the weights by the cap. */
        size_t wrong = 0;
        for (size_t k = a; k < b; k++)
            wrong += gold[k - a] != pred[k - a];
        float step = upd_cap > 0 && (double)wrong > upd_cap ? (float)(upd_cap / (double)wrong)
                                                            : 1.0f;
        int gp = MH_TAG_O, pp = MH_TAG_O;
        for (size_t k = a; k < b; k++) {
            const tokfeat *x = &ts->t[k];
            int g = gold[k - a], p = pred[k - a];
            pc->c += 1;
            if (g != p || gp != pp) {
                if (g != p)
                    errors++;
                if (scored(x, gp))
                    update(pc, x, gp, g, step);
                if (scored(x, pp))
                    update(pc, x, pp, p, -step);
            }
            gp = g;
            pp = p;
        }
    }
    free(delta);
    free(bp);
    free(pred);
    free(gold);
    return errors;
}

/* The averaged weights of pc into avg (pc->rows * MH_NER_ROW of them). */
static void average(const perceptron *pc, double *avg)
{
    size_t nw = pc->rows * MH_NER_ROW;
    for (size_t i = 0; i < nw; i++)
        avg[i] = pc->w[i] - pc->u[i] / pc->c;
}

/* Serialise averaged weights (2^bits rows) as a model file image into
 * *out, zlib level `level`. */
static void serialise(const double *avg, unsigned bits, const char *header, int level, mh_buf *out)
{
    size_t nw = ((size_t)1 << bits) * MH_NER_ROW;
    double maxabs = 0;
    for (size_t i = 0; i < nw; i++) {
        double a = fabs(avg[i]);
        if (a > maxabs)
            maxabs = a;
    }
    double scale = maxabs > 0 ? 32000.0 / maxabs : 1;
    unsigned char *raw = malloc(nw * 2);
    for (size_t i = 0; i < nw; i++) {
        long q = lround(avg[i] * scale);
        uint16_t v = (uint16_t)(int16_t)q;
        raw[2 * i] = (unsigned char)(v & 0xFF);
        raw[2 * i + 1] = (unsigned char)(v >> 8);
    }
    uLongf cl = compressBound(nw * 2);
    unsigned char *comp = malloc(cl);
    if (compress2(comp, &cl, raw, nw * 2, level) != Z_OK)
        die("compression failed");
    mh_buf_reset(out);
    mh_buf_adds(out, header);
    mh_buf_printf(out, "MHNER 1 %u %zu %lu\n", bits, nw * 2, (unsigned long)cl);
    mh_buf_add(out, comp, cl);
    free(raw);
    free(comp);
}

/* Dev F1 of averaged weights avg, through a model image compressed at
 * zlib level 1: level 9 took most of the training time (six times the
 * twelve epochs themselves), and the weights are the same either way. */
static double score_avg(const double *avg, unsigned bits, mh_analyzer *an, const corpus *dev)
{
    mh_buf img;
    mh_buf_init(&img, (size_t)256 << 20);
    serialise(avg, bits, "", 1, &img);
    mh_ner *m;
    if (mh_ner_load_mem(img.p, img.len, &m) != MH_OK)
        die("model does not load back");
    double f = score_corpus(m, an, dev, 0);
    mh_ner_free(m);
    mh_buf_free(&img);
    return f;
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "train_ner: cannot write %s\n", path);
        exit(1);
    }
}

static void write_c(const char *path, const unsigned char *p, size_t n)
{
    mh_buf b;
    mh_buf_init(&b, (size_t)64 << 20);
    mh_buf_adds(&b, "/* ner_model_data.c -- generated by tools/train_ner (make model): the bytes\n"
                    " * of data/ner.model, the entity tagger trained on WikiNER Turkish\n"
                    " * (CC BY-SA 4.0).  Generated, do not edit. */\n#include \"lexicon.h\"\n\n");
    mh_buf_printf(&b, "const size_t mh_ner_model_size = %zu;\n", n);
    mh_buf_printf(&b, "const unsigned char mh_ner_model_data[%zu] = {\n", n + 1);
    size_t col = 0;
    for (size_t i = 0; i < n; i++) {
        char tmp[8];
        int k = snprintf(tmp, sizeof tmp, "%u,", p[i]);
        if (col + (size_t)k > 100) {
            mh_buf_addc(&b, '\n');
            col = 0;
        }
        mh_buf_add(&b, tmp, (size_t)k);
        col += (size_t)k;
    }
    mh_buf_adds(&b, "0\n};\n");
    if (b.err)
        die("out of memory");
    write_file(path, b.p, b.len);
    mh_buf_free(&b);
}

static int cmd_train(int argc, char **argv)
{
    unsigned bits = 18, epochs = 12;
    an_opts = MH_AN_NOSTEM | MH_AN_NOGLUE;
    /* With --out and no --c-out, only the model file is written: a trial
     * model must not replace the compiled-in one by the way. */
    const char *out = "data/ner.model", *c_out = NULL;
    int out_given = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--bits") == 0 && i + 1 < argc)
            bits = (unsigned)atoi(argv[++i]);
        else if (strcmp(argv[i], "--epochs") == 0 && i + 1 < argc)
            epochs = (unsigned)atoi(argv[++i]);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            rng_state = strtoull(argv[++i], NULL, 10) | 1;
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i], out_given = 1;
        else if (strcmp(argv[i], "--c-out") == 0 && i + 1 < argc)
            c_out = argv[++i];
        else if (strcmp(argv[i], "--cap") == 0 && i + 1 < argc)
            upd_cap = atof(argv[++i]);
    }
    if (!c_out)
        c_out = out_given ? "" : "src/ner_model_data.c";
    if (bits < 12 || bits > 22)
        die("--bits must be 12..22");
    char path[4096];
    mh_analyzer *an = mh_analyzer_new();
    corpus tr = { 0 }, dev = { 0 };
    snprintf(path, sizeof path, "%s/data/wikiner/train.conll", shared_root());
    read_conll(path, &tr, an);
    snprintf(path, sizeof path, "%s/data/wikiner/dev.conll", shared_root());
    read_conll(path, &dev, an);
    fprintf(stderr, "train: %zu sentences, %zu tokens; dev: %zu sentences\n", tr.n, tr.tokens, dev.n);
    trainset ts;
    build_trainset(&tr, an, &ts);
    perceptron pc = { bits, (size_t)1 << bits, NULL, NULL, 0 };
    pc.w = calloc(pc.rows * MH_NER_ROW, sizeof *pc.w);
    pc.u = calloc(pc.rows * MH_NER_ROW, sizeof *pc.u);
    mh_buf best;
    mh_buf_init(&best, (size_t)256 << 20);
    size_t *order = malloc(ts.n_sent * sizeof *order);
    for (size_t i = 0; i < ts.n_sent; i++)
        order[i] = i;
    double best_f = -1;
    unsigned best_ep = 0;
    char header[1024];
    size_t nw = pc.rows * MH_NER_ROW;
    double *avg = malloc(nw * sizeof *avg), *bestw = malloc(nw * sizeof *bestw);
    ent_opts = MH_ENT_OPT_TAGGER_ONLY;
    for (unsigned ep = 1; ep <= epochs; ep++) {
        size_t errs = train_epoch(&pc, &ts, order);
        average(&pc, avg);
        double f = score_avg(avg, bits, an, &dev);
        fprintf(stderr, "epoch %u: %zu training errors (%zu lowercase names), dev F1 %.4f\n",
                ep, errs, skip_errors, f);
        if (f > best_f) {
            best_f = f;
            best_ep = ep;
            memcpy(bestw, avg, nw * sizeof *avg);
        }
    }
    char cap_line[64] = "";
    if (upd_cap > 0)
        snprintf(cap_line, sizeof cap_line, "# Update cap %g tokens a sentence.\n", upd_cap);
    snprintf(header, sizeof header,
             "# muhabir entity tagger -- generated by tools/train_ner (make model); do not edit.\n"
             "# Training data: WikiNER Turkish, train split (data/wikiner/train.conll; Kuzgunlar\n"
             "#   NER sentences re-annotated by Co-one), licence CC BY-SA 4.0; so is this model.\n"
             "# Labels: PERSON -> person, GPE and LOC -> place, ORG -> org, others O.\n"
             "# Averaged structured perceptron, hashed features, 2^%u rows x %d int16\n"
             "#   weights, %u epochs (best on the dev split of %u), seed fixed.\n%s",
             bits, MH_NER_ROW, best_ep, epochs, cap_line);
    ent_opts = 0;
    serialise(bestw, bits, header, 9, &best);
    free(avg);
    free(bestw);
    fprintf(stderr, "best epoch %u, dev F1 %.4f, model %zu bytes\n", best_ep, best_f, best.len);
    write_file(out, best.p, best.len);
    if (*c_out)
        write_c(c_out, (const unsigned char *)best.p, best.len);
    mh_analyzer_free(an);
    return 0;
}

static const mh_ner *model_arg(int argc, char **argv, mh_ner **owned)
{
    *owned = NULL;
    for (int i = 0; i + 1 < argc; i++)
        if (strcmp(argv[i], "--model") == 0) {
            if (mh_ner_load(argv[i + 1], owned) != MH_OK)
                die("cannot load the model");
            return *owned;
        }
    const mh_ner *m = mh_ner_builtin();
    if (!m)
        fprintf(stderr, "train_ner: no built-in model; gazetteers only\n");
    return m;
}

static int cmd_eval(int argc, char **argv)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/data/wikiner/test.conll", shared_root());
    const char *test = path;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--test") == 0 && i + 1 < argc)
            test = argv[i + 1];
        if (strcmp(argv[i], "--tagger-only") == 0)
            ent_opts = MH_ENT_OPT_TAGGER_ONLY;
    }
    mh_ner *owned;
    const mh_ner *m = model_arg(argc, argv, &owned);
    mh_analyzer *an = mh_analyzer_new();
    corpus c = { 0 };
    read_conll(test, &c, an);
    printf("WikiNER %s: %zu sentences, %zu tokens (exact spans, whole pipeline)\n", test, c.n, c.tokens);
    score_corpus(m, an, &c, 1);
    corpus_free(&c);
    mh_ner_free(owned);
    mh_analyzer_free(an);
    return 0;
}

/* ------------------------------------------------------------------ */
/* FinNews entity recall                                                */
/* ------------------------------------------------------------------ */

static int finnews_type(const char *t)
{
    if (strcmp(t, "Person") == 0)
        return MH_ENT_PERSON;
    if (strcmp(t, "Country") == 0 || strcmp(t, "City") == 0 || strcmp(t, "Location") == 0)
        return MH_ENT_PLACE;
    if (strcmp(t, "Company") == 0 || strcmp(t, "Institution") == 0 ||
        strcmp(t, "Organization") == 0)
        return MH_ENT_ORG;
    return 0;
}

/* Is every word of key a word of hay (both name keys)? */
static int words_within(const char *key, const char *hay)
{
    const char *p = key;
    while (*p) {
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        int found = 0;
        const char *h = hay;
        while (*h && !found) {
            const char *he = strchr(h, ' ');
            size_t hn = he ? (size_t)(he - h) : strlen(h);
            found = hn == n && memcmp(h, p, n) == 0;
            h = he ? he + 1 : h + hn;
        }
        if (!found)
            return 0;
        p = e ? e + 1 : p + n;
    }
    return 1;
}

static int cmd_finnews(int argc, char **argv)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/data/finnews/labeled.json", shared_root());
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "train_ner: %s absent\n", path);
        return 77;
    }
    mh_buf b;
    mh_buf_init(&b, (size_t)64 << 20);
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        mh_buf_add(&b, chunk, k);
    fclose(f);
    cJSON *root = cJSON_ParseWithLength(b.p, b.len);
    if (!root)
        die("labeled.json does not parse");
    mh_ner *owned;
    const mh_ner *m = model_arg(argc, argv, &owned);
    mh_analyzer *an = mh_analyzer_new();
    size_t total[4] = { 0 }, found[4] = { 0 }, exact[4] = { 0 }, typed[4] = { 0 };
    mh_buf key;
    mh_buf_init(&key, 0);
    const mh_lexicon *lx = mh_lexicon_get();
    cJSON *art;
    cJSON_ArrayForEach(art, root) {
        const char *title = cJSON_GetStringValue(cJSON_GetObjectItem(art, "title"));
        const char *content = cJSON_GetStringValue(cJSON_GetObjectItem(art, "content"));
        if (!content)
            continue;
        mh_buf raw;
        mh_buf_init(&raw, 0);
        mh_buf_adds(&raw, title ? title : "");
        mh_buf_adds(&raw, "\n\n");
        mh_buf_adds(&raw, content);
        char *cl;
        size_t cn;
        mh_doc *d;
        mh_entities *e;
        if (mh_clean(raw.p, raw.len, MH_CLEAN_LINES, &cl, &cn) != MH_OK ||
            mh_analyze(an, cl, cn, MH_AN_NOSTEM, &d) != MH_OK ||
            mh_entities_find(m, d, NULL, 0, &e) != MH_OK)
            die("pipeline failed");
        /* Name keys of every mention: canonical name and surface. */
        size_t nk = e->n * 2;
        char **keys = calloc(nk + 1, sizeof *keys);
        int *ktype = calloc(nk + 1, sizeof *ktype);
        for (size_t i = 0; i < e->n; i++) {
            mh_lex_name_key(lx, e->m[i].name, e->m[i].name_len, &key);
            keys[2 * i] = strdup(key.p ? key.p : "");
            mh_lex_name_key(lx, d->text + e->m[i].start, e->m[i].end - e->m[i].start, &key);
            keys[2 * i + 1] = strdup(key.p ? key.p : "");
            ktype[2 * i] = ktype[2 * i + 1] = (int)e->m[i].type;
        }
        cJSON *ent;
        cJSON_ArrayForEach(ent, cJSON_GetObjectItem(art, "entities")) {
            const char *ty = cJSON_GetStringValue(cJSON_GetObjectItem(ent, "type"));
            const char *nm = cJSON_GetStringValue(
                cJSON_GetObjectItem(cJSON_GetObjectItem(ent, "attributes"), "name"));
            int t = ty ? finnews_type(ty) : 0;
            if (!t || !nm)
                continue;
            /* A label that writes a name with its abbreviation, "Avrupa
             * Merkez Bankası (ECB)", names one thing twice: an article
             * names it by either, and the pipeline's canonical name is
             * one of them.  Its keys are the whole label, the name before
             * the brackets and the abbreviation inside them. */
            char *alt[2] = { NULL, NULL };
            const char *lp = strrchr(nm, '(');
            size_t nml = strlen(nm);
            if (lp && lp > nm && nml && nm[nml - 1] == ')') {
                mh_lex_name_key(lx, nm, (size_t)(lp - nm), &key);
                alt[0] = strdup(key.p ? key.p : "");
                mh_lex_name_key(lx, lp + 1, nml - 2 - (size_t)(lp - nm), &key);
                alt[1] = strdup(key.p ? key.p : "");
            }
            mh_lex_name_key(lx, nm, nml, &key);
            if (!key.len) {
                free(alt[0]);
                free(alt[1]);
                continue;
            }
            /* Only labels whose words occur in the text can be found. */
            total[t]++;
            total[0]++;
            int fx = 0, fl = 0, ft = 0;
            for (size_t i = 0; i < nk; i++) {
                int ov = words_within(key.p, keys[i]) || words_within(keys[i], key.p);
                if (strcmp(keys[i], key.p) == 0)
                    fx = 1;
                for (int a = 0; a < 2; a++) {
                    if (alt[a] && *alt[a] && strcmp(keys[i], alt[a]) == 0)
                        fx = 1;
                    if (alt[a] && *alt[a] && (words_within(alt[a], keys[i]) || words_within(keys[i], alt[a])))
                        ov = 1;
                }
                if (ov) {
                    fl = 1;
                    if (ktype[i] == t)
                        ft = 1;
                }
            }
            free(alt[0]);
            free(alt[1]);
            if (!fx && getenv("FINNEWS_DEBUG"))
                printf("missed %d %s\n", t, nm);
            exact[t] += (size_t)fx;
            exact[0] += (size_t)fx;
            found[t] += (size_t)fl;
            found[0] += (size_t)fl;
            typed[t] += (size_t)ft;
            typed[0] += (size_t)ft;
        }
        for (size_t i = 0; i < nk; i++)
            free(keys[i]);
        free(keys);
        free(ktype);
        mh_entities_free(e);
        mh_doc_free(d);
        mh_free(cl);
        mh_buf_free(&raw);
    }
    static const char *names[] = { "all", "person", "place", "org" };
    printf("FinNews labeled.json entity recall (labels: Person; Country/City/Location;\n"
           "Company/Institution/Organization).  exact: same name key (a label \"Name (ABBR)\"\n"
           "is matched by either name); overlap: the words of one name within the other;\n"
           "typed: overlap with the same type.\n");
    printf("%-8s %7s %9s %9s %9s\n", "type", "labels", "exact", "overlap", "typed");
    for (int t = 1; t <= 4; t++) {
        int i = t % 4;
        double n = total[i] ? (double)total[i] : 1;
        printf("%-8s %7zu %9.4f %9.4f %9.4f\n", names[i], total[i], exact[i] / n, found[i] / n,
               typed[i] / n);
    }
    mh_buf_free(&key);
    mh_buf_free(&b);
    cJSON_Delete(root);
    mh_ner_free(owned);
    mh_analyzer_free(an);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Speed                                                                */
/* ------------------------------------------------------------------ */

/* CPU time of this thread: the machine is shared, so wall time would
 * count other processes' turns. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmd_bench(int argc, char **argv)
{
    unsigned rounds = 5;
    for (int i = 0; i + 1 < argc; i++)
        if (strcmp(argv[i], "--rounds") == 0)
            rounds = (unsigned)atoi(argv[i + 1]);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/data/finnews/raw", shared_root());
    DIR *dp = opendir(dir);
    if (!dp) {
        fprintf(stderr, "train_ner: %s absent\n", dir);
        return 77;
    }
    mh_ner *owned;
    const mh_ner *m = model_arg(argc, argv, &owned);
    mh_analyzer *an = mh_analyzer_new();
    mh_doc **docs = NULL;
    size_t nd = 0, cap = 0, bytes = 0;
    struct dirent *de;
    while ((de = readdir(dp))) {
        if (!strstr(de->d_name, ".json"))
            continue;
        char p[8192];
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        FILE *f = fopen(p, "rb");
        if (!f)
            continue;
        mh_buf b;
        mh_buf_init(&b, 0);
        char chunk[65536];
        size_t k;
        while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
            mh_buf_add(&b, chunk, k);
        fclose(f);
        cJSON *j = cJSON_ParseWithLength(b.p, b.len);
        const char *content = j ? cJSON_GetStringValue(cJSON_GetObjectItem(j, "content")) : NULL;
        char *cl;
        size_t cn;
        if (content && mh_clean(content, strlen(content), MH_CLEAN_LINES, &cl, &cn) == MH_OK) {
            mh_doc *d;
            if (mh_analyze(an, cl, cn, 0, &d) == MH_OK) {
                if (nd == cap) {
                    cap = cap ? cap * 2 : 128;
                    docs = realloc(docs, cap * sizeof *docs);
                }
                docs[nd++] = d;
                bytes += cn;
            }
            mh_free(cl);
        }
        cJSON_Delete(j);
        mh_buf_free(&b);
    }
    closedir(dp);
    if (!nd)
        return 77;
    /* Warm up the lexicon and the model outside the timing. */
    mh_entities *e;
    mh_quotes *q;
    mh_entities_find(m, docs[0], NULL, 0, &e);
    mh_entities_free(e);
    size_t nq = 0, nm = 0;
    double t_ent = 0, t_q = 0;
    double t0 = now_s();
    for (unsigned r = 0; r < rounds; r++)
        for (size_t i = 0; i < nd; i++) {
            double a = now_s();
            if (mh_entities_find(m, docs[i], NULL, 0, &e) != MH_OK)
                die("entities failed");
            double b = now_s();
            if (mh_quotes_find(docs[i], e, 0, &q) != MH_OK)
                die("quotes failed");
            t_ent += b - a;
            t_q += now_s() - b;
            nm += e->n;
            nq += q->n;
            mh_quotes_free(q);
            mh_entities_free(e);
        }
    double dt = now_s() - t0;
    printf("entities %.1f us/article, quotes %.1f us/article\n", t_ent * 1e6 / ((double)nd * rounds),
           t_q * 1e6 / ((double)nd * rounds));
    double per = dt / ((double)nd * rounds);
    printf("FinNews raw: %zu articles, mean %.0f bytes; entities + quotes: %.1f us/article,\n"
           "%.1f us per 3 KB, %.1f MB/s (%zu mentions, %zu quotes per round)\n",
           nd, (double)bytes / (double)nd, per * 1e6, per * 1e6 * 3072.0 / ((double)bytes / (double)nd),
           (double)bytes * rounds / dt / 1e6, nm / rounds, nq / rounds);
    for (size_t i = 0; i < nd; i++)
        mh_doc_free(docs[i]);
    free(docs);
    mh_ner_free(owned);
    mh_analyzer_free(an);
    return 0;
}

/* ------------------------------------------------------------------ */
/* FinNews quotes: hand annotation against the system                   */
/* ------------------------------------------------------------------ */

/* The cleaned content of a FinNews raw article, its doc, entities and
 * quotes.  Offsets of the annotation are into the cleaned content. */
typedef struct fn_art {
    char *text;
    size_t len;
    mh_doc *d;
    mh_entities *e;
    mh_quotes *q;
} fn_art;

static int fn_load(mh_analyzer *an, const char *file, fn_art *a)
{
    char path[8192];
    memset(a, 0, sizeof *a);
    snprintf(path, sizeof path, "%s/data/finnews/raw/%s", shared_root(), file);
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    mh_buf b;
    mh_buf_init(&b, 0);
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        mh_buf_add(&b, chunk, k);
    fclose(f);
    cJSON *j = cJSON_ParseWithLength(b.p, b.len);
    const char *content = j ? cJSON_GetStringValue(cJSON_GetObjectItem(j, "content")) : NULL;
    int ok = content && mh_clean(content, strlen(content), MH_CLEAN_LINES, &a->text, &a->len) == MH_OK &&
             mh_analyze(an, a->text, a->len, 0, &a->d) == MH_OK &&
             mh_entities_find(NULL, a->d, NULL, 0, &a->e) == MH_OK &&
             mh_quotes_find(a->d, a->e, 0, &a->q) == MH_OK;
    cJSON_Delete(j);
    mh_buf_free(&b);
    return ok;
}

static void fn_free(fn_art *a)
{
    mh_quotes_free(a->q);
    mh_entities_free(a->e);
    mh_doc_free(a->d);
    mh_free(a->text);
}

/* Is the FinNews raw folder under the shared data?  Says so when not. */
static int finnews_present(void)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/data/finnews/raw", shared_root());
    DIR *dp = opendir(dir);
    if (!dp) {
        fprintf(stderr, "train_ner: %s absent\n", dir);
        return 0;
    }
    closedir(dp);
    return 1;
}

static int cmd_quotes_dump(int argc, char **argv)
{
    mh_analyzer *an = mh_analyzer_new();
    for (int i = 0; i < argc; i++) {
        fn_art a;
        if (!fn_load(an, argv[i], &a)) {
            fprintf(stderr, "train_ner: cannot read %s\n", argv[i]);
            continue;
        }
        printf("=== %s\n%s\n--- system\n", argv[i], a.text);
        for (size_t k = 0; k < a.q->n; k++) {
            const mh_quote *q = &a.q->q[k];
            printf("%s\t%u\t%u\t%s\t%.*s\t| %.*s\n", argv[i], q->start, q->end,
                   mh_quote_kind_name(q->kind), (int)q->speaker_len, q->speaker ? q->speaker : "-",
                   (int)(q->end - q->start > 80 ? 80 : q->end - q->start), a.text + q->start);
        }
        fn_free(&a);
    }
    mh_analyzer_free(an);
    return 0;
}

/* Do two spans overlap by half of their union or more? */
static int spans_match(uint32_t a0, uint32_t a1, uint32_t b0, uint32_t b1)
{
    uint32_t lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
    uint32_t ulo = a0 < b0 ? a0 : b0, uhi = a1 > b1 ? a1 : b1;
    return hi > lo && 2 * (hi - lo) >= uhi - ulo;
}

static int same_speaker(const char *a, size_t an, const char *b, size_t bn)
{
    char *ka, *kb;
    if (mh_entity_key(a, an, &ka, NULL) != MH_OK || mh_entity_key(b, bn, &kb, NULL) != MH_OK)
        die("out of memory");
    int same = strcmp(ka, kb) == 0;
    mh_free(ka);
    mh_free(kb);
    return same;
}

/* Precision and recall of statements (span) and of statement + speaker
 * against tests/golden/quotes/finnews.tsv. */
static int cmd_quotes_eval(int argc, char **argv)
{
    const char *ann = "tests/golden/quotes/finnews.tsv";
    for (int i = 0; i + 1 < argc; i++)
        if (strcmp(argv[i], "--ann") == 0)
            ann = argv[i + 1];
    FILE *f = fopen(ann, "r");
    if (!f) {
        fprintf(stderr, "train_ner: cannot open %s\n", ann);
        return 1;
    }
    if (!finnews_present()) {
        fclose(f);
        return 77;
    }
    typedef struct annq { char file[256]; uint32_t s, e; char kind[16]; char spk[128]; int hit; } annq;
    annq *A = NULL;
    size_t na = 0, cap = 0;
    char line[1024];
    char files[256][256];
    size_t nf = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        annq x;
        memset(&x, 0, sizeof x);
        char spk[128] = "";
        if (sscanf(line, "%255[^\t]\t%u\t%u\t%15[^\t]\t%127[^\t\n]", x.file, &x.s, &x.e, x.kind, spk) < 4)
            continue;
        snprintf(x.spk, sizeof x.spk, "%s", spk);
        if (strcmp(x.kind, "none") != 0) {
            if (na == cap) {
                cap = cap ? cap * 2 : 64;
                A = realloc(A, cap * sizeof *A);
            }
            A[na++] = x;
        }
        int seen = 0;
        for (size_t k = 0; k < nf; k++)
            if (strcmp(files[k], x.file) == 0)
                seen = 1;
        if (!seen && nf < 256)
            snprintf(files[nf++], sizeof files[0], "%s", x.file);
    }
    fclose(f);
    mh_analyzer *an = mh_analyzer_new();
    size_t sys_n = 0, span_ok = 0, full_ok = 0, span_hit = 0, full_hit = 0;
    for (size_t k = 0; k < nf; k++) {
        fn_art a;
        if (!fn_load(an, files[k], &a))
            die("cannot read an annotated article");
        for (size_t j = 0; j < a.q->n; j++) {
            const mh_quote *q = &a.q->q[j];
            sys_n++;
            int sp = 0, fu = 0;
            for (size_t i = 0; i < na; i++) {
                if (strcmp(A[i].file, files[k]) != 0 || !spans_match(q->start, q->end, A[i].s, A[i].e))
                    continue;
                sp = 1;
                int unknown = strcmp(A[i].spk, "-") == 0;
                int same = unknown ? q->speaker == NULL
                                   : q->speaker && same_speaker(q->speaker, q->speaker_len, A[i].spk,
                                                                strlen(A[i].spk));
                if (same) {
                    fu = 1;
                    A[i].hit |= 2;
                }
                A[i].hit |= 1;
            }
            span_ok += (size_t)sp;
            full_ok += (size_t)fu;
            if (getenv("QUOTE_DEBUG") && !fu)
                printf("system only: %s %u %u %s %.*s | %.60s\n", files[k], q->start, q->end,
                       mh_quote_kind_name(q->kind), (int)q->speaker_len, q->speaker ? q->speaker : "-",
                       a.text + q->start);
        }
        fn_free(&a);
    }
    for (size_t i = 0; i < na; i++) {
        span_hit += A[i].hit & 1;
        full_hit += (A[i].hit >> 1) & 1;
        if (getenv("QUOTE_DEBUG") && !(A[i].hit & 2))
            printf("missed: %s %u %u %s %s\n", A[i].file, A[i].s, A[i].e, A[i].kind, A[i].spk);
    }
    printf("FinNews quotes, %zu hand-annotated statements in %zu articles, %zu found:\n", na, nf, sys_n);
    printf("  statement:           precision %.3f  recall %.3f\n",
           sys_n ? (double)span_ok / (double)sys_n : 0, na ? (double)span_hit / (double)na : 0);
    printf("  statement + speaker: precision %.3f  recall %.3f\n",
           sys_n ? (double)full_ok / (double)sys_n : 0, na ? (double)full_hit / (double)na : 0);
    free(A);
    mh_analyzer_free(an);
    return 0;
}

/* ------------------------------------------------------------------ */
/* FinNews entities: exhaustive hand annotation against the system       */
/* ------------------------------------------------------------------ */

/*
 * Precision, recall and F1 per type of the entity mentions of the
 * articles in tests/golden/entities/finnews.tsv (every person, place and
 * organisation of each, annotated by hand: file, byte offsets into the
 * cleaned content, type).  Exact: same span and type; typed overlap: a
 * system mention of the same type overlapping the gold one.  The text is
 * news, unlike WikiNER's encyclopedia sentences: this is what a user of
 * muhabir sees.  Exit 77 without ../shared.
 */
static int cmd_entities_gold(int argc, char **argv)
{
    const char *ann = "tests/golden/entities/finnews.tsv";
    for (int i = 0; i + 1 < argc; i++)
        if (strcmp(argv[i], "--gold") == 0)
            ann = argv[i + 1];
    if (!finnews_present())
        return 77;
    FILE *f = fopen(ann, "r");
    if (!f) {
        fprintf(stderr, "train_ner: cannot open %s\n", ann);
        return 1;
    }
    typedef struct gold { char file[256]; uint32_t s, e; int type, hit, ohit; } gold;
    gold *G = NULL;
    size_t ng = 0, cap = 0;
    char line[1024], files[64][256];
    size_t nf = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        gold x;
        memset(&x, 0, sizeof x);
        char ty[16];
        if (sscanf(line, "%255[^\t]\t%u\t%u\t%15[^\t\n]", x.file, &x.s, &x.e, ty) != 4)
            continue;
        x.type = (int)mh_ent_type_parse(ty, strlen(ty));
        if (x.type == MH_ENT_NONE || x.e <= x.s)
            die("bad line in the entity annotation");
        if (ng == cap) {
            cap = cap ? cap * 2 : 256;
            G = realloc(G, cap * sizeof *G);
            if (!G)
                die("out of memory");
        }
        G[ng++] = x;
        int seen = 0;
        for (size_t k = 0; k < nf; k++)
            seen |= strcmp(files[k], x.file) == 0;
        if (!seen && nf < 64)
            snprintf(files[nf++], sizeof files[0], "%s", x.file);
    }
    fclose(f);
    mh_analyzer *an = mh_analyzer_new();
    prf ex, ov;
    memset(&ex, 0, sizeof ex);
    memset(&ov, 0, sizeof ov);
    int debug = getenv("NER_DEBUG") != NULL;
    for (size_t k = 0; k < nf; k++) {
        fn_art a;
        if (!fn_load(an, files[k], &a))
            die("cannot read an annotated article");
        for (size_t j = 0; j < a.e->n; j++) {
            const mh_mention *m = &a.e->m[j];
            int exact = 0, over = 0;
            for (size_t i = 0; i < ng; i++) {
                gold *g = &G[i];
                if (strcmp(g->file, files[k]) != 0 || (int)m->type != g->type)
                    continue;
                if (m->start == g->s && m->end == g->e) {
                    exact = 1;
                    g->hit = 1;
                }
                if (m->start < g->e && g->s < m->end) {
                    over = 1;
                    g->ohit = 1;
                }
            }
            ex.tp[m->type] += (size_t)exact;
            ex.fp[m->type] += (size_t)!exact;
            ov.tp[m->type] += (size_t)over;
            ov.fp[m->type] += (size_t)!over;
            if (debug && !exact)
                printf("system only: %s %u %u %s %.*s\n", files[k], m->start, m->end,
                       mh_ent_type_name(m->type), (int)(m->end - m->start), a.text + m->start);
        }
        for (size_t i = 0; i < ng; i++) {
            gold *g = &G[i];
            if (strcmp(g->file, files[k]) != 0)
                continue;
            ex.fn[g->type] += (size_t)!g->hit;
            ov.fn[g->type] += (size_t)!g->ohit;
            if (debug && !g->hit)
                printf("missed: %s %u %u %s %.*s\n", g->file, g->s, g->e,
                       mh_ent_type_name((mh_ent_type)g->type), (int)(g->e - g->s),
                       g->e <= a.len ? a.text + g->s : "");
        }
        fn_free(&a);
    }
    printf("FinNews entities, %zu hand-annotated mentions in %zu articles\n", ng, nf);
    printf("type     exact P     R      F1  | typed overlap P     R      F1\n");
    static const char *const names[] = { "micro", "person", "place", "org" };
    for (int t = 1; t <= 4; t++) {
        int ty = t == 4 ? 0 : t;
        double p, r, po, ro;
        double f1 = f1_of(&ex, ty, &p, &r), fo = f1_of(&ov, ty, &po, &ro);
        printf("%-8s %.4f  %.4f  %.4f  |        %.4f  %.4f  %.4f\n", names[ty], p, r, f1, po, ro,
               fo);
    }
    free(G);
    mh_analyzer_free(an);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: train_ner train|eval|finnews|bench|quotes-dump|quotes-eval|entities-eval [options]\n");
        return 2;
    }
    if (strcmp(argv[1], "train") == 0)
        return cmd_train(argc - 2, argv + 2);
    if (strcmp(argv[1], "eval") == 0)
        return cmd_eval(argc - 2, argv + 2);
    if (strcmp(argv[1], "finnews") == 0)
        return cmd_finnews(argc - 2, argv + 2);
    if (strcmp(argv[1], "dump") == 0 && argc > 2) {
        /* Debug: the analyser tokens of a CoNLL file with their gold tags. */
        static const char *tn[] = { "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "MISC" };
        mh_analyzer *an = mh_analyzer_new();
        corpus c = { 0 };
        read_conll(argv[2], &c, an);
        for (size_t i = 0; i < c.n && i < 40; i++) {
            mh_doc *d;
            mh_analyze(an, c.s[i].text, c.s[i].len, MH_AN_NOSTEM, &d);
            for (size_t k = 0; k < d->n_tokens; k++)
                printf("%.*s/%s ", (int)(d->tokens[k].full_end - d->tokens[k].start),
                       d->text + d->tokens[k].start, tn[c.s[i].gold[k]]);
            printf("\n");
            mh_doc_free(d);
        }
        corpus_free(&c);
        mh_analyzer_free(an);
        return 0;
    }
    if (strcmp(argv[1], "bench") == 0)
        return cmd_bench(argc - 2, argv + 2);
    if (strcmp(argv[1], "quotes-dump") == 0)
        return cmd_quotes_dump(argc - 2, argv + 2);
    if (strcmp(argv[1], "quotes-eval") == 0)
        return cmd_quotes_eval(argc - 2, argv + 2);
    if (strcmp(argv[1], "entities-eval") == 0)
        return cmd_entities_gold(argc - 2, argv + 2);
    fprintf(stderr, "train_ner: unknown command %s\n", argv[1]);
    return 2;
}
