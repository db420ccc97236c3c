/*
 * story.c -- stories: articles about one event across outlets, found by
 * online, incremental clustering of article vectors.
 *
 * Vectors.  An article is described by the stems of its title and body
 * (stop words left out; title words count three times) and by its names:
 * capitalised words that do not start a sentence and short all-capital
 * acronyms (ABD, NATO), taken from the tokenizer's flags and keyed by
 * their ASCII fold, so "Lavrov'un" and "LAVROV" are one name.  Weights are
 * (1 + ln tf) * idf, names count 1.5 times, the ST_VEC_MAX heaviest are
 * kept and the vector is scaled to unit length (Salton's vector space
 * model; the single-pass clustering of Topic Detection and Tracking,
 * Allan et al. 1998).
 *
 * Document frequencies come from the articles of the current session
 * plus a deterministic sample of stored articles (store_sqlite_story.c
 * keeps the distinct features of every 8th article), so a session never
 * reads the whole database to learn them.
 *
 * Clustering.  A story keeps the sum of its members' vectors (its
 * centroid, pruned to ST_CENTROID features).  A new article is compared
 * (cosine) with the stories that share one of its heaviest features and
 * are open on its day: a story is open from ST_WINDOW days before its
 * first article to ST_WINDOW days after its last, so it continues while
 * new articles keep arriving.  The article joins the most similar story
 * when the similarity is high, or moderately high with shared names;
 * otherwise it starts a new story.  Ties go to the smaller story id, so
 * the result is deterministic for a given order of articles.  Undated
 * articles only meet undated stories, and only the UNDATED_OPEN most
 * recently begun ones (ingest order stands in for time).
 *
 * Limits: the result depends on the order in which articles arrive (an
 * online method); copies are put in the story of their copy group by the
 * caller, whatever the order.
 */
#include "story.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <xxhash.h>

#define NAME_BOOST 1.5f
#define TITLE_TF   3.0f
#define MATCH_KEYS 10       /* heaviest features used to find candidate stories */
#define SCAN_CAP   128      /* stories followed per feature (the most recent) */
#define UNDATED_OPEN 1000   /* undated stories stay open for this many new stories */
#define SIM_JOIN   0.45     /* join on similarity alone */
#define SIM_NAMES  0.25     /* join when names are shared too */
#define NAMES_MIN  3        /* shared names needed for SIM_NAMES */

/* Turkish function words and reporting verbs that say nothing about the
 * event (compared with the token's lowercase form). */
static const char *const stop_words[] = {
    "ve", "ile", "bir", "bu", "şu", "o", "da", "de", "ki", "için", "gibi", "daha",
    "çok", "en", "ne", "mi", "mı", "mu", "mü", "ama", "fakat", "ancak", "veya", "ya",
    "ise", "olarak", "olan", "oldu", "olduğu", "olduğunu", "dedi", "ifade", "etti",
    "söyledi", "kadar", "sonra", "önce", "her", "tüm", "bütün", "diye", "yani", "hem",
    "göre", "karşı", "arasında", "üzerine", "yaptı", "yaptığı", "belirtti", "kaydetti",
    "dile", "getirdi", "ayrıca", "bunun", "buna", "şöyle", "konuştu", "açıkladı",
    "değil", "var", "yok", "bin", "milyon", "ilk", "son", "yeni", "iki", "üç", "bazı",
    "olduğunu", "edildi", "edilen", "eden", "yapılan", "gün", "günü", "yıl", "ise",
    "nin", "nın", "ın", "in", "the", "and", "of",
    /* Month and weekday names are capitalised in Turkish but name no one. */
    "ocak", "şubat", "mart", "nisan", "mayıs", "haziran", "temmuz", "ağustos", "eylül",
    "ekim", "kasım", "aralık", "pazartesi", "salı", "çarşamba", "perşembe", "cuma",
    "cumartesi", "pazar", "yüzde", "tl", "dolar", "euro", "avro", "lira"
};

static uint32_t hash_stop(const char *s, size_t n) { return XXH32(s, n, 7); }

/* The stop list as a small hash set, built once by whichever thread gets
 * there first (read-only afterwards). */
static uint32_t stop_set[512];
static size_t stop_maxlen;

static void stop_build(void)
{
    for (size_t i = 0; i < MH_ARRAY_LEN(stop_words); i++) {
        uint32_t h = hash_stop(stop_words[i], strlen(stop_words[i])) | 1u;
        size_t k = h & 511;
        while (stop_set[k] && stop_set[k] != h)
            k = (k + 1) & 511;
        stop_set[k] = h;
        if (strlen(stop_words[i]) > stop_maxlen)
            stop_maxlen = strlen(stop_words[i]);
    }
}

