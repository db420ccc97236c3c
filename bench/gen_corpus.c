/*
 * gen_corpus.c -- writes a benchmark corpus of realistic scraped news pages.
 *
 * Purpose: scale the 2,400 real TTC-3600 texts (../shared/data/ttc3600,
 * Kılınç et al. 2017, CC BY 4.0) to any number of pages (10k, 100k, 1M)
 * wrapped in the kinds of web noise the five seed pages show: menu lines,
 * category lines, repeated titles, "date YYYY-MM-DD URL" headers, datelines,
 * relative dates, image placeholders, capitalised section headings, glued
 * sentences, hashtag lines, "Kaynak:" lines, related-headline blocks with
 * time stamps, "Yorumlara Git", CRLF line ends, BOMs and the tab runs and
 * U+0085 line ends of the raw TTC files.
 *
 * The first pass over the texts (pages 0..2399) keeps each text as it is,
 * so the natural duplicates of TTC-3600 stay in.  Every later page puts a
 * foreign sentence into the first paragraph of a random base text and a
 * paragraph of another text of the same category after it, then drops
 * sentences, swaps in and adds others and rewrites digits at random, so
 * pages are not copies of each other: the pipeline deduplicates by content
 * hash, and a benchmark of duplicates would measure the duplicate check
 * only.  (Measured: about 0.1% of 100k pages still come out as duplicates
 * of another after extraction, most of them short base texts.)
 *
 * Output: a directory tree OUT/dNNNN/NNNNNNN.txt (1,000 files per
 * subdirectory; the realistic "dump" mode) or JSONL shards OUT/shard-NNNN.jsonl
 * of 10,000 records with title/url/date/source/category/content fields.
 * Deterministic: the same seed and count give the same bytes; page i depends
 * only on (seed, i).
 *
 * Limits: no text of the data set is stored in this file; it is read at run
 * time.  Sentence splitting here is a rough heuristic for mixing, not the
 * project's analyser.  Turkish upper-casing and slug folding below are
 * explicit tables for generating headings and URLs only.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define FILES_PER_DIR   1000
#define RECS_PER_SHARD  10000
#define MAX_PARAS       128
#define MAX_REFS        512

/* ---------------- facts: categories and outlets ---------------- */

static const char *const cat_dirs[6] = {
    "ekonomi", "kultursanat", "saglik", "siyaset", "spor", "teknoloji"
};
static const char *const cat_names[6] = {
    "Ekonomi", "Kültür Sanat", "Sağlık", "Politika", "Spor", "Teknoloji"
};
static const char *const cat_slugs[6] = {
    "ekonomi", "kultur-sanat", "saglik", "politika", "spor", "teknoloji"
};
/* Categories of the borrowed headlines in related blocks. */
static const char *const stamp_cats[] = {
    "Dünya", "Gündem", "Politika", "Spor", "Ekonomi", "Sağlık", "Teknoloji",
    "Kültür Sanat", "Yaşam", "Magazin", "Eğitim"
};

typedef struct outlet { const char *host, *name, *menu; } outlet;
/* Real Turkish news outlets: host, display name, name as printed in menus. */
static const outlet outlets[] = {
    {"www.hurriyet.com.tr", "Hürriyet", "HÜRRİYET"},
    {"www.milliyet.com.tr", "Milliyet", "MİLLİYET"},
    {"www.sabah.com.tr", "Sabah", "SABAH"},
    {"www.sozcu.com.tr", "Sözcü", "SÖZCÜ"},
    {"www.haberturk.com", "Habertürk", "HABERTÜRK"},
    {"www.cumhuriyet.com.tr", "Cumhuriyet", "CUMHURİYET"},
    {"www.ntv.com.tr", "NTV", "NTV"},
    {"www.cnnturk.com", "CNN Türk", "CNN TÜRK"},
    {"www.aa.com.tr", "Anadolu Ajansı", "AA"},
    {"www.trthaber.com", "TRT Haber", "TRT HABER"},
    {"www.yenisafak.com", "Yeni Şafak", "YENİ ŞAFAK"},
    {"www.star.com.tr", "Star", "STAR"},
    {"www.haber7.com", "Haber7", "HABER7"},
    {"www.ensonhaber.com", "En Son Haber", "ENSONHABER"},
    {"www.yeniakit.com.tr", "Yeni Akit", "AKİT"},
    {"anlatilaninotesi.com.tr", "Sputnik Türkiye", "SPUTNİK"},
    {"www.dha.com.tr", "DHA", "DHA"},
    {"www.iha.com.tr", "İHA", "İHA"},
    {"t24.com.tr", "T24", "T24"},
    {"bianet.org", "Bianet", "BİANET"},
    {"www.ahaber.com.tr", "A Haber", "A HABER"},
    {"www.posta.com.tr", "Posta", "POSTA"},
    {"www.takvim.com.tr", "Takvim", "TAKVİM"},
    {"www.mynet.com", "Mynet", "MYNET"},
    {"www.internethaber.com", "İnternet Haber", "İNTERNET HABER"},
    {"www.odatv.com", "Odatv", "ODATV"},
    {"www.gazeteduvar.com.tr", "Gazete Duvar", "GAZETE DUVAR"},
    {"www.karar.com", "Karar", "KARAR"},
    {"www.birgun.net", "BirGün", "BİRGÜN"},
    {"www.evrensel.net", "Evrensel", "EVRENSEL"},
    {"www.dunya.com", "Dünya", "DÜNYA"},
    {"www.bloomberght.com", "Bloomberg HT", "BLOOMBERG HT"},
    {"www.fanatik.com.tr", "Fanatik", "FANATİK"},
    {"www.fotomac.com.tr", "Fotomaç", "FOTOMAÇ"},
    {"www.aksam.com.tr", "Akşam", "AKŞAM"},
    {"www.haberler.com", "Haberler.com", "HABERLER.COM"},
    {"www.yenicaggazetesi.com.tr", "Yeniçağ", "YENİÇAĞ"},
    {"www.turkiyegazetesi.com.tr", "Türkiye", "TÜRKİYE"},
    {"www.indyturk.com", "Independent Türkçe", "INDEPENDENT TÜRKÇE"},
    {"tr.euronews.com", "Euronews", "EURONEWS"},
};
#define N_OUTLETS ((int)MH_ARRAY_LEN(outlets))

