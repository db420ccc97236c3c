/*
 * stem.c -- Turkish stems: Snowball (libstemmer "turkish", UTF-8) behind a
 * bounded cache, plus a small layer of documented post-rules.
 *
 * Stemming is the hot path of indexing (every word of every article), and
 * news vocabulary is Zipfian, so a cache keyed by the lowercase word takes
 * most words out of Snowball.  The cache is an open-addressing hash table
 * whose slots hold word, stem and the ASCII fold of the stem (a string
 * pool takes the rare entries too long for a slot).  The table starts
 * small at the first word (an analyzer made for one document stays cheap)
 * and doubles up to SLOTS_MAX slots, the pool up to POOL_MAX bytes; full
 * at the ceiling, the cache is emptied at once, which bounds memory
 * without any per-entry bookkeeping.  The table grows when three quarters
 * full (a hit reads one or two neighbouring slots), so the cache holds
 * at most 196,608 words in 16 MiB of slots: one worker met 102,528
 * distinct words in the 100,000 generated bench pages, so it is never
 * emptied there.
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
#include <pthread.h>
#include <sys/mman.h>

#define MAX_STEM_WORD  96            /* longer words are not stemmed */
#define SLOTS_MIN      (1u << 12)    /* hash slots at first (power of two) */
#define SLOTS_MAX      (1u << 18)    /* hash slots at most */
#define POOL_MIN       ((size_t)64 << 10)
#define POOL_MAX       ((size_t)12 << 20)
#define LINE           64            /* bytes of a cache line */
#define INLINE_MAX     (LINE - 8)    /* bytes of strings a slot holds itself */
#define HUGE_PAGE      ((size_t)2 << 20)

/*
 * A slot is one cache line: the hash, the lengths and, when they fit
 * (nearly every word: word, stem and fold with their NULs in INLINE_MAX
 * bytes), the strings themselves.  A hit then reads one line of one
 * block, where a slot table over a string pool read two lines far apart;
 * on a vocabulary of tens of thousands of words those reads are cache and
 * TLB misses, the larger part of the cost of a cached stem.  Longer
 * entries keep their strings in the pool, at off.
 */
typedef struct slot {
    uint32_t hash;               /* 0 = empty */
    uint8_t  wlen, slen, flen;
    uint8_t  in_pool;            /* strings at pool + off, not in text */
    union {
        char text[INLINE_MAX];   /* word, stem, fold of the stem, each NUL terminated */
        uint32_t off;
    } u;
} slot;

_Static_assert(sizeof(slot) == LINE, "a slot is one cache line");

/* One cache: the table and the pool of its long entries. */
typedef struct cache {
    slot *slots;             /* LINE-aligned inside slots_mem; NULL until the first word */
    void *slots_mem;
    uint32_t n_slots, used;
    char *pool;              /* allocated at the first long entry */
    size_t pool_len, pool_cap;
} cache;

struct mh_stemmer {
    struct sb_stemmer *sb;   /* created at the first miss */
    cache c;
};

/*
 * The second level: one cache shared by every stemmer of the process,
 * asked only when a stemmer's own cache misses.  Several analyzers stem in
 * one ingest (each worker, the full-text tokenizer, the story index), each
 * with its own cache, and a word new to one of them went to Snowball
 * again: on the 4,000 bench pages 41% of the Snowball calls were for words
 * another analyzer had already stemmed.  The mutex is taken only on those
 * misses, never on the hits that make up nearly all lookups.  The last
 * stemmer freed frees it.
 */
static pthread_mutex_t shared_mu = PTHREAD_MUTEX_INITIALIZER;
static cache shared;                 /* guarded by shared_mu */
static unsigned long shared_users;   /* stemmers alive; guarded by shared_mu */

/*
 * A zeroed table of n slots aligned to a cache line, so that a slot never
 * straddles two lines; the block to free goes in *mem.  NULL when memory
 * is short.  The table is read at random, one slot per word, and a table
 * of megabytes in 4 KiB pages misses the TLB on most reads: a table of
 * HUGE_PAGE or more is aligned to HUGE_PAGE and the kernel is asked for
 * huge pages (a hint it may ignore).  With the one-line slots this took
 * the cache probe from about 5% to under 4% of the ingest's CPU time on
 * the 4,000 bench pages (the one-line slots alone changed nothing there).
 */
