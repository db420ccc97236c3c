/*
 * minhash.c -- copy detection: fingerprints of article bodies and an
 * in-memory LSH index that groups copies with a union-find.
 *
 * Fingerprint.  The body's tokens are reduced to their ASCII-folded
 * Turkish lowercase form (mh_token.fold), so "Şişli" typed as "Sisli" or
 * "SİSLİ" is the same word, and the apostrophe suffix is dropped.  Runs of
 * MH_FP_SHINGLE consecutive tokens are hashed with xxHash (XXH3) into the
 * set of shingles.  From that set we keep two summaries:
 *  - a MinHash signature of MH_FP_MINHASH values, computed as one-
 *    permutation hashing (Li, Owen & Zhang 2012: the shingle hash picks
 *    one of MH_FP_MINHASH bins, each bin keeps its minimum) with empty
 *    bins filled by rotation (Shrivastava & Li 2014), so a text costs one
 *    comparison per shingle instead of one per shingle and permutation
 *    (Broder 1997).  The signature is cut into MH_FP_BANDS
 *    bands whose hashes are the LSH keys (Indyk & Motwani; Leskovec,
 *    Rajaraman & Ullman, "Mining of Massive Datasets", ch. 3).  Two texts
 *    with Jaccard resemblance J share a band with probability
 *    1 - (1 - J^r)^b, r = rows per band; with b = 16, r = 4 the S-curve
 *    crosses 1/2 near J = 0.5.
 *  - a bottom-k sketch: the MH_FP_SKETCH smallest 32-bit shingle hashes.
 *    Restricted to the values below the smaller of the two sketches'
 *    largest values, both sketches are exact samples of the same hash
 *    range, which gives unbiased estimates of the Jaccard resemblance and
 *    of the containment |A n B| / min(|A|, |B|) (Broder 1997, Cohen &
 *    Kaplan 2007).  Containment is what catches a short, trimmed copy of
 *    a long agency text, whose resemblance is low.
 *
 * Candidates.  The index finds candidates for a new article in two ways:
 * a shared LSH band key (resemblance) or a shared "anchor", one of the
 * MH_FP_ANCHORS smallest sketch values (containment: if A is a part of B,
 * A's smallest hashes that fall below B's sketch range are B's too, so a
 * trimmed copy shares anchors with its source in proportion to its
 * share of the text).  Every candidate is verified with the sketch
 * estimates (mh_fingerprint_compare) before two groups are joined.
 *
 * Groups.  Verified pairs are joined with a union-find.  Each group's
 * first article is the minimum by (publication day, id), undated
 * articles last.  The set of verified pairs does not depend on the order
 * in which articles arrive: candidate generation and verification are
 * symmetric, and a candidate is skipped only when it is already in the
 * same group, which does not change the connected components.  So the
 * groups are order independent; the first article is too whenever the
 * dates differ.  Between articles of the same day the smaller id (the
 * one ingested first) wins, which is the one place ingest order shows.
 * The one bound that can break this is MH_DUP_SCAN_CAP: an anchor or band
 * shared by more than that many articles is only followed to its most
 * recent holders (such keys are boilerplate, and real copies share many
 * rarer keys as well).
 *
 * Limits: texts longer than MH_FP_MAX_TOKENS tokens are fingerprinted on
 * their first MH_FP_MAX_TOKENS tokens.  The index holds at most 2^32 - 2
 * articles.
 */
#include "internal.h"

#include <limits.h>
#include <stdlib.h>
/* The hashes are inlined from the library's header (same functions, same
 * values): they run for every token and shingle. */
#define XXH_INLINE_ALL
#include <xxhash.h>

#define MH_FP_MAX_TOKENS ((size_t)1 << 20)

/* Follow at most this many holders of one key (the most recent) when
 * looking for candidates.  Keys held by many articles are boilerplate
 * phrases or floods of one text; for a flood the most recent holders are
 * members of the same group, so one verification joins it and the rest
 * are skipped as already joined. */
#define MH_DUP_SCAN_CAP 64

/* Slots of the set that keeps one add's candidates distinct: a power of
 * two, at least twice the most candidates one add can collect. */
#define SEEN_SLOTS 4096
_Static_assert(SEEN_SLOTS >= 2 * (MH_FP_BANDS + MH_FP_ANCHORS) * MH_DUP_SCAN_CAP,
               "the candidate set holds every candidate of an add at half load");

