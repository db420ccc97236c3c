/*
 * outlet.c -- who published a page and who it credits: a table of Turkish
 * news outlets and agencies (domain -> display name), the names by which
 * pages and data sets refer to them (menu labels such as "AKİT", data-set
 * keys such as "bigpara_hurriyet", credit abbreviations such as "AA"), and
 * the fixed list of news categories.
 *
 * Sources: the outlets' own domains and names as they appear on their
 * sites (public facts); the categories are the section names common to
 * Turkish news sites.
 *
 * Limits: the table is hand-kept (about 80 outlets and agencies); an
 * unknown domain yields NULL and the caller decides whether the bare
 * domain is worth keeping.  Name matching folds case and diacritics
 * (mh_tr_fold) and ignores everything but letters and digits, so
 * "Sputnik Türkiye", "SPUTNIK TURKIYE" and "sputnik_turkiye" are one key.
 */
#include "internal.h"

#include <pthread.h>

typedef struct outlet {
    const char *host;     /* registrable domain, lowercase ASCII */
    const char *name;     /* display name */
    const char *credit;   /* short form used in credit lines; NULL = name */
    const char *aliases;  /* '|'-separated other names, compared after key_norm */
    bool agency;          /* a news agency (its credits go to "source") */
} outlet;

/* Hosts are compared as suffixes on label boundaries, longest entry first
 * wins, so "tr.euronews.com" beats "euronews.com". */
