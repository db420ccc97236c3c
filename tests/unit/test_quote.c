/*
 * test_quote.c -- quote attribution: the golden fixtures of
 * tests/golden/quotes/ (every pattern and the hard negatives), keys,
 * pathological inputs, allocation failures, and the seed pages (skipped
 * without $MUHABIR_SHARED).
 */
#include "testutil.h"

#include <dirent.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#define GOLDEN_DIR "tests/golden/quotes"

/* The pipeline of a page body: clean, analyse, entities, quotes. */
typedef struct run {
    mh_analyzer *an;
    char *body, *title;
    size_t body_len, title_len;
    mh_doc *bd, *td;
    mh_entities *be, *te;
    mh_quotes *bq, *tq;
} run;

static void run_free(run *r)
{
    mh_quotes_free(r->bq);
    mh_quotes_free(r->tq);
    mh_entities_free(r->be);
    mh_entities_free(r->te);
    mh_doc_free(r->bd);
    mh_doc_free(r->td);
    mh_free(r->body);
    mh_free(r->title);
    mh_analyzer_free(r->an);
    memset(r, 0, sizeof *r);
}

static mh_err run_text(run *r, const char *title, const char *body, size_t body_len)
{
    memset(r, 0, sizeof *r);
    r->an = mh_analyzer_new();
    if (!r->an)
        return MH_ENOMEM;
    mh_err e = mh_clean(body, body_len, MH_CLEAN_LINES, &r->body, &r->body_len);
    if (!e)
        e = mh_analyze(r->an, r->body, r->body_len, 0, &r->bd);
    if (!e)
        e = mh_entities_find(NULL, r->bd, NULL, 0, &r->be);
    if (!e)
        e = mh_quotes_find(r->bd, r->be, 0, &r->bq);
    if (!e && title) {
        e = mh_clean(title, strlen(title), 0, &r->title, &r->title_len);
        if (!e)
            e = mh_analyze(r->an, r->title, r->title_len, 0, &r->td);
        if (!e)
            e = mh_entities_find(NULL, r->td, r->be, 0, &r->te);
        if (!e)
            e = mh_quotes_find(r->td, r->te, MH_QUOTE_OPT_HEADLINE, &r->tq);
    }
    return e;
}

static void field(FILE *f, const char *s, size_t n)
{
    if (!s || !n)
        fputs("-", f);
    else
        fwrite(s, 1, n, f);
}

/* One line per quote: kind | speaker | role | verb | text. */
static void describe(FILE *f, const mh_doc *d, const mh_quotes *q)
{
    for (size_t i = 0; q && i < q->n; i++) {
        const mh_quote *x = &q->q[i];
        fprintf(f, "%s | ", mh_quote_kind_name(x->kind));
        field(f, x->speaker, x->speaker_len);
        fputs(" | ", f);
        field(f, x->speaker_role, x->speaker_role_len);
        fputs(" | ", f);
        field(f, x->verb, x->verb_len);
        fputs(" | ", f);
        for (uint32_t k = x->start; k < x->end; k++)
            fputc(d->text[k] == '\n' ? ' ' : d->text[k], f);
        fputc('\n', f);
    }
}

static char *trim(char *s)
{
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
        s[--n] = 0;
    return s;
}