static slot *alloc_slots(uint32_t n, void **mem)
{
    size_t bytes = (size_t)n * sizeof(slot);
    size_t align = bytes >= HUGE_PAGE ? HUGE_PAGE : LINE;
    char *p = mh_malloc(bytes + align - 1);
    *mem = p;
    if (!p)
        return NULL;
    char *t = p + (align - (uintptr_t)p % align) % align;
#ifdef MADV_HUGEPAGE
    if (align == HUGE_PAGE)
        (void)madvise(t, bytes, MADV_HUGEPAGE);
#endif
    memset(t, 0, bytes);
    return (slot *)(void *)t;
}

/* Eight (four) bytes of w as one number, in the machine's byte order:
 * only equal words need equal hashes. */
static inline uint64_t load8(const char *w)
{
    uint64_t x;
    memcpy(&x, w, 8);
    return x;
}

static inline uint64_t load4(const char *w)
{
    uint32_t x;
    memcpy(&x, w, 4);
    return x;
}

/*
 * Hash of a word, never 0 so that 0 can mark an empty slot.  Every
 * lookup hashes its word, so the word is read eight bytes at a time (the
 * last block overlapping the one before, short words in two overlapping
 * halves) and mixed by multiplication, not byte by byte.
 */
static uint32_t hash_word(const char *w, size_t n)
{
    const uint64_t m1 = 0x9E3779B97F4A7C15ull, m2 = 0xBF58476D1CE4E5B9ull;
    uint64_t h = (uint64_t)n * m1;
    if (n >= 8) {
        size_t i = 0;
        for (; i + 8 < n; i += 8)
            h = (h ^ load8(w + i)) * m2;
        h = (h ^ load8(w + n - 8)) * m1;
    } else if (n >= 4) {
        h = (h ^ (load4(w) | load4(w + n - 4) << 32)) * m1;
    } else if (n > 0) {
        uint64_t x = (unsigned char)w[0] | (uint64_t)(unsigned char)w[n / 2] << 8 |
                     (uint64_t)(unsigned char)w[n - 1] << 16;
        h = (h ^ x) * m1;
    }
    h ^= h >> 31;
    h *= m2;
    h ^= h >> 29;
    uint32_t r = (uint32_t)h;
    return r ? r : 1;
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

/*
 * Every Snowball miss asks whether its word is closed-class, and a scan of
 * the list cost more than the cache lookup of a word.  The list goes once
 * into a small open-addressing table keyed by the word's cache hash
 * (hash_word, which the lookup has already computed): a question is then
 * one or two probes and at most one comparison.  Slots hold the list
 * index + 1; 0 is empty.
 */
#define CLOSED_SLOTS 512                 /* power of two, over 4x the list */

static uint8_t closed_tab[CLOSED_SLOTS];
static uint8_t closed_len[MH_ARRAY_LEN(closed_class)];
static pthread_once_t closed_once = PTHREAD_ONCE_INIT;

_Static_assert(MH_ARRAY_LEN(closed_class) < 255, "closed-class indices fit a byte");

static void closed_init(void)
{
    for (size_t i = 0; i < MH_ARRAY_LEN(closed_class); i++) {
        size_t n = strlen(closed_class[i]);
        closed_len[i] = (uint8_t)n;
        uint32_t k = hash_word(closed_class[i], n) & (CLOSED_SLOTS - 1);
        while (closed_tab[k])
            k = (k + 1) & (CLOSED_SLOTS - 1);
        closed_tab[k] = (uint8_t)(i + 1);
    }
}

/* Is (w, n), whose hash_word is h, in closed_class? */
static bool is_closed_class(const char *w, size_t n, uint32_t h)
{
    pthread_once(&closed_once, closed_init);
    for (uint32_t k = h & (CLOSED_SLOTS - 1); closed_tab[k]; k = (k + 1) & (CLOSED_SLOTS - 1)) {
        size_t i = closed_tab[k] - 1u;
        if (closed_len[i] == n && memcmp(closed_class[i], w, n) == 0)
            return true;
    }
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

/*
 * Words Snowball provably returns unchanged, so that they need not be
 * given to it (a Snowball call is thousands of instructions, and a cold
 * cache makes one for every new word).  The Turkish algorithm
 * (turkish.sbl) changes a word only
 *  - when it has at least two vowels (a e ı i o ö u ü:
 *    more_than_one_syllable_word), and then
 *  - by removing a suffix that ends the word: every rule that deletes
 *    starts with a suffix matched at the end (the among lists of the
 *    mark_ routines, the U grouping of mark_sU and mark_yU, 'ki'), and
 *    those suffixes end in a, e, ı, i, u, ü, k, m, n, r, z or ş; or
 *  - in the postlude, which looks at the last letter only: a final d or
 *    g gets a vowel appended, a final b, c, d or ğ is hardened.
 * So a word with fewer than two of those vowels is its own Snowball stem,
 * and so is one whose last letter is none of a e ı i u ü k m n r z ş b c
 * d g ğ, or whose end is none of the suffixes ending in k, r, z or ş:
 * -DUk and -sAk, -lAr and -DUr, -Uz, -mUş (D is d or t, U a high vowel,
 * A a or e).
 * The post-rules then keep it too: R1 needs a stem shorter than the word
 * and R2 gives back the word.  (Checked against libstemmer over every
 * word stemmed in 10,000 generated pages and a million random words.)
 */
/* Does (w, n) end in one of the high vowels ı i u ü just before byte e?
 * Its first byte in *at. */
static bool high_vowel_before(const char *w, size_t e, size_t *at)
{
    if (e >= 1 && (w[e - 1] == 'i' || w[e - 1] == 'u')) {
        *at = e - 1;
        return true;
    }
    if (e >= 2 && (((unsigned char)w[e - 2] == 0xC4 && (unsigned char)w[e - 1] == 0xB1) ||
                   ((unsigned char)w[e - 2] == 0xC3 && (unsigned char)w[e - 1] == 0xBC))) {
        *at = e - 2;
        return true;
    }
    return false;
}

static bool snowball_keeps(const char *w, size_t n)
{
    unsigned char last = (unsigned char)w[n - 1];
    size_t u;
    bool keeps_end;
    switch (last) {
    case 'a': case 'e': case 'i': case 'u': case 'm': case 'n':
    case 'b': case 'c': case 'd': case 'g':
        keeps_end = false;
        break;
    case 'k':                   /* -DUk (yDU), -sAk (ysA) */
        keeps_end = !((high_vowel_before(w, n - 1, &u) && u >= 1 &&
                       (w[u - 1] == 'd' || w[u - 1] == 't')) ||
                      (n >= 3 && w[n - 3] == 's' && (w[n - 2] == 'a' || w[n - 2] == 'e')));
        break;
    case 'r':                   /* -lAr, -DUr */
        keeps_end = !((n >= 3 && w[n - 3] == 'l' && (w[n - 2] == 'a' || w[n - 2] == 'e')) ||
                      (high_vowel_before(w, n - 1, &u) && u >= 1 &&
                       (w[u - 1] == 'd' || w[u - 1] == 't')));
        break;
    case 'z':                   /* every -z suffix ends in -Uz */
        keeps_end = !high_vowel_before(w, n - 1, &u);
        break;
    default:
        if (last < 0x80) {
            keeps_end = true;
        } else {
            unsigned char prev = n >= 2 ? (unsigned char)w[n - 2] : 0;
            if (prev == 0xC5 && last == 0x9F)           /* ş: -mUş (ymUs_) */
                keeps_end = !(high_vowel_before(w, n - 2, &u) && u >= 1 && w[u - 1] == 'm');
            else                                        /* ı, ü, ğ */
                keeps_end = !((prev == 0xC4 && (last == 0xB1 || last == 0x9F)) ||
                              (prev == 0xC3 && last == 0xBC));
        }
        break;
    }
    if (keeps_end)
        return true;
    unsigned vowels = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)w[i];
        if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u')
            vowels++;
        else if (i + 1 < n && ((c == 0xC4 && (unsigned char)w[i + 1] == 0xB1) ||
                               (c == 0xC3 && ((unsigned char)w[i + 1] == 0xB6 ||
                                              (unsigned char)w[i + 1] == 0xBC))))
            vowels++;
        if (vowels >= 2)
            return false;
    }
    return true;
}

