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
/* The hashes are inlined from the library's header (same functions, same
 * values): they run for every token and shingle. */
#define XXH_INLINE_ALL
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

/* 1 + ln tf for the small whole counts most features have (title words
 * count 3, others 1, so tf is a whole number), taken once (with the stop list); the values
 * are the ones log gives, whichever way they are found. */
#define TFW_SMALL 256
static double tfw_small[TFW_SMALL];

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
    for (size_t k = 1; k < TFW_SMALL; k++)
        tfw_small[k] = 1.0 + log((double)k);
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

/* One feature: h | 1 (0 marks an empty slot), its sampled document
 * frequency and its display word (offset + 1 in words, 0 for none).  Both
 * live in one entry so that weighing an article, counting it and naming
 * its heaviest features find a feature with one probe.  A feature with
 * df 0 and no word means the same as an absent one. */
typedef struct term {
    uint32_t h, df, word;
} term;

struct st_terms {
    term *e;                 /* 1 << bits slots, NULL until the first feature */
    unsigned bits;
    size_t n;                /* features held */
    uint32_t docs;           /* documents counted */
    mh_buf words;            /* NUL-separated display words */
    struct wcand *scratch;   /* st_bag_weigh's working arrays */
    uint64_t *keys;
    size_t cap_scratch;
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
    mh_free(t->e);
    mh_buf_free(&t->words);
    mh_free(t->scratch);
    mh_free(t->keys);
    mh_free(t);
}

/* Fibonacci hashing: the top bits of the product depend on every bit of
 * h, so the low bit that | 1 fixes costs nothing. */
static size_t term_home(const st_terms *t, uint32_t h)
{
    return (size_t)((uint32_t)(h * 0x9E3779B1u) >> (32 - t->bits));
}

/* Make room for `more` new features at a load of at most one half, so
 * that slots found afterwards stay put while up to that many go in. */
static mh_err terms_reserve(st_terms *t, size_t more)
{
    size_t cap = t->e ? (size_t)1 << t->bits : 0;
    if (2 * (t->n + more) <= cap)
        return MH_OK;
    unsigned bits = t->bits ? t->bits : 10;
    while (((size_t)1 << bits) < 2 * (t->n + more)) {
        if (bits >= 31)
            return MH_ETOOBIG;
        bits++;
    }
    term *e = mh_malloc(((size_t)1 << bits) * sizeof *e);
    if (!e)
        return MH_ENOMEM;
    memset(e, 0, ((size_t)1 << bits) * sizeof *e);
    term *old = t->e;
    t->e = e;
    t->bits = bits;
    size_t mask = ((size_t)1 << bits) - 1;
    for (size_t i = 0; i < cap; i++) {
        if (!old[i].h)
            continue;
        size_t j = term_home(t, old[i].h);
        while (e[j].h)
            j = (j + 1) & mask;
        e[j] = old[i];
    }
    mh_free(old);
    return MH_OK;
}

/* Ask for the cache line of feature h's home slot ahead of its probe.
 * Once many articles are counted the table is megabytes and an
 * article's features, being hashes, fall all over it: nearly all the
 * time of weighing an article went into waiting for those lines one
 * after the other. */
static void term_prefetch(const st_terms *t, uint32_t h)
{
#if defined(__GNUC__)
    __builtin_prefetch(&t->e[term_home(t, h)]);
#else
    (void)t;
    (void)h;
#endif
}

/* The slot of feature h (already | 1), taken for it when it is absent.
 * The caller has reserved room. */
static size_t term_slot(st_terms *t, uint32_t h)
{
    size_t mask = ((size_t)1 << t->bits) - 1, i = term_home(t, h);
    while (t->e[i].h && t->e[i].h != h)
        i = (i + 1) & mask;
    if (!t->e[i].h) {
        t->e[i].h = h;
        t->n++;
    }
    return i;
}

/* The entry of feature h (already | 1), NULL when absent. */
static const term *term_find(const st_terms *t, uint32_t h)
{
    if (!t->e)
        return NULL;
    size_t mask = ((size_t)1 << t->bits) - 1, i = term_home(t, h);
    while (t->e[i].h) {
        if (t->e[i].h == h)
            return &t->e[i];
        i = (i + 1) & mask;
    }
    return NULL;
}

