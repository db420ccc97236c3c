/*
 * turkish.c -- Turkish case rules and character classes.
 *
 * Generic Unicode case mapping gets Turkish wrong in both directions:
 * lowercase(I) is "i" instead of "ı", lowercase(İ) is "i̇" (i plus a
 * combining dot), uppercase(i) is "I".  Here the four dotted/dotless
 * letters are mapped first and everything else goes to utf8proc's simple
 * (one code point to one code point) case mapping.  The ASCII fold then
 * removes Turkish and other Latin diacritics so that a query typed without
 * them ("gorusme") meets the text ("görüşme").
 *
 * Sources: Unicode SpecialCasing.txt (the tr/az rules for I, İ, i, ı and
 * U+0307); utf8proc for case mapping, categories and decomposition.
 * Limits: simple case mapping only (ß stays ß in uppercase, no final
 * sigma); the fold strips diacritics of Latin letters only (Cyrillic and
 * Greek letters are kept as they are).
 */
#include "internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <utf8proc.h>

static uint32_t lower_slow(uint32_t cp)
{
    if (cp < 0x80) {
        if (cp == 'I')
            return 0x131;
        if (cp >= 'A' && cp <= 'Z')
            return cp + 32;
        return cp;
    }
    if (cp == 0x130)
        return 'i';
    if (cp > 0x10FFFF)
        return 0xFFFD;
    utf8proc_int32_t r = utf8proc_tolower((utf8proc_int32_t)cp);
    return r > 0 ? (uint32_t)r : cp;
}

static uint32_t upper_slow(uint32_t cp)
{
    if (cp < 0x80) {
        if (cp == 'i')
            return 0x130;
        if (cp >= 'a' && cp <= 'z')
            return cp - 32;
        return cp;
    }
    if (cp == 0x131)
        return 'I';
    if (cp > 0x10FFFF)
        return 0xFFFD;
    utf8proc_int32_t r = utf8proc_toupper((utf8proc_int32_t)cp);
    return r > 0 ? (uint32_t)r : cp;
}