/* Verification thresholds: the copy rule of mh_fingerprint_compare. */
#define MH_FP_JACCARD      0.50   /* resemblance that makes a copy */
#define MH_FP_CONTAIN      0.55   /* containment that makes a copy ... */
#define MH_FP_CONTAIN_MIN  4      /* ... over at least this many common samples */
#define MH_FP_SMALL        12     /* texts under this many shingles need J >= ... */
#define MH_FP_SMALL_J      0.80

struct mh_shingler {
    uint64_t *tok;            /* one XXH3 hash per token */
    size_t n_tok, cap_tok;
    uint64_t *set;            /* open-addressing set of shingle hashes; 0 = empty */
    size_t set_cap;
    mh_err err;               /* sticky, from mh_shingler_add */
};

mh_shingler *mh_shingler_new(void)
{
    mh_shingler *s = mh_malloc(sizeof *s);
    if (!s)
        return NULL;
    memset(s, 0, sizeof *s);
    return s;
}

void mh_shingler_free(mh_shingler *s)
{
    if (!s)
        return;
    mh_free(s->tok);
    mh_free(s->set);
    mh_free(s);
}

void mh_shingler_reset(mh_shingler *s)
{
    if (!s)
        return;
    s->n_tok = 0;
    s->err = MH_OK;
}

void mh_shingler_add(mh_shingler *s, const char *word, size_t n)
{
    if (!s || s->err || s->n_tok >= MH_FP_MAX_TOKENS || n == 0)
        return;
    if (s->n_tok == s->cap_tok &&
        mh_grow(&s->tok, &s->cap_tok, s->n_tok + 1, sizeof *s->tok, 512)) {
        s->err = MH_ENOMEM;
        return;
    }
    s->tok[s->n_tok++] = XXH3_64bits(word, n);
}

/* Insert h into the set; returns 1 when it was new. */
static int set_insert(uint64_t *set, size_t cap, uint64_t h)
{
    if (h == 0)
        h = 1;          /* 0 marks an empty slot */
    size_t mask = cap - 1, i = (size_t)(h ^ (h >> 29)) & mask;
    while (set[i]) {
        if (set[i] == h)
            return 0;
        i = (i + 1) & mask;
    }
    set[i] = h;
    return 1;
}

/* Offer v to the bottom-k sample sk[0..*n), ascending, capacity k.  A
 * sorted array: most offers lose to the largest kept value at once, a
 * binary search finds the place of the others and a repeated value on
 * the way (32-bit collisions are rare but would break the sample
 * logic).  What it keeps is the k smallest distinct values offered. */