static const outlet outlets[] = {
    /* agencies */
    { "aa.com.tr", "Anadolu Ajansı", "AA", "aa|anadoluajansi|anadolu", true },
    { "dha.com.tr", "Demirören Haber Ajansı", "DHA", "dha|demirorenhaberajansi|dogan haber ajansi|doganhaberajansi", true },
    { "iha.com.tr", "İhlas Haber Ajansı", "İHA", "iha|ihlashaberajansi", true },
    { "ankahaber.net", "ANKA Haber Ajansı", "ANKA", "anka|ankahaberajansi|ankahaber", true },
    { "mezopotamyaajansi.com", "Mezopotamya Ajansı", "MA", "mezopotamyaajansi", true },
    { "ilkha.com", "İlke Haber Ajansı", "İLKHA", "ilkha|ilkehaberajansi", true },
    { "anlatilaninotesi.com.tr", "Sputnik Türkiye", "Sputnik", "sputnik|sputnikturkiye|sputniknews", true },
    { "sputniknews.com.tr", "Sputnik Türkiye", "Sputnik", NULL, true },
    { "reuters.com", "Reuters", NULL, "reuters", true },
    { "afp.com", "AFP", NULL, "afp|agencefrancepresse|fransizhaberajansi", true },
    { "apnews.com", "AP", NULL, "ap|associatedpress", true },
    { "xinhuanet.com", "Xinhua", NULL, "xinhua|sinhua", true },
    { "dpa.com", "dpa", NULL, "dpa", true },
    { "efe.com", "EFE", NULL, "efe", true },
    { "tass.com", "TASS", NULL, "tass", true },
    { "ria.ru", "RIA Novosti", NULL, "rianovosti|ria", true },
    { "bloomberg.com", "Bloomberg", NULL, "bloomberg", true },
    /* national dailies and their sites */
    { "hurriyet.com.tr", "Hürriyet", NULL, "hurriyet", false },
    { "bigpara.hurriyet.com.tr", "Bigpara", NULL, "bigpara|bigparahurriyet", false },
    { "milliyet.com.tr", "Milliyet", NULL, "milliyet", false },
    { "sabah.com.tr", "Sabah", NULL, "sabah", false },
    { "posta.com.tr", "Posta", NULL, "posta", false },
    { "sozcu.com.tr", "Sözcü", NULL, "sozcu", false },
    { "cumhuriyet.com.tr", "Cumhuriyet", NULL, "cumhuriyet", false },
    { "yenisafak.com", "Yeni Şafak", NULL, "yenisafak|safak", false },
    { "star.com.tr", "Star", NULL, "stargazetesi", false },
    { "aksam.com.tr", "Akşam", NULL, "aksam", false },
    { "turkiyegazetesi.com.tr", "Türkiye Gazetesi", NULL, "turkiyegazetesi", false },
    { "yeniakit.com.tr", "Yeni Akit", NULL, "akit|yeniakit", false },
    { "karar.com", "Karar", NULL, "karar|karargazetesi", false },
    { "birgun.net", "BirGün", NULL, "birgun", false },
    { "evrensel.net", "Evrensel", NULL, "evrensel", false },
    { "korkusuz.com.tr", "Korkusuz", NULL, "korkusuz", false },
    { "takvim.com.tr", "Takvim", NULL, "takvim", false },
    { "fotomac.com.tr", "Fotomaç", NULL, "fotomac", false },
    { "fanatik.com.tr", "Fanatik", NULL, "fanatik", false },
    { "yenicaggazetesi.com.tr", "Yeniçağ", NULL, "yenicag|yenicaggazetesi", false },
    { "dunya.com", "Dünya Gazetesi", NULL, "dunyagazetesi", false },
    { "yeniasir.com.tr", "Yeni Asır", NULL, "yeniasir", false },
    { "gazetevatan.com", "Vatan", NULL, "vatan|gazetevatan", false },
    { "aydinlik.com.tr", "Aydınlık", NULL, "aydinlik", false },
    { "milatgazetesi.com", "Milat", NULL, "milat|milatgazetesi", false },
    { "dirilispostasi.com", "Diriliş Postası", NULL, "dirilispostasi", false },
    { "gazeteoksijen.com", "Oksijen", NULL, "oksijen|gazeteoksijen", false },
    { "ekonomim.com", "Ekonomim", NULL, "ekonomim", false },
    /* broadcasters */
    { "ntv.com.tr", "NTV", NULL, "ntv", false },
    { "cnnturk.com", "CNN Türk", NULL, "cnnturk", false },
    { "trthaber.com", "TRT Haber", NULL, "trthaber|trt", false },
    { "haberturk.com", "Habertürk", NULL, "haberturk", false },
    { "ahaber.com.tr", "A Haber", NULL, "ahaber", false },
    { "haberglobal.com.tr", "Haber Global", NULL, "haberglobal", false },
    { "halktv.com.tr", "Halk TV", NULL, "halktv", false },
    { "tv100.com", "tv100", NULL, "tv100", false },
    { "tgrthaber.com", "TGRT Haber", NULL, "tgrthaber|tgrt", false },
    { "tgrthaber.com.tr", "TGRT Haber", NULL, NULL, false },
    { "ulusal.com.tr", "Ulusal Kanal", NULL, "ulusalkanal", false },
    { "bloomberght.com", "Bloomberg HT", NULL, "bloomberght", false },
    { "cnbce.com", "CNBC-e", NULL, "cnbce", false },
    { "showtv.com.tr", "Show TV", NULL, "showtv", false },
    { "kanald.com.tr", "Kanal D", NULL, "kanald", false },
    { "nowtv.com.tr", "NOW", NULL, "nowtv", false },
    /* internet outlets */
    { "haber7.com", "Haber7", NULL, "haber7", false },
    { "haberler.com", "Haberler.com", NULL, "haberlercom", false },
    { "internethaber.com", "İnternet Haber", NULL, "internethaber", false },
    { "mynet.com", "Mynet", NULL, "mynet", false },
    { "t24.com.tr", "T24", NULL, "t24", false },
    { "diken.com.tr", "Diken", NULL, "diken", false },
    { "gazeteduvar.com.tr", "Gazete Duvar", NULL, "gazeteduvar|duvar", false },
    { "medyascope.tv", "Medyascope", NULL, "medyascope", false },
    { "odatv.com", "Odatv", NULL, "odatv|odatv4", false },
    { "odatv4.com", "Odatv", NULL, NULL, false },
    { "eshahaber.com.tr", "Eşhaber", NULL, "eshahaber", false },
    { "ensonhaber.com", "Ensonhaber", NULL, "ensonhaber", false },
    { "sondakika.com", "Sondakika.com", NULL, "sondakikacom", false },
    { "habervaktim.com", "Habervaktim", NULL, "habervaktim", false },
    { "timeturk.com", "Timeturk", NULL, "timeturk", false },
    { "gercekgundem.com", "Gerçek Gündem", NULL, "gercekgundem", false },
    { "haber3.com", "Haber3", NULL, "haber3", false },
    { "artigercek.com", "Artı Gerçek", NULL, "artigercek", false },
    { "bianet.org", "bianet", NULL, "bianet", false },
    { "serbestiyet.com", "Serbestiyet", NULL, "serbestiyet", false },
    { "indyturk.com", "Independent Türkçe", NULL, "independentturkce|indyturk", false },
    { "paraanaliz.com", "Paraanaliz", NULL, "paraanaliz", false },
    { "foreks.com", "Foreks", NULL, "foreks", false },
    { "webtekno.com", "Webtekno", NULL, "webtekno", false },
    { "shiftdelete.net", "ShiftDelete.Net", NULL, "shiftdelete", false },
    { "donanimhaber.com", "DonanımHaber", NULL, "donanimhaber", false },
    /* foreign outlets with Turkish services */
    { "tr.euronews.com", "Euronews Türkçe", NULL, "euronewsturkce", false },
    { "euronews.com", "Euronews", NULL, "euronews", false },
    { "bbc.com", "BBC", NULL, "bbc|bbcturkce", false },
    { "bbc.co.uk", "BBC", NULL, NULL, false },
    { "dw.com", "DW", NULL, "dw|deutschewelle|dwturkce", false },
    { "amerikaninsesi.com", "Amerika'nın Sesi", NULL, "amerikaninsesi|voaturkce", false },
    { "tr.investing.com", "Investing.com Türkiye", NULL, "investing|investingcom", false },
};

