/*
 * copies.c -- measures copy detection (src/minhash.c): accuracy on
 * labelled copies of real articles, the natural duplicates of TTC-3600,
 * and throughput and memory of the LSH index at scale.
 *
 * Data: TTC-3600 raw texts ($MUHABIR_SHARED/data/ttc3600/<category>/ files,
 * Kılınç et al. 2017, CC BY 4.0; cleaned with mh_clean) and the finnews
 * articles ($MUHABIR_SHARED/data/finnews/raw/ JSON files, MIT).  Nothing of them
 * is stored; the copies are made in memory.
 *
 * 1. Natural duplicates: every base article goes through the index; the
 *    copy groups found are counted (exact = same cleaned body) and a few
 *    pairs printed (file names and first words) for a spot check.
 * 2. Accuracy: one member per natural group is kept as the pool.  For a
 *    sample of sources, one copy of each kind is made (exact, trimmed,
 *    new headline and lead, reordered/dropped paragraphs, added
 *    boilerplate, ASCII-folded letters, a few words changed), mixed with
 *    the whole pool and added in random order.  Pairwise precision, recall
 *    and F1: a pair is true when both come from one source; a pair counts
 *    for a kind when one of its two is a copy of that kind.
 * 3. Scale: synthetic articles made from the pool's token stream (each
 *    token replaced by a random one from the stream with probability 1/2,
 *    so texts do not copy each other, plus 5% near copies of recent ones)
 *    are fingerprinted from tokens and added (--replace P sets the
 *    replacement rate); pages/s and index bytes per
 *    article at each checkpoint, then the time to reload the index from
 *    stored fingerprints (what an ingest session pays once).
 *
 * Usage: copies [--smoke] [--show-errors] [--scale N] [--replace P]
 *               [--sources N] [--seed S]
 * --smoke: a few seconds (CI); skips (exit 0, says so) without the data.
 */
#define _GNU_SOURCE
#include "muhabir.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <xxhash.h>

/* ---------------- small helpers ---------------- */

static uint64_t rng_state = 42;
static int show_fp;          /* --show-errors: print false pairs */
static double replace_p = 0.5;  /* --replace P: token replacement rate at scale */
static int shown_fp;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static size_t rndn(size_t n) { return n ? (size_t)(rnd() % n) : 0; }
static double rndf(void) { return (double)(rnd() >> 11) / 9007199254740992.0; }

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU time of this process: the per-article costs are measured with it,
 * so other work on a shared machine does not inflate them. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "copies: out of memory\n");
        exit(2);
    }
    return p;
}
static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fprintf(stderr, "copies: out of memory\n");
        exit(2);
    }
    return p;
}

/* A growable string. */
typedef struct sbuf { char *p; size_t n, cap; } sbuf;
static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}
static void sb_adds(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    sbuf b = {0};
    char tmp[65536];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
        sb_add(&b, tmp, k);
    fclose(f);
    if (!b.p)
        sb_add(&b, "", 0);
    *len = b.n;
    return b.p;
}

/* ---------------- the base corpus ---------------- */

typedef struct doc {
    char *name;        /* file name for the spot check */
    char *text;        /* clean body */
    size_t len;
} doc;

typedef struct corpus { doc *d; size_t n, cap; } corpus;

static void corpus_add(corpus *c, const char *name, const char *raw, size_t n)
{
    char *clean;
    size_t cl;
    if (mh_clean(raw, n, MH_CLEAN_LINES, &clean, &cl) != MH_OK)
        return;
    if (cl < 40) {
        mh_free(clean);
        return;
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 1024;
        c->d = xrealloc(c->d, c->cap * sizeof *c->d);
    }
    c->d[c->n].name = strdup(name);
    c->d[c->n].text = strdup(clean);
    c->d[c->n].len = cl;
    c->n++;
    mh_free(clean);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted file names of a folder ending in ext. */
static size_t list_dir(const char *dir, const char *ext, char ***out)
{
    DIR *d = opendir(dir);
    size_t n = 0, cap = 0;
    char **v = NULL;
    if (!d)
        return 0;
    struct dirent *e;
    size_t el = strlen(ext);
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || l < el || strcmp(e->d_name + l - el, ext) != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 512;
            v = xrealloc(v, cap * sizeof *v);
        }
        v[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(v, n, sizeof *v, cmp_str);
    *out = v;
    return n;
}

static void load_corpus(const char *shared, corpus *c, size_t limit)
{
    static const char *const cats[] = {"ekonomi", "kultursanat", "saglik", "siyaset",
                                       "spor", "teknoloji"};
    char dir[4096], path[8192];
    for (size_t k = 0; k < sizeof cats / sizeof *cats; k++) {
        snprintf(dir, sizeof dir, "%s/data/ttc3600/%s", shared, cats[k]);
        char **names;
        size_t n = list_dir(dir, ".txt", &names);
        for (size_t i = 0; i < n; i++) {
            if (!limit || i < limit) {
                snprintf(path, sizeof path, "%s/%s", dir, names[i]);
                size_t len;
                char *raw = read_file(path, &len);
                if (raw) {
                    char label[512];
                    snprintf(label, sizeof label, "ttc3600/%s/%s", cats[k], names[i]);
                    corpus_add(c, label, raw, len);
                    free(raw);
                }
            }
            free(names[i]);
        }
        free(n ? names : NULL);
    }
    snprintf(dir, sizeof dir, "%s/data/finnews/raw", shared);
    char **names;
    size_t n = list_dir(dir, ".json", &names);
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        size_t len;
        char *raw = read_file(path, &len);
        cJSON *j = raw ? cJSON_ParseWithLength(raw, len) : NULL;
        const cJSON *body = cJSON_GetObjectItemCaseSensitive(j, "content");
        if (cJSON_IsString(body) && (!limit || i < limit)) {
            char label[512];
            snprintf(label, sizeof label, "finnews/%s", names[i]);
            corpus_add(c, label, body->valuestring, strlen(body->valuestring));
        }
        cJSON_Delete(j);
        free(raw);
        free(names[i]);
    }
    free(n ? names : NULL);
}