static const char *const agencies[] = { "AA", "DHA", "İHA", "ANKA", "Reuters", "AFP" };
static const char *const cities[] = {
    "ANKARA", "İSTANBUL", "İZMİR", "ADANA", "BURSA", "ANTALYA", "TRABZON",
    "DİYARBAKIR", "KONYA", "GAZİANTEP", "ESKİŞEHİR", "KAYSERİ", "SAMSUN",
    "MERSİN", "VAN", "ERZURUM", "MUĞLA", "ÇANAKKALE", "ŞANLIURFA", "DENİZLİ"
};
static const char *const months[12] = {
    "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz",
    "Ağustos", "Eylül", "Ekim", "Kasım", "Aralık"
};
static const char *const title_prefix[] = {
    "Son dakika: ", "Son dakika... ", "Flaş! ", "SON DAKİKA | ", "Açıklama geldi: ",
    "Gündem: ", "Flaş gelişme: "
};
static const char *const title_suffix[] = {
    "!", "! İşte detaylar", "...", " - Son dakika haberleri", " | Video", "!"
};
static const char *const tags[] = {
    "#haber", "#gündem", "#sondakika", "#news", "#press", "#türkiye", "#ekonomi",
    "#spor", "#siyaset", "#sağlık", "#teknoloji", "#kültür", "#worldnews"
};
static const char *const block_heads[] = {
    "Benzer Haberler", "İlgili Haberler", "Haftanın Öne Çıkanları",
    "Günün Manşetleri", "Çok Okunanlar", "Editörün Seçtikleri"
};

/* ---------------- random numbers ---------------- */

/* splitmix64: tiny, fast, and good enough to pick layouts and texts; each
 * page seeds its own state from (seed, page) so pages are independent. */
static uint64_t rnd_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static uint32_t rnd_below(uint64_t *s, uint32_t n)
{
    return n ? (uint32_t)((rnd_next(s) >> 32) % n) : 0;
}
/* True with probability pct/100. */
static int rnd_pct(uint64_t *s, unsigned pct) { return rnd_below(s, 100) < pct; }
#define PICK(s, arr) ((arr)[rnd_below((s), (uint32_t)MH_ARRAY_LEN(arr))])

/* ---------------- the text model ---------------- */

typedef struct span { uint32_t off, len; } span;      /* bytes in g_pool */
typedef struct para { uint32_t first, n; } para;      /* sentences of a paragraph */
typedef struct text {
    int cat;
    int32_t title;          /* sentence index of a title line, -1 if none */
    uint32_t para0, npara;  /* paragraphs in g_paras */
} text;

static mh_buf g_pool;
static span  *g_sents;  static size_t g_nsents, g_capsents;
static para  *g_paras;  static size_t g_nparas, g_capparas;
static text  *g_texts;  static size_t g_ntexts, g_captexts;
static uint32_t g_cat_lo[6], g_cat_hi[6];   /* sentence index range per category */
static uint32_t g_cat_t0[6], g_cat_t1[6];   /* text index range per category */

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    size_t nc = *cap ? *cap * 2 : 1024;
    while (nc < need)
        nc *= 2;
    void *q = realloc(p, nc * elem);
    if (!q) {
        fprintf(stderr, "gen_corpus: out of memory\n");
        exit(1);
    }
    *cap = nc;
    return q;
}

static uint32_t add_sentence(const char *s, size_t n)
{
    g_sents = grow(g_sents, &g_capsents, g_nsents + 1, sizeof *g_sents);
    g_sents[g_nsents].off = (uint32_t)g_pool.len;
    g_sents[g_nsents].len = (uint32_t)n;
    mh_buf_add(&g_pool, s, n);
    return (uint32_t)g_nsents++;
}

/* First byte of an uppercase letter: ASCII A-Z or the two-byte Turkish
 * capitals Ç Ö Ü (C3 87/96/9C), Ğ İ (C4 9E/B0), Ş (C5 9E). */
static int starts_upper(const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    if (c >= 'A' && c <= 'Z')
        return 1;
    if (n < 2)
        return 0;
    unsigned char d = (unsigned char)s[1];
    return (c == 0xC3 && (d == 0x87 || d == 0x96 || d == 0x9C)) ||
           (c == 0xC4 && (d == 0x9E || d == 0xB0)) || (c == 0xC5 && d == 0x9E);
}

/* Split one clean paragraph into sentences: after . ! ? followed by a space
 * and an uppercase letter, digit or quote, or glued to an uppercase letter
 * when the byte before is a lowercase ASCII letter; never after a word of
 * four bytes or fewer ending in '.' (abbreviations).  Rough on purpose. */
static void add_paragraph(const char *s, size_t n)
{
    uint32_t first = (uint32_t)g_nsents;
    size_t start = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        char c = s[i];
        if (c != '.' && c != '!' && c != '?')
            continue;
        size_t next = 0;
        if (s[i + 1] == ' ' && i + 2 < n &&
            (starts_upper(s + i + 2, n - i - 2) || s[i + 2] == '"' ||
             (s[i + 2] >= '0' && s[i + 2] <= '9')))
            next = i + 2;
        else if (i > 0 && s[i - 1] >= 'a' && s[i - 1] <= 'z' &&
                 starts_upper(s + i + 1, n - i - 1))
            next = i + 1;
        /* not after a short word: Prof. Dr. Av. St. and initials */
        size_t w = i;
        while (w > start && s[w - 1] != ' ')
            w--;
        if (next && c == '.' && i - w <= 4)
            next = 0;
        if (next && i + 1 - start >= 2) {
            add_sentence(s + start, i + 1 - start);
            start = next;
            i = next - 1;
        }
    }
    if (start < n)
        add_sentence(s + start, n - start);
    g_paras = grow(g_paras, &g_capparas, g_nparas + 1, sizeof *g_paras);
    g_paras[g_nparas].first = first;
    g_paras[g_nparas].n = (uint32_t)g_nsents - first;
    g_nparas++;
}

