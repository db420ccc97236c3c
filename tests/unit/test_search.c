/*
 * test_search.c -- the query language and its FTS5 rendering, date
 * bounds, and search end to end on a small database built from records
 * written here (Turkish sentences made up for the test).
 */
#include "testutil.h"
#include "store.h"

#include <unistd.h>

/* ---------------- query parsing and rendering ---------------- */

static mh_analyzer *an;

static int setup_an(void **state)
{
    (void)state;
    an = mh_analyzer_new();
    return an ? 0 : -1;
}

static int teardown_an(void **state)
{
    (void)state;
    mh_analyzer_free(an);
    an = NULL;
    return 0;
}

/* Parse q and compare its FTS5 rendering with want. */
static void check_render(const char *q, const char *want)
{
    mh_query *pq = NULL;
    mh_err e = mh_query_parse(an, q, strlen(q), &pq);
    if (e)
        fail_msg("query %s: error %d (%s)", q, e, pq ? pq->err : "");
    mh_buf b;
    mh_buf_init(&b, 0);
    mh_query_fts5(pq, &b);
    assert_int_equal(b.err, MH_OK);
    if (strcmp(mh_buf_cstr(&b), want) != 0)
        fail_msg("query %s: rendered %s, want %s", q, mh_buf_cstr(&b), want);
    mh_buf_free(&b);
    mh_query_free(pq);
}

static void check_bad(const char *q)
{
    mh_query *pq = NULL;
    mh_err e = mh_query_parse(an, q, strlen(q), &pq);
    if (e != MH_EQUERY)
        fail_msg("query %s: expected MH_EQUERY, got %d", q, e);
    assert_non_null(pq);
    assert_true(pq->err[0] != 0);
    mh_query_free(pq);
}

static void test_render(void **state)
{
    (void)state;
    check_render("putin", "(\"putin\")");
    check_render("putin lavrov", "((\"putin\" AND \"lavrov\"))");
    check_render("  putin   AND lavrov ", "((\"putin\" AND \"lavrov\"))");
    check_render("\"beyaz saray\"", "(\"beyaz saray\")");
    check_render("“beyaz saray” açıklama", "((\"beyaz saray\" AND \"açıklama\"))");
    check_render("rubio OR lavrov", "((\"rubio\" OR \"lavrov\"))");
    check_render("putin rubio OR lavrov",
                 "((\"putin\" AND (\"rubio\" OR \"lavrov\")))");
    check_render("putin -trump", "((\"putin\") NOT (\"trump\"))");
    check_render("putin NOT trump -\"beyaz saray\"",
                 "((\"putin\") NOT (\"trump\" OR \"beyaz saray\"))");
    check_render("müzake*", "(\"müzake\" *)");
    check_render("(a OR b) c", "(((\"a\" OR \"b\") AND \"c\"))");
    check_render("a (b -c)", "((\"a\" AND \"b\") NOT (\"c\"))");
    check_render("a -(b -c)", "((\"a\") NOT ((\"b\") NOT (\"c\")))");
    check_render("covid-19", "(\"covid-19\")");
    /* Lone punctuation is no word and disappears. */
    check_render("putin !!! ,", "(\"putin\")");
    /* FTS5 syntax typed by a user stays plain text inside strings. */
    check_render("NEAR title:x ^y", "((\"NEAR\" AND \"title:x\" AND \"^y\"))");
    check_render("a+b", "(\"a+b\")");
    check_render("or and", "((\"or\" AND \"and\"))");
}

