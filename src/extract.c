/*
 * extract.c -- from a record's line-structured text to an article: title,
 * date, outlet, credited source, category, lead, body, and every dropped
 * line kept aside in `removed`, in page order.
 *
 * The page is read as a list of lines.  Each line is first classified on
 * its own (a metadata header, an <image> placeholder, a site menu, a
 * category label, a time stamp, a related-headlines heading, a hashtag
 * line, a "Kaynak:" credit, share/comment/cookie furniture ...), then the
 * page is read as a whole:
 *   - the title is the first plain line that reads as a headline (or the
 *     record's title hint); its repetitions are dropped;
 *   - related-headline blocks are dropped from their heading on while
 *     their lines look like headlines or time stamps, and so is an
 *     unlabelled run of headline-like lines at the end of the page (the
 *     sidebars of scraped pages);
 *   - the lead is the first paragraph after the title, with a trailing
 *     dateline ("28.10.2025, Sputnik Türkiye") cut off and used; lines
 *     that repeat or restate it are dropped;
 *   - metadata (date, category, outlet, source) is taken only from the
 *     page's own header zone (the lines before the body starts), labelled
 *     lines, credit lines and the URL, never from dates in the text or in
 *     lists of other stories: a wrong date is worse than none.
 * The body is the remaining lines joined by "\n", with glued sentences
 * repaired (mh_unglue); sentence offsets come from mh_analyze.
 *
 * Sources: the seed pages of the project (their noise is the
 * specification), the boilerplate-removal literature for the idea that
 * short, link-like, punctuation-free lines at block edges are furniture
 * (Kohlschütter et al., WSDM 2010; Pomikálek's jusText, 2011).
 *
 * Limits: heuristics tuned on Turkish news pages; English pages work
 * through the HTML layout hints (page.c) more than through these rules.
 * Phrase lists are Turkish and English only.
 */
#include "internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <xxhash.h>

/* Line classes, decided per line. */
enum {
    C_TEXT = 0,   /* ordinary text: title, lead, body or headline */
    C_META,       /* "date 2025-10-28 https://..." header */
    C_URL,        /* a bare URL */
    C_IMAGE,      /* <image>...</image> placeholder */
    C_MENU,       /* "AKİT MENÜ" */
    C_CATEGORY,   /* "Dünya" */
    C_STAMP,      /* dates, times, relative dates, with labels/category */
    C_RELATED,    /* "Benzer Haberler" and the like */
    C_END,        /* "Yorumlara Git": the article is over */
    C_HASHTAG,    /* "#ESHAHABER.COM.TR #haber ..." */
    C_KAYNAK,     /* "Kaynak: HABER7.COM" */
    C_CREDIT,     /* "(AA)", "Muhabir: ...", "Foto: DHA" */
    C_UI,         /* share, social, cookie, print, ads ... */
    C_LABEL,      /* "Son dakika" on a line of its own */
};

/* What became of a line. */
enum { F_BODY = 0, F_TITLE, F_LEAD, F_REMOVED };

typedef struct xline {
    const char *s; size_t n;   /* the line, pointing into the record text */
    const char *key;           /* folded, punctuation-free form (short lines) */
    size_t words;
    int cls, fate;
    unsigned char hint;
    bool repeat;               /* removed as a repeat of the title or lead */
    /* facts the line carries */
    char date[11];             /* C_META/C_STAMP: a date (or "") */
    char reldate[11];          /* C_STAMP: a relative date resolved (or "") */
    bool has_date, has_time, has_rel, update_label, pub_label;
    const char *category;      /* static canonical name */
    const char *outlet;        /* static, or into the arena */
    const char *source;        /* static, or into the arena */
    const char *url; size_t url_n;
    /* a piece cut off the line into removed (lead dateline, title echo) */
    size_t cut_off, cut_n;
} xline;

typedef struct xctx {
    const mh_record *r;
    xline *l; size_t n;
    mh_arena arena;
    mh_err err;
    const char *title; size_t title_n;
    const char *title_key;
    long title_at, lead_at;
    const char *lead; size_t lead_n;
    const char *lead_key;
    size_t header_end;         /* first line index of the body zone */
    char dl_date[11];          /* from the lead's dateline */
    const char *dl_outlet;
} xctx;

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* A byte in a key when it is a whole character: ASCII letters
 * lowercased, digits kept, other ASCII a space.  0 for 'I' (it may carry
 * a combining dot) and for bytes >= 0x80 (they start longer characters),
 * which key_char reads.  Rows of eight, from 0x00; the rest is 0. */
static const char key_ascii[256] = {
    ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
    ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
    ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
    ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
    ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
    ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
    '0', '1', '2', '3', '4', '5', '6', '7',
    '8', '9', ' ', ' ', ' ', ' ', ' ', ' ',
    ' ', 'a', 'b', 'c', 'd', 'e', 'f', 'g',
    'h', 0,   'j', 'k', 'l', 'm', 'n', 'o',
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w',
    'x', 'y', 'z', ' ', ' ', ' ', ' ', ' ',
    ' ', 'a', 'b', 'c', 'd', 'e', 'f', 'g',
    'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w',
    'x', 'y', 'z', ' ', ' ', ' ', ' ', ' ',
};

/* key_char of every two-byte code point (U+0080..U+07FF, indexed by the
 * code point), where the Turkish letters are: filled once by phrase_init,
 * before any key is made. */
static char key_two[0x800];

/* How the code point at s[*i] shows in a key, advancing *i past it: its
 * letter or digit after mh_tr_fold (Turkish lowercase, then ASCII fold),
 * ' ' for any other character, 0 for nothing (a combining mark that the
 * fold drops).  This is mh_tr_fold_buf taken one code point at a time,
 * including its reading of I + U+0307 (the decomposed İ) as one 'i'; the
 * fold maps every code point on its own, so folding a line and then
 * keeping its letters gives the same key as doing both in one pass, and
 * the one pass needs no allocation. */
static char key_char(const char *s, size_t n, size_t *i)
{
    unsigned char c = (unsigned char)s[*i];
    if (c < 0x80) {
        (*i)++;
        if (c != 'I')
            return key_ascii[c];
        if (*i + 1 < n && (unsigned char)s[*i] == 0xCC && (unsigned char)s[*i + 1] == 0x87)
            *i += 2;
        return 'i';
    }
    uint32_t f = mh_tr_fold_cp(mh_tr_lower_cp(mh_utf8_next(s, n, i)));
    if (!f)
        return 0;
    return (f >= 'a' && f <= 'z') || (f >= '0' && f <= '9') ? (char)f : ' ';
}

/* key_char with the tables first: an ASCII byte other than 'I' and a
 * well-formed two-byte character (decoded as mh_utf8_next does) are
 * looked up, anything else is read by key_char. */
static inline char key_next(const char *s, size_t n, size_t *i)
{
    unsigned char b = (unsigned char)s[*i];
    char c = key_ascii[b];
    if (c) {
        (*i)++;
        return c;
    }
    if (b >= 0xC2 && b <= 0xDF && *i + 1 < n && ((unsigned char)s[*i + 1] & 0xC0) == 0x80) {
        c = key_two[((b & 0x1Fu) << 6) | ((unsigned char)s[*i + 1] & 0x3Fu)];
        *i += 2;
        return c;
    }
    /* A copy, so that the caller's index need not live in memory. */
    size_t k = *i;
    c = key_char(s, n, &k);
    *i = k;
    return c;
}

/* Folded key of (s, n) into out: the mh_tr_fold of the text with every
 * run of characters other than a-z/0-9 made one space, trimmed.  Writes
 * at most max bytes and a NUL; returns the key's length, or max + 1 when
 * the key is longer than max (the rest is not read then).  A key is never
 * longer than its text: each code point gives at most one letter, and
 * each space stands for at least one other code point, so max = n always
 * fits. */
static size_t fold_key(const char *s, size_t n, char *out, size_t max)
{
    size_t i = 0, j = 0;
    bool space = false;
    if (max >= n) {
        /* The whole key fits (see above): no ceiling to check.  Every line
         * of every page goes through here, so after a letter the rest of
         * an ASCII word is copied by a loop of its own. */
        while (i < n) {
            char c = key_next(s, n, &i);
            if (c == ' ') {
                space = true;
            } else if (c) {
                if (space && j)
                    out[j++] = ' ';
                space = false;
                out[j++] = c;
                /* Letters and digits are the table's bytes above ' '. */
                const unsigned char *p = (const unsigned char *)s + i;
                const unsigned char *end = (const unsigned char *)s + n;
                char *o = out + j;
                while (p < end && (c = key_ascii[*p]) > ' ')
                    *o++ = c, p++;
                i = (size_t)(p - (const unsigned char *)s);
                j = (size_t)(o - out);
            }
        }
        out[j] = 0;
        return j;
    }
    while (i < n) {
        char c = key_next(s, n, &i);
        if (c == ' ') {
            space = true;
        } else if (c) {
            if (j + (space && j) >= max) {
                out[j] = 0;
                return max + 1;
            }
            if (space && j)
                out[j++] = ' ';
            space = false;
            out[j++] = c;
        }
    }
    out[j] = 0;
    return j;
}

/* Folded key of (s, n) (see fold_key), into the arena; NULL on failure
 * (the context error is set). */
static const char *make_key(xctx *x, const char *s, size_t n)
{
    char *k = mh_arena_alloc(&x->arena, n + 1);
    if (!k) {
        x->err = MH_ENOMEM;
        return NULL;
    }
    fold_key(s, n, k, n);
    return k;
}