/*
 * Load one raw TTC file: drop the BOM, turn tabs/NBSP into spaces and
 * CR/U+0085 into line ends, split lines into paragraphs (a line, or a run
 * of three or more spaces inside it), collapse spaces.  A short first
 * paragraph without final punctuation is the text's own title.
 */
static void load_text(const char *data, size_t n, int cat)
{
    char *norm = malloc(n + 1);
    size_t m = 0, i = 0;
    if (!norm)
        exit(1);
    if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    for (; i < n; i++) {
        unsigned char c = (unsigned char)data[i];
        if (c == 0xEF && i + 2 < n && (unsigned char)data[i + 1] == 0xBB &&
            (unsigned char)data[i + 2] == 0xBF) {
            i += 2;
        } else if (c == 0xC2 && i + 1 < n && (unsigned char)data[i + 1] == 0x85) {
            norm[m++] = '\n'; i++;
        } else if (c == 0xC2 && i + 1 < n && (unsigned char)data[i + 1] == 0xA0) {
            norm[m++] = ' '; i++;
        } else if (c == '\t') {
            norm[m++] = ' ';
        } else if (c == '\r') {
            norm[m++] = '\n';
        } else if (c >= 0x20 || c == '\n') {
            norm[m++] = (char)c;
        }
    }
    g_texts = grow(g_texts, &g_captexts, g_ntexts + 1, sizeof *g_texts);
    text *t = &g_texts[g_ntexts];
    t->cat = cat;
    t->title = -1;
    t->para0 = (uint32_t)g_nparas;

    char *tmp = malloc(m + 1);
    if (!tmp)
        exit(1);
    size_t p = 0;
    while (p < m) {
        /* one paragraph: up to a newline or three spaces */
        size_t q = p, k = 0;
        int spaces = 0;
        while (q < m && norm[q] != '\n') {
            if (norm[q] == ' ') {
                if (++spaces == 3)
                    break;
            } else {
                spaces = 0;
            }
            q++;
        }
        for (size_t j = p; j < q; j++) {
            if (norm[j] == ' ' && (k == 0 || tmp[k - 1] == ' '))
                continue;
            tmp[k++] = norm[j];
        }
        while (k > 0 && tmp[k - 1] == ' ')
            k--;
        if (k >= 2) {
            if (t->title < 0 && g_nparas == t->para0 && k <= 120 &&
                tmp[k - 1] != '.' && tmp[k - 1] != ':' && tmp[k - 1] != ',' &&
                memchr(tmp, '.', k) == NULL) {
                t->title = (int32_t)add_sentence(tmp, k);
            } else {
                add_paragraph(tmp, k);
            }
        }
        p = q + 1;
        while (p < m && (norm[p] == ' ' || norm[p] == '\n'))
            p++;
    }
    if (g_nparas == t->para0 && t->title >= 0) {
        /* a one-line text: its line is the body, the headline comes from it */
        span ts = g_sents[t->title];
        /* copy first: add_paragraph appends to g_pool, which may move */
        memcpy(tmp, g_pool.p + ts.off, ts.len);
        add_paragraph(tmp, ts.len);
        t->title = -1;
    }
    t->npara = (uint32_t)g_nparas - t->para0;
    free(tmp);
    free(norm);
    if (t->npara > 0)
        g_ntexts++;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_corpus(const char *root)
{
    char path[4096];
    mh_buf_init(&g_pool, (size_t)1 << 30);
    for (int c = 0; c < 6; c++) {
        if (snprintf(path, sizeof path, "%s/%s", root, cat_dirs[c]) >= (int)sizeof path)
            return -1;
        DIR *d = opendir(path);
        if (!d) {
            fprintf(stderr, "gen_corpus: cannot open %s: %s\n", path, strerror(errno));
            return -1;
        }
        char **names = NULL;
        size_t nn = 0, cap = 0;
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            size_t l = strlen(e->d_name);
            if (l < 5 || strcmp(e->d_name + l - 4, ".txt") != 0)
                continue;
            names = grow(names, &cap, nn + 1, sizeof *names);
            names[nn++] = strdup(e->d_name);
        }
        closedir(d);
        /* readdir order depends on the file system; sort for determinism */
        qsort(names, nn, sizeof *names, cmp_str);
        g_cat_lo[c] = (uint32_t)g_nsents;
        g_cat_t0[c] = (uint32_t)g_ntexts;
        for (size_t i = 0; i < nn; i++) {
            int pl = snprintf(path, sizeof path, "%s/%s/%s", root, cat_dirs[c], names[i]);
            free(names[i]);
            FILE *f = pl < (int)sizeof path ? fopen(path, "rb") : NULL;
            if (!f)
                continue;
            char buf[1 << 16];
            mh_buf raw;
            mh_buf_init(&raw, 0);
            size_t r;
            while ((r = fread(buf, 1, sizeof buf, f)) > 0)
                mh_buf_add(&raw, buf, r);
            fclose(f);
            if (raw.len > 0)
                load_text(raw.p, raw.len, c);
            mh_buf_free(&raw);
        }
        free(names);
        g_cat_hi[c] = (uint32_t)g_nsents;
        g_cat_t1[c] = (uint32_t)g_ntexts;
        if (g_cat_t1[c] == g_cat_t0[c]) {
            fprintf(stderr, "gen_corpus: no texts in %s/%s\n", root, cat_dirs[c]);
            return -1;
        }
    }
    if (g_pool.err) {
        fprintf(stderr, "gen_corpus: %s\n", mh_errstr(g_pool.err));
        return -1;
    }
    return 0;
}

/* ---------------- small text helpers ---------------- */

/* Turkish uppercase of one clean string for headings: explicit table for
 * the letters of Turkish (i -> İ, ı -> I, ç ğ ö ş ü â î û), ASCII a-z, the
 * rest copied as is.  Generator use only; the library has mh_tr_upper. */
