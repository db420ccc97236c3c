/*
 * test_store.c -- the database: schema and versions, read-only opening,
 * ingest sessions (batches, idempotence, duplicates, rejections),
 * article round trips and JSON, boilerplate learning, the extension
 * points, and failure of every allocation in turn.  Pages are made up
 * here; nothing comes from the seeds.
 */
#include "testutil.h"
#include "store.h"

#include <sys/stat.h>
#include <unistd.h>

static char dbpath[256];

static void rm_db(void) { tu_rm_db(dbpath); }

static int setup(void **state)
{
    (void)state;
    snprintf(dbpath, sizeof dbpath, "/tmp/mh_test_store_%ld.db", (long)getpid());
    rm_db();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rm_db();
    return 0;
}

/* A made-up page: a title line, a paragraph that names n, boilerplate
 * lines the caller chooses. */
static char *page(int n, const char *extra)
{
    char *p = malloc(2048);
    snprintf(p, 2048,
             "Haber başlığı numara %d\n\n"
             "Bu haberin gövdesi %d numaralı olaydan söz ediyor. Yetkililer "
             "açıklama yaptı ve çalışmaların sürdüğünü söyledi.\n\n"
             "İkinci paragraf da %d için ayrıntı veriyor. Vatandaşlar "
             "gelişmeleri yakından izliyor.\n%s",
             n, n, n, extra ? extra : "");
    return p;
}

static mh_record rec(const char *path, long index, const char *text, const char *outlet)
{
    mh_record r;
    memset(&r, 0, sizeof r);
    r.path = path;
    r.index = index;
    r.text = text;
    r.text_len = strlen(text);
    r.outlet = outlet;
    return r;
}

typedef struct counter {
    int progress, rejects;
    uint64_t last_added;
    int monotonic;
} counter;

static void on_progress(void *ctx, const mh_ingest_stats *st)
{
    counter *c = ctx;
    c->progress++;
    if (st->added < c->last_added)
        c->monotonic = 0;
    c->last_added = st->added;
}

static void on_reject(void *ctx, const char *path, long record, mh_err e, const char *detail)
{
    (void)path;
    (void)record;
    (void)e;
    assert_non_null(detail);
    ((counter *)ctx)->rejects++;
}

static void test_open_schema(void **state)
{
    (void)state;
    mh_db *db = NULL;
    mh_stats st;

    /* Read-only needs an existing database. */
    assert_int_not_equal(mh_db_open(dbpath, MH_DB_READONLY, &db), MH_OK);
    assert_true(strlen(mh_db_errmsg(db)) > 0);
    mh_db_close(db);

    assert_int_equal(mh_db_open(dbpath, 0, &db), MH_OK);
    assert_int_equal(mh_db_stats(db, &st), MH_OK);
    assert_int_equal(st.articles, 0);
    assert_int_equal(st.schema_version, mh_store_sqlite_schema_version());
    assert_true(st.schema_version >= 1);
    assert_string_equal(st.first_date, "");
    /* The extension accessors reach SQLite and its statement cache. */
    sqlite3 *h = mh_store_sqlite_handle(mh_db_store(db));
    assert_non_null(h);
    sqlite3_stmt *s1 = mh_store_sqlite_stmt(mh_db_store(db), "SELECT count(*) FROM articles");
    assert_non_null(s1);
    assert_int_equal(sqlite3_step(s1), SQLITE_ROW);
    sqlite3_stmt *s2 = mh_store_sqlite_stmt(mh_db_store(db), "SELECT count(*) FROM articles");
    assert_ptr_equal(s1, s2);
    assert_null(mh_store_sqlite_stmt(mh_db_store(db), "SELECT nonsense FROM nowhere"));
    /* The index keeps a batch's terms in memory until COMMIT (migration 4). */
    sqlite3_stmt *hs = mh_store_sqlite_stmt(mh_db_store(db),
                                            "SELECT v FROM fts_config WHERE k = 'hashsize'");
    assert_non_null(hs);
    assert_int_equal(sqlite3_step(hs), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int64(hs, 0), 64 << 20);
    mh_db_close(db);

    /* Reopening does not migrate again; read-only works now. */
    assert_int_equal(mh_db_open(dbpath, 0, &db), MH_OK);
    mh_db_close(db);
    assert_int_equal(mh_db_open(dbpath, MH_DB_READONLY, &db), MH_OK);
    mh_ingest *ing = NULL;
    assert_int_equal(mh_ingest_new(db, NULL, &ing), MH_EINVAL);
    assert_null(ing);
    mh_db_close(db);

    /* A file that is not a database is refused, not damaged. */
    FILE *f = fopen(dbpath, "w");
    fputs("not a database at all, just text that is long enough to matter\n", f);
    fclose(f);
    assert_int_equal(mh_db_open(dbpath, 0, &db), MH_EDB);
    assert_true(strlen(mh_db_errmsg(db)) > 0);
    mh_db_close(db);
    unlink(dbpath);

    /* Newer schema than this build: refused. */
    assert_int_equal(mh_db_open(dbpath, 0, &db), MH_OK);
    assert_int_equal(sqlite3_exec(mh_store_sqlite_handle(mh_db_store(db)),
                                  "PRAGMA user_version=999", NULL, NULL, NULL), SQLITE_OK);
    mh_db_close(db);
    assert_int_equal(mh_db_open(dbpath, 0, &db), MH_EDB);
    assert_non_null(strstr(mh_db_errmsg(db), "newer"));
    mh_db_close(db);
}