/* ASCII-only lowercase for hosts and other syntax (never for text). */
static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* The letter or digit the code point at s[*i] gives after mh_tr_fold
 * (Turkish lowercase, then ASCII fold), advancing *i past it; 0 when it
 * gives none.  This is mh_tr_fold_buf one code point at a time, including
 * its reading of I + U+0307 (the decomposed İ) as one 'i': the fold maps
 * every code point on its own, so keeping the letters as they come gives
 * the key that folding the whole name first would, without allocating. */
static char key_char(const char *s, size_t n, size_t *i)
{
    unsigned char c = (unsigned char)s[*i];
    uint32_t f;
    if (c < 0x80) {
        (*i)++;
        if (c == 'I' && *i + 1 < n && (unsigned char)s[*i] == 0xCC &&
            (unsigned char)s[*i + 1] == 0x87)
            *i += 2;
        f = ascii_lower((char)c);
    } else {
        f = mh_tr_fold_cp(mh_tr_lower_cp(mh_utf8_next(s, n, i)));
    }
    return (f >= 'a' && f <= 'z') || (f >= '0' && f <= '9') ? (char)f : 0;
}

/* A byte in a key when it is a whole character: ASCII letters
 * lowercased and digits kept; KEY_DROP for other ASCII, which gives
 * nothing; KEY_SLOW for 'I' (it may carry a combining dot) and for bytes
 * >= 0x80 (they start longer characters), which key_char reads.  Rows of
 * sixteen, from 0x00; the rest is KEY_SLOW. */
enum { KEY_SLOW = 0, KEY_DROP = 1 };
#define D KEY_DROP
static const char key_ascii[256] = {
    D, D, D, D, D, D, D, D, D, D, D, D, D, D, D, D,
    D, D, D, D, D, D, D, D, D, D, D, D, D, D, D, D,
    D, D, D, D, D, D, D, D, D, D, D, D, D, D, D, D,
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', D, D, D, D, D, D,
    D, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', KEY_SLOW, 'j', 'k', 'l', 'm', 'n', 'o',
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', D, D, D, D, D,
    D, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', D, D, D, D, D,
};
#undef D

/* Normalise a name to a matching key: Turkish fold, then keep only ASCII
 * letters and digits.  Writes at most cap-1 bytes (reading no further
 * than needed for them); returns the length, 0 when the name has no
 * letters or digits or is over 200 bytes. */
static size_t key_norm(const char *s, size_t n, char *out, size_t cap)
{
    size_t i = 0, k = 0;
    if (!n || n > 200)
        return 0;
    while (i < n && k + 1 < cap) {
        char c = key_ascii[(unsigned char)s[i]];
        if (c > KEY_DROP) {
            out[k++] = c;
            i++;
        } else if (c == KEY_DROP) {
            i++;
        } else if ((c = key_char(s, n, &i)) != 0) {
            out[k++] = c;
        }
    }
    out[k] = 0;
    return k;
}