static void add_upper_tr(mh_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 'i') {
            mh_buf_add(b, "\xC4\xB0", 2);
        } else if (c >= 'a' && c <= 'z') {
            mh_buf_addc(b, (char)(c - 32));
        } else if (c == 0xC4 && i + 1 < n && (unsigned char)s[i + 1] == 0xB1) {
            mh_buf_addc(b, 'I'); i++;
        } else if (c == 0xC4 && i + 1 < n && (unsigned char)s[i + 1] == 0x9F) {
            mh_buf_add(b, "\xC4\x9E", 2); i++;
        } else if (c == 0xC5 && i + 1 < n && (unsigned char)s[i + 1] == 0x9F) {
            mh_buf_add(b, "\xC5\x9E", 2); i++;
        } else if (c == 0xC3 && i + 1 < n) {
            unsigned char d = (unsigned char)s[i + 1];
            /* Latin-1 lowercase c3 a0..be (not f7 division sign) -> minus 0x20 */
            if (d >= 0xA0 && d <= 0xBE && d != 0xB7)
                d = (unsigned char)(d - 0x20);
            mh_buf_addc(b, (char)c);
            mh_buf_addc(b, (char)d);
            i++;
        } else {
            mh_buf_addc(b, (char)c);
        }
    }
}

/* ASCII slug for URLs: Turkish letters folded by an explicit table, other
 * non-alphanumerics become one '-'. */
static void add_slug(mh_buf *b, const char *s, size_t n, size_t max)
{
    size_t start = b->len;
    int dash = 1;
    for (size_t i = 0; i < n && b->len - start < max; i++) {
        unsigned char c = (unsigned char)s[i];
        char o = 0;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            o = (char)c;
        } else if (c >= 'A' && c <= 'Z') {
            o = (char)(c + 32);
        } else if (c >= 0xC3 && c <= 0xC5 && i + 1 < n) {
            unsigned char d = (unsigned char)s[++i];
            unsigned cp = ((unsigned)(c & 0x1F) << 6) | (d & 0x3F);
            switch (cp) {
            case 0xE7: case 0xC7: o = 'c'; break;
            case 0x11F: case 0x11E: o = 'g'; break;
            case 0x131: case 0x130: case 0xEE: case 0xCE: o = 'i'; break;
            case 0xF6: case 0xD6: o = 'o'; break;
            case 0x15F: case 0x15E: o = 's'; break;
            case 0xFC: case 0xDC: case 0xFB: case 0xDB: o = 'u'; break;
            case 0xE2: case 0xC2: o = 'a'; break;
            default: o = 0;
            }
        } else if (c >= 0x80) {
            while (i + 1 < n && ((unsigned char)s[i + 1] & 0xC0) == 0x80)
                i++;
        }
        if (o) {
            mh_buf_addc(b, o);
            dash = 0;
        } else if (!dash) {
            mh_buf_addc(b, '-');
            dash = 1;
        }
    }
    while (b->len > start && b->p[b->len - 1] == '-')
        b->len--;
}

/* The first `words` words of (s, n), without final punctuation. */
static size_t first_words(const char *s, size_t n, int words)
{
    size_t i = 0;
    int w = 0;
    while (i < n) {
        if (s[i] == ' ' && ++w == words)
            break;
        i++;
    }
    while (i > 0 && (s[i - 1] == '.' || s[i - 1] == ',' || s[i - 1] == ':' ||
                     s[i - 1] == ';' || s[i - 1] == ' '))
        i--;
    return i;
}

static const char *sent_ptr(uint32_t sid) { return g_pool.p + g_sents[sid].off; }

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Copy a sentence, rewriting the digits of a number with probability pct%
 * so amounts, scores and counts differ between pages made from the same
 * text.  Years (four-digit runs) and parts of dates and times (a run next
 * to '.', '/', ':' or '-' followed by a digit) are kept, so the dates the
 * extractor finds in the text stay plausible. */
static void add_sentence_mut(mh_buf *b, uint32_t sid, unsigned pct, uint64_t *rng)
{
    const char *s = sent_ptr(sid);
    size_t n = g_sents[sid].len;
    if (!pct) {
        mh_buf_add(b, s, n);
        return;
    }
    size_t i = 0;
    while (i < n) {
        if (!is_digit(s[i])) {
            size_t j = i;
            while (j < n && !is_digit(s[j]))
                j++;
            mh_buf_add(b, s + i, j - i);
            i = j;
            continue;
        }
        size_t j = i;
        while (j < n && is_digit(s[j]))
            j++;
        int datey = (j - i == 4) ||
            (i >= 2 && strchr("./:-", s[i - 1]) && is_digit(s[i - 2])) ||
            (j + 1 < n && strchr("./:-", s[j]) && is_digit(s[j + 1]));
        if (datey || !rnd_pct(rng, pct)) {
            mh_buf_add(b, s + i, j - i);
        } else {
            for (size_t k = i; k < j; k++) {
                /* no leading zero on a number of several digits */
                int lead = k == i && j - i > 1;
                mh_buf_addc(b, (char)((lead ? '1' : '0') + rnd_below(rng, lead ? 9 : 10)));
            }
        }
        i = j;
    }
}

/* ---------------- one page ---------------- */

typedef struct ref { uint32_t sid; uint8_t heading; } ref;

typedef struct page {
    uint64_t rng;
    uint32_t t;            /* base text */
    int cat, style, mutate;
    const outlet *out;
    int y, mo, d, hh, mi;
    mh_buf title;          /* headline, clean */
    mh_buf url;
    ref refs[MAX_REFS];    /* body sentences in order */
    uint32_t nrefs;
    uint32_t para_end[MAX_PARAS];  /* refs index where each paragraph ends */
    uint32_t npara;
} page;

static uint32_t random_sentence(page *p, int cat)
{
    uint32_t lo = g_cat_lo[cat], hi = g_cat_hi[cat];
    return lo + rnd_below(&p->rng, hi - lo);
}

/* A headline for text t: its own title line, else the first sentence when
 * short, else the first 6-10 words of it. */
static void make_headline(mh_buf *b, uint32_t t, uint64_t *rng)
{
    const text *x = &g_texts[t];
    uint32_t sid = x->title >= 0 ? (uint32_t)x->title : g_paras[x->para0].first;
    const char *s = sent_ptr(sid);
    size_t n = g_sents[sid].len;
    if (x->title < 0 && n > 100)
        n = first_words(s, n, 6 + (int)rnd_below(rng, 5));
    else
        while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ' '))
            n--;
    mh_buf_add(b, s, n);
}

