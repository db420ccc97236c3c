/*
 * stem.c -- Turkish stems: Snowball (libstemmer "turkish", UTF-8) behind a
 * bounded cache, plus a small layer of documented post-rules.
 *
 * Stemming is the hot path of indexing (every word of every article), and
 * news vocabulary is Zipfian, so a cache keyed by the lowercase word takes
 * most words out of Snowball.  The cache is an open-addressing hash table
 * over a string pool holding word, stem and the ASCII fold of the stem.
 * Both start small (an analyzer made for one document stays cheap) and
 * double up to SLOTS_MAX entries and POOL_MAX bytes; full at the ceiling,
 * the cache is emptied at once, which bounds memory without any per-entry
 * bookkeeping.
 *
 * Post-rules (each fixes a Snowball weakness seen on news text):
 *  R1  possessive buffer -s-: Snowball strips the 3rd-person possessive
 *      vowel but keeps its buffer consonant ("antlaşması" -> "antlaşmas",
 *      "görüşmesi" -> "görüşmes") while the inflected forms lose both
 *      ("antlaşmasının" -> "antlaşma").  When the word ends in vowel + s +
 *      ı/i/u/ü and Snowball removed only that last vowel, the s goes too,
 *      provided at least four letters remain ("sesi" keeps "ses").
 *  R2  a stem shorter than two letters or without a vowel ("bunu" -> "p")
 *      is replaced by the word.
 *  R3  words with digits, words outside the Latin script, and words
 *      longer than MAX_STEM_WORD bytes are their own stem.
 *  R4  closed-class words (pronouns, postpositions, conjunctions, numerals:
 *      "için", "önce", "bunu") are their own stem.
 * Sources: Snowball Turkish stemmer (Eryiğit & Adalı 2004 as implemented
 * in libstemmer).  Limits: R1 also fires on s-final nouns in the
 * accusative ("otobüsü" -> "otobü"); proper nouns are protected by the
 * tokenizer (text.c), not here, because a lone word has no context.
 */
#include "internal.h"

#include <libstemmer.h>

#define MAX_STEM_WORD  96            /* longer words are not stemmed */
#define SLOTS_MIN      (1u << 12)    /* hash slots at first (power of two) */
#define SLOTS_MAX      (1u << 18)    /* hash slots at most */
#define POOL_MIN       ((size_t)64 << 10)
#define POOL_MAX       ((size_t)12 << 20)

typedef struct slot {
    uint32_t hash;       /* 0 = empty */
    uint32_t off;        /* word, stem and fold of the stem, each NUL
                            terminated, in the pool */
    uint8_t  wlen, slen, flen;
} slot;

struct mh_stemmer {
    struct sb_stemmer *sb;   /* created at the first miss */
    slot *slots;
    uint32_t n_slots, used;
    char *pool;
    size_t pool_len, pool_cap;
};

/* The cache starts small and grows up to SLOTS_MAX and POOL_MAX, so that
 * an analyzer made for one document is cheap. */
mh_stemmer *mh_stemmer_new(void)
{
    mh_stemmer *s = mh_malloc(sizeof *s);
    if (!s)
        return NULL;
    memset(s, 0, sizeof *s);
    s->slots = mh_malloc(SLOTS_MIN * sizeof *s->slots);
    s->pool = mh_malloc(POOL_MIN);
    if (!s->slots || !s->pool) {
        mh_stemmer_free(s);
        return NULL;
    }
    memset(s->slots, 0, SLOTS_MIN * sizeof *s->slots);
    s->n_slots = SLOTS_MIN;
    s->pool_cap = POOL_MIN;
    return s;
}

void mh_stemmer_free(mh_stemmer *s)
{
    if (!s)
        return;
    if (s->sb)
        sb_stemmer_delete(s->sb);
    mh_free(s->slots);
    mh_free(s->pool);
    mh_free(s);
}

/* FNV-1a; never 0 so that 0 can mark an empty slot. */
static uint32_t hash_word(const char *w, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)w[i];
        h *= 16777619u;
    }
    return h ? h : 1;
}

static bool is_vowel_at_end(const char *w, size_t n)
{
    if (n == 0)
        return false;
    unsigned char c = (unsigned char)w[n - 1];
    if (c < 0x80)
        return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
    if (n < 2)
        return false;
    unsigned c0 = (unsigned char)w[n - 2];
    /* ı (C4 B1), ö (C3 B6), ü (C3 BC), â (C3 A2), î (C3 AE), û (C3 BB) */
    return (c0 == 0xC4 && c == 0xB1) ||
           (c0 == 0xC3 && (c == 0xB6 || c == 0xBC || c == 0xA2 || c == 0xAE || c == 0xBB));
}