/*
 * Names, aliases and category keys are looked up in open-addressing hash
 * tables built once, instead of walking every entry's '|'-separated list
 * for every short line of every page.  A table entry points at the name
 * as written, spaces included ("dogan haber ajansi"); hashing and
 * comparing skip the spaces, so the entry matches the key a name
 * normalises to.  The longest entry bounds the keys worth computing.
 */
typedef struct key_slot {
    const char *p;     /* NULL: an empty slot */
    size_t n;          /* bytes at p, spaces included */
    unsigned short v;  /* index into outlets[] or categories[] */
} key_slot;

#define KEY_SLOTS 1024   /* a power of two, at least twice the entries */

/* FNV-1a over the bytes other than spaces. */
static size_t key_hash(const char *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ') {
            h ^= (unsigned char)p[i];
            h *= 16777619u;
        }
    return h & (KEY_SLOTS - 1);
}

/* Are (a, an) and (b, bn) the same key once their spaces are skipped? */
static bool key_equal(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < an && a[i] == ' ')
            i++;
        while (j < bn && b[j] == ' ')
            j++;
        if (i == an || j == bn)
            return i == an && j == bn;
        if (a[i++] != b[j++])
            return false;
    }
}

/* Value of key in tab, or -1.  The key is key_norm's, without spaces:
 * an entry of its length matches byte for byte, and only a longer one
 * (which has spaces) needs the comparison that skips them. */
static int key_find(const key_slot *tab, const char *key, size_t kn)
{
    for (size_t h = key_hash(key, kn); tab[h].p; h = (h + 1) & (KEY_SLOTS - 1))
        if (tab[h].n == kn ? memcmp(tab[h].p, key, kn) == 0
                           : tab[h].n > kn && key_equal(tab[h].p, tab[h].n, key, kn))
            return tab[h].v;
    return -1;
}

/* Enter (p, n) with value v unless the key is there already: the tables
 * are filled in list order, so the first entry of a key wins, as the
 * first match did when the lists were walked in order.  *longest grows
 * to the key's length.  False when the table is full. */
static bool key_add(key_slot *tab, size_t *used, const char *p, size_t n, unsigned short v,
                    size_t *longest)
{
    size_t kn = 0;
    for (size_t i = 0; i < n; i++)
        kn += p[i] != ' ';
    if (!kn)
        return true;   /* an empty key is never looked up */
    size_t h = key_hash(p, n);
    for (; tab[h].p; h = (h + 1) & (KEY_SLOTS - 1))
        if (key_equal(tab[h].p, tab[h].n, p, n))
            return true;
    if (2 * (*used + 1) > KEY_SLOTS)
        return false;
    tab[h].p = p;
    tab[h].n = n;
    tab[h].v = v;
    (*used)++;
    if (kn > *longest)
        *longest = kn;
    return true;
}

/* Enter each '|'-separated alias of list. */
static bool key_add_list(key_slot *tab, size_t *used, const char *list, unsigned short v,
                         size_t *longest)
{
    const char *p = list;
    while (p && *p) {
        const char *e = strchr(p, '|');
        size_t an = e ? (size_t)(e - p) : strlen(p);
        if (!key_add(tab, used, p, an, v, longest))
            return false;
        p = e ? e + 1 : NULL;
    }
    return true;
}

/* The lengths of the hosts of outlets[], and the tables below (see
 * key_slot), made once by tables_init; tables_ready makes them and says
 * whether the tables fit (the host lengths are there either way). */
static size_t host_len[MH_ARRAY_LEN(outlets)];
static bool tables_ok;
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;
static void tables_init(void);

static bool tables_ready(void)
{
    pthread_once(&tables_once, tables_init);
    return tables_ok;
}

/* The table entry for a host, or NULL.  The host is lowercased (Turkish
 * capital İ and ı read as i), a port, path or query and a trailing dot are
 * dropped, and it matches an entry when equal to it or ending in "." +
 * entry. */