static void page_plan(page *p, uint64_t seed, uint64_t i)
{
    p->rng = seed * 0x2545F4914F6CDD1Dull ^ (i + 1) * 0x9E3779B97F4A7C15ull;
    rnd_next(&p->rng);
    p->mutate = i >= g_ntexts;
    p->t = p->mutate ? rnd_below(&p->rng, (uint32_t)g_ntexts) : (uint32_t)i;
    const text *x = &g_texts[p->t];
    p->cat = x->cat;
    p->out = &outlets[rnd_below(&p->rng, N_OUTLETS)];
    /* styles: 0 list page, 1 repeated title, 2 portal with related blocks,
     * 3 menu page, 4 date header with glued sentences */
    static const int style_w[5] = { 20, 20, 25, 20, 15 };
    uint32_t r = rnd_below(&p->rng, 100), acc = 0;
    p->style = 0;
    for (int k = 0; k < 5; k++) {
        acc += (uint32_t)style_w[k];
        if (r < acc) { p->style = k; break; }
    }
    p->y = 2012 + (int)rnd_below(&p->rng, 14);
    p->mo = 1 + (int)rnd_below(&p->rng, 12);
    p->d = 1 + (int)rnd_below(&p->rng, 28);
    p->hh = (int)rnd_below(&p->rng, 24);
    p->mi = (int)rnd_below(&p->rng, 60);

    /* body: the base text's paragraphs, mutated after the first pass */
    p->nrefs = 0;
    p->npara = 0;
    for (uint32_t k = 0; k < x->npara && p->npara < MAX_PARAS - 4; k++) {
        const para *pa = &g_paras[x->para0 + k];
        if (p->mutate && k > 0 && pa->n > 1 && rnd_pct(&p->rng, 12))
            continue;                              /* drop a later paragraph */
        for (uint32_t j = 0; j < pa->n && p->nrefs < MAX_REFS - 16; j++) {
            uint32_t sid = pa->first + j;
            if (p->mutate) {
                if (pa->n > 1 && j + 1 < pa->n && rnd_pct(&p->rng, 8))
                    continue;                      /* drop a sentence, never the last */
                if (rnd_pct(&p->rng, 10))
                    sid = random_sentence(p, p->cat); /* swap in another text's */
                else if (rnd_pct(&p->rng, 6))
                    p->refs[p->nrefs++] = (ref){ random_sentence(p, p->cat), 0 };
            }
            p->refs[p->nrefs++] = (ref){ sid, 0 };
        }
        if (p->npara == 0 || p->para_end[p->npara - 1] != p->nrefs)
            p->para_end[p->npara++] = p->nrefs;
        /* sometimes a capitalised heading between paragraphs */
        if (k + 1 < x->npara && p->nrefs < MAX_REFS - 16 && rnd_pct(&p->rng, 18)) {
            p->refs[p->nrefs++] = (ref){ random_sentence(p, p->cat), 1 };
            p->para_end[p->npara++] = p->nrefs;
        }
    }
    if (p->mutate && p->npara > 0 && p->nrefs < MAX_REFS) {
        /* always one foreign full sentence inside the first paragraph, so
         * no two generated bodies are the same however short the base */
        uint32_t sid = random_sentence(p, p->cat);
        for (int tries = 0; tries < 8 && g_sents[sid].len < 40; tries++)
            sid = random_sentence(p, p->cat);
        uint32_t pos = rnd_below(&p->rng, p->para_end[0] + 1);
        memmove(&p->refs[pos + 1], &p->refs[pos], (p->nrefs - pos) * sizeof p->refs[0]);
        p->refs[pos] = (ref){ sid, 0 };
        p->nrefs++;
        for (uint32_t k = 0; k < p->npara; k++)
            p->para_end[k]++;
    }
    if (p->mutate) {
        /* always one paragraph from another text of the category */
        uint32_t t0 = g_cat_t0[p->cat], t1 = g_cat_t1[p->cat];
        const text *o = &g_texts[t0 + rnd_below(&p->rng, t1 - t0)];
        const para *pa = &g_paras[o->para0 + rnd_below(&p->rng, o->npara)];
        uint32_t take = 1 + rnd_below(&p->rng, 4);
        for (uint32_t j = 0; j < pa->n && j < take && p->nrefs < MAX_REFS; j++)
            p->refs[p->nrefs++] = (ref){ pa->first + j, 0 };
        if (p->npara < MAX_PARAS && (p->npara == 0 || p->para_end[p->npara - 1] != p->nrefs))
            p->para_end[p->npara++] = p->nrefs;
    }

    mh_buf_reset(&p->title);
    if (p->mutate && rnd_pct(&p->rng, 25))
        mh_buf_adds(&p->title, PICK(&p->rng, title_prefix));
    make_headline(&p->title, p->t, &p->rng);
    if (p->mutate && rnd_pct(&p->rng, 25))
        mh_buf_adds(&p->title, PICK(&p->rng, title_suffix));

    mh_buf_reset(&p->url);
    mh_buf_printf(&p->url, "https://%s/", p->out->host);
    if (rnd_pct(&p->rng, 50)) {
        mh_buf_printf(&p->url, "%04d%02d%02d/", p->y, p->mo, p->d);
        add_slug(&p->url, p->title.p, p->title.len, 90);
        mh_buf_printf(&p->url, "-%u.html", 1000000000u + (unsigned)rnd_below(&p->rng, 999999999u));
    } else {
        mh_buf_printf(&p->url, "%s/", cat_slugs[p->cat]);
        add_slug(&p->url, p->title.p, p->title.len, 90);
        mh_buf_printf(&p->url, "-%u", (unsigned)rnd_below(&p->rng, 99999999u));
    }
}

/* Line separator for this page: most pages put a blank line between
 * blocks, the list style (seed 000) does not. */
static void nl(mh_buf *b, const page *p)
{
    mh_buf_add(b, p->style == 0 ? "\n" : "\n\n", p->style == 0 ? 1 : 2);
}