static pthread_once_t stop_once = PTHREAD_ONCE_INIT;

static void stop_init(void) { pthread_once(&stop_once, stop_build); }

static int is_stop(const char *s, size_t n)
{
    if (n > stop_maxlen)
        return 0;
    uint32_t h = hash_stop(s, n) | 1u;
    for (size_t k = h & 511; stop_set[k]; k = (k + 1) & 511)
        if (stop_set[k] == h)
            return 1;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Terms: document frequencies and display words                       */
/* ------------------------------------------------------------------ */

/* Features are looked up as h | 1 (never 0, the maps' empty key). */
struct st_terms {
    mh_idmap df;             /* feature -> sampled document frequency */
    uint32_t docs;           /* documents counted */
    mh_idmap word;           /* feature -> offset + 1 in words */
    mh_buf words;            /* NUL-separated display words */
};

st_terms *st_terms_new(void)
{
    st_terms *t = mh_malloc(sizeof *t);
    if (!t)
        return NULL;
    memset(t, 0, sizeof *t);
    mh_buf_init(&t->words, 0);
    return t;
}

void st_terms_free(st_terms *t)
{
    if (!t)
        return;
    mh_idmap_free(&t->df);
    mh_idmap_free(&t->word);
    mh_buf_free(&t->words);
    mh_free(t);
}

mh_err st_terms_count(st_terms *t, const uint32_t *h, size_t n, uint32_t weight)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t v = mh_idmap_get(&t->df, h[i] | 1u);
        if (mh_idmap_put(&t->df, h[i] | 1u, (v == MH_IDMAP_NONE ? 0 : v) + weight) != MH_OK)
            return MH_ENOMEM;
    }
    t->docs += weight;
    return MH_OK;
}

static double idf(const st_terms *t, uint32_t h)
{
    uint32_t v = mh_idmap_get(&t->df, h | 1u);
    double df = v == MH_IDMAP_NONE ? 0 : v;
    return log((t->docs + 1.0) / (df + 1.0)) + 1.0;
}

const char *st_terms_word(const st_terms *t, uint32_t h)
{
    uint32_t v = mh_idmap_get(&t->word, h | 1u);
    return v != MH_IDMAP_NONE && v ? t->words.p + (v - 1) : NULL;
}

mh_err st_terms_set_word(st_terms *t, uint32_t h, const char *w, size_t n)
{
    if (st_terms_word(t, h))
        return MH_OK;
    size_t off = t->words.len;
    mh_buf_add(&t->words, w, n);
    mh_buf_addc(&t->words, 0);
    if (t->words.err)
        return t->words.err;
    return mh_idmap_put(&t->word, h | 1u, (uint32_t)off + 1);
}

/* ------------------------------------------------------------------ */
/* Vectors                                                             */
/* ------------------------------------------------------------------ */

typedef struct acc_ent {
    uint32_t h;
    float tf;
    uint8_t name;
    const char *word; uint32_t word_len;   /* display form (borrowed during build) */
} acc_ent;

typedef struct acc {
    acc_ent *e;
    size_t cap, n;
    float tf;                 /* weight of the tokens being fed */
    int title;
    const char *text;         /* the text whose tokens are fed (names' surface) */
    mh_arena *arena;
    mh_err err;
} acc;

static void acc_add(acc *a, uint32_t h, int name, const char *w, size_t wl)
{
    if (a->err)
        return;
    h |= 1u;
    if (2 * (a->n + 1) > a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 512;
        acc_ent *e = mh_malloc(cap * sizeof *e);
        if (!e) {
            a->err = MH_ENOMEM;
            return;
        }
        memset(e, 0, cap * sizeof *e);
        for (size_t i = 0; i < a->cap; i++) {
            if (!a->e[i].h)
                continue;
            size_t j = (a->e[i].h * 0x9E3779B1u) & (cap - 1);
            while (e[j].h)
                j = (j + 1) & (cap - 1);
            e[j] = a->e[i];
        }
        mh_free(a->e);
        a->e = e;
        a->cap = cap;
    }
    size_t mask = a->cap - 1, i = (h * 0x9E3779B1u) & mask;
    while (a->e[i].h && a->e[i].h != h)
        i = (i + 1) & mask;
    if (!a->e[i].h) {
        /* Body words stay valid (they point into the analysed body); the
         * title's tokens are only borrowed during the callback. */
        const char *copy = a->title ? mh_arena_strndup(a->arena, w, wl) : w;
        if (!copy) {
            a->err = MH_ENOMEM;
            return;
        }
        a->e[i].h = h;
        a->e[i].name = (uint8_t)name;
        a->e[i].word = copy;
        a->e[i].word_len = (uint32_t)wl;
        a->n++;
    }
    a->e[i].tf += a->tf;
}

