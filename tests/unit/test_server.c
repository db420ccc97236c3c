/*
 * test_server.c -- the JSON API of `muhabir serve` in-process: the
 * handlers (server/api.c, server/data.c) and the router (server/route.c)
 * are compiled in here, and answer requests on a small database made of
 * invented pages, without a daemon.  Each endpoint is swept with every
 * allocation failing in turn (cJSON allocating through mh_malloc too).
 */
/* The server first: cmocka's fail() macro would take route.c's fail(). */
#include "../../server/route.c"
#include "../../server/assets.c"
#include "../../server/web_assets.c"
#include "../../server/data.c"
#include "../../server/api.c"

#include "testutil.h"

#include <unistd.h>

static char dbpath[256];

static const struct {
    const char *text, *date, *outlet;
} pages[] = {
    {"Lavrov: Görüşmelere hazırız\n\n"
     "Rusya Dışişleri Bakanı Sergey Lavrov, \"Görüşmelere hazırız.\" dedi. Lavrov, Ankara'da "
     "Dışişleri Bakanı Hakan Fidan ile bir araya geldi.\n\n"
     "Fidan, görüşmelerin yapıcı geçtiğini söyledi. Heyetler İstanbul'da yeniden buluşacak.\n",
     "2025-06-02", "Kıyı Haber"},
    {"Lavrov: Görüşmelere hazırız\n\n"
     "Rusya Dışişleri Bakanı Sergey Lavrov, \"Görüşmelere hazırız.\" dedi. Lavrov, Ankara'da "
     "Dışişleri Bakanı Hakan Fidan ile bir araya geldi.\n\n"
     "Fidan, görüşmelerin yapıcı geçtiğini söyledi. Heyetler gelecek hafta İstanbul'da "
     "yeniden buluşacak.\n",
     "2025-06-03", "Örnek Haber"},
    {"Ankara'da kritik görüşme\n\n"
     "Sergei Lavrov ile Hakan Fidan Ankara'da görüştü. Fidan, \"Barış için her adımı "
     "atacağız\" diye konuştu.\n\n"
     "Görüşmenin ikinci turu İstanbul'da yapılacak.\n",
     "2025-06-03", "Ajans"},
    {"Limanda yeni dönem\n\n"
     "Limanın yeni iskelesi hizmete girdi. Liman İşletmesi Müdürü Selin Aksoy, \"Bölge "
     "ekonomisine katkı sunacak\" dedi.\n",
     "2025-06-05", "Kıyı Haber"},
};

static void rm_db(void) { tu_rm_db(dbpath); }

static int setup(void **state)
{
    (void)state;
    snprintf(dbpath, sizeof dbpath, "/tmp/mh_test_server_%ld.db", (long)getpid());
    rm_db();
    mh_db *db = NULL;
    mh_ingest *ing = NULL;
    mh_ingest_stats st;
    if (mh_db_open(dbpath, 0, &db) || mh_ingest_new(db, NULL, &ing))
        return -1;
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        mh_record r;
        memset(&r, 0, sizeof r);
        r.path = "sunucu.jsonl";
        r.index = (long)i;
        r.text = pages[i].text;
        r.text_len = strlen(r.text);
        r.date = pages[i].date;
        r.outlet = pages[i].outlet;
        if (mh_ingest_add_record(ing, &r))
            return -1;
    }
    if (mh_ingest_finish(ing, &st) || st.added != 4)
        return -1;
    mh_db_close(db);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rm_db();
    return 0;
}

/* The answer to uri from a fresh read-only view of the database. */
static void answer(srv_data *d, const char *uri, srv_response *out)
{
    srv_request r;
    assert_int_equal(srv_request_parse("GET", uri, strlen(uri), &r), 0);
    srv_api_answer(d, &r, out);
    srv_request_clear(&r);
}

/*
 * Every endpoint, failing each allocation in turn: the answer is the
 * unhindered one (same status, same body), or 503 (out of memory, with
 * a JSON body when one could be made); never a 200 with less in it, nor
 * a 500 that blames the database.
 */