static void bottomk_offer(uint32_t *sk, uint32_t *n, uint32_t k, uint32_t v)
{
    if (*n == k && v >= sk[k - 1])
        return;
    uint32_t lo = 0, hi = *n;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (sk[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < *n && sk[lo] == v)
        return;
    if (*n == k)
        (*n)--;
    memmove(sk + lo + 1, sk + lo, (*n - lo) * sizeof *sk);
    sk[lo] = v;
    (*n)++;
}

mh_err mh_shingler_finish(mh_shingler *s, mh_fingerprint *out)
{
    mh_err rc = MH_OK;
    if (!s || !out)
        return MH_EINVAL;
    memset(out, 0, sizeof *out);
    if (s->err) {
        rc = s->err;
        goto out;
    }
    size_t w = MH_FP_SHINGLE;
    size_t n_sh = s->n_tok == 0 ? 0 : s->n_tok < w ? 1 : s->n_tok - w + 1;
    if (n_sh == 0)
        goto out;

    /* The set is sized for a load factor of at most 1/2. */
    size_t need = 64;
    while (need < 2 * n_sh)
        need *= 2;
    if (need > s->set_cap) {
        uint64_t *set = mh_realloc(s->set, need * sizeof *set);
        if (!set) {
            rc = MH_ENOMEM;
            goto out;
        }
        s->set = set;
        s->set_cap = need;
    }
    memset(s->set, 0, need * sizeof *s->set);

    uint32_t sig[MH_FP_MINHASH];
    unsigned char filled[MH_FP_MINHASH];
    memset(filled, 0, sizeof filled);
    for (size_t i = 0; i < MH_FP_MINHASH; i++)
        sig[i] = UINT32_MAX;
    uint32_t nsketch = 0;
    uint32_t distinct = 0;
    size_t span = s->n_tok < w ? s->n_tok : w;
    for (size_t i = 0; i < n_sh; i++) {
        uint64_t h = XXH3_64bits_withSeed(s->tok + i, span * sizeof *s->tok, w);
        if (!set_insert(s->set, need, h))
            continue;
        distinct++;
        /* The low bits choose the bin and the next 32 are the value; the
         * sketch uses the high half, so the two summaries mostly use
         * different bits of the hash. */
        size_t bin = (size_t)(h % MH_FP_MINHASH);
        uint32_t v = (uint32_t)(h >> 6);
        if (v < sig[bin] || !filled[bin]) {
            sig[bin] = v;
            filled[bin] = 1;
        }
        bottomk_offer(out->sketch, &nsketch, MH_FP_SKETCH, (uint32_t)(h >> 32));
    }
    /* Densify: an empty bin borrows the value of the next filled bin to
     * its right, changed by the distance, the same way in every text, so
     * two texts agree on a borrowed bin with the probability they agree
     * on the bin it was borrowed from. */
    for (size_t b = 0; b < MH_FP_MINHASH; b++) {
        if (filled[b])
            continue;
        for (size_t d = 1; d < MH_FP_MINHASH; d++) {
            size_t j = (b + d) % MH_FP_MINHASH;
            if (filled[j]) {
                sig[b] = sig[j] + (uint32_t)d * 0x9E3779B9u;
                break;
            }
        }
    }
    out->n_shingles = distinct;
    out->n_sketch = nsketch;
    size_t rows = MH_FP_MINHASH / MH_FP_BANDS;
    for (size_t b = 0; b < MH_FP_BANDS; b++)
        out->bands[b] = (uint32_t)XXH3_64bits_withSeed(sig + b * rows,
                                                        rows * sizeof *sig, b + 1);
out:
    mh_shingler_reset(s);
    return rc;
}

mh_err mh_fingerprint_doc(mh_shingler *s, const mh_doc *d, mh_fingerprint *out)
{
    if (!s || !out)
        return MH_EINVAL;
    mh_shingler_reset(s);
    if (d)
        for (size_t i = 0; i < d->n_tokens; i++)
            mh_shingler_add(s, d->tokens[i].fold, d->tokens[i].fold_len);
    return mh_shingler_finish(s, out);
}

static int fp_token_cb(void *ctx, const mh_token *t)
{
    mh_shingler *s = ctx;
    mh_shingler_add(s, t->fold, t->fold_len);
    return s->err ? 1 : 0;
}

mh_err mh_fingerprint_text(mh_analyzer *a, mh_shingler *s, const char *text, size_t n,
                           mh_fingerprint *out)
{
    if (!a || !s || !out || (!text && n))
        return MH_EINVAL;
    mh_shingler_reset(s);
    int rc = n ? mh_tokenize(a, text, n, MH_AN_NOSTEM, fp_token_cb, s) : 0;
    if (rc != 0 && !s->err)
        s->err = rc > 0 && rc < MH_ERR_COUNT ? (mh_err)rc : MH_ENOMEM;
    return mh_shingler_finish(s, out);
}

/* What the index keeps of a fingerprint: the sketch, not the band keys,
 * which live in the key tables. */
typedef struct sketch {
    uint32_t n_shingles, n_sketch;
    uint32_t v[MH_FP_SKETCH];
} sketch;

static int compare_sketches(const sketch *a, const sketch *b, mh_fp_match *out)
{
    mh_fp_match m = {0, 0, 0};
    int copy = 0;
    if (a->n_shingles == 0 || b->n_shingles == 0)
        goto out;
    /* The largest value a sketch speaks for: its top value when it is full
     * (a sample of a bigger set), everything when it holds the whole set.
     * Restricted to the common range [0, lim] each sketch is the exact set
     * of its text's hashes there, so the two are comparable samples. */
    uint32_t la = a->n_sketch >= MH_FP_SKETCH ? a->v[a->n_sketch - 1] : UINT32_MAX;
    uint32_t lb = b->n_sketch >= MH_FP_SKETCH ? b->v[b->n_sketch - 1] : UINT32_MAX;
    uint32_t lim = la < lb ? la : lb;
    uint32_t na = 0, nb = 0, common = 0, i = 0, j = 0;
    while (na < a->n_sketch && a->v[na] <= lim)
        na++;
    while (nb < b->n_sketch && b->v[nb] <= lim)
        nb++;
    while (i < na && j < nb) {
        if (a->v[i] == b->v[j]) {
            common++; i++; j++;
        } else if (a->v[i] < b->v[j]) {
            i++;
        } else {
            j++;
        }
    }
    uint32_t uni = na + nb - common, small = na < nb ? na : nb;
    m.samples = common;
    m.jaccard = uni ? (double)common / uni : 0.0;
    m.containment = small ? (double)common / small : 0.0;
    uint32_t smin = a->n_shingles < b->n_shingles ? a->n_shingles : b->n_shingles;
    if (smin < MH_FP_SMALL)
        copy = m.jaccard >= MH_FP_SMALL_J;
    else
        copy = m.jaccard >= MH_FP_JACCARD ||
               (m.containment >= MH_FP_CONTAIN && common >= MH_FP_CONTAIN_MIN);
out:
    if (out)
        *out = m;
    return copy;
}

static void to_sketch(const mh_fingerprint *f, sketch *s)
{
    s->n_shingles = f->n_shingles;
    s->n_sketch = f->n_sketch <= MH_FP_SKETCH ? f->n_sketch : MH_FP_SKETCH;
    memcpy(s->v, f->sketch, sizeof s->v);
}

int mh_fingerprint_compare(const mh_fingerprint *a, const mh_fingerprint *b,
                           mh_fp_match *out)
{
    sketch sa, sb;
    if (!a || !b) {
        if (out)
            memset(out, 0, sizeof *out);
        return 0;
    }
    to_sketch(a, &sa);
    to_sketch(b, &sb);
    return compare_sketches(&sa, &sb, out);
}

/* ------------------------------------------------------------------ */
/* Days                                                                */
/* ------------------------------------------------------------------ */

/* Days from 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * civil-from-days algorithm, written from its description). */
static int32_t days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + (int)doe - 719468);
}

