/*
 * utf8.c -- the cleaning boundary: raw page bytes in, clean UTF-8 out.
 *
 * Every later stage (extraction, sentences, tokens, search) relies on what
 * mh_clean guarantees: valid UTF-8 in NFC, "\n" as the only line end, ' '
 * as the only space, no controls or zero-width characters, one apostrophe
 * (') and one quote mark (").
 *
 * The work is done in up to three passes, each skipped when it has nothing
 * to do; the common case (a valid UTF-8 page of Latin text) is first tried
 * with pass 3 alone, which checks the bytes as it goes:
 *   1. decode: BOM, UTF-16 (with BOM), Windows-1254 (decided per input) or
 *      UTF-8 with invalid bytes replaced by U+FFFD;
 *   2. NFC with utf8proc, only on the short segments around code points
 *      outside the ranges known to be NFC-stable (see nfc_safe);
 *   3. mapping of line ends, spaces, apostrophes, quotes and controls, and
 *      the whitespace state machine (lines or one-line mode).
 *
 * Sources: the Windows-1254 table is the code page as published by
 * Microsoft (also in the Unicode mapping files); NFC is utf8proc's.
 * Limits: UTF-16 without a BOM is not recognised (it looks binary: it is
 * full of NUL bytes); Windows-1254 detection is a per-input heuristic.
 */
#include "internal.h"

#include <stdlib.h>
#include <utf8proc.h>

/* Windows-1254 bytes 0x80..0xFF as code points.  Bytes the code page
 * leaves undefined map to U+FFFD. */
static const uint16_t cp1254[128] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0xFFFD, 0xFFFD,
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0xFFFD, 0x0178,
    0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
    0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
    0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
    0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
    0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
    0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x00CE, 0x00CF,
    0x011E, 0x00D1, 0x00D2, 0x00D3, 0x00D4, 0x00D5, 0x00D6, 0x00D7,
    0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x0130, 0x015E, 0x00DF,
    0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x00E4, 0x00E5, 0x00E6, 0x00E7,
    0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x00EC, 0x00ED, 0x00EE, 0x00EF,
    0x011F, 0x00F1, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x00F6, 0x00F7,
    0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x0131, 0x015F, 0x00FF,
};

/* True for Windows-1254 bytes that decode to something Turkish text is
 * full of: the Turkish letters, circumflex vowels, curly quotes, dashes,
 * the ellipsis and NBSP.  Used to decide whether an invalid-UTF-8 input
 * is really Windows-1254. */
static bool cp1254_plausible(unsigned char c)
{
    switch (c) {
    case 0xC7: case 0xD0: case 0xDD: case 0xD6: case 0xDE: case 0xDC:
    case 0xE7: case 0xF0: case 0xFD: case 0xF6: case 0xFE: case 0xFC:
    case 0xE2: case 0xEE: case 0xFB: case 0xC2: case 0xCE: case 0xDB:
    case 0x91: case 0x92: case 0x93: case 0x94: case 0x96: case 0x97:
    case 0x85: case 0xA0: case 0xAB: case 0xBB: case 0xB4: case 0xB0:
    case 0xE9: case 0xE1: case 0xE4: case 0xEB:
        return true;
    default:
        return false;
    }
}

/* Decode one well-formed UTF-8 sequence (the caller validated it). */
static inline uint32_t dec_valid(const unsigned char *u, size_t *i)
{
    size_t k = *i;
    unsigned c = u[k];
    if (c < 0x80) { *i = k + 1; return c; }
    if (c < 0xE0) { *i = k + 2; return ((uint32_t)(c & 0x1F) << 6) | (u[k + 1] & 0x3F); }
    if (c < 0xF0) {
        *i = k + 3;
        return ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(u[k + 1] & 0x3F) << 6) | (u[k + 2] & 0x3F);
    }
    *i = k + 4;
    return ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(u[k + 1] & 0x3F) << 12) |
           ((uint32_t)(u[k + 2] & 0x3F) << 6) | (u[k + 3] & 0x3F);
}

/* Length of the well-formed UTF-8 sequence at u[k] (k < n), 0 if none.
 * Rejects overlongs, surrogates and code points above U+10FFFF. */
