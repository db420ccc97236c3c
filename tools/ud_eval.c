/*
 * ud_eval.c -- measure sentence splitting and stems on Universal
 * Dependencies treebanks (CoNLL-U).
 *
 * usage: ud_eval [-g N] [-v] [-s] file.conllu...
 *
 * The treebanks have no document markers, so every N consecutive
 * sentences (default 10) form a document: their "# text =" lines, each
 * cleaned with mh_clean, are joined with one space, analysed with
 * mh_analyze, and the predicted sentences are compared with the gold ones:
 *   - boundaries: the start offsets of sentences 2..k of each document;
 *     precision, recall and F1 of the predicted set against the gold set;
 *   - sentences: spans predicted exactly (same start and end).
 * Stems: every word of a sentence (not punctuation, not the parts of a
 * multiword token) is matched to the analyser's token with the same full
 * surface; its stem is compared with the Turkish lowercase of the UD lemma
 * (exact agreement, and agreement of the ASCII folds with the stem a
 * prefix of the lemma or the lemma a prefix of the stem).  UD lemmas are
 * dictionary forms, a stemmer cuts further, so the figure is a rough
 * comparison between versions of the analyser, not an accuracy.
 * "Rp" is the recall over the gold boundaries that follow punctuation
 * (the treebanks also split unpunctuated lines, which joined with a space
 * no splitter can recover).  With -v, every spurious boundary (FP) and
 * every missed boundary after punctuation (FN) is printed.
 *
 * Data: UD_Turkish-BOUN and UD_Turkish-Penn (CC BY-SA 4.0), read from the
 * paths given; nothing of them is stored in this repository.
 */
#include "muhabir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sent {
    char *text;          /* cleaned "# text =" */
    size_t len;
    char **forms, **lemmas, **upos;
    size_t n_words;
} sent;

/* (lemma, stem) of one word, for the pair-counting figures. */
typedef struct pair {
    char *lemma, *stem;
} pair;

static pair *pairs;
static size_t n_pairs, cap_pairs;

typedef struct stats {
    long gold_b, pred_b, hit_b;      /* boundaries */
    long gold_pb, hit_pb;            /* gold boundaries after punctuation */
    long gold_s, hit_s;              /* exact sentences */
    long words, matched, stem_eq, stem_compat;
    long propn, propn_eq;
} stats;

static char *xstrndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

static void sent_free(sent *s)
{
    for (size_t i = 0; i < s->n_words; i++) {
        free(s->forms[i]);
        free(s->lemmas[i]);
        free(s->upos[i]);
    }
    free(s->forms);
    free(s->lemmas);
    free(s->upos);
    mh_free(s->text);
    memset(s, 0, sizeof *s);
}

/* Split a CoNLL-U line into up to 10 tab-separated fields (in place). */
static int fields(char *line, char **f)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < 10; p++)
        if (*p == '\t') {
            *p = 0;
            f[n++] = p + 1;
        }
    return n;
}

/* Read the next sentence; 0 at end of file. */
static int read_sent(FILE *fp, sent *s)
{
    static char line[1 << 16];
    size_t cap = 0;
    int any = 0;
    memset(s, 0, sizeof *s);
    while (fgets(line, sizeof line, fp)) {
        size_t l = strlen(line);
        while (l && (line[l - 1] == '\n' || line[l - 1] == '\r'))
            line[--l] = 0;
        if (l == 0) {
            if (any)
                return 1;
            continue;
        }
        any = 1;
        if (strncmp(line, "# text = ", 9) == 0) {
            mh_free(s->text);
            if (mh_clean(line + 9, l - 9, 0, &s->text, &s->len) != MH_OK) {
                s->text = NULL;
                s->len = 0;
            }
            continue;
        }
        if (line[0] == '#')
            continue;
        char *f[10];
        if (fields(line, f) < 4 || strchr(f[0], '-') || strchr(f[0], '.'))
            continue;
        if (s->n_words == cap) {
            cap = cap ? cap * 2 : 32;
            s->forms = realloc(s->forms, cap * sizeof *s->forms);
            s->lemmas = realloc(s->lemmas, cap * sizeof *s->lemmas);
            s->upos = realloc(s->upos, cap * sizeof *s->upos);
            if (!s->forms || !s->lemmas || !s->upos) {
                fprintf(stderr, "out of memory\n");
                exit(2);
            }
        }
        s->forms[s->n_words] = xstrndup(f[1], strlen(f[1]));
        s->lemmas[s->n_words] = xstrndup(f[2], strlen(f[2]));
        s->upos[s->n_words] = xstrndup(f[3], strlen(f[3]));
        s->n_words++;
    }
    return any;
}