static void add_image(mh_buf *b, page *p)
{
    /* The placeholder the seed dumps carry for an image: a tag named like the
     * dumper's, a data URL naming a made-up content path
     * (5 hex / 40 hex) and the title, without quote marks, as alt text. */
    char hex[41];
    for (int k = 0; k < 40; k++)
        hex[k] = "0123456789abcdef"[rnd_below(&p->rng, 16)];
    hex[40] = 0;
    mh_buf_printf(b, "<%s>%s%s" "s3://" "crabby-images/%.5s/%s\" alt=\"",
                  "antml" ":image", "data:" "image/s3", ",\"", hex, hex);
    for (size_t k = 0; k < p->title.len; k++)
        if (p->title.p[k] != '\'' && p->title.p[k] != '"')
            mh_buf_addc(b, p->title.p[k]);
    mh_buf_printf(b, "\"</%s>\n", "antml" ":image");
}

static void add_heading(mh_buf *b, page *p, uint32_t sid)
{
    const char *s = sent_ptr(sid);
    size_t n = first_words(s, g_sents[sid].len, 3 + (int)rnd_below(&p->rng, 5));
    char quote = rnd_pct(&p->rng, 30) ? (rnd_pct(&p->rng, 50) ? '"' : '\'') : 0;
    if (quote)
        mh_buf_addc(b, quote);
    add_upper_tr(b, s, n);
    if (quote)
        mh_buf_addc(b, quote);
}

/* Related-headline block: headlines of other texts, with "YYYY-MM-DD HH:MM
 * - Cat" or "HH:MM - Cat" stamps, or none (seed 000 style). */
static void add_related(mh_buf *b, page *p, int own_title)
{
    int stamps = p->style == 0 ? 0 : 1 + (int)rnd_below(&p->rng, 2);
    int count = 4 + (int)rnd_below(&p->rng, 8);
    mh_buf_adds(b, PICK(&p->rng, block_heads));
    nl(b, p);
    for (int k = 0; k < count; k++) {
        if (own_title && k == count - 2) {
            mh_buf_add(b, p->title.p, p->title.len);
        } else {
            make_headline(b, rnd_below(&p->rng, (uint32_t)g_ntexts), &p->rng);
            if (rnd_pct(&p->rng, 20))
                mh_buf_addc(b, '!');
        }
        nl(b, p);
        if (stamps == 1)
            mh_buf_printf(b, "%04d-%02d-%02d %02d:%02d - %s", p->y, p->mo,
                          1 + (int)rnd_below(&p->rng, 28), (int)rnd_below(&p->rng, 24),
                          (int)rnd_below(&p->rng, 60), PICK(&p->rng, stamp_cats));
        else if (stamps == 2)
            mh_buf_printf(b, "%02d:%02d - %s", (int)rnd_below(&p->rng, 24),
                          (int)rnd_below(&p->rng, 60), PICK(&p->rng, stamp_cats));
        if (stamps)
            nl(b, p);
    }
}

static void add_relative_date(mh_buf *b, page *p)
{
    switch (rnd_below(&p->rng, 5)) {
    case 0: mh_buf_printf(b, "%u saat önce", 1 + rnd_below(&p->rng, 23)); break;
    case 1: mh_buf_printf(b, "%u dakika önce", 1 + rnd_below(&p->rng, 59)); break;
    case 2: mh_buf_printf(b, "dün %02d:%02d", p->hh, p->mi); break;
    case 3: mh_buf_printf(b, "%u gün önce", 2 + rnd_below(&p->rng, 6)); break;
    default:
        mh_buf_printf(b, "%d %s %d %02d:%02d", p->d, months[p->mo - 1], p->y, p->hh, p->mi);
    }
}

/* An absolute publication date line, in one of the forms outlets print. */
static void add_date_line(mh_buf *b, page *p)
{
    switch (rnd_below(&p->rng, 5)) {
    case 0:
        mh_buf_printf(b, "%02d.%02d.%04d %02d:%02d", p->d, p->mo, p->y, p->hh, p->mi);
        break;
    case 1:
        mh_buf_printf(b, "%d %s %d, %02d:%02d", p->d, months[p->mo - 1], p->y, p->hh, p->mi);
        break;
    case 2:
        mh_buf_printf(b, "Güncelleme: %02d.%02d.%04d - %02d:%02d", p->d, p->mo, p->y, p->hh, p->mi);
        break;
    case 3:
        mh_buf_printf(b, "Yayınlanma: %d %s %d %02d:%02d", p->d, months[p->mo - 1], p->y,
                      p->hh, p->mi);
        break;
    default:
        mh_buf_printf(b, "%04d-%02d-%02d %02d:%02d", p->y, p->mo, p->d, p->hh, p->mi);
    }
}

/* The body: paragraphs of sentences, headings on their own lines, an
 * optional dateline, images now and then; style 4 glues everything into
 * one line with no space after sentence ends. */
static void add_body(mh_buf *b, page *p, uint32_t from)
{
    int glue_all = p->style == 4;
    unsigned digits = p->mutate ? 30 : 0;
    uint32_t k = from, pi = 0;
    while (pi < p->npara && p->para_end[pi] <= from)
        pi++;
    int first = 1;
    for (; pi < p->npara; pi++) {
        uint32_t end = p->para_end[pi];
        if (k >= end)
            continue;
        if (p->refs[k].heading) {
            if (glue_all) {
                mh_buf_addc(b, '\'');
                add_heading(b, p, p->refs[k].sid);
                mh_buf_addc(b, '\'');
            } else {
                add_heading(b, p, p->refs[k].sid);
                nl(b, p);
            }
            k = end;
            continue;
        }
        if (first && rnd_pct(&p->rng, 25)) {
            mh_buf_printf(b, "%s (%s) - ", PICK(&p->rng, cities), PICK(&p->rng, agencies));
        }
        first = 0;
        for (; k < end; k++) {
            add_sentence_mut(b, p->refs[k].sid, digits, &p->rng);
            if (k + 1 < end)
                mh_buf_adds(b, rnd_pct(&p->rng, 4) ? "" : " ");
        }
        if (!glue_all) {
            nl(b, p);
            if (rnd_pct(&p->rng, 6))
                add_image(b, p);
        }
    }
    if (glue_all)
        mh_buf_adds(b, "\n\n");
}

