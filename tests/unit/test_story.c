/*
 * test_story.c -- copy groups and stories through the database
 * (src/store_sqlite_story.c, src/story.c): the golden cases of
 * tests/golden/dups/ ingested in several orders and re-ingested, the
 * export fields, and the dups/stories/story/related answers.
 */
#include "testutil.h"

#include <cjson/cJSON.h>
#include <unistd.h>

#define GOLDEN_DIR "tests/golden/dups"
#define MAX_ARTS 32

typedef struct gart {
    char label[32], date[16], outlet[64];
    char *title, *body;
} gart;

typedef struct gcase {
    gart a[MAX_ARTS];
    size_t n;
    char *expect;             /* the expected lines */
} gcase;

static char *dupn(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

/* Parse a golden file (format in tests/golden/dups/README). */
static int parse_case(const char *text, gcase *c)
{
    memset(c, 0, sizeof *c);
    const char *p = text;
    gart *cur = NULL;
    const char *body_start = NULL;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        const char *next = eol ? eol + 1 : p + len;
        if (len >= 4 && memcmp(p, "=== ", 4) == 0) {
            if (cur)
                cur->body = dupn(body_start, (size_t)(p - body_start));
            if (c->n == MAX_ARTS)
                return -1;
            cur = &c->a[c->n++];
            char line[256];
            snprintf(line, sizeof line, "%.*s", (int)len - 4, p + 4);
            int off = 0;
            if (sscanf(line, "%31s %15s %n", cur->label, cur->date, &off) < 2)
                return -1;
            snprintf(cur->outlet, sizeof cur->outlet, "%s", line + off);
            const char *teol = strchr(next, '\n');
            if (!teol)
                return -1;
            cur->title = dupn(next, (size_t)(teol - next));
            body_start = teol + 1;
            next = body_start;
        } else if (len >= 10 && memcmp(p, "--- expect", 10) == 0) {
            if (cur)
                cur->body = dupn(body_start, (size_t)(p - body_start));
            cur = NULL;
            c->expect = strdup(next);
            return 0;
        } else if (!cur && len && p[0] != '#') {
            return -1;
        }
        p = next;
    }
    return -1;
}

static void free_case(gcase *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->a[i].title);
        free(c->a[i].body);
    }
    free(c->expect);
}