static void test_bad_queries(void **state)
{
    (void)state;
    check_bad("");
    check_bad("   ");
    check_bad("!!! ...");
    check_bad("-putin");
    check_bad("NOT putin");
    check_bad("\"beyaz saray");
    check_bad("(putin");
    check_bad("putin)");
    check_bad("OR putin");
    check_bad("putin OR");
    check_bad("putin OR OR lavrov");
    check_bad("putin OR -lavrov");
    check_bad("((((((((((((((((((a))))))))))))))))))");
    /* Excluding a group that only excludes (found by fuzz_query: it
     * rendered as an empty group, which FTS5 refuses). */
    check_bad("(-(-a) b)");
    check_bad("b -(-a)");
    check_bad("b (-(-a))");
    check_bad("b NOT (NOT a)");
    char big[MH_MAX_QUERY_BYTES + 10];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    check_bad(big);
    /* Too many words. */
    char many[1024] = "";
    for (int i = 0; i < MH_MAX_QUERY_TERMS + 5; i++)
        strcat(many, "ab ");
    check_bad(many);
}

static void test_date_bounds(void **state)
{
    (void)state;
    char d[11];
    assert_int_equal(mh_search_date_bound("2025", 0, d), MH_OK);
    assert_string_equal(d, "2025-01-01");
    assert_int_equal(mh_search_date_bound("2025", 1, d), MH_OK);
    assert_string_equal(d, "2025-12-31");
    assert_int_equal(mh_search_date_bound("2024-02", 1, d), MH_OK);
    assert_string_equal(d, "2024-02-29");
    assert_int_equal(mh_search_date_bound("2023-02", 1, d), MH_OK);
    assert_string_equal(d, "2023-02-28");
    assert_int_equal(mh_search_date_bound("2025-10-28", 0, d), MH_OK);
    assert_string_equal(d, "2025-10-28");
    assert_int_equal(mh_search_date_bound("28.10.2025", 0, d), MH_OK);
    assert_string_equal(d, "2025-10-28");
    assert_int_equal(mh_search_date_bound("2025-13-01", 0, d), MH_ERANGE);
    assert_int_equal(mh_search_date_bound("2025-02-30", 0, d), MH_ERANGE);
    assert_int_equal(mh_search_date_bound("dün", 0, d), MH_ERANGE);
    assert_int_equal(mh_search_date_bound("", 0, d), MH_ERANGE);
}

/* ---------------- search end to end ---------------- */

static char dbpath[256];
static mh_db *db;

typedef struct doc {
    const char *title, *text, *date, *outlet;
} doc;

/* Made-up pages: each "text" is the page as a text dump (title line,
 * then paragraphs). */
static const doc docs[] = {
    {"Barış görüşmesi yarın başlıyor",
     "Barış görüşmesi yarın başlıyor\n\n"
     "Heyetler İstanbul'daki toplantı için hazırlıklarını tamamladı. Taraflar "
     "uzun süredir beklenen adımı atıyor.\n",
     "2025-03-10", "Sputnik Türkiye"},
    {"Yeni antlaşma imzalandı",
     "Yeni antlaşma imzalandı\n\n"
     "İki ülke arasında ticaret alanında yeni bir anlaşmaya varıldı. Bakanlar "
     "Ankara'da bir araya geldi ve belgeyi imzaladı.\n",
     "2024-11-02", "Haber Kaynağı"},
    {"Silahsızlanma üzerine",
     "Silahsızlanma üzerine\n\n"
     "Uzmanlar, Stratejik Silahların Azaltılması Antlaşması'nın geleceğini "
     "tartıştı. Beyaz Saray bir açıklama yapmadı.\n",
     "2025-06-20", "Sputnik Türkiye"},
    {"Kış hazırlıkları",
     "Kış hazırlıkları\n\n"
     "Belediye, ISPARTA ve çevresinde kar yağışı için ekiplerini hazırladı. Beyaz "
     "renkli araçlar sabah yola çıktı; saray yolu kapandı.\n",
     NULL, "Yerel Gazete"},
    {"Ekonomi gündemi",
     "Ekonomi gündemi\n\n"
     "Merkez bankası faiz kararını açıkladı. Piyasalar görüşme trafiğini izliyor "
     "ve yeni müzakereler bekleniyor.\n",
     "2025-01-15", "Haber Kaynağı"},
    {"Külçe fiyatı yükseldi",
     "Külçe fiyatı yükseldi\n\n"
     "Ons altın güne yükselişle başladı. Kuyumcular gram fiyatını yeniledi.\n",
     "2025-02-03", "Piyasa Postası"},
    {"Kupa töreni",
     "Kupa töreni\n\n"
     "Takım kupayı dün aldı. Oyuncular madalyalarını da kaptandan alındı "
     "sandılar; vatandaşlar maçı evlerde izledi.\n",
     "2025-02-04", "Spor Sayfası"},
};