static void test_alloc_sweep_endpoints(void **state)
{
    (void)state;
    static const char *const uris[] = {
        "/healthz",
        "/api/stats",
        "/api/search?q=g%C3%B6r%C3%BC%C5%9Fme&limit=2",
        "/api/search?q=%22hakan%20fidan%22%20OR%20liman*&from=2025-06-01&outlet=K%C4%B1y%C4%B1%20Haber",
        "/api/articles/1",
        "/api/articles/99",
        "/api/articles/1/related",
        "/api/stories",
        "/api/stories?from=2025-06-02&to=2025-06-03&limit=1&offset=1",
        "/api/stories/1",
        "/api/quotes",
        "/api/quotes?speaker=Lavrov&q=haz%C4%B1r",
        "/api/entities",
        "/api/entities?type=person&limit=2&offset=1",
        "/api/entities/Sergei%20Lavrov",
        "/api/entities/Kimse",
    };
    srv_data *d = NULL;
    char err[256];
    assert_int_equal(srv_data_open(dbpath, &d, err, sizeof err), MH_OK);
    cJSON_Hooks hooks = { mh_malloc, mh_free };
    cJSON_InitHooks(&hooks);
    for (size_t i = 0; i < sizeof uris / sizeof uris[0]; i++) {
        srv_response want;
        answer(d, uris[i], &want);
        assert_non_null(want.body);
        if (want.status != 200 && want.status != 404)
            fail_msg("%s: %d %s", uris[i], want.status, want.body);
        int complete = 0, failed = 0;
        TU_SWEEP(k, 400000) {
            srv_response got;
            srv_request r;
            assert_int_equal(srv_request_parse("GET", uris[i], strlen(uris[i]), &r), 0);
            tu_fail(k);
            srv_api_answer(d, &r, &got);
            int clean = tu_unarm();
            srv_request_clear(&r);
            if (got.status == 503) {
                failed++;
                assert_true(!got.body || strstr(got.body, "out of memory"));
            } else if (got.status != want.status || !got.body || strcmp(got.body, want.body)) {
                fail_msg("%s, failing allocation %lu: %d %s\nunhindered: %d %s", uris[i], k,
                         got.status, got.body ? got.body : "(none)", want.status, want.body);
            } else {
                assert_int_equal(got.len, want.len);
                assert_int_equal(got.cacheable, want.cacheable);
            }
            free(got.body);
            if (clean) {
                complete = 1;
                break;
            }
        }
        assert_true(complete);
        if (i > 0)
            assert_true(failed > 0);
        free(want.body);
    }
    cJSON_InitHooks(NULL);
    srv_data_close(d);
}

/* Opening a worker's view: an error, or a view that answers right. */
static void test_alloc_sweep_open(void **state)
{
    (void)state;
    srv_data *d = NULL;
    char err[256];
    srv_response want;
    assert_int_equal(srv_data_open(dbpath, &d, err, sizeof err), MH_OK);
    answer(d, "/api/stats", &want);
    srv_data_close(d);
    assert_int_equal(want.status, 200);
    int complete = 0;
    TU_SWEEP(k, 100000) {
        d = NULL;
        tu_fail(k);
        mh_err e = srv_data_open(dbpath, &d, err, sizeof err);
        int clean = tu_unarm();
        if (e == MH_OK) {
            srv_response got;
            answer(d, "/api/stats", &got);
            assert_int_equal(got.status, 200);
            assert_string_equal(got.body, want.body);
            free(got.body);
        } else {
            assert_int_equal(e, MH_ENOMEM);
            assert_null(d);
            assert_true(err[0] != 0);
        }
        srv_data_close(d);
        if (clean) {
            complete = 1;
            break;
        }
    }
    assert_true(complete);
    free(want.body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_sweep_endpoints),
        cmocka_unit_test(test_alloc_sweep_open),
    };
    return cmocka_run_group_tests_name("server", tests, setup, teardown);
}