mh_err st_terms_count(st_terms *t, const uint32_t *h, size_t n, uint32_t weight)
{
    mh_err e = terms_reserve(t, n);
    if (e)
        return e;
    for (size_t i = 0; i < n; i++)
        t->e[term_slot(t, h[i] | 1u)].df += weight;
    t->docs += weight;
    return MH_OK;
}

/* Give slot i its display word unless it has one. */
static mh_err term_name(st_terms *t, size_t i, const char *w, size_t n)
{
    if (t->e[i].word)
        return MH_OK;
    size_t off = t->words.len;
    mh_buf_add(&t->words, w, n);
    mh_buf_addc(&t->words, 0);
    if (t->words.err)
        return t->words.err;
    t->e[i].word = (uint32_t)off + 1;
    return MH_OK;
}

const char *st_terms_word(const st_terms *t, uint32_t h)
{
    const term *e = term_find(t, h | 1u);
    return e && e->word ? t->words.p + (e->word - 1) : NULL;
}

mh_err st_terms_set_word(st_terms *t, uint32_t h, const char *w, size_t n)
{
    mh_err e = terms_reserve(t, 1);
    return e ? e : term_name(t, term_slot(t, h | 1u), w, n);
}

/* ------------------------------------------------------------------ */
/* Vectors                                                             */
/* ------------------------------------------------------------------ */

typedef struct acc_ent {
    uint32_t h;
    float tf;
    uint8_t name;
    uint8_t lower;                         /* a stem seen in a lowercase word */
    const char *word; uint32_t word_len;   /* display form (borrowed during build) */
    const char *surf; uint32_t surf_len;   /* a stem's shortest capitalised surface */
} acc_ent;

/* A slot of the counting table: the feature (0 when empty) and where
 * its entry is.  The entries themselves lie packed in the order they
 * came, so a new or grown table clears 8 bytes a slot, not a whole
 * entry, and the slots still fall where they always have (the order of
 * the document-frequency sample). */
typedef struct acc_slot {
    uint32_t h, at;
} acc_slot;

typedef struct acc {
    acc_slot *slot;           /* cap slots, at most half of them taken */
    acc_ent *e;               /* n entries, room for cap / 2 */
    size_t cap, n;
    float tf;                 /* weight of the tokens being fed */
    int title;
    const char *text;         /* the text whose tokens are fed (names' surface) */
    mh_arena *arena;
    mh_err err;
} acc;

/* A display word kept by the counting table: body words stay valid (they
 * point into the analysed body), the title's tokens are only borrowed
 * during the callback and are copied.  NULL (and a->err) when out of
 * memory. */
static const char *acc_keep(acc *a, const char *w, size_t wl)
{
    const char *copy = a->title ? mh_arena_strndup(a->arena, w, wl) : w;
    if (!copy)
        a->err = MH_ENOMEM;
    return copy;
}

/* Double the counting table (512 slots to begin with).  The features
 * move in slot order, as they always have: where they land is the
 * order of the document-frequency sample. */
static mh_err acc_grow(acc *a)
{
    size_t cap = a->cap ? a->cap * 2 : 512;
    acc_slot *slot = mh_malloc(cap * sizeof *slot);
    acc_ent *e = slot ? mh_realloc(a->e, cap / 2 * sizeof *e) : NULL;
    if (!e) {
        mh_free(slot);
        a->err = MH_ENOMEM;
        return MH_ENOMEM;
    }
    a->e = e;
    memset(slot, 0, cap * sizeof *slot);
    for (size_t i = 0; i < a->cap; i++) {
        if (!a->slot[i].h)
            continue;
        size_t j = (a->slot[i].h * 0x9E3779B1u) & (cap - 1);
        while (slot[j].h)
            j = (j + 1) & (cap - 1);
        slot[j] = a->slot[i];
    }
    mh_free(a->slot);
    a->slot = slot;
    a->cap = cap;
    return MH_OK;
}