static int setup_db(void **state)
{
    (void)state;
    snprintf(dbpath, sizeof dbpath, "/tmp/mh_test_search_%ld.db", (long)getpid());
    unlink(dbpath);
    if (setup_an(state))
        return -1;
    if (mh_db_open(dbpath, 0, &db))
        return -1;
    mh_ingest *ing = NULL;
    mh_ingest_stats st;
    if (mh_ingest_new(db, NULL, &ing))
        return -1;
    for (size_t i = 0; i < MH_ARRAY_LEN(docs); i++) {
        mh_record r;
        memset(&r, 0, sizeof r);
        r.path = "test";
        r.index = (long)i;
        r.text = docs[i].text;
        r.text_len = strlen(docs[i].text);
        r.title = docs[i].title;
        r.date = docs[i].date;
        r.outlet = docs[i].outlet;
        if (mh_ingest_add_record(ing, &r))
            return -1;
    }
    if (mh_ingest_finish(ing, &st))
        return -1;
    if (st.added != MH_ARRAY_LEN(docs)) {
        fprintf(stderr, "setup: %llu added, %llu rejected\n",
                (unsigned long long)st.added, (unsigned long long)st.rejected);
        return -1;
    }
    return 0;
}

static int teardown_db(void **state)
{
    mh_db_close(db);
    db = NULL;
    tu_rm_db(dbpath);
    return teardown_an(state);
}

typedef struct res {
    mh_hit *h;
    size_t n;
    mh_err e;
} res;

static res run(const char *q, const char *from, const char *to, const char *outlet,
               size_t limit, size_t offset)
{
    mh_search_opts o;
    res r = {NULL, 0, MH_OK};
    memset(&o, 0, sizeof o);
    o.query = q;
    o.from = from;
    o.to = to;
    o.outlet = outlet;
    o.limit = limit;
    o.offset = offset;
    r.e = mh_db_search(db, &o, &r.h, &r.n);
    return r;
}

static int has_title(const res *r, const char *title)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->h[i].title && strcmp(r->h[i].title, title) == 0)
            return 1;
    return 0;
}

#define FIND(q, title) do { \
        res r_ = run(q, NULL, NULL, NULL, 0, 0); \
        assert_int_equal(r_.e, MH_OK); \
        if (!has_title(&r_, title)) fail_msg("query %s did not find \"%s\"", q, title); \
        mh_hits_free(r_.h, r_.n); \
    } while (0)

#define MISS(q, title) do { \
        res r_ = run(q, NULL, NULL, NULL, 0, 0); \
        assert_int_equal(r_.e, MH_OK); \
        if (has_title(&r_, title)) fail_msg("query %s found \"%s\"", q, title); \
        mh_hits_free(r_.h, r_.n); \
    } while (0)