static int show_stems;   /* -s: print PROPN disagreements; -s -s: all */

static int has_prefix(const char *a, size_t an, const char *b, size_t bn)
{
    return an <= bn && memcmp(a, b, an) == 0;
}

/* Compare the stems of the words of one sentence (text at offset off in
 * the document) with the UD lemmas. */
static void eval_stems(mh_analyzer *an, const sent *s, stats *st)
{
    mh_doc *d = NULL;
    if (!s->text || mh_analyze(an, s->text, s->len, 0, &d) != MH_OK)
        return;
    size_t t = 0;
    for (size_t w = 0; w < s->n_words; w++) {
        if (strcmp(s->upos[w], "PUNCT") == 0)
            continue;
        st->words++;
        const char *form = s->forms[w];
        size_t fl = strlen(form);
        /* Find the next token whose full surface is the form. */
        size_t k = t;
        for (; k < d->n_tokens && k < t + 4; k++) {
            const mh_token *tk = &d->tokens[k];
            if (tk->full_end - tk->start == fl && memcmp(d->text + tk->start, form, fl) == 0)
                break;
        }
        if (k >= d->n_tokens || k >= t + 4)
            continue;
        t = k + 1;
        const mh_token *tk = &d->tokens[k];
        st->matched++;
        char *lem = NULL, *lf = NULL;
        size_t ll = 0, lfl = 0;
        if (mh_tr_lower(s->lemmas[w], strlen(s->lemmas[w]), &lem, &ll) != MH_OK ||
            mh_tr_fold(lem, ll, &lf, &lfl) != MH_OK) {
            mh_free(lem);
            continue;
        }
        int eq = tk->stem_len == ll && memcmp(tk->stem, lem, ll) == 0;
        int compat = has_prefix(tk->stem_fold, tk->stem_fold_len, lf, lfl) ||
                     has_prefix(lf, lfl, tk->stem_fold, tk->stem_fold_len);
        if (n_pairs == cap_pairs) {
            cap_pairs = cap_pairs ? cap_pairs * 2 : 4096;
            pairs = realloc(pairs, cap_pairs * sizeof *pairs);
            if (!pairs) {
                fprintf(stderr, "out of memory\n");
                exit(2);
            }
        }
        pairs[n_pairs].lemma = xstrndup(lf, lfl);
        pairs[n_pairs].stem = xstrndup(tk->stem_fold, tk->stem_fold_len);
        n_pairs++;
        st->stem_eq += eq;
        st->stem_compat += compat;
        if (strcmp(s->upos[w], "PROPN") == 0) {
            st->propn++;
            st->propn_eq += eq;
            if (!eq && show_stems)
                printf("PROPN %s lemma=%s stem=%.*s\n", form, s->lemmas[w], (int)tk->stem_len, tk->stem);
        } else if (!compat && show_stems > 1) {
            printf("WORD %s lemma=%s stem=%.*s\n", form, s->lemmas[w], (int)tk->stem_len, tk->stem);
        }
        mh_free(lem);
        mh_free(lf);
    }
    mh_doc_free(d);
}

