/*
 * text.c -- sentences and tokens of clean Turkish text (output of
 * mh_clean), with byte offsets into the text.
 *
 * Sentences.  A line end is always a boundary.  Inside a line a boundary
 * candidate is a run of '.', '!', '?' or '…', followed by closing quotes
 * or brackets; whether it is a boundary depends on what comes next and on
 * the word before it:
 *  - followed by a lowercase letter: never a boundary ("vb. gibi",
 *    "...\" dedi.", "Ne? diye sordu");
 *  - a single '.' after a title abbreviation (Dr. Prof. Av. No. ...), a
 *    dotted abbreviation (T.C. A.Ş. M.Ö.), an initial (M. Kemal), a Roman
 *    numeral (II. Dünya) or a short number (3. Avrasya, an ordinal): not a
 *    boundary;
 *  - digits on both sides (28.10.2025, 4.2): not a boundary;
 *  - glued sentences, a lowercase letter, the terminator and an uppercase
 *    letter or an opening quote with no space ("söyledi.Belarus",
 *    "vurguladı.'START"): a boundary; so is a closing single quote glued
 *    to a capital ("konuşulmuyor'Lavrov"), and a heading in capitals that
 *    ends in '?' or '!' glued to a capitalised word ("NASIL
 *    YAPILACAK?Kampanyadan");
 *  - domains (HABER7.COM, haber7.com) are not glued sentences: the letter
 *    before the dot is not lowercase or the letter after it is not
 *    uppercase;
 *  - a heading in capitals glued to the sentence after it, where a
 *    scraper lost the line end ("YENİ DÖNEM BAŞLIYOR Bakanlık ..."): a
 *    boundary before the first capitalised word with lowercase letters
 *    (heading_end says when); so is a quotation opening a sentence and
 *    followed by a space and a capitalised word ('"Yeni dönem başlıyor"
 *    Bakanlık ...', glued_after), a quoted heading;
 *  - quotations: an opening quote whose closing quote (same line) is
 *    followed by a lowercase word or a comma is an attributed quotation
 *    ("...\" dedi.", "...' sözlerine yer verdi."): the whole quotation,
 *    however many sentences it holds, belongs to the sentence that reports
 *    it, so no boundary inside.  An unattributed quotation (a quoted
 *    paragraph) is split as ordinary text.
 * Quote marks are told apart by their neighbours: ' between two letters is
 * an apostrophe (Rusya'nın), after a space it opens, before a space it
 * closes.
 *
 * Tokens are words (letters, digits, marks; "T.C." and domains keep their
 * inner dots; '-' splits "Putin-Trump" into two tokens, which is better for
 * search) and numbers (28.10.2025, 4,3, 1.000).  An apostrophe followed by
 * a short lowercase letter run (at most MAX_SUFFIX letters; uppercase after
 * an all-caps base: İSTANBUL'DAKİ) is a suffix: "Lavrov'un" is the token
 * "Lavrov" with suffix "un".
 *
 * Stems.  A word in proper-noun position (an apostrophe suffix, or a
 * capitalised word after a word or comma inside a sentence) is never cut
 * into: of its norm, the Snowball stem of the norm and the Snowball stem
 * of norm + suffix, the shortest one is taken whose cut from the norm is
 * a compound, plural or plural possessive ending ("", sı si su sü, lar
 * ler, ları leri; ı i u ü only after a softened consonant), so that
 * "Antlaşması'nın" -> "antlaşma", "Birliği" -> "birlik", "Türkler" ->
 * "türk", but "Putin" stays "putin" (Snowball: "put"), "Biden" stays
 * "biden" (Snowball: "bi") and "Kayseri" stays "kayseri".
 * Other words get mh_stemmer_stem.  A lowercase query word has no such
 * context, so search should match the fold of the norm as well as the
 * fold of the stem.
 *
 * Limits: sentence rules are heuristics, measured on UD Turkish BOUN and
 * Penn with tools/ud_eval.c (boundary precision 0.94-0.97, recall over
 * the boundaries after punctuation 0.94-0.98; UD also splits unpunctuated
 * lines and some quotations, which this splitter keeps together);
 * all-caps headlines without punctuation are one sentence per line; a
 * quotation is looked for within its line only.
 */
#include "internal.h"

#include <pthread.h>

#define MAX_SUFFIX     10     /* letters after an apostrophe taken as a suffix */
#define QUOTE_MAX      4000   /* bytes: longer quotations are split as text */
#define WORD_BACK      64     /* bytes looked at before a terminator */
#define DOMAIN_MAX     253    /* bytes of a domain name at most */
#define NONE           ((size_t)-1)

/* Tokens up to SMALL_TOKEN bytes (nearly all) are lowercased and folded
 * into fixed arrays; longer ones go through the growable buffers. */
#define SMALL_TOKEN    128
#define SMALL_CAP      (3 * SMALL_TOKEN + 1)   /* see lower_fold_small */

/*
 * The memo of the last texts analysed with stems.  An ingest worker
 * analyses an article's title and lead with stems for the index, then
 * again without stems for quotes and with stems for stories: the same
 * text, the same tokens (without stems a token is the same but for stem =
 * norm), three times over.  A short text tokenized with stems from start
 * to end is written down (its sentences, and its tokens with their
 * strings); a later analysis of the same bytes, with or without stems,
 * replays it.  Replaying gives the callbacks what the engine would give,
 * in the same order: both only read the text.
 */
#define MEMO_TEXT_MAX 1024      /* bytes: titles and leads, not bodies */
#define MEMO_N        2         /* texts kept (title and lead) */

/* A token written down: its strings are offsets into the memo's str. */
typedef struct mtok {
    mh_token t;                 /* string pointers unused */
    uint32_t norm, suffix, fold, stem, stem_fold;
} mtok;

typedef struct memo {
    bool valid;                 /* a whole stemmed run was written down */
    bool err;                   /* writing it failed: not kept */
    unsigned long stamp;        /* last use, for replacing the oldest */
    mh_buf text, str;
    mh_span *sents;
    size_t n_sents, cap_sents;
    mtok *toks;
    size_t n_toks, cap_toks;
} memo;

struct mh_analyzer {
    mh_stemmer *st;
    mh_buf norm, suffix, fold, stem, sfold, joined;
    char small_norm[SMALL_CAP], small_fold[SMALL_CAP], small_suffix[SMALL_CAP];
    memo memo[MEMO_N];
    unsigned long clock;
    bool in_run;                /* a callback analysing again skips the memo */
};

/*
 * Lowercase and fold of the two-byte code points (U+0080..U+07FF, where
 * every Turkish letter is), taken once from turkish.c so that a token's
 * letters cost a table read each instead of three calls: two_lower[cp] is
 * mh_tr_lower_cp(cp), two_fold[cp] the fold lower_fold_small makes of
 * that lowercase.  mh_analyzer_new fills them (pthread_once), so every
 * tokenizer finds them ready.
 */
#define TWO_N 0x800

static uint32_t two_lower[TWO_N], two_fold[TWO_N];
static pthread_once_t two_once = PTHREAD_ONCE_INIT;

static void two_init(void)
{
    for (uint32_t cp = 0x80; cp < TWO_N; cp++) {
        uint32_t l = mh_tr_lower_cp(cp);
        two_lower[cp] = l;
        two_fold[cp] = l < 0x80 ? l : mh_tr_fold_cp(mh_tr_lower_cp(l));
    }
}

mh_analyzer *mh_analyzer_new(void)
{
    pthread_once(&two_once, two_init);
    mh_analyzer *a = mh_malloc(sizeof *a);
    if (!a)
        return NULL;
    memset(a, 0, sizeof *a);
    mh_buf *bufs[] = { &a->norm, &a->suffix, &a->fold, &a->stem, &a->sfold,
                       &a->joined };
    for (size_t i = 0; i < MH_ARRAY_LEN(bufs); i++)
        mh_buf_init(bufs[i], 0);
    for (size_t i = 0; i < MEMO_N; i++) {
        mh_buf_init(&a->memo[i].text, 0);
        mh_buf_init(&a->memo[i].str, 0);
    }
    a->st = mh_stemmer_new();
    if (!a->st) {
        mh_free(a);
        return NULL;
    }
    return a;
}

void mh_analyzer_free(mh_analyzer *a)
{
    if (!a)
        return;
    mh_stemmer_free(a->st);
    mh_buf *bufs[] = { &a->norm, &a->suffix, &a->fold, &a->stem, &a->sfold,
                       &a->joined };
    for (size_t i = 0; i < MH_ARRAY_LEN(bufs); i++)
        mh_buf_free(bufs[i]);
    for (size_t i = 0; i < MEMO_N; i++) {
        mh_buf_free(&a->memo[i].text);
        mh_buf_free(&a->memo[i].str);
        mh_free(a->memo[i].sents);
        mh_free(a->memo[i].toks);
    }
    mh_free(a);
}

const char *mh_stem(mh_analyzer *a, const char *word, size_t n, size_t *out_len)
{
    if (!a || (!word && n))
        return NULL;
    return mh_stemmer_stem(a->st, word, n, out_len);
}

/* ------------------------------------------------------------------ */
/* Character helpers                                                   */
/* ------------------------------------------------------------------ */

/* The code point at s[*k] (k < n), advancing *k, exactly as mh_utf8_next
 * decodes it.  ASCII and the two-byte sequences (every Turkish letter) are
 * decoded here, inline, because the tokenizer reads every character. */
static inline uint32_t next_cp(const char *s, size_t n, size_t *k)
{
    size_t i = *k;
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
        *k = i + 1;
        return c;
    }
    if (c >= 0xC2 && c <= 0xDF && i + 1 < n && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
        *k = i + 2;
        return (uint32_t)(c & 0x1F) << 6 | ((unsigned char)s[i + 1] & 0x3F);
    }
    return mh_utf8_next(s, n, k);
}