int32_t mh_day_from_date(const char *s, size_t n)
{
    if (!s || n < 10)
        return MH_DAY_UNKNOWN;
    for (size_t i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-')
                return MH_DAY_UNKNOWN;
        } else if (s[i] < '0' || s[i] > '9') {
            return MH_DAY_UNKNOWN;
        }
    }
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
    unsigned d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
    if (y < 1800 || m < 1 || m > 12 || d < 1 || d > 31)
        return MH_DAY_UNKNOWN;
    return days_from_civil(y, m, d);
}

/* ------------------------------------------------------------------ */
/* The index                                                           */
/* ------------------------------------------------------------------ */

#define NIL UINT32_MAX

struct mh_dupindex {
    size_t n, cap;
    int64_t *id;
    int32_t *day;
    uint32_t *parent, *first, *size;    /* union-find; first/size valid at roots */
    sketch *sk;
    mh_idmap ids, labels;                  /* id -> slot; stored group -> slot */
    mh_multimap bands, anchors;         /* LSH band keys and sketch anchors -> slot */
    /* Scratch for one add: the candidates, each once, and the set that
     * keeps them so (slot tagged with the add's stamp; see seen_before). */
    uint32_t *cand; size_t n_cand, cap_cand;
    uint64_t *seen; uint32_t stamp;
    int64_t *merged; size_t cap_merged;
};


mh_dupindex *mh_dupindex_new(void)
{
    mh_dupindex *x = mh_malloc(sizeof *x);
    if (x)
        memset(x, 0, sizeof *x);
    return x;
}

void mh_dupindex_free(mh_dupindex *x)
{
    if (!x)
        return;
    mh_free(x->id);
    mh_free(x->day);
    mh_free(x->parent);
    mh_free(x->first);
    mh_free(x->size);
    mh_free(x->sk);
    mh_idmap_free(&x->ids);
    mh_idmap_free(&x->labels);
    mh_multimap_free(&x->bands);
    mh_multimap_free(&x->anchors);
    mh_free(x->cand);
    mh_free(x->seen);
    mh_free(x->merged);
    mh_free(x);
}