static inline size_t seq_len(const unsigned char *u, size_t n, size_t k)
{
    unsigned c = u[k];
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return (k + 1 < n && (u[k + 1] & 0xC0) == 0x80) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (k + 2 >= n) return 0;
        unsigned c1 = u[k + 1];
        if ((c1 & 0xC0) != 0x80 || (u[k + 2] & 0xC0) != 0x80) return 0;
        if (c == 0xE0 && c1 < 0xA0) return 0;           /* overlong */
        if (c == 0xED && c1 >= 0xA0) return 0;          /* surrogate */
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (k + 3 >= n) return 0;
        unsigned c1 = u[k + 1];
        if ((c1 & 0xC0) != 0x80 || (u[k + 2] & 0xC0) != 0x80 || (u[k + 3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && c1 < 0x90) return 0;           /* overlong */
        if (c == 0xF4 && c1 >= 0x90) return 0;          /* > U+10FFFF */
        return 4;
    }
    return 0;
}

/* Skip ASCII eight bytes at a time; returns the index of the first
 * non-ASCII byte at or after k (or n). */
static inline size_t skip_ascii(const unsigned char *u, size_t n, size_t k)
{
    while (k + 8 <= n) {
        uint64_t w;
        memcpy(&w, u + k, 8);
        if (w & 0x8080808080808080ull)
            break;
        k += 8;
    }
    while (k < n && u[k] < 0x80)
        k++;
    return k;
}

int mh_utf8_valid(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t k = 0;
    if (!s)
        return n == 0;
    for (;;) {
        k = skip_ascii(u, n, k);
        if (k >= n)
            return 1;
        size_t l = seq_len(u, n, k);
        if (!l)
            return 0;
        k += l;
    }
}

/*
 * Code points that are certainly unchanged by NFC and never combine with a
 * neighbour: Latin (up to the spacing modifiers), most Cyrillic, general
 * punctuation except the two singleton spaces U+2000/U+2001, currency
 * signs, letterlike symbols except Ω K Å (U+2126, U+212A, U+212B), arrows
 * and mathematical operators, box drawing and dingbats, U+FEFF, U+FFFD and
 * the emoji planes.  Anything else sends its chunk through
 * utf8proc.  Being conservative here only costs speed, never correctness.
 */
static inline bool nfc_safe(uint32_t cp)
{
    if (cp < 0x300)
        return true;
    if (cp >= 0x400 && cp <= 0x52F)
        return cp < 0x483 || cp > 0x489;
    if (cp >= 0x2002 && cp <= 0x206F)
        return true;
    if (cp >= 0x20A0 && cp <= 0x20CF)
        return true;
    if (cp >= 0x2190 && cp <= 0x2328)
        return true;
    if (cp >= 0x2500 && cp <= 0x27BF)
        return true;
    if (cp >= 0x2100 && cp <= 0x214F)       /* letterlike, minus three singletons */
        return cp != 0x2126 && cp != 0x212A && cp != 0x212B;
    if (cp == 0xFFFD || cp == 0xFEFF)
        return true;
    if (cp >= 0x1F000 && cp <= 0x1FAFF)
        return true;
    return false;
}

typedef struct scan_result {
    size_t good_multi;   /* well-formed multi-byte sequences */
    size_t bad;          /* bytes that start no well-formed sequence */
    size_t bad_plausible;/* of those, bytes plausible as Windows-1254 */
    size_t utf8_like;    /* bad lead bytes followed by a continuation byte */
    bool needs_nfc;      /* a code point outside nfc_safe was seen */
} scan_result;

static void utf8_scan(const unsigned char *u, size_t n, scan_result *r)
{
    size_t k = 0;
    memset(r, 0, sizeof *r);
    for (;;) {
        k = skip_ascii(u, n, k);
        if (k >= n)
            return;
        size_t l = seq_len(u, n, k);
        if (!l) {
            r->bad++;
            if (cp1254_plausible(u[k]))
                r->bad_plausible++;
            if (u[k] >= 0xC2 && u[k] <= 0xF4 && k + 1 < n && (u[k + 1] & 0xC0) == 0x80)
                r->utf8_like++;
            k++;
            continue;
        }
        if (!r->needs_nfc) {
            size_t j = k;
            if (!nfc_safe(dec_valid(u, &j)))
                r->needs_nfc = true;
        }
        r->good_multi++;
        k += l;
    }
}

/* Binary sniffing: a NUL byte in the first 8 KiB (as git does), or more
 * than 10% of the first 64 KiB being C0 controls other than the usual
 * whitespace (TAB, LF, VT, FF, CR) and ESC. */
static bool looks_binary(const unsigned char *u, size_t n)
{
    size_t lim = n < 65536 ? n : 65536;
    size_t nul_lim = n < 8192 ? n : 8192;
    if (memchr(u, 0, nul_lim))
        return true;
    size_t ctl = 0;
    for (size_t k = 0; k < lim; k++) {
        /* Eight bytes at a time while none is below 0x20 (the exact
         * "has a byte less than" test), as in nearly all of a page. */
        while (k + 8 <= lim) {
            uint64_t x;
            memcpy(&x, u + k, 8);
            if ((x - 0x2020202020202020ull) & ~x & 0x8080808080808080ull)
                break;
            k += 8;
        }
        if (k >= lim)
            break;
        unsigned c = u[k];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\v' && c != '\f' &&
            c != '\r' && c != 0x1B)
            ctl++;
    }
    return ctl >= 4 && ctl * 10 > lim;
}