static char *temp_db(void)
{
    char *path = strdup("/tmp/muhabir-story-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    return path;
}


/* Ingest the case's articles in the given order. */
static void ingest(mh_db *db, const gcase *c, const size_t *order, mh_ingest_stats *st)
{
    mh_ingest *ing;
    assert_int_equal(mh_ingest_new(db, NULL, &ing), MH_OK);
    for (size_t i = 0; i < c->n; i++) {
        const gart *a = &c->a[order[i]];
        char url[128];
        snprintf(url, sizeof url, "https://golden.test/%s", a->label);
        mh_record r;
        memset(&r, 0, sizeof r);
        r.path = "golden";
        r.index = (long)order[i];
        r.text = a->body;
        r.text_len = strlen(a->body);
        r.title = a->title;
        r.url = url;
        r.date = strcmp(a->date, "-") ? a->date : NULL;
        r.outlet = a->outlet;
        assert_int_equal(mh_ingest_add_record(ing, &r), MH_OK);
    }
    assert_int_equal(mh_ingest_finish(ing, st), MH_OK);
}

typedef struct seen {
    const gcase *c;
    int64_t id[MAX_ARTS];
    int64_t dup_of[MAX_ARTS], story[MAX_ARTS];
    int found;
} seen;

static int label_of_url(const gcase *c, const char *url)
{
    const char *l = url ? strrchr(url, '/') : NULL;
    for (size_t i = 0; l && i < c->n; i++)
        if (strcmp(l + 1, c->a[i].label) == 0)
            return (int)i;
    return -1;
}

static mh_db *g_db;

static int each(void *ctx, const mh_article *a)
{
    seen *s = ctx;
    int k = label_of_url(s->c, a->url);
    if (k < 0)
        return 0;
    char *json;
    size_t len;
    assert_int_equal(mh_db_article_json(g_db, a, &json, &len), MH_OK);
    cJSON *o = cJSON_Parse(json);
    assert_non_null(o);
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(o, "dup_of");
    const cJSON *g = cJSON_GetObjectItemCaseSensitive(o, "dup_group");
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(o, "story");
    /* Every article carries the three fields. */
    assert_non_null(d);
    assert_non_null(g);
    assert_true(cJSON_IsNumber(st));
    s->id[k] = a->id;
    s->dup_of[k] = cJSON_IsNumber(d) ? (int64_t)d->valuedouble : 0;
    s->story[k] = (int64_t)st->valuedouble;
    /* dup_group is the group's first article: dup_of when there is one,
     * the article itself for the first of a group. */
    if (cJSON_IsNumber(d))
        assert_int_equal((int64_t)g->valuedouble, s->dup_of[k]);
    else if (cJSON_IsNumber(g))
        assert_int_equal((int64_t)g->valuedouble, a->id);
    s->found++;
    cJSON_Delete(o);
    mh_free(json);
    return 0;
}

/* The case's outcome as expect lines. */
static char *outcome(mh_db *db, const gcase *c)
{
    seen s;
    memset(&s, 0, sizeof s);
    s.c = c;
    g_db = db;
    assert_int_equal(mh_db_each_article(db, each, &s), 0);
    assert_int_equal((size_t)s.found, c->n);
    size_t cap = 64 * c->n + 1, o = 0;
    char *out = malloc(cap);
    for (size_t i = 0; i < c->n; i++) {
        const char *dup = "-";
        for (size_t j = 0; j < c->n && s.dup_of[i]; j++)
            if (s.id[j] == s.dup_of[i])
                dup = c->a[j].label;
        const char *story = "?";
        for (size_t j = 0; j < c->n; j++)
            if (s.story[j] == s.story[i]) {
                story = c->a[j].label;
                break;
            }
        o += (size_t)snprintf(out + o, cap - o, "%s dup_of=%s story=%s\n", c->a[i].label,
                              dup, story);
    }
    return out;
}

static void expect_same(const char *name, const char *how, const char *want, const char *got)
{
    if (strcmp(want, got) != 0)
        fail_msg("%s (%s):\nexpected:\n%sgot:\n%s", name, how, want, got);
}

static void run_case(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, GOLDEN_DIR "/%s", name);
    char *text = tu_read_file(path, NULL);
    if (!text)
        fail_msg("cannot read %s (run from the repository root)", path);
    gcase c;
    if (parse_case(text, &c) != 0)
        fail_msg("%s: malformed golden file", path);
    size_t fwd[MAX_ARTS], rev[MAX_ARTS], mix[MAX_ARTS];
    for (size_t i = 0; i < c.n; i++) {
        fwd[i] = i;
        rev[i] = c.n - 1 - i;
        mix[i] = (i * 5 + 3) % c.n;
    }
    /* mix must be a permutation: 5 is coprime with the sizes we use. */
    if (c.n % 5 == 0)
        for (size_t i = 0; i < c.n; i++)
            mix[i] = (i + c.n / 2) % c.n;
    const size_t *orders[] = {fwd, rev, mix};
    const char *how[] = {"file order", "reverse order", "shuffled order"};
    for (int k = 0; k < 3; k++) {
        char *dbp = temp_db();
        mh_db *db;
        assert_int_equal(mh_db_open(dbp, 0, &db), MH_OK);
        mh_ingest_stats st;
        ingest(db, &c, orders[k], &st);
        assert_int_equal(st.added, c.n);
        char *got = outcome(db, &c);
        expect_same(name, how[k], c.expect, got);
        free(got);
        if (k == 0) {
            /* Re-ingest: nothing new, nothing changes. */
            ingest(db, &c, fwd, &st);
            assert_int_equal(st.added, 0);
            got = outcome(db, &c);
            expect_same(name, "re-ingest", c.expect, got);
            free(got);
        }
        mh_db_close(db);
        /* A new handle (a new session) sees the same. */
        assert_int_equal(mh_db_open(dbp, MH_DB_READONLY, &db), MH_OK);
        got = outcome(db, &c);
        expect_same(name, "reopened", c.expect, got);
        free(got);
        mh_db_close(db);
        tu_rm_db(dbp);
        free(dbp);
    }
    free_case(&c);
    free(text);
}