/* Run one case; returns 1 when it passes, printing a diff otherwise. */
static int check_case(const char *file, const char *name, const char *title, const char *body,
                      const char *expected)
{
    run r;
    mh_err e = run_text(&r, title, body, strlen(body));
    if (e) {
        printf("%s: %s: pipeline error %s\n", file, name, mh_errstr(e));
        run_free(&r);
        return 0;
    }
    char *got = NULL;
    size_t got_len = 0;
    FILE *f = open_memstream(&got, &got_len);
    if (r.tq)
        describe(f, r.td, r.tq);
    describe(f, r.bd, r.bq);
    fclose(f);
    /* Compare line by line, blanks around '|' not significant. */
    int ok = 1;
    char *g = got, *x = strdup(expected);
    char *gs = NULL, *xs = NULL;
    char *gl = strtok_r(g, "\n", &gs);
    char *xl = strtok_r(x, "\n", &xs);
    while (gl || xl) {
        if (!gl || !xl || strcmp(trim(gl), trim(xl)) != 0) {
            ok = 0;
            break;
        }
        gl = strtok_r(NULL, "\n", &gs);
        xl = strtok_r(NULL, "\n", &xs);
    }
    if (!ok) {
        printf("--- %s: %s\nexpected:\n%sgot:\n", file, name, expected);
        if (r.tq)
            describe(stdout, r.td, r.tq);
        describe(stdout, r.bd, r.bq);
    }
    free(x);
    free(got);
    run_free(&r);
    return ok;
}

/* Parse and run every case of one fixture file; returns failures. */
static int run_file(const char *path, int *cases)
{
    size_t n;
    char *text = tu_read_file(path, &n);
    if (!text)
        fail_msg("cannot read %s", path);
    int failures = 0;
    char *save = NULL;
    char *line = strtok_r(text, "\n", &save);
    while (line) {
        if (strncmp(line, "### ", 4) != 0) {
            line = strtok_r(NULL, "\n", &save);
            continue;
        }
        char name[256];
        snprintf(name, sizeof name, "%s", line + 4);
        char title[2048] = "";
        int has_title = 0;
        char body[8192] = "", exp[8192] = "";
        int in_exp = 0;
        /* strtok_r drops empty lines: a line end alone already ends a
         * paragraph for the quote rules. */
        while ((line = strtok_r(NULL, "\n", &save)) && strncmp(line, "### ", 4) != 0) {
            if (!in_exp && strcmp(line, "---") == 0) {
                in_exp = 1;
            } else if (in_exp) {
                if (line[0] != '#')
                    snprintf(exp + strlen(exp), sizeof exp - strlen(exp), "%s\n", line);
            } else if (strncmp(line, "title: ", 7) == 0) {
                snprintf(title, sizeof title, "%s", line + 7);
                has_title = 1;
            } else {
                snprintf(body + strlen(body), sizeof body - strlen(body), "%s\n", line);
            }
        }
        (*cases)++;
        if (!check_case(path, name, has_title ? title : NULL, body, exp))
            failures++;
    }
    free(text);
    return failures;
}

static void test_golden(void **state)
{
    (void)state;
    DIR *d = opendir(GOLDEN_DIR);
    if (!d) {
        printf("no %s (run from the repository root)\n", GOLDEN_DIR);
        skip();
    }
    struct dirent *de;
    char *names[64];
    int nn = 0;
    while ((de = readdir(d)) && nn < 64) {
        size_t l = strlen(de->d_name);
        if (l > 4 && strcmp(de->d_name + l - 4, ".txt") == 0)
            names[nn++] = strdup(de->d_name);
    }
    closedir(d);
    assert_true(nn >= 5);
    int failures = 0, cases = 0;
    for (int i = 0; i < nn; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", GOLDEN_DIR, names[i]);
        failures += run_file(path, &cases);
        free(names[i]);
    }
    printf("quotes golden: %d cases, %d failed\n", cases, failures);
    assert_true(cases >= 40);
    assert_int_equal(failures, 0);
}