static void test_ingest_idempotent(void **state)
{
    (void)state;
    mh_db *db = NULL;
    mh_ingest *ing = NULL;
    mh_ingest_stats st;
    counter c = {0, 0, 0, 1};
    mh_ingest_opts o;
    memset(&o, 0, sizeof o);
    o.batch_size = 3;
    o.on_progress = on_progress;
    o.on_reject = on_reject;
    o.ctx = &c;

    assert_int_equal(mh_db_open(dbpath, 0, &db), MH_OK);
    for (int round = 0; round < 2; round++) {
        assert_int_equal(mh_ingest_new(db, &o, &ing), MH_OK);
        for (int i = 0; i < 10; i++) {
            char *t = page(i, NULL);
            mh_record r = rec("pages.jsonl", i, t, "Deneme Ajansı");
            assert_int_equal(mh_ingest_add_record(ing, &r), MH_OK);
            free(t);
        }
        /* An empty page is a rejection, not a failure. */
        mh_record r = rec("pages.jsonl", 10, "", "Deneme Ajansı");
        assert_int_equal(mh_ingest_add_record(ing, &r), MH_OK);
        assert_int_equal(mh_ingest_finish(ing, &st), MH_OK);
        assert_int_equal(st.records, 11);
        assert_int_equal(st.rejected, 1);
        if (round == 0) {
            assert_int_equal(st.added, 10);
            assert_int_equal(st.dups, 0);
            /* Batches of 3: progress after each commit, never shrinking. */
            assert_true(c.progress >= 4);
            assert_true(c.monotonic);
        } else {
            assert_int_equal(st.added, 0);
            assert_int_equal(st.dups, 10);
        }
    }
    assert_int_equal(c.rejects, 2);

    /* The same content under another path and hints is still the same
     * article (content hash). */
    assert_int_equal(mh_ingest_new(db, NULL, &ing), MH_OK);
    char *t = page(3, NULL);
    mh_record r = rec("other.txt", 0, t, NULL);
    r.url = "https://example.com.tr/baska";
    assert_int_equal(mh_ingest_add_record(ing, &r), MH_OK);
    /* The same record twice in one batch counts once. */
    char *u = page(42, NULL);
    mh_record r2 = rec("new.txt", 0, u, NULL);
    assert_int_equal(mh_ingest_add_record(ing, &r2), MH_OK);
    assert_int_equal(mh_ingest_add_record(ing, &r2), MH_OK);
    assert_int_equal(mh_ingest_finish(ing, &st), MH_OK);
    free(t);
    free(u);
    assert_int_equal(st.added, 1);
    assert_int_equal(st.dups, 2);

    mh_stats s;
    assert_int_equal(mh_db_stats(db, &s), MH_OK);
    assert_int_equal(s.articles, 11);
    mh_db_close(db);
}

typedef struct walk {
    int n;
    int64_t last_id;
    mh_db *db;
} walk;

static int each(void *ctx, const mh_article *a)
{
    walk *w = ctx;
    assert_true(a->id > w->last_id);
    w->last_id = a->id;
    assert_non_null(a->body);
    w->n++;
    return 0;
}

static int stop_at_two(void *ctx, const mh_article *a)
{
    (void)a;
    return ++((walk *)ctx)->n == 2 ? 7 : 0;
}

static void test_articles(void **state)
{
    (void)state;
    mh_db *db = NULL;
    mh_ingest *ing = NULL;
    mh_ingest_stats st;
    assert_int_equal(mh_db_open(dbpath, 0, &db), MH_OK);
    assert_int_equal(mh_ingest_new(db, NULL, &ing), MH_OK);
    for (int i = 0; i < 3; i++) {
        char *t = page(100 + i, NULL);
        mh_record r = rec("multi.jsonl", i, t, "Örnek Haber");
        r.date = "2025-10-28";
        r.url = "https://ornek.com.tr/haber";
        assert_int_equal(mh_ingest_add_record(ing, &r), MH_OK);
        free(t);
    }
    assert_int_equal(mh_ingest_finish(ing, &st), MH_OK);
    assert_int_equal(st.added, 3);

    int64_t *ids = NULL;
    size_t n = 0;
    assert_int_equal(mh_db_find_path(db, "multi.jsonl", &ids, &n), MH_OK);
    assert_int_equal(n, 3);
    mh_free(ids);
    assert_int_equal(mh_db_find_path(db, "nothing.txt", &ids, &n), MH_ENOTFOUND);
    assert_null(ids);

    mh_article *a = NULL;
    assert_int_equal(mh_db_find_path(db, "multi.jsonl", &ids, &n), MH_OK);
    assert_int_equal(mh_db_get_article(db, ids[1], &a), MH_OK);
    assert_int_equal(a->id, ids[1]);
    assert_string_equal(a->path, "multi.jsonl");
    assert_int_equal(a->record, 1);
    assert_string_equal(a->date, "2025-10-28");
    assert_string_equal(a->outlet, "Örnek Haber");
    /* The first paragraph is the lead, the rest the body. */
    assert_non_null(a->lead);
    assert_non_null(strstr(a->lead, "101 numaralı"));
    assert_non_null(strstr(a->body, "İkinci paragraf da 101"));
    assert_int_equal(strlen(a->hash), 32);
    /* Sentences are byte spans inside the body. */
    assert_true(a->n_sentences >= 2);
    for (size_t i = 0; i < a->n_sentences; i++) {
        assert_true(a->sentences[i].start < a->sentences[i].end);
        assert_true(a->sentences[i].end <= strlen(a->body));
        if (i)
            assert_true(a->sentences[i].start >= a->sentences[i - 1].end);
    }

    /* JSON: every field named as the issue says. */
    char *json = NULL;
    size_t len = 0;
    assert_int_equal(mh_db_article_json(db, a, &json, &len), MH_OK);
    assert_int_equal(strlen(json), len);
    cJSON *o = cJSON_Parse(json);
    assert_non_null(o);
    const char *fields[] = {"id", "path", "url", "outlet", "source", "title", "date",
                            "category", "lead", "body", "removed", "sentences"};
    for (size_t i = 0; i < MH_ARRAY_LEN(fields); i++)
        if (!cJSON_HasObjectItem(o, fields[i]))
            fail_msg("JSON without %s: %s", fields[i], json);
    assert_int_equal((int64_t)cJSON_GetObjectItem(o, "id")->valuedouble, a->id);
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(o, "removed")));
    cJSON *ss = cJSON_GetObjectItem(o, "sentences");
    assert_int_equal(cJSON_GetArraySize(ss), (int)a->n_sentences);
    assert_int_equal(cJSON_GetArrayItem(cJSON_GetArrayItem(ss, 0), 1)->valueint,
                     (int)a->sentences[0].end);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(o, "body")), a->body);
    cJSON_Delete(o);
    mh_free(json);
    mh_article_free(a);
    mh_free(ids);

    assert_int_equal(mh_db_get_article(db, 99999, &a), MH_ENOTFOUND);
    assert_null(a);

    walk w = {0, 0, db};
    assert_int_equal(mh_db_each_article(db, each, &w), 0);
    assert_int_equal(w.n, 3);
    w.n = 0;
    assert_int_equal(mh_db_each_article(db, stop_at_two, &w), 7);

    mh_stats s;
    assert_int_equal(mh_db_stats(db, &s), MH_OK);
    assert_string_equal(s.first_date, "2025-10-28");
    assert_string_equal(s.last_date, "2025-10-28");
    assert_int_equal(s.outlets, 1);
    assert_true(s.db_bytes > 0);
    mh_db_close(db);
}