/* ---------------- fingerprints ---------------- */

static mh_analyzer *an;
static mh_shingler *sh;

static void fingerprint(const char *s, size_t n, mh_fingerprint *fp)
{
    if (mh_fingerprint_text(an, sh, s, n, fp) != MH_OK) {
        fprintf(stderr, "copies: fingerprint failed\n");
        exit(2);
    }
}

static void first_words(const char *s, int k, char *out, size_t cap)
{
    size_t o = 0;
    int words = 0, in = 0;
    for (; *s && o + 1 < cap; s++) {
        int sp = *s == ' ' || *s == '\n';
        if (sp && in && ++words >= k)
            break;
        in = !sp;
        out[o++] = *s == '\n' ? ' ' : *s;
    }
    out[o] = 0;
}

/* ---------------- exact shingle sets (the bench's own truth) ---------------- */

typedef struct hset { uint64_t *h; size_t n; } hset;
typedef struct tokacc { uint64_t *t; size_t n, cap; } tokacc;

static int exact_cb(void *ctx, const mh_token *t)
{
    tokacc *a = ctx;
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 1024;
        a->t = xrealloc(a->t, a->cap * sizeof *a->t);
    }
    a->t[a->n++] = XXH3_64bits(t->fold, t->fold_len);
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Every shingle of MH_FP_SHINGLE folded tokens, sorted and unique. */
static hset exact_set(const char *s, size_t n)
{
    tokacc a = {0};
    mh_tokenize(an, s, n, MH_AN_NOSTEM, exact_cb, &a);
    hset r = {0};
    size_t w = MH_FP_SHINGLE, ns = a.n == 0 ? 0 : a.n < w ? 1 : a.n - w + 1;
    r.h = xmalloc((ns + 1) * sizeof *r.h);
    for (size_t i = 0; i < ns; i++)
        r.h[i] = XXH3_64bits(a.t + i, (a.n < w ? a.n : w) * sizeof *a.t);
    qsort(r.h, ns, sizeof *r.h, cmp_u64);
    for (size_t i = 0; i < ns; i++)
        if (r.n == 0 || r.h[r.n - 1] != r.h[i])
            r.h[r.n++] = r.h[i];
    free(a.t);
    return r;
}

/* Exact containment |A n B| / min(|A|, |B|). */
static double exact_containment(const hset *a, const hset *b)
{
    size_t i = 0, j = 0, c = 0;
    while (i < a->n && j < b->n) {
        if (a->h[i] == b->h[j]) {
            c++; i++; j++;
        } else if (a->h[i] < b->h[j]) {
            i++;
        } else {
            j++;
        }
    }
    size_t m = a->n < b->n ? a->n : b->n;
    return m ? (double)c / m : 0;
}

/* ---------------- natural duplicates ---------------- */

/* Returns for each doc its group's first (index into c); keeps one per group. */
static int64_t *natural_dups(const corpus *c, int verbose)
{
    mh_dupindex *x = mh_dupindex_new();
    mh_fingerprint *fps = xmalloc(c->n * sizeof *fps);
    for (size_t i = 0; i < c->n; i++) {
        fingerprint(c->d[i].text, c->d[i].len, &fps[i]);
        mh_dup_result r;
        mh_dupindex_add(x, (int64_t)i + 1, 0, &fps[i], &r);
    }
    int64_t *first = xmalloc(c->n * sizeof *first);
    size_t groups = 0, members = 0, exact_pairs = 0, near_pairs = 0, shown = 0;
    for (size_t i = 0; i < c->n; i++) {
        size_t size;
        first[i] = mh_dupindex_first(x, (int64_t)i + 1, &size) - 1;
        if (size > 1) {
            members++;
            if (first[i] == (int64_t)i)
                groups++;
        }
    }
    for (size_t i = 0; i < c->n; i++) {
        if (first[i] == (int64_t)i)
            continue;
        size_t f = (size_t)first[i];
        int exact = c->d[i].len == c->d[f].len && memcmp(c->d[i].text, c->d[f].text, c->d[i].len) == 0;
        exact ? exact_pairs++ : near_pairs++;
        if (verbose && shown < 6 && (!exact || shown < 2)) {
            mh_fp_match m;
            mh_fingerprint_compare(&fps[i], &fps[f], &m);
            char w1[160], w2[160];
            first_words(c->d[f].text, 10, w1, sizeof w1);
            first_words(c->d[i].text, 10, w2, sizeof w2);
            printf("  %s pair J=%.2f C=%.2f (%u vs %u shingles)\n    %s: %s\n    %s: %s\n",
                   exact ? "exact" : "near", m.jaccard, m.containment, fps[f].n_shingles,
                   fps[i].n_shingles, c->d[f].name, w1, c->d[i].name, w2);
            shown++;
        }
    }
    if (verbose)
        printf("natural duplicates: %zu base articles, %zu copy groups with %zu articles; "
               "%zu articles are exact copies of their group's first, %zu near copies\n",
               c->n, groups, members, exact_pairs, near_pairs);
    mh_dupindex_free(x);
    free(fps);
    return first;
}