/* Offsets point into the text and the quote text is what they cover. */
static void test_offsets_and_fields(void **state)
{
    (void)state;
    const char *t = "Rusya Dışişleri Bakanı Sergey Lavrov'un açıklaması bekleniyordu. "
                    "Lavrov, \"Yarın Ankara'ya gideceğiz.\" dedi.";
    run r;
    assert_int_equal(run_text(&r, NULL, t, strlen(t)), MH_OK);
    assert_int_equal(r.bq->n, 1);
    const mh_quote *q = &r.bq->q[0];
    assert_true(q->start < q->end && q->end <= r.bd->text_len);
    assert_str_eq_n(r.bd->text + q->start, q->end - q->start, "Yarın Ankara'ya gideceğiz.");
    assert_str_eq_n(q->speaker, q->speaker_len, "Sergey Lavrov");
    assert_str_eq_n(q->speaker_role, q->speaker_role_len, "Rusya Dışişleri Bakanı");
    assert_int_equal(q->speaker_type, MH_ENT_PERSON);
    assert_true(q->speaker_mention >= 0 && (size_t)q->speaker_mention < r.be->n);
    assert_str_eq_n(r.bd->text + q->verb_start, q->verb_end - q->verb_start, "dedi");
    assert_string_equal(mh_quote_kind_name(q->kind), "direct");
    run_free(&r);
}

static void test_quote_key(void **state)
{
    (void)state;
    char a[33], b[33], c[33], d[33];
    const char *t1 = "Barış için hazırız.", *t2 = "barış için HAZIRIZ", *t3 = "Savaş için hazırız.";
    /* Punctuation, case and quote marks do not change the key; spelling
     * variants of the speaker do not either; another speaker does. */
    assert_int_equal(mh_quote_key(t1, strlen(t1), "Sergey Lavrov", 13, a), MH_OK);
    assert_int_equal(mh_quote_key(t2, strlen(t2), "Sergei Lavrov", 13, b), MH_OK);
    assert_int_equal(mh_quote_key(t1, strlen(t1), "Vladimir Putin", 14, c), MH_OK);
    assert_int_equal(mh_quote_key(t3, strlen(t3), "Sergey Lavrov", 13, d), MH_OK);
    assert_int_equal(strlen(a), 32);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_string_not_equal(a, d);
    assert_int_equal(mh_quote_key(NULL, 3, "x", 1, a), MH_EINVAL);
}

/* Bad input never crashes or hangs: many quote marks, apostrophes, an
 * unterminated quotation, nothing at all. */
static void test_pathological(void **state)
{
    (void)state;
    size_t n = 200000;
    char *s = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        s[i] = "\"' a:"[i % 5];
    s[n] = 0;
    run r;
    assert_int_equal(run_text(&r, s, s, n), MH_OK);
    run_free(&r);
    for (size_t i = 0; i < n; i++)
        s[i] = i % 7 == 6 ? ' ' : "dedi\"'"[i % 6];
    assert_int_equal(run_text(&r, NULL, s, n), MH_OK);
    run_free(&r);
    assert_int_equal(run_text(&r, "", "", 0), MH_OK);
    assert_int_equal(r.bq->n, 0);
    run_free(&r);
    const char *u = "Lavrov, \"Bu cümle hiç kapanmıyor ve satır sonuna kadar gidiyor";
    assert_int_equal(run_text(&r, NULL, u, strlen(u)), MH_OK);
    run_free(&r);
    free(s);
}

static void test_mismatched_entities(void **state)
{
    (void)state;
    run a, b;
    const char *t1 = "Putin, \"Evet.\" dedi.", *t2 = "Lavrov konuştu.";
    assert_int_equal(run_text(&a, NULL, t1, strlen(t1)), MH_OK);
    assert_int_equal(run_text(&b, NULL, t2, strlen(t2)), MH_OK);
    mh_quotes *q = NULL;
    /* Entities of another text are refused. */
    assert_int_equal(mh_quotes_find(a.bd, b.be, 0, &q), MH_EINVAL);
    assert_null(q);
    /* Without entities every speaker is unknown. */
    assert_int_equal(mh_quotes_find(a.bd, NULL, 0, &q), MH_OK);
    assert_int_equal(q->n, 1);
    assert_null(q->q[0].speaker);
    mh_quotes_free(q);
    run_free(&a);
    run_free(&b);
}