/* Does key end with one of the words a, b, c (whole words)? */
static bool ends_with_word(const char *key, const char *a, const char *b, const char *c)
{
    const char *w[] = { a, b, c };
    size_t kn = key ? strlen(key) : 0;
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(w[i]);
        if (kn >= n && memcmp(key + kn - n, w[i], n) == 0 && (kn == n || key[kn - n - 1] == ' '))
            return true;
    }
    return false;
}

/* Does key start with the words of prefix (a non-empty phrase)?  The
 * first byte is compared inline: each line is tried against a dozen
 * prefixes, and nearly all differ there. */
static inline bool key_starts(const char *key, const char *prefix)
{
    if (!key || key[0] != prefix[0])
        return false;
    size_t k = strlen(prefix);
    return strncmp(key, prefix, k) == 0 && (key[k] == 0 || key[k] == ' ');
}

/* 0x80 in each byte of x that is not ' ', 0 in the others (exact: no
 * carry crosses a byte, since the low seven bits are added apart from
 * the high one). */
static uint64_t nonspace_bytes(uint64_t x)
{
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7Full;
    uint64_t t = x ^ 0x2020202020202020ull;
    return (((t & low7) + low7) | t) & ~low7;
}

/* Runs of bytes other than ' '.  A word starts wherever a non-space
 * follows a space or the start.  Every line of every page is counted, so
 * eight bytes are taken at a time: the word starts among them are the
 * non-spaces whose preceding byte (the same eight bytes read one earlier)
 * is a space, and their 0x80 bits, moved to the bottom of each byte, are
 * summed by one multiplication. */
static size_t count_words(const char *s, size_t n)
{
    if (!n)
        return 0;
    size_t w = s[0] != ' ';
    size_t i = 1;
    for (; i + 8 <= n; i += 8) {
        uint64_t cur, prev;
        memcpy(&cur, s + i, 8);
        memcpy(&prev, s + i - 1, 8);
        uint64_t starts = nonspace_bytes(cur) & ~nonspace_bytes(prev);
        w += (size_t)(((starts >> 7) * 0x0101010101010101ull) >> 56);
    }
    for (; i < n; i++)
        w += (s[i] != ' ') & (s[i - 1] == ' ');
    return w;
}

/* The last character that matters for sentence ends: trailing quotes and
 * closing brackets are looked through. */
static char last_sig(const char *s, size_t n, size_t *pos)
{
    /* A closing credit in parentheses, "... dedi. (AA)", is looked
     * through too. */
    if (n > 3 && s[n - 1] == ')') {
        size_t k = n - 1;
        while (k > 0 && n - k < 16 && s[k - 1] != '(')
            k--;
        if (k >= 2 && s[k - 1] == '(' && s[k - 2] == ' ')
            n = k - 2;
    }
    while (n && (s[n - 1] == '"' || s[n - 1] == '\'' || s[n - 1] == ')' || s[n - 1] == ' '))
        n--;
    if (pos)
        *pos = n;
    return n ? s[n - 1] : 0;
}

/* Ends like a sentence of running text: '.', ':' or ';' -- but not an
 * ellipsis, which headlines use for suspense. */
static bool ends_sentence(const char *s, size_t n)
{
    size_t p;
    char c = last_sig(s, n, &p);
    if (c == '.')
        return !(p >= 3 && s[p - 2] == '.' && s[p - 3] == '.');
    /* U+3002 IDEOGRAPHIC FULL STOP closes CJK sentences. */
    if (p >= 3 && (unsigned char)s[p - 3] == 0xE3 && (unsigned char)s[p - 2] == 0x80 &&
        (unsigned char)s[p - 1] == 0x82)
        return true;
    return c == ':' || c == ';';
}

/* Does the line open with a lowercase letter?  Then it continues a
 * sentence the scraper broke, whatever its length. */
static bool starts_lower(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == '"' || s[i] == '\'' || s[i] == '(' || s[i] == '-' || s[i] == ' '))
        i++;
    if (i >= n)
        return false;
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80)
        return c >= 'a' && c <= 'z';
    size_t k = i;
    uint32_t cp = mh_utf8_next(s, n, &k);
    /* Turkish lowercase letters beyond ASCII, and Latin-1/Extended-A
     * lowercase in general (even code points of Extended-A are capitals). */
    if (cp == 0x131 || cp == 0xE7 || cp == 0xF6 || cp == 0xFC || cp == 0x15F || cp == 0x11F)
        return true;
    if (cp >= 0xDF && cp <= 0xFF && cp != 0xF7)
        return true;
    if (cp >= 0x100 && cp <= 0x17F)
        return (cp & 1) != 0 && cp != 0x130;
    return false;
}

/* A line that reads like a headline in a list: short, few words, opening
 * like a headline and not closed like a sentence. */
static bool headline_like(const xline *l)
{
    return l->cls == C_TEXT && l->n <= 200 && l->words <= 25 && l->words >= 1 &&
           !ends_sentence(l->s, l->n) && !starts_lower(l->s, l->n);
}

/* A paragraph of running text. */
static bool paragraph_like(const xline *l)
{
    return l->cls == C_TEXT && (l->n > 200 || (ends_sentence(l->s, l->n) && l->words >= 6));
}

/* Is the line unchanged by mh_tr_upper (and has it letters)?  The
 * uppercase of a text never holds an ASCII byte a-z: ASCII other than
 * a-z is copied, a-z becomes A-Z or İ, ı becomes I, and no other code
 * point has an ASCII small letter as its uppercase (nor bytes below 0x80
 * in its UTF-8).  So a line with such a byte is answered without
 * converting it, as nearly every lead candidate is. */
static bool all_caps(const char *s, size_t n)
{
    char *u = NULL;
    size_t un = 0;
    bool letters = false, same;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'a' && c <= 'z')
            return false;
        if ((c >= 'A' && c <= 'Z') || c >= 0x80)
            letters = true;
    }
    if (!letters || n > 400 || mh_tr_upper(s, n, &u, &un) != MH_OK)
        return false;
    same = un == n && memcmp(u, s, n) == 0;
    mh_free(u);
    return same;
}

static char *arena_copy(xctx *x, const char *s, size_t n)
{
    char *p = mh_arena_strndup(&x->arena, s, n);
    if (!p)
        x->err = MH_ENOMEM;
    return p;
}

/* ------------------------------------------------------------------ */
/* phrase lists (folded keys; facts of Turkish news sites)             */
/* ------------------------------------------------------------------ */

static const char *const RELATED[] = {
    "benzer haberler", "benzer haber", "ilgili haberler", "ilgili haber", "haftanin one cikanlari",
    "gunun mansetleri", "son haberler", "cok okunanlar", "en cok okunanlar",
    "en cok okunan haberler", "cok okunan haberler", "one cikanlar", "one cikan haberler",
    "editorun secimi", "editorun sectikleri", "diger haberler", "populer haberler",
    "bunlar da ilginizi cekebilir", "ilginizi cekebilir", "bu haberler de ilginizi cekebilir",
    "daha fazla haber", "tum haberler", "gunun onemli gelismeleri", "gundemdeki haberler",
    "sicak gelismeler", "manset haberler", "mansetler", "son dakika haberleri", "yazarlar",
    "kose yazilari", "kose yazarlari", "foto galeri", "video galeri", "galeriler", "videolar",
    "sonraki haber", "onceki haber", "okumaya devam edin", "kategoriler", "etiketler",
    "ilgili konular", "konular", "gunun ozeti", "gundem ozeti", "en son haberler",
    "related news", "related articles", "related stories", "more stories", "most read",
    "most popular", "trending", "you may also like", "recommended", "read more",
    "editors picks", "top stories", "latest news",
};

static const char *const END_MARKS[] = {
    "yorumlara git", "yorum yap", "yorumlar", "yorum yaz", "ilk yorumu sen yap",
    "tum yorumlar", "yorumlari goster", "yorum ekle", "comments", "leave a comment",
};

static const char *const UI[] = {
    "paylas", "haberi paylas", "paylasin", "bu haberi paylasin", "facebook", "twitter", "x",
    "whatsapp", "telegram", "linkedin", "pinterest", "instagram", "youtube", "e posta",
    "eposta", "email", "e mail", "mail", "yazdir", "kopyala", "linki kopyala",
    "baglantiyi kopyala", "abone ol", "takip et", "bizi takip edin", "google news",
    "google haberler", "abone olun", "reklam", "advertisement", "sponsorlu", "devamini oku",
    "haberin devami", "tumunu gor", "tumu", "daha fazla", "daha fazla goster", "geri",
    "geri don", "ana sayfa", "anasayfa", "giris yap", "uye ol", "kapat", "tamam", "kabul et",
    "kabul ediyorum", "cerezleri kabul et", "a a", "a", "yazi boyutu", "dinle", "haberi dinle",
    "sesli dinle", "share", "tweet", "print", "subscribe", "sign in", "log in", "kaydet",
    "favorilere ekle", "begen", "haberi kaydet", "yukari", "basa don", "menu kapat",
    "arama", "ara", "haber ara", "bildirimler", "canli yayin", "canli tv", "gazete mansetleri",
};

static const char *const LABELS[] = {
    "son dakika", "son dakika haberi", "flas", "flas haber", "flas gelisme", "breaking news",
    "breaking", "canli", "ozel haber",
};

/* Labels that say "published": trusted anywhere on the page. */
static const char *const PUB_LABELS[] = {
    "yayinlanma", "yayinlanma tarihi", "yayin tarihi", "yayimlanma", "yayimlanma tarihi",
    "giris", "haber giris", "giris tarihi", "olusturulma", "olusturulma tarihi", "eklenme",
    "eklenme tarihi", "haber tarihi", "published", "published on",
};