static const outlet *by_host(const char *host, size_t n)
{
    char h[256];
    size_t k = 0, e = 0;
    if (!host || !n)
        return NULL;
    while (e < n && host[e] != ':' && host[e] != '/' && host[e] != '?' && host[e] != '#')
        e++;
    /* Turkish capitals read as the domain's letters (HURRİYET.COM.TR);
     * other bytes are copied, lowered when ASCII. */
    k = mh_domain_lower(host, e, h, sizeof h);
    if (!k)
        for (size_t i = 0; i < e && k + 1 < sizeof h; i++)
            h[k++] = ascii_lower(host[i]);
    while (k && h[k - 1] == '.')
        k--;
    h[k] = 0;
    const outlet *best = NULL;
    size_t best_len = 0;
    tables_ready();   /* for host_len (filled whether or not the tables fit) */
    for (size_t i = 0; i < MH_ARRAY_LEN(outlets); i++) {
        size_t hl = host_len[i];
        if (hl > k || hl <= best_len)
            continue;
        if (memcmp(h + k - hl, outlets[i].host, hl) != 0)
            continue;
        if (hl < k && h[k - hl - 1] != '.')
            continue;
        best = &outlets[i];
        best_len = hl;
    }
    return best;
}

size_t mh_domain_lower(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    if (!s || !out || !cap)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char o;
        if (c == 0xC4 && i + 1 < n && ((unsigned char)s[i + 1] == 0xB0 ||
                                       (unsigned char)s[i + 1] == 0xB1)) {
            o = 'i';            /* İ or ı: a Turkish capital I of a domain */
            i++;
        } else if (c < 0x80 && c) {
            o = ascii_lower((char)c);
        } else {
            return 0;
        }
        if (k + 1 >= cap)
            return 0;
        out[k++] = o;
    }
    out[k] = 0;
    return k;
}

/* True when (s, n) looks like a bare domain: ASCII letters, digits, '-'
 * and at least one inner '.' followed by a letter. */
static bool looks_like_domain(const char *s, size_t n)
{
    bool dot = false;
    if (!n || n > 253)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || c == '-' || c == '.';
        if (!ok)
            return false;
        if (c == '.' && i > 0 && i + 1 < n)
            dot = true;
    }
    return dot && s[n - 1] != '.';
}

/* The display names as matching keys, and the tables of names, aliases
 * and categories, made once (see key_slot).  Nothing here allocates, so
 * the one way to fail is a table too small for its lists, which
 * tables_ok records and the lookups then answer as "unknown". */
static char name_keys[MH_ARRAY_LEN(outlets)][64];
static key_slot name_tab[KEY_SLOTS], cat_tab[KEY_SLOTS];
static size_t name_longest, cat_longest;

static void categories_init(void);

static void tables_init(void)
{
    size_t used = 0;
    bool ok = true;
    for (size_t i = 0; i < MH_ARRAY_LEN(outlets); i++)
        host_len[i] = strlen(outlets[i].host);
    /* Entry i's name, then its aliases, before entry i + 1: the first
     * entry naming a key is the one by_name returns. */
    for (size_t i = 0; i < MH_ARRAY_LEN(outlets) && ok; i++) {
        size_t kn = key_norm(outlets[i].name, strlen(outlets[i].name), name_keys[i],
                             sizeof name_keys[i]);
        ok = key_add(name_tab, &used, name_keys[i], kn, (unsigned short)i, &name_longest);
        if (ok && outlets[i].aliases)
            ok = key_add_list(name_tab, &used, outlets[i].aliases, (unsigned short)i,
                              &name_longest);
    }
    tables_ok = ok;
    categories_init();
}