static int acc_token(void *ctx, const mh_token *t)
{
    acc *a = ctx;
    if (!(t->flags & MH_TOK_WORD) || t->norm_len < 2 || is_stop(t->norm, t->norm_len))
        return 0;
    /* Stems live in the lower half of the hash space, names in the upper,
     * so a feature says which it is. */
    if (t->stem_len >= 2)
        acc_add(a, XXH32(t->stem, t->stem_len, 1) & 0x7FFFFFFFu, 0, t->stem, t->stem_len);
    /* Names: a capital inside a sentence, or a short acronym.  Titles are
     * often written in title case, so their capitals say nothing. */
    int name = !a->title &&
               (((t->flags & MH_TOK_CAP) && !(t->flags & MH_TOK_SENT0) &&
                 !(t->flags & MH_TOK_ALLCAPS)) ||
                ((t->flags & MH_TOK_ALLCAPS) && t->fold_len <= 5));
    if (name && t->fold_len >= 2)
        acc_add(a, XXH32(t->fold, t->fold_len, 2) | 0x80000000u, 1, a->text + t->start,
                t->end - t->start);
    return a->err ? 1 : 0;
}

static int cmp_feat_w(const void *x, const void *y)
{
    const st_feat *a = x, *b = y;
    if (a->w != b->w)
        return a->w > b->w ? -1 : 1;
    return (a->h > b->h) - (a->h < b->h);
}

/* Move the k heaviest of f[0..n) to the front (quickselect, Lomuto
 * partition around a middle pivot; the order among them is left to the
 * caller). */
static void select_top(st_feat *f, size_t n, size_t k)
{
    size_t lo = 0, hi = n;
    while (k > lo && k < hi) {
        size_t mid = lo + (hi - lo) / 2, p = lo;
        st_feat t = f[mid];
        f[mid] = f[hi - 1];
        f[hi - 1] = t;
        for (size_t i = lo; i + 1 < hi; i++)
            if (cmp_feat_w(&f[i], &f[hi - 1]) < 0) {
                t = f[i];
                f[i] = f[p];
                f[p] = t;
                p++;
            }
        t = f[p];
        f[p] = f[hi - 1];
        f[hi - 1] = t;
        /* f[lo..p) are heavier than f[p], f(p..hi) lighter. */
        if (p == k || p + 1 == k)
            return;
        if (k < p)
            hi = p;
        else
            lo = p + 1;
    }
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

/* An article's features counted but not yet weighted: what the pure part
 * of the work leaves for the part that needs the document frequencies. */
struct st_bag {
    acc a;
    mh_arena arena;
};

mh_err st_bag_new(mh_analyzer *an, const char *title, size_t title_len, const mh_doc *body,
                  st_bag **out)
{
    *out = NULL;
    st_bag *b = mh_malloc(sizeof *b);
    if (!b)
        return MH_ENOMEM;
    memset(b, 0, sizeof *b);
    stop_init();
    mh_arena_init(&b->arena, 4096);
    acc *a = &b->a;
    a->arena = &b->arena;
    if (title && title_len) {
        a->tf = TITLE_TF;
        a->title = 1;
        a->text = title;
        int rc = mh_tokenize(an, title, title_len, 0, acc_token, a);
        if (rc && !a->err)
            a->err = rc > 0 && rc < MH_ERR_COUNT ? (mh_err)rc : MH_ENOMEM;
    }
    if (body && !a->err) {
        a->tf = 1.0f;
        a->title = 0;
        a->text = body->text;
        for (size_t i = 0; i < body->n_tokens && !a->err; i++)
            acc_token(a, &body->tokens[i]);
    }
    mh_err e = a->err ? a->err : b->arena.err;
    if (e) {
        st_bag_free(b);
        return e;
    }
    *out = b;
    return MH_OK;
}

void st_bag_free(st_bag *b)
{
    if (!b)
        return;
    mh_free(b->a.e);
    mh_arena_free(&b->arena);
    mh_free(b);
}

mh_err st_bag_weigh(const st_bag *b, st_terms *t, st_vec *out, uint32_t **distinct,
                    size_t *n_distinct)
{
    const acc *a = &b->a;
    st_feat *all = NULL;
    mh_err e = MH_OK;
    memset(out, 0, sizeof *out);
    if (distinct) {
        *distinct = NULL;
        *n_distinct = 0;
    }
    all = mh_malloc((a->n ? a->n : 1) * sizeof *all);
    if (!all)
        return MH_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < a->cap; i++) {
        if (!a->e[i].h)
            continue;
        double w = (1.0 + log(a->e[i].tf)) * idf(t, a->e[i].h);
        if (a->e[i].name)
            w *= NAME_BOOST;
        all[n].h = a->e[i].h;
        all[n].w = (float)w;
        n++;
    }
    if (distinct && n) {
        *distinct = mh_malloc(n * sizeof **distinct);
        if (!*distinct) {
            e = MH_ENOMEM;
            goto out;
        }
        for (size_t i = 0; i < n; i++)
            (*distinct)[i] = all[i].h;
        *n_distinct = n;
    }
    size_t k = n < ST_VEC_MAX ? n : ST_VEC_MAX;
    select_top(all, n, k);
    qsort(all, k, sizeof *all, cmp_feat_w);
    double norm = 0;
    for (size_t i = 0; i < k; i++)
        norm += (double)all[i].w * all[i].w;
    norm = sqrt(norm);
    for (size_t i = 0; i < k; i++) {
        out->f[i].h = all[i].h;
        out->f[i].w = norm > 0 ? (float)(all[i].w / norm) : 0.0f;
        /* Remember how the heavy features read, for top terms. */
        size_t mask = a->cap - 1, j = (all[i].h * 0x9E3779B1u) & mask;
        while (a->e[j].h != all[i].h)
            j = (j + 1) & mask;
        out->n_names += a->e[j].name;
        if ((e = st_terms_set_word(t, all[i].h, a->e[j].word, a->e[j].word_len)) != MH_OK)
            goto out;
    }
    out->n = (uint32_t)k;
out:
    if (e && distinct) {
        mh_free(*distinct);
        *distinct = NULL;
        *n_distinct = 0;
    }
    mh_free(all);
    return e;
}