/* Add a feature; a stem also gives the surface of its word (sw, swl),
 * and whether it was capitalised (cap). */
static void acc_add(acc *a, uint32_t h, int name, const char *w, size_t wl, const char *sw,
                    size_t swl, int cap)
{
    if (a->err)
        return;
    h |= 1u;
    if (2 * (a->n + 1) > a->cap && acc_grow(a) != MH_OK)
        return;
    size_t mask = a->cap - 1, i = (h * 0x9E3779B1u) & mask;
    while (a->slot[i].h && a->slot[i].h != h)
        i = (i + 1) & mask;
    acc_ent *x;
    if (!a->slot[i].h) {
        const char *copy = acc_keep(a, w, wl);
        if (!copy)
            return;
        a->slot[i].h = h;
        a->slot[i].at = (uint32_t)a->n;
        x = &a->e[a->n++];
        x->h = h;
        x->tf = 0;
        x->name = (uint8_t)name;
        x->lower = 0;
        x->word = copy;
        x->word_len = (uint32_t)wl;
        x->surf = NULL;
        x->surf_len = 0;
    } else {
        x = &a->e[a->slot[i].at];
        if (!name && wl < x->word_len) {
            /* A stem reads as the shortest word seen with it, nearest to
             * the bare word ("liman", not "lima" or "limanının"). */
            const char *copy = acc_keep(a, w, wl);
            if (!copy)
                return;
            x->word = copy;
            x->word_len = (uint32_t)wl;
        }
    }
    if (!name) {
        /* ... written as a name when it never appears in lowercase
         * ("Balıkesir", not "balıkesir"). */
        if (!cap)
            x->lower = 1;
        else if (!x->surf || swl < x->surf_len) {
            const char *copy = acc_keep(a, sw, swl);
            if (!copy)
                return;
            x->surf = copy;
            x->surf_len = (uint32_t)swl;
        }
    }
    x->tf += a->tf;
}

static int acc_token(void *ctx, const mh_token *t)
{
    acc *a = ctx;
    if (!(t->flags & MH_TOK_WORD) || t->norm_len < 2 || is_stop(t->norm, t->norm_len))
        return 0;
    /* Stems live in the lower half of the hash space, names in the upper,
     * so a feature says which it is. */
    if (t->stem_len >= 2)
        acc_add(a, XXH32(t->stem, t->stem_len, 1) & 0x7FFFFFFFu, 0, t->norm, t->norm_len,
                a->text + t->start, t->end - t->start, (t->flags & MH_TOK_CAP) != 0);
    /* Names: a capital inside a sentence, or a short acronym.  Titles are
     * often written in title case, so their capitals say nothing. */
    int name = !a->title &&
               (((t->flags & MH_TOK_CAP) && !(t->flags & MH_TOK_SENT0) &&
                 !(t->flags & MH_TOK_ALLCAPS)) ||
                ((t->flags & MH_TOK_ALLCAPS) && t->fold_len <= 5));
    if (name && t->fold_len >= 2)
        acc_add(a, XXH32(t->fold, t->fold_len, 2) | 0x80000000u, 1, a->text + t->start,
                t->end - t->start, NULL, 0, 1);
    return a->err ? 1 : 0;
}

static int cmp_feat_w(const void *x, const void *y)
{
    const st_feat *a = x, *b = y;
    if (a->w != b->w)
        return a->w > b->w ? -1 : 1;
    return (a->h > b->h) - (a->h < b->h);
}

/* A weight's bits made to sort as the weights do: negative floats
 * reversed, -0 taken as +0 as float comparison has it.  Weights are never
 * NaN: they are sums and products of finite positive numbers (decoded
 * blobs have non-finite weights zeroed). */
static uint32_t weight_order(float w)
{
    uint32_t b;
    if (w == 0)
        w = 0.0f;
    memcpy(&b, &w, 4);
    return (b & 0x80000000u) ? ~b : b | 0x80000000u;
}

/* A key whose integer order is cmp_feat_w's, heaviest largest: the
 * weight, then the hash reversed, so that of two equal weights the
 * smaller hash is the larger key. */