static void test_turkish_matching(void **state)
{
    (void)state;
    /* Case, apostrophe suffix, dotted capital I. */
    FIND("istanbul", "Barış görüşmesi yarın başlıyor");
    FIND("İSTANBUL", "Barış görüşmesi yarın başlıyor");
    /* Without Turkish letters. */
    FIND("gorusme", "Ekonomi gündemi");
    FIND("baris", "Barış görüşmesi yarın başlıyor");
    /* Inflections through the stem. */
    FIND("antlaşma", "Silahsızlanma üzerine");
    FIND("antlaşma", "Yeni antlaşma imzalandı");
    FIND("görüşmeler", "Barış görüşmesi yarın başlıyor");
    /* Dotless I: ISPARTA lowercases to ısparta, and folds to isparta. */
    FIND("ısparta", "Kış hazırlıkları");
    FIND("isparta", "Kış hazırlıkları");
    MISS("antlaşma", "Ekonomi gündemi");
    /* A stem Snowball cuts to two letters is no query alternative
     * ("altın" -> "al" would find "aldı"), but for short noun roots
     * ("evde" -> "ev" finds "evlerde"); the word itself still matches. */
    FIND("altın", "Külçe fiyatı yükseldi");
    MISS("altın", "Kupa töreni");
    FIND("aldı", "Kupa töreni");
    FIND("evde", "Kupa töreni");
}

static void test_operators(void **state)
{
    (void)state;
    /* Phrase: "beyaz saray" is adjacent in one page only. */
    FIND("\"beyaz saray\"", "Silahsızlanma üzerine");
    MISS("\"beyaz saray\"", "Kış hazırlıkları");
    FIND("beyaz saray", "Kış hazırlıkları");
    /* Exclusion. */
    FIND("beyaz -kar", "Silahsızlanma üzerine");
    MISS("beyaz -kar", "Kış hazırlıkları");
    /* OR. */
    FIND("ankara OR isparta", "Yeni antlaşma imzalandı");
    FIND("ankara OR isparta", "Kış hazırlıkları");
    MISS("ankara OR isparta", "Ekonomi gündemi");
    /* Prefix. */
    FIND("müzake*", "Ekonomi gündemi");
    FIND("silahsız*", "Silahsızlanma üzerine");
    MISS("silahsız*", "Ekonomi gündemi");
}

static void test_ranking_snippets(void **state)
{
    (void)state;
    /* "antlaşma" is in one title and in another page's body: the title
     * match ranks first. */
    res r = run("antlaşma", NULL, NULL, NULL, 0, 0);
    assert_int_equal(r.e, MH_OK);
    assert_true(r.n >= 2);
    assert_string_equal(r.h[0].title, "Yeni antlaşma imzalandı");
    assert_true(r.h[0].score >= r.h[1].score);
    mh_hits_free(r.h, r.n);

    /* The snippet marks the word as written, suffix included. */
    r = run("istanbul", NULL, NULL, NULL, 0, 0);
    assert_int_equal(r.e, MH_OK);
    assert_int_equal(r.n, 1);
    assert_non_null(r.h[0].snippet);
    if (!strstr(r.h[0].snippet, "[İstanbul'daki]"))
        fail_msg("snippet without the highlighted word: %s", r.h[0].snippet);
    assert_string_equal(r.h[0].date, "2025-03-10");
    assert_string_equal(r.h[0].path, "test");
    mh_hits_free(r.h, r.n);
}