bool mh_stem_snowball_keeps(const char *w, size_t n)
{
    return n > 0 && snowball_keeps(w, n);
}

/* Snowball plus the post-rules for (w, n) of hash h (hash_word); writes
 * into out (at least n bytes). */
static size_t stem_compute(mh_stemmer *s, const char *w, size_t n, uint32_t h, char *out)
{
    if (!stemmable(w, n) || is_closed_class(w, n, h) || snowball_keeps(w, n)) {
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
        is_vowel_at_end(out, len - 1) && mh_utf8_chars(out, len - 1) >= 4)
        len--;

    /* R2: never shorter than two letters, never without a vowel. */
    if (mh_utf8_chars(out, len) < 2 || !has_vowel(out, len)) {
        memcpy(out, w, n);
        len = n;
    }
    return len;
}

static void cache_clear(cache *c)
{
    memset(c->slots, 0, (size_t)c->n_slots * sizeof *c->slots);
    c->used = 0;
    c->pool_len = 0;
}

static void cache_free(cache *c)
{
    mh_free(c->slots_mem);
    mh_free(c->pool);
    memset(c, 0, sizeof *c);
}

/* Double the hash table and re-insert every entry; false at the ceiling
 * or when memory is short (the caller then clears instead). */
static bool grow_slots(cache *c)
{
    if (c->n_slots >= SLOTS_MAX)
        return false;
    uint32_t n2 = c->n_slots * 2, mask = n2 - 1;
    void *mem;
    slot *t = alloc_slots(n2, &mem);
    if (!t) {
        mh_free(mem);
        return false;
    }
    for (uint32_t k = 0; k < c->n_slots; k++) {
        if (!c->slots[k].hash)
            continue;
        uint32_t i = c->slots[k].hash & mask;
        while (t[i].hash)
            i = (i + 1) & mask;
        t[i] = c->slots[k];
    }
    mh_free(c->slots_mem);
    c->slots = t;
    c->slots_mem = mem;
    c->n_slots = n2;
    return true;
}