static void test_exact(void **st) { (void)st; run_case("exact.txt"); }
static void test_trimmed(void **st) { (void)st; run_case("trimmed.txt"); }
static void test_headline(void **st) { (void)st; run_case("headline.txt"); }
static void test_reorder(void **st) { (void)st; run_case("reorder.txt"); }
static void test_boilerplate(void **st) { (void)st; run_case("boilerplate.txt"); }
static void test_folded(void **st) { (void)st; run_case("folded.txt"); }
static void test_fewwords(void **st) { (void)st; run_case("fewwords.txt"); }
static void test_same_topic(void **st) { (void)st; run_case("same_topic.txt"); }

/* Sessions: a copy ingested in a later session joins the stored group, and
 * the answers of dups/story/related agree with the export fields. */
static void test_incremental_and_queries(void **st)
{
    (void)st;
    char *text = tu_read_file(GOLDEN_DIR "/exact.txt", NULL);
    assert_non_null(text);
    gcase c;
    assert_int_equal(parse_case(text, &c), 0);
    char *dbp = temp_db();
    mh_db *db;
    mh_ingest_stats s;
    /* Session 1: the unrelated article and the later copy. */
    gcase one = c, two = c;
    one.n = 0;
    two.n = 0;
    size_t idx1[] = {3, 2}, idx2[] = {0, 1};
    for (size_t i = 0; i < 2; i++) {
        one.a[one.n++] = c.a[idx1[i]];
        two.a[two.n++] = c.a[idx2[i]];
    }
    size_t ord[] = {0, 1};
    assert_int_equal(mh_db_open(dbp, 0, &db), MH_OK);
    ingest(db, &one, ord, &s);
    mh_db_close(db);
    assert_int_equal(mh_db_open(dbp, 0, &db), MH_OK);
    ingest(db, &two, ord, &s);
    assert_int_equal(s.added, 2);
    char *got = outcome(db, &c);
    expect_same("exact.txt", "two sessions", c.expect, got);
    free(got);

    /* dups: one group of three, first publisher the agency (id 3). */
    char *json;
    assert_int_equal(mh_db_dups_json(db, &json, NULL), MH_OK);
    cJSON *a = cJSON_Parse(json);
    assert_int_equal(cJSON_GetArraySize(a), 1);
    cJSON *g = cJSON_GetArrayItem(a, 0);
    assert_int_equal((int)cJSON_GetObjectItem(g, "size")->valuedouble, 3);
    cJSON *first = cJSON_GetObjectItem(g, "first");
    assert_string_equal(cJSON_GetObjectItem(first, "outlet")->valuestring, "Ajans Haber");
    assert_string_equal(cJSON_GetObjectItem(first, "date")->valuestring, "2025-03-02");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(g, "outlets")), 3);
    int64_t story = 0;
    cJSON_Delete(a);
    mh_free(json);

    /* stories of 2-3 March: the ferry story first (three outlets). */
    assert_int_equal(mh_db_stories_json(db, "2025-03-02", "2025-03-03", 0, &json, NULL), MH_OK);
    a = cJSON_Parse(json);
    assert_int_equal(cJSON_GetArraySize(a), 2);
    cJSON *top = cJSON_GetArrayItem(a, 0);
    assert_int_equal((int)cJSON_GetObjectItem(top, "outlets_in_range")->valuedouble, 3);
    assert_int_equal((int)cJSON_GetObjectItem(top, "articles")->valuedouble, 3);
    assert_int_equal((int)cJSON_GetObjectItem(top, "growth")->valuedouble, 3);
    assert_string_equal(cJSON_GetObjectItem(top, "first_date")->valuestring, "2025-03-02");
    assert_string_equal(cJSON_GetObjectItem(top, "last_date")->valuestring, "2025-03-03");
    cJSON_Delete(a);
    mh_free(json);
    /* Only 3 March: the ferry story, with the two copies of that day. */
    assert_int_equal(mh_db_stories_json(db, "2025-03-03", "2025-03-03", 0, &json, NULL), MH_OK);
    a = cJSON_Parse(json);
    assert_int_equal(cJSON_GetArraySize(a), 1);
    top = cJSON_GetArrayItem(a, 0);
    assert_int_equal((int)cJSON_GetObjectItem(top, "articles_in_range")->valuedouble, 2);
    /* growth: two that day against one the day before. */
    assert_int_equal((int)cJSON_GetObjectItem(top, "growth")->valuedouble, 1);
    assert_string_equal(cJSON_GetObjectItem(top, "first_outlet")->valuestring, "Ajans Haber");
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(top, "terms")) > 0);
    story = (int64_t)cJSON_GetObjectItem(top, "id")->valuedouble;
    cJSON_Delete(a);
    mh_free(json);

    assert_int_equal(mh_db_story_json(db, story, &json, NULL), MH_OK);
    a = cJSON_Parse(json);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(a, "members")), 3);
    cJSON_Delete(a);
    mh_free(json);
    assert_int_equal(mh_db_story_json(db, 999, &json, NULL), MH_ENOTFOUND);

    /* related: copies are left out, so the agency text has none here. */
    assert_int_equal(mh_db_related_json(db, 3, 5, &json, NULL), MH_OK);
    a = cJSON_Parse(json);
    cJSON *x;
    cJSON_ArrayForEach(x, a) {
        int64_t id = (int64_t)cJSON_GetObjectItem(x, "id")->valuedouble;
        assert_true(id != 2 && id != 4 && id != 3);
    }
    cJSON_Delete(a);
    mh_free(json);
    assert_int_equal(mh_db_related_json(db, 999, 5, &json, NULL), MH_ENOTFOUND);
    assert_int_equal(mh_db_stories_json(db, "2025-99", NULL, 0, &json, NULL), MH_ERANGE);
    mh_db_close(db);
    tu_rm_db(dbp);
    free(dbp);
    /* parse_case copies were shared with one/two: free once. */
    free_case(&c);
    free(text);
}