static int cmp_feat_h(const void *x, const void *y)
{
    const st_feat *a = x, *b = y;
    return (a->h > b->h) - (a->h < b->h);
}

double st_cosine(const st_feat *a, size_t na, const st_feat *b, size_t nb)
{
    double dot = 0;
    size_t i = 0, j = 0;
    while (i < na && j < nb) {
        if (a[i].h == b[j].h)
            dot += (double)a[i++].w * b[j++].w;
        else if (a[i].h < b[j].h)
            i++;
        else
            j++;
    }
    return dot;
}

/* ------------------------------------------------------------------ */
/* Open stories                                                        */
/* ------------------------------------------------------------------ */

struct st_index {
    st_story **s; size_t n, cap;
    /* story id -> slot */
    mh_idmap ids;
    /* feature -> story slots, chained, newest first */
    mh_multimap post;
    /* scratch */
    uint32_t *cand; size_t capc;
};

st_index *st_index_new(void)
{
    st_index *x = mh_malloc(sizeof *x);
    if (x)
        memset(x, 0, sizeof *x);
    return x;
}

void st_index_free(st_index *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->n; i++) {
        mh_free(x->s[i]->c);
        mh_free(x->s[i]);
    }
    mh_free(x->s);
    mh_idmap_free(&x->ids);
    mh_multimap_free(&x->post);
    mh_free(x->cand);
    mh_free(x);
}

st_story *st_index_get(st_index *x, int64_t id)
{
    if (!x)
        return NULL;
    uint32_t slot = mh_idmap_get(&x->ids, id);
    return slot == MH_IDMAP_NONE ? NULL : x->s[slot];
}

static mh_err id_put(st_index *x, int64_t id, uint32_t slot)
{
    return mh_idmap_put(&x->ids, id, slot);
}

static mh_err post(st_index *x, uint32_t key, uint32_t slot)
{
    return mh_multimap_add(&x->post, key, slot);
}

/* Post a story under the heaviest features of a vector. */
static mh_err post_vec(st_index *x, uint32_t slot, const st_feat *f, size_t n)
{
    mh_err e = MH_OK;
    for (size_t i = 0; i < n && i < MATCH_KEYS && !e; i++)
        e = post(x, f[i].h, slot);
    return e;
}