/* Labels that only say "date": an event box ("Tarih: 11 Aralık, Salı")
 * uses them too, so they count only in the page's header zone. */
static const char *const DATE_LABELS[] = { "tarih", "date", "posted" };

static const char *const UPD_LABELS[] = {
    "guncelleme", "son guncelleme", "guncellenme", "guncellenme tarihi", "guncelleme tarihi",
    "updated", "update", "last updated", "modified",
};

static const char *const WEEKDAYS[] = {
    "pazartesi", "sali", "carsamba", "persembe", "cuma", "cumartesi", "pazar", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "pzt", "sal", "car",
    "per", "cum", "cmt", "paz", "saat", "itibariyla",
};

/*
 * The lists above as one hash table from a key to the lists it is on (one
 * bit per list), built once: every short line of every page is looked up,
 * and comparing it with each of some two hundred phrases in turn was a
 * visible share of extraction.  The longest phrase is kept too, so that a
 * longer key, as most lines of running text have, is refused without
 * hashing; the longest date label or weekday bounds the word runs that
 * read_stamp folds.
 */
enum {
    L_RELATED = 1u << 0, L_END = 1u << 1, L_UI = 1u << 2, L_LABEL = 1u << 3,
    L_PUB = 1u << 4, L_DATE = 1u << 5, L_UPD = 1u << 6, L_WEEKDAY = 1u << 7,
};

#define PHRASE_SLOTS 512   /* a power of two, at least twice the phrases */

_Static_assert(MH_ARRAY_LEN(RELATED) + MH_ARRAY_LEN(END_MARKS) + MH_ARRAY_LEN(UI) +
                       MH_ARRAY_LEN(LABELS) + MH_ARRAY_LEN(PUB_LABELS) +
                       MH_ARRAY_LEN(DATE_LABELS) + MH_ARRAY_LEN(UPD_LABELS) +
                       MH_ARRAY_LEN(WEEKDAYS) <= PHRASE_SLOTS / 2,
               "PHRASE_SLOTS is too small for the phrase lists");

typedef struct phrase_slot {
    const char *key;   /* NULL: an empty slot */
    size_t n;
    unsigned lists;    /* L_* bits */
} phrase_slot;

static phrase_slot phrase_tab[PHRASE_SLOTS];
static size_t phrase_max;   /* the longest phrase of all lists */
static size_t stamp_max;    /* the longest date label or weekday */
static pthread_once_t phrase_once = PTHREAD_ONCE_INIT;

static size_t phrase_slot_of(const char *key, size_t n)
{
    return (size_t)XXH3_64bits(key, n) & (PHRASE_SLOTS - 1);
}

/* Enter a list under bit; returns the length of its longest phrase. */
static size_t phrase_add(const char *const *list, size_t count, unsigned bit)
{
    size_t longest = 0;
    for (size_t i = 0; i < count; i++) {
        size_t n = strlen(list[i]);
        size_t h = phrase_slot_of(list[i], n);
        while (phrase_tab[h].key && strcmp(phrase_tab[h].key, list[i]) != 0)
            h = (h + 1) & (PHRASE_SLOTS - 1);
        phrase_tab[h].key = list[i];
        phrase_tab[h].n = n;
        phrase_tab[h].lists |= bit;
        if (n > longest)
            longest = n;
    }
    return longest;
}

#define PHRASES(list, bit) phrase_add((list), MH_ARRAY_LEN(list), (bit))

static size_t max_of(size_t a, size_t b) { return a > b ? a : b; }

static void phrase_init(void)
{
    /* Two-byte characters in keys: see key_two. */
    for (uint32_t cp = 0x80; cp < 0x800; cp++) {
        char e[4];
        size_t k = 0;
        int len = mh_utf8_encode(cp, e);
        key_two[cp] = key_char(e, (size_t)len, &k);
    }
    size_t page = PHRASES(RELATED, L_RELATED);
    page = max_of(page, PHRASES(END_MARKS, L_END));
    page = max_of(page, PHRASES(UI, L_UI));
    page = max_of(page, PHRASES(LABELS, L_LABEL));
    size_t stamp = PHRASES(PUB_LABELS, L_PUB);
    stamp = max_of(stamp, PHRASES(DATE_LABELS, L_DATE));
    stamp = max_of(stamp, PHRASES(UPD_LABELS, L_UPD));
    stamp = max_of(stamp, PHRASES(WEEKDAYS, L_WEEKDAY));
    stamp_max = stamp;
    phrase_max = max_of(page, stamp);
}

/* The lists (L_* bits) a key of n bytes is on; 0 for none or NULL.  The
 * table is built by mh_extract_ex before any line is read. */
static unsigned phrase_lists(const char *key, size_t n)
{
    if (!key || n > phrase_max)
        return 0;
    for (size_t h = phrase_slot_of(key, n); phrase_tab[h].key; h = (h + 1) & (PHRASE_SLOTS - 1))
        if (phrase_tab[h].n == n && memcmp(phrase_tab[h].key, key, n) == 0)
            return phrase_tab[h].lists;
    return 0;
}

/* ------------------------------------------------------------------ */
/* per-line classification                                             */
/* ------------------------------------------------------------------ */

static bool is_url_start(const char *s, size_t n)
{
    return (n > 8 && memcmp(s, "https://", 8) == 0) || (n > 7 && memcmp(s, "http://", 7) == 0) ||
           (n > 4 && memcmp(s, "www.", 4) == 0);
}

/* Length of a URL token at s (up to a space). */
static size_t url_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] != ' ')
        i++;
    return i;
}

/* A clock time "10:08", "10.08", "10:08:33" at s; its length or 0. */
static size_t time_at(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && i < 2 && is_digit((unsigned char)s[i]))
        i++;
    if (i == 0 || i >= n || (s[i] != ':' && s[i] != '.'))
        return 0;
    i++;
    if (i + 2 > n || !is_digit((unsigned char)s[i]) || !is_digit((unsigned char)s[i + 1]))
        return 0;
    int hh = atoi(s), mm = (s[i] - '0') * 10 + (s[i + 1] - '0');
    if (hh > 23 || mm > 59)
        return 0;
    i += 2;
    if (i + 2 < n && s[i] == ':' && is_digit((unsigned char)s[i + 1]) &&
        is_digit((unsigned char)s[i + 2]))
        i += 3;
    if (i < n && (is_digit((unsigned char)s[i]) || s[i] == '.' || s[i] == ':'))
        return 0;
    return i;
}

/* What a byte can open as a separator: SEP_ONE for ASCII space - | , /
 * ( ) [ ], SEP_E2 and SEP_C2 for the lead bytes of the longer ones
 * below, 0 for any other byte. */
enum { SEP_ONE = 1, SEP_E2, SEP_C2 };
static const unsigned char sep_first[256] = {
    [' '] = SEP_ONE, ['-'] = SEP_ONE, ['|'] = SEP_ONE, [','] = SEP_ONE, ['/'] = SEP_ONE,
    ['('] = SEP_ONE, [')'] = SEP_ONE, ['['] = SEP_ONE, [']'] = SEP_ONE,
    [0xE2] = SEP_E2, [0xC2] = SEP_C2,
};

/* Length of a separator at s: a space, ASCII - | , / ( ) [ ] or an en/em
 * dash, bullet or middle dot; 0 when none.  Asked at every byte of the
 * word runs of read_stamp, so the first byte decides through a table. */
static inline size_t sep_len(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (!n)
        return 0;
    switch (sep_first[u[0]]) {
    case SEP_ONE:
        return 1;
    case SEP_E2:
        return n >= 3 && u[1] == 0x80 && (u[2] == 0x93 || u[2] == 0x94 || u[2] == 0xA2) ? 3 : 0;
    case SEP_C2:
        return n >= 2 && u[1] == 0xB7 ? 2 : 0;
    default:
        return 0;
    }
}

/* What ends a run of words in read_stamp: RUN_END for ':', a digit or an
 * ASCII separator other than the space, RUN_SEP for a byte that may open
 * a longer separator (sep_len decides), 0 for a byte of the run. */
enum { RUN_END = 1, RUN_SEP };
static const unsigned char run_stop[256] = {
    [':'] = RUN_END, ['0'] = RUN_END, ['1'] = RUN_END, ['2'] = RUN_END, ['3'] = RUN_END,
    ['4'] = RUN_END, ['5'] = RUN_END, ['6'] = RUN_END, ['7'] = RUN_END, ['8'] = RUN_END,
    ['9'] = RUN_END, ['-'] = RUN_END, ['|'] = RUN_END, [','] = RUN_END, ['/'] = RUN_END,
    ['('] = RUN_END, [')'] = RUN_END, ['['] = RUN_END, [']'] = RUN_END,
    [0xE2] = RUN_SEP, [0xC2] = RUN_SEP,
};

/*
 * Read a line made only of dates, times, relative dates, date labels,
 * weekdays, separators and at most one category name -- a stamp such as
 * "Dünya - 2 saat önce", "2025-11-08 10:08 - Dünya", "18:17 - Dünya" or
 * "Giriş: 15 Eylül 2025, Pazartesi 15:33".  Fills the line's facts and
 * returns true when the whole line is of that kind.
 */