/* Pass 1 for UTF-16 with a BOM.  Unpaired surrogates and an odd trailing
 * byte become U+FFFD. */
static void decode_utf16(mh_buf *b, const unsigned char *u, size_t n, bool be)
{
    size_t k = 0;
    while (k + 1 < n && !b->err) {
        uint32_t w = be ? ((uint32_t)u[k] << 8 | u[k + 1]) : ((uint32_t)u[k + 1] << 8 | u[k]);
        k += 2;
        if (w >= 0xD800 && w <= 0xDBFF) {
            if (k + 1 < n) {
                uint32_t w2 = be ? ((uint32_t)u[k] << 8 | u[k + 1]) : ((uint32_t)u[k + 1] << 8 | u[k]);
                if (w2 >= 0xDC00 && w2 <= 0xDFFF) {
                    k += 2;
                    mh_buf_add_utf8(b, 0x10000 + ((w - 0xD800) << 10) + (w2 - 0xDC00));
                    continue;
                }
            }
            w = 0xFFFD;
        } else if (w >= 0xDC00 && w <= 0xDFFF) {
            w = 0xFFFD;
        }
        mh_buf_add_utf8(b, w);
    }
    if (k < n)
        mh_buf_add_utf8(b, 0xFFFD);
}

static void decode_cp1254(mh_buf *b, const unsigned char *u, size_t n)
{
    size_t k = 0;
    while (k < n && !b->err) {
        size_t j = k;
        while (j < n && u[j] < 0x80)
            j++;
        mh_buf_add(b, u + k, j - k);
        if (j >= n)
            break;
        mh_buf_add_utf8(b, cp1254[u[j] - 0x80]);
        k = j + 1;
    }
}

/* UTF-8 with every byte that starts no well-formed sequence replaced by
 * U+FFFD (one replacement per bad byte). */
static void decode_utf8_lossy(mh_buf *b, const unsigned char *u, size_t n)
{
    size_t k = 0;
    while (k < n && !b->err) {
        size_t j = k;
        for (;;) {
            j = skip_ascii(u, n, j);
            if (j >= n)
                break;
            size_t l = seq_len(u, n, j);
            if (!l)
                break;
            j += l;
        }
        mh_buf_add(b, u + k, j - k);
        if (j >= n)
            break;
        mh_buf_add(b, "\xEF\xBF\xBD", 3);
        k = j + 1;
    }
}

/* Pass 2: NFC of valid UTF-8.  Only the segments around code points
 * outside nfc_safe go through utf8proc: a segment starts at the safe code
 * point before such a run (it may be the base a mark composes with) and
 * ends right before the next safe code point, a starter that composes
 * with nothing before it.  NFC of the whole is then the concatenation of
 * the untouched safe text and the NFC of the segments. */
static mh_err nfc_pass(mh_buf *b, const unsigned char *u, size_t n)
{
    size_t copied = 0, k = 0, prev = 0;   /* prev: start of the last code point */
    while (k < n) {
        size_t a = skip_ascii(u, n, k);
        if (a > k) {
            prev = a - 1;
            k = a;
            continue;
        }
        size_t j = k;
        if (nfc_safe(dec_valid(u, &j))) {
            prev = k;
            k = j;
            continue;
        }
        /* Unsafe run: from the previous code point to the next safe one. */
        size_t seg = k > 0 ? prev : 0;
        if (seg < copied)
            seg = copied;
        size_t end = j;
        while (end < n) {
            size_t t = end;
            if (nfc_safe(dec_valid(u, &t)))
                break;
            end = t;
        }
        mh_buf_add(b, u + copied, seg - copied);
        utf8proc_uint8_t *dst = NULL;
        utf8proc_ssize_t r = utf8proc_map(u + seg, (utf8proc_ssize_t)(end - seg), &dst,
                                          UTF8PROC_COMPOSE | UTF8PROC_STABLE);
        if (r < 0) {
            free(dst);
            return r == UTF8PROC_ERROR_NOMEM ? MH_ENOMEM : MH_EINVAL;
        }
        mh_buf_add(b, dst, (size_t)r);
        free(dst);
        if (b->err)
            return b->err;
        copied = end;
        prev = end;
        k = end;
    }
    mh_buf_add(b, u + copied, n - copied);
    return b->err;
}