static bool mark_slow(uint32_t cp)
{
    if (cp < 0x300 || cp > 0x10FFFF)
        return false;
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

static uint32_t fold_slow(uint32_t cp)
{
    if (cp < 0x80)
        return cp;
    switch (cp) {
    case 0xE7: return 'c';      /* ç */
    case 0x11F: return 'g';     /* ğ */
    case 0x131: return 'i';     /* ı */
    case 0xF6: return 'o';      /* ö */
    case 0x15F: return 's';     /* ş */
    case 0xFC: return 'u';      /* ü */
    case 0xE2: return 'a';      /* â */
    case 0xEE: return 'i';      /* î */
    case 0xFB: return 'u';      /* û */
    /* Latin letters with a stroke or bar have no decomposition. */
    case 0xF8: return 'o';      /* ø */
    case 0x111: return 'd';     /* đ */
    case 0x127: return 'h';     /* ħ */
    case 0x142: return 'l';     /* ł */
    case 0x167: return 't';     /* ŧ */
    default: break;
    }
    if (mark_slow(cp))
        return 0;
    /* Other Latin letters: the first code point of the canonical
     * decomposition, when it is ASCII (é -> e, ñ -> n, ş is above). */
    if ((cp >= 0xC0 && cp < 0x250) || (cp >= 0x1E00 && cp < 0x1F00)) {
        utf8proc_int32_t d[8];
        int bc = 0;
        utf8proc_ssize_t k = utf8proc_decompose_char((utf8proc_int32_t)cp, d, 8,
                                                     UTF8PROC_DECOMPOSE, &bc);
        if (k >= 1 && k <= 8 && d[0] > 0 && d[0] < 0x80)
            return (uint32_t)d[0];
    }
    return cp;
}

/* Category-based classes.  ASCII is decided without a table lookup. */
static bool letter_slow(uint32_t cp)
{
    if (cp < 0x80)
        return (cp | 32) >= 'a' && (cp | 32) <= 'z';
    if (cp > 0x10FFFF)
        return false;
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

static bool upper_cls_slow(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z';
    if (cp > 0x10FFFF)
        return false;
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

static bool lower_cls_slow(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'a' && cp <= 'z';
    if (cp > 0x10FFFF)
        return false;
    return utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_LL;
}

static bool digit_slow(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= '0' && cp <= '9';
    if (cp > 0x10FFFF)
        return false;
    return utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_ND;
}

/*
 * Tables for the Latin range below TAB_N (Latin-1, Extended-A and -B,
 * where nearly all letters of Turkish and European text fall), filled once
 * from the functions above so that tokenizing does not ask utf8proc for
 * every ç and ş.  pthread_once makes the filling thread-safe.
 */
#define TAB_N 0x250
enum { CL_LETTER = 1, CL_UPPER = 2, CL_LOWER = 4, CL_MARK = 8, CL_DIGIT = 16 };

static uint8_t cls_tab[TAB_N];
static uint16_t lower_tab[TAB_N], upper_tab[TAB_N], fold_tab[TAB_N];
static pthread_once_t tab_once = PTHREAD_ONCE_INIT;
static atomic_bool tab_done;

static void tab_init(void)
{
    for (uint32_t cp = 0; cp < TAB_N; cp++) {
        cls_tab[cp] = (uint8_t)((letter_slow(cp) ? CL_LETTER : 0) |
                                (upper_cls_slow(cp) ? CL_UPPER : 0) |
                                (lower_cls_slow(cp) ? CL_LOWER : 0) |
                                (mark_slow(cp) ? CL_MARK : 0) |
                                (digit_slow(cp) ? CL_DIGIT : 0));
        uint32_t l = lower_slow(cp), u = upper_slow(cp), f = fold_slow(cp);
        /* Every mapping of this range stays below U+FFFF. */
        lower_tab[cp] = (uint16_t)(l <= 0xFFFF ? l : cp);
        upper_tab[cp] = (uint16_t)(u <= 0xFFFF ? u : cp);
        fold_tab[cp] = (uint16_t)(f <= 0xFFFF ? f : cp);
    }
    atomic_store_explicit(&tab_done, true, memory_order_release);
}

/* The acquire load is the fast path; pthread_once runs the filling once
 * and makes late callers wait for it. */
static inline void tab_ready(void)
{
    if (!atomic_load_explicit(&tab_done, memory_order_acquire))
        pthread_once(&tab_once, tab_init);
}

uint32_t mh_tr_lower_cp(uint32_t cp)
{
    if (cp < TAB_N) {
        tab_ready();
        return lower_tab[cp];
    }
    return lower_slow(cp);
}

uint32_t mh_tr_upper_cp(uint32_t cp)
{
    if (cp < TAB_N) {
        tab_ready();
        return upper_tab[cp];
    }
    return upper_slow(cp);
}

uint32_t mh_tr_fold_cp(uint32_t cp)
{
    if (cp < TAB_N) {
        tab_ready();
        return fold_tab[cp];
    }
    return fold_slow(cp);
}

static inline bool has_cls(uint32_t cp, unsigned bit)
{
    tab_ready();
    return (cls_tab[cp] & bit) != 0;
}

bool mh_cp_is_letter(uint32_t cp)
{
    return cp < TAB_N ? has_cls(cp, CL_LETTER) : letter_slow(cp);
}

bool mh_cp_is_upper(uint32_t cp)
{
    return cp < TAB_N ? has_cls(cp, CL_UPPER) : upper_cls_slow(cp);
}

bool mh_cp_is_lower(uint32_t cp)
{
    return cp < TAB_N ? has_cls(cp, CL_LOWER) : lower_cls_slow(cp);
}

bool mh_cp_is_mark(uint32_t cp)
{
    return cp < TAB_N ? has_cls(cp, CL_MARK) : mark_slow(cp);
}

bool mh_cp_is_digit(uint32_t cp)
{
    return cp < TAB_N ? has_cls(cp, CL_DIGIT) : digit_slow(cp);
}

/*
 * The three conversions below write into a small stack chunk that goes to
 * the buffer CHUNK bytes at a time, so that a text costs a few
 * mh_buf_add calls instead of one per code point.  Nothing is appended
 * for an empty input, as before.
 */
#define CHUNK 256

typedef struct chunk {
    mh_buf *b;
    size_t o;
    char p[CHUNK];
} chunk;

static void ch_flush(chunk *c)
{
    if (c->o) {
        mh_buf_add(c->b, c->p, c->o);
        c->o = 0;
    }
}

/* Append n bytes (a run of ASCII: long runs go to the buffer directly). */
static inline void ch_bytes(chunk *c, const char *s, size_t n)
{
    if (c->o + n > CHUNK) {
        ch_flush(c);
        if (n > CHUNK) {
            mh_buf_add(c->b, s, n);
            return;
        }
    }
    memcpy(c->p + c->o, s, n);
    c->o += n;
}

static inline void ch_cp(chunk *c, uint32_t cp)
{
    if (c->o + 4 > CHUNK)
        ch_flush(c);
    c->o += (size_t)mh_utf8_encode(cp, c->p + c->o);
}

/* The code point at s[*k] (k < n), as mh_utf8_next decodes it, with the
 * two-byte sequences (every Turkish letter) decoded inline. */
static inline uint32_t next_cp(const char *s, size_t n, size_t *k)
{
    size_t i = *k;
    unsigned char c = (unsigned char)s[i];
    if (c >= 0xC2 && c <= 0xDF && i + 1 < n && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
        *k = i + 2;
        return (uint32_t)(c & 0x1F) << 6 | ((unsigned char)s[i + 1] & 0x3F);
    }
    return mh_utf8_next(s, n, k);
}

/* The end of the run of ASCII bytes other than capitals from k: bytes
 * that lowercase and fold to themselves.  Eight at a time where the byte
 * order allows (the tests are exact per byte: no sum passes 0xFF). */
static inline size_t ascii_run(const char *s, size_t n, size_t k)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t ones = 0x0101010101010101ull, tops = 0x8080808080808080ull;
    while (k + 8 <= n) {
        uint64_t x;
        memcpy(&x, s + k, 8);
        uint64_t y = x & ~tops;
        uint64_t stop = (x & tops) | ((y + ones * 0x3F) & ~(y + ones * 0x25) & tops);
        if (stop)
            return k + ((size_t)__builtin_ctzll(stop) >> 3);
        k += 8;
    }
#endif
    while (k < n && (unsigned char)s[k] < 0x80 && !(s[k] >= 'A' && s[k] <= 'Z'))
        k++;
    return k;
}

void mh_tr_lower_buf(mh_buf *b, const char *s, size_t n)
{
    chunk c;                    /* not zeroed: only c.p[0, o) is read */
    c.b = b;
    c.o = 0;
    size_t k = 0;
    while (k < n && !b->err) {
        size_t j = ascii_run(s, n, k);
        if (j > k) {
            ch_bytes(&c, s + k, j - k);
            k = j;
            continue;
        }
        uint32_t cp = next_cp(s, n, &k);
        if (cp == 'I') {
            /* I + U+0307 (combining dot above) is the decomposed İ. */
            if (k + 1 < n && (unsigned char)s[k] == 0xCC && (unsigned char)s[k + 1] == 0x87) {
                k += 2;
                ch_bytes(&c, "i", 1);
            } else {
                ch_bytes(&c, "\xC4\xB1", 2);
            }
            continue;
        }
        if (cp < 0x80) {
            char low = (char)(cp + 32);
            ch_bytes(&c, &low, 1);
            continue;
        }
        ch_cp(&c, mh_tr_lower_cp(cp));
    }
    ch_flush(&c);
}

void mh_tr_upper_buf(mh_buf *b, const char *s, size_t n)
{
    chunk c;                    /* not zeroed: only c.p[0, o) is read */
    c.b = b;
    c.o = 0;
    size_t k = 0;
    while (k < n && !b->err) {
        size_t j = k;
        while (j < n && (unsigned char)s[j] < 0x80 && !(s[j] >= 'a' && s[j] <= 'z'))
            j++;
        if (j > k) {
            ch_bytes(&c, s + k, j - k);
            k = j;
            continue;
        }
        ch_cp(&c, mh_tr_upper_cp(next_cp(s, n, &k)));
    }
    ch_flush(&c);
}

void mh_tr_fold_buf(mh_buf *b, const char *s, size_t n)
{
    chunk c;                    /* not zeroed: only c.p[0, o) is read */
    c.b = b;
    c.o = 0;
    size_t k = 0;
    while (k < n && !b->err) {
        size_t j = ascii_run(s, n, k);
        if (j > k) {
            ch_bytes(&c, s + k, j - k);
            k = j;
            continue;
        }
        uint32_t cp = next_cp(s, n, &k);
        if (cp < 0x80) {
            /* Uppercase ASCII: I folds to ı and then to i, like all others. */
            char low = (char)(cp + 32);
            ch_bytes(&c, &low, 1);
            if (cp == 'I' && k + 1 < n && (unsigned char)s[k] == 0xCC &&
                (unsigned char)s[k + 1] == 0x87)
                k += 2;
            continue;
        }
        uint32_t f = mh_tr_fold_cp(mh_tr_lower_cp(cp));
        if (f)
            ch_cp(&c, f);
    }
    ch_flush(&c);
}

typedef void (*conv_fn)(mh_buf *b, const char *s, size_t n);

static mh_err convert(conv_fn fn, const char *s, size_t n, char **out, size_t *out_len)
{
    mh_buf b;
    if (!out || (!s && n))
        return MH_EINVAL;
    *out = NULL;
    if (out_len)
        *out_len = 0;
    if (n > MH_MAX_PAGE_BYTES)
        return MH_ETOOBIG;
    /* Lowercase and uppercase at most double the byte count (I -> ı). */
    mh_buf_init(&b, 2 * MH_MAX_PAGE_BYTES);
    mh_buf_cstr(&b);
    if (n)
        fn(&b, s, n);
    if (b.err) {
        mh_err e = b.err;
        mh_buf_free(&b);
        return e;
    }
    *out = mh_buf_detach(&b, out_len);
    return *out ? MH_OK : MH_ENOMEM;
}

mh_err mh_tr_lower(const char *s, size_t n, char **out, size_t *out_len)
{
    return convert(mh_tr_lower_buf, s, n, out, out_len);
}

mh_err mh_tr_upper(const char *s, size_t n, char **out, size_t *out_len)
{
    return convert(mh_tr_upper_buf, s, n, out, out_len);
}

mh_err mh_tr_fold(const char *s, size_t n, char **out, size_t *out_len)
{
    return convert(mh_tr_fold_buf, s, n, out, out_len);
}

/* Next compared code point of a string for mh_tr_casecmp: Turkish
 * lowercase, then the fold when asked; dropped marks are skipped.
 * Returns 0 at the end (U+0000 cannot occur in clean text). */
static uint32_t cmp_next(const char *s, size_t n, size_t *k, int fold)
{
    while (*k < n) {
        uint32_t cp = mh_utf8_next(s, n, k);
        if (cp == 'I' && *k + 1 < n && (unsigned char)s[*k] == 0xCC &&
            (unsigned char)s[*k + 1] == 0x87) {
            *k += 2;
            cp = 0x130;
        }
        cp = mh_tr_lower_cp(cp);
        if (fold) {
            cp = mh_tr_fold_cp(cp);
            if (!cp)
                continue;
        }
        return cp;
    }
    return 0;
}

int mh_tr_casecmp(const char *a, size_t an, const char *b, size_t bn, int fold)
{
    size_t i = 0, j = 0;
    if (!a) an = 0;
    if (!b) bn = 0;
    for (;;) {
        uint32_t x = cmp_next(a, an, &i, fold);
        uint32_t y = cmp_next(b, bn, &j, fold);
        if (x != y)
            return x < y ? -1 : 1;
        if (!x)
            return 0;
    }
}