/* Code point at i (i < n), next index in *nx. */
static inline uint32_t cp_at(const char *s, size_t n, size_t i, size_t *nx)
{
    size_t k = i;
    uint32_t cp = next_cp(s, n, &k);
    if (nx)
        *nx = k;
    return cp;
}

/* Character classes of turkish.c with ASCII decided inline (the same
 * answers as its tables): most characters of news text are ASCII, and
 * these run for every one of them. */
static inline bool cp_letter(uint32_t cp)
{
    return cp < 0x80 ? (cp | 32) >= 'a' && (cp | 32) <= 'z' : mh_cp_is_letter(cp);
}

static inline bool cp_upper(uint32_t cp)
{
    return cp < 0x80 ? cp >= 'A' && cp <= 'Z' : mh_cp_is_upper(cp);
}

static inline bool cp_lower(uint32_t cp)
{
    return cp < 0x80 ? cp >= 'a' && cp <= 'z' : mh_cp_is_lower(cp);
}

static inline bool cp_mark(uint32_t cp)
{
    return cp >= 0x80 && mh_cp_is_mark(cp);
}

static inline bool cp_digit(uint32_t cp)
{
    return cp < 0x80 ? cp >= '0' && cp <= '9' : mh_cp_is_digit(cp);
}

/* Code point ending right before i (i > lo), its start in *st. */
static inline uint32_t cp_before(const char *s, size_t lo, size_t i, size_t *st)
{
    size_t k = i - 1;
    if ((unsigned char)s[k] < 0x80) {           /* the common case, decided here */
        if (st)
            *st = k;
        return (unsigned char)s[k];
    }
    int back = 0;
    while (k > lo && back < 3 && ((unsigned char)s[k] & 0xC0) == 0x80) {
        k--;
        back++;
    }
    size_t j = k;
    uint32_t cp = mh_utf8_next(s, i, &j);
    if (j != i) {               /* not a clean sequence: take the last byte */
        k = i - 1;
        cp = 0xFFFD;
    }
    if (st)
        *st = k;
    return cp;
}