/* ---------------- making copies ---------------- */

enum { K_EXACT, K_TRIM, K_HEADLINE, K_REORDER, K_BOILER, K_FOLD, K_WORDS, K_COUNT };
static const char *const kind_name[K_COUNT] = {
    "exact", "trimmed", "new headline+lead", "reordered/dropped", "boilerplate",
    "ascii-folded", "few words changed"};

/* Units of a text: paragraphs when there are at least four, else the
 * analyser's sentences. */
typedef struct units { char **u; size_t n; } units;

static size_t count_words(const char *s)
{
    size_t w = 0;
    int in = 0;
    for (; *s; s++) {
        int sp = *s == ' ' || *s == '\n';
        w += !sp && !in;
        in = !sp;
    }
    return w;
}

/* Units of a text: its paragraphs (lines) when there are at least four
 * and they average 25 words or more, else the analyser's sentences.
 * sentences != 0 asks for sentences always. */
static units split_units(const char *s, size_t n, int sentences)
{
    units r = {0};
    size_t cap = 16, words = 0;
    r.u = xmalloc(cap * sizeof *r.u);
    size_t start = 0;
    for (size_t i = 0; i <= n && !sentences; i++) {
        if (i == n || s[i] == '\n') {
            size_t a = start, b = i;
            while (a < b && s[a] == ' ') a++;
            if (b > a) {
                if (r.n == cap)
                    r.u = xrealloc(r.u, (cap *= 2) * sizeof *r.u);
                r.u[r.n] = strndup(s + a, b - a);
                words += count_words(r.u[r.n++]);
            }
            start = i + 1;
        }
    }
    if (r.n >= 4 && words >= 25 * r.n)
        return r;
    for (size_t i = 0; i < r.n; i++)
        free(r.u[i]);
    r.n = 0;
    mh_doc *d;
    if (mh_analyze(an, s, n, MH_AN_NOSTEM, &d) != MH_OK)
        return r;
    for (size_t i = 0; i < d->n_sentences; i++) {
        if (r.n == cap)
            r.u = xrealloc(r.u, (cap *= 2) * sizeof *r.u);
        r.u[r.n++] = strndup(d->text + d->sentences[i].start,
                             d->sentences[i].end - d->sentences[i].start);
    }
    mh_doc_free(d);
    return r;
}

static void units_free(units *u)
{
    for (size_t i = 0; i < u->n; i++)
        free(u->u[i]);
    free(u->u);
}

static const char *const boiler[] = {
    "Haberin devamı için tıklayın",
    "ABONE OL",
    "Tüm hakları saklıdır. İzinsiz kullanılamaz.",
    "Son dakika gelişmeleri için bildirimleri açın.",
    "Kaynak: Haber Merkezi",
    "Bu habere henüz yorum yapılmamış. İlk yorumu siz yapın.",
    "Google News'te takip edin",
    "Reklam",
    "Editör: Haber Masası",
    "Fotoğraf: Arşiv",
    "Paylaş Tweetle Paylaş",
};

/* Fold Turkish letters to ASCII in about 80% of places (re-typing
 * without a Turkish keyboard is seldom consistent). */
static char *fold_letters(const char *s)
{
    static const char *const map[][2] = {
        {"ç", "c"}, {"ğ", "g"}, {"ı", "i"}, {"ö", "o"}, {"ş", "s"}, {"ü", "u"},
        {"Ç", "C"}, {"Ğ", "G"}, {"İ", "I"}, {"Ö", "O"}, {"Ş", "S"}, {"Ü", "U"},
        {"â", "a"}, {"î", "i"}, {"û", "u"}};
    sbuf b = {0};
    while (*s) {
        size_t i, nm = sizeof map / sizeof *map;
        for (i = 0; i < nm; i++) {
            size_t l = strlen(map[i][0]);
            if (strncmp(s, map[i][0], l) == 0) {
                if (rndf() < 0.8)
                    sb_adds(&b, map[i][1]);
                else
                    sb_add(&b, s, l);
                s += l;
                break;
            }
        }
        if (i == nm)
            sb_add(&b, s++, 1);
    }
    if (!b.p)
        sb_add(&b, "", 0);
    return b.p;
}