static uint64_t feat_key(float w, uint32_t h)
{
    return (uint64_t)weight_order(w) << 32 | (uint32_t)~h;
}

/* Move the k largest of a[0..n) to a[0..k), in no particular order,
 * 1 <= k <= n (quickselect: Lomuto partition around a middle pivot). */
static void select_largest(uint64_t *a, size_t n, size_t k)
{
    size_t lo = 0, hi = n, want = k - 1;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2, p = lo;
        uint64_t pivot = a[mid], t;
        a[mid] = a[hi - 1];
        a[hi - 1] = pivot;
        for (size_t i = lo; i + 1 < hi; i++)
            if (a[i] > pivot) {
                t = a[i];
                a[i] = a[p];
                a[p] = t;
                p++;
            }
        a[hi - 1] = a[p];
        a[p] = pivot;
        /* a[lo..p) are larger than the pivot, now at p, and a(p..hi) are
         * not; whatever lies left of lo is larger than all of them. */
        if (want == p)
            return;
        if (want < p)
            hi = p;
        else
            lo = p + 1;
    }
}

/* Sort a[0..n) largest first (insertion sort: n is small). */
static void sort_keys_down(uint64_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t x = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1] < x; j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
}

static int is_name(uint32_t h) { return (h & 0x80000000u) != 0; }

/* An article's features counted but not yet weighted: what the pure part
 * of the work leaves for the part that needs the document frequencies.
 * Parallel arrays sorted by hash, with 1 + ln tf already taken: the
 * store step only looks up frequencies, and finds the vector's features
 * in hash order (what merges want) by walking them. */
struct st_bag {
    size_t n;
    uint32_t *h;              /* feature | 1; a name when the top bit is set */
    double *tfw;              /* 1 + ln tf */
    const char **word;        /* display form (into body's text or arena) */
    uint32_t *word_len;
    /* The same features in the order of the counting table, the order
     * the document-frequency sample has always been written in. */
    uint32_t *sample;
    mh_arena arena;
};

/* Sort a[0..n) ascending into out[0..n): a counting pass on the top
 * bits spreads the keys over about n buckets, which leaves a few
 * neighbours out of order for an insertion sort to finish.  The keys are
 * hash-led, so the buckets fill evenly.  count has room for the 1 << bits
 * counters that sort_bits(n) names. */
static unsigned sort_bits(size_t n)
{
    unsigned bits = 4;
    while (bits < 16 && ((size_t)1 << bits) < n)
        bits++;
    return bits;
}

static void sort_u64(const uint64_t *a, size_t n, uint64_t *out, uint32_t *count)
{
    unsigned bits = sort_bits(n), shift = 64 - bits;
    size_t nb = (size_t)1 << bits;
    memset(count, 0, nb * sizeof *count);
    for (size_t i = 0; i < n; i++)
        count[a[i] >> shift]++;
    uint32_t sum = 0;
    for (size_t k = 0; k < nb; k++) {
        uint32_t c = count[k];
        count[k] = sum;
        sum += c;
    }
    for (size_t i = 0; i < n; i++)
        out[count[a[i] >> shift]++] = a[i];
    for (size_t i = 1; i < n; i++) {
        uint64_t x = out[i];
        size_t j = i;
        for (; j > 0 && out[j - 1] > x; j--)
            out[j] = out[j - 1];
        out[j] = x;
    }
}

static double tf_weight(float tf)
{
    if (tf >= 1.0f && tf < (float)TFW_SMALL) {
        uint32_t k = (uint32_t)tf;
        if ((float)k == tf)
            return tfw_small[k];
    }
    return 1.0 + log(tf);
}