static inline bool is_sp(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static inline bool is_wordcp(uint32_t cp)
{
    if (cp < 0x80)
        return ((cp | 32) >= 'a' && (cp | 32) <= 'z') || (cp >= '0' && cp <= '9');
    return cp_letter(cp) || cp_digit(cp) || cp_mark(cp);
}

static inline bool is_ascii_alnum(unsigned char c)
{
    return ((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= '0' && c <= '9');
}

/* ------------------------------------------------------------------ */
/* Abbreviations                                                       */
/* ------------------------------------------------------------------ */

/* Abbreviations that are followed by a name or a number, never by the end
 * of a sentence (compared on the ASCII fold of the word).  "vb." and
 * "vs." are not here: they often end a sentence. */
static const char *const title_abbrev[] = {
    "alb", "apt", "arş", "ars", "as", "asb", "av", "bkz", "bl", "blv", "bnb", "bul",
    "cad", "co", "corp", "cvs", "doc", "dr", "dt", "dz", "ecz", "gen", "gn",
    "gnl", "gor", "hz", "inc", "jr", "kd", "korg", "kur", "ltd", "mah", "mh",
    "mim", "mr", "mrs", "ms", "mud", "muh", "no", "nr", "ogr", "op", "or",
    "org", "prof", "s", "sn", "sok", "sr", "st", "sti", "sy", "syf", "tel",
    "tgm", "tugg", "tumg", "utgm", "uzm", "vol", "yrd", "yy", "yzb",
};

/* ASCII fold of (s, n) into out[cap]; false when it does not fit or is not
 * ASCII after folding. */
static bool fold_small(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = 0, o = 0;
    while (k < n) {
        unsigned char c = (unsigned char)s[k];
        if (c < 0x80) {
            /* ASCII, decided here: 'I' lowers to 'ı', which folds to 'i';
             * NUL folds to nothing, as below. */
            k++;
            if (!c)
                continue;
            if (o + 1 >= cap)
                return false;
            out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            continue;
        }
        uint32_t cp = mh_tr_fold_cp(mh_tr_lower_cp(cp_at(s, n, k, &k)));
        if (!cp)
            continue;
        if (cp >= 0x80 || o + 1 >= cap)
            return false;
        out[o++] = (char)cp;
    }
    out[o] = 0;
    return true;
}

/* The entries of title_abbrev grouped by first byte: those starting with
 * byte c are abbrev_idx[abbrev_from[c]] up to abbrev_idx[abbrev_from[c +
 * 1] - 1]. */
static uint8_t abbrev_from[257], abbrev_idx[MH_ARRAY_LEN(title_abbrev)];
static pthread_once_t abbrev_once = PTHREAD_ONCE_INIT;

_Static_assert(MH_ARRAY_LEN(title_abbrev) < 256, "abbreviation indices fit a byte");

static void abbrev_init(void)
{
    size_t count[257] = { 0 };
    for (size_t k = 0; k < MH_ARRAY_LEN(title_abbrev); k++)
        count[(unsigned char)title_abbrev[k][0] + 1]++;
    for (unsigned c = 0; c < 256; c++)
        count[c + 1] += count[c];
    for (unsigned c = 0; c <= 256; c++)
        abbrev_from[c] = (uint8_t)count[c];
    for (size_t k = 0; k < MH_ARRAY_LEN(title_abbrev); k++)
        abbrev_idx[count[(unsigned char)title_abbrev[k][0]]++] = (uint8_t)k;
}

static bool is_title_abbrev(const char *w, size_t n)
{
    char f[16];
    if (n == 0 || n > 12 || !fold_small(w, n, f, sizeof f))
        return false;
    /* Asked at nearly every '.': only the entries of the word's first
     * letter are compared. */
    pthread_once(&abbrev_once, abbrev_init);
    unsigned c = (unsigned char)f[0];
    for (size_t i = abbrev_from[c]; i < abbrev_from[c + 1]; i++)
        if (strcmp(f, title_abbrev[abbrev_idx[i]]) == 0)
            return true;
    return false;
}

/* "T.C", "A.Ş", "a.g.e", "M.Ö": letters in runs of one or two, separated
 * by dots, at least one dot. */
static bool is_dotted_abbrev(const char *w, size_t n)
{
    size_t k = 0, run = 0, dots = 0;
    while (k < n) {
        if (w[k] == '.') {
            if (run == 0 || run > 2)
                return false;
            dots++;
            run = 0;
            k++;
            continue;
        }
        if (!cp_letter(cp_at(w, n, k, &k)))
            return false;
        run++;
    }
    return dots > 0 && run > 0 && run <= 2;
}

static bool is_roman(const char *w, size_t n)
{
    if (n == 0 || n > 5)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr("IVXLC", w[i]) || w[i] == 0)
            return false;
    return true;
}

static bool all_digits(const char *w, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (w[i] < '0' || w[i] > '9')
            return false;
    return true;
}

/* ------------------------------------------------------------------ */
/* Quote marks                                                         */
/* ------------------------------------------------------------------ */

enum { Q_NONE, Q_OPEN, Q_CLOSE, Q_APOS, Q_GLUED };

static bool is_terminator_before(const char *s, size_t lo, size_t p)
{
    if (p <= lo)
        return false;
    char c = s[p - 1];
    if (c == '.' || c == '!' || c == '?' || c == ':')
        return true;
    /* U+2026 … is E2 80 A6. */
    return p - lo >= 3 && (unsigned char)s[p - 3] == 0xE2 &&
           (unsigned char)s[p - 2] == 0x80 && (unsigned char)s[p - 1] == 0xA6;
}

/* Role of the quote mark s[p] (' or ") within the line [lo, hi). */
static int quote_kind(const char *s, size_t lo, size_t hi, size_t p)
{
    uint32_t prev = 0, next = 0;
    if (p > lo)
        prev = cp_before(s, lo, p, NULL);
    if (p + 1 < hi)
        next = cp_at(s, hi, p + 1, NULL);
    bool pw = prev && is_wordcp(prev), nw = next && is_wordcp(next);
    if (pw && nw) {
        if (cp_lower(prev) && cp_upper(next))
            return Q_GLUED;
        return s[p] == '\'' ? Q_APOS : Q_NONE;
    }
    bool psp = !prev || prev == ' ' || prev == '\t' || prev == '(' || prev == '[' ||
               prev == '{' || prev == '-' || prev == '/' || prev == '"' || prev == '\'' ||
               prev == 0x2013 || prev == 0x2014;
    bool nsp = !next || next == ' ' || next == '\t';
    if (psp && !nsp)
        return Q_OPEN;
    if (!psp && nsp)
        return Q_CLOSE;
    if (!psp && !nsp) {
        if (nw && is_terminator_before(s, lo, p))
            return Q_OPEN;
        if (!nw)
            return Q_CLOSE;
    }
    return Q_NONE;
}

/* Memo of the last forward search for a closing quote, so that many
 * opening quotes in one line cost linear time in all: from every start in
 * (from, event) the first event is the same. */
typedef struct qmemo {
    size_t from, event, hi;
    int kind;
    bool valid;
} qmemo;

/* Closing quote for the opening quote at p: its position, or NONE when
 * another opening quote or the line end comes first. */
static size_t find_close(const char *s, size_t lo, size_t hi, size_t p, qmemo *m)
{
    char q = s[p];
    if (m->valid && m->hi == hi && p > m->from && p < m->event)
        return m->kind == Q_CLOSE ? m->event : NONE;
    size_t k = p + 1;
    m->valid = true;
    m->from = p;
    m->hi = hi;
    m->event = hi;
    m->kind = Q_NONE;
    while (k < hi) {
        const char *f = memchr(s + k, q, hi - k);
        if (!f)
            break;
        size_t c = (size_t)(f - s);
        int kind = quote_kind(s, lo, hi, c);
        if (kind == Q_CLOSE || kind == Q_GLUED) {
            m->event = c;
            m->kind = Q_CLOSE;
            return c;
        }
        if (kind == Q_OPEN) {
            m->event = c;
            m->kind = Q_OPEN;
            return NONE;
        }
        k = c + 1;
    }
    return NONE;
}

/* An attributed quotation: the closing quote is followed by a lowercase
 * word ("dedi", "diye", "sözlerine") or a comma. */
static bool attributed(const char *s, size_t hi, size_t close)
{
    size_t k = close + 1;
    while (k < hi && is_sp(s[k]))
        k++;
    if (k >= hi)
        return false;
    if (s[k] == ',')
        return true;
    return cp_lower(cp_at(s, hi, k, NULL));
}

/* After the closing quote at close, a capitalised word with lowercase
 * letters: its start, else NONE.  A quotation that opens a sentence and
 * is followed by such a word reports nothing (no verb, no comma): it is
 * a quoted heading whose line end a scraper lost. */
static size_t glued_after(const char *s, size_t hi, size_t close)
{
    size_t k = close + 1;
    if (k >= hi || !is_sp(s[k]))
        return NONE;
    while (k < hi && is_sp(s[k]))
        k++;
    size_t nx;
    if (k >= hi || !cp_upper(cp_at(s, hi, k, &nx)) || nx >= hi || !cp_lower(cp_at(s, hi, nx, NULL)))
        return NONE;
    return k;
}

/* ------------------------------------------------------------------ */
/* Sentence splitting                                                  */
/* ------------------------------------------------------------------ */

typedef struct splitter {
    const char *s;
    size_t n, pos;
    size_t line_lo, line_hi;    /* the current line [lo, hi) */
    bool line_valid;
    qmemo dq, sq;
} splitter;

static void splitter_init(splitter *sp, const char *s, size_t n)
{
    memset(sp, 0, sizeof *sp);
    sp->s = s;
    sp->n = n;
}

/* The word before the terminator at i: back over letters, digits, marks,
 * dots and apostrophes, within [lo, i). */
static size_t word_before(const char *s, size_t lo, size_t i)
{
    size_t k = i;
    /* Abbreviations, initials and ordinals are short: looking further
     * back than WORD_BACK bytes would only make long runs quadratic. */
    if (i - lo > WORD_BACK)
        lo = i - WORD_BACK;
    while (k > lo) {
        size_t st;
        uint32_t cp = cp_before(s, lo, k, &st);
        if (!(cp == '.' || cp == '\'' || is_wordcp(cp)))
            break;
        k = st;
    }
    /* Leading dots or apostrophes belong to the punctuation before. */
    while (k < i && (s[k] == '.' || s[k] == '\''))
        k++;
    return k;
}

static size_t letter_count(const char *s, size_t a, size_t b)
{
    size_t c = 0;
    for (size_t k = a; k < b;)
        if (cp_letter(cp_at(s, b, k, &k)))
            c++;
    return c;
}

/*
 * Decide the terminator run [i, j) of the line [lo, hi) that started its
 * sentence at st.  Returns true for a boundary, with the sentence end in
 * *end and the next sentence's start in *next.
 */
static bool boundary_at(const char *s, size_t lo, size_t hi, size_t st, size_t i, size_t j,
                        size_t *end, size_t *next)
{
    bool excl = false;
    size_t dots = 0;
    for (size_t k = i; k < j; k++) {
        if (s[k] == '!' || s[k] == '?')
            excl = true;
        else if (s[k] == '.')
            dots++;
        else
            dots += 3;          /* the bytes of … */
    }
    bool ellipsis = !excl && dots >= 2;

    /* Closing quotes and brackets go with the sentence they end. */
    size_t k = j;
    while (k < hi) {
        char c = s[k];
        if (c == ')' || c == ']') {
            k++;
            continue;
        }
        if (c == '"' || c == '\'') {
            int kind = quote_kind(s, lo, hi, k);
            if (kind == Q_APOS || (c == '\'' && k + 1 < hi &&
                                   cp_lower(cp_at(s, hi, k + 1, NULL))))
                return false;   /* "A.Ş.'nin": an apostrophe suffix */
            if (kind == Q_CLOSE || kind == Q_NONE) {
                k++;
                continue;
            }
        }
        break;
    }
    if (k >= hi) {
        *end = hi;
        *next = hi;
        return true;
    }

    size_t ws = word_before(s, st, i);
    size_t m = k;
    bool glued = !is_sp(s[k]);
    while (m < hi && is_sp(s[m]))
        m++;
    if (m >= hi) {
        *end = k;
        *next = hi;
        return true;
    }
    size_t after;
    uint32_t c = cp_at(s, hi, m, &after);

    if (glued) {
        /* Glued sentences: "söyledi.Belarus", "vurguladı.'START". */
        if (i <= st || k != j)
            return false;
        uint32_t prev = cp_before(s, st, i, NULL);
        /* A question or exclamation mark ends no domain: a heading in
         * capitals may end in it ("NASIL YAPILACAK?Kampanyadan"), when a
         * capitalised word with lowercase letters follows. */
        bool mark_heading = excl && cp_upper(prev) && cp_upper(c) && after < hi &&
                            cp_lower(cp_at(s, hi, after, NULL));
        if (!cp_lower(prev) && !mark_heading)
            return false;
        bool starts = cp_upper(c);
        if ((c == '"' || c == '\'') && quote_kind(s, lo, hi, m) == Q_OPEN && after < hi) {
            uint32_t c2 = cp_at(s, hi, after, NULL);
            starts = cp_upper(c2) || cp_digit(c2);
        }
        if (!starts || letter_count(s, ws, i) < 2)
            return false;
        if (is_title_abbrev(s + ws, i - ws) || is_dotted_abbrev(s + ws, i - ws))
            return false;
        *end = j;
        *next = m;
        return true;
    }

    if (cp_lower(c))
        return false;
    if (!excl && !ellipsis && k == j) {
        const char *w = s + ws;
        size_t wn = i - ws;
        if (is_title_abbrev(w, wn) || is_dotted_abbrev(w, wn))
            return false;
        if (wn == 1 && cp_upper(cp_at(w, wn, 0, NULL)))
            return false;       /* an initial: M. Kemal */
        if (is_roman(w, wn) && cp_upper(c))
            return false;       /* II. Dünya Savaşı */
        if (all_digits(w, wn) && wn <= 3 &&
            (ws == lo || s[ws - 1] == ' ' || s[ws - 1] == '('))
            return false;       /* an ordinal: 3. Avrasya */
    }
    *end = k;
    *next = m;
    return true;
}

static const bool sent_special[256] = {
    ['"'] = true, ['\''] = true, ['.'] = true, ['!'] = true, ['?'] = true, [0xE2] = true,
};

#define ONES 0x0101010101010101ull
#define TOPS 0x8080808080808080ull

/* The bytes of x (eight, in memory order) that lie in [0x21, 0x3F] or
 * are 0xE2, each marked by its top bit; exact per byte (no carry crosses
 * a byte).  Every byte of sent_special is one of them. */
static inline uint64_t special_candidates(uint64_t x)
{
    uint64_t y = x & ~TOPS;
    uint64_t in = (y + ONES * 0x5F) & ~(y + ONES * 0x40) & ~x & TOPS;
    uint64_t z = x ^ (ONES * 0xE2);
    uint64_t e2 = ~(((z & ~TOPS) + ~TOPS) | z) & TOPS;
    return in | e2;
}

/* The first i in [i, hi) whose byte is in sent_special, or hi.  Letters,
 * spaces and the bytes of Turkish letters make up nearly all of a text:
 * they are passed over eight at a time. */
static inline size_t next_special(const char *s, size_t i, size_t hi)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (i + 8 <= hi) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        uint64_t m = special_candidates(x);
        if (!m) {
            i += 8;
            continue;
        }
        i += (size_t)__builtin_ctzll(m) >> 3;
        if (sent_special[(unsigned char)s[i]])
            return i;
        i++;
    }
#endif
    while (i < hi && !sent_special[(unsigned char)s[i]])
        i++;
    return i;
}

/*
 * A heading in capitals glued to the sentence after it, where a scraper
 * lost the line end ("GEÇEN YIL 96 ÜLKEYE İHRAÇ ETTİK Tarım ve Orman
 * Bakanlığı'nın ..."): from p, at least three words without a lowercase
 * letter, two of them of four letters or more (acronyms are shorter:
 * "TCMB PPK Başkanı" is no heading), then a capitalised word with
 * lowercase letters.  The start of that word, or NONE.  Quote marks and
 * terminators inside the run leave the line to the other rules.
 */
static size_t heading_end(const char *s, size_t p, size_t hi)
{
    size_t words = 0, long_words = 0, i = p;
    while (i < hi) {
        size_t w = i, letters = 0, digits = 0, other = 0;
        bool lower = false, first_upper = false;
        while (i < hi && !is_sp(s[i])) {
            unsigned char c = (unsigned char)s[i];
            if (c == '"' || c == '.' || c == '!' || c == '?' || c == 0xE2)
                return NONE;
            size_t k = i;
            uint32_t cp = next_cp(s, hi, &k);
            if (cp_letter(cp)) {
                if (i == w)
                    first_upper = cp_upper(cp);
                letters++;
                if (cp_lower(cp)) {
                    /* Most sentences end the search in their first word. */
                    if (words < 3 || long_words < 2)
                        return NONE;
                    lower = true;
                }
            } else if (cp_digit(cp)) {
                digits++;
            } else if (c != '\'' && c != ',' && c != ':' && c != '%' && c != '-') {
                other++;
            }
            i = k;
        }
        if (lower) {
            /* The word after the heading: "Tarım", not "tarım", "ETTİKya"
             * or "(Ottawa". */
            return words >= 3 && long_words >= 2 && first_upper ? w : NONE;
        }
        /* Brackets and the like are no heading's. */
        if (other || (!letters && !digits))
            return NONE;
        if (letters) {
            words++;
            long_words += letters >= 4;
        }
        while (i < hi && is_sp(s[i]))
            i++;
    }
    return NONE;
}