/* Word boundaries by spaces (the texts are clean: single spaces). */
static char *change_words(const char *s, const corpus *c)
{
    size_t n = strlen(s), words = 1;
    for (size_t i = 0; i < n; i++)
        words += s[i] == ' ';
    size_t k = words / 40;
    k = k < 3 ? 3 : k > 10 ? 10 : k;
    char *t = strdup(s);
    for (size_t e = 0; e < k; e++) {
        size_t len = strlen(t), tw = 1;
        for (size_t i = 0; i < len; i++)
            tw += t[i] == ' ';
        size_t w = rndn(tw), i = 0, seen = 0;
        while (i < len && seen < w)
            seen += t[i++] == ' ';
        size_t j = i;
        while (j < len && t[j] != ' ' && t[j] != '\n')
            j++;
        /* A replacement word from another article. */
        const doc *o = &c->d[rndn(c->n)];
        size_t p = rndn(o->len), q;
        while (p < o->len && o->text[p] != ' ')
            p++;
        q = p + 1;
        while (q < o->len && o->text[q] != ' ' && o->text[q] != '\n')
            q++;
        sbuf b = {0};
        sb_add(&b, t, i);
        int op = (int)rndn(3);
        if (op != 1 && q > p + 1 && q <= o->len)
            sb_add(&b, o->text + p + 1, q - p - 1);      /* replace or insert */
        if (op == 2) {
            sb_adds(&b, " ");
            sb_add(&b, t + i, j - i);
        }
        sb_add(&b, t + j, len - j);
        free(t);
        t = b.p ? b.p : strdup("");
    }
    return t;
}

static char *make_copy(int kind, const doc *src, const corpus *c)
{
    units u = split_units(src->text, src->len, kind == K_HEADLINE);
    sbuf b = {0};
    switch (kind) {
    case K_EXACT:
        sb_add(&b, src->text, src->len);
        break;
    case K_TRIM: {
        /* The leading units that hold 30-60% of the words (20 at least). */
        size_t total = count_words(src->text), kept = 0;
        size_t want = (size_t)((0.3 + 0.3 * rndf()) * (double)total);
        if (want < 20) want = 20;
        for (size_t i = 0; i < u.n && kept < want; i++) {
            sb_adds(&b, u.u[i]);
            sb_adds(&b, "\n");
            kept += count_words(u.u[i]);
        }
        break;
    }
    case K_HEADLINE: {
        /* A new headline and a rewritten lead: words drawn one by one from
         * random other articles (new wording, not another article's
         * sentence), then the source without its first sentence. */
        for (int line = 0; line < 2; line++) {
            int nw = line == 0 ? 8 : 22;
            for (int w = 0; w < nw; w++) {
                const doc *od = &c->d[rndn(c->n)];
                size_t p = rndn(od->len), q;
                while (p < od->len && od->text[p] != ' ')
                    p++;
                q = p + 1;
                while (q < od->len && od->text[q] != ' ' && od->text[q] != '\n')
                    q++;
                if (q > p + 1 && q <= od->len) {
                    sb_add(&b, od->text + p + 1, q - p - 1);
                    sb_adds(&b, " ");
                }
            }
            sb_adds(&b, "\n");
        }
        for (size_t i = 1; i < u.n; i++) {
            sb_adds(&b, u.u[i]);
            sb_adds(&b, "\n");
        }
        break;
    }
    case K_REORDER: {
        size_t *ord = xmalloc((u.n + 1) * sizeof *ord);
        for (size_t i = 0; i < u.n; i++)
            ord[i] = i;
        for (size_t i = u.n; i > 1; i--) {
            size_t j = rndn(i), t = ord[i - 1];
            ord[i - 1] = ord[j];
            ord[j] = t;
        }
        size_t drop = u.n >= 5 ? u.n / 5 : 0;
        for (size_t i = drop; i < u.n; i++) {
            sb_adds(&b, u.u[ord[i]]);
            sb_adds(&b, "\n");
        }
        free(ord);
        break;
    }
    case K_BOILER: {
        size_t nb = sizeof boiler / sizeof *boiler;
        sb_adds(&b, boiler[rndn(nb)]);
        sb_adds(&b, "\n");
        sb_add(&b, src->text, src->len);
        sb_adds(&b, "\n");
        for (int i = 0; i < 3; i++) {
            sb_adds(&b, boiler[rndn(nb)]);
            sb_adds(&b, "\n");
        }
        sb_adds(&b, "Benzer Haberler\n");
        for (int i = 0; i < 5; i++) {
            const doc *od = &c->d[rndn(c->n)];
            char w[200];
            first_words(od->text, 8, w, sizeof w);
            sb_adds(&b, w);
            sb_adds(&b, "\n");
        }
        break;
    }
    case K_FOLD: {
        char *f = fold_letters(src->text);
        sb_adds(&b, f);
        free(f);
        break;
    }
    case K_WORDS: {
        char *f = change_words(src->text, c);
        sb_adds(&b, f);
        free(f);
        break;
    }
    }
    units_free(&u);
    if (!b.p)
        sb_add(&b, "", 0);
    return b.p;
}

/* ---------------- accuracy ---------------- */

typedef struct item {
    const char *text; size_t len; char *owned;
    long family;      /* source index in the pool, or -1 - pool index for non-sources */
    int kind;         /* K_* for a copy, -1 for a pool article */
} item;