static void test_filters(void **state)
{
    (void)state;
    /* "beyaz" is in two pages: 2025-06-20 (Sputnik) and undated (Yerel). */
    res r = run("beyaz", "2025-06", NULL, NULL, 0, 0);
    assert_int_equal(r.e, MH_OK);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.h[0].title, "Silahsızlanma üzerine");
    mh_hits_free(r.h, r.n);

    r = run("beyaz", NULL, "2025-06-19", NULL, 0, 0);
    assert_int_equal(r.e, MH_OK);
    assert_int_equal(r.n, 0);
    mh_hits_free(r.h, r.n);

    /* Outlet names in any case, with or without Turkish letters. */
    const char *names[] = {"Sputnik Türkiye", "SPUTNIK TÜRKİYE", "sputnik turkiye"};
    for (size_t i = 0; i < MH_ARRAY_LEN(names); i++) {
        r = run("beyaz OR barış", NULL, NULL, names[i], 0, 0);
        assert_int_equal(r.e, MH_OK);
        if (r.n != 2)
            fail_msg("outlet %s: %zu hits", names[i], r.n);
        for (size_t k = 0; k < r.n; k++)
            assert_string_equal(r.h[k].outlet, "Sputnik Türkiye");
        mh_hits_free(r.h, r.n);
    }
    r = run("beyaz", NULL, NULL, "Nowhere", 0, 0);
    assert_int_equal(r.e, MH_OK);
    assert_int_equal(r.n, 0);
    mh_hits_free(r.h, r.n);

    /* Limit and offset page through the same order. */
    res all = run("bir OR ve", NULL, NULL, NULL, 0, 0);
    assert_int_equal(all.e, MH_OK);
    assert_true(all.n >= 3);
    res p1 = run("bir OR ve", NULL, NULL, NULL, 1, 0);
    res p2 = run("bir OR ve", NULL, NULL, NULL, 2, 1);
    assert_int_equal(p1.n, 1);
    assert_int_equal(p2.n, 2);
    assert_int_equal(p1.h[0].id, all.h[0].id);
    assert_int_equal(p2.h[0].id, all.h[1].id);
    assert_int_equal(p2.h[1].id, all.h[2].id);
    mh_hits_free(all.h, all.n);
    mh_hits_free(p1.h, p1.n);
    mh_hits_free(p2.h, p2.n);

    /* Bad filters are errors with a message, not empty results. */
    r = run("beyaz", "2025-13", NULL, NULL, 0, 0);
    assert_int_equal(r.e, MH_ERANGE);
    r = run("beyaz", "2025-06", "2025-01", NULL, 0, 0);
    assert_int_equal(r.e, MH_ERANGE);
    r = run("beyaz", NULL, NULL, NULL, 5000, 0);
    assert_int_equal(r.e, MH_ERANGE);
}

/* Filtered hits, by whichever path (the window, every match ranked, or
 * the filter first when few articles pass it), are the unfiltered hits
 * ranked over every match that pass the filter, in the same order with
 * the same scores. */
static void test_filter_paths(void **state)
{
    (void)state;
    const char *query = "yeni OR bir OR ve OR beyaz OR görüşme";
    mh_search_opts o;
    memset(&o, 0, sizeof o);
    o.query = query;
    o.limit = 100;
    o.rank_window = SIZE_MAX;
    mh_hit *all = NULL;
    size_t n_all = 0;
    assert_int_equal(mh_db_search(db, &o, &all, &n_all), MH_OK);
    assert_true(n_all >= 4);
    /* outlet is what the user types, shown the name the hits carry. */
    static const struct { const char *from, *to, *outlet, *shown; } f[] = {
        {NULL, NULL, "Haber Kaynağı", "Haber Kaynağı"}, {"2025", NULL, NULL, NULL},
        {NULL, "2025-01-31", NULL, NULL}, {"2024-11", "2025-12", "haber kaynagi", "Haber Kaynağı"},
        {NULL, NULL, "SPUTNIK TÜRKİYE", "Sputnik Türkiye"},
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(f); i++) {
        for (int w = 0; w < 3; w++) {
            /* The smallest window (2: the newest two matches) leaves the
             * filters short; SIZE_MAX ranks every match; 0 is the default. */
            memset(&o, 0, sizeof o);
            o.query = query;
            o.from = f[i].from;
            o.to = f[i].to;
            o.outlet = f[i].outlet;
            o.limit = 1;
            o.offset = 0;
            o.rank_window = w == 0 ? 2 : w == 1 ? SIZE_MAX : 0;
            mh_hit *h = NULL;
            size_t n = 0;
            assert_int_equal(mh_db_search(db, &o, &h, &n), MH_OK);
            /* The first of the unfiltered hits that passes; with the
             * window of 2, the first among the two newest matches when one
             * of them passes (the window's documented approximation). */
            int64_t newest[2] = {0, 0};
            for (size_t k = 0; k < n_all; k++) {
                if (all[k].id > newest[0]) {
                    newest[1] = newest[0];
                    newest[0] = all[k].id;
                } else if (all[k].id > newest[1]) {
                    newest[1] = all[k].id;
                }
            }
            const mh_hit *want = NULL;
            for (int pass_no = w == 0 ? 0 : 1; pass_no < 2 && !want; pass_no++)
            for (size_t k = 0; k < n_all && !want; k++) {
                const mh_hit *a = &all[k];
                int pass = pass_no == 1 || a->id == newest[0] || a->id == newest[1];
                if (f[i].shown && (!a->outlet || strcmp(a->outlet, f[i].shown) != 0))
                    pass = 0;
                if (f[i].from && (!a->date || strncmp(a->date, f[i].from, strlen(f[i].from)) < 0))
                    pass = 0;
                if (f[i].to && (!a->date || strcmp(a->date, f[i].to) > 0))
                    pass = 0;
                if (pass)
                    want = a;
            }
            assert_non_null(want);
            if (n != 1 || h[0].id != want->id || h[0].score != want->score)
                fail_msg("filter %zu, window %d: %zu hits, first id %lld, want id %lld",
                         i, w, n, n ? (long long)h[0].id : -1LL, (long long)want->id);
            assert_non_null(h[0].snippet);
            mh_hits_free(h, n);
        }
    }
    mh_hits_free(all, n_all);
}