/* Byte length of the final high vowel ı/i/u/ü of w, or 0. */
static size_t final_high_vowel(const char *w, size_t n)
{
    if (n >= 1 && (w[n - 1] == 'i' || w[n - 1] == 'u'))
        return 1;
    if (n >= 2 && (((unsigned char)w[n - 2] == 0xC4 && (unsigned char)w[n - 1] == 0xB1) ||
                   ((unsigned char)w[n - 2] == 0xC3 && (unsigned char)w[n - 1] == 0xBC)))
        return 2;
    return 0;
}

static size_t count_chars(const char *w, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)w[i] & 0xC0) != 0x80;
    return c;
}

/* R3: only Latin-script words without digits go to Snowball. */
static bool stemmable(const char *w, size_t n)
{
    if (n > MAX_STEM_WORD)
        return false;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)w[i];
        if (c < 0x80) {
            if (c >= '0' && c <= '9')
                return false;
            i++;
            continue;
        }
        uint32_t cp = mh_utf8_next(w, n, &i);
        if (cp >= 0x250 && !(cp >= 0x1E00 && cp < 0x1F00))
            return false;
    }
    return true;
}

/* R4: closed-class words (pronouns, postpositions, conjunctions, common
 * adverbs and numerals) that Snowball cuts into nonsense ("bunu" -> "p",
 * "için" -> "iç", "önce" -> "ö"); they are their own stem. */
static const char *const closed_class[] = {
    "ama", "ancak", "artık", "aynı", "ayrıca", "bana", "bazı", "belki", "ben", "beni",
    "benim", "beri", "bile", "bin", "bir", "biri", "birisi", "biz", "bize", "bizi", "bizim",
    "bu", "bugün", "buna", "bunda", "bundan", "bunlar", "bunu", "bunun", "böyle", "daha",
    "değil", "diye", "dokuz", "dolayı", "dün", "gibi", "göre", "henüz", "hiç", "ile",
    "ise", "itibaren", "iki", "için", "kadar", "karşı", "kendi", "kendisi", "ki", "mı",
    "mi", "milyar", "milyon", "mu", "mü", "ne", "neden", "nasıl", "o", "ona", "onda",
    "ondan", "onlar", "onu", "onun", "olarak", "rağmen", "sana", "sekiz", "sen", "seni",
    "senin", "siz", "size", "sizi", "sizin", "sonra", "şimdi", "şu", "şuna", "şunu",
    "şunun", "üzere", "ve", "veya", "yani", "yarın", "yedi", "yine", "yüzde", "önce",
    "çünkü", "öyle",
};

static int cmp_word(const void *k, const void *e)
{
    return strcmp((const char *)k, *(const char *const *)e);
}

static bool is_closed_class(const char *w, size_t n)
{
    char key[16];
    if (n >= sizeof key)
        return false;
    memcpy(key, w, n);
    key[n] = 0;
    /* The list is short: a linear scan avoids depending on its order. */
    for (size_t i = 0; i < MH_ARRAY_LEN(closed_class); i++)
        if (cmp_word(key, &closed_class[i]) == 0)
            return true;
    return false;
}

/* Does the UTF-8 string hold a vowel (Turkish or other Latin)? */
static bool has_vowel(const char *w, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp = mh_tr_fold_cp(mh_utf8_next(w, n, &i));
        if (cp == 'a' || cp == 'e' || cp == 'i' || cp == 'o' || cp == 'u')
            return true;
    }
    return false;
}

/* Snowball plus the post-rules; writes into out (at least n bytes). */
static size_t stem_compute(mh_stemmer *s, const char *w, size_t n, char *out)
{
    if (!stemmable(w, n) || is_closed_class(w, n)) {
        memcpy(out, w, n);
        return n;
    }
    if (!s->sb)
        s->sb = sb_stemmer_new("turkish", "UTF_8");
    const sb_symbol *r = s->sb ? sb_stemmer_stem(s->sb, (const sb_symbol *)w, (int)n) : NULL;
    if (!r) {                   /* Snowball's own allocation failed */
        memcpy(out, w, n);
        return n;
    }
    size_t len = (size_t)sb_stemmer_length(s->sb);
    if (len > n) {
        /* Snowball's final-consonant rule can make the stem longer in
         * bytes than the word ("opec" -> "opeç"); such a stem removed no
         * suffix, so the word itself is the stem (and out has room). */
        memcpy(out, w, n);
        return n;
    }
    memcpy(out, r, len);

    /* R1: possessive buffer consonant. */
    size_t v = final_high_vowel(w, n);
    if (v && len == n - v && len >= 2 && out[len - 1] == 's' &&
        is_vowel_at_end(out, len - 1) && count_chars(out, len - 1) >= 4)
        len--;

    /* R2: never shorter than two letters, never without a vowel. */
    if (count_chars(out, len) < 2 || !has_vowel(out, len)) {
        memcpy(out, w, n);
        len = n;
    }
    return len;
}