/* A line that recurs on most pages of an outlet goes to removed[]; the
 * same line on pages of an unknown outlet teaches nothing. */
static void test_boilerplate_learning(void **state)
{
    (void)state;
    mh_db *db = NULL;
    mh_ingest *ing = NULL;
    mh_ingest_stats st;
    /* A line no phrase list would call boilerplate: only recurrence can
     * tell. */
    const char *tpl = "Mahalle bülteni her salı yeniden derlenir";
    char extra[256];
    snprintf(extra, sizeof extra, "\n%s\n", tpl);

    assert_int_equal(mh_db_open(dbpath, 0, &db), MH_OK);
    assert_int_equal(mh_ingest_new(db, NULL, &ing), MH_OK);
    for (int i = 0; i < 8; i++) {
        char *t = page(200 + i, extra);
        mh_record r = rec("tpl.jsonl", i, t, "Kalıp Gazetesi");
        assert_int_equal(mh_ingest_add_record(ing, &r), MH_OK);
        free(t);
    }
    assert_int_equal(mh_ingest_finish(ing, &st), MH_OK);
    assert_int_equal(st.added, 8);

    int64_t *ids = NULL;
    size_t n = 0;
    assert_int_equal(mh_db_find_path(db, "tpl.jsonl", &ids, &n), MH_OK);
    assert_int_equal(n, 8);
    /* One batch: pass 2 re-extracted every page with what the batch
     * taught, so even the first page lost the line. */
    for (size_t i = 0; i < n; i++) {
        mh_article *a = NULL;
        assert_int_equal(mh_db_get_article(db, ids[i], &a), MH_OK);
        if (strstr(a->body, "bülteni her salı"))
            fail_msg("page %zu kept the boilerplate line in its body", i);
        int found = 0;
        for (size_t k = 0; k < a->n_removed; k++)
            found |= strcmp(a->removed[k], tpl) == 0;
        if (!found)
            fail_msg("page %zu: boilerplate line not in removed", i);
        mh_article_free(a);
    }
    mh_free(ids);

    mh_stats s;
    assert_int_equal(mh_db_stats(db, &s), MH_OK);
    assert_true(s.template_lines >= 1);

    /* The knowledge persists: a later session, one new page. */
    assert_int_equal(mh_ingest_new(db, NULL, &ing), MH_OK);
    char *t = page(300, extra);
    mh_record r = rec("later.txt", 0, t, "Kalıp Gazetesi");
    assert_int_equal(mh_ingest_add_record(ing, &r), MH_OK);
    /* Without an outlet nothing is learnt or removed. */
    char *t2 = page(301, extra);
    mh_record r2 = rec("anon.txt", 0, t2, NULL);
    assert_int_equal(mh_ingest_add_record(ing, &r2), MH_OK);
    assert_int_equal(mh_ingest_finish(ing, &st), MH_OK);
    free(t);
    free(t2);
    assert_int_equal(mh_db_find_path(db, "later.txt", &ids, &n), MH_OK);
    mh_article *a = NULL;
    assert_int_equal(mh_db_get_article(db, ids[0], &a), MH_OK);
    assert_null(strstr(a->body, "bülteni her salı"));
    mh_article_free(a);
    mh_free(ids);
    assert_int_equal(mh_db_find_path(db, "anon.txt", &ids, &n), MH_OK);
    assert_int_equal(mh_db_get_article(db, ids[0], &a), MH_OK);
    assert_non_null(strstr(a->body, "bülteni her salı"));
    mh_article_free(a);
    mh_free(ids);
    mh_db_close(db);
}