/* Make room for n more bytes in the string pool (allocated or doubled);
 * entries keep their offsets.  False at the ceiling or when memory is
 * short. */
static bool pool_room(cache *c, size_t n)
{
    while (c->pool_len + n > c->pool_cap) {
        if (c->pool_cap >= POOL_MAX)
            return false;
        size_t cap = c->pool_cap ? c->pool_cap * 2 : POOL_MIN;
        char *p = mh_realloc(c->pool, cap);
        if (!p)
            return false;
        c->pool = p;
        c->pool_cap = cap;
    }
    return true;
}

/* An entry's strings: word, stem and fold of the stem, NUL terminated. */
static inline const char *slot_text(const cache *c, const slot *e)
{
    return e->in_pool ? c->pool + e->u.off : e->u.text;
}

/* The entry of word (w, n) with hash h, or NULL. */
static const slot *cache_find(const cache *c, uint32_t h, const char *w, size_t n)
{
    if (!c->slots)
        return NULL;
    uint32_t mask = c->n_slots - 1;
    for (uint32_t i = h & mask;; i = (i + 1) & mask) {
        const slot *e = &c->slots[i];
        if (!e->hash)
            return NULL;
        if (e->hash == h && e->wlen == n && mh_same_bytes(slot_text(c, e), w, n))
            return e;
    }
}

/*
 * Store an entry (text: word, stem, fold with their NULs, total bytes,
 * lengths n, sl, fl) of a word not in c.  The table is made at the first
 * entry and grown while allowed; at the ceiling the whole cache is
 * emptied at once.  NULL when memory is short.
 */