/* Byte classes for the ASCII part of pass 3. */
enum { C_PLAIN, C_SPACE, C_NL, C_CR, C_DROP, C_APOS };

static const unsigned char ascii_class[128] = {
    C_DROP, C_DROP, C_DROP, C_DROP, C_DROP, C_DROP, C_DROP, C_DROP,
    C_DROP, C_SPACE, C_NL, C_NL, C_NL, C_CR, C_DROP, C_DROP,
    C_DROP, C_DROP, C_DROP, C_DROP, C_DROP, C_DROP, C_DROP, C_DROP,
    C_DROP, C_DROP, C_DROP, C_DROP, C_DROP, C_DROP, C_DROP, C_DROP,
    [' '] = C_SPACE, ['`'] = C_APOS, [0x7F] = C_DROP,
};

/* What pass 3 does with one non-ASCII code point. */
enum { M_KEEP, M_SPACE, M_NL, M_DROP, M_APOS, M_QUOTE };

static inline int map_cp(uint32_t cp)
{
    if (cp < 0xA0)
        return cp == 0x85 ? M_NL : M_DROP;      /* C1 controls */
    switch (cp) {
    case 0x00A0: case 0x1680: case 0x202F: case 0x205F: case 0x3000:
        return M_SPACE;
    case 0x2028: case 0x2029:
        return M_NL;
    case 0x00AD: case 0x200B: case 0x200C: case 0x200D: case 0x200E:
    case 0x200F: case 0x2060: case 0x2061: case 0x2062: case 0x2063:
    case 0x2064: case 0xFEFF: case 0x180E:
    case 0x202A: case 0x202B: case 0x202C: case 0x202D: case 0x202E:
    case 0x2066: case 0x2067: case 0x2068: case 0x2069:
        return M_DROP;
    /* Apostrophes; the single low and reversed quotes and the single
     * guillemets are used as single quotes and share the mark. */
    case 0x2019: case 0x2018: case 0x02BC: case 0x00B4: case 0x2032:
    case 0x201A: case 0x201B: case 0x2039: case 0x203A:
        return M_APOS;
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x00AB:
    case 0x00BB: case 0x2033:
        return M_QUOTE;
    default:
        if (cp >= 0x2000 && cp <= 0x200A)
            return M_SPACE;
        return M_KEEP;
    }
}

/* Pass 3 writer: output pointer plus the whitespace state machine. */
typedef struct ws {
    char *o;
    size_t len;
    bool lines;          /* MH_CLEAN_LINES */
    bool pend_space;     /* a space run waits to be written */
    unsigned pend_nl;    /* newlines waiting (capped at 2) */
} ws;

/* Write pending whitespace before a visible character. */
static inline void ws_flush(ws *w)
{
    if (w->pend_nl) {
        if (w->len) {
            w->o[w->len++] = '\n';
            if (w->pend_nl > 1)
                w->o[w->len++] = '\n';
        }
        w->pend_nl = 0;
        w->pend_space = false;
    } else if (w->pend_space) {
        if (w->len)
            w->o[w->len++] = ' ';
        w->pend_space = false;
    }
}

static inline void ws_space(ws *w) { w->pend_space = true; }

static inline void ws_newline(ws *w)
{
    if (!w->lines) {
        w->pend_space = true;
        return;
    }
    w->pend_space = false;
    if (w->pend_nl < 2)
        w->pend_nl++;
}

/* Plain ASCII: printable, not a space, not the backtick. */
static inline bool plain_ascii(unsigned c)
{
    return c > 0x20 && c < 0x7F && c != '`';
}

#define MAP_FAILED ((size_t)-1)

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ONES 0x0101010101010101ull
#define TOPS 0x8080808080808080ull
#define LAST 0x8000000000000000ull   /* the top bit of the eighth byte */