/* A reader sees committed batches only, while a writer works beside it. */
static void test_reader_beside_writer(void **state)
{
    (void)state;
    mh_db *w = NULL, *r = NULL;
    mh_ingest *ing = NULL;
    mh_ingest_opts o;
    mh_stats s;
    memset(&o, 0, sizeof o);
    o.batch_size = 1000;
    o.batch_ms = 600000;
    assert_int_equal(mh_db_open(dbpath, 0, &w), MH_OK);
    assert_int_equal(mh_db_open(dbpath, MH_DB_READONLY, &r), MH_OK);
    assert_int_equal(mh_ingest_new(w, &o, &ing), MH_OK);
    for (int i = 0; i < 5; i++) {
        char *t = page(400 + i, NULL);
        mh_record rc = rec("w.jsonl", i, t, NULL);
        assert_int_equal(mh_ingest_add_record(ing, &rc), MH_OK);
        free(t);
    }
    assert_int_equal(mh_db_stats(r, &s), MH_OK);
    assert_int_equal(s.articles, 0);
    assert_int_equal(mh_ingest_finish(ing, NULL), MH_OK);
    assert_int_equal(mh_db_stats(r, &s), MH_OK);
    assert_int_equal(s.articles, 5);
    mh_search_opts so;
    memset(&so, 0, sizeof so);
    so.query = "numaralı";
    mh_hit *h = NULL;
    size_t n = 0;
    assert_int_equal(mh_db_search(r, &so, &h, &n), MH_OK);
    assert_int_equal(n, 5);
    mh_hits_free(h, n);
    mh_db_close(r);
    mh_db_close(w);
}

/* Workers share out extraction and analysis; the result must not depend
 * on how many there are. */
typedef struct collect {
    mh_db *db;
    char *all;
    size_t len;
} collect;

static int collect_json(void *ctx, const mh_article *a)
{
    collect *c = ctx;
    char *j = NULL;
    size_t n = 0;
    assert_int_equal(mh_db_article_json(c->db, a, &j, &n), MH_OK);
    c->all = realloc(c->all, c->len + n + 2);
    memcpy(c->all + c->len, j, n);
    c->len += n;
    c->all[c->len++] = '\n';
    c->all[c->len] = 0;
    mh_free(j);
    return 0;
}

static char *ingest_with_threads(unsigned threads)
{
    mh_db *db = NULL;
    mh_ingest *ing = NULL;
    mh_ingest_stats st;
    mh_ingest_opts o;
    collect c = {NULL, NULL, 0};
    rm_db();
    memset(&o, 0, sizeof o);
    o.threads = threads;
    o.batch_size = 25;
    assert_int_equal(mh_db_open(dbpath, 0, &db), MH_OK);
    assert_int_equal(mh_ingest_new(db, &o, &ing), MH_OK);
    for (int i = 0; i < 60; i++) {
        char extra[160];
        snprintf(extra, sizeof extra, "\nMahalle bülteni her salı yeniden derlenir\n%s\n",
                 i % 3 ? "Okur mektupları cuma günü yayımlanır" : "");
        char *t = page(600 + i, extra);
        mh_record r = rec("threads.jsonl", i, t, i % 2 ? "Kalıp Gazetesi" : "Öbür Gazete");
        assert_int_equal(mh_ingest_add_record(ing, &r), MH_OK);
        free(t);
    }
    mh_record bad = rec("threads.jsonl", 60, "   ", "Kalıp Gazetesi");
    assert_int_equal(mh_ingest_add_record(ing, &bad), MH_OK);
    assert_int_equal(mh_ingest_finish(ing, &st), MH_OK);
    assert_int_equal(st.added, 60);
    assert_int_equal(st.rejected, 1);
    c.db = db;
    assert_int_equal(mh_db_each_article(db, collect_json, &c), 0);
    mh_db_close(db);
    return c.all;
}

static void test_threads_same_result(void **state)
{
    (void)state;
    char *one = ingest_with_threads(1);
    char *four = ingest_with_threads(4);
    assert_non_null(one);
    assert_non_null(four);
    assert_string_equal(one, four);
    /* And the learning took place in both. */
    assert_non_null(strstr(one, "\"removed\":[\"Mahalle bülteni"));
    free(one);
    free(four);
}

/* Fail each allocation in turn through open, ingest, read, search: every
 * step returns an error or succeeds, nothing crashes or leaks (ASan). */