size_t mh_dupindex_count(const mh_dupindex *x) { return x ? x->n : 0; }

size_t mh_dupindex_bytes(const mh_dupindex *x)
{
    if (!x)
        return 0;
    size_t per = sizeof(int64_t) + sizeof(int32_t) + 3 * sizeof(uint32_t) + sizeof(sketch);
    size_t b = sizeof *x + x->cap * per;
    b += x->ids.cap * (sizeof(int64_t) + sizeof(uint32_t));
    b += x->labels.cap * (sizeof(int64_t) + sizeof(uint32_t));
    b += (x->bands.mask + 1) * sizeof(uint32_t) + x->bands.cap * 3 * sizeof(uint32_t);
    b += (x->anchors.mask + 1) * sizeof(uint32_t) + x->anchors.cap * 3 * sizeof(uint32_t);
    b += x->cap_cand * sizeof(uint32_t) + x->cap_merged * sizeof(int64_t);
    b += x->seen ? SEEN_SLOTS * sizeof(uint64_t) : 0;
    return b;
}

static uint32_t uf_find(mh_dupindex *x, uint32_t i)
{
    uint32_t r = i;
    while (x->parent[r] != r)
        r = x->parent[r];
    while (x->parent[i] != r) {         /* path compression */
        uint32_t nx = x->parent[i];
        x->parent[i] = r;
        i = nx;
    }
    return r;
}

/* Is slot a before slot b: earlier day, then smaller id; undated last. */
static int earlier(const mh_dupindex *x, uint32_t a, uint32_t b)
{
    if (x->day[a] != x->day[b])
        return x->day[a] < x->day[b];
    return x->id[a] < x->id[b];
}

/* Join the groups of slots a and b (roots); returns the new root. */
static uint32_t uf_union(mh_dupindex *x, uint32_t a, uint32_t b)
{
    if (a == b)
        return a;
    if (x->size[a] < x->size[b]) {
        uint32_t t = a; a = b; b = t;
    }
    x->parent[b] = a;
    x->size[a] += x->size[b];
    if (earlier(x, x->first[b], x->first[a]))
        x->first[a] = x->first[b];
    return a;
}

/* The slot arrays, resized to cap slots. */
static mh_err slots_resize(mh_dupindex *x, size_t cap)
{
#define GROW(field) do { \
        void *p_ = mh_realloc(x->field, cap * sizeof *x->field); \
        if (!p_) return MH_ENOMEM; \
        x->field = p_; \
    } while (0)
    GROW(id); GROW(day); GROW(parent); GROW(first); GROW(size); GROW(sk);
#undef GROW
    x->cap = cap;
    return MH_OK;
}

static mh_err grow_slots(mh_dupindex *x)
{
    if (x->n < x->cap)
        return MH_OK;
    if (x->cap >= (size_t)UINT32_MAX - 2)
        return MH_ETOOBIG;
    size_t cap = x->cap ? x->cap * 2 : 1024;
    if (cap > (size_t)UINT32_MAX - 2)
        cap = (size_t)UINT32_MAX - 2;
    return slots_resize(x, cap);
}

mh_err mh_dupindex_reserve(mh_dupindex *x, size_t n)
{
    if (!x)
        return MH_EINVAL;
    if (n > (size_t)UINT32_MAX - 2 || n > SIZE_MAX / (MH_FP_BANDS + MH_FP_ANCHORS))
        return MH_ETOOBIG;
    mh_err e = n > x->cap ? slots_resize(x, n) : MH_OK;
    if (!e)
        e = mh_idmap_reserve(&x->ids, n);
    if (!e)
        e = mh_multimap_reserve(&x->bands, n * MH_FP_BANDS);
    if (!e)
        e = mh_multimap_reserve(&x->anchors, n * MH_FP_ANCHORS);
    return e;
}

/* Put a new article into the slot arrays and the key tables.  All the
 * room is made first: a failure leaves x as it was, never an article
 * half in (an id taken whose keys or groups are missing). */