mh_err st_index_put(st_index *x, int64_t id, int32_t first, int32_t last, uint32_t n,
                    const st_feat *c, size_t nc, int64_t rep, double rep_sim)
{
    mh_err e;
    if (!x || id <= 0)
        return MH_EINVAL;
    if (st_index_get(x, id))
        return MH_EDUP;
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 256;
        st_story **s = mh_realloc(x->s, cap * sizeof *s);
        if (!s)
            return MH_ENOMEM;
        x->s = s;
        x->cap = cap;
    }
    st_story *s = mh_malloc(sizeof *s);
    if (!s)
        return MH_ENOMEM;
    memset(s, 0, sizeof *s);
    if (nc > ST_CENTROID)
        nc = ST_CENTROID;
    s->c = mh_malloc((nc ? nc : 1) * sizeof *s->c);
    if (!s->c) {
        mh_free(s);
        return MH_ENOMEM;
    }
    if (nc)
        memcpy(s->c, c, nc * sizeof *c);
    qsort(s->c, nc, sizeof *s->c, cmp_feat_h);
    s->nc = (uint32_t)nc;
    double norm = 0;
    for (size_t i = 0; i < nc; i++)
        norm += (double)s->c[i].w * s->c[i].w;
    s->norm = sqrt(norm);
    s->id = id;
    s->first = first;
    s->last = last;
    s->n = n;
    s->rep = rep;
    s->rep_sim = rep_sim;
    uint32_t slot = (uint32_t)x->n;
    x->s[x->n++] = s;
    if ((e = id_put(x, id, slot)) != MH_OK)
        return e;
    /* Index the story under its heaviest features. */
    st_feat top[MATCH_KEYS];
    size_t k = st_story_top(s, top, MATCH_KEYS);
    return post_vec(x, slot, top, k);
}

static int open_on(const st_story *s, int32_t day)
{
    if (day == MH_DAY_UNKNOWN || s->first == MH_DAY_UNKNOWN)
        return day == s->first;
    return (int64_t)day >= (int64_t)s->first - ST_WINDOW &&
           (int64_t)day <= (int64_t)s->last + ST_WINDOW;
}

/* Names (upper half of the hash space) of vs that are in c; both by hash. */
static size_t shared_names(const st_feat *c, size_t nc, const st_feat *vs, size_t nv)
{
    size_t i = 0, j = 0, k = 0;
    while (i < nv && j < nc) {
        if (vs[i].h == c[j].h) {
            k += (vs[i].h & 0x80000000u) != 0;
            i++; j++;
        } else if (vs[i].h < c[j].h) {
            i++;
        } else {
            j++;
        }
    }
    return k;
}

st_story *st_index_match(st_index *x, const st_vec *v, int32_t day, double *sim)
{
    st_story *best = NULL;
    double bs = 0;
    size_t nc = 0;
    if (sim)
        *sim = 0;
    if (!x || !v || v->n == 0)
        return NULL;
    for (size_t i = 0; i < v->n && i < MATCH_KEYS; i++) {
        unsigned seen = 0;
        uint32_t key = v->f[i].h;
        for (uint32_t e = mh_multimap_first(&x->post, key); e != MH_MULTIMAP_END;
             e = mh_multimap_next(&x->post, e, key)) {
            if (nc == x->capc) {
                size_t cap = x->capc ? x->capc * 2 : 256;
                uint32_t *c = mh_realloc(x->cand, cap * sizeof *c);
                if (!c)
                    return NULL;
                x->cand = c;
                x->capc = cap;
            }
            x->cand[nc++] = x->post.val[e];
            if (++seen >= SCAN_CAP)
                break;
        }
    }
    if (nc == 0)
        return NULL;
    qsort(x->cand, nc, sizeof *x->cand, cmp_u32);
    st_feat vs[ST_VEC_MAX];
    memcpy(vs, v->f, v->n * sizeof *vs);
    qsort(vs, v->n, sizeof *vs, cmp_feat_h);
    for (size_t i = 0; i < nc; i++) {
        if (i && x->cand[i] == x->cand[i - 1])
            continue;
        st_story *s = x->s[x->cand[i]];
        if (!open_on(s, day) || s->norm <= 0)
            continue;
        /* Without dates, recency of ingest stands in for the time window:
         * an undated story stays open while few new stories have begun. */
        if (day == MH_DAY_UNKNOWN && x->n - x->cand[i] > UNDATED_OPEN)
            continue;
        double c = st_cosine(vs, v->n, s->c, s->nc) / s->norm;
        int ok = c >= SIM_JOIN ||
                 (c >= SIM_NAMES && shared_names(s->c, s->nc, vs, v->n) >= NAMES_MIN);
        if (ok && (!best || c > bs || (c == bs && s->id < best->id))) {
            best = s;
            bs = c;
        }
    }
    if (sim)
        *sim = bs;
    return best;
}