/* related finds the other article of the same event, not the unrelated one. */
static void test_related_same_event(void **st)
{
    (void)st;
    char *text = tu_read_file(GOLDEN_DIR "/same_topic.txt", NULL);
    assert_non_null(text);
    gcase c;
    assert_int_equal(parse_case(text, &c), 0);
    char *dbp = temp_db();
    mh_db *db;
    mh_ingest_stats s;
    size_t ord[MAX_ARTS];
    for (size_t i = 0; i < c.n; i++)
        ord[i] = i;
    assert_int_equal(mh_db_open(dbp, 0, &db), MH_OK);
    ingest(db, &c, ord, &s);
    char *json;
    assert_int_equal(mh_db_related_json(db, 1, 3, &json, NULL), MH_OK);
    cJSON *a = cJSON_Parse(json);
    assert_true(cJSON_GetArraySize(a) >= 1);
    assert_int_equal((int)cJSON_GetObjectItem(cJSON_GetArrayItem(a, 0), "id")->valuedouble, 2);
    cJSON_Delete(a);
    mh_free(json);
    mh_db_close(db);
    tu_rm_db(dbp);
    free(dbp);
    free_case(&c);
    free(text);
}

/* ---------------- allocation failures ---------------- */

typedef struct jcall {
    int kind;                 /* 0 dups, 1 stories, 2 story, 3 related, 4 article */
    const char *from, *to;
    int64_t id;
    size_t limit;
} jcall;