/* Whatever the user types, the answer is hits or MH_EQUERY, never a
 * database error; and a query the parser accepts, FTS5 accepts too. */
static void test_hostile_queries(void **state)
{
    (void)state;
    const char *qs[] = {
        "\"", "\"\"", "*", "**", "a*b", "-", "--a b", "a - b", "(", ")", "()", "(a)",
        "a OR", "OR", "AND", "NOT", "a NOT", "NEAR(a b)", "a:b", "{a b}", "a^", "^",
        "'", "a'b", "İstanbul'", "a\"b", "\\", "%", "_", "a;b", "'; DROP TABLE articles; --",
        "a\nb", "\t", "\xff\xfe", "a\x01" "b", "SELECT", "rank", "bm25(fts)", "a OR b OR c",
        "\"a OR b\"", "\"a\" * b", "a * b", "müzake**", "-\"x\"", "-(a b)",
        "(-(-n)n)", "x (-(-a) b)", "a -(b -c)", "a -(-b c)", "(a -b) OR c", "-(a OR b) c",
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(qs); i++) {
        res r = run(qs[i], NULL, NULL, NULL, 0, 0);
        if (r.e != MH_OK && r.e != MH_EQUERY)
            fail_msg("query %zu (%s): error %d: %s", i, qs[i], r.e, mh_db_errmsg(db));
        if (r.e == MH_EQUERY)
            assert_true(strlen(mh_db_errmsg(db)) > 0);
        mh_query *pq = NULL;
        mh_err pe = mh_query_parse(an, qs[i], strlen(qs[i]), &pq);
        mh_query_free(pq);
        if (pe == MH_OK && r.e != MH_OK)
            fail_msg("query %zu (%s): parsed, then refused: %s", i, qs[i], mh_db_errmsg(db));
        mh_hits_free(r.h, r.n);
    }
}

/* ---------------- allocation failures ---------------- */

/* The hits as text: every field, the score to the last bit. */
static char *describe_hits(const mh_hit *h, size_t n)
{
    char *s = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&s, &len);
    assert_non_null(f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%lld %a [%s] [%s] [%s] [%s] [%s]\n", (long long)h[i].id, h[i].score,
                h[i].path ? h[i].path : "-", h[i].title ? h[i].title : "-",
                h[i].date ? h[i].date : "-", h[i].outlet ? h[i].outlet : "-",
                h[i].snippet ? h[i].snippet : "-");
    fclose(f);
    return s;
}