static int64_t scalar_of(sqlite3 *sq, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    assert_int_equal(sqlite3_prepare_v2(sq, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Deferred rows reach the table at COMMIT, and a rollback, of a
 * savepoint or of the whole transaction, drops those deferred since. */
static void test_deferred_rows(void **state)
{
    (void)state;
    static const char ins[] = "INSERT INTO d(a, b, c) VALUES(?1, ?2, ?3)";
    mh_db *db = NULL;
    assert_int_equal(mh_db_open(dbpath, 0, &db), MH_OK);
    mh_store *s = mh_db_store(db);
    sqlite3 *sq = mh_store_sqlite_handle(s);
    assert_non_null(sq);
    assert_int_equal(sqlite3_exec(sq, "CREATE TABLE d(a, b, c, PRIMARY KEY(a, b)) WITHOUT ROWID",
                                  NULL, NULL, NULL), SQLITE_OK);

    assert_int_equal(s->ops->begin(s), MH_OK);
    assert_int_equal(s->ops->mark(s), MH_OK);
    assert_int_equal(mh_store_sqlite_defer(s, ins, 9, 1, 10), MH_OK);
    assert_int_equal(mh_store_sqlite_defer(s, ins, 2, 1, 20), MH_OK);
    assert_int_equal(s->ops->unmark(s, 1), MH_OK);       /* kept */
    /* Nothing is written before the commit. */
    assert_int_equal(scalar_of(sq, "SELECT count(*) FROM d"), 0);
    assert_int_equal(s->ops->mark(s), MH_OK);
    assert_int_equal(mh_store_sqlite_defer(s, ins, 5, 1, 30), MH_OK);
    assert_int_equal(s->ops->unmark(s, 0), MH_OK);       /* undone */
    assert_int_equal(mh_store_sqlite_defer(s, ins, 7, 1, 40), MH_OK);
    assert_int_equal(s->ops->commit(s), MH_OK);
    assert_int_equal(scalar_of(sq, "SELECT count(*) FROM d"), 3);
    assert_int_equal(scalar_of(sq, "SELECT sum(c) FROM d"), 70);
    assert_int_equal(scalar_of(sq, "SELECT count(*) FROM d WHERE a = 5"), 0);

    /* A rolled-back transaction takes its deferred rows along; the next
     * one starts empty. */
    assert_int_equal(s->ops->begin(s), MH_OK);
    assert_int_equal(mh_store_sqlite_defer(s, ins, 1, 1, 1), MH_OK);
    assert_int_equal(s->ops->rollback(s), MH_OK);
    assert_int_equal(s->ops->begin(s), MH_OK);
    assert_int_equal(mh_store_sqlite_defer(s, ins, 3, 3, 3), MH_OK);
    assert_int_equal(s->ops->commit(s), MH_OK);
    assert_int_equal(scalar_of(sq, "SELECT count(*) FROM d"), 4);
    assert_int_equal(scalar_of(sq, "SELECT count(*) FROM d WHERE a = 1"), 0);
    mh_db_close(db);
}

/* Many deferred rows (several multi-row statements and a tail), and
 * increments merged per row: the sum, the least and greatest date, NULL
 * dates left out, and undone with their savepoint. */
static void test_deferred_increments(void **state)
{
    (void)state;
    static const char ins[] = "INSERT INTO d(a, b, c) VALUES(?1, ?2, ?3)";
    static const char add[] = "UPDATE k SET n = n + ?3,"
                              " lo = CASE WHEN lo IS NULL OR ?4 < lo THEN ?4 ELSE lo END,"
                              " hi = CASE WHEN hi IS NULL OR ?5 > hi THEN ?5 ELSE hi END"
                              " WHERE a = ?1 AND t = ?2";
    mh_db *db = NULL;
    assert_int_equal(mh_db_open(dbpath, 0, &db), MH_OK);
    mh_store *s = mh_db_store(db);
    sqlite3 *sq = mh_store_sqlite_handle(s);
    assert_non_null(sq);
    assert_int_equal(sqlite3_exec(sq, "CREATE TABLE d(a, b, c, PRIMARY KEY(a, b)) WITHOUT ROWID;"
                                      "CREATE TABLE k(a, t, n, lo, hi, PRIMARY KEY(a, t)) WITHOUT ROWID;"
                                      "INSERT INTO k VALUES(1, 'x', 1, '2020-05-05', '2020-05-05'),"
                                      " (1, 'xy', 0, NULL, NULL), (2, 'x', 0, NULL, NULL)",
                                  NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(s->ops->begin(s), MH_OK);
    for (int i = 0; i < 75; i++)
        assert_int_equal(mh_store_sqlite_defer(s, ins, (i * 37) % 75, 1, i), MH_OK);
    assert_int_equal(mh_store_sqlite_defer_add(s, add, 1, "xyz", 1, 2, "2021-01-01"), MH_OK);
    assert_int_equal(mh_store_sqlite_defer_add(s, add, 1, "x", 1, 3, NULL), MH_OK);
    assert_int_equal(mh_store_sqlite_defer_add(s, add, 1, "xy", 2, 1, "2019-02-02"), MH_OK);
    assert_int_equal(mh_store_sqlite_defer_add(s, add, 2, "x", 1, 1, NULL), MH_OK);
    assert_int_equal(s->ops->mark(s), MH_OK);
    assert_int_equal(mh_store_sqlite_defer_add(s, add, 2, "x", 1, 50, "1999-01-01"), MH_OK);
    assert_int_equal(s->ops->unmark(s, 0), MH_OK);       /* undone */
    assert_int_equal(mh_store_sqlite_defer_add(s, add, 1, "xy", 2, 1, "2018-01-01"), MH_OK);
    /* Nothing is written before the commit. */
    assert_int_equal(scalar_of(sq, "SELECT sum(n) FROM k"), 1);
    assert_int_equal(s->ops->commit(s), MH_OK);
    assert_int_equal(scalar_of(sq, "SELECT count(*) FROM d"), 75);
    assert_int_equal(scalar_of(sq, "SELECT sum(c) FROM d"), 75 * 74 / 2);
    assert_int_equal(scalar_of(sq, "SELECT count(DISTINCT a) FROM d"), 75);
    /* 'x' of entity 1: 1 + 2 + 3, its date untouched by the NULL one. */
    assert_int_equal(scalar_of(sq, "SELECT n FROM k WHERE a = 1 AND t = 'x'"), 6);
    assert_int_equal(scalar_of(sq, "SELECT count(*) FROM k WHERE a = 1 AND t = 'x'"
                                   " AND lo = '2020-05-05' AND hi = '2021-01-01'"), 1);
    assert_int_equal(scalar_of(sq, "SELECT count(*) FROM k WHERE a = 1 AND t = 'xy' AND n = 2"
                                   " AND lo = '2018-01-01' AND hi = '2019-02-02'"), 1);
    assert_int_equal(scalar_of(sq, "SELECT count(*) FROM k WHERE a = 2 AND t = 'x' AND n = 1"
                                   " AND lo IS NULL AND hi IS NULL"), 1);
    mh_db_close(db);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* A checkpoint started beside the writer copies what is committed into
 * the database file while the writer stays open; writing goes on
 * meanwhile, and waiting twice is harmless. */
static void test_checkpoint_beside_writer(void **state)
{
    (void)state;
    mh_db *db = NULL;
    assert_int_equal(mh_db_open(dbpath, 0, &db), MH_OK);
    mh_store *s = mh_db_store(db);
    sqlite3 *sq = mh_store_sqlite_handle(s);
    long before = file_size(dbpath);
    assert_true(before > 0);
    /* About 2 MB of rows, committed: in the log, not yet in the file. */
    assert_int_equal(sqlite3_exec(sq, "BEGIN; CREATE TABLE big(x);"
                                      " WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL"
                                      " SELECT i + 1 FROM c WHERE i < 2000)"
                                      " INSERT INTO big SELECT randomblob(1000) FROM c; COMMIT;",
                                  NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(file_size(dbpath), before);
    mh_store_sqlite_checkpoint_start(s);
    assert_int_equal(sqlite3_exec(sq, "INSERT INTO big VALUES(1)", NULL, NULL, NULL), SQLITE_OK);
    mh_store_sqlite_checkpoint_wait(s);
    assert_true(file_size(dbpath) >= before + 2000L * 1000);
    mh_store_sqlite_checkpoint_wait(s);
    assert_int_equal(scalar_of(sq, "SELECT count(*) FROM big"), 2001);
    mh_db_close(db);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    int completed = 0;
    for (unsigned long k = 1; k < 400 && !completed; k++) {
        mh_db *db = NULL;
        mh_ingest *ing = NULL;
        rm_db();
        mh_set_alloc_fail(k);
        if (mh_db_open(dbpath, 0, &db) == MH_OK && mh_ingest_new(db, NULL, &ing) == MH_OK) {
            char *t = page(500, "\nSon satır\n");
            mh_record r = rec("oom.txt", 0, t, "Ajans");
            mh_ingest_add_record(ing, &r);
            mh_ingest_stats st;
            mh_err e = mh_ingest_finish(ing, &st);
            free(t);
            mh_article *a = NULL;
            if (e == MH_OK && st.added == 1 && mh_db_get_article(db, 1, &a) == MH_OK) {
                char *json = NULL;
                if (mh_db_article_json(db, a, &json, NULL) == MH_OK) {
                    mh_search_opts so;
                    memset(&so, 0, sizeof so);
                    so.query = "numaralı olay*";
                    mh_hit *h = NULL;
                    size_t n = 0;
                    if (mh_db_search(db, &so, &h, &n) == MH_OK && n == 1)
                        completed = 1;
                    mh_hits_free(h, n);
                }
                mh_free(json);
            }
            mh_article_free(a);
        }
        mh_db_close(db);
        mh_set_alloc_fail(0);
    }
    assert_true(completed);
}

/* The same with the store thread, batches of two records and a commit
 * after every second batch: whatever allocation fails, on whichever
 * thread, the session ends with an answer, and what it says is stored is
 * what the database holds. */
static void test_alloc_failures_threads(void **state)
{
    (void)state;
    int completed = 0, failed = 0;
    for (unsigned long k = 1; k < 200000; k += 1 + k / 16) {
        mh_db *db = NULL;
        mh_ingest *ing = NULL;
        mh_ingest_opts o;
        memset(&o, 0, sizeof o);
        o.threads = 2;
        o.batch_size = 4;
        o.work_size = 2;
        o.batch_ms = 600000;
        rm_db();
        assert_int_equal(mh_db_open(dbpath, 0, &db), MH_OK);
        assert_int_equal(mh_ingest_new(db, &o, &ing), MH_OK);
        mh_set_alloc_fail(k);
        for (int i = 0; i < 9; i++) {
            /* Names, a role, quotes and a place, so that every stage of
             * entities and quotes allocates. */
            char *t = page(700 + i, i % 2 ? "\nİçişleri Bakanı Ahmet Yılmaz, \"Çalışmalar Ankara'da "
                                            "sürüyor\" dedi. Yılmaz, ekiplerin hazır olduğunu "
                                            "söyledi.\nSon satır\n"
                                          : "\nSon satır\n");
            mh_record r = rec("oom-threads.txt", i, t, "Ajans");
            mh_ingest_add_record(ing, &r);
            free(t);
        }
        mh_ingest_stats st;
        mh_err e = mh_ingest_finish(ing, &st);
        mh_set_alloc_fail(0);
        mh_db_close(db);
        db = NULL;
        assert_int_equal(mh_db_open(dbpath, 0, &db), MH_OK);
        mh_stats ds;
        assert_int_equal(mh_db_stats(db, &ds), MH_OK);
        assert_int_equal(ds.articles, (int64_t)st.added);
        if (e == MH_OK && st.added == 9)
            completed = 1;
        else
            failed++;
        mh_db_close(db);
    }
    assert_true(completed);
    assert_true(failed > 0);
}

/* export and show: mh_db_get_article, mh_db_article_json (cJSON
 * allocating through mh_malloc too), mh_db_find_path and mh_db_stats,
 * failing each allocation in turn: MH_ENOMEM, or exactly the unhindered
 * answer. */
static void test_alloc_sweep_json(void **state)
{
    (void)state;
    mh_db *db = NULL;
    mh_ingest *ing = NULL;
    mh_ingest_stats st;
    assert_int_equal(mh_db_open(dbpath, 0, &db), MH_OK);
    assert_int_equal(mh_ingest_new(db, NULL, &ing), MH_OK);
    for (int i = 0; i < 3; i++) {
        char *t = page(800 + i, i == 1 ? "\nİçişleri Bakanı Ahmet Yılmaz, \"Çalışmalar Ankara'da "
                                         "sürüyor\" dedi. Yılmaz, ekiplerin hazır olduğunu "
                                         "söyledi.\nSon satır\n" : "\nSon satır\n");
        mh_record r = rec("json.jsonl", i, t, i ? "Ajans" : "Öbür Gazete");
        r.date = i == 2 ? NULL : "2025-05-0" "1";
        r.url = "https://ornek.com.tr/haber";
        assert_int_equal(mh_ingest_add_record(ing, &r), MH_OK);
        free(t);
    }
    assert_int_equal(mh_ingest_finish(ing, &st), MH_OK);
    assert_int_equal(st.added, 3);
    int64_t *ids = NULL;
    size_t n = 0;
    assert_int_equal(mh_db_find_path(db, "json.jsonl", &ids, &n), MH_OK);
    assert_int_equal(n, 3);
    char *want[3];
    for (size_t i = 0; i < 3; i++) {
        mh_article *a = NULL;
        assert_int_equal(mh_db_get_article(db, ids[i], &a), MH_OK);
        assert_int_equal(mh_db_article_json(db, a, &want[i], NULL), MH_OK);
        mh_article_free(a);
    }
    assert_non_null(strstr(want[1], "Ahmet Yılmaz"));
    mh_stats ref_st;
    assert_int_equal(mh_db_stats(db, &ref_st), MH_OK);

    cJSON_Hooks hooks = { mh_malloc, mh_free };
    cJSON_InitHooks(&hooks);
    int complete = 0, failed = 0;
    TU_SWEEP(k, 200000) {
        int clean = 1;
        for (size_t i = 0; i < 3; i++) {
            mh_article *a = NULL;
            char *json = NULL;
            size_t len = 0;
            tu_fail(k);
            mh_err e = mh_db_get_article(db, ids[i], &a);
            if (e == MH_OK)
                e = mh_db_article_json(db, a, &json, &len);
            clean &= tu_unarm();
            if (e == MH_OK) {
                assert_int_equal(len, strlen(want[i]));
                assert_string_equal(json, want[i]);
            } else {
                if (e != MH_ENOMEM)
                    fail_msg("article %zu, failing allocation %lu: %s (%s)", i, k,
                             mh_errstr(e), mh_db_errmsg(db));
                assert_null(json);
                failed++;
            }
            mh_free(json);
            mh_article_free(a);
        }
        int64_t *ids2 = NULL;
        size_t n2 = 0;
        tu_fail(k);
        mh_err e = mh_db_find_path(db, "json.jsonl", &ids2, &n2);
        clean &= tu_unarm();
        if (e == MH_OK) {
            assert_int_equal(n2, 3);
            assert_memory_equal(ids2, ids, 3 * sizeof *ids);
        } else {
            assert_int_equal(e, MH_ENOMEM);
            assert_null(ids2);
        }
        mh_free(ids2);
        mh_stats s;
        tu_fail(k);
        e = mh_db_stats(db, &s);
        clean &= tu_unarm();
        if (e == MH_OK) {
            assert_int_equal(s.articles, ref_st.articles);
            assert_int_equal(s.outlets, ref_st.outlets);
            assert_string_equal(s.first_date, ref_st.first_date);
        } else {
            assert_int_equal(e, MH_ENOMEM);
        }
        if (clean) {
            complete = 1;
            break;
        }
    }
    cJSON_InitHooks(NULL);
    assert_true(complete);
    assert_true(failed > 10);
    for (size_t i = 0; i < 3; i++)
        mh_free(want[i]);
    mh_free(ids);
    mh_db_close(db);
}

static int count_each(void *ctx, const mh_article *a)
{
    (void)a;
    ++*(int *)ctx;
    return 0;
}

static int outlet_each(void *ctx, const char *outlet, int64_t n)
{
    (void)outlet;
    *(int64_t *)ctx += n;
    return 0;
}

/* Ingest of a folder with an HTML page, a JSON Lines file and a text
 * page (the page readers, extraction, entities, quotes, copies, the
 * index), failing each allocation in turn, then the walks over what is
 * stored: the session ends with an answer, what it says is stored is
 * what the database holds, and a session without failures stores all. */
static void test_alloc_sweep_ingest_files(void **state)
{
    (void)state;
    char dir[256], p[320];
    snprintf(dir, sizeof dir, "/tmp/mh_test_store_in_%ld", (long)getpid());
    mkdir(dir, 0700);
    snprintf(p, sizeof p, "%s/a.html", dir);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("<html><head><meta charset='utf-8'><title>Limanda yeni dönem - Kıyı Haber</title>"
          "<meta property='og:site_name' content='Kıyı Haber'>"
          "<meta property='article:published_time' content='2025-06-02T08:15:00+03:00'></head>"
          "<body><nav><a href='/'>Ana Sayfa</a></nav><article><h1>Limanda yeni dönem</h1>"
          "<p>Limanın yeni iskelesi törenle hizmete girdi.</p><p>Liman İşletmesi Müdürü Selin "
          "Aksoy, \"Bölge ekonomisine katkı sunacak\" dedi.</p></article></body></html>", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/b.jsonl", dir);
    f = fopen(p, "w");
    assert_non_null(f);
    fputs("{\"title\": \"Barajlarda doluluk arttı\", \"content\": \"İSKİ verilerine göre "
          "doluluk yüzde 60'a çıktı. Uzmanlar tasarruf çağrısı yaptı.\", \"date\": "
          "\"2025-02-03\", \"site\": \"Örnek Gazete\"}\n"
          "{\"title\": \"Kırık\", \"content\": \n"
          "{\"title\": \"Müzede yeni sergi\", \"content\": \"Sergi cumartesi açılıyor. Giriş "
          "ücretsiz olacak, dedi Müdür Ayşe Kaya.\", \"date\": \"2025-02-04\", \"source\": "
          "\"AA\"}\n", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/c.txt", dir);
    f = fopen(p, "w");
    assert_non_null(f);
    fputs("Kar uyarısı: okullar tatil\n\n12.01.2025\n\nVali Mehmet Demir, \"Zorunlu olmadıkça "
          "yola çıkmayın\" dedi. Demir, ekiplerin gece boyunca çalıştığını söyledi.\n", f);
    fclose(f);

    int complete = 0, failed = 0;
    TU_SWEEP(k, 400000) {
        mh_db *db = NULL;
        mh_ingest_stats st;
        mh_ingest_opts o;
        memset(&o, 0, sizeof o);
        o.threads = 1;
        rm_db();
        assert_int_equal(mh_db_open(dbpath, 0, &db), MH_OK);
        tu_fail(k);
        mh_err e = mh_db_ingest_path(db, dir, &o, &st);
        int clean = tu_unarm();
        if (e != MH_OK)
            assert_int_equal(e, MH_ENOMEM);
        mh_stats ds;
        assert_int_equal(mh_db_stats(db, &ds), MH_OK);
        if (e == MH_OK)
            assert_int_equal(ds.articles, (int64_t)st.added);
        int n = 0;
        assert_int_equal(mh_db_each_article(db, count_each, &n), 0);
        assert_int_equal(n, ds.articles);
        /* The walks, failing too: an error, or every article. */
        n = 0;
        tu_fail(k);
        int rc = mh_db_each_article(db, count_each, &n);
        int64_t by_outlet = 0;
        int rc2 = mh_db_each_outlet(db, outlet_each, &by_outlet);
        clean &= tu_unarm();
        if (rc == 0)
            assert_int_equal(n, ds.articles);
        else
            assert_int_equal(rc, MH_ENOMEM);
        if (rc2 == 0)
            assert_int_equal(by_outlet, ds.articles);
        else
            assert_int_equal(rc2, MH_ENOMEM);
        if (e != MH_OK || st.added != 4)
            failed++;
        mh_db_close(db);
        if (clean) {
            assert_int_equal(e, MH_OK);
            assert_int_equal(st.added, 4);
            assert_int_equal(st.rejected, 1);
            complete = 1;
            break;
        }
    }
    assert_true(complete);
    assert_true(failed > 10);
    const char *names[] = { "a.html", "b.jsonl", "c.txt" };
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
}

/* mh_db_check and mh_db_optimize, failing each allocation in turn (our
 * tokenizer runs inside the index check): MH_OK or MH_ENOMEM, never a
 * damaged index reported, and the database checks out afterwards. */
static void test_alloc_sweep_check(void **state)
{
    (void)state;
    mh_db *db = NULL;
    mh_ingest *ing = NULL;
    assert_int_equal(mh_db_open(dbpath, 0, &db), MH_OK);
    assert_int_equal(mh_ingest_new(db, NULL, &ing), MH_OK);
    for (int i = 0; i < 4; i++) {
        char *t = page(900 + i, i % 2 ? "\nİçişleri Bakanı Ahmet Yılmaz, \"Çalışmalar sürüyor\" "
                                        "dedi.\n" : NULL);
        mh_record r = rec("check.jsonl", i, t, "Ajans");
        assert_int_equal(mh_ingest_add_record(ing, &r), MH_OK);
        free(t);
    }
    assert_int_equal(mh_ingest_finish(ing, NULL), MH_OK);
    mh_db_close(db);
    /* A new handle each time: its analyzer starts cold. */
    int complete = 0, failed = 0;
    TU_SWEEP(k, 200000) {
        db = NULL;
        tu_fail(k);
        mh_err e = mh_db_open(dbpath, 0, &db);
        mh_err e2 = MH_OK;
        if (e == MH_OK)
            e = mh_db_check(db);
        if (e == MH_OK)
            e2 = mh_db_optimize(db);
        int clean = tu_unarm();
        if (e != MH_OK) {
            if (e != MH_ENOMEM)
                fail_msg("check, failing allocation %lu: %s (%s)", k, mh_errstr(e),
                         mh_db_errmsg(db));
            failed++;
        }
        if (e2 != MH_OK)
            assert_int_equal(e2, MH_ENOMEM);
        mh_db_close(db);
        db = NULL;
        assert_int_equal(mh_db_open(dbpath, 0, &db), MH_OK);
        e = mh_db_check(db);
        if (e != MH_OK)
            fail_msg("check after failing allocation %lu: %s", k, mh_db_errmsg(db));
        mh_db_close(db);
        if (clean) {
            complete = 1;
            break;
        }
    }
    assert_true(complete);
    assert_true(failed > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ingest_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_articles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_boilerplate_learning, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reader_beside_writer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads_same_result, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deferred_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deferred_increments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checkpoint_beside_writer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_failures_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_sweep_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_sweep_ingest_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_sweep_check, setup, teardown),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