static mh_err jcall_run(mh_db *db, const void *arg, char **out, size_t *len)
{
    const jcall *c = arg;
    switch (c->kind) {
    case 0: return mh_db_dups_json(db, out, len);
    case 1: return mh_db_stories_json(db, c->from, c->to, c->limit, out, len);
    case 2: return mh_db_story_json(db, c->id, out, len);
    case 3: return mh_db_related_json(db, c->id, c->limit, out, len);
    default: {
        mh_article *a = NULL;
        *out = NULL;
        mh_err e = mh_db_get_article(db, c->id, &a);
        if (e == MH_OK)
            e = mh_db_article_json(db, a, out, len);
        mh_article_free(a);
        return e;
    }
    }
}

/* Each answer failing each allocation in turn (cJSON through mh_malloc
 * too): MH_ENOMEM and no text, or the unhindered text byte for byte. */
static void test_alloc_sweep_answers(void **st)
{
    (void)st;
    char *text = tu_read_file(GOLDEN_DIR "/exact.txt", NULL);
    assert_non_null(text);
    gcase c;
    assert_int_equal(parse_case(text, &c), 0);
    char *dbp = temp_db();
    mh_db *db;
    mh_ingest_stats s;
    size_t ord[MAX_ARTS];
    for (size_t i = 0; i < c.n; i++)
        ord[i] = i;
    assert_int_equal(mh_db_open(dbp, 0, &db), MH_OK);
    ingest(db, &c, ord, &s);
    char *json = NULL;
    assert_int_equal(mh_db_stories_json(db, NULL, NULL, 0, &json, NULL), MH_OK);
    cJSON *a = cJSON_Parse(json);
    int64_t story = (int64_t)cJSON_GetObjectItem(cJSON_GetArrayItem(a, 0), "id")->valuedouble;
    cJSON_Delete(a);
    mh_free(json);
    const jcall calls[] = {
        {0, NULL, NULL, 0, 0},
        {1, NULL, NULL, 0, 0},
        {1, "2025-03-02", "2025-03-03", 1, 0},
        {2, NULL, NULL, story, 0},
        {3, NULL, NULL, 3, 5},
        {3, NULL, NULL, 1, 0},
        {4, NULL, NULL, 2, 0},
    };
    cJSON_Hooks hooks = { mh_malloc, mh_free };
    cJSON_InitHooks(&hooks);
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        char *want = NULL;
        size_t want_len = 0;
        mh_err e = jcall_run(db, &calls[i], &want, &want_len);
        if (e != MH_OK)
            fail_msg("answer %zu: %s (%s)", i, mh_errstr(e), mh_db_errmsg(db));
        char what[32];
        snprintf(what, sizeof what, "answer %zu", i);
        assert_true(tu_sweep_text(db, what, jcall_run, &calls[i], want, want_len) > 3);
        mh_free(want);
    }
    cJSON_InitHooks(NULL);
    mh_db_close(db);
    tu_rm_db(dbp);
    free(dbp);
    free_case(&c);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact),
        cmocka_unit_test(test_trimmed),
        cmocka_unit_test(test_headline),
        cmocka_unit_test(test_reorder),
        cmocka_unit_test(test_boilerplate),
        cmocka_unit_test(test_folded),
        cmocka_unit_test(test_fewwords),
        cmocka_unit_test(test_same_topic),
        cmocka_unit_test(test_incremental_and_queries),
        cmocka_unit_test(test_related_same_event),
        cmocka_unit_test(test_alloc_sweep_answers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