mh_err st_index_join(st_index *x, st_story *s, int64_t article, const st_vec *v, int32_t day)
{
    st_feat vs[ST_VEC_MAX];
    memcpy(vs, v->f, v->n * sizeof *vs);
    qsort(vs, v->n, sizeof *vs, cmp_feat_h);
    /* Merge the sorted lists, then keep the ST_CENTROID heaviest. */
    st_feat *m = mh_malloc((s->nc + v->n + 1) * sizeof *m);
    if (!m)
        return MH_ENOMEM;
    size_t i = 0, j = 0, k = 0;
    while (i < s->nc || j < v->n) {
        if (j >= v->n || (i < s->nc && s->c[i].h < vs[j].h)) {
            m[k++] = s->c[i++];
        } else if (i >= s->nc || vs[j].h < s->c[i].h) {
            m[k++] = vs[j++];
        } else {
            m[k] = s->c[i++];
            m[k++].w += vs[j++].w;
        }
    }
    if (k > ST_CENTROID) {
        qsort(m, k, sizeof *m, cmp_feat_w);
        k = ST_CENTROID;
        qsort(m, k, sizeof *m, cmp_feat_h);
    }
    mh_free(s->c);
    s->c = m;
    s->nc = (uint32_t)k;
    double norm = 0;
    for (size_t q = 0; q < k; q++)
        norm += (double)m[q].w * m[q].w;
    s->norm = sqrt(norm);
    s->n++;
    if (day != MH_DAY_UNKNOWN && s->first != MH_DAY_UNKNOWN) {
        if (day < s->first)
            s->first = day;
        if (day > s->last)
            s->last = day;
    }
    double c = s->norm > 0 ? st_cosine(vs, v->n, s->c, s->nc) / s->norm : 0;
    if (!s->rep || c > s->rep_sim) {
        s->rep = article;
        s->rep_sim = c;
    }
    /* The story can now be found by this article's heavy features too. */
    uint32_t slot = mh_idmap_get(&x->ids, s->id);
    return slot == MH_IDMAP_NONE ? MH_EINVAL : post_vec(x, slot, v->f, v->n);
}

size_t st_story_top(const st_story *s, st_feat *out, size_t k)
{
    /* Partial selection by weight; k and the centroid are small. */
    size_t n = 0;
    for (size_t i = 0; i < s->nc; i++) {
        st_feat f = s->c[i];
        size_t p = n < k ? n++ : k;
        if (p == k) {
            if (cmp_feat_w(&f, &out[k - 1]) >= 0)
                continue;
            p = k - 1;
        }
        while (p > 0 && cmp_feat_w(&f, &out[p - 1]) < 0) {
            out[p] = out[p - 1];
            p--;
        }
        out[p] = f;
    }
    return n;
}

/* ------------------------------------------------------------------ */
/* Blobs                                                               */
/* ------------------------------------------------------------------ */

size_t st_feats_encode(const st_feat *f, size_t n, unsigned char *out)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t w;
        memcpy(&w, &f[i].w, 4);
        for (int b = 0; b < 4; b++) {
            out[8 * i + (size_t)b] = (unsigned char)(f[i].h >> (8 * b));
            out[8 * i + 4 + (size_t)b] = (unsigned char)(w >> (8 * b));
        }
    }
    return 8 * n;
}

size_t st_feats_decode(const void *blob, size_t bytes, st_feat *out, size_t max)
{
    const unsigned char *p = blob;
    size_t n = bytes / 8;
    if (n > max)
        n = max;
    for (size_t i = 0; i < n; i++) {
        uint32_t h = 0, w = 0;
        for (int b = 3; b >= 0; b--) {
            h = (h << 8) | p[8 * i + (size_t)b];
            w = (w << 8) | p[8 * i + 4 + (size_t)b];
        }
        out[i].h = h;
        memcpy(&out[i].w, &w, 4);
        if (!isfinite(out[i].w))
            out[i].w = 0;
    }
    return n;
}