static mh_err add_slot(mh_dupindex *x, int64_t id, int32_t day, const mh_fingerprint *fp,
                       uint32_t *out)
{
    mh_err rc;
    if (id <= 0 || !fp)
        return MH_EINVAL;
    if (mh_idmap_get(&x->ids, id) != MH_IDMAP_NONE)
        return MH_EDUP;
    if ((rc = grow_slots(x)) != MH_OK || (rc = mh_idmap_reserve(&x->ids, x->ids.n + 1)) != MH_OK)
        return rc;
    if (fp->n_shingles &&
        ((rc = mh_multimap_reserve(&x->bands, x->bands.n + MH_FP_BANDS)) != MH_OK ||
         (rc = mh_multimap_reserve(&x->anchors, x->anchors.n + MH_FP_ANCHORS)) != MH_OK))
        return rc;
    uint32_t s = (uint32_t)x->n;
    if ((rc = mh_idmap_put(&x->ids, id, s)) != MH_OK)
        return rc;
    x->id[s] = id;
    x->day[s] = day;
    x->parent[s] = s;
    x->first[s] = s;
    x->size[s] = 1;
    to_sketch(fp, &x->sk[s]);
    x->n++;
    if (fp->n_shingles) {
        for (uint32_t b = 0; b < MH_FP_BANDS; b++)
            if ((rc = mh_multimap_add(&x->bands, fp->bands[b] ^ (b * 0x9E3779B9u), s)) != MH_OK)
                return rc;
        uint32_t na = fp->n_sketch < MH_FP_ANCHORS ? fp->n_sketch : MH_FP_ANCHORS;
        for (uint32_t k = 0; k < na; k++)
            if ((rc = mh_multimap_add(&x->anchors, fp->sketch[k], s)) != MH_OK)
                return rc;
    }
    *out = s;
    return MH_OK;
}

/* Was slot s collected before in this add?  A copy shares many keys
 * with its source, so the same slot comes up several times (three times
 * on average at 100k articles of the bench corpus); keeping it once
 * spares the sort most of its work.  The set is a small open-addressing
 * table that stays in cache: an entry belongs to this add when its top
 * half is the add's stamp, so nothing needs clearing between adds. */
static int seen_before(mh_dupindex *x, uint32_t s)
{
    uint64_t tag = (uint64_t)x->stamp << 32 | s;
    size_t i = (size_t)((s * 0x9E3779B1u) >> 20) & (SEEN_SLOTS - 1);
    while (x->seen[i] >> 32 == x->stamp) {
        if (x->seen[i] == tag)
            return 1;
        i = (i + 1) & (SEEN_SLOTS - 1);
    }
    x->seen[i] = tag;
    return 0;
}

static mh_err cand_push(mh_dupindex *x, uint32_t s)
{
    if (x->n_cand == x->cap_cand &&
        mh_grow(&x->cand, &x->cap_cand, x->n_cand + 1, sizeof *x->cand, 256))
        return MH_ENOMEM;
    x->cand[x->n_cand++] = s;
    return MH_OK;
}

static mh_err collect(mh_dupindex *x, const mh_multimap *p, uint32_t key, uint32_t self)
{
    unsigned seen = 0;
    for (uint32_t e = mh_multimap_first(p, key); e != MH_MULTIMAP_END;
         e = mh_multimap_next(p, e, key)) {
        if (p->val[e] == self)
            continue;
        if (!seen_before(x, p->val[e])) {
            mh_err rc = cand_push(x, p->val[e]);
            if (rc)
                return rc;
        }
        if (++seen >= MH_DUP_SCAN_CAP)
            break;
    }
    return MH_OK;
}

/* Sort v[0..n) ascending: quicksort (Hoare partition around the median
 * of the first, middle and last values; the shorter side first, so the
 * recursion stays shallow) with insertion sort for short runs.  qsort's
 * call per comparison costs more than the comparison itself here. */
