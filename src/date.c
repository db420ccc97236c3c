/*
 * date.c -- calendar dates in the forms Turkish news pages write them:
 * ISO (2025-10-28, 2025-10-28T09:15:00+03:00), day-first numeric
 * (28.10.2025, 28/10/2025, 28-10-2025), Turkish and English month names
 * (28 Ekim 2025, 28 EKİM 2025, Ekim 28, 2025, 28 Eki 2025, October 28,
 * 2025), and relative expressions ("2 saat önce", "dün") resolved against
 * the time a page was fetched.
 *
 * Every date is validated (month 1..12, the day within that month, leap
 * years) and kept only for years 1990..2100: a news page outside that
 * range is a parsing accident, and a wrong date is worse than none.
 *
 * Sources: the Gregorian calendar; the days-from-civil conversion is the
 * usual proleptic Gregorian arithmetic (400-year eras).  Turkey has kept
 * UTC+3 all year since 2016; relative dates and zone-less times are read
 * in that zone.
 *
 * Limits: month-day-year numeric dates (10/28/2025) are not read (Turkish
 * pages are day first; a US date either fails validation or would be
 * misread, so it is left alone).  "2 ay önce" and "1 yıl önce" are too
 * vague to give a day and yield nothing.
 */
#include "internal.h"

#define TR_OFFSET (3 * 3600)   /* Europe/Istanbul, UTC+3 since 2016 */
#define YEAR_MIN 1990
#define YEAR_MAX 2100

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool is_ascii_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
/* A byte that can be part of a word: ASCII letter or any non-ASCII byte
 * (clean text has no non-ASCII spaces or punctuation that matter here
 * besides quotes, which the callers never put inside a month name). */
