/* test_seeds.c -- the five seed pages ($MUHABIR_SHARED/seeds, skipped when
 * absent): for each, the extracted fields and exactly which lines end up
 * as title, lead, body and removed.  Lines are named by their number in
 * the seed file and read from it; no seed text is copied here.  The facts
 * asserted (a date, an outlet, a category) are short. */
#include "extract_check.h"

#include <glob.h>

#define MAXL 200

typedef struct seed {
    char *raw;                 /* the file */
    char *line[MAXL + 1];      /* line[k]: line k (1-based), cleaned */
    int n;
    mh_record r;               /* the record as read */
    char *text;
    mh_article *a;
} seed;

static int keep_record(void *ctx, const mh_record *r)
{
    seed *s = ctx;
    s->r = *r;
    s->text = strndup(r->text, r->text_len);
    s->r.text = s->text;
    s->r.path = "seed";
    return 0;
}

/* Load seed NNN, read it through mh_page_read_file and extract. */
static void seed_load(seed *s, const char *num, int64_t crawl_time)
{
    const char *root = tu_shared();
    if (!root)
        skip();
    char pat[4096];
    glob_t g;
    snprintf(pat, sizeof pat, "%s/seeds/%s_*", root, num);
    if (glob(pat, 0, NULL, &g) != 0 || g.gl_pathc != 1) {
        globfree(&g);
        skip();
    }
    memset(s, 0, sizeof *s);
    s->raw = tu_read_file(g.gl_pathv[0], NULL);
    assert_non_null(s->raw);
    char *p = s->raw;
    while (p && s->n < MAXL) {
        char *e = strchr(p, '\n');
        size_t k = e ? (size_t)(e - p) : strlen(p);
        if (!e && k == 0)
            break;
        char *c = NULL;
        size_t cn = 0;
        assert_int_equal(mh_clean(p, k, 0, &c, &cn), MH_OK);
        s->line[++s->n] = c;
        p = e ? e + 1 : NULL;
    }
    assert_int_equal(mh_page_read_file(g.gl_pathv[0], MH_FMT_AUTO, keep_record, NULL, s), MH_OK);
    globfree(&g);
    s->r.crawl_time = crawl_time;
    assert_int_equal(mh_extract(&s->r, NULL, &s->a), MH_OK);
    /* nothing is lost, whatever the seed */
    const char *lost = xc_lost_line(&s->r, s->a);
    if (lost)
        fail_msg("line lost: %s", lost);
}

static void seed_free(seed *s)
{
    mh_article_free(s->a);
    for (int i = 1; i <= s->n; i++)
        mh_free(s->line[i]);
    free(s->raw);
    free(s->text);
}

static void expect_str(const char *what, const char *got, const char *want)
{
    if (!want && got)
        fail_msg("%s: expected none, got \"%s\"", what, got);
    if (want && (!got || strcmp(got, want) != 0))
        fail_msg("%s: expected \"%s\", got \"%s\"", what, want, got ? got : "(none)");
}

/* The body is exactly these lines (unglued), in this order. */
static void expect_body(const seed *s, const int *lines, int n)
{
    char *want = NULL;
    size_t wl = 0;
    for (int i = 0; i < n; i++) {
        char *u = NULL;
        size_t un = 0;
        assert_int_equal(mh_unglue(s->line[lines[i]], strlen(s->line[lines[i]]), &u, &un), MH_OK);
        xc_add(&want, &wl, "%s%s", i ? "\n" : "", u);
        mh_free(u);
    }
    if (strcmp(s->a->body, want) != 0)
        fail_msg("body differs:\n--- want\n%s\n--- got\n%s", want, s->a->body);
    free(want);
}

/* removed is exactly these lines, in page order (line 0 = a piece cut off
 * the lead, checked by the caller). */
static void expect_removed(const seed *s, const int *lines, int n)
{
    if ((int)s->a->n_removed != n) {
        for (size_t i = 0; i < s->a->n_removed; i++)
            print_error("removed[%zu] = %s\n", i, s->a->removed[i]);
        fail_msg("%zu lines removed, expected %d", s->a->n_removed, n);
    }
    for (int i = 0; i < n; i++)
        if (lines[i] && strcmp(s->a->removed[i], s->line[lines[i]]) != 0)
            fail_msg("removed[%d]: expected line %d \"%s\", got \"%s\"", i, lines[i],
                     s->line[lines[i]], s->a->removed[i]);
}

/* Lines lo..hi (inclusive) that are not blank. */
static int range(const seed *s, int lo, int hi, int *out, int n)
{
    for (int k = lo; k <= hi && k <= s->n; k++)
        if (s->line[k][0])
            out[n++] = k;
    return n;
}

static void test_seed_000(void **state)
{
    (void)state;
    seed s;
    seed_load(&s, "000", 0);
    expect_str("title", s.a->title, s.line[1]);
    expect_str("lead", s.a->lead, s.line[2]);
    /* AFP is quoted in sentences, not credited: no source.  No date,
     * outlet or category is stated. */
    expect_str("date", s.a->date, NULL);
    expect_str("outlet", s.a->outlet, NULL);
    expect_str("source", s.a->source, NULL);
    expect_str("category", s.a->category, NULL);
    /* capital headings (line 6, and line 9 in quotes) stay in the body */
    int body[] = { 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14 };
    expect_body(&s, body, 11);
    /* image placeholders, "Benzer Haberler" and its headlines (one of
     * them the title again) */
    int rem[20], n = 0;
    rem[n++] = 8;
    n = range(&s, 15, 25, rem, n);
    expect_removed(&s, rem, n);
    seed_free(&s);
}