static void eval_doc(mh_analyzer *an, sent *ss, size_t k, stats *st, int verbose)
{
    size_t total = 0;
    for (size_t i = 0; i < k; i++)
        total += ss[i].len + 1;
    char *doc = malloc(total + 1);
    size_t *gstart = malloc((k + 1) * sizeof *gstart);
    size_t *gend = malloc((k + 1) * sizeof *gend);
    if (!doc || !gstart || !gend) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    size_t len = 0, g = 0;
    for (size_t i = 0; i < k; i++) {
        if (!ss[i].len)
            continue;
        if (len)
            doc[len++] = ' ';
        gstart[g] = len;
        memcpy(doc + len, ss[i].text, ss[i].len);
        len += ss[i].len;
        gend[g++] = len;
    }
    doc[len] = 0;
    mh_doc *d = NULL;
    if (mh_analyze(an, doc, len, MH_AN_NOSTEM, &d) != MH_OK) {
        fprintf(stderr, "analyse failed\n");
        exit(2);
    }
    st->gold_s += (long)g;
    st->gold_b += g > 0 ? (long)g - 1 : 0;
    st->pred_b += d->n_sentences > 0 ? (long)d->n_sentences - 1 : 0;
    int bad = d->n_sentences != g;
    for (size_t i = 1; i < d->n_sentences; i++) {
        int hit = 0;
        for (size_t j = 1; j < g; j++)
            if (gstart[j] == d->sentences[i].start)
                hit = 1;
        st->hit_b += hit;
        if (!hit && verbose)
            printf("FP: ...%.*s|%.*s...\n", (int)(d->sentences[i].start < 40 ? d->sentences[i].start : 40),
                   doc + d->sentences[i].start - (d->sentences[i].start < 40 ? d->sentences[i].start : 40),
                   30, doc + d->sentences[i].start);
    }
    /* Recall over the gold boundaries a splitter can see: the sentence
     * before ends in punctuation. */
    for (size_t j = 1; j < g; j++) {
        char c = doc[gend[j - 1] - 1];
        if (!strchr(".!?\"')", c) && !((unsigned char)c == 0xA6))
            continue;
        st->gold_pb++;
        int hit = 0;
        for (size_t i = 1; i < d->n_sentences; i++)
            if (gstart[j] == d->sentences[i].start)
                hit = 1;
        st->hit_pb += hit;
        if (!hit && verbose)
            printf("FN: ...%.*s|%.*s...\n", 40, gend[j - 1] > 40 ? doc + gend[j - 1] - 40 : doc,
                   30, doc + gstart[j]);
    }
    for (size_t i = 0; i < d->n_sentences; i++)
        for (size_t j = 0; j < g; j++)
            if (gstart[j] == d->sentences[i].start && gend[j] == d->sentences[i].end)
                st->hit_s++;
    if (verbose > 1 && bad) {
        printf("---- gold\n");
        for (size_t j = 0; j < g; j++)
            printf("  %.*s\n", (int)(gend[j] - gstart[j]), doc + gstart[j]);
        printf("---- predicted\n");
        for (size_t i = 0; i < d->n_sentences; i++)
            printf("  %.*s\n", (int)(d->sentences[i].end - d->sentences[i].start),
                   doc + d->sentences[i].start);
    }
    mh_doc_free(d);
    free(doc);
    free(gstart);
    free(gend);
}

static double ratio(long a, long b) { return b ? (double)a / (double)b : 0.0; }

static int by_lemma(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    int c = strcmp(x->lemma, y->lemma);
    return c ? c : strcmp(x->stem, y->stem);
}

static int by_stem(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    return strcmp(x->stem, y->stem);
}

/*
 * Pair counting over all words: of the pairs of words with the same lemma,
 * the share that also get the same stem (recall: a query finds the other
 * forms), and of the pairs with the same stem, the share with the same
 * lemma (precision: the stem does not merge unrelated words).  Folded
 * lemma and stem strings are compared.
 */