static void render_text(mh_buf *b, page *p)
{
    const char *catname = cat_names[p->cat];
    uint32_t lead_end = p->npara ? p->para_end[0] : 0;
    /* the lead is the first one or two sentences of the first paragraph */
    uint32_t lead_n = lead_end > 2 ? 1 + rnd_below(&p->rng, 2) : lead_end;
    if (p->refs[0].heading)
        lead_n = 0;
    if (rnd_pct(&p->rng, 3))
        mh_buf_add(b, "\xEF\xBB\xBF", 3);
    if (p->style == 4 || rnd_pct(&p->rng, 8)) {
        mh_buf_printf(b, " date %04d-%02d-%02d %s\n\n", p->y, p->mo, p->d, mh_buf_cstr(&p->url));
    }
    if (p->style == 3) {
        mh_buf_printf(b, "%s MENÜ\n\n%s\n\n", p->out->menu, catname);
    }
    mh_buf_add(b, p->title.p, p->title.len);
    nl(b, p);
    for (uint32_t k = 0; k < lead_n; k++) {
        add_sentence_mut(b, p->refs[k].sid, p->mutate ? 30 : 0, &p->rng);
        if (k + 1 < lead_n)
            mh_buf_addc(b, ' ');
    }
    if (p->style == 4)
        mh_buf_printf(b, " %02d.%02d.%04d, %s", p->d, p->mo, p->y, p->out->name);
    if (lead_n)
        nl(b, p);
    switch (p->style) {
    case 1:
        mh_buf_add(b, p->title.p, p->title.len);
        mh_buf_addc(b, '\n');
        mh_buf_add(b, p->title.p, p->title.len);
        mh_buf_addc(b, '\n');
        if (lead_n) {
            mh_buf_addc(b, '\'');
            add_sentence_mut(b, p->refs[0].sid, 0, &p->rng);
            mh_buf_adds(b, "' dedi.\n\n");
        }
        break;
    case 2:
        mh_buf_printf(b, "%s - ", rnd_pct(&p->rng, 50) ? catname : PICK(&p->rng, stamp_cats));
        add_relative_date(b, p);
        nl(b, p);
        break;
    default:
        if (p->style != 4 && rnd_pct(&p->rng, 15)) {
            add_relative_date(b, p);
            nl(b, p);
        } else if (p->style != 4 && rnd_pct(&p->rng, 80)) {
            add_date_line(b, p);
            nl(b, p);
        }
    }
    if (p->style == 0 && rnd_pct(&p->rng, 50))
        add_image(b, p);
    /* the body starts after the lead, or repeats it (seeds 001, 002) */
    add_body(b, p, rnd_pct(&p->rng, 30) ? 0 : lead_n);
    if (p->style == 2 || rnd_pct(&p->rng, 20)) {
        const char *host = p->out->host;
        if (strncmp(host, "www.", 4) == 0)
            host += 4;
        if (rnd_pct(&p->rng, 50)) {
            mh_buf_adds(b, "Kaynak: ");
            add_upper_tr(b, host, strlen(host));
        } else {
            mh_buf_printf(b, "Kaynak: %s", PICK(&p->rng, agencies));
        }
        nl(b, p);
    }
    if (p->style == 2 || rnd_pct(&p->rng, 10)) {
        const char *host = p->out->host;
        if (strncmp(host, "www.", 4) == 0)
            host += 4;
        mh_buf_addc(b, '#');
        add_upper_tr(b, host, strlen(host));
        int n = 3 + (int)rnd_below(&p->rng, 5);
        for (int k = 0; k < n; k++)
            mh_buf_printf(b, " %s", PICK(&p->rng, tags));
        mh_buf_addc(b, '\n');
    }
    if (p->style == 3)
        mh_buf_adds(b, "Yorumlara Git\n\n");
    if (p->style == 0 || p->style == 2 || p->style == 3 || rnd_pct(&p->rng, 30))
        add_related(b, p, p->style == 0);
    if (p->style == 2 && rnd_pct(&p->rng, 60))
        add_related(b, p, 0);
}

/* Raw-file noise on a finished page: tab-indented lines and tab-only lines
 * as TTC's own dumps, U+0085 or CRLF line ends. */
static void finish_noise(mh_buf *out, const mh_buf *in, page *p)
{
    int tabs = rnd_pct(&p->rng, 5), nel = rnd_pct(&p->rng, 1), crlf = rnd_pct(&p->rng, 10);
    for (size_t i = 0; i < in->len; i++) {
        char c = in->p[i];
        if (c != '\n') {
            mh_buf_addc(out, c);
            continue;
        }
        if (tabs)
            mh_buf_add(out, "\t\t\t\t\t\t", 1 + rnd_below(&p->rng, 6));
        if (nel)
            mh_buf_add(out, "\xC2\x85", 2);
        else if (crlf)
            mh_buf_add(out, "\r\n", 2);
        else
            mh_buf_addc(out, '\n');
        if (tabs && rnd_pct(&p->rng, 40))
            mh_buf_add(out, "\t\t\t\t\t\t\t", 1 + rnd_below(&p->rng, 7));
    }
}

static void add_json_str(mh_buf *b, const char *s, size_t n)
{
    mh_buf_addc(b, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        mh_buf_add(b, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': mh_buf_adds(b, "\\\""); break;
        case '\\': mh_buf_adds(b, "\\\\"); break;
        case '\n': mh_buf_adds(b, "\\n"); break;
        case '\r': mh_buf_adds(b, "\\r"); break;
        case '\t': mh_buf_adds(b, "\\t"); break;
        default: mh_buf_printf(b, "\\u%04x", c);
        }
    }
    mh_buf_add(b, s + run, n - run);
    mh_buf_addc(b, '"');
}

/* A JSONL record: structured fields plus the page text as "content" (the
 * body keeps its in-text noise: headings, Kaynak, related blocks). */