/* Every allocation failure is reported, never a crash or a leak. */
static void test_alloc_failures(void **state)
{
    (void)state;
    const char *t = "Rusya Dışişleri Bakanı Sergey Lavrov, \"Hazırız.\" dedi. "
                    "Lavrov, barışın mümkün olduğunu söyledi.";
    run r;
    assert_int_equal(run_text(&r, NULL, t, strlen(t)), MH_OK);
    size_t want = r.bq->n;
    for (unsigned long k = 1; k < 400; k++) {
        mh_quotes *q = NULL;
        mh_set_alloc_fail(k);
        mh_err e = mh_quotes_find(r.bd, r.be, 0, &q);
        mh_set_alloc_fail(0);
        if (e == MH_OK) {
            assert_int_equal(q->n, want);
            mh_quotes_free(q);
            break;
        }
        assert_int_equal(e, MH_ENOMEM);
        assert_null(q);
    }
    run_free(&r);
}

/* Every field of every quote, one line each (plain malloc memory). */
static char *describe_all(const mh_doc *d, const mh_quotes *q)
{
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    assert_non_null(f);
    for (size_t i = 0; q && i < q->n; i++) {
        const mh_quote *x = &q->q[i];
        fprintf(f, "%u %u %d %x %ld %d %u %u ", x->start, x->end, (int)x->kind, x->flags,
                x->speaker_mention, (int)x->speaker_type, x->verb_start, x->verb_end);
    }
    describe(f, d, q);
    fclose(f);
    return s;
}

/* Quotes of every kind and speakers of every sort, failing each
 * allocation in turn: MH_ENOMEM and nothing, or every quote as in the
 * unhindered run (body and headline). */
static void test_alloc_sweep_kinds(void **state)
{
    (void)state;
    static const char body[] =
        "Rusya Dışişleri Bakanı Sergey Lavrov, \"Görüşmelere hazırız.\" dedi.\n"
        "\"Süreç uzun sürecek\" diyen Lavrov, tarafların sabırlı olması gerektiğini vurguladı.\n"
        "Guterres'in \"Barış mümkün\" sözleri salonda alkışlandı.\n"
        "Dışişleri Bakanı Hakan Fidan ise görüşmelerin \"yapıcı\" geçtiğini söyledi.\n"
        "Bakan, \"Ankara her zaman diyalogdan yana\" diye konuştu.\n"
        "AA'ya konuşan bir yetkili, toplantının yarın sürdüğünü belirtti.";
    static const char title[] = "Lavrov: Görüşmelere hazırız";
    run ref;
    assert_int_equal(run_text(&ref, title, body, strlen(body)), MH_OK);
    char *want_b = describe_all(ref.bd, ref.bq), *want_t = describe_all(ref.td, ref.tq);
    assert_true(ref.bq->n >= 4);
    assert_int_equal(ref.tq->n, 1);
    int kinds = 0;
    for (size_t i = 0; i < ref.bq->n; i++)
        kinds |= 1 << ref.bq->q[i].kind;
    assert_int_equal(kinds, 7);
    int complete = 0, failed = 0;
    TU_SWEEP(k, 200000) {
        mh_quotes *b = NULL, *t = NULL;
        tu_fail(k);
        mh_err eb = mh_quotes_find(ref.bd, ref.be, 0, &b);
        mh_err et = mh_quotes_find(ref.td, ref.te, MH_QUOTE_OPT_HEADLINE, &t);
        int clean = tu_unarm();
        mh_quotes *got[2] = { b, t };
        mh_err err[2] = { eb, et };
        const mh_doc *doc[2] = { ref.bd, ref.td };
        const char *want[2] = { want_b, want_t };
        for (int i = 0; i < 2; i++) {
            if (err[i] == MH_OK) {
                char *s = describe_all(doc[i], got[i]);
                if (strcmp(s, want[i]) != 0)
                    fail_msg("failing allocation %lu: quotes\n%s\nunhindered\n%s", k, s,
                             want[i]);
                free(s);
            } else {
                assert_int_equal(err[i], MH_ENOMEM);
                assert_null(got[i]);
                failed++;
            }
            mh_quotes_free(got[i]);
        }
        /* The key of a statement. */
        char key[33], want_key[33];
        assert_int_equal(mh_quote_key("Görüşmelere hazırız.", strlen("Görüşmelere hazırız."),
                                      "Sergey Lavrov", 13, want_key), MH_OK);
        tu_fail(k);
        mh_err ek = mh_quote_key("Görüşmelere hazırız.", strlen("Görüşmelere hazırız."),
                                 "Sergey Lavrov", 13, key);
        clean &= tu_unarm();
        if (ek == MH_OK)
            assert_string_equal(key, want_key);
        else
            assert_int_equal(ek, MH_ENOMEM);
        if (clean) {
            complete = 1;
            break;
        }
    }
    assert_true(complete);
    assert_true(failed > 10);
    free(want_b);
    free(want_t);
    run_free(&ref);
}