static void test_seed_001(void **state)
{
    (void)state;
    seed s;
    seed_load(&s, "001", 0);
    expect_str("title", s.a->title, s.line[1]);
    expect_str("lead", s.a->lead, s.line[3]);
    expect_str("date", s.a->date, NULL);
    expect_str("outlet", s.a->outlet, NULL);
    expect_str("source", s.a->source, NULL);
    expect_str("category", s.a->category, NULL);
    /* lines 5 and 6 repeat the title, line 7 restates the lead */
    assert_string_equal(s.line[5], s.line[1]);
    assert_string_equal(s.line[6], s.line[1]);
    int rem[] = { 5, 6, 7 };
    expect_removed(&s, rem, 3);
    /* the capital section headings stay */
    int body[] = { 9, 11, 13, 15, 17, 19, 21, 23 };
    expect_body(&s, body, 8);
    seed_free(&s);
}

static void test_seed_002(void **state)
{
    (void)state;
    seed s;
    seed_load(&s, "002", 0);
    expect_str("title", s.a->title, s.line[1]);
    expect_str("lead", s.a->lead, s.line[3]);
    /* "2 saat önce" with no crawl time: no date */
    expect_str("date", s.a->date, NULL);
    expect_str("category", s.a->category, "Dünya");
    /* the site hashtag names the outlet, the Kaynak line the source */
    expect_str("outlet", s.a->outlet, "Eşhaber");
    expect_str("source", s.a->source, "Haber7");
    int body[20], nb = range(&s, 7, 35, body, 0);
    expect_body(&s, body, nb);
    /* the stamp line, Kaynak, hashtags and every related block with its
     * time stamps */
    int rem[100], n = 0;
    rem[n++] = 5;
    n = range(&s, 37, s.n, rem, n);
    assert_true(n > 40);
    expect_removed(&s, rem, n);
    seed_free(&s);

    /* With a crawl time the relative stamp gives the date. */
    seed_load(&s, "002", mh_date_to_unix("2025-11-09T20:00:00+03:00", 25));
    expect_str("date", s.a->date, "2025-11-09");
    seed_free(&s);
}

static void test_seed_003(void **state)
{
    (void)state;
    seed s;
    seed_load(&s, "003", 0);
    /* not the menu (line 1), not the category (line 3) */
    expect_str("title", s.a->title, s.line[5]);
    expect_str("lead", s.a->lead, s.line[7]);
    expect_str("outlet", s.a->outlet, "Yeni Akit");
    expect_str("category", s.a->category, "Dünya");
    /* the dated line in the sidebar is not the page's date */
    expect_str("date", s.a->date, NULL);
    expect_str("source", s.a->source, NULL);
    /* line 13 lacks its full stop and line 23 is a quoted heading: both
     * are body */
    int body[20], nb = range(&s, 9, 27, body, 0);
    expect_body(&s, body, nb);
    int rem[20], n = 0;
    rem[n++] = 1;
    rem[n++] = 3;
    n = range(&s, 29, s.n, rem, n);
    expect_removed(&s, rem, n);
    seed_free(&s);
}

static void test_seed_004(void **state)
{
    (void)state;
    seed s;
    seed_load(&s, "004", 0);
    expect_str("title", s.a->title, s.line[3]);
    expect_str("date", s.a->date, "2025-10-28");
    expect_str("outlet", s.a->outlet, "Sputnik Türkiye");
    expect_str("category", s.a->category, NULL);
    assert_non_null(s.a->url);
    assert_non_null(strstr(s.line[1], s.a->url));
    /* the lead is line 5 without its trailing dateline, which is in
     * removed right after the header line */
    int rem[] = { 1, 0 };
    expect_removed(&s, rem, 2);
    const char *l5 = s.line[5], *lead = s.a->lead, *dl = s.a->removed[1];
    assert_non_null(lead);
    size_t ln = strlen(lead), dn = strlen(dl);
    assert_true(ln + 1 + dn == strlen(l5));
    assert_memory_equal(l5, lead, ln);
    assert_string_equal(l5 + ln + 1, dl);
    /* the glued body, one line, with its sentences separated */
    int body[] = { 7 };
    expect_body(&s, body, 1);
    assert_true(strlen(s.a->body) > strlen(s.line[7]));
    assert_true(s.a->n_sentences >= 8);
    seed_free(&s);
}

static void test_seed_hashes_differ(void **state)
{
    (void)state;
    /* five different articles, five different content hashes */
    static const char *const nums[] = { "000", "001", "002", "003", "004" };
    char h[5][33];
    for (int i = 0; i < 5; i++) {
        seed s;
        seed_load(&s, nums[i], 0);
        memcpy(h[i], s.a->hash, 33);
        seed_free(&s);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(h[i], h[j]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_000),
        cmocka_unit_test(test_seed_001),
        cmocka_unit_test(test_seed_002),
        cmocka_unit_test(test_seed_003),
        cmocka_unit_test(test_seed_004),
        cmocka_unit_test(test_seed_hashes_differ),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