/* The top bit of every byte of x equal to b (exact: no carry crosses a
 * byte). */
static inline uint64_t bytes_eq(uint64_t x, unsigned b)
{
    uint64_t z = x ^ (ONES * b);
    return ~(((z & ~TOPS) + ~TOPS) | z) & TOPS;
}

/*
 * Do the eight bytes x (in memory order) go through pass 3 unchanged,
 * once a visible character has been written and no whitespace is
 * pending?  They do when each is plain ASCII, a space between two
 * visible characters (no second space beside it, not the last byte,
 * whose follower is unknown), or a byte of a two-byte character led by
 * 0xC3..0xC5 (Latin-1 letters and Latin Extended-A, every Turkish
 * letter), which pass 3 copies unchecked.  The byte tests are exact per
 * byte: no sum passes 0xFF.
 */
static inline bool verbatim8(uint64_t x)
{
    uint64_t y = x & ~TOPS;
    uint64_t plain = (y + ONES * 0x5F) & ~(y + ONES * 0x01) & ((y ^ (ONES * 0x60)) + ONES * 0x7F) &
                     ~x & TOPS;                         /* 0x21..0x7E but 0x60 */
    uint64_t sp = bytes_eq(x, ' ');
    uint64_t cont = x & ~(x << 1) & TOPS;               /* 10xxxxxx */
    uint64_t lead = (y + ONES * 0x3D) & ~(y + ONES * 0x3A) & x & TOPS;     /* 0xC3..0xC5 */
    return (plain | sp | cont | lead) == TOPS && cont == lead << 8 && !(lead & LAST) &&
           !(sp & (sp << 8)) && !(sp & LAST);
}
#endif

/*
 * Pass 3: mapping and whitespace.  The output is never longer than the
 * input: every mapping shrinks or keeps the byte count.  With checked set
 * the input is raw: the pass gives up (MAP_FAILED) at the first byte that
 * is not well-formed UTF-8 or the first code point outside nfc_safe, and
 * the caller then runs passes 1 and 2 first.  This way the common page
 * (valid, NFC-stable) is read once.  Without checked the input must be
 * valid UTF-8 in NFC.
 */
static inline size_t map_pass_impl(const unsigned char *u, size_t n, char *out, bool lines,
                                   bool checked)
{
    ws w = { out, 0, lines, false, 0 };
    size_t k = 0;
#ifdef ONES
    size_t retry = 0;           /* no eight-byte try before this */
#endif
    while (k < n) {
#ifdef ONES
        /* Most of a page is words and single spaces: eight bytes at a
         * time while they go through unchanged (the output is never
         * ahead of the input, so eight bytes fit).  After a failed try
         * the next waits eight bytes, so that text full of other
         * characters is not tried at every one. */
        if (k >= retry && w.len && !w.pend_space && !w.pend_nl) {
            while (k + 8 <= n) {
                uint64_t x;
                memcpy(&x, u + k, 8);
                if (!verbatim8(x))
                    break;
                memcpy(w.o + w.len, &x, 8);
                w.len += 8;
                k += 8;
            }
            retry = k + 8;
            if (k >= n)
                break;
        }
#endif
        unsigned c = u[k];
        if (plain_ascii(c)) {
            if (w.pend_space || w.pend_nl)
                ws_flush(&w);
            w.o[w.len++] = (char)c;
            k++;
            while (k < n && plain_ascii(u[k]))
                w.o[w.len++] = (char)u[k++];
            continue;
        }
        if (c == ' ') {
            w.pend_space = true;
            k++;
            continue;
        }
        if (c >= 0x80) {
            /* Latin-1 letters and Latin Extended-A (all Turkish letters)
             * are kept as they are. */
            if (c >= 0xC3 && c <= 0xC5 && k + 1 < n && (u[k + 1] & 0xC0) == 0x80) {
                if (w.pend_space || w.pend_nl)
                    ws_flush(&w);
                w.o[w.len++] = (char)c;
                w.o[w.len++] = (char)u[k + 1];
                k += 2;
                continue;
            }
            size_t j = k;
            if (checked) {
                size_t l = seq_len(u, n, k);
                if (!l)
                    return MAP_FAILED;
                uint32_t cp = dec_valid(u, &j);
                if (!nfc_safe(cp))
                    return MAP_FAILED;
            }
            j = k;
            uint32_t cp = dec_valid(u, &j);
            switch (map_cp(cp)) {
            case M_KEEP:
                ws_flush(&w);
                memcpy(w.o + w.len, u + k, j - k);
                w.len += j - k;
                break;
            case M_SPACE: ws_space(&w); break;
            case M_NL: ws_newline(&w); break;
            case M_DROP: break;
            case M_APOS: ws_flush(&w); w.o[w.len++] = '\''; break;
            case M_QUOTE: ws_flush(&w); w.o[w.len++] = '"'; break;
            }
            k = j;
            continue;
        }
        switch (ascii_class[c]) {
        case C_SPACE: ws_space(&w); break;
        case C_NL: ws_newline(&w); break;
        case C_CR:
            if (k + 1 < n && u[k + 1] == '\n')
                k++;
            ws_newline(&w);
            break;
        case C_APOS: ws_flush(&w); w.o[w.len++] = '\''; break;
        default: break;     /* C_DROP */
        }
        k++;
    }
    out[w.len] = 0;
    return w.len;
}