static void render_json(mh_buf *b, mh_buf *tmp, page *p)
{
    mh_buf_reset(tmp);
    if (p->style == 4)
        p->style = 1;     /* no date header inside JSON content */
    uint32_t lead_n = 0;
    add_body(tmp, p, lead_n);
    if (rnd_pct(&p->rng, 30))
        add_related(tmp, p, 0);
    mh_buf_adds(b, "{\"title\":");
    add_json_str(b, p->title.p, p->title.len);
    mh_buf_adds(b, ",\"url\":");
    add_json_str(b, p->url.p, p->url.len);
    mh_buf_printf(b, ",\"date\":\"%04d-%02d-%02dT%02d:%02d:00+03:00\"", p->y, p->mo, p->d,
                  p->hh, p->mi);
    mh_buf_adds(b, ",\"source\":");
    add_json_str(b, p->out->name, strlen(p->out->name));
    mh_buf_adds(b, ",\"category\":");
    add_json_str(b, cat_names[p->cat], strlen(cat_names[p->cat]));
    mh_buf_adds(b, ",\"content\":");
    add_json_str(b, tmp->p ? tmp->p : "", tmp->len);
    mh_buf_adds(b, "}\n");
}

/* ---------------- output ---------------- */

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int mkdir_p(const char *path)
{
    char tmp[4096];
    size_t n = strlen(path);
    if (n >= sizeof tmp)
        return -1;
    memcpy(tmp, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (tmp[i] == '/' || tmp[i] == 0) {
            char c = tmp[i];
            tmp[i] = 0;
            if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
                return -1;
            tmp[i] = c;
        }
    }
    return 0;
}

static void usage(void)
{
    fprintf(stderr,
        "usage: gen_corpus [-n PAGES] [-k FIRST] [-s SEED] [-f dir|jsonl] [-d TTC_DIR] -o OUTDIR\n"
        "  Writes PAGES realistic news pages (page numbers FIRST.., default 0)\n"
        "  built from the TTC-3600 texts in\n"
        "  TTC_DIR (default $MUHABIR_SHARED/data/ttc3600, MUHABIR_SHARED=../shared).\n"
        "  Pages below 2400 are the texts as they are (natural duplicates kept),\n"
        "  later ones are mixed and mutated.\n"
        "  dir: OUTDIR/dNNNN/NNNNNNN.txt, 1000 files a directory; jsonl: shards\n"
        "  of 10000 records.  Prints 'pages=N bytes=B texts=T seconds=S' on stdout.\n");
}

int main(int argc, char **argv)
{
    long long npages = 10000, first = 0;
    unsigned long long seed = 1;
    const char *fmt = "dir", *outdir = NULL, *src = NULL;
    char srcbuf[4096];
    int opt;
    while ((opt = getopt(argc, argv, "n:k:s:f:d:o:h")) != -1) {
        switch (opt) {
        case 'n': npages = atoll(optarg); break;
        case 'k': first = atoll(optarg); break;
        case 's': seed = strtoull(optarg, NULL, 10); break;
        case 'f': fmt = optarg; break;
        case 'd': src = optarg; break;
        case 'o': outdir = optarg; break;
        default: usage(); return 2;
        }
    }
    int jsonl = strcmp(fmt, "jsonl") == 0;
    if (!outdir || npages < 0 || first < 0 || (!jsonl && strcmp(fmt, "dir") != 0)) {
        usage();
        return 2;
    }
    if (!src) {
        const char *sh = getenv("MUHABIR_SHARED");
        snprintf(srcbuf, sizeof srcbuf, "%s/data/ttc3600", sh && *sh ? sh : "../shared");
        src = srcbuf;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (load_corpus(src) != 0)
        return 1;
    if (mkdir_p(outdir) != 0) {
        fprintf(stderr, "gen_corpus: cannot create %s: %s\n", outdir, strerror(errno));
        return 1;
    }

    static page pg;
    mh_buf page_txt, file_txt, tmp;
    mh_buf_init(&pg.title, 0);
    mh_buf_init(&pg.url, 0);
    mh_buf_init(&page_txt, 0);
    mh_buf_init(&file_txt, 0);
    mh_buf_init(&tmp, 0);
    unsigned long long total = 0;
    char path[4096];
    int fd = -1, rc = 0;
    for (long long i = first; i < first + npages; i++) {
        page_plan(&pg, seed, (uint64_t)i);
        mh_buf_reset(&page_txt);
        if (jsonl) {
            if (fd < 0 || i % RECS_PER_SHARD == 0) {
                if (fd >= 0 && close(fd) != 0) { rc = 1; break; }
                snprintf(path, sizeof path, "%s/shard-%04lld.jsonl", outdir, i / RECS_PER_SHARD);
                fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
                if (fd < 0) { rc = 1; break; }
            }
            render_json(&page_txt, &tmp, &pg);
            if (page_txt.err || write_all(fd, page_txt.p, page_txt.len) != 0) { rc = 1; break; }
            total += page_txt.len;
        } else {
            if (i == first || i % FILES_PER_DIR == 0) {
                snprintf(path, sizeof path, "%s/d%04lld", outdir, i / FILES_PER_DIR);
                if (mkdir(path, 0777) != 0 && errno != EEXIST) { rc = 1; break; }
            }
            render_text(&page_txt, &pg);
            mh_buf_reset(&file_txt);
            finish_noise(&file_txt, &page_txt, &pg);
            snprintf(path, sizeof path, "%s/d%04lld/%07lld.txt", outdir, i / FILES_PER_DIR, i);
            int f = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
            if (f < 0 || file_txt.err || write_all(f, file_txt.p, file_txt.len) != 0) {
                if (f >= 0)
                    close(f);
                rc = 1;
                break;
            }
            if (close(f) != 0) { rc = 1; break; }
            total += file_txt.len;
        }
    }
    if (fd >= 0 && close(fd) != 0)
        rc = 1;
    if (rc)
        fprintf(stderr, "gen_corpus: writing %s: %s\n", path, strerror(errno));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("pages=%lld bytes=%llu texts=%zu seconds=%.2f\n", npages, total, g_ntexts, secs);
    mh_buf_free(&pg.title);
    mh_buf_free(&pg.url);
    mh_buf_free(&page_txt);
    mh_buf_free(&file_txt);
    mh_buf_free(&tmp);
    mh_buf_free(&g_pool);
    free(g_sents);
    free(g_paras);
    free(g_texts);
    return rc;
}