typedef struct counts { double tp, fp, fn; } counts;

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void accuracy(const corpus *pool, size_t n_sources)
{
    size_t *src = xmalloc(pool->n * sizeof *src), ns = 0;
    for (size_t i = 0; i < pool->n; i++) {
        size_t words = 1;
        for (size_t k = 0; k < pool->d[i].len; k++)
            words += pool->d[i].text[k] == ' ';
        if (words >= 60)
            src[ns++] = i;
    }
    for (size_t i = ns; i > 1; i--) {
        size_t j = rndn(i), t = src[i - 1];
        src[i - 1] = src[j];
        src[j] = t;
    }
    if (n_sources > ns)
        n_sources = ns;
    long *fam = xmalloc(pool->n * sizeof *fam);
    for (size_t i = 0; i < pool->n; i++)
        fam[i] = -1 - (long)i;
    for (size_t i = 0; i < n_sources; i++)
        fam[src[i]] = (long)src[i];

    size_t n = pool->n + n_sources * K_COUNT;
    item *it = xmalloc(n * sizeof *it);
    size_t m = 0;
    for (size_t i = 0; i < pool->n; i++)
        it[m++] = (item){pool->d[i].text, pool->d[i].len, NULL, fam[i], -1};
    for (size_t i = 0; i < n_sources; i++)
        for (int k = 0; k < K_COUNT; k++) {
            char *t = make_copy(k, &pool->d[src[i]], pool);
            it[m++] = (item){t, strlen(t), t, (long)src[i], k};
        }
    /* Random insertion order. */
    size_t *ord = xmalloc(n * sizeof *ord);
    for (size_t i = 0; i < n; i++)
        ord[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t j = rndn(i), t = ord[i - 1];
        ord[i - 1] = ord[j];
        ord[j] = t;
    }
    mh_dupindex *x = mh_dupindex_new();
    double t0 = now();
    for (size_t i = 0; i < n; i++) {
        mh_fingerprint fp;
        fingerprint(it[ord[i]].text, it[ord[i]].len, &fp);
        mh_dup_result r;
        mh_dupindex_add(x, (int64_t)ord[i] + 1, (int32_t)rndn(30), &fp, &r);
    }
    double dt = now() - t0;
    /* Pairs inside predicted groups, bucketed by group first. */
    int64_t *g = xmalloc(n * sizeof *g);
    for (size_t i = 0; i < n; i++)
        g[i] = mh_dupindex_first(x, (int64_t)i + 1, NULL);
    counts per[K_COUNT + 1];
    memset(per, 0, sizeof per);
    /* Predicted pairs: group members sorted by group. */
    size_t *byg = xmalloc(n * sizeof *byg);
    for (size_t i = 0; i < n; i++)
        byg[i] = i;
    /* Sort the indexes by group (Shell sort: no comparator context needed). */
    {
        size_t gap;
        for (gap = n / 2; gap > 0; gap /= 2)
            for (size_t i = gap; i < n; i++) {
                size_t v = byg[i], j = i;
                while (j >= gap && g[byg[j - gap]] > g[v]) {
                    byg[j] = byg[j - gap];
                    j -= gap;
                }
                byg[j] = v;
            }
    }
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b < n && g[byg[b]] == g[byg[a]])
            b++;
        for (size_t i = a; i < b; i++)
            for (size_t j = i + 1; j < b; j++) {
                const item *p = &it[byg[i]], *q = &it[byg[j]];
                int truth = p->family == q->family;
                if (!truth && show_fp && shown_fp < 12) {
                    mh_fingerprint fa, fb;
                    mh_fp_match mm;
                    fingerprint(p->text, p->len, &fa);
                    fingerprint(q->text, q->len, &fb);
                    mh_fingerprint_compare(&fa, &fb, &mm);
                    char w1[200], w2[200];
                    first_words(p->text, 12, w1, sizeof w1);
                    first_words(q->text, 12, w2, sizeof w2);
                    printf("  false pair (kinds %d/%d, fam %ld/%ld) J=%.2f C=%.2f n=%u/%u\n"
                           "    %s\n    %s\n", p->kind, q->kind, p->family, q->family,
                           mm.jaccard, mm.containment, fa.n_shingles, fb.n_shingles, w1, w2);
                    shown_fp++;
                }
                for (int k = 0; k < K_COUNT; k++)
                    if (p->kind == k || q->kind == k)
                        truth ? per[k].tp++ : per[k].fp++;
                truth ? per[K_COUNT].tp++ : per[K_COUNT].fp++;
            }
        a = b;
    }
    /* Missed true pairs: within each family (source + K_COUNT copies). */
    for (size_t s = 0; s < n_sources; s++) {
        size_t mem[K_COUNT + 1], nm = 0;
        mem[nm++] = src[s];
        for (int k = 0; k < K_COUNT; k++)
            mem[nm++] = pool->n + s * K_COUNT + (size_t)k;
        for (size_t i = 0; i < nm; i++)
            for (size_t j = i + 1; j < nm; j++) {
                if (g[mem[i]] == g[mem[j]])
                    continue;
                const item *p = &it[mem[i]], *q = &it[mem[j]];
                for (int k = 0; k < K_COUNT; k++)
                    if (p->kind == k || q->kind == k)
                        per[k].fn++;
                per[K_COUNT].fn++;
            }
    }
    printf("accuracy: %zu sources x %d kinds of copy mixed with %zu pool articles "
           "(%zu items, %.0f items/s incl. tokenizing)\n",
           n_sources, K_COUNT, pool->n, n, n / dt);
    printf("  %-20s %9s %9s %9s %8s %8s %8s\n", "kind", "tp", "fp", "fn", "prec", "recall", "F1");
    for (int k = 0; k <= K_COUNT; k++) {
        counts c = per[k];
        double p = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 1, r = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 1;
        double f = p + r ? 2 * p * r / (p + r) : 0;
        printf("  %-20s %9.0f %9.0f %9.0f %8.4f %8.4f %8.4f\n",
               k < K_COUNT ? kind_name[k] : "OVERALL", c.tp, c.fp, c.fn, p, r, f);
    }
    if (show_fp) {
        int shown = 0;
        for (size_t s2 = 0; s2 < n_sources && shown < 25; s2++)
            for (int k = 0; k < K_COUNT; k++) {
                const item *a = &it[src[s2]], *b = &it[pool->n + s2 * K_COUNT + (size_t)k];
                if (g[src[s2]] == g[pool->n + s2 * K_COUNT + (size_t)k])
                    continue;
                mh_fingerprint fa, fb;
                mh_fp_match mm;
                fingerprint(a->text, a->len, &fa);
                fingerprint(b->text, b->len, &fb);
                mh_fingerprint_compare(&fa, &fb, &mm);
                int band = 0, anchor = 0;
                for (int q = 0; q < MH_FP_BANDS; q++)
                    band += fa.bands[q] == fb.bands[q];
                for (unsigned q = 0; q < MH_FP_ANCHORS && q < fa.n_sketch; q++)
                    for (unsigned r = 0; r < MH_FP_ANCHORS && r < fb.n_sketch; r++)
                        anchor += fa.sketch[q] == fb.sketch[r];
                hset ea = exact_set(a->text, a->len), eb = exact_set(b->text, b->len);
                printf("  missed %s: J=%.2f C=%.2f (exact C %.2f) samples=%u shingles %u/%u "
                       "bands %d anchors %d\n",
                       kind_name[k], mm.jaccard, mm.containment, exact_containment(&ea, &eb),
                       mm.samples, fa.n_shingles, fb.n_shingles, band, anchor);
                free(ea.h);
                free(eb.h);
                if (shown < 2) {
                    char w1[300], w2[300];
                    first_words(a->text, 40, w1, sizeof w1);
                    first_words(b->text, 40, w2, sizeof w2);
                    printf("    %s\n    %s\n", w1, w2);
                }
                shown++;
            }
    }
    /* Direct copy-to-source recall per kind (the question a user asks). */
    printf("  copy found with its source:");
    for (int k = 0; k < K_COUNT; k++) {
        size_t hit = 0;
        for (size_t s = 0; s < n_sources; s++)
            hit += g[src[s]] == g[pool->n + s * K_COUNT + (size_t)k];
        printf(" %s %.3f%s", kind_name[k], n_sources ? (double)hit / n_sources : 0,
               k + 1 < K_COUNT ? "," : "\n");
    }
    if (show_fp) {
        /* Estimates between each copy and its source, per kind: the
         * lowest values decide the recall of the rule. */
        printf("  copy-vs-source estimates (5th percentile / median): ");
        double *cv = xmalloc(n_sources * sizeof *cv), *jv = xmalloc(n_sources * sizeof *jv);
        for (int k = 0; k < K_COUNT; k++) {
            for (size_t s2 = 0; s2 < n_sources; s2++) {
                const item *a = &it[src[s2]], *b = &it[pool->n + s2 * K_COUNT + (size_t)k];
                mh_fingerprint fa, fb;
                mh_fp_match mm;
                fingerprint(a->text, a->len, &fa);
                fingerprint(b->text, b->len, &fb);
                mh_fingerprint_compare(&fa, &fb, &mm);
                cv[s2] = mm.containment;
                jv[s2] = mm.jaccard;
            }
            qsort(cv, n_sources, sizeof *cv, cmp_dbl);
            qsort(jv, n_sources, sizeof *jv, cmp_dbl);
            printf("%s%s C %.2f/%.2f J %.2f/%.2f", k ? "; " : "", kind_name[k],
                   cv[n_sources / 20], cv[n_sources / 2], jv[n_sources / 20], jv[n_sources / 2]);
        }
        printf("\n");
        free(cv);
        free(jv);
    }
    mh_dupindex_free(x);
    for (size_t i = 0; i < n; i++)
        free(it[i].owned);
    free(it); free(ord); free(g); free(byg); free(src); free(fam);
}