static size_t map_pass(const unsigned char *u, size_t n, char *out, bool lines)
{
    return map_pass_impl(u, n, out, lines, false);
}

static size_t map_pass_checked(const unsigned char *u, size_t n, char *out, bool lines)
{
    return map_pass_impl(u, n, out, lines, true);
}

mh_err mh_clean(const char *in, size_t n, unsigned opts, char **out, size_t *out_len)
{
    mh_err rc = MH_OK;
    mh_buf dec, nfc;
    const unsigned char *u = (const unsigned char *)in;
    char *res = NULL;
    mh_buf_init(&dec, 0);
    mh_buf_init(&nfc, 0);
    if (!out || (!in && n))
        return MH_EINVAL;
    *out = NULL;
    if (out_len)
        *out_len = 0;
    if (n > MH_MAX_PAGE_BYTES)
        return MH_ETOOBIG;
    if (!in)
        u = (const unsigned char *)"";

    /* Pass 1: decode into valid UTF-8 (no copy when already valid). */
    if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        u += 3;
        n -= 3;
    } else if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        decode_utf16(&dec, u + 2, n - 2, u[0] == 0xFE);
        if (dec.err) { rc = dec.err; goto out; }
        u = (const unsigned char *)(dec.p ? dec.p : "");
        n = dec.len;
    }
    if (!dec.p && looks_binary(u, n)) {
        rc = MH_EBINARY;
        goto out;
    }
    res = mh_malloc(n + 1);
    if (!res) {
        rc = MH_ENOMEM;
        goto out;
    }
    /* The common case: valid and NFC-stable, mapped in one pass. */
    size_t len = map_pass_checked(u, n, res, (opts & MH_CLEAN_LINES) != 0);
    if (len != MAP_FAILED)
        goto done;
    mh_free(res);
    res = NULL;
    scan_result sr;
    utf8_scan(u, n, &sr);
    if (sr.bad) {
        /* Windows-1254 when more bytes fail than decode as UTF-8, most of
         * the bad bytes are Turkish letters or punctuation in that code
         * page, and few look like broken UTF-8 (a lead byte followed by a
         * continuation byte, which Turkish cp1254 text rarely has: letters
         * follow letters). */
        bool legacy = sr.bad > sr.good_multi && sr.bad_plausible * 2 >= sr.bad &&
                      sr.utf8_like * 4 < sr.bad;
        mh_buf_reset(&dec);
        if (legacy)
            decode_cp1254(&dec, u, n);
        else
            decode_utf8_lossy(&dec, u, n);
        if (dec.err) { rc = dec.err; goto out; }
        u = (const unsigned char *)(dec.p ? dec.p : "");
        n = dec.len;
        utf8_scan(u, n, &sr);
    }

    /* Pass 2: NFC where needed. */
    if (sr.needs_nfc) {
        rc = nfc_pass(&nfc, u, n);
        if (rc)
            goto out;
        u = (const unsigned char *)(nfc.p ? nfc.p : "");
        n = nfc.len;
    }

    /* Pass 3: mapping and whitespace; output never grows. */
    res = mh_malloc(n + 1);
    if (!res) {
        rc = MH_ENOMEM;
        goto out;
    }
    len = map_pass(u, n, res, (opts & MH_CLEAN_LINES) != 0);
done:
    *out = res;
    if (out_len)
        *out_len = len;
out:
    mh_buf_free(&dec);
    mh_buf_free(&nfc);
    return rc;
}