static void pair_figures(void)
{
    double same_l = 0, same_ls = 0, same_s = 0;
    qsort(pairs, n_pairs, sizeof *pairs, by_lemma);
    for (size_t i = 0; i < n_pairs;) {
        size_t j = i;
        while (j < n_pairs && strcmp(pairs[j].lemma, pairs[i].lemma) == 0)
            j++;
        same_l += (double)(j - i) * (double)(j - i - 1) / 2;
        for (size_t k = i; k < j;) {
            size_t m = k;
            while (m < j && strcmp(pairs[m].stem, pairs[k].stem) == 0)
                m++;
            same_ls += (double)(m - k) * (double)(m - k - 1) / 2;
            k = m;
        }
        i = j;
    }
    qsort(pairs, n_pairs, sizeof *pairs, by_stem);
    for (size_t i = 0; i < n_pairs;) {
        size_t j = i;
        while (j < n_pairs && strcmp(pairs[j].stem, pairs[i].stem) == 0)
            j++;
        same_s += (double)(j - i) * (double)(j - i - 1) / 2;
        i = j;
    }
    printf("stem pairs over %zu words: recall %.3f (same lemma -> same stem), "
           "precision %.3f (same stem -> same lemma)\n",
           n_pairs, same_l ? same_ls / same_l : 0.0, same_s ? same_ls / same_s : 0.0);
    for (size_t i = 0; i < n_pairs; i++) {
        free(pairs[i].lemma);
        free(pairs[i].stem);
    }
    free(pairs);
}

int main(int argc, char **argv)
{
    size_t group = 10;
    int verbose = 0, i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-v") == 0)
            verbose++;
        else if (strcmp(argv[i], "-s") == 0)
            show_stems++;
        else if (strcmp(argv[i], "-g") == 0 && i + 1 < argc)
            group = (size_t)strtoul(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: ud_eval [-g N] [-v] [-s] file.conllu...\n");
            return 2;
        }
    }
    if (i >= argc || group == 0) {
        fprintf(stderr, "usage: ud_eval [-g N] [-v] [-s] file.conllu...\n");
        return 2;
    }
    mh_analyzer *an = mh_analyzer_new();
    if (!an) {
        fprintf(stderr, "out of memory\n");
        return 2;
    }
    printf("%-24s %5s %6s %6s %6s %6s %6s  %6s %6s %6s\n", "file", "sents", "P", "R", "F1",
           "Rp", "exact", "stem=", "stem~", "propn=");
    for (; i < argc; i++) {
        FILE *fp = fopen(argv[i], "r");
        if (!fp) {
            perror(argv[i]);
            continue;
        }
        stats st;
        memset(&st, 0, sizeof st);
        sent *ss = calloc(group, sizeof *ss);
        if (!ss)
            return 2;
        size_t k = 0;
        for (;;) {
            int more = read_sent(fp, &ss[k]);
            if (more) {
                eval_stems(an, &ss[k], &st);
                k++;
            }
            if (k == group || (!more && k)) {
                eval_doc(an, ss, k, &st, verbose);
                for (size_t j = 0; j < k; j++)
                    sent_free(&ss[j]);
                k = 0;
            }
            if (!more)
                break;
        }
        free(ss);
        fclose(fp);
        double p = ratio(st.hit_b, st.pred_b), r = ratio(st.hit_b, st.gold_b);
        const char *base = strrchr(argv[i], '/');
        printf("%-24s %5ld %6.3f %6.3f %6.3f %6.3f %6.3f  %6.3f %6.3f %6.3f\n",
               base ? base + 1 : argv[i], st.gold_s, p, r, p + r > 0 ? 2 * p * r / (p + r) : 0.0,
               ratio(st.hit_pb, st.gold_pb), ratio(st.hit_s, st.gold_s), ratio(st.stem_eq, st.matched),
               ratio(st.stem_compat, st.matched), ratio(st.propn_eq, st.propn));
    }
    pair_figures();
    mh_analyzer_free(an);
    return 0;
}