static bool read_stamp(xctx *x, xline *l)
{
    const char *s = l->s;
    size_t n = l->n, i = 0;
    bool upd = false, any = false;
    int64_t fake = 1700000000;   /* to recognise relative phrases without a crawl time */
    if (n > 160)
        return false;
    while (i < n) {
        size_t sl;
        while ((sl = sep_len(s + i, n - i)) > 0)
            i += sl;
        if (i >= n)
            break;
        char d[11];
        size_t k = mh_date_parse(s + i, n - i, d);
        if (k) {
            if (!upd && !l->has_date) {
                memcpy(l->date, d, 11);
                l->has_date = true;
            }
            any = true;
            i += k;
            continue;
        }
        k = time_at(s + i, n - i);
        if (k) {
            l->has_time = any = true;
            i += k;
            continue;
        }
        k = mh_date_relative(s + i, n - i, fake, d);
        if (k) {
            l->has_rel = any = true;
            if (x->r->crawl_time > 0 && !upd)
                mh_date_relative(s + i, n - i, x->r->crawl_time, l->reldate);
            i += k;
            continue;
        }
        /* A run of words up to a separator or ':': a label, weekday or
         * category. */
        size_t j = i;
        while (j < n) {
            unsigned char stop = run_stop[(unsigned char)s[j]];
            if (stop == RUN_END || (stop == RUN_SEP && sep_len(s + j, n - j)))
                break;
            j++;
        }
        size_t e = j;
        while (e > i && s[e - 1] == ' ')
            e--;
        if (e == i)
            return false;
        /* On most lines this run is the start of a sentence; folding
         * stops as soon as it is longer than any label or weekday. */
        char key[161];   /* a key is never longer than its text (<= 160) */
        size_t kn = fold_key(s + i, e - i, key, stamp_max);
        unsigned lists = kn <= stamp_max ? phrase_lists(key, kn) : 0;
        if (j < n && s[j] == ':' && (lists & (L_PUB | L_UPD | L_DATE))) {
            upd = (lists & L_UPD) != 0;
            if (upd)
                l->update_label = true;
            else if (lists & L_PUB)
                l->pub_label = true;
            i = j + 1;
            continue;
        }
        if (lists & L_WEEKDAY) {
            i = e;
            continue;
        }
        /* A second category is not read (nor looked up). */
        const char *cat = l->category ? NULL : mh_category_canon(s + i, e - i);
        if (cat) {
            l->category = cat;
            i = e;
            continue;
        }
        return false;
    }
    return any;
}

/* Agency or outlet credit text -> credit name (static) or an arena copy
 * of the raw text when short. */
static const char *credit_of(xctx *x, const char *s, size_t n, bool need_agency)
{
    int agency = 0;
    while (n && (*s == ' ' || *s == '(' || *s == '-' || *s == '/'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == ')' || s[n - 1] == '.' || s[n - 1] == '-'))
        n--;
    if (!n)
        return NULL;
    const char *c = mh_outlet_credit(s, n, &agency);
    if (c)
        return need_agency && !agency ? NULL : c;
    /* "Osman Yılmaz / Türkiye gazetesi", "AA, DHA": a known name among
     * the parts wins. */
    const char *p = s, *e = s + n;
    while (p < e) {
        const char *q = p;
        while (q < e && *q != '/' && *q != ',')
            q++;
        const char *a = p, *b = q;
        while (a < b && *a == ' ')
            a++;
        while (b > a && b[-1] == ' ')
            b--;
        if (b > a && (q < e || p > s)) {
            c = mh_outlet_credit(a, (size_t)(b - a), &agency);
            if (c && (!need_agency || agency))
                return c;
        }
        p = q < e ? q + 1 : e;
    }
    if (need_agency || n > 60)
        return NULL;
    return arena_copy(x, s, n);
}

/* The domain of a hashtag like "#ESHAHABER.COM.TR": the outlet name from
 * the table, or the lowercase domain itself. */
static const char *hashtag_outlet(xctx *x, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && s[i] == ' ')
            i++;
        size_t e = url_len(s + i, n - i) + i;
        if (s[i] == '#' && memchr(s + i, '.', e - i)) {
            const char *d = s + i + 1;
            size_t dn = e - i - 1;
            while (dn && (d[dn - 1] == '.' || d[dn - 1] == ','))
                dn--;
            const char *o = mh_outlet_for_name(d, dn);
            if (o)
                return o;
            /* An unknown site: its domain in lowercase ASCII ("#BİANET.ORG"
             * written with a Turkish capital İ is bianet.org). */
            char dom[256];
            size_t k = mh_domain_lower(d, dn, dom, sizeof dom);
            if (k)
                return arena_copy(x, dom, k);
            char *low = arena_copy(x, d, dn);
            if (low)
                for (size_t j = 0; j < dn; j++)
                    low[j] = ascii_lower(low[j]);
            return low;
        }
        i = e;
    }
    return NULL;
}

/* A line that opens with a media tag: <image ...>, <ns:image>, <img>,
 * <picture>, <figure>, <video>, <iframe>, <embed>. */
static bool placeholder(const char *s, size_t n)
{
    static const char *const media[] = { "image", "img", "picture", "figure", "video",
                                         "iframe", "embed" };
    char name[32];
    size_t i = 1, k = 0;
    if (n < 3 || s[0] != '<')
        return false;
    while (i < n && k + 1 < sizeof name &&
           ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
            (s[i] >= '0' && s[i] <= '9') || s[i] == ':' || s[i] == '_' || s[i] == '-')) {
        name[k++] = ascii_lower(s[i]);
        if (s[i] == ':')
            k = 0;        /* keep only the local name */
        i++;
    }
    name[k] = 0;
    if (!k || i >= n || (s[i] != '>' && s[i] != ' ' && s[i] != '/'))
        return false;
    for (size_t m = 0; m < MH_ARRAY_LEN(media); m++)
        if (strcmp(name, media[m]) == 0)
            return true;
    return false;
}

static void classify(xctx *x, xline *l)
{
    const char *s = l->s;
    size_t n = l->n;
    l->words = count_words(s, n);
    l->key = n <= 300 ? make_key(x, s, n) : NULL;
    const char *key = l->key;
    size_t kn = key ? strlen(key) : 0;

    /* <image>...</image> placeholders (also with a namespace prefix,
     * <ns:image>), markdown images */
    if (placeholder(s, n) || (n >= 7 && memcmp(s, "[image]", 7) == 0) ||
        (n >= 2 && memcmp(s, "![", 2) == 0 && memchr(s, ']', n))) {
        l->cls = C_IMAGE;
        return;
    }
    /* "date 2025-10-28 https://..." headers of scraped dumps */
    {
        size_t i = 0;
        while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
            i++;
        char lab[16];
        size_t ln = i < sizeof lab ? i : 0;
        for (size_t k = 0; k < ln; k++)
            lab[k] = ascii_lower(s[k]);
        lab[ln] = 0;
        if (ln && i < n && (s[i] == ' ' || s[i] == ':')) {
            size_t j = i + 1;
            while (j < n && s[j] == ' ')
                j++;
            if (strcmp(lab, "date") == 0 || strcmp(lab, "tarih") == 0 ||
                strcmp(lab, "published") == 0) {
                size_t k = mh_date_parse(s + j, n - j, l->date);
                if (k) {
                    j += k;
                    while (j < n && s[j] == ' ')
                        j++;
                    size_t t = time_at(s + j, n - j);
                    j += t;
                    while (j < n && s[j] == ' ')
                        j++;
                    if (j == n || is_url_start(s + j, n - j)) {
                        l->has_date = true;
                        if (j < n) {
                            l->url = s + j;
                            l->url_n = url_len(s + j, n - j);
                        }
                        if (j + l->url_n == n || j == n) {
                            l->cls = C_META;
                            return;
                        }
                    }
                    l->has_date = false;
                    l->url = NULL;
                    l->url_n = 0;
                    l->date[0] = 0;
                }
            } else if ((strcmp(lab, "url") == 0 || strcmp(lab, "link") == 0) &&
                       is_url_start(s + j, n - j) && j + url_len(s + j, n - j) == n) {
                l->url = s + j;
                l->url_n = n - j;
                l->cls = C_META;
                return;
            }
        }
    }
    if (is_url_start(s, n) && url_len(s, n) == n) {
        l->url = s;
        l->url_n = n;
        l->cls = C_URL;
        return;
    }
    /* hashtag lines (only a line with a '#' can be one) */
    if (n <= 500 && memchr(s, '#', n)) {
        size_t tags = 0, toks = 0, i = 0;
        while (i < n) {
            while (i < n && s[i] == ' ')
                i++;
            if (i >= n)
                break;
            toks++;
            if (s[i] == '#' && i + 1 < n && s[i + 1] != ' ')
                tags++;
            i += url_len(s + i, n - i);
        }
        if (tags && tags * 10 >= toks * 6) {
            l->cls = C_HASHTAG;
            l->outlet = hashtag_outlet(x, s, n);
            return;
        }
    }
    if (!key)
        return;
    /* "Kaynak: HABER7.COM" */
    if (n <= 100 &&
        (key_starts(key, "kaynak") || key_starts(key, "haber kaynagi") || key_starts(key, "source"))) {
        const char *c = memchr(s, ':', n < 20 ? n : 20);
        if (c) {
            l->cls = C_KAYNAK;
            l->source = credit_of(x, c + 1, n - (size_t)(c + 1 - s), false);
            return;
        }
    }
    /* bylines and photo credits, maybe naming an agency */
    if (n <= 100 && (key_starts(key, "muhabir") || key_starts(key, "haber") ||
                     key_starts(key, "editor") || key_starts(key, "foto") ||
                     key_starts(key, "fotograf") || key_starts(key, "fotograflar") ||
                     key_starts(key, "video") || key_starts(key, "haber merkezi") ||
                     key_starts(key, "yazar") || key_starts(key, "by"))) {
        const char *c = memchr(s, ':', n < 20 ? n : 20);
        bool photo = key_starts(key, "foto") || key_starts(key, "fotograf") ||
                     key_starts(key, "fotograflar") || key_starts(key, "video");
        if (c || strcmp(key, "haber merkezi") == 0) {
            l->cls = C_CREDIT;
            const char *slash = c ? memchr(c, '/', n - (size_t)(c - s)) : NULL;
            if (!photo && slash)
                l->source = credit_of(x, slash + 1, n - (size_t)(slash + 1 - s), true);
            else if (!photo && c && key_starts(key, "haber") && !key_starts(key, "haber merkezi"))
                l->source = credit_of(x, c + 1, n - (size_t)(c + 1 - s), true);
            return;
        }
    }
    /* a lone agency credit: "(AA)", "- DHA", "İHA" */
    if (n <= 40 && l->words <= 4) {
        const char *c = credit_of(x, s, n, true);
        if (c) {
            l->cls = C_CREDIT;
            l->source = c;
            return;
        }
    }
    unsigned lists = phrase_lists(key, kn);
    if (lists & L_RELATED) {
        l->cls = C_RELATED;
        return;
    }
    if (lists & L_END) {
        l->cls = C_END;
        return;
    }
    if ((lists & L_UI) || key_starts(key, "okuma suresi") || key_starts(key, "haberi paylas") ||
        key_starts(key, "tum haklari saklidir") || key_starts(key, "copyright") ||
        (n >= 2 && memcmp(s, "\xc2\xa9", 2) == 0) ||
        (l->words <= 6 && strstr(key, "dk okuma")) ||
        /* calls to click: "DEVAMI İÇİN TIKLAYIN", "Foto galeri için tıklayınız" */
        (l->words <= 7 && ends_with_word(key, "tiklayin", "tiklayiniz", "tikla")) ||
        (n <= 400 && (strstr(key, "cerez") || strstr(key, "cookie")) &&
         (strstr(key, "kullan") || strstr(key, "politika") || strstr(key, "kabul") ||
          strstr(key, "accept") || strstr(key, "policy")))) {
        l->cls = C_UI;
        return;
    }
    /* "AKİT MENÜ": a site menu, named after the outlet */
    if (n <= 40 && (strcmp(key, "menu") == 0 || (kn > 5 && strcmp(key + kn - 5, " menu") == 0))) {
        l->cls = C_MENU;
        const char *sp = s + n;
        while (sp > s && sp[-1] != ' ')
            sp--;
        if (sp > s)
            l->outlet = mh_outlet_for_name(s, (size_t)(sp - s - 1));
        return;
    }
    if ((lists & L_LABEL) && l->words <= 3) {
        l->cls = C_LABEL;
        return;
    }
    const char *cat = l->words <= 3 ? mh_category_canon(s, n) : NULL;
    if (cat) {
        l->cls = C_CATEGORY;
        l->category = cat;
        return;
    }
    if (read_stamp(x, l)) {
        l->cls = C_STAMP;
        return;
    }
    l->has_date = l->has_time = l->has_rel = false;
    l->pub_label = l->update_label = false;
    l->date[0] = l->reldate[0] = 0;
    l->category = NULL;
}