static void sort_u32(uint32_t *v, size_t n)
{
    while (n > 16) {
        uint32_t a = v[0], b = v[n / 2], c = v[n - 1];
        uint32_t p = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
        size_t i = 0, j = n - 1;
        for (;;) {
            while (v[i] < p)
                i++;
            while (v[j] > p)
                j--;
            if (i >= j)
                break;
            uint32_t t = v[i];
            v[i++] = v[j];
            v[j--] = t;
        }
        /* v[0..j] <= p <= v(j..n), both sides non-empty. */
        size_t left = j + 1;
        if (left < n - left) {
            sort_u32(v, left);
            v += left;
            n -= left;
        } else {
            sort_u32(v + left, n - left);
            n = left;
        }
    }
    for (size_t i = 1; i < n; i++) {
        uint32_t x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

mh_err mh_dupindex_add(mh_dupindex *x, int64_t id, int32_t day, const mh_fingerprint *fp,
                       mh_dup_result *out)
{
    mh_err rc;
    uint32_t s;
    if (!x || !out)
        return MH_EINVAL;
    memset(out, 0, sizeof *out);
    if (!x->seen) {
        x->seen = mh_malloc(SEEN_SLOTS * sizeof *x->seen);
        if (!x->seen)
            return MH_ENOMEM;
        memset(x->seen, 0, SEEN_SLOTS * sizeof *x->seen);
    }
    if (id <= 0 || !fp)
        return MH_EINVAL;
    if (mh_idmap_get(&x->ids, id) != MH_IDMAP_NONE)
        return MH_EDUP;

    /* The candidates, and room for the groups they may join, before the
     * article goes in: running out of memory then leaves x as it was.
     * s is the slot it will take (no key names it yet). */
    s = (uint32_t)x->n;
    x->n_cand = 0;
    if (++x->stamp == 0) {
        /* After 2^32 - 1 adds the stamps come round: start afresh. */
        memset(x->seen, 0, SEEN_SLOTS * sizeof *x->seen);
        x->stamp = 1;
    }
    if (fp->n_shingles) {
        for (uint32_t b = 0; b < MH_FP_BANDS; b++)
            if ((rc = collect(x, &x->bands, fp->bands[b] ^ (b * 0x9E3779B9u), s)) != MH_OK)
                return rc;
        uint32_t na = fp->n_sketch < MH_FP_ANCHORS ? fp->n_sketch : MH_FP_ANCHORS;
        for (uint32_t k = 0; k < na; k++)
            if ((rc = collect(x, &x->anchors, fp->sketch[k], s)) != MH_OK)
                return rc;
    }
    /* Visit candidates in slot order (each is there once), so the
     * outcome does not depend on the order of the key tables. */
    sort_u32(x->cand, x->n_cand);
    if (x->n_cand > x->cap_merged &&
        mh_grow(&x->merged, &x->cap_merged, x->n_cand, sizeof *x->merged, 16))
        return MH_ENOMEM;
    uint32_t slot;
    if ((rc = add_slot(x, id, day, fp, &slot)) != MH_OK)
        return rc;

    size_t n_merged = 0;
    for (size_t i = 0; i < x->n_cand; i++) {
        uint32_t c = x->cand[i];
        uint32_t rs = uf_find(x, s), rc2 = uf_find(x, c);
        if (rs == rc2)
            continue;       /* already joined: the pair cannot change the groups */
        if (!compare_sketches(&x->sk[s], &x->sk[c], NULL))
            continue;
        x->merged[n_merged++] = x->id[x->first[rc2]];
        uf_union(x, rs, rc2);
    }
    uint32_t r = uf_find(x, s);
    out->first = x->id[x->first[r]];
    out->size = x->size[r];
    out->merged = x->merged;
    out->n_merged = n_merged;
    return MH_OK;
}

mh_err mh_dupindex_load(mh_dupindex *x, int64_t id, int32_t day, int64_t group,
                        const mh_fingerprint *fp)
{
    mh_err rc;
    uint32_t s;
    if (!x)
        return MH_EINVAL;
    /* Room for the label first, so that a failure leaves x as it was. */
    if ((rc = mh_idmap_reserve(&x->labels, x->labels.n + 1)) != MH_OK)
        return rc;
    if ((rc = add_slot(x, id, day, fp, &s)) != MH_OK)
        return rc;
    if (group <= 0 || group == id)
        group = id;
    uint32_t other = mh_idmap_get(&x->labels, group);
    if (other == NIL)
        return mh_idmap_put(&x->labels, group, s);
    uf_union(x, uf_find(x, other), uf_find(x, s));
    return MH_OK;
}

int64_t mh_dupindex_first(mh_dupindex *x, int64_t id, size_t *size)
{
    uint32_t s = x ? mh_idmap_get(&x->ids, id) : NIL;
    if (s == NIL) {
        if (size)
            *size = 0;
        return 0;
    }
    uint32_t r = uf_find(x, s);
    if (size)
        *size = x->size[r];
    return x->id[x->first[r]];
}