/* Next sentence [*a, *b); false at the end of the text. */
static bool sent_next(splitter *sp, size_t *a, size_t *b)
{
    const char *s = sp->s;
    size_t n = sp->n, p = sp->pos;
    while (p < n && (is_sp(s[p]) || s[p] == '\n'))
        p++;
    if (p >= n) {
        sp->pos = n;
        return false;
    }
    /* The line's bounds are kept while its sentences are read, so that
     * finding them costs linear time over the text. */
    if (!(sp->line_valid && p >= sp->line_lo && p < sp->line_hi)) {
        const char *nl = memchr(s + p, '\n', n - p);
        size_t l = p;
        while (l > 0 && s[l - 1] != '\n')
            l--;
        sp->line_lo = l;
        sp->line_hi = nl ? (size_t)(nl - s) : n;
        sp->line_valid = true;
    }
    size_t lo = sp->line_lo, hi = sp->line_hi;
    size_t st = p, end = hi, next = hi;
    size_t head = heading_end(s, p, hi);
    if (head != NONE) {
        hi = head;
        end = head;
        next = head;
    }
    size_t supp = 0;            /* no boundary before this (quotation) */
    bool sq_open = false;
    size_t i = p;
    while (i < hi) {
        /* Only quote marks, terminators and the lead byte of … matter. */
        i = next_special(s, i, hi);
        if (i >= hi)
            break;
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\'') {
            int kind = quote_kind(s, lo, hi, i);
            if (kind == Q_OPEN) {
                if (c == '\'')
                    sq_open = true;
                if (i >= supp) {
                    size_t close = find_close(s, lo, hi, i, c == '"' ? &sp->dq : &sp->sq);
                    if (close != NONE && close - i <= QUOTE_MAX && attributed(s, hi, close))
                        supp = close;
                    size_t nx = close != NONE && i == st ? glued_after(s, hi, close) : NONE;
                    if (nx != NONE) {
                        /* A quoted heading glued to the next sentence:
                         * '"Satışlar kampanyadan geliyor" Temmuzda ...'. */
                        end = close + 1;
                        next = nx;
                        break;
                    }
                }
            } else if (kind == Q_CLOSE) {
                if (c == '\'')
                    sq_open = false;
            } else if (kind == Q_GLUED && c == '\'' && sq_open && i >= supp) {
                /* "konuşulmuyor'Lavrov": the quotation ends, a sentence
                 * starts. */
                end = i + 1;
                next = i + 1;
                break;
            }
            i++;
            continue;
        }
        bool term = c == '.' || c == '!' || c == '?' ||
                    (c == 0xE2 && i + 2 < hi && (unsigned char)s[i + 1] == 0x80 &&
                     (unsigned char)s[i + 2] == 0xA6);
        if (!term) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < hi) {
            if (s[j] == '.' || s[j] == '!' || s[j] == '?')
                j++;
            else if ((unsigned char)s[j] == 0xE2 && j + 2 < hi &&
                     (unsigned char)s[j + 1] == 0x80 && (unsigned char)s[j + 2] == 0xA6)
                j += 3;
            else
                break;
        }
        if (i < supp) {
            i = j;
            continue;
        }
        /* Digits on both sides of a single '.' : a date or a decimal. */
        if (j == i + 1 && s[i] == '.' && i > p && j < hi &&
            s[i - 1] >= '0' && s[i - 1] <= '9' && s[j] >= '0' && s[j] <= '9') {
            i = j;
            continue;
        }
        size_t e, nx;
        if (boundary_at(s, lo, hi, st, i, j, &e, &nx)) {
            end = e;
            next = nx;
            break;
        }
        i = j;
    }
    while (end > st && is_sp(s[end - 1]))
        end--;
    *a = st;
    *b = end;
    sp->pos = next > st ? next : hi;
    return true;
}

/* ------------------------------------------------------------------ */
/* Tokens                                                              */
/* ------------------------------------------------------------------ */

typedef struct rawtok {
    size_t start, end, full_end;
    unsigned flags;
} rawtok;

static const char *const tlds[] = {
    "com", "net", "org", "edu", "gov", "mil", "int", "info", "biz", "io", "co",
    "tr", "uk", "de", "fr", "ru", "us", "eu", "az", "tv", "me", "news", "ai",
};

/* A domain starting at i: ASCII labels joined by single dots, at least
 * two, the last one a known top-level domain in one case.  Returns its
 * end or 0. */
static size_t match_domain(const char *s, size_t hi, size_t i)
{
    size_t k = i, labels = 0, last = i;
    if (hi - i > DOMAIN_MAX + 1)
        hi = i + DOMAIN_MAX + 1;
    for (;;) {
        size_t b = k;
        while (k < hi && (is_ascii_alnum((unsigned char)s[k]) || s[k] == '-'))
            k++;
        if (k == b)
            return 0;
        labels++;
        last = b;
        if (k + 1 < hi && s[k] == '.' && is_ascii_alnum((unsigned char)s[k + 1]))
            k++;
        else
            break;
    }
    if (labels < 2 || k > i + DOMAIN_MAX)
        return 0;
    if (k < hi && ((unsigned char)s[k] >= 0x80 || s[k] == '\''))
        if ((unsigned char)s[k] >= 0x80 && is_wordcp(cp_at(s, hi, k, NULL)))
            return 0;
    size_t tl = k - last;
    if (tl < 2 || tl > 4)
        return 0;
    char t[5];
    bool lower = true, upper = true;
    for (size_t x = 0; x < tl; x++) {
        char c = s[last + x];
        if (c >= 'A' && c <= 'Z') { lower = false; c = (char)(c + 32); }
        else if (c >= 'a' && c <= 'z') upper = false;
        else return 0;
        t[x] = c;
    }
    t[tl] = 0;
    if (!lower && !upper)
        return 0;
    for (size_t x = 0; x < MH_ARRAY_LEN(tlds); x++)
        if (strcmp(t, tlds[x]) == 0)
            return k;
    return 0;
}

/* Apostrophe suffix at p (s[p] == '\''), for a base [bs, p): its end, or
 * 0 when what follows is not a suffix. */
static size_t match_suffix(const char *s, size_t hi, size_t bs, size_t p)
{
    size_t k = p + 1, letters = 0;
    bool all_lower = true, all_upper = true;
    while (k < hi) {
        size_t nx;
        uint32_t cp = cp_at(s, hi, k, &nx);
        if (cp_mark(cp)) {
            k = nx;
            continue;
        }
        if (!cp_letter(cp))
            break;
        if (cp_upper(cp))
            all_lower = false;
        else
            all_upper = false;
        if (++letters > MAX_SUFFIX)
            return 0;
        k = nx;
    }
    if (letters == 0 || letters > MAX_SUFFIX)
        return 0;
    if (k < hi) {
        uint32_t cp = cp_at(s, hi, k, NULL);
        if (cp_digit(cp) || cp == '\'')
            return 0;
    }
    if (all_lower)
        return k;
    if (all_upper) {
        /* Uppercase suffix only after an all-caps base (İSTANBUL'DAKİ). */
        for (size_t x = bs; x < p;) {
            if (cp_lower(cp_at(s, p, x, &x)))
                return 0;
        }
        return k;
    }
    return 0;
}

/* The case of a word's code points: MH_TOK_CAP when its first letter is
 * uppercase, MH_TOK_ALLCAPS when all its letters are and it has more than
 * one character. */
typedef struct casestat {
    size_t letters, upper, chars;
    bool first;                 /* no letter seen yet */
    bool cap;                   /* the first letter is uppercase */
} casestat;

static inline void case_add(casestat *cs, uint32_t cp)
{
    cs->chars++;
    if (!cp_letter(cp))
        return;
    cs->letters++;
    bool up = cp_upper(cp);
    if (up)
        cs->upper++;
    if (cs->first && up)
        cs->cap = true;
    cs->first = false;
}

/*
 * A case or plural ending glued to an abbreviation without its apostrophe
 * ("ABDnin", "NATOya", "CHPden", "TBMMde"): scraped pages lose the
 * apostrophe often.  The word is two or more capitals, then lowercase
 * letters that make one of these endings; the return is where the ending
 * starts, or 0.  Endings of one letter are left out ("IDs", "PCe" are
 * too unsure).
 */
static size_t glued_suffix(const char *s, size_t lo, size_t hi)
{
    static const char *const endings[] = {
        "nin", "nın", "nun", "nün", "in", "ın", "un", "ün",
        "de", "da", "te", "ta", "den", "dan", "ten", "tan", "deki", "daki", "teki", "taki",
        "ye", "ya", "yi", "yı", "yu", "yü", "ne", "na", "ni", "nı", "nu", "nü",
        "nde", "nda", "nden", "ndan", "ndeki", "ndaki",
        "le", "la", "yle", "yla", "ler", "lar", "leri", "ları", "lerin", "ların",
        "li", "lı", "lu", "lü", "ce", "ca", "ci", "cı", "cu", "cü",
    };
    size_t k = lo, upper = 0;
    while (k < hi) {
        size_t nx;
        uint32_t cp = cp_at(s, hi, k, &nx);
        if (!cp_letter(cp) || !cp_upper(cp))
            break;
        upper++;
        k = nx;
    }
    if (upper < 2 || k >= hi)
        return 0;
    for (size_t x = k; x < hi;) {
        uint32_t cp = cp_at(s, hi, x, &x);
        if (!cp_letter(cp) || cp_upper(cp))
            return 0;
    }
    for (size_t i = 0; i < sizeof endings / sizeof endings[0]; i++)
        if (strlen(endings[i]) == hi - k && memcmp(endings[i], s + k, hi - k) == 0)
            return k;
    return 0;
}