/* ---------------- scale ---------------- */

typedef struct vocab {
    char **w; uint32_t *len; size_t n, cap;     /* distinct words */
    uint32_t *stream; size_t ns, cap_s;          /* the token stream as word ids */
    uint32_t *doc_start; size_t nd;              /* doc i = stream[doc_start[i] .. doc_start[i+1]) */
    uint64_t *hkey; uint32_t *hval; size_t hcap; /* word -> id */
} vocab;

static int vocab_cb(void *ctx, const mh_token *t)
{
    vocab *v = ctx;
    uint64_t h = XXH3_64bits(t->fold, t->fold_len) | 1;
    size_t mask = v->hcap - 1, i = h & mask;
    uint32_t id;
    for (;;) {
        if (v->hkey[i] == 0) {
            if (v->n == v->cap) {
                v->cap = v->cap ? v->cap * 2 : 4096;
                v->w = xrealloc(v->w, v->cap * sizeof *v->w);
                v->len = xrealloc(v->len, v->cap * sizeof *v->len);
            }
            v->w[v->n] = strndup(t->fold, t->fold_len);
            v->len[v->n] = t->fold_len;
            v->hkey[i] = h;
            v->hval[i] = id = (uint32_t)v->n++;
            break;
        }
        if (v->hkey[i] == h) {
            id = v->hval[i];
            break;
        }
        i = (i + 1) & mask;
    }
    if (v->ns == v->cap_s) {
        v->cap_s = v->cap_s ? v->cap_s * 2 : 65536;
        v->stream = xrealloc(v->stream, v->cap_s * sizeof *v->stream);
    }
    v->stream[v->ns++] = id;
    return 0;
}