/* ------------------------------------------------------------------ */
/* page-level decisions                                                */
/* ------------------------------------------------------------------ */

/* A plain line that can be a headline. */
static bool title_like(const xline *l)
{
    if (l->cls != C_TEXT || l->n > 250 || l->words > 30 || l->words < 2)
        return false;
    /* A long line closed as a sentence is a paragraph. */
    return !(ends_sentence(l->s, l->n) && l->words > 20);
}

/* The words of a key as a hash set, for containment tests: one set per
 * page keeps the restatement check linear in the page, and a lookup is
 * one hash of the word (taken while finding its end) and, nearly always,
 * one comparison. */
typedef struct word_slot {
    const char *w;   /* the word in the key; NULL: an empty slot */
    size_t n;
} word_slot;

typedef struct wordset {
    word_slot *slot;
    size_t mask;     /* slots - 1 (a power of two); unused without slots */
} wordset;

/* FNV-1a over one word of a key (up to a space or the end); *end is set
 * to the byte after it. */
static uint32_t word_hash(const char *w, const char **end)
{
    uint32_t h = 2166136261u;
    for (; *w && *w != ' '; w++)
        h = (h ^ (unsigned char)*w) * 16777619u;
    *end = w;
    return h;
}

/* Does the set hold the word (w, wn) of hash h? */
static bool wordset_has(const wordset *ws, const char *w, size_t wn, uint32_t h)
{
    if (!ws->slot)
        return false;
    for (size_t i = h & ws->mask; ws->slot[i].w; i = (i + 1) & ws->mask)
        if (ws->slot[i].n == wn && memcmp(ws->slot[i].w, w, wn) == 0)
            return true;
    return false;
}

/* Split a key into a word set (arena memory). */
static bool wordset_make(xctx *x, const char *key, wordset *ws)
{
    size_t n = 0, cap = 8;
    memset(ws, 0, sizeof *ws);
    for (const char *p = key; *p; p++)
        n += (p == key || p[-1] == ' ');
    if (!n)
        return true;
    while (cap < 2 * n)
        cap *= 2;
    ws->slot = mh_arena_alloc(&x->arena, cap * sizeof *ws->slot);
    if (!ws->slot) {
        x->err = MH_ENOMEM;
        return false;
    }
    memset(ws->slot, 0, cap * sizeof *ws->slot);
    ws->mask = cap - 1;
    for (const char *p = key; *p;) {
        const char *e;
        uint32_t h = word_hash(p, &e);
        size_t wn = (size_t)(e - p), i = h & ws->mask;
        while (ws->slot[i].w && !(ws->slot[i].n == wn && memcmp(ws->slot[i].w, p, wn) == 0))
            i = (i + 1) & ws->mask;
        ws->slot[i].w = p;
        ws->slot[i].n = wn;
        p = *e ? e + 1 : e;
    }
    return true;
}

/* Is key a a restatement of the lead: at least 6 words, 80% of them in
 * the lead's word set. */
static bool restates(const char *a, const wordset *lead, size_t words)
{
    size_t total = 0, hit = 0;
    if (!a || !lead || words < 6)
        return false;
    for (const char *p = a; *p;) {
        const char *e;
        uint32_t h = word_hash(p, &e);
        total++;
        hit += wordset_has(lead, p, (size_t)(e - p), h);
        p = *e ? e + 1 : e;
    }
    return total && hit * 10 >= total * 8;
}

/*
 * Could (s, n), after a date that ends a lead, be an outlet the table does
 * not know?  A name of at most three capitalised words, or a domain --
 * not a weekday and place ("Cumartesi Ankara Bilkent Otel"), a phrase
 * ("tarihinde Marmara Vakfının") or abbreviations ("İstanbul Avr.Şam").
 */
static bool unknown_outlet_name(xctx *x, const char *s, size_t n)
{
    char dom[256];
    if (!memchr(s, ' ', n) && memchr(s, '.', n) && mh_domain_lower(s, n, dom, sizeof dom))
        return true;
    if (count_words(s, n) > 3 || memchr(s, '.', n))
        return false;
    for (size_t i = 0; i < n;) {
        while (i < n && s[i] == ' ')
            i++;
        if (i >= n)
            break;
        size_t at = i;
        uint32_t cp = mh_utf8_next(s, n, &i);
        if (!mh_cp_is_upper(cp) && !(cp >= '0' && cp <= '9'))
            return false;
        while (i < n && s[i] != ' ')
            i++;
        if (at == 0) {
            const char *key = make_key(x, s, i);
            if (!key || (phrase_lists(key, strlen(key)) & L_WEEKDAY))
                return false;
        }
    }
    return true;
}

/* Find a trailing dateline in the lead: "... verdi. 28.10.2025, Sputnik
 * Türkiye".  On success sets the cut (bytes kept = *keep). */
static bool lead_dateline(xctx *x, xline *l, size_t *keep)
{
    const char *s = l->s;
    size_t n = l->n;
    size_t from = n > 90 ? n - 90 : 0;
    for (size_t i = from; i < n; i++) {
        if (i > 0 && s[i - 1] != ' ')
            continue;
        if (!is_digit((unsigned char)s[i]) && !((unsigned char)s[i] >= 'A' && (unsigned char)s[i] <= 'Z') &&
            (unsigned char)s[i] < 0x80)
            continue;
        char d[11];
        size_t k = mh_date_parse(s + i, n - i, d);
        if (!k)
            continue;
        /* before: a sentence end */
        size_t b = i;
        while (b > 0 && s[b - 1] == ' ')
            b--;
        if (b == 0)
            continue;
        char pc = s[b - 1];
        if (pc != '.' && pc != '!' && pc != '?' && pc != '"' && pc != '\'')
            continue;
        /* after: optional time, ", Outlet" or " - Outlet" */
        size_t j = i + k;
        while (j < n && s[j] == ' ')
            j++;
        j += time_at(s + j, n - j);
        while (j < n && (s[j] == ' ' || s[j] == ',' || s[j] == '-' || s[j] == '|'))
            j++;
        const char *name = s + j;
        size_t nn = n - j;
        while (nn && (name[nn - 1] == ' ' || name[nn - 1] == '.'))
            nn--;
        const char *o = nn ? mh_outlet_for_name(name, nn) : NULL;
        if (nn && !o && (nn > 40 || !unknown_outlet_name(x, name, nn)))
            continue;
        memcpy(x->dl_date, d, 11);
        if (o)
            x->dl_outlet = o;
        else if (nn)
            x->dl_outlet = arena_copy(x, name, nn);
        *keep = b;
        return true;
    }
    return false;
}