/* Next token in [*pos, hi); false when none is left. */
static bool next_token(const char *s, size_t hi, size_t *pos, rawtok *t, bool glue)
{
    size_t i = *pos;
    while (i < hi) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (is_ascii_alnum(c))
                break;
            i++;
            continue;
        }
        size_t nx;
        uint32_t cp = cp_at(s, hi, i, &nx);
        if (cp_letter(cp) || cp_digit(cp))
            break;
        i = nx;
    }
    if (i >= hi) {
        *pos = hi;
        return false;
    }
    t->start = i;
    t->flags = 0;
    size_t k = i;
    casestat cs = { 0, 0, 0, true, false };
    {
        /* The case of a word is counted as it is read (case_add over its
         * code points). */
        bool digits_only = true;
        size_t seg = 0;          /* letters since the last inner dot */
        while (k < hi) {
            unsigned char c = (unsigned char)s[k];
            if (c >= '0' && c <= '9') {
                k++;
                seg++;
                cs.chars++;
                /* Number separators: 1.000, 4,3, 28.10.2025. */
                if (digits_only && k + 1 < hi && (s[k] == '.' || s[k] == ',') &&
                    s[k + 1] >= '0' && s[k + 1] <= '9') {
                    k++;
                    cs.chars++;
                }
                continue;
            }
            if ((unsigned)((c | 32) - 'a') < 26) {
                /* ASCII letters, the common case, decided here: a run of
                 * lowercase ones at once. */
                digits_only = false;
                if (c <= 'Z') {
                    cs.upper++;
                    cs.cap |= cs.first;
                }
                cs.first = false;
                size_t k0 = k++;
                while (k < hi && (unsigned)((unsigned char)s[k] - 'a') < 26)
                    k++;
                seg += k - k0;
                cs.chars += k - k0;
                cs.letters += k - k0;
                continue;
            }
            size_t nx;
            uint32_t cp = cp_at(s, hi, k, &nx);
            if (is_wordcp(cp)) {
                if (!cp_mark(cp))
                    digits_only = false;
                k = nx;
                seg++;
                case_add(&cs, cp);
                continue;
            }
            /* Dotted abbreviation: one letter, '.', one letter ('T.C'). */
            if (cp == '.' && seg == 1 && !digits_only && k + 1 < hi) {
                size_t n2;
                uint32_t c2 = cp_at(s, hi, k + 1, &n2);
                if (cp_letter(c2) && (n2 >= hi || s[n2] == '.')) {
                    k = n2;
                    seg = 1;
                    case_add(&cs, '.');
                    case_add(&cs, c2);
                    continue;
                }
            }
            break;
        }
        t->flags = digits_only ? MH_TOK_NUM : MH_TOK_WORD;
    }
    /* A domain (haber7.com) is one token.  Its first label is ASCII
     * letters, digits and '-', followed by '.': the scan above then stops
     * at that '-' or '.' (a '.' it may pass, of a number or a dotted
     * abbreviation, leads to another '.' where it stops, or to a last
     * label that is no top-level domain), so only there is the domain
     * looked for. */
    if (k < hi && (s[k] == '.' || s[k] == '-') && is_ascii_alnum((unsigned char)s[i])) {
        size_t dom = match_domain(s, hi, i);
        if (dom) {
            k = dom;
            t->flags = MH_TOK_WORD;
            cs = (casestat){ 0, 0, 0, true, false };
            for (size_t x = t->start; x < k;)
                case_add(&cs, cp_at(s, k, x, &x));
        }
    }
    t->end = k;
    t->full_end = k;
    if (k + 1 < hi && s[k] == '\'') {
        size_t e = match_suffix(s, hi, t->start, k);
        if (e) {
            t->full_end = e;
            t->flags |= MH_TOK_APOS;
        }
    }
    if (glue && t->flags == MH_TOK_WORD && cs.upper >= 2 && cs.upper < cs.letters &&
        cs.letters == cs.chars) {
        size_t g = glued_suffix(s, t->start, k);
        if (g) {
            t->end = g;
            t->flags |= MH_TOK_APOS | MH_TOK_GLUED | MH_TOK_CAP | MH_TOK_ALLCAPS;
        }
    }
    if ((t->flags & MH_TOK_WORD) && !(t->flags & MH_TOK_GLUED)) {
        if (cs.cap)
            t->flags |= MH_TOK_CAP;
        if (cs.letters > 0 && cs.upper == cs.letters && cs.chars > 1)
            t->flags |= MH_TOK_ALLCAPS;
    }
    *pos = t->full_end;
    return true;
}

/* ------------------------------------------------------------------ */
/* Stems in context                                                    */
/* ------------------------------------------------------------------ */

static bool same_bytes(const char *a, size_t an, const char *b, size_t bn)
{
    return an == bn && memcmp(a, b, an) == 0;
}

/* Possessive or plural endings a proper-noun stem may cut from its norm:
 * the compound marker -sI (Antlaşması), plurals (Türkler) and plural
 * possessives.  A bare possessive vowel is allowed only after a softened
 * consonant (Birliği -> birlik), because names end in those vowels far
 * more often (Kayseri, Anadolu, Topkapı). */
static bool possessive_rest(const char *r, size_t n, bool softened)
{
    static const char *const ends[] = {
        "", "sı", "si", "su", "sü", "lar", "ler", "ları", "leri",
    };
    static const char *const vowels[] = { "ı", "i", "u", "ü" };
    for (size_t i = 0; i < MH_ARRAY_LEN(ends); i++)
        if (same_bytes(r, n, ends[i], strlen(ends[i])))
            return true;
    if (softened)
        for (size_t i = 0; i < MH_ARRAY_LEN(vowels); i++)
            if (same_bytes(r, n, vowels[i], strlen(vowels[i])))
                return true;
    return false;
}

/* Is candidate c a sensible stem of norm w: a prefix (its last consonant
 * may be the hard form of a soft one: birlik / birliği) whose cut is a
 * possessive or plural ending? */
static bool sensible(const char *c, size_t cn, const char *w, size_t wn)
{
    if (cn == 0 || cn > wn)
        return false;
    if (memcmp(c, w, cn) == 0)
        return possessive_rest(w + cn, wn - cn, false);
    /* Consonant softening: k/ğ, p/b, t/d, ç/c at the end of c. */
    char last = c[cn - 1];
    size_t pre = cn - 1;
    if ((unsigned char)last == 0xA7 && cn >= 2 && (unsigned char)c[cn - 2] == 0xC3)
        pre = cn - 2;           /* ç is two bytes */
    if (memcmp(c, w, pre) != 0)
        return false;
    const char *r = w + pre;
    size_t rn = wn - pre;
    size_t skip = 0;
    if (last == 'k' && rn >= 2 && (unsigned char)r[0] == 0xC4 && (unsigned char)r[1] == 0x9F)
        skip = 2;
    else if (last == 'p' && rn >= 1 && r[0] == 'b')
        skip = 1;
    else if (last == 't' && rn >= 1 && r[0] == 'd')
        skip = 1;
    else if (pre == cn - 2 && rn >= 1 && r[0] == 'c')
        skip = 1;
    if (!skip)
        return false;
    return possessive_rest(r + skip, rn - skip, true);
}

/*
 * Can any candidate be sensible for norm w?  sensible() takes a candidate
 * shorter than w only when w ends in a possessive or plural ending (sı,
 * si, su, sü, lar, ler, ları, leri), or in b, c, d or ğ followed by
 * nothing, one of those endings or ı, i, u, ü.  Most names end otherwise
 * (Putin, Erdoğan, Ankara): their stem is their norm whatever Snowball
 * says, and Snowball is not asked.
 */
static bool cut_possible(const char *w, size_t n)
{
    static const char *const rest[] = {
        "sı", "si", "su", "sü", "lar", "ler", "ları", "leri", "", "ı", "i", "u", "ü",
    };
    static const uint8_t rest_len[] = { 3, 2, 2, 3, 3, 3, 5, 4, 0, 2, 1, 1, 2 };
    _Static_assert(MH_ARRAY_LEN(rest) == MH_ARRAY_LEN(rest_len), "one length per ending");
    for (size_t i = 0; i < MH_ARRAY_LEN(rest); i++) {
        size_t rl = rest_len[i];
        if (rl > n || memcmp(w + n - rl, rest[i], rl) != 0)
            continue;
        if (i < 8)
            return true;
        size_t m = n - rl;      /* the softened consonant ends here */
        if (m >= 1 && (w[m - 1] == 'b' || w[m - 1] == 'c' || w[m - 1] == 'd'))
            return true;
        if (m >= 2 && (unsigned char)w[m - 2] == 0xC4 && (unsigned char)w[m - 1] == 0x9F)
            return true;
    }
    return false;
}

/* One candidate for proper_stem: the Snowball stem of (x, xn), taken
 * into a->stem when it is shorter than *best and sensible for w. */
static mh_err try_stem(mh_analyzer *a, const char *x, size_t xn, const char *w, size_t wn,
                       size_t *best)
{
    size_t sl = 0;
    const char *s = mh_stemmer_stem(a->st, x, xn, &sl);
    if (!s)
        return MH_ENOMEM;
    if (sl < *best && sensible(s, sl, w, wn)) {
        mh_buf_reset(&a->stem);
        mh_buf_add(&a->stem, s, sl);
        if (a->stem.err)
            return a->stem.err;
        *best = sl;
    }
    return MH_OK;
}