static const slot *cache_put(cache *c, uint32_t h, const char *text, size_t total,
                             size_t n, size_t sl, size_t fl)
{
    if (!c->slots) {
        c->slots = alloc_slots(SLOTS_MIN, &c->slots_mem);
        if (!c->slots)
            return NULL;
        c->n_slots = SLOTS_MIN;
    }
    if (c->used >= c->n_slots / 4 * 3 && !grow_slots(c))
        cache_clear(c);
    if (total > INLINE_MAX && !pool_room(c, total)) {
        cache_clear(c);
        if (!pool_room(c, total))
            return NULL;
    }
    uint32_t mask = c->n_slots - 1, i = h & mask;
    while (c->slots[i].hash)
        i = (i + 1) & mask;
    slot *e = &c->slots[i];
    char *dst;
    if (total > INLINE_MAX) {
        e->in_pool = 1;
        e->u.off = (uint32_t)c->pool_len;
        dst = c->pool + c->pool_len;
        c->pool_len += total;
    } else {
        e->in_pool = 0;
        dst = e->u.text;
    }
    memcpy(dst, text, total);
    e->hash = h;
    e->wlen = (uint8_t)n;
    e->slen = (uint8_t)sl;
    e->flen = (uint8_t)fl;
    c->used++;
    return e;
}

/* Nothing but the handle is allocated here: the table comes with the
 * first word, so an analyzer made for one document, or only for
 * sentences, stays cheap. */
mh_stemmer *mh_stemmer_new(void)
{
    mh_stemmer *s = mh_malloc(sizeof *s);
    if (!s)
        return NULL;
    memset(s, 0, sizeof *s);
    pthread_mutex_lock(&shared_mu);
    shared_users++;
    pthread_mutex_unlock(&shared_mu);
    return s;
}

void mh_stemmer_free(mh_stemmer *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&shared_mu);
    if (--shared_users == 0)
        cache_free(&shared);
    pthread_mutex_unlock(&shared_mu);
    if (s->sb)
        sb_stemmer_delete(s->sb);
    cache_free(&s->c);
    mh_free(s);
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
    const slot *e = cache_find(&s->c, h, w, n);
    if (!e) {
        /* A miss: the entry (stem and fold are not longer than the word,
         * so at most 3n + 3 bytes) comes from the shared cache or from
         * Snowball, which then gives it to the shared cache too. */
        char tmp[3 * MAX_STEM_WORD + 3];
        size_t sl = 0, fl = 0, total = 0;
        pthread_mutex_lock(&shared_mu);
        const slot *x = cache_find(&shared, h, w, n);
        if (x) {
            sl = x->slen;
            fl = x->flen;
            total = n + sl + fl + 3;
            memcpy(tmp, slot_text(&shared, x), total);
        }
        pthread_mutex_unlock(&shared_mu);
        if (!x) {
            memcpy(tmp, w, n);
            tmp[n] = 0;
            char *st = tmp + n + 1;
            sl = stem_compute(s, w, n, h, st);
            st[sl] = 0;
            char *fo = st + sl + 1;
            fl = fold_into(st, sl, fo);
            fo[fl] = 0;
            total = n + sl + fl + 3;
            /* Another stemmer may have stored it meanwhile; a full or
             * failed shared cache only costs sharing. */
            pthread_mutex_lock(&shared_mu);
            if (!cache_find(&shared, h, w, n))
                (void)cache_put(&shared, h, tmp, total, n, sl, fl);
            pthread_mutex_unlock(&shared_mu);
        }
        e = cache_put(&s->c, h, tmp, total, n, sl, fl);
        if (!e)
            return NULL;
    }
    const char *st = slot_text(&s->c, e) + n + 1;
    if (out_len)
        *out_len = e->slen;
    if (fold)
        *fold = st + e->slen + 1;
    if (fold_len)
        *fold_len = e->flen;
    return st;
}

const char *mh_stemmer_stem(mh_stemmer *s, const char *w, size_t n, size_t *out_len)
{
    return mh_stemmer_lookup(s, w, n, out_len, NULL, NULL);
}