static bool is_word_byte(unsigned char c) { return is_ascii_alpha(c) || c >= 0x80; }

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m)
{
    static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

static bool valid_ymd(int y, int m, int d)
{
    return y >= YEAR_MIN && y <= YEAR_MAX && m >= 1 && m <= 12 && d >= 1 &&
           d <= days_in_month(y, m);
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Inverse of days_from_civil. */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

/* "YYYY-MM-DD" and a NUL.  Every caller has validated the date (years
 * 1990..2100), so the fields have exactly these widths; written digit by
 * digit because a date is formatted for most stamps of every page. */
static void write_ymd(char out[11], int y, int m, int d)
{
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = 0;
}

/* Read 1..max digits at s[*i]; returns how many were read (0 = none) and
 * stops at max so "20251028" is not one huge number. */
static int read_num(const char *s, size_t n, size_t *i, int max, int *val)
{
    int k = 0, v = 0;
    while (*i < n && k < max && is_digit((unsigned char)s[*i])) {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        k++;
    }
    *val = v;
    return k;
}

/* The byte after a date must not continue a number or a word ("2025a",
 * "20251"); an apostrophe suffix ("2025'te") or punctuation is fine. */
static bool boundary(const char *s, size_t n, size_t i)
{
    return i >= n || !(is_digit((unsigned char)s[i]) || is_ascii_alpha((unsigned char)s[i]));
}

/* Month names, folded (mh_tr_fold) and in ASCII: Turkish and English
 * names and their abbreviations, which a dot may follow.  Each word is
 * listed once: "mar" and "may" are Turkish abbreviations (the English
 * "mar" is one too, and "May" read as one takes its dot).  One list per
 * first letter, so that a word is compared with few names. */
typedef struct month_name {
    const char *w;     /* NULL ends a list */
    unsigned char len, month;
    bool abbr;         /* a dot after it belongs to it */
} month_name;

static const month_name months_a[] = {
    { "agustos", 7, 8, false }, { "aralik", 6, 12, false }, { "agu", 3, 8, true },
    { "ara", 3, 12, true }, { "april", 5, 4, false }, { "august", 6, 8, false },
    { "apr", 3, 4, true }, { "aug", 3, 8, true }, { NULL, 0, 0, false },
};
static const month_name months_d[] = {
    { "december", 8, 12, false }, { "dec", 3, 12, true }, { NULL, 0, 0, false },
};
static const month_name months_e[] = {
    { "eylul", 5, 9, false }, { "ekim", 4, 10, false }, { "eyl", 3, 9, true },
    { "eki", 3, 10, true }, { NULL, 0, 0, false },
};
static const month_name months_f[] = {
    { "february", 8, 2, false }, { "feb", 3, 2, true }, { NULL, 0, 0, false },
};
static const month_name months_h[] = {
    { "haziran", 7, 6, false }, { "haz", 3, 6, true }, { NULL, 0, 0, false },
};
static const month_name months_j[] = {
    { "january", 7, 1, false }, { "june", 4, 6, false }, { "july", 4, 7, false },
    { "jan", 3, 1, true }, { "jun", 3, 6, true }, { "jul", 3, 7, true }, { NULL, 0, 0, false },
};
static const month_name months_k[] = {
    { "kasim", 5, 11, false }, { "kas", 3, 11, true }, { NULL, 0, 0, false },
};
static const month_name months_m[] = {
    { "mart", 4, 3, false }, { "mayis", 5, 5, false }, { "mar", 3, 3, true },
    { "may", 3, 5, true }, { "march", 5, 3, false }, { NULL, 0, 0, false },
};
static const month_name months_n[] = {
    { "nisan", 5, 4, false }, { "nis", 3, 4, true }, { "november", 8, 11, false },
    { "nov", 3, 11, true }, { NULL, 0, 0, false },
};
static const month_name months_o[] = {
    { "ocak", 4, 1, false }, { "oca", 3, 1, true }, { "october", 7, 10, false },
    { "oct", 3, 10, true }, { NULL, 0, 0, false },
};
static const month_name months_s[] = {
    { "subat", 5, 2, false }, { "sub", 3, 2, true }, { "september", 9, 9, false },
    { "sep", 3, 9, true }, { NULL, 0, 0, false },
};
static const month_name months_t[] = {
    { "temmuz", 6, 7, false }, { "tem", 3, 7, true }, { NULL, 0, 0, false },
};

static const month_name *const months_by_initial[26] = {
    ['a' - 'a'] = months_a, ['d' - 'a'] = months_d, ['e' - 'a'] = months_e,
    ['f' - 'a'] = months_f, ['h' - 'a'] = months_h, ['j' - 'a'] = months_j,
    ['k' - 'a'] = months_k, ['m' - 'a'] = months_m, ['n' - 'a'] = months_n,
    ['o' - 'a'] = months_o, ['s' - 'a'] = months_s, ['t' - 'a'] = months_t,
};

/* Sets of first letters, one bit per letter from 'a'. */
#define INITIAL(c) (1u << ((c) - 'a'))
/* The first letters of the month names (the lists above). */
static const uint32_t month_initials =
    INITIAL('a') | INITIAL('d') | INITIAL('e') | INITIAL('f') | INITIAL('h') | INITIAL('j') |
    INITIAL('k') | INITIAL('m') | INITIAL('n') | INITIAL('o') | INITIAL('s') | INITIAL('t');
/* The first letters of the words that open a relative date without a
 * number (mh_date_relative). */
static const uint32_t relative_initials =
    INITIAL('a') | INITIAL('b') | INITIAL('d') | INITIAL('e') | INITIAL('j') | INITIAL('o') |
    INITIAL('s') | INITIAL('t') | INITIAL('y');
#undef INITIAL

/* Can a word starting with byte b fold to a word whose first letter is
 * in the set (bits from 'a')?  An ASCII byte decides at once without
 * folding: it must be a letter, and it folds to its lowercase (I folds to
 * i, which 'I' | 0x20 is too).  A longer character needs the fold. */
static bool initial_may_be(unsigned char b, uint32_t set)
{
    if (b >= 0x80)
        return true;
    return is_ascii_alpha(b) && ((set >> ((b | 0x20) - 'a')) & 1);
}

/* A word at s[*i]: returns its byte length (0 if none) without moving. */
static size_t word_len(const char *s, size_t n, size_t i)
{
    size_t k = i;
    while (k < n && is_word_byte((unsigned char)s[k]))
        k++;
    return k - i;
}

/*
 * Fold one word (at most 31 bytes) into buf, NUL terminated: the bytes
 * mh_tr_fold gives (Turkish lowercase, then the ASCII fold), code point by
 * code point as mh_tr_fold_buf takes them.  The extractor asks for a date
 * at nearly every word of its short lines, so this writes into the
 * caller's array instead of allocating a copy per word.  False when the
 * word is empty or too long, or its fold does not fit in cap bytes with
 * the NUL.
 */
static bool fold_word(const char *s, size_t n, char *buf, size_t cap)
{
    size_t k = 0, o = 0;
    if (n == 0 || n > 31)
        return false;
    while (k < n) {
        unsigned char b = (unsigned char)s[k];
        if (b < 0x80 && b != 'I') {
            /* ASCII other than I: lowercase it, nothing else to do. */
            if (o + 1 >= cap)
                return false;
            buf[o++] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
            k++;
            continue;
        }
        uint32_t cp = mh_utf8_next(s, n, &k);
        if (cp >= 'A' && cp <= 'Z') {
            /* I + U+0307 (combining dot above) is the decomposed İ:
             * the dot goes with it, and both fold to i. */
            if (cp == 'I' && k + 1 < n && (unsigned char)s[k] == 0xCC &&
                (unsigned char)s[k + 1] == 0x87)
                k += 2;
            cp += 32;
        } else if (cp >= 0x80) {
            cp = mh_tr_fold_cp(mh_tr_lower_cp(cp));
            if (!cp)
                continue;       /* a combining mark: dropped */
        }
        char e[4];
        size_t l = (size_t)mh_utf8_encode(cp, e);
        if (o + l >= cap)
            return false;
        memcpy(buf + o, e, l);
        o += l;
    }
    buf[o] = 0;
    return true;
}

/* Month (1..12) named by the word at s[*i]; advances past it and a dot
 * after an abbreviation ("Eki.", "Sept.").  0 when not a month. */
static int month_word(const char *s, size_t n, size_t *i)
{
    char w[40];
    /* Most words asked about are not month names, and this is asked at
     * nearly every word of a date line: a word whose first letter starts
     * no name is turned away at once (before folding when it is ASCII),
     * and the word is compared only with the names of its first letter. */
    if (*i >= n || !initial_may_be((unsigned char)s[*i], month_initials))
        return 0;
    size_t wl = word_len(s, n, *i);
    if (!fold_word(s + *i, wl, w, sizeof w))
        return 0;
    if (strcmp(w, "sept") == 0)
        strcpy(w, "sep");
    size_t fl = strlen(w);
    if (w[0] < 'a' || w[0] > 'z' || !months_by_initial[w[0] - 'a'])
        return 0;
    for (const month_name *e = months_by_initial[w[0] - 'a']; e->w; e++)
        if (e->len == fl && memcmp(w, e->w, fl) == 0) {
            *i += wl;
            if (e->abbr && *i < n && s[*i] == '.')
                (*i)++;
            return e->month;
        }
    return 0;
}

static size_t skip_spaces(const char *s, size_t n, size_t i)
{
    while (i < n && s[i] == ' ')
        i++;
    return i;
}

/* ISO time after a date: [T ]HH:MM[:SS[.frac]][Z|+HH[:]MM|-HH[:]MM].
 * Returns the bytes read (0 when no time follows) and the seconds of the
 * day and zone offset (*has_zone false when no zone was written). */
static size_t iso_time(const char *s, size_t n, size_t i, int *secs, int *zone, bool *has_zone)
{
    size_t start = i;
    int hh, mm, ss = 0;
    *has_zone = false;
    *zone = 0;
    if (i >= n || (s[i] != 'T' && s[i] != ' '))
        return 0;
    i++;
    if (read_num(s, n, &i, 2, &hh) != 2 || i >= n || s[i] != ':')
        return 0;
    i++;
    if (read_num(s, n, &i, 2, &mm) != 2 || hh > 23 || mm > 59)
        return 0;
    if (i < n && s[i] == ':') {
        size_t j = i + 1;
        if (read_num(s, n, &j, 2, &ss) == 2 && ss <= 60)
            i = j;
        else
            ss = 0;
        if (i < n && (s[i] == '.' || s[i] == ',') && i + 1 < n && is_digit((unsigned char)s[i + 1])) {
            i++;
            while (i < n && is_digit((unsigned char)s[i]))
                i++;
        }
    }
    if (i < n && s[i] == 'Z') {
        i++;
        *has_zone = true;
    } else if (i < n && (s[i] == '+' || s[i] == '-')) {
        size_t j = i + 1;
        int zh, zm = 0;
        if (read_num(s, n, &j, 2, &zh) == 2 && zh <= 14) {
            size_t k = j;
            if (k < n && s[k] == ':')
                k++;
            if (read_num(s, n, &k, 2, &zm) == 2 && zm <= 59)
                j = k;
            else
                zm = 0;
            *zone = (zh * 3600 + zm * 60) * (s[i] == '-' ? -1 : 1);
            *has_zone = true;
            i = j;
        }
    }
    *secs = hh * 3600 + mm * 60 + ss;
    return i - start;
}

/* The core parser shared by mh_date_parse and mh_date_to_unix. */
static size_t parse_date(const char *s, size_t n, int *py, int *pm, int *pd, size_t *iso_end)
{
    size_t i = 0;
    int a, b, c;
    *iso_end = 0;
    if (!s || !n)
        return 0;
    if (is_digit((unsigned char)s[0])) {
        int k = read_num(s, n, &i, 4, &a);
        if (k == 4 && i < n && (s[i] == '-' || s[i] == '/' || s[i] == '.')) {
            /* Year first: two-digit month and day, as ISO 8601 writes
             * them; a 'T' may start the time. */
            char sep = s[i++];
            if (read_num(s, n, &i, 2, &b) != 2 || i >= n || s[i] != sep)
                return 0;
            i++;
            if (read_num(s, n, &i, 2, &c) != 2 || !valid_ymd(a, b, c))
                return 0;
            if (!boundary(s, n, i) &&
                !(sep == '-' && s[i] == 'T' && i + 1 < n && is_digit((unsigned char)s[i + 1])))
                return 0;
            *py = a; *pm = b; *pd = c;
            if (sep == '-')
                *iso_end = i;
            return i;
        }
        if (k > 2 || i >= n)
            return 0;
        if (s[i] == '.' || s[i] == '/' || s[i] == '-') {
            char sep = s[i++];
            if (!read_num(s, n, &i, 2, &b) || i >= n || s[i] != sep)
                return 0;
            i++;
            if (read_num(s, n, &i, 4, &c) != 4 || !boundary(s, n, i) || !valid_ymd(c, b, a))
                return 0;
            *py = c; *pm = b; *pd = a;
            return i;
        }
        /* "28 Ekim 2025", "28 Ekim, 2025" */
        size_t j = skip_spaces(s, n, i);
        if (j == i)
            return 0;
        b = month_word(s, n, &j);
        if (!b)
            return 0;
        if (j < n && s[j] == ',')
            j++;
        size_t y0 = skip_spaces(s, n, j);
        if (y0 == j)
            return 0;
        j = y0;
        if (read_num(s, n, &j, 4, &c) != 4 || !boundary(s, n, j) || !valid_ymd(c, b, a))
            return 0;
        *py = c; *pm = b; *pd = a;
        return j;
    }
    /* "Ekim 28, 2025", "October 28, 2025" */
    b = month_word(s, n, &i);
    if (!b)
        return 0;
    size_t j = skip_spaces(s, n, i);
    if (j == i || !read_num(s, n, &j, 2, &a) || (j < n && is_digit((unsigned char)s[j])))
        return 0;
    if (j < n && s[j] == ',')
        j++;
    size_t y0 = skip_spaces(s, n, j);
    if (y0 == j)
        return 0;
    j = y0;
    if (read_num(s, n, &j, 4, &c) != 4 || !boundary(s, n, j) || !valid_ymd(c, b, a))
        return 0;
    *py = c; *pm = b; *pd = a;
    return j;
}

size_t mh_date_parse(const char *s, size_t n, char out[11])
{
    int y, m, d, secs, zone;
    bool has_zone;
    size_t iso_end;
    size_t k = parse_date(s, n, &y, &m, &d, &iso_end);
    if (!k)
        return 0;
    if (iso_end) {
        size_t t = iso_time(s, n, iso_end, &secs, &zone, &has_zone);
        if (t && boundary(s, n, iso_end + t))
            k = iso_end + t;
    }
    if (out)
        write_ymd(out, y, m, d);
    return k;
}

int64_t mh_date_to_unix(const char *s, size_t n)
{
    int y, m, d, secs = 0, zone = TR_OFFSET;
    bool has_zone = false;
    size_t iso_end;
    if (!parse_date(s, n, &y, &m, &d, &iso_end))
        return 0;
    if (iso_end)
        iso_time(s, n, iso_end, &secs, &zone, &has_zone);
    if (!has_zone)
        zone = TR_OFFSET;
    return days_from_civil(y, m, d) * 86400 + secs - zone;
}

/* Local (Turkey) calendar date of a unix time shifted by delta days. */
static bool local_date(int64_t t, int64_t delta_days, char out[11])
{
    int64_t local = t + TR_OFFSET;
    int64_t days = (local >= 0 ? local / 86400 : (local - 86399) / 86400) + delta_days;
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    if (!valid_ymd(y, m, d))
        return false;
    write_ymd(out, y, m, d);
    return true;
}

/* Relative units, folded.  Months and years are deliberately absent. */
static const struct { const char *w; int secs; } units[] = {
    { "saniye", 1 }, { "sn", 1 }, { "dakika", 60 }, { "dk", 60 }, { "dak", 60 },
    { "saat", 3600 }, { "sa", 3600 }, { "gun", 86400 }, { "hafta", 7 * 86400 },
    { "second", 1 }, { "seconds", 1 }, { "minute", 60 }, { "minutes", 60 },
    { "min", 60 }, { "mins", 60 }, { "hour", 3600 }, { "hours", 3600 },
    { "day", 86400 }, { "days", 86400 }, { "week", 7 * 86400 }, { "weeks", 7 * 86400 },
};

/* The folded word at s[i] (length via *wl); false when none. */
static bool word_at(const char *s, size_t n, size_t i, char *buf, size_t cap, size_t *wl)
{
    *wl = word_len(s, n, i);
    return *wl && fold_word(s + i, *wl, buf, cap);
}

size_t mh_date_relative(const char *s, size_t n, int64_t crawl_time, char out[11])
{
    char w[40], w2[40];
    size_t i = 0, wl, wl2;
    if (!s || !n || crawl_time <= 0)
        return 0;
    if (is_digit((unsigned char)s[0])) {
        int v;
        if (!read_num(s, n, &i, 3, &v) || (i < n && is_digit((unsigned char)s[i])))
            return 0;
        size_t j = skip_spaces(s, n, i);
        if (!word_at(s, n, j, w, sizeof w, &wl))
            return 0;
        int unit = 0;
        for (size_t u = 0; u < MH_ARRAY_LEN(units); u++)
            if (units[u].w[0] == w[0] && strcmp(w, units[u].w) == 0)
                unit = units[u].secs;
        if (!unit)
            return 0;
        j += wl;
        if (j < n && s[j] == '.')
            j++;
        size_t k = skip_spaces(s, n, j);
        if (!word_at(s, n, k, w2, sizeof w2, &wl2) ||
            (strcmp(w2, "once") != 0 && strcmp(w2, "ago") != 0))
            return 0;
        if (!local_date(crawl_time - (int64_t)v * unit, 0, out))
            return 0;
        return k + wl2;
    }
    /* Only the words below start a relative date; their first letters
     * turn most other words away before any comparison (an ASCII one
     * before folding the word). */
    if (!initial_may_be((unsigned char)s[0], relative_initials) ||
        !word_at(s, n, 0, w, sizeof w, &wl))
        return 0;
    switch (w[0]) {
    case 'a': case 'b': case 'd': case 'e': case 'j': case 'o': case 's': case 't': case 'y':
        break;
    default:
        return 0;
    }
    int64_t delta;
    size_t end = wl;
    if (strcmp(w, "dun") == 0 || strcmp(w, "yesterday") == 0) {
        delta = -1;
    } else if (strcmp(w, "bugun") == 0 || strcmp(w, "today") == 0 || strcmp(w, "simdi") == 0) {
        delta = 0;
    } else if (strcmp(w, "az") == 0 || strcmp(w, "biraz") == 0 || strcmp(w, "onceki") == 0 ||
               strcmp(w, "evvelki") == 0 || strcmp(w, "just") == 0) {
        size_t k = skip_spaces(s, n, wl);
        if (k == wl || !word_at(s, n, k, w2, sizeof w2, &wl2))
            return 0;
        if ((w[0] == 'o' || w[0] == 'e') && strcmp(w2, "gun") == 0)
            delta = -2;
        else if ((w[0] == 'a' || w[0] == 'b') && strcmp(w2, "once") == 0)
            delta = 0;
        else if (w[0] == 'j' && strcmp(w2, "now") == 0)
            delta = 0;
        else
            return 0;
        end = k + wl2;
    } else {
        return 0;
    }
    if (!boundary(s, n, end) || !local_date(crawl_time, delta, out))
        return 0;
    return end;
}