/*
 * Stem of a proper-noun token (norm w and its apostrophe suffix): the
 * shortest sensible candidate.  The norm itself is the first candidate and
 * the most frequent answer (Putin, Kayseri), so it is only pointed at, not
 * copied: *out is w or a->stem.p.  A Snowball stem is copied into a->stem
 * when taken, because the next stemmer call may move the cache it lives in.
 */
static mh_err proper_stem(mh_analyzer *a, const char *w, size_t wn, const char *suf,
                          size_t sn, unsigned flags, const char **out, size_t *out_len)
{
    size_t best = wn;
    *out = w;
    *out_len = wn;
    if (!cut_possible(w, wn))
        return MH_OK;
    mh_err e = try_stem(a, w, wn, w, wn, &best);
    if (!e && (flags & MH_TOK_APOS)) {
        mh_buf_reset(&a->joined);
        mh_buf_add(&a->joined, w, wn);
        mh_buf_add(&a->joined, suf, sn);
        if (a->joined.err)
            return a->joined.err;
        e = try_stem(a, a->joined.p, a->joined.len, w, wn, &best);
    }
    if (e)
        return e;
    if (best < wn) {
        *out = a->stem.p;
        *out_len = a->stem.len;
    }
    return MH_OK;
}

/* ------------------------------------------------------------------ */
/* The tokenizer engine                                                */
/* ------------------------------------------------------------------ */

typedef int (*sent_cb)(void *ctx, size_t start, size_t end);

/*
 * Turkish lowercase of (s, n) into norm and, when fold is not NULL, the
 * ASCII fold of that lowercase into fold, in one pass over the code
 * points, each NUL terminated in cap bytes.  The bytes are those of
 * mh_tr_lower_buf and of mh_tr_fold_buf applied to its output: a code
 * point's lowercase is never an ASCII capital and is one valid code point
 * (tests/unit/test_turkish.c checks both over all of Unicode), so folding
 * the lowercase text code point by code point is folding each lowercase
 * code point as it is made.  A code point writes at most 4 bytes (an
 * invalid byte becomes the 3 of U+FFFD, 'I' the 2 of 'ı'), which 3 * n + 1
 * bytes hold; false when cap is too small all the same (the caller then
 * takes the growable buffers).  *ascii is set when the text was ASCII
 * without an 'I': then fold is not written, the norm being its own fold.
 */
static bool lower_fold_small(const char *s, size_t n, size_t avail, char *norm,
                             size_t *norm_len, char *fold, size_t *fold_len, size_t cap,
                             bool *ascii)
{
    size_t k = 0, o = 0, f = 0;
    /* Most tokens are ASCII without an 'I': their lowercase is a byte
     * per byte and is its own fold, which the caller then shares. */
    if (n + 8 <= cap) {
        /* Eight bytes at once while all are ASCII and none is 'I' (exact
         * zero-byte test): adding 0x3F (0x25) to an ASCII byte sets its
         * top bit exactly when it is 'A' (past 'Z') or above, without a
         * carry, which marks the capitals to lower.  The last piece of a
         * token may be shorter: it is read whole when the text (avail
         * bytes from s) goes on that far, with the bytes past the token
         * cleared (a zero byte is neither 'I' nor a capital and stays
         * zero); norm has room for the eight bytes written. */
        const uint64_t ones = 0x0101010101010101ull, top = 0x8080808080808080ull;
        for (; k < n && k + 8 <= avail; k += 8) {
            uint64_t x;
            memcpy(&x, s + k, 8);
            if (n - k < 8) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
                x &= ~(uint64_t)0 >> (8 * (8 - (n - k)));
#else
                break;
#endif
            }
            uint64_t y = x ^ (ones * 'I');
            if ((x & top) || ((y - ones) & ~y & top))
                break;
            x |= ((x + ones * 0x3F) & ~(x + ones * 0x25) & top) >> 2;
            memcpy(norm + k, &x, 8);
        }
        if (k > n)
            k = n;
        for (; k < n; k++) {
            unsigned char c = (unsigned char)s[k];
            if (c >= 0x80 || c == 'I')
                break;
            norm[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        if (k == n) {
            norm[n] = 0;
            *norm_len = n;
            *ascii = true;
            return true;
        }
        o = k;
        if (fold) {
            memcpy(fold, norm, k);
            f = k;
        }
    }
    *ascii = false;
    while (k < n) {
        if (o + 5 > cap || f + 5 > cap)
            return false;
        unsigned char c = (unsigned char)s[k];
        if (c < 0x80) {
            k++;
            if (c == 'I') {
                /* I + U+0307 (combining dot above) is the decomposed İ. */
                if (k + 1 < n && (unsigned char)s[k] == 0xCC && (unsigned char)s[k + 1] == 0x87) {
                    k += 2;
                    norm[o++] = 'i';
                } else {
                    norm[o++] = (char)0xC4;     /* ı */
                    norm[o++] = (char)0xB1;
                }
                if (fold)
                    fold[f++] = 'i';
                continue;
            }
            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c + 32);
            norm[o++] = (char)c;
            if (fold)
                fold[f++] = (char)c;
            continue;
        }
        uint32_t cp = next_cp(s, n, &k), l, x;
        if (cp < TWO_N) {
            l = two_lower[cp];
            x = two_fold[cp];
        } else {
            l = mh_tr_lower_cp(cp);
            x = l < 0x80 ? l : mh_tr_fold_cp(mh_tr_lower_cp(l));
        }
        o += mh_utf8_put(l, norm + o);
        if (fold && x)          /* x 0: a combining mark, dropped */
            f += mh_utf8_put(x, fold + f);
    }
    norm[o] = 0;
    *norm_len = o;
    if (fold) {
        fold[f] = 0;
        *fold_len = f;
    }
    return true;
}

/* Lowercase and fold of a long token, or of one lower_fold_small could
 * not take: the fold of an ASCII norm is the norm. */
static mh_err lower_fold_bufs(mh_analyzer *a, const char *s, size_t n, mh_token *t)
{
    mh_buf_reset(&a->norm);
    mh_tr_lower_buf(&a->norm, s, n);
    if (a->norm.err)
        return a->norm.err;
    t->norm = a->norm.p;
    t->norm_len = (uint32_t)a->norm.len;
    bool ascii = true;
    for (size_t i = 0; i < a->norm.len && ascii; i++)
        ascii = (unsigned char)a->norm.p[i] < 0x80;
    if (ascii) {
        t->fold = t->norm;
        t->fold_len = t->norm_len;
        return MH_OK;
    }
    mh_buf_reset(&a->fold);
    mh_tr_fold_buf(&a->fold, a->norm.p, a->norm.len);
    if (a->fold.err)
        return a->fold.err;
    t->fold = a->fold.p;
    t->fold_len = (uint32_t)a->fold.len;
    return MH_OK;
}

/* A capitalised word is in proper-noun position when the last visible
 * character before it in its sentence is a letter, a digit or a comma. */
static bool proper_context(const char *s, size_t st, size_t p)
{
    while (p > st && is_sp(s[p - 1]))
        p--;
    if (p <= st)
        return false;
    uint32_t cp = cp_before(s, st, p, NULL);
    return cp == ',' || is_wordcp(cp);
}

/* Fill *t from the raw token of the text s (text_n bytes).  Its strings
 * live in a's arrays and buffers or in the stem cache, valid until the
 * next token. */
static mh_err build_token(mh_analyzer *a, const char *s, size_t text_n, const rawtok *r,
                          uint32_t sent, size_t sent_start, bool first, unsigned opts,
                          mh_token *t)
{
    unsigned flags = r->flags | (first ? MH_TOK_SENT0 : 0);
    size_t nl = 0, fl = 0, n = r->end - r->start;
    bool ascii;
    if (n <= SMALL_TOKEN &&
        lower_fold_small(s + r->start, n, text_n - r->start, a->small_norm, &nl,
                         a->small_fold, &fl, SMALL_CAP, &ascii)) {
        t->norm = a->small_norm;
        t->norm_len = (uint32_t)nl;
        t->fold = ascii ? a->small_norm : a->small_fold;
        t->fold_len = (uint32_t)(ascii ? nl : fl);
    } else {
        mh_err e = lower_fold_bufs(a, s + r->start, n, t);
        if (e)
            return e;
    }
    t->suffix = "";
    t->suffix_len = 0;
    if (r->full_end > r->end) {
        size_t skip = (r->flags & MH_TOK_GLUED) ? 0 : 1;   /* the apostrophe */
        const char *x = s + r->end + skip;
        size_t xn = r->full_end - r->end - skip;
        if (xn <= SMALL_TOKEN &&
            lower_fold_small(x, xn, text_n - (r->end + skip), a->small_suffix, &nl, NULL, NULL,
                             SMALL_CAP, &ascii)) {
            t->suffix = a->small_suffix;
            t->suffix_len = (uint32_t)nl;
        } else {
            mh_buf_reset(&a->suffix);
            mh_tr_lower_buf(&a->suffix, x, xn);
            if (a->suffix.err)
                return a->suffix.err;
            t->suffix = a->suffix.p;
            t->suffix_len = (uint32_t)a->suffix.len;
        }
    }
    /* Numbers and unstemmed text never ask for the proper-noun context. */
    bool plain = (opts & MH_AN_NOSTEM) || (flags & MH_TOK_NUM);
    bool proper = !plain && ((flags & MH_TOK_APOS) ||
                             ((flags & MH_TOK_CAP) && !(flags & MH_TOK_ALLCAPS) &&
                              proper_context(s, sent_start, r->start)));
    if (plain) {
        t->stem = t->norm;
        t->stem_len = t->norm_len;
        t->stem_fold = t->fold;
        t->stem_fold_len = t->fold_len;
    } else if (!proper) {
        size_t sl = 0;
        const char *f = NULL;
        const char *st = mh_stemmer_lookup(a->st, t->norm, t->norm_len, &sl, &f, &fl);
        if (!st)
            return MH_ENOMEM;
        t->stem = st;
        t->stem_len = (uint32_t)sl;
        if (f) {
            t->stem_fold = f;
            t->stem_fold_len = (uint32_t)fl;
        } else {
            /* Not cached (a very long word): its own stem. */
            t->stem_fold = t->fold;
            t->stem_fold_len = t->fold_len;
        }
    } else {
        const char *st;
        size_t sl;
        mh_err e = proper_stem(a, t->norm, t->norm_len, t->suffix, t->suffix_len, flags,
                               &st, &sl);
        if (e)
            return e;
        t->stem = st;
        t->stem_len = (uint32_t)sl;
        if (st == t->norm) {
            /* The name kept whole: its fold is already made. */
            t->stem_fold = t->fold;
            t->stem_fold_len = t->fold_len;
        } else {
            mh_buf_reset(&a->sfold);
            mh_tr_fold_buf(&a->sfold, st, sl);
            mh_buf_cstr(&a->sfold);
            if (a->sfold.err)
                return a->sfold.err;
            t->stem_fold = a->sfold.p;
            t->stem_fold_len = (uint32_t)a->sfold.len;
        }
    }
    t->start = (uint32_t)r->start;
    t->end = (uint32_t)r->end;
    t->full_end = (uint32_t)r->full_end;
    t->sentence = sent;
    t->flags = flags;
    return MH_OK;
}