static long rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void scale(const corpus *pool, size_t target)
{
    vocab v = {0};
    v.hcap = 1 << 20;
    v.hkey = calloc(v.hcap, sizeof *v.hkey);
    v.hval = calloc(v.hcap, sizeof *v.hval);
    v.doc_start = xmalloc((pool->n + 1) * sizeof *v.doc_start);
    for (size_t i = 0; i < pool->n; i++) {
        v.doc_start[v.nd++] = (uint32_t)v.ns;
        mh_tokenize(an, pool->d[i].text, pool->d[i].len, MH_AN_NOSTEM, vocab_cb, &v);
    }
    v.doc_start[v.nd] = (uint32_t)v.ns;
    printf("scale: token stream of %zu tokens, %zu distinct words, from %zu articles; "
           "each token replaced with probability %.2f\n", v.ns, v.n, v.nd, replace_p);

    enum { RING = 1024 };
    uint32_t *ring[RING] = {0};
    size_t ring_len[RING] = {0};
    uint32_t *cur = NULL;
    size_t cap = 0;
    mh_dupindex *x = mh_dupindex_new();
    double t_fp = 0, t_add = 0, seg_fp = 0, seg_add = 0;
    size_t seg_n = 0;
    size_t copies_made = 0, joined = 0, checkpoint = target >= 100000 ? 100000 : target;
    long rss0 = rss_kb();
    printf("  (CPU time of this process; rates over the articles since the previous line)\n");
    printf("  %10s %12s %12s %12s %14s %10s\n", "articles", "fp+match/s", "fp us/art",
           "match us/art", "index B/art", "maxrss MB");
    for (size_t i = 0; i < target; i++) {
        size_t len;
        if (i > 0 && rndf() < 0.05) {
            /* A near copy of a recent article: a few tokens changed. */
            size_t r = rndn(i < RING ? i : RING);
            len = ring_len[r];
            if (len > cap) {
                cap = len * 2;
                cur = xrealloc(cur, cap * sizeof *cur);
            }
            memcpy(cur, ring[r], len * sizeof *cur);
            for (int e = 0; e < 4 && len; e++)
                cur[rndn(len)] = v.stream[rndn(v.ns)];
            copies_made++;
        } else {
            size_t d = rndn(v.nd);
            size_t a = v.doc_start[d], b = v.doc_start[d + 1];
            len = b - a;
            if (len > cap) {
                cap = len * 2;
                cur = xrealloc(cur, cap * sizeof *cur);
            }
            for (size_t k = 0; k < len; k++)
                cur[k] = rndf() < replace_p ? v.stream[rndn(v.ns)] : v.stream[a + k];
        }
        size_t slot = i % RING;
        ring[slot] = xrealloc(ring[slot], (len ? len : 1) * sizeof *cur);
        memcpy(ring[slot], cur, len * sizeof *cur);
        ring_len[slot] = len;

        double t0 = cpu_now();
        mh_fingerprint fp;
        mh_shingler_reset(sh);
        for (size_t k = 0; k < len; k++)
            mh_shingler_add(sh, v.w[cur[k]], v.len[cur[k]]);
        mh_shingler_finish(sh, &fp);
        double t1 = cpu_now();
        mh_dup_result r;
        mh_dupindex_add(x, (int64_t)i + 1, (int32_t)(i / 3000), &fp, &r);
        double t2 = cpu_now();
        t_fp += t1 - t0;
        t_add += t2 - t1;
        joined += r.n_merged > 0;
        if (i + 1 == checkpoint || i + 1 == target) {
            size_t na = i + 1;
            /* Costs of the articles since the previous checkpoint: flat
             * when the cost grows linearly with the number of articles. */
            double sf = t_fp - seg_fp, sa = t_add - seg_add, sn = (double)(na - seg_n);
            printf("  %10zu %12.0f %12.2f %12.2f %14.1f %10.1f\n", na, sn / (sf + sa),
                   sf / sn * 1e6, sa / sn * 1e6,
                   (double)mh_dupindex_bytes(x) / na, (rss_kb() - rss0) / 1024.0);
            seg_fp = t_fp;
            seg_add = t_add;
            seg_n = na;
            checkpoint *= 10;
        }
    }
    printf("  near copies injected %zu, adds that joined a group %zu\n", copies_made, joined);

    /* Reload cost: rebuild an index from stored fingerprints, as an
     * ingest session does from the database. */
    size_t nre = mh_dupindex_count(x) < 200000 ? mh_dupindex_count(x) : 200000;
    mh_fingerprint *fps = xmalloc(nre * sizeof *fps);
    for (size_t i = 0; i < nre; i++) {
        size_t len = v.doc_start[i % v.nd + 1] - v.doc_start[i % v.nd];
        mh_shingler_reset(sh);
        for (size_t k = 0; k < len; k++) {
            uint32_t w = v.stream[v.doc_start[i % v.nd] + k];
            if (rndf() < 0.5)
                w = v.stream[rndn(v.ns)];
            mh_shingler_add(sh, v.w[w], v.len[w]);
        }
        mh_shingler_finish(sh, &fps[i]);
    }
    mh_dupindex *y = mh_dupindex_new();
    double t0 = cpu_now();
    for (size_t i = 0; i < nre; i++)
        mh_dupindex_load(y, (int64_t)i + 1, 0, 0, &fps[i]);
    double dt = cpu_now() - t0;
    printf("  reload of %zu stored fingerprints: %.3f s (%.2f us/article)\n", nre, dt,
           dt / nre * 1e6);
    mh_dupindex_free(y);
    free(fps);
    mh_dupindex_free(x);
    for (int i = 0; i < RING; i++)
        free(ring[i]);
    free(cur);
    for (size_t i = 0; i < v.n; i++)
        free(v.w[i]);
    free(v.w); free(v.len); free(v.stream); free(v.doc_start); free(v.hkey); free(v.hval);
}