/* "ANKARA (AA) - ..." at the start of a paragraph, or "(AA)" at its end:
 * the agency credit of the text. */
static const char *paragraph_credit(xctx *x, const char *s, size_t n)
{
    const char *open = memchr(s, '(', n < 60 ? n : 60);
    if (open) {
        const char *close = memchr(open, ')', n - (size_t)(open - s));
        if (close && close - open <= 12) {
            size_t after = (size_t)(close + 1 - s);
            while (after < n && s[after] == ' ')
                after++;
            if (after < n && (s[after] == '-' || (unsigned char)s[after] == 0xE2)) {
                const char *c = credit_of(x, open + 1, (size_t)(close - open - 1), true);
                if (c)
                    return c;
            }
        }
    }
    if (n > 4 && s[n - 1] == ')') {
        const char *p = s + n - 1;
        while (p > s && *p != '(' && s + n - p < 14)
            p--;
        if (*p == '(' && p > s && p[-1] == ' ')
            return credit_of(x, p + 1, (size_t)(s + n - 1 - p - 1), true);
    }
    return NULL;
}

/* Date from a URL path: /20251028/, /2025/10/28/, /2025-10-28/. */
static bool url_date(const char *u, size_t n, char out[11])
{
    size_t i = 0;
    const char *p = memchr(u, ':', n < 10 ? n : 10);
    if (p && p + 3 <= u + n && p[1] == '/' && p[2] == '/') {
        i = (size_t)(p + 3 - u);
        while (i < n && u[i] != '/')
            i++;
    }
    for (; i < n; i++) {
        if (u[i] != '/')
            continue;
        const char *s = u + i + 1;
        size_t m = n - i - 1;
        size_t k = 0;
        while (k < m && is_digit((unsigned char)s[k]))
            k++;
        if (k == 8 && (k == m || s[k] == '/' || s[k] == '-' || s[k] == '_' || s[k] == '.')) {
            char buf[11];
            snprintf(buf, sizeof buf, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
            if (mh_date_parse(buf, 10, out) == 10)
                return true;
        }
        if (k == 4 && k + 6 <= m && (s[4] == '/' || s[4] == '-') &&
            is_digit((unsigned char)s[5]) && is_digit((unsigned char)s[6]) && s[7] == s[4] &&
            is_digit((unsigned char)s[8]) && is_digit((unsigned char)s[9]) &&
            (m == 10 || s[10] == '/' || s[10] == '-' || s[10] == '.')) {
            char buf[11];
            snprintf(buf, sizeof buf, "%.4s-%.2s-%.2s", s, s + 5, s + 8);
            if (mh_date_parse(buf, 10, out) == 10)
                return true;
        }
    }
    return false;
}

/* Host of a URL (points into it). */
static const char *url_host(const char *u, size_t n, size_t *hn)
{
    size_t i = 0;
    const char *p = memchr(u, ':', n < 10 ? n : 10);
    if (p && p + 3 <= u + n && p[1] == '/' && p[2] == '/')
        i = (size_t)(p + 3 - u);
    size_t e = i;
    while (e < n && u[e] != '/' && u[e] != '?' && u[e] != '#' && u[e] != ':')
        e++;
    *hn = e - i;
    return *hn ? u + i : NULL;
}

/* Category from the URL path segments (not the host, not the slug). */
static const char *url_category(const char *u, size_t n)
{
    size_t hn;
    const char *h = url_host(u, n, &hn);
    if (!h)
        return NULL;
    size_t i = (size_t)(h - u) + hn;
    while (i < n && u[i] == '/') {
        size_t e = i + 1;
        while (e < n && u[e] != '/' && u[e] != '?' && u[e] != '#')
            e++;
        if (e >= n || u[e] != '/')
            break;     /* the last segment is the article slug */
        const char *c = mh_category_canon(u + i + 1, e - i - 1);
        if (c)
            return c;
        i = e;
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* the extractor                                                       */
/* ------------------------------------------------------------------ */

static void remove_line(xline *l)
{
    if (l->fate == F_BODY)
        l->fate = F_REMOVED;
}

/* Drop a related block: from its heading while lines are headlines,
 * stamps or furniture. */
static void drop_block(xctx *x, size_t from, bool any_text)
{
    for (size_t j = from; j < x->n; j++) {
        xline *l = &x->l[j];
        /* The next heading drops its own block (this keeps the scan
         * linear on pages made of headings). */
        if (l->fate == F_TITLE || l->fate == F_LEAD || l->cls == C_RELATED || l->cls == C_END)
            break;
        if (l->cls == C_TEXT) {
            if (!headline_like(l) && !(any_text && !paragraph_like(l)))
                break;
        }
        remove_line(l);
    }
}

mh_err mh_extract(const mh_record *r, const mh_template_oracle *tpl, mh_article **out)
{
    return mh_extract_ex(r, tpl, 0, out);
}

mh_err mh_extract_ex(const mh_record *r, const mh_template_oracle *tpl, unsigned flags,
                     mh_article **out)
{
    xctx x;
    mh_article *a = NULL;
    mh_buf body;
    mh_err rc = MH_OK;
    mh_analyzer *an = NULL;
    mh_doc *doc = NULL;
    char *title_clean = NULL;

    if (!out || !r || (!r->text && r->text_len))
        return MH_EINVAL;
    *out = NULL;
    pthread_once(&phrase_once, phrase_init);
    memset(&x, 0, sizeof x);
    x.r = r;
    x.title_at = x.lead_at = -1;
    mh_arena_init(&x.arena, 0);
    mh_buf_init(&body, 0);

    /* ---- lines ---- */
    const char *t = r->text ? r->text : "";
    size_t tn = r->text_len;
    size_t nl = 1;
    for (const char *p = t; (p = memchr(p, '\n', tn - (size_t)(p - t))) != NULL; p++)
        nl++;
    x.l = mh_malloc(nl * sizeof *x.l);
    if (!x.l) {
        rc = MH_ENOMEM;
        goto out;
    }
    {
        size_t i = 0, idx = 0;
        while (i <= tn) {
            const char *e = memchr(t + i, '\n', tn - i);
            size_t end = e ? (size_t)(e - t) : tn;
            size_t a0 = i, b0 = end;
            while (a0 < b0 && t[a0] == ' ')
                a0++;
            while (b0 > a0 && t[b0 - 1] == ' ')
                b0--;
            if (b0 > a0) {
                xline *l = &x.l[x.n++];
                memset(l, 0, sizeof *l);
                l->s = t + a0;
                l->n = b0 - a0;
                l->hint = r->line_hints && idx < r->n_line_hints ? r->line_hints[idx]
                                                                  : MH_LINE_TEXT;
            }
            idx++;
            if (!e)
                break;
            i = end + 1;
        }
    }
    for (size_t i = 0; i < x.n && !x.err; i++) {
        if (x.l[i].hint == MH_LINE_BOILER) {
            x.l[i].fate = F_REMOVED;
            x.l[i].words = count_words(x.l[i].s, x.l[i].n);
            x.l[i].key = x.l[i].n <= 300 ? make_key(&x, x.l[i].s, x.l[i].n) : NULL;
            continue;
        }
        classify(&x, &x.l[i]);
    }
    if (x.err) {
        rc = x.err;
        goto out;
    }

    /* ---- URL and outlet ---- */
    const char *url = r->url;
    size_t url_n = url ? strlen(url) : 0;
    /* A header names the page's URL anywhere; a bare URL line only in
     * the first two lines of the page or as its last line: one in the
     * middle of the text is a link the article gives. */
    for (size_t i = 0; i < x.n && !url; i++)
        if ((x.l[i].cls == C_META || (x.l[i].cls == C_URL && (i < 2 || i + 1 == x.n))) &&
            x.l[i].url && x.l[i].fate == F_BODY) {
            url = x.l[i].url;
            url_n = x.l[i].url_n;
        }
    const char *outlet = NULL;
    if (url) {
        size_t hn;
        const char *h = url_host(url, url_n, &hn);
        if (h)
            outlet = mh_outlet_for_host(h, hn);
    }
    if (!outlet && r->outlet) {
        const char *o = mh_outlet_for_name(r->outlet, strlen(r->outlet));
        outlet = o ? o : r->outlet;
    }
    for (size_t i = 0; i < x.n && !outlet; i++)
        if (x.l[i].cls == C_MENU && x.l[i].outlet && x.l[i].fate == F_BODY)
            outlet = x.l[i].outlet;
    for (size_t i = 0; i < x.n && !outlet; i++)
        if (x.l[i].cls == C_HASHTAG && x.l[i].outlet && x.l[i].fate == F_BODY)
            outlet = x.l[i].outlet;

    /* ---- template lines known for this outlet ---- */
    if (tpl && tpl->is_template && outlet)
        for (size_t i = 0; i < x.n; i++)
            if (x.l[i].fate == F_BODY &&
                tpl->is_template(tpl->ctx, outlet, x.l[i].s, x.l[i].n))
                x.l[i].fate = F_REMOVED;

    /* ---- furniture classes never reach the body ---- */
    for (size_t i = 0; i < x.n; i++)
        if (x.l[i].cls != C_TEXT && x.l[i].cls != C_CATEGORY)
            remove_line(&x.l[i]);

    /* ---- title ---- */
    if (r->title && *r->title) {
        const char *ti = r->title;
        /* Breadcrumb residue some sites put before the headline. */
        if (strncmp(ti, "Haberler ", 9) == 0 || strncmp(ti, "HABERLER ", 9) == 0)
            ti += 9;
        x.title = ti;
        x.title_n = strlen(ti);
    } else {
        bool after_block = false;
        for (size_t i = 0; i < x.n; i++) {
            xline *l = &x.l[i];
            if (l->cls == C_RELATED || l->cls == C_END)
                after_block = true;
            if (l->fate != F_BODY || l->cls == C_CATEGORY)
                continue;
            if (after_block) {
                /* Past a related-headlines heading a headline is someone
                 * else's, unless an article (a paragraph) follows. */
                bool para = false;
                for (size_t j = i + 1; j < x.n && !para; j++)
                    para = paragraph_like(&x.l[j]);
                if (!para)
                    break;
            }
            if (title_like(l)) {
                l->fate = F_TITLE;
                x.title_at = (long)i;
                x.title = l->s;
                x.title_n = l->n;
            }
            break;
        }
    }
    if (x.title) {
        x.title_key = make_key(&x, x.title, x.title_n);
        for (size_t i = 0; i < x.n; i++) {
            xline *l = &x.l[i];
            if ((long)i == x.title_at || !l->key || !x.title_key || strcmp(l->key, x.title_key) != 0)
                continue;
            if (x.title_at < 0 && l->fate == F_BODY) {
                /* The hint's headline in the text: that is where it is. */
                l->fate = F_TITLE;
                x.title_at = (long)i;
                continue;
            }
            l->repeat = true;
            l->fate = F_REMOVED;
        }
    }
    if (x.err) {
        rc = x.err;
        goto out;
    }
    /* Headline-like lines above the title are page furniture. */
    for (long i = 0; i < x.title_at; i++)
        if (headline_like(&x.l[i]))
            remove_line(&x.l[i]);

    /* ---- related blocks, end markers, the sidebar tail ---- */
    for (size_t i = 0; i < x.n; i++) {
        xline *l = &x.l[i];
        if (l->cls == C_RELATED)
            drop_block(&x, i + 1, false);
        else if (l->cls == C_END)
            drop_block(&x, i + 1, false);
    }
    {
        /* The run must end at a paragraph of the article: a page made of
         * short lines only (a listing, credits, a poem) is left alone. */
        size_t heads = 0, stamps = 0, start = x.n;
        bool end_mark = false, paragraph = false;
        for (size_t i = x.n; i-- > 0;) {
            xline *l = &x.l[i];
            if (l->fate == F_TITLE || l->fate == F_LEAD)
                break;
            if (l->cls == C_TEXT && l->fate == F_BODY) {
                if (!headline_like(l)) {
                    paragraph = true;
                    break;
                }
                heads++;
            } else if (l->cls == C_STAMP) {
                stamps++;
            } else if (l->cls == C_END || l->cls == C_RELATED) {
                end_mark = true;
            }
            start = i;
        }
        if (paragraph && (heads >= 2 || (heads >= 1 && (stamps >= 1 || end_mark))))
            for (size_t i = start; i < x.n; i++)
                remove_line(&x.l[i]);
    }

    /* ---- lead ---- */
    wordset lead_ws;
    memset(&lead_ws, 0, sizeof lead_ws);
    if (r->lead && *r->lead) {
        x.lead = r->lead;
        x.lead_n = strlen(r->lead);
        x.lead_key = make_key(&x, x.lead, x.lead_n);
        if (x.lead_key)
            wordset_make(&x, x.lead_key, &lead_ws);
        for (size_t i = 0; i < x.n; i++) {
            xline *l = &x.l[i];
            if (l->fate != F_BODY || !l->key || !x.lead_key)
                continue;
            if (strcmp(l->key, x.lead_key) == 0 && x.lead_at < 0) {
                l->fate = F_LEAD;
                x.lead_at = (long)i;
            } else if (strcmp(l->key, x.lead_key) == 0 ||
                       restates(l->key, &lead_ws, l->words)) {
                l->repeat = true;
                l->fate = F_REMOVED;
            }
        }
    } else {
        size_t from = x.title_at >= 0 ? (size_t)x.title_at + 1 : 0;
        for (size_t i = from; i < x.n; i++) {
            xline *l = &x.l[i];
            if (l->fate != F_BODY || l->cls == C_CATEGORY)
                continue;
            bool ok = l->cls == C_TEXT && l->words >= 5 && l->n <= 1200 &&
                      (l->words >= 8 || ends_sentence(l->s, l->n)) && !all_caps(l->s, l->n);
            if (ok) {
                /* Only when body is left after it. */
                bool more = false;
                for (size_t j = i + 1; j < x.n && !more; j++)
                    more = x.l[j].fate == F_BODY && x.l[j].cls == C_TEXT;
                if (more) {
                    l->fate = F_LEAD;
                    x.lead_at = (long)i;
                    size_t keep = l->n;
                    if (lead_dateline(&x, l, &keep)) {
                        l->cut_off = keep;
                        l->cut_n = l->n - keep;
                        while (l->cut_off < l->n && l->s[l->cut_off] == ' ') {
                            l->cut_off++;
                            l->cut_n--;
                        }
                    }
                    x.lead = l->s;
                    x.lead_n = l->cut_n ? keep : l->n;
                }
            }
            break;
        }
        if (x.lead) {
            x.lead_key = make_key(&x, x.lead, x.lead_n);
            if (x.lead_key)
                wordset_make(&x, x.lead_key, &lead_ws);
            for (size_t i = 0; i < x.n; i++) {
                xline *l = &x.l[i];
                if (l->fate != F_BODY || !l->key || !x.lead_key)
                    continue;
                if (strcmp(l->key, x.lead_key) == 0 || restates(l->key, &lead_ws, l->words)) {
                    l->repeat = true;
                    l->fate = F_REMOVED;
                }
            }
        }
    }
    if (x.err) {
        rc = x.err;
        goto out;
    }

    /* ---- header zone: up to the first body line after title/lead ---- */
    {
        size_t from = 0;
        if (x.lead_at >= 0)
            from = (size_t)x.lead_at + 1;
        else if (x.title_at >= 0)
            from = (size_t)x.title_at + 1;
        x.header_end = x.n;
        for (size_t i = from; i < x.n; i++)
            if (x.l[i].fate == F_BODY && x.l[i].cls == C_TEXT) {
                x.header_end = i;
                break;
            }
    }

    /* ---- category labels: metadata in the header, text in the body ----
     * A lone "Türkiye" or "Spor" between two body lines is a sentence
     * broken by the scraper, not a label; anywhere else it is a label. */
    for (size_t i = 0; i < x.n; i++) {
        xline *l = &x.l[i];
        if (l->cls != C_CATEGORY || l->fate != F_BODY)
            continue;
        bool inside = i >= x.header_end && i > 0 && i + 1 < x.n &&
                      x.l[i - 1].fate == F_BODY && x.l[i - 1].cls == C_TEXT &&
                      x.l[i + 1].fate == F_BODY && x.l[i + 1].cls == C_TEXT;
        if (!inside)
            l->fate = F_REMOVED;
    }

    /* ---- no body left: give back what repeats took ---- */
    {
        bool any = false;
        for (size_t i = 0; i < x.n && !any; i++)
            any = x.l[i].fate == F_BODY;
        if (!any && x.lead_at >= 0 && !r->lead) {
            xline *l = &x.l[x.lead_at];
            l->fate = F_BODY;
            l->cut_off = l->cut_n = 0;
            x.header_end = (size_t)x.lead_at;   /* the body starts there now */
            x.dl_date[0] = 0;
            x.dl_outlet = NULL;
            x.lead_at = -1;
            x.lead = NULL;
            any = true;
        }
        if (!any)
            for (size_t i = 0; i < x.n; i++)
                if (x.l[i].repeat && x.l[i].cls == C_TEXT && x.lead_key &&
                    x.l[i].key && strcmp(x.l[i].key, x.title_key ? x.title_key : "") != 0) {
                    x.l[i].fate = F_BODY;
                    x.l[i].repeat = false;
                    any = true;
                }
        if (!any && x.title_at >= 0 && !r->title) {
            /* A page of one sentence: it is the body, not a headline. */
            xline *l = &x.l[x.title_at];
            if (ends_sentence(l->s, l->n) || l->words >= 12) {
                l->fate = F_BODY;
                x.header_end = (size_t)x.title_at;
                x.title_at = -1;
                x.title = NULL;
                x.title_n = 0;
                any = true;
            }
        }
        if (!any) {
            rc = MH_EEMPTY;
            goto out;
        }
    }

    /* ---- a title echoed at the start of the first body line (JSON) ---- */
    if (x.title && x.title_at < 0) {
        for (size_t i = 0; i < x.n; i++) {
            xline *l = &x.l[i];
            if (l->fate != F_BODY || l->cls != C_TEXT)
                continue;
            size_t lim = l->n < 60 + x.title_n ? l->n : 60 + x.title_n;
            const char *p = NULL;
            for (size_t k = 0; k + x.title_n <= lim && k <= 40; k++)
                if (memcmp(l->s + k, x.title, x.title_n) == 0 && (k == 0 || l->s[k - 1] == ' ')) {
                    p = l->s + k;
                    break;
                }
            if (p) {
                size_t cut = (size_t)(p - l->s) + x.title_n;
                while (cut < l->n && l->s[cut] == ' ')
                    cut++;
                while (l->n - cut > x.title_n && memcmp(l->s + cut, x.title, x.title_n) == 0) {
                    cut += x.title_n;
                    while (cut < l->n && l->s[cut] == ' ')
                        cut++;
                }
                if (l->n - cut >= 100) {
                    l->cut_off = 0;
                    l->cut_n = cut;
                }
            }
            break;
        }
    }

    /* ---- date ---- */
    char date[11] = "";
    if (r->date) {
        const char *d = r->date;
        while (*d == ' ')
            d++;
        if (!mh_date_parse(d, strlen(d), date))
            date[0] = 0;
    }
    for (size_t i = 0; i < x.n && !date[0]; i++)
        if (x.l[i].cls == C_META && x.l[i].has_date && x.l[i].hint != MH_LINE_BOILER)
            memcpy(date, x.l[i].date, 11);
    for (size_t i = 0; i < x.header_end && !date[0]; i++) {
        xline *l = &x.l[i];
        if (l->cls != C_STAMP || l->hint == MH_LINE_BOILER || l->update_label)
            continue;
        /* Part of a list of stamps is not the page's own stamp. */
        bool listed = (i + 1 < x.n && x.l[i + 1].cls == C_STAMP) ||
                      (i + 2 < x.n && x.l[i + 2].cls == C_STAMP && headline_like(&x.l[i + 1]));
        if (listed)
            continue;
        if (l->has_date)
            memcpy(date, l->date, 11);
        else if (l->reldate[0])
            memcpy(date, l->reldate, 11);
    }
    for (size_t i = 0; i < x.n && !date[0]; i++)
        if (x.l[i].cls == C_STAMP && x.l[i].pub_label && x.l[i].has_date &&
            x.l[i].hint != MH_LINE_BOILER)
            memcpy(date, x.l[i].date, 11);
    if (!date[0] && x.dl_date[0])
        memcpy(date, x.dl_date, 11);
    if (!date[0] && url && !url_date(url, url_n, date))
        date[0] = 0;
    if (date[0] && r->crawl_time > 0) {
        /* Nothing is published after it was fetched (a day of slack for
         * time zones). */
        int64_t when = mh_date_to_unix(date, 10);
        if (when > r->crawl_time + 86400)
            date[0] = 0;
    }

    /* ---- outlet from the dateline, or the bare host ---- */
    if (!outlet && x.dl_outlet)
        outlet = x.dl_outlet;
    char *host_copy = NULL;
    if (!outlet && url) {
        size_t hn;
        const char *h = url_host(url, url_n, &hn);
        if (h) {
            if (hn > 4 && memcmp(h, "www.", 4) == 0) {
                h += 4;
                hn -= 4;
            }
            host_copy = arena_copy(&x, h, hn);
            if (host_copy)
                for (size_t k = 0; k < hn; k++)
                    host_copy[k] = ascii_lower(host_copy[k]);
            outlet = host_copy;
        }
    }

    /* ---- source ---- */
    const char *source = NULL;
    if (r->source && *r->source) {
        const char *c = mh_outlet_credit(r->source, strlen(r->source), NULL);
        source = c ? c : r->source;
    }
    for (size_t i = 0; i < x.n && !source; i++)
        if (x.l[i].cls == C_KAYNAK && x.l[i].source && x.l[i].hint != MH_LINE_BOILER)
            source = x.l[i].source;
    for (size_t i = 0; i < x.n && !source; i++)
        if (x.l[i].cls == C_CREDIT && x.l[i].source && x.l[i].hint != MH_LINE_BOILER)
            source = x.l[i].source;
    if (!source) {
        /* An agency dateline opens the lead or the first body paragraph;
         * a closing "(AA)" ends the last one. */
        long first[2] = { -1, -1 }, last = -1;
        for (size_t i = 0; i < x.n; i++)
            if (x.l[i].fate == F_BODY || x.l[i].fate == F_LEAD) {
                if (first[0] < 0)
                    first[0] = (long)i;
                else if (first[1] < 0)
                    first[1] = (long)i;
                last = (long)i;
            }
        for (int k = 0; k < 2 && !source; k++)
            if (first[k] >= 0)
                source = paragraph_credit(&x, x.l[first[k]].s, x.l[first[k]].n);
        if (!source && last >= 0)
            source = paragraph_credit(&x, x.l[last].s, x.l[last].n);
    }

    /* ---- category ---- */
    const char *category = NULL;
    if (r->category && *r->category)
        category = mh_category_canon(r->category, strlen(r->category));
    for (size_t i = 0; i < x.header_end && !category; i++) {
        xline *l = &x.l[i];
        if ((l->cls == C_CATEGORY || l->cls == C_STAMP) && l->category &&
            l->hint != MH_LINE_BOILER)
            category = l->category;
    }
    if (!category && url)
        category = url_category(url, url_n);
    if (x.err) {
        rc = x.err;
        goto out;
    }

    /* ---- the article ---- */
    a = mh_malloc(sizeof *a);
    if (!a) {
        rc = MH_ENOMEM;
        goto out;
    }
    memset(a, 0, sizeof *a);
    a->record = r->index;
    size_t n_removed = 0;
    for (size_t i = 0; i < x.n; i++)
        n_removed += (x.l[i].fate == F_REMOVED) + (x.l[i].cut_n > 0);
    a->removed = mh_malloc((n_removed ? n_removed : 1) * sizeof *a->removed);
    if (!a->removed) {
        rc = MH_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < x.n; i++) {
        xline *l = &x.l[i];
        if (l->fate == F_REMOVED) {
            a->removed[a->n_removed] = mh_strndup(l->s, l->n);
            if (!a->removed[a->n_removed++]) {
                rc = MH_ENOMEM;
                goto out;
            }
            continue;
        }
        if (l->cut_n) {
            const char *cs = l->s + l->cut_off;
            size_t cn = l->cut_n;
            while (cn && cs[cn - 1] == ' ')
                cn--;
            a->removed[a->n_removed] = mh_strndup(cs, cn);
            if (!a->removed[a->n_removed++]) {
                rc = MH_ENOMEM;
                goto out;
            }
        }
        if (l->fate == F_BODY) {
            size_t off = l->cut_off == 0 ? l->cut_n : 0;
            size_t len = l->cut_off == 0 ? l->n - l->cut_n : l->cut_off;
            if (body.len)
                mh_buf_addc(&body, '\n');
            mh_buf_add(&body, l->s + off, len);
        }
    }
    if (body.err) {
        rc = body.err;
        goto out;
    }
    if (body.len == 0) {
        rc = MH_EEMPTY;
        goto out;
    }
    size_t bn = 0;
    rc = mh_unglue(body.p, body.len, &a->body, &bn);
    if (rc)
        goto out;
    if (x.title) {
        rc = mh_clean(x.title, x.title_n, 0, &title_clean, NULL);
        if (rc)
            goto out;
        a->title = title_clean;
        title_clean = NULL;
    }
    if (x.lead) {
        size_t ln = 0;
        rc = mh_unglue(x.lead, x.lead_n, &a->lead, &ln);
        if (rc)
            goto out;
    }
    a->path = mh_strdup(r->path);
    a->url = url ? mh_strndup(url, url_n) : NULL;
    a->outlet = mh_strdup(outlet);
    a->source = mh_strdup(source);
    a->category = mh_strdup(category);
    a->date = date[0] ? mh_strdup(date) : NULL;
    if ((r->path && !a->path) || (url && !a->url) || (outlet && !a->outlet) ||
        (source && !a->source) || (category && !a->category) || (date[0] && !a->date)) {
        rc = MH_ENOMEM;
        goto out;
    }

    /* ---- sentences ---- */
    if (flags & MH_EXTRACT_NO_SENTENCES)
        goto hash;
    an = mh_analyzer_new();
    if (!an) {
        rc = MH_ENOMEM;
        goto out;
    }
    rc = mh_analyze(an, a->body, bn, MH_AN_NOSTEM, &doc);
    if (rc)
        goto out;
    if (doc->n_sentences) {
        a->sentences = mh_malloc(doc->n_sentences * sizeof *a->sentences);
        if (!a->sentences) {
            rc = MH_ENOMEM;
            goto out;
        }
        memcpy(a->sentences, doc->sentences, doc->n_sentences * sizeof *a->sentences);
        a->n_sentences = doc->n_sentences;
    }

    /* ---- content hash: title + "\n" + body ---- */
hash:
    {
        XXH3_state_t *st = XXH3_createState();
        if (!st) {
            rc = MH_ENOMEM;
            goto out;
        }
        XXH3_128bits_reset(st);
        if (a->title)
            XXH3_128bits_update(st, a->title, strlen(a->title));
        XXH3_128bits_update(st, "\n", 1);
        XXH3_128bits_update(st, a->body, bn);
        XXH128_hash_t h = XXH3_128bits_digest(st);
        XXH3_freeState(st);
        XXH128_canonical_t c;
        XXH128_canonicalFromHash(&c, h);
        static const char hex[] = "0123456789abcdef";
        for (int i = 0; i < 16; i++) {
            a->hash[2 * i] = hex[c.digest[i] >> 4];
            a->hash[2 * i + 1] = hex[c.digest[i] & 15];
        }
        a->hash[32] = 0;
    }
    *out = a;
    a = NULL;
out:
    mh_doc_free(doc);
    mh_analyzer_free(an);
    mh_free(title_clean);
    mh_article_free(a);
    mh_buf_free(&body);
    mh_arena_free(&x.arena);
    mh_free(x.l);
    return rc;
}

void mh_article_free(mh_article *a)
{
    if (!a)
        return;
    mh_free(a->path);
    mh_free(a->url);
    mh_free(a->outlet);
    mh_free(a->source);
    mh_free(a->title);
    mh_free(a->date);
    mh_free(a->category);
    mh_free(a->lead);
    mh_free(a->body);
    for (size_t i = 0; i < a->n_removed; i++)
        mh_free(a->removed[i]);
    mh_free(a->removed);
    mh_free(a->sentences);
    mh_free(a);
}