/* Copy the counting table into the bag's arrays. */
static mh_err bag_fill(st_bag *b, const acc *a)
{
    size_t n = a->n ? a->n : 1;
    b->h = mh_arena_alloc(&b->arena, n * sizeof *b->h);
    b->tfw = mh_arena_alloc(&b->arena, n * sizeof *b->tfw);
    b->word = mh_arena_alloc(&b->arena, n * sizeof *b->word);
    b->word_len = mh_arena_alloc(&b->arena, n * sizeof *b->word_len);
    b->sample = mh_arena_alloc(&b->arena, n * sizeof *b->sample);
    /* Keys (hash, entry) in table order, then sorted, then counters. */
    size_t nb = (size_t)1 << sort_bits(n);
    uint64_t *keys = mh_malloc(2 * n * sizeof *keys + nb * sizeof(uint32_t));
    if (!b->h || !b->tfw || !b->word || !b->word_len || !b->sample || !keys) {
        mh_free(keys);
        return MH_ENOMEM;
    }
    uint64_t *sorted = keys + n;
    for (size_t i = 0; i < a->cap; i++) {
        if (!a->slot[i].h)
            continue;
        keys[b->n] = (uint64_t)a->slot[i].h << 32 | a->slot[i].at;
        b->sample[b->n++] = a->slot[i].h;
    }
    /* Hashes are distinct, so the order is the hashes' order. */
    sort_u64(keys, b->n, sorted, (uint32_t *)(sorted + n));
    for (size_t i = 0; i < b->n; i++) {
        const acc_ent *x = &a->e[(uint32_t)sorted[i]];
        b->h[i] = x->h;
        b->tfw[i] = tf_weight(x->tf);
        int surf = !x->name && !x->lower && x->surf;
        b->word[i] = surf ? x->surf : x->word;
        b->word_len[i] = surf ? x->surf_len : x->word_len;
    }
    mh_free(keys);
    return MH_OK;
}

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
    acc ac;
    memset(&ac, 0, sizeof ac);
    acc *a = &ac;
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
    if (!e)
        e = bag_fill(b, a);
    mh_free(a->e);
    mh_free(a->slot);
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
    mh_arena_free(&b->arena);
    mh_free(b);
}

const uint32_t *st_bag_features(const st_bag *b, size_t *n)
{
    *n = b->n;
    return b->sample;
}

/* A feature being weighed: its weight, its slot in the terms and
 * whether it is among the heaviest. */
typedef struct wcand {
    float w;
    uint32_t slot, top;
} wcand;

/* Document frequencies below this have their idf remembered while an
 * article is weighed. */
#define IDF_SMALL 64

/* How many features ahead st_bag_weigh asks for the slot it will probe. */
#define PREFETCH_AHEAD 16