/* ---------------- the stored quotes and entities, as JSON ---------------- */

static const struct {
    const char *text, *date, *outlet;
} stored_pages[] = {
    {"Lavrov: Görüşmelere hazırız\n\n"
     "Rusya Dışişleri Bakanı Sergey Lavrov, \"Görüşmelere hazırız.\" dedi. Lavrov, Ankara'da "
     "Dışişleri Bakanı Hakan Fidan ile bir araya geldi.\n\n"
     "Fidan, görüşmelerin yapıcı geçtiğini söyledi.\n",
     "2025-06-02", "Kıyı Haber"},
    {"Ankara'da kritik görüşme\n\n"
     "Sergei Lavrov, \"Görüşmelere hazırız.\" dedi. Türkiye Dışişleri Bakanı Hakan Fidan ise "
     "\"Barış için her adımı atacağız\" diye konuştu.\n\n"
     "Görüşme İstanbul'da sürecek.\n",
     "2025-06-03", "Örnek Haber"},
    {"Guterres'ten çağrı\n\n"
     "BM Genel Sekreteri Antonio Guterres, İstanbul'daki toplantıda \"Diyalog tek yol\" dedi. "
     "Guterres, Lavrov ile de görüşeceğini açıkladı.\n",
     "2025-06-04", "Ajans"},
};


static mh_err call_entities(mh_db *db, const void *arg, char **out, size_t *len)
{
    return mh_db_entities_json(db, (mh_ent_type)(intptr_t)arg, 0, out, len);
}

static mh_err call_entity(mh_db *db, const void *arg, char **out, size_t *len)
{
    return mh_db_entity_json(db, arg, out, len);
}

static mh_err call_timeline(mh_db *db, const void *arg, char **out, size_t *len)
{
    return mh_db_timeline_json(db, arg, out, len);
}

static mh_err call_quotes(mh_db *db, const void *arg, char **out, size_t *len)
{
    return mh_db_quotes_json(db, arg, out, len);
}

/* One builder failing each allocation in turn: MH_ENOMEM and no text,
 * or the text of the unhindered call, byte for byte. */
static void sweep_json(mh_db *db, const char *what, tu_text_call fn, const void *arg,
                       const char *must)
{
    char *want = NULL;
    size_t want_len = 0;
    mh_err e = fn(db, arg, &want, &want_len);
    if (e != MH_OK)
        fail_msg("%s: %s (%s)", what, mh_errstr(e), mh_db_errmsg(db));
    if (!strstr(want, must))
        fail_msg("%s: no %s in %s", what, must, want);
    assert_true(tu_sweep_text(db, what, fn, arg, want, want_len) > 5);
    mh_free(want);
}