/* Each kind of query, filter and snippet, failing each allocation in
 * turn: MH_ENOMEM and no hits, or the hits of the unhindered search. */
static void test_alloc_sweep_queries(void **state)
{
    (void)state;
    static const struct {
        const char *q, *from, *to, *outlet, *hl_open, *hl_close;
        size_t limit, offset;
        int snippet_tokens;
    } qs[] = {
        {"istanbul", NULL, NULL, NULL, NULL, NULL, 0, 0, 0},
        {"\"beyaz saray\"", NULL, NULL, NULL, "<b>", "</b>", 0, 0, 0},
        {"müzake* OR silahsız*", NULL, NULL, NULL, NULL, NULL, 0, 0, 6},
        {"(ankara OR isparta) -kar NOT faiz", NULL, NULL, NULL, NULL, NULL, 0, 0, 0},
        {"beyaz OR barış", "2025-03", "2025-06-30", "SPUTNIK TÜRKİYE", NULL, NULL, 0, 0, 0},
        {"bir OR ve", "2024", NULL, "haber kaynagi", NULL, NULL, 1, 1, 0},
        {"görüşmeler", NULL, NULL, NULL, "\x02", "\x03", 2, 0, 3},
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(qs); i++) {
        mh_search_opts o;
        memset(&o, 0, sizeof o);
        o.query = qs[i].q;
        o.from = qs[i].from;
        o.to = qs[i].to;
        o.outlet = qs[i].outlet;
        o.hl_open = qs[i].hl_open;
        o.hl_close = qs[i].hl_close;
        o.limit = qs[i].limit;
        o.offset = qs[i].offset;
        o.snippet_tokens = qs[i].snippet_tokens;
        mh_hit *h = NULL;
        size_t n = 0;
        assert_int_equal(mh_db_search(db, &o, &h, &n), MH_OK);
        if (n == 0)
            fail_msg("query %s finds nothing", qs[i].q);
        char *want = describe_hits(h, n);
        mh_hits_free(h, n);
        int complete = 0, failed = 0;
        TU_SWEEP(k, 200000) {
            h = NULL;
            n = 0;
            tu_fail(k);
            mh_err e = mh_db_search(db, &o, &h, &n);
            int clean = tu_unarm();
            if (e == MH_OK) {
                char *got = describe_hits(h, n);
                if (strcmp(got, want) != 0)
                    fail_msg("query %s, failing allocation %lu:\n%s\nunhindered:\n%s", qs[i].q,
                             k, got, want);
                free(got);
            } else {
                if (e != MH_ENOMEM) {
                    free(want);
                    fail_msg("query %s, failing allocation %lu: %s (%s)", qs[i].q, k,
                             mh_errstr(e), mh_db_errmsg(db));
                }
                assert_null(h);
                assert_int_equal(n, 0);
                failed++;
            }
            mh_hits_free(h, n);
            if (clean) {
                complete = 1;
                break;
            }
        }
        assert_true(complete);
        assert_true(failed > 5);
        free(want);
    }
}

int main(void)
{
    const struct CMUnitTest parse[] = {
        cmocka_unit_test(test_render),
        cmocka_unit_test(test_bad_queries),
        cmocka_unit_test(test_date_bounds),
    };
    const struct CMUnitTest e2e[] = {
        cmocka_unit_test(test_turkish_matching),
        cmocka_unit_test(test_operators),
        cmocka_unit_test(test_ranking_snippets),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_filter_paths),
        cmocka_unit_test(test_hostile_queries),
        cmocka_unit_test(test_alloc_sweep_queries),
    };
    int f = cmocka_run_group_tests_name("query", parse, setup_an, teardown_an);
    f += cmocka_run_group_tests_name("search", e2e, setup_db, teardown_db);
    return f;
}