mh_err st_bag_weigh(const st_bag *b, st_terms *t, st_vec *out)
{
    mh_err e;
    size_t n = b->n;
    memset(out, 0, sizeof *out);
    /* Room for every feature first: the slots found below stay valid. */
    if ((e = terms_reserve(t, n)) != MH_OK)
        return e;
    if (n > t->cap_scratch) {
        size_t cap = n > 256 ? n : 256;
        wcand *c = mh_realloc(t->scratch, cap * sizeof *c);
        uint64_t *keys = c ? mh_realloc(t->keys, cap * sizeof *keys) : NULL;
        if (c)
            t->scratch = c;
        if (!keys)
            return MH_ENOMEM;
        t->keys = keys;
        t->cap_scratch = cap;
    }
    wcand *c = t->scratch;
    uint64_t *keys = t->keys;
    /* Most of an article's features are rare words, sharing a few small
     * document frequencies, and the logarithm is the dearest step here:
     * the idf of each small frequency is taken once per article.  The
     * value is the one the formula gives, whichever way it is found. */
    double small_idf[IDF_SMALL];
    uint64_t have = 0;
    double docs = t->docs + 1.0;
    for (size_t i = 0; i < n && i < PREFETCH_AHEAD; i++)
        term_prefetch(t, b->h[i]);
    for (size_t i = 0; i < n; i++) {
        uint32_t h = b->h[i];
        if (i + PREFETCH_AHEAD < n)
            term_prefetch(t, b->h[i + PREFETCH_AHEAD]);
        size_t slot = term_slot(t, h);
        uint32_t df = t->e[slot].df;
        double idf;
        if (df < IDF_SMALL && (have >> df & 1)) {
            idf = small_idf[df];
        } else {
            idf = log(docs / ((double)df + 1.0)) + 1.0;
            if (df < IDF_SMALL) {
                small_idf[df] = idf;
                have |= (uint64_t)1 << df;
            }
        }
        double w = b->tfw[i] * idf;
        if (is_name(h))
            w *= NAME_BOOST;
        c[i].w = (float)w;
        c[i].slot = (uint32_t)slot;
        c[i].top = 0;
        /* A key that orders as cmp_feat_w does: the weight, then the bag
         * position reversed.  The bag is sorted by hash, so position
         * order is hash order, and the position is read back from the
         * key. */
        keys[i] = (uint64_t)weight_order(c[i].w) << 32 | (uint32_t)~i;
        /* Count the article: its features are distinct, so no later
         * feature of it reads this frequency. */
        t->e[slot].df = df + 1;
    }
    t->docs += 1;

    /* The ST_VEC_MAX heaviest, heaviest first, then their positions in
     * hash order. */
    size_t k = n < ST_VEC_MAX ? n : ST_VEC_MAX;
    if (n > k)
        select_largest(keys, n, k);
    sort_keys_down(keys, k);
    uint32_t byw[ST_VEC_MAX], byh[ST_VEC_MAX];
    for (size_t i = 0; i < k; i++) {
        byw[i] = ~(uint32_t)keys[i];
        c[byw[i]].top = 1;
    }
    for (size_t i = 0, j = 0; j < k; i++)
        if (c[i].top)
            byh[j++] = (uint32_t)i;
    /* The norm sums in weight order, as it always has (float sums depend
     * on their order). */
    double norm = 0;
    for (size_t i = 0; i < k; i++)
        norm += (double)c[byw[i]].w * c[byw[i]].w;
    norm = sqrt(norm);
    for (size_t i = 0; i < k; i++) {
        uint32_t x = byw[i], y = byh[i];
        out->f[i].h = b->h[x];
        out->f[i].w = norm > 0 ? (float)(c[x].w / norm) : 0.0f;
        out->hs[i].h = b->h[y];
        out->hs[i].w = norm > 0 ? (float)(c[y].w / norm) : 0.0f;
        out->n_names += is_name(b->h[x]);
        /* Remember how the heavy features read, for top terms. */
        if ((e = term_name(t, c[x].slot, b->word[x], b->word_len[x])) != MH_OK)
            return e;
    }
    out->n = (uint32_t)k;
    return MH_OK;
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
    /* Per slot, the last st_index_match that looked at the story: each
     * story is compared once per article however many keys lead to it. */
    uint32_t *mark, stamp;
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
    mh_free(x->mark);
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
        /* Two arrays, one capacity: each grows from the old one. */
        size_t cs = x->cap, cm = x->cap;
        if (mh_grow(&x->s, &cs, x->n + 1, sizeof *x->s, 256) ||
            mh_grow(&x->mark, &cm, x->n + 1, sizeof *x->mark, 256))
            return MH_ENOMEM;
        x->cap = cs;
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
    x->mark[slot] = 0;       /* stamps start at 1 */
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

/* Compare v (sorted by hash) with the story in slot; keep it in *best
 * when it may be joined and beats the best so far.  The best is the most
 * similar story, the smaller id among equals, so the order in which
 * stories are compared does not matter. */
static void consider(const st_index *x, uint32_t slot, const st_vec *v, int32_t day,
                     st_story **best, double *bs)
{
    st_story *s = x->s[slot];
    if (!open_on(s, day) || s->norm <= 0)
        return;
    /* Without dates, recency of ingest stands in for the time window:
     * an undated story stays open while few new stories have begun. */
    if (day == MH_DAY_UNKNOWN && x->n - slot > UNDATED_OPEN)
        return;
    double c = st_cosine(v->hs, v->n, s->c, s->nc) / s->norm;
    int ok = c >= SIM_JOIN ||
             (c >= SIM_NAMES && shared_names(s->c, s->nc, v->hs, v->n) >= NAMES_MIN);
    if (ok && (!*best || c > *bs || (c == *bs && s->id < (*best)->id))) {
        *best = s;
        *bs = c;
    }
}

st_story *st_index_match(st_index *x, const st_vec *v, int32_t day, double *sim)
{
    st_story *best = NULL;
    double bs = 0;
    if (sim)
        *sim = 0;
    if (!x || !v || v->n == 0)
        return NULL;
    if (++x->stamp == 0) {
        /* After 2^32 - 1 matches the stamps come round: start afresh. */
        if (x->n)
            memset(x->mark, 0, x->n * sizeof *x->mark);
        x->stamp = 1;
    }
    for (size_t i = 0; i < v->n && i < MATCH_KEYS; i++) {
        unsigned seen = 0;
        uint32_t key = v->f[i].h;
        for (uint32_t e = mh_multimap_first(&x->post, key); e != MH_MULTIMAP_END;
             e = mh_multimap_next(&x->post, e, key)) {
            uint32_t slot = x->post.val[e];
            if (x->mark[slot] != x->stamp) {
                x->mark[slot] = x->stamp;
                consider(x, slot, v, day, &best, &bs);
            }
            if (++seen >= SCAN_CAP)
                break;
        }
    }
    if (sim)
        *sim = bs;
    return best;
}

/* Add v to story s in memory (all but the index's postings). */
static mh_err story_add(st_story *s, int64_t article, const st_vec *v, int32_t day)
{
    const st_feat *vs = v->hs;
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
        /* Keep the features whose key reaches the ST_CENTROID-th largest
         * (keys are distinct, as the hashes are); what stays keeps its
         * hash order.  A centroid holds at most ST_CENTROID features, so
         * k fits keys, and the count is capped all the same, should a
         * damaged blob have repeated a hash. */
        uint64_t keys[ST_CENTROID + ST_VEC_MAX];
        for (size_t q = 0; q < k; q++)
            keys[q] = feat_key(m[q].w, m[q].h);
        select_largest(keys, k, ST_CENTROID);
        uint64_t edge = keys[0];
        for (size_t q = 1; q < ST_CENTROID; q++)
            if (keys[q] < edge)
                edge = keys[q];
        size_t kept = 0;
        for (size_t q = 0; q < k; q++)
            if (feat_key(m[q].w, m[q].h) >= edge && kept < ST_CENTROID)
                m[kept++] = m[q];
        k = kept;
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
    return MH_OK;
}

mh_err st_index_join(st_index *x, st_story *s, int64_t article, const st_vec *v, int32_t day)
{
    mh_err e = story_add(s, article, v, day);
    if (e)
        return e;
    /* The story can now be found by this article's heavy features too. */
    uint32_t slot = mh_idmap_get(&x->ids, s->id);
    return slot == MH_IDMAP_NONE ? MH_EINVAL : post_vec(x, slot, v->f, v->n);
}

mh_err st_story_start(st_story *out, int64_t article, const st_vec *v, int32_t day)
{
    memset(out, 0, sizeof *out);
    out->first = day;
    out->last = day;
    return story_add(out, article, v, day);
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
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* On a little-endian machine the blob is the array's own bytes (a
     * story's row is written for every article it gains). */
    _Static_assert(sizeof(st_feat) == 8, "st_feat is a hash and a float, unpadded");
    if (n)
        memcpy(out, f, 8 * n);
#else
    for (size_t i = 0; i < n; i++) {
        uint32_t w;
        memcpy(&w, &f[i].w, 4);
        mh_le32_put(out + 8 * i, f[i].h);
        mh_le32_put(out + 8 * i + 4, w);
    }
#endif
    return 8 * n;
}

size_t st_feats_decode(const void *blob, size_t bytes, st_feat *out, size_t max)
{
    const unsigned char *p = blob;
    size_t n = bytes / 8;
    if (n > max)
        n = max;
    for (size_t i = 0; i < n; i++) {
        uint32_t w = mh_le32_get(p + 8 * i + 4);
        out[i].h = mh_le32_get(p + 8 * i);
        memcpy(&out[i].w, &w, 4);
        if (!isfinite(out[i].w))
            out[i].w = 0;
    }
    return n;
}