/* Does the borrowed string (s, n) equal (x, xn)?  The tokenizer often
 * hands the same pointer for equal strings, which settles it at once. */
static inline bool same_str(const char *s, uint32_t n, const char *x, uint32_t xn)
{
    if (n != xn)
        return false;
    if (s == x)
        return true;
    return mh_same_bytes(s, x, n);
}

/* The memo of the same n bytes as text, or NULL. */
static memo *memo_find(mh_analyzer *a, const char *text, size_t n)
{
    for (size_t i = 0; i < MEMO_N; i++) {
        memo *m = &a->memo[i];
        if (m->valid && m->text.len == n && memcmp(m->text.p, text, n) == 0) {
            m->stamp = ++a->clock;
            return m;
        }
    }
    return NULL;
}

/* The oldest memo, emptied, to write the coming run down. */
static memo *memo_begin(mh_analyzer *a)
{
    memo *m = &a->memo[0];
    for (size_t i = 1; i < MEMO_N; i++)
        if (a->memo[i].stamp < m->stamp)
            m = &a->memo[i];
    m->valid = false;
    m->err = false;
    m->stamp = ++a->clock;
    m->n_sents = 0;
    m->n_toks = 0;
    mh_buf_reset(&m->text);
    mh_buf_reset(&m->str);
    return m;
}

static void memo_sent(memo *m, size_t start, size_t end)
{
    if (m->err)
        return;
    if (m->n_sents == m->cap_sents &&
        mh_grow(&m->sents, &m->cap_sents, m->n_sents + 1, sizeof *m->sents, 16)) {
        m->err = true;
        return;
    }
    m->sents[m->n_sents].start = (uint32_t)start;
    m->sents[m->n_sents].end = (uint32_t)end;
    m->n_sents++;
}

/* Room for n more bytes in the memo's strings; false (and m->err) when
 * memory is short or the buffer's ceiling is reached. */
static bool memo_room(memo *m, size_t n)
{
    if (!mh_buf_reserve(&m->str, n)) {
        m->err = true;
        return false;
    }
    return true;
}

/* Append (p, n) and a NUL to the memo's strings (room made); its offset. */
static inline uint32_t memo_put(memo *m, const char *p, uint32_t n)
{
    uint32_t off = (uint32_t)m->str.len;
    memcpy(m->str.p + off, p, n);
    m->str.p[off + n] = 0;
    m->str.len += (size_t)n + 1;
    return off;
}

/* Write a token down; equal strings share one copy, as in doc_tok. */
static void memo_tok(memo *m, const mh_token *t)
{
    if (m->err)
        return;
    if (m->n_toks == m->cap_toks &&
        mh_grow(&m->toks, &m->cap_toks, m->n_toks + 1, sizeof *m->toks, 64)) {
        m->err = true;
        return;
    }
    bool fold_norm = same_str(t->fold, t->fold_len, t->norm, t->norm_len);
    bool stem_norm = same_str(t->stem, t->stem_len, t->norm, t->norm_len);
    bool sf_stem = same_str(t->stem_fold, t->stem_fold_len, t->stem, t->stem_len);
    bool sf_fold = !sf_stem && same_str(t->stem_fold, t->stem_fold_len, t->fold, t->fold_len);
    size_t need = (size_t)t->norm_len + t->suffix_len + 2;
    if (!fold_norm)
        need += (size_t)t->fold_len + 1;
    if (!stem_norm)
        need += (size_t)t->stem_len + 1;
    if (!sf_stem && !sf_fold)
        need += (size_t)t->stem_fold_len + 1;
    if (!memo_room(m, need))
        return;
    mtok *o = &m->toks[m->n_toks++];
    o->t = *t;
    o->norm = memo_put(m, t->norm, t->norm_len);
    o->suffix = memo_put(m, t->suffix, t->suffix_len);
    o->fold = fold_norm ? o->norm : memo_put(m, t->fold, t->fold_len);
    o->stem = stem_norm ? o->norm : memo_put(m, t->stem, t->stem_len);
    o->stem_fold = sf_stem   ? o->stem
                   : sf_fold ? o->fold
                             : memo_put(m, t->stem_fold, t->stem_fold_len);
}

static void memo_end(memo *m, const char *text, size_t n)
{
    mh_buf_add(&m->text, text, n);
    m->valid = !m->err && !m->text.err && !m->str.err;
}

/* What run would give for the text m holds, from m: its sentences, each
 * followed by its tokens; without stems a token's stem is its norm. */
static int memo_replay(const memo *m, unsigned opts, mh_token_cb tcb, sent_cb scb,
                       void *ctx)
{
    const char *str = m->str.p;
    size_t k = 0;
    for (size_t i = 0; i < m->n_sents; i++) {
        if (scb) {
            int rc = scb(ctx, m->sents[i].start, m->sents[i].end);
            if (rc)
                return rc;
        }
        for (; k < m->n_toks && m->toks[k].t.sentence == i; k++) {
            const mtok *x = &m->toks[k];
            mh_token t = x->t;
            t.norm = str + x->norm;
            t.suffix = t.suffix_len ? str + x->suffix : "";
            t.fold = str + x->fold;
            if (opts & MH_AN_NOSTEM) {
                t.stem = t.norm;
                t.stem_len = t.norm_len;
                t.stem_fold = t.fold;
                t.stem_fold_len = t.fold_len;
            } else {
                t.stem = str + x->stem;
                t.stem_fold = str + x->stem_fold;
            }
            if (tcb) {
                int rc = tcb(ctx, &t);
                if (rc)
                    return rc;
            }
        }
    }
    return MH_OK;
}

static int run_text(mh_analyzer *a, const char *text, size_t n, unsigned opts,
                    mh_token_cb tcb, sent_cb scb, void *ctx, memo *rec);

/* Sentences and tokens of text to the callbacks, from the memo when it
 * holds the text. */
static int run(mh_analyzer *a, const char *text, size_t n, unsigned opts,
               mh_token_cb tcb, sent_cb scb, void *ctx)
{
    if (!a || (!text && n))
        return MH_EINVAL;
    if (n > MH_MAX_PAGE_BYTES)
        return MH_ETOOBIG;
    if (!text)
        return MH_OK;
    memo *rec = NULL;
    /* The memo holds tokens split as by default: a run that keeps glued
     * endings in the word (MH_AN_NOGLUE) neither replays nor records. */
    if (n && n <= MEMO_TEXT_MAX && !a->in_run && !(opts & MH_AN_NOGLUE)) {
        const memo *m = memo_find(a, text, n);
        if (m) {
            a->in_run = true;
            int rc = memo_replay(m, opts, tcb, scb, ctx);
            a->in_run = false;
            return rc;
        }
        if (!(opts & MH_AN_NOSTEM))
            rec = memo_begin(a);
    }
    if (rec)
        a->in_run = true;
    int rc = run_text(a, text, n, opts, tcb, scb, ctx, rec);
    if (rec) {
        a->in_run = false;
        if (rc == MH_OK)
            memo_end(rec, text, n);
    }
    return rc;
}

/* The engine: sentences and tokens of text, written down in rec too when
 * it is not NULL. */
static int run_text(mh_analyzer *a, const char *text, size_t n, unsigned opts,
                    mh_token_cb tcb, sent_cb scb, void *ctx, memo *rec)
{
    splitter sp;
    size_t st, en, ntok = 0;
    uint32_t sent = 0;
    splitter_init(&sp, text, n);
    while (sent_next(&sp, &st, &en)) {
        if (en <= st)
            continue;
        if (rec)
            memo_sent(rec, st, en);
        if (scb) {
            int rc = scb(ctx, st, en);
            if (rc)
                return rc;
        }
        size_t pos = st;
        rawtok r;
        bool first = true;
        while (next_token(text, en, &pos, &r, !(opts & MH_AN_NOGLUE))) {
            mh_token t;
            if (++ntok > MH_MAX_TOKENS)
                return MH_ETOOBIG;
            mh_err e = build_token(a, text, n, &r, sent, st, first, opts, &t);
            if (e)
                return e;
            first = false;
            if (rec)
                memo_tok(rec, &t);
            if (tcb) {
                int rc = tcb(ctx, &t);
                if (rc)
                    return rc;
            }
        }
        sent++;
    }
    return MH_OK;
}