int main(int argc, char **argv)
{
    int smoke = 0;
    size_t target = 1000000, n_sources = 600;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--smoke") == 0) {
            smoke = 1;
        } else if (strcmp(argv[i], "--show-errors") == 0) {
            show_fp = 1;
        } else if (strcmp(argv[i], "--replace") == 0 && i + 1 < argc) {
            replace_p = strtod(argv[++i], NULL);
        } else if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc) {
            target = strtoul(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--sources") == 0 && i + 1 < argc) {
            n_sources = strtoul(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            rng_state = strtoull(argv[++i], NULL, 10);
        } else {
            fprintf(stderr, "usage: copies [--smoke] [--show-errors] [--scale N] [--replace P] [--sources N] [--seed S]\n");
            return 2;
        }
    }
    const char *shared = getenv("MUHABIR_SHARED");
    if (!shared || !*shared)
        shared = "../shared";
    if (smoke) {
        target = 20000;
        n_sources = 60;
    }
    printf("command:");
    for (int i = 0; i < argc; i++)
        printf(" %s", argv[i]);
    printf("  (MUHABIR_SHARED=%s)\n", shared);

    an = mh_analyzer_new();
    sh = mh_shingler_new();
    corpus c = {0};
    load_corpus(shared, &c, smoke ? 60 : 0);
    if (c.n < 20) {
        printf("copies: skipped, no evaluation data under %s/data\n", shared);
        return 0;
    }
    int64_t *first = natural_dups(&c, 1);
    /* The pool: one article per natural group, and none that shares even
     * a fifth of its shingles with a kept one (exact shingle sets, all
     * pairs), so every pair the index joins in the accuracy run is either
     * a made copy or a mistake. */
    corpus pool = {0};
    pool.d = xmalloc(c.n * sizeof *pool.d);
    hset *ps = xmalloc(c.n * sizeof *ps);
    size_t loose = 0;
    for (size_t i = 0; i < c.n; i++) {
        if (first[i] != (int64_t)i)
            continue;
        hset h = exact_set(c.d[i].text, c.d[i].len);
        size_t k;
        for (k = 0; k < pool.n; k++)
            if (exact_containment(&h, &ps[k]) >= 0.2)
                break;
        if (k < pool.n) {
            loose++;
            free(h.h);
            continue;
        }
        ps[pool.n] = h;
        pool.d[pool.n++] = c.d[i];
    }
    printf("pool: %zu articles (%zu more left out: they share >= 20%% of their shingles "
           "with a kept one)\n", pool.n, loose);
    if (show_fp) {
        /* How close do distinct articles come, by the sketch estimates? */
        mh_fingerprint *pf = xmalloc(pool.n * sizeof *pf);
        for (size_t i = 0; i < pool.n; i++)
            fingerprint(pool.d[i].text, pool.d[i].len, &pf[i]);
        size_t hist[10] = {0}, jh[10] = {0}, both = 0;
        for (size_t i = 0; i < pool.n; i++)
            for (size_t j = i + 1; j < pool.n; j++) {
                mh_fp_match m;
                mh_fingerprint_compare(&pf[i], &pf[j], &m);
                if (m.samples < 4)
                    continue;
                hist[(int)(m.containment * 9.999)]++;
                jh[(int)(m.jaccard * 9.999)]++;
                both += m.containment >= 0.5 && m.jaccard >= 0.3;
            }
        printf("  distinct pool pairs with >= 4 common samples, by containment decile:");
        for (int k = 0; k < 10; k++)
            printf(" %zu", hist[k]);
        printf("\n  ... by Jaccard decile:");
        for (int k = 0; k < 10; k++)
            printf(" %zu", jh[k]);
        printf("\n  ... with C >= 0.5 and J >= 0.3: %zu\n", both);
        free(pf);
    }
    for (size_t i = 0; i < pool.n; i++)
        free(ps[i].h);
    free(ps);
    free(first);
    accuracy(&pool, n_sources);
    scale(&pool, target);
    for (size_t i = 0; i < c.n; i++) {
        free(c.d[i].name);
        free(c.d[i].text);
    }
    free(c.d);
    free(pool.d);
    mh_shingler_free(sh);
    mh_analyzer_free(an);
    return 0;
}