/* Entry by name, key, alias or domain. */
static const outlet *by_name(const char *s, size_t n)
{
    char key[128];
    size_t kn;
    while (n && (*s == ' ' || *s == '#' || *s == '@')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '.'))
        n--;
    if (!n)
        return NULL;
    if (n > 8 && (memcmp(s, "https://", 8) == 0 || memcmp(s, "http://", 7) == 0)) {
        size_t i = s[4] == 's' ? 8 : 7;
        return by_host(s + i, n - i);
    }
    if (memchr(s, '.', n)) {
        /* A domain, also one written in Turkish capitals (a domain has a
         * dot, which most names asked about lack). */
        char dom[256];
        size_t dn = mh_domain_lower(s, n, dom, sizeof dom);
        if (dn && looks_like_domain(dom, dn)) {
            const outlet *o = by_host(dom, dn);
            if (o)
                return o;
        }
    }
    if (!tables_ready())
        return NULL;
    /* A key longer than every name and alias names nothing: folding stops
     * one letter past the longest. */
    kn = key_norm(s, n, key, name_longest + 2 < sizeof key ? name_longest + 2 : sizeof key);
    if (!kn || kn > name_longest)
        return NULL;
    int v = key_find(name_tab, key, kn);
    return v < 0 ? NULL : &outlets[v];
}

const char *mh_outlet_for_host(const char *host, size_t n)
{
    const outlet *o = by_host(host, n);
    return o ? o->name : NULL;
}

const char *mh_outlet_for_name(const char *s, size_t n)
{
    const outlet *o = s ? by_name(s, n) : NULL;
    return o ? o->name : NULL;
}

const char *mh_outlet_credit(const char *s, size_t n, int *agency)
{
    const outlet *o = s ? by_name(s, n) : NULL;
    if (agency)
        *agency = o ? o->agency : 0;
    if (!o)
        return NULL;
    return o->credit ? o->credit : o->name;
}

/* ---------------- categories ---------------- */

typedef struct category {
    const char *name;     /* canonical display name */
    const char *aliases;  /* '|'-separated keys (normalised: folded a-z0-9) */
} category;

static const category categories[] = {
    { "Gündem", "gundem|guncel|turkiyehaberleri|gundemhaberleri|ichaberler" },
    { "Dünya", "dunya|dishaberler|dunyahaberleri|world|worldnews|international" },
    { "Politika", "politika|siyaset|icpolitika|siyasethaberleri|politikahaberleri|politics" },
    { "Ekonomi", "ekonomi|ekonomihaberleri|finans|borsa|piyasalar|piyasa|business|economy|finance|markets" },
    { "Spor", "spor|sporhaberleri|futbol|basketbol|voleybol|tenis|sport|sports" },
    { "Sağlık", "saglik|saglikliyasam|saglikhaberleri|health" },
    { "Teknoloji", "teknoloji|bilimteknoloji|bilimveteknoloji|teknolojihaberleri|technology|tech" },
    { "Bilim", "bilim|science" },
    { "Kültür-Sanat", "kultursanat|kulturvesanat|kultur|sanat|culture|arts" },
    { "Magazin", "magazin|magazinhaberleri|entertainment|celebrity" },
    { "Yaşam", "yasam|hayat|lifestyle|life" },
    { "Eğitim", "egitim|egitimhaberleri|education" },
    { "Çevre", "cevre|iklim|environment|climate" },
    { "Otomobil", "otomobil|otomotiv|oto|auto|autos" },
    { "Turizm", "turizm|seyahat|travel" },
    { "Asayiş", "asayis|asayishaberleri|3sayfa|ucuncusayfa|crime" },
    { "Yerel", "yerel|yerelhaberler|local" },
    { "Medya", "medya|media" },
    { "Emlak", "emlak|realestate" },
    { "Kadın", "kadin" },
    { "Din", "din|dinihaberler|religion" },
};

/* Enter the category aliases, in list order (called by tables_init). */
static void categories_init(void)
{
    size_t used = 0;
    bool ok = true;
    for (size_t i = 0; i < MH_ARRAY_LEN(categories) && ok; i++)
        ok = key_add_list(cat_tab, &used, categories[i].aliases, (unsigned short)i, &cat_longest);
    if (!ok)
        tables_ok = false;
}

const char *mh_category_canon(const char *s, size_t n)
{
    char key[128];
    size_t kn;
    if (!s || !n || n > 60 || !tables_ready())
        return NULL;
    /* Most callers pass a run of words that is no category; folding
     * stops one letter past the longest alias. */
    kn = key_norm(s, n, key, cat_longest + 2 < sizeof key ? cat_longest + 2 : sizeof key);
    if (!kn || kn > cat_longest)
        return NULL;
    int v = key_find(cat_tab, key, kn);
    return v < 0 ? NULL : categories[v].name;
}