int mh_tokenize(mh_analyzer *a, const char *text, size_t n, unsigned opts,
                mh_token_cb cb, void *ctx)
{
    return run(a, text, n, opts, cb, NULL, ctx);
}

/* ------------------------------------------------------------------ */
/* Documents                                                           */
/* ------------------------------------------------------------------ */

typedef struct doc_impl {
    mh_doc d;                 /* first: mh_doc_free casts back */
    mh_arena arena;
    size_t cap_tok, cap_sent;
    mh_err err;
} doc_impl;

static int doc_sent(void *ctx, size_t start, size_t end)
{
    doc_impl *di = ctx;
    if (di->d.n_sentences == di->cap_sent &&
        mh_grow(&di->d.sentences, &di->cap_sent, di->d.n_sentences + 1,
                sizeof *di->d.sentences, 64))
        return di->err = MH_ENOMEM;
    di->d.sentences[di->d.n_sentences].start = (uint32_t)start;
    di->d.sentences[di->d.n_sentences].end = (uint32_t)end;
    di->d.n_sentences++;
    return 0;
}

/* Append (s, n) and its NUL at *p, returning the copy (mh_copy_small:
 * a word costs less than a call to memcpy). */
static inline const char *put_str(char **p, const char *s, uint32_t n)
{
    char *d = *p;
    mh_copy_small(d, s, n);
    d[n] = 0;
    *p = d + n + 1;
    return d;
}

/*
 * Copy a borrowed token into the document.  Its strings go into one
 * arena block; the norm, fold and stem of a token are often equal, so
 * equal strings share one copy (an ASCII stem is its own fold).
 */
static int doc_tok(void *ctx, const mh_token *t)
{
    doc_impl *di = ctx;
    if (di->d.n_tokens == di->cap_tok) {
        /* The first array is sized for the text (a token per six bytes
         * or so, up to 64k tokens), so that a body's tokens are not
         * copied over and over as the array doubles from 256; when that
         * much is not to be had, 256 as before. */
        size_t guess = di->d.text_len / 6 + 16;
        size_t cap = di->cap_tok ? di->cap_tok * 2
                                 : guess < 256 ? 256 : guess > 65536 ? 65536 : guess;
        mh_token *p = mh_realloc(di->d.tokens, cap * sizeof *p);
        if (!p && !di->cap_tok && cap > 256) {
            cap = 256;
            p = mh_realloc(di->d.tokens, cap * sizeof *p);
        }
        if (!p)
            return di->err = MH_ENOMEM;
        di->d.tokens = p;
        di->cap_tok = cap;
    }
    bool fold_norm = same_str(t->fold, t->fold_len, t->norm, t->norm_len);
    bool stem_norm = same_str(t->stem, t->stem_len, t->norm, t->norm_len);
    bool sf_stem = same_str(t->stem_fold, t->stem_fold_len, t->stem, t->stem_len);
    bool sf_fold = !sf_stem && same_str(t->stem_fold, t->stem_fold_len, t->fold, t->fold_len);
    size_t need = (size_t)t->norm_len + 1;
    if (t->suffix_len)
        need += (size_t)t->suffix_len + 1;
    if (!fold_norm)
        need += (size_t)t->fold_len + 1;
    if (!stem_norm)
        need += (size_t)t->stem_len + 1;
    if (!sf_stem && !sf_fold)
        need += (size_t)t->stem_fold_len + 1;
    char *p = mh_arena_alloc(&di->arena, need);
    if (!p)
        return di->err = di->arena.err;
    mh_token *o = &di->d.tokens[di->d.n_tokens];
    *o = *t;
    o->norm = put_str(&p, t->norm, t->norm_len);
    /* Most tokens have no suffix: they share one empty string. */
    o->suffix = t->suffix_len ? put_str(&p, t->suffix, t->suffix_len) : "";
    o->fold = fold_norm ? o->norm : put_str(&p, t->fold, t->fold_len);
    o->stem = stem_norm ? o->norm : put_str(&p, t->stem, t->stem_len);
    o->stem_fold = sf_stem   ? o->stem
                   : sf_fold ? o->fold
                             : put_str(&p, t->stem_fold, t->stem_fold_len);
    di->d.n_tokens++;
    return 0;
}

mh_err mh_analyze(mh_analyzer *a, const char *text, size_t n, unsigned opts, mh_doc **out)
{
    if (!out)
        return MH_EINVAL;
    *out = NULL;
    if (!a || (!text && n))
        return MH_EINVAL;
    if (n > MH_MAX_PAGE_BYTES)
        return MH_ETOOBIG;
    doc_impl *di = mh_malloc(sizeof *di);
    if (!di)
        return MH_ENOMEM;
    memset(di, 0, sizeof *di);
    mh_arena_init(&di->arena, 0);
    mh_err rc = MH_OK;
    char *copy = mh_arena_strndup(&di->arena, text ? text : "", n);
    if (!copy) {
        rc = MH_ENOMEM;
        goto out;
    }
    di->d.text = copy;
    di->d.text_len = n;
    int r = run(a, copy, n, opts, doc_tok, doc_sent, di);
    if (r) {
        rc = di->err ? di->err : (mh_err)r;
        goto out;
    }
out:
    if (rc) {
        mh_doc_free(&di->d);
        return rc;
    }
    *out = &di->d;
    return MH_OK;
}

void mh_doc_free(mh_doc *d)
{
    if (!d)
        return;
    doc_impl *di = (doc_impl *)d;
    mh_free(di->d.sentences);
    mh_free(di->d.tokens);
    mh_arena_free(&di->arena);
    mh_free(di);
}

/* ------------------------------------------------------------------ */
/* Unglue                                                              */
/* ------------------------------------------------------------------ */

/* Is the character before i (i > 0) lowercase, is the one at j uppercase
 * (or a digit), as the splitter asks?  A broken sequence counts as both,
 * so that glue_possible never says no where the splitter could say yes. */
static inline bool lower_before(const char *s, size_t i)
{
    uint32_t cp = cp_before(s, 0, i, NULL);
    return cp == 0xFFFD || cp_lower(cp);
}

static inline bool upper_at(const char *s, size_t n, size_t j, bool digit)
{
    uint32_t cp = cp_at(s, n, j, NULL);
    return cp == 0xFFFD || cp_upper(cp) || (digit && cp_digit(cp));
}

/* Bytes of the terminator at s[i] ('.', '!', '?' or '…'), or 0. */
static inline size_t term_len(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c == '.' || c == '!' || c == '?')
        return 1;
    if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
        (unsigned char)s[i + 2] == 0xA6)
        return 3;
    return 0;
}

/*
 * Can the splitter find two sentences of s with nothing between them?
 * sent_next ends a sentence exactly where the next one starts in these
 * cases only: a terminator run after a lowercase letter and directly
 * followed by a capital, or by an opening quote and a capital or digit
 * ("söyledi.Belarus", "vurguladı.'START"); a question or exclamation
 * mark after a capital and before one ("YAPILACAK?Kampanyadan"); and an
 * apostrophe between a
 * lowercase letter and a capital ("konuşulmuyor'Lavrov").  Everywhere
 * else (line ends, headings, quoted headings, ordinary boundaries) spaces
 * or a line end lie between.  Without such a place there is nothing to
 * unglue, and the text is copied without being split.
 */
static bool glue_possible(const char *s, size_t n)
{
    size_t i = 0;
    while ((i = next_special(s, i, n)) < n) {
        if (s[i] == '\'') {
            if (i > 0 && i + 1 < n && lower_before(s, i) && upper_at(s, n, i + 1, false))
                return true;
            i++;
            continue;
        }
        size_t j = i, t;
        while (j < n && (t = term_len(s, n, j)) != 0)
            j += t;
        if (j == i) {           /* '"', or another character's 0xE2 */
            i++;
            continue;
        }
        bool mark = memchr(s + i, '?', j - i) || memchr(s + i, '!', j - i);
        if (i > 0 && j < n && mark && upper_at(s, n, j, false))
            return true;        /* "NASIL YAPILACAK?Kampanyadan" */
        if (i > 0 && j < n && lower_before(s, i)) {
            if (upper_at(s, n, j, false))
                return true;
            if ((s[j] == '"' || s[j] == '\'') && j + 1 < n && upper_at(s, n, j + 1, true))
                return true;
        }
        i = j;
    }
    return false;
}

mh_err mh_unglue(const char *s, size_t n, char **out, size_t *out_len)
{
    mh_buf b;
    splitter sp;
    size_t st, en, copied = 0;
    if (!out || (!s && n))
        return MH_EINVAL;
    *out = NULL;
    if (out_len)
        *out_len = 0;
    if (n > MH_MAX_PAGE_BYTES)
        return MH_ETOOBIG;
    mh_buf_init(&b, 0);
    mh_buf_cstr(&b);
    if (s && glue_possible(s, n)) {
        /* Wherever a sentence starts right where the previous one ended,
         * the two were glued: put a space between them. */
        splitter_init(&sp, s, n);
        size_t prev_end = NONE;
        while (sent_next(&sp, &st, &en)) {
            if (prev_end != NONE && st == prev_end && st > 0) {
                mh_buf_add(&b, s + copied, st - copied);
                mh_buf_addc(&b, ' ');
                copied = st;
            }
            prev_end = en;
        }
    }
    if (s)
        mh_buf_add(&b, s + copied, n - copied);
    if (b.err) {
        mh_err e = b.err;
        mh_buf_free(&b);
        return e;
    }
    *out = mh_buf_detach(&b, out_len);
    return *out ? MH_OK : MH_ENOMEM;
}