static void clear_cache(mh_stemmer *s)
{
    memset(s->slots, 0, s->n_slots * sizeof *s->slots);
    s->used = 0;
    s->pool_len = 0;
}

/* Double the hash table and re-insert every entry; false at the ceiling
 * or when memory is short (the caller then clears instead). */
static bool grow_slots(mh_stemmer *s)
{
    if (s->n_slots >= SLOTS_MAX)
        return false;
    uint32_t n2 = s->n_slots * 2, mask = n2 - 1;
    slot *t = mh_malloc(n2 * sizeof *t);
    if (!t)
        return false;
    memset(t, 0, n2 * sizeof *t);
    for (uint32_t k = 0; k < s->n_slots; k++) {
        if (!s->slots[k].hash)
            continue;
        uint32_t i = s->slots[k].hash & mask;
        while (t[i].hash)
            i = (i + 1) & mask;
        t[i] = s->slots[k];
    }
    mh_free(s->slots);
    s->slots = t;
    s->n_slots = n2;
    return true;
}

/* Double the string pool; entries keep their offsets. */
static bool grow_pool(mh_stemmer *s)
{
    if (s->pool_cap >= POOL_MAX)
        return false;
    size_t cap = s->pool_cap * 2;
    char *p = mh_realloc(s->pool, cap);
    if (!p)
        return false;
    s->pool = p;
    s->pool_cap = cap;
    return true;
}

/* Byte comparison for short words without a library call. */
static inline bool same_word(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* ASCII fold of a stem into out; never longer than the stem. */
static size_t fold_into(const char *w, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)w[i];
        if (c < 0x80) {
            out[o++] = (char)c;
            i++;
            continue;
        }
        uint32_t f = mh_tr_fold_cp(mh_utf8_next(w, n, &i));
        if (!f)
            continue;
        o += (size_t)mh_utf8_encode(f, out + o);
    }
    return o;
}

const char *mh_stemmer_lookup(mh_stemmer *s, const char *w, size_t n, size_t *out_len,
                              const char **fold, size_t *fold_len)
{
    if (fold)
        *fold = NULL;
    if (fold_len)
        *fold_len = 0;
    if (!s || (!w && n))
        return NULL;
    if (n > MAX_STEM_WORD || n == 0) {
        /* Not cached and not stemmed: the word is its own stem, and the
         * caller's bytes outlive this call.  No fold is offered. */
        if (out_len)
            *out_len = n;
        return n ? w : "";
    }
    uint32_t h = hash_word(w, n);
    uint32_t mask = s->n_slots - 1;
    uint32_t i = h & mask;
    for (;;) {
        slot *e = &s->slots[i];
        if (!e->hash)
            break;
        if (e->hash == h && e->wlen == n && same_word(s->pool + e->off, w, n)) {
            const char *st = s->pool + e->off + e->wlen + 1;
            if (out_len)
                *out_len = e->slen;
            if (fold)
                *fold = st + e->slen + 1;
            if (fold_len)
                *fold_len = e->flen;
            return st;
        }
        i = (i + 1) & mask;
    }
    /* Miss.  The entry needs at most 3n + 3 bytes (stem and fold are not
     * longer than the word).  Grow the table or the pool while allowed;
     * at the ceiling, empty the whole cache at once. */
    if (s->used >= s->n_slots / 2 && !grow_slots(s))
        clear_cache(s);
    if (s->pool_len + 3 * n + 3 > s->pool_cap && !grow_pool(s))
        clear_cache(s);
    mask = s->n_slots - 1;
    i = h & mask;
    while (s->slots[i].hash)
        i = (i + 1) & mask;
    char *p = s->pool + s->pool_len;
    memcpy(p, w, n);
    p[n] = 0;
    char *st = p + n + 1;
    size_t sl = stem_compute(s, w, n, st);
    st[sl] = 0;
    char *fo = st + sl + 1;
    size_t fl = fold_into(st, sl, fo);
    fo[fl] = 0;
    slot *e = &s->slots[i];
    e->hash = h;
    e->off = (uint32_t)s->pool_len;
    e->wlen = (uint8_t)n;
    e->slen = (uint8_t)sl;
    e->flen = (uint8_t)fl;
    s->used++;
    s->pool_len += n + sl + fl + 3;
    if (out_len)
        *out_len = sl;
    if (fold)
        *fold = fo;
    if (fold_len)
        *fold_len = fl;
    return st;
}

const char *mh_stemmer_stem(mh_stemmer *s, const char *w, size_t n, size_t *out_len)
{
    return mh_stemmer_lookup(s, w, n, out_len, NULL, NULL);
}