static void test_alloc_sweep_stored(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "/tmp/mh_test_quote_%ld.db", (long)getpid());
    unlink(path);
    mh_db *db = NULL;
    mh_ingest *ing = NULL;
    mh_ingest_stats st;
    assert_int_equal(mh_db_open(path, 0, &db), MH_OK);
    assert_int_equal(mh_ingest_new(db, NULL, &ing), MH_OK);
    for (size_t i = 0; i < sizeof stored_pages / sizeof stored_pages[0]; i++) {
        mh_record r;
        memset(&r, 0, sizeof r);
        r.path = "quotes.jsonl";
        r.index = (long)i;
        r.text = stored_pages[i].text;
        r.text_len = strlen(r.text);
        r.date = stored_pages[i].date;
        r.outlet = stored_pages[i].outlet;
        assert_int_equal(mh_ingest_add_record(ing, &r), MH_OK);
    }
    assert_int_equal(mh_ingest_finish(ing, &st), MH_OK);
    assert_int_equal(st.added, 3);

    cJSON_Hooks hooks = { mh_malloc, mh_free };
    cJSON_InitHooks(&hooks);
    mh_quote_filter all, by, about;
    memset(&all, 0, sizeof all);
    memset(&by, 0, sizeof by);
    memset(&about, 0, sizeof about);
    by.speaker = "Lavrov";
    about.about = "hazır";
    about.from = "2025-06";
    about.to = "2025-06-03";
    about.limit = 5;
    sweep_json(db, "entities", call_entities, (const void *)(intptr_t)MH_ENT_NONE, "Hakan Fidan");
    sweep_json(db, "entities of people", call_entities, (const void *)(intptr_t)MH_ENT_PERSON,
               "Antonio Guterres");
    sweep_json(db, "entity", call_entity, "Sergei Lavrov", "Görüşmelere hazırız");
    sweep_json(db, "timeline", call_timeline, "Fidan", "2025-06-03");
    sweep_json(db, "quotes", call_quotes, &all, "Diyalog tek yol");
    sweep_json(db, "quotes of a speaker", call_quotes, &by, "Görüşmelere hazırız");
    sweep_json(db, "quotes about", call_quotes, &about, "Kıyı Haber");
    cJSON_InitHooks(NULL);

    mh_db_close(db);
    tu_rm_db(path);
}

/* The seed pages: Lavrov's statements are attributed to him and the
 * statements of the others are not. */
static int read_page(void *ctx, const mh_record *rec)
{
    mh_article **out = ctx;
    if (!*out)
        mh_extract(rec, NULL, out);
    return 0;
}

static void test_seeds(void **state)
{
    (void)state;
    const char *root = tu_shared();
    if (!root)
        skip();
    static const char *const seeds[] = {
        "000_937fd04f564aca70.txt", "001_fbb121151ca4ddf0.txt", "002_e357caafc61c5725.txt",
        "003_5289314c70e94264.txt", "004_dc48fdb0813769b0.txt",
    };
    size_t lavrov = 0, others = 0;
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/seeds/%s", root, seeds[i]);
        mh_article *a = NULL;
        assert_int_equal(mh_page_read_file(path, MH_FMT_AUTO, read_page, NULL, &a), MH_OK);
        assert_non_null(a);
        assert_non_null(a->body);
        run r;
        assert_int_equal(run_text(&r, a->title, a->body, strlen(a->body)), MH_OK);
        const mh_quotes *qs[2] = { r.tq, r.bq };
        for (int k = 0; k < 2; k++) {
            for (size_t j = 0; qs[k] && j < qs[k]->n; j++) {
                const mh_quote *q = &qs[k]->q[j];
                if (!q->speaker)
                    continue;
                if (q->speaker_len == 13 && memcmp(q->speaker, "Sergey Lavrov", 13) == 0)
                    lavrov++;
                else
                    others++;
            }
        }
        run_free(&r);
        mh_article_free(a);
    }
    printf("seeds: %zu statements of Lavrov, %zu of others\n", lavrov, others);
    assert_true(lavrov >= 40);
    assert_true(others >= 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_offsets_and_fields),
        cmocka_unit_test(test_quote_key),
        cmocka_unit_test(test_pathological),
        cmocka_unit_test(test_mismatched_entities),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_alloc_sweep_kinds),
        cmocka_unit_test(test_alloc_sweep_stored),
        cmocka_unit_test(test_seeds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
