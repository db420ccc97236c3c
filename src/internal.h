/*
 * internal.h -- interfaces shared between the files of src/, one section
 * per file ("Interface to X.c"), as fts5Int.h does.  Not installed.
 */
#ifndef MH_INTERNAL_H
#define MH_INTERNAL_H

#include "muhabir.h"
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#define MH_UNUSED(x) ((void)(x))
#define MH_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* 32-bit little-endian fields of the blobs the store writes (sentence
 * offsets, entity mentions, index terms), the same on every machine. */
static inline void mh_le32_put(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static inline uint32_t mh_le32_get(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Copy n bytes, a word's: most are a few bytes, which a call to memcpy
 * costs more than copying in (overlapping) eight- or four-byte pieces
 * that never read or write outside the n bytes (the tokenizer's strings,
 * the index terms). */
static inline void mh_copy_small(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (n >= 8) {
        size_t i = 0;
        for (; i + 8 < n; i += 8)
            memcpy(d + i, s + i, 8);
        memcpy(d + n - 8, s + n - 8, 8);
    } else if (n >= 4) {
        memcpy(d, s, 4);
        memcpy(d + n - 4, s + n - 4, 4);
    } else {
        for (size_t i = 0; i < n; i++)
            d[i] = s[i];
    }
}

/* Are the n bytes at a and b the same?  Compared eight bytes at a time:
 * for the short words of the stem cache and the tokenizer a call to
 * memcmp costs more. */
static inline bool mh_same_bytes(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t p, q;
        memcpy(&p, x + i, 8);
        memcpy(&q, y + i, 8);
        if (p != q)
            return false;
    }
    for (; i < n; i++)
        if (x[i] != y[i])
            return false;
    return true;
}

/* ---------------- Interface to mem.c ---------------- */

/*
 * Growable byte buffer with a ceiling and a sticky error (curl dynbuf,
 * FTS5 pRc): once an append fails, later appends do nothing and b->err
 * stays set, so a builder checks once at the end.  The data is always
 * NUL terminated when len > 0 or after mh_buf_cstr.
 */
typedef struct mh_buf {
    char  *p;
    size_t len, cap;
    size_t max;        /* ceiling; 0 = MH_MAX_PAGE_BYTES */
    mh_err err;
} mh_buf;

void   mh_buf_init(mh_buf *b, size_t max);
void   mh_buf_free(mh_buf *b);
void   mh_buf_reset(mh_buf *b);            /* len = 0, keeps memory, clears err */
void   mh_buf_add(mh_buf *b, const void *p, size_t n);
/* Make room for n more bytes and the NUL (for a writer that fills them
 * itself and then advances len); 0 when the ceiling or memory says no
 * (the sticky error is set), 1 otherwise. */
int    mh_buf_reserve(mh_buf *b, size_t n);
void   mh_buf_addc_slow(mh_buf *b, char c);
/* Append one byte.  Inline: the tokenizers, folds and blob writers add
 * bytes one at a time, and a call per byte showed in profiles.  The fast
 * path is taken when the byte and the NUL fit and the ceiling allows
 * one more byte; everything else (growth, the ceiling, the sticky
 * error) is mh_buf_add's. */
static inline void mh_buf_addc(mh_buf *b, char c)
{
    if (b->len + 2 <= b->cap && b->len < b->max && !b->err) {
        b->p[b->len++] = c;
        b->p[b->len] = 0;
    } else {
        mh_buf_addc_slow(b, c);
    }
}
void   mh_buf_adds(mh_buf *b, const char *s);
/* Append v as 4 bytes, little endian (the store's blobs). */
void   mh_buf_add_le32(mh_buf *b, uint32_t v);
void   mh_buf_printf(mh_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void   mh_buf_add_utf8(mh_buf *b, uint32_t cp);   /* encode one code point */
char  *mh_buf_cstr(mh_buf *b);             /* NUL-terminated view (borrowed) */
/* Hand the memory to the caller (caller frees with mh_free); resets b. */
char  *mh_buf_detach(mh_buf *b, size_t *len);

/*
 * Room for need elements of elem bytes in the array whose address is pp
 * (a T ** passed as void *), of capacity *cap: from empty the capacity
 * becomes first, then it doubles until need fits.  MH_ENOMEM when memory
 * or size_t says no, with *pp and *cap left as they were.
 */
mh_err mh_grow(void *pp, size_t *cap, size_t need, size_t elem, size_t first);

/*
 * Arena: bump allocator for one document's tokens, stems, shingles.
 * Everything goes at once with mh_arena_free.
 */
typedef struct mh_arena_block mh_arena_block;
typedef struct mh_arena {
    mh_arena_block *head;
    size_t block_size;
    mh_err err;                 /* sticky */
} mh_arena;

void  mh_arena_init(mh_arena *a, size_t block_size);   /* 0 = 64 KiB */
void *mh_arena_alloc(mh_arena *a, size_t n);            /* 16-byte aligned; NULL + a->err on failure */
char *mh_arena_strndup(mh_arena *a, const char *s, size_t n);
void  mh_arena_free(mh_arena *a);

/*
 * Multimap from a 32-bit key to 32-bit values, append-only: chained
 * entries, heads by the mixed key, each key's entries met newest first.
 * Used by the copy index (minhash.c) and the story index (story.c).
 * Zero-initialise; mh_multimap_free releases it.
 */
#define MH_MULTIMAP_END UINT32_MAX
typedef struct mh_multimap {
    uint32_t *head; size_t mask;        /* head[mask + 1]; END = empty */
    uint32_t *key, *val, *next;         /* entries */
    size_t n, cap;
} mh_multimap;

mh_err   mh_multimap_add(mh_multimap *m, uint32_t key, uint32_t val);
/* Room for n entries in all: the adds up to n then make no copies (the
 * same chains as without it). */
mh_err   mh_multimap_reserve(mh_multimap *m, size_t n);
void     mh_multimap_free(mh_multimap *m);
/* First (newest) entry with this key, or MH_MULTIMAP_END; then the next
 * older one after entry e.  The value is m->val[e]. */
uint32_t mh_multimap_first(const mh_multimap *m, uint32_t key);
uint32_t mh_multimap_next(const mh_multimap *m, uint32_t e, uint32_t key);

/*
 * Open-addressing map from an id (> 0) to a 32-bit value: article or
 * story id -> slot in an in-memory index (minhash.c, story.c), story
 * feature -> document frequency or word (story.c).  Zero-initialise;
 * mh_idmap_free releases it.  put replaces the value of a present id.
 */
#define MH_IDMAP_NONE UINT32_MAX
typedef struct mh_idmap {
    int64_t *key; uint32_t *val;
    size_t cap, n;                      /* key 0 = empty slot */
} mh_idmap;

uint32_t mh_idmap_get(const mh_idmap *m, int64_t key);   /* MH_IDMAP_NONE if absent */
mh_err   mh_idmap_put(mh_idmap *m, int64_t key, uint32_t val);
/* Room for n ids in all, so that the puts up to n make no copies. */
mh_err   mh_idmap_reserve(mh_idmap *m, size_t n);
void     mh_idmap_free(mh_idmap *m);

char *mh_strndup(const char *s, size_t n);   /* caller frees with mh_free */
/* Allocations left before the one mh_set_alloc_fail armed fails; 0 when
 * it has failed already or nothing is armed (mem.c, for tests). */
unsigned long mh_alloc_fail_left(void);
char *mh_strdup(const char *s);              /* NULL in -> NULL out */

/* UTF-8 decode one code point at s[*i] (i < n); advances *i.  Invalid
 * sequences return 0xFFFD and advance one byte. */
uint32_t mh_utf8_next(const char *s, size_t n, size_t *i);
/* Encode cp into out (surrogates and values past U+10FFFF become
 * U+FFFD); returns the number of bytes written, 1 to 4. */
int mh_utf8_encode(uint32_t cp, char out[4]);
/* The same, with the one- and two-byte cases inline (the analyzer writes
 * a code point at a time); the longer ones are mh_utf8_encode's. */
static inline size_t mh_utf8_put(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    return (size_t)mh_utf8_encode(cp, out);
}
/* Do the n bytes at h hold the k bytes at w?  (memmem is a GNU
 * extension; the build asks for POSIX only.) */
int mh_bytes_has(const char *h, size_t n, const char *w, size_t k);
/* The first byte of t[a, b) that is not a space, or 0 when there is none
 * (text between two tokens: "," or ":" or nothing). */
char mh_first_nonspace(const char *t, size_t a, size_t b);
/* Number of bytes of the UTF-8 encoding of cp. */
int mh_utf8_len(uint32_t cp);
/* Code points in (s, n), counted by their lead bytes (valid UTF-8). */
static inline size_t mh_utf8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* ---------------- Interface to turkish.c ---------------- */

/* One code point, Turkish rules (I -> ı, İ -> i; i -> İ, ı -> I). */
uint32_t mh_tr_lower_cp(uint32_t cp);
uint32_t mh_tr_upper_cp(uint32_t cp);
/* ASCII fold of one lowercase code point (ç -> c, ı -> i, é -> e ...);
 * 0 when the code point is dropped (a combining mark). */
uint32_t mh_tr_fold_cp(uint32_t cp);
/* Append the Turkish lowercase / uppercase / fold of (s, n) to b (sticky
 * error on b).  No allocation beyond growing b. */
void mh_tr_lower_buf(mh_buf *b, const char *s, size_t n);
void mh_tr_upper_buf(mh_buf *b, const char *s, size_t n);
void mh_tr_fold_buf(mh_buf *b, const char *s, size_t n);
/* Character classes by Unicode category (letters, marks, digits). */
bool mh_cp_is_letter(uint32_t cp);   /* L* */
bool mh_cp_is_upper(uint32_t cp);    /* Lu, Lt */
bool mh_cp_is_lower(uint32_t cp);    /* Ll */
bool mh_cp_is_mark(uint32_t cp);     /* M* */
bool mh_cp_is_digit(uint32_t cp);    /* Nd */

/* ---------------- Interface to stem.c ---------------- */

/* Snowball Turkish stemmer with a bounded cache and post-rules. */
typedef struct mh_stemmer mh_stemmer;
mh_stemmer *mh_stemmer_new(void);            /* NULL on allocation failure */
void mh_stemmer_free(mh_stemmer *s);
/* Stem of a lowercase word: borrowed, valid until the next call on s.
 * NULL on allocation failure. */
const char *mh_stemmer_stem(mh_stemmer *s, const char *w, size_t n, size_t *out_len);
/* The same, plus the ASCII fold of the stem in *fold (borrowed likewise);
 * *fold is NULL when the word was not cached (over 96 bytes). */
const char *mh_stemmer_lookup(mh_stemmer *s, const char *w, size_t n, size_t *out_len,
                              const char **fold, size_t *fold_len);
/* Does Snowball's Turkish stemmer provably give the lowercase word (w, n)
 * back unchanged (so the cache does not ask it)?  Exposed for the test
 * that checks this reading of the algorithm against the installed
 * libstemmer. */
bool mh_stem_snowball_keeps(const char *w, size_t n);

#endif /* MH_INTERNAL_H */
