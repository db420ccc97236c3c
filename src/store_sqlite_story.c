/*
 * store_sqlite_story.c -- copy groups and stories in SQLite: the tables,
 * the after-store hook that fingerprints and clusters every new article,
 * the JSON fields export/show gain, and the dups/stories/story/related
 * queries.
 *
 * Tables (migration "copy groups and stories"):
 *  - dedup(article, day, grp, fp): the article's fingerprint (blob of
 *    little-endian uint32: n_shingles, n_sketch, sketch, band keys), its
 *    publication day (days since 1970, NULL undated) and grp, the first
 *    article of its copy group (NULL when it has no copy).  dup_of is grp
 *    for every member but the first.
 *  - story(id, first_day, last_day, n, rep, rep_sim, terms, centroid).
 *  - story_article(article, story, vec, words, feats): the article's
 *    vector, its heaviest words (for "related" queries) and, for every
 *    8th article, its distinct features (document-frequency sample).
 *
 * Why an in-memory index loaded once per session, and not LSH keys in an
 * indexed table: each article has 16 band keys and 16 anchors; as rows
 * of an indexed table that is 32 B-tree inserts and 32 lookups per
 * article (100 us or more) and roughly doubles the database, while in
 * memory an add costs a few microseconds.  The price is the load: the
 * first new article of a session reads every fingerprint (a few
 * microseconds per stored article: bench/copies measures the index part,
 * 2 us at 100k; SQLite's reading of the 200-byte rows comes on top), and
 * the index takes about 700-900 bytes of memory per stored article.  The index lives with the SQLite
 * connection (its state is the user data of an SQL function, freed when
 * the connection closes) and is dropped and reloaded when another
 * connection has written (PRAGMA data_version) or when an article it
 * holds turns out to have been rolled back (its id comes again).
 *
 * Stories are loaded lazily by day: the first article of a given day
 * loads the stories open on that day, of those stored before the index
 * was made (the later ones are this connection's, in memory already).
 */
#include "store.h"
#include "story.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define SAMPLE_EVERY 8       /* every 8th article keeps its distinct features */
#define SAMPLE_LOAD  4096    /* sampled articles read per session */
#define FP_WORDS (2 + MH_FP_SKETCH + MH_FP_BANDS)
#define WORDS_KEEP 10        /* words kept per article for related queries */
/* Stories are loaded for a day by their last day, which the index bounds
 * on both sides only with a limit: a story whose last article is more
 * than LOAD_AHEAD days after the day is not loaded for it (that only
 * matters when old articles come after much newer ones). */
#define LOAD_AHEAD 30

const char mh_story_schema_sql[] =
    "CREATE TABLE dedup(article INTEGER PRIMARY KEY, day INTEGER, grp INTEGER,"
    " fp BLOB NOT NULL);"
    "CREATE INDEX dedup_grp ON dedup(grp) WHERE grp IS NOT NULL;"
    "CREATE TABLE story(id INTEGER PRIMARY KEY, first_day INTEGER, last_day INTEGER,"
    " n INTEGER NOT NULL DEFAULT 0, rep INTEGER, rep_sim REAL, terms TEXT,"
    " centroid BLOB);"
    "CREATE INDEX story_last ON story(last_day);"
    "CREATE TABLE story_article(article INTEGER PRIMARY KEY, story INTEGER NOT NULL,"
    " vec BLOB, words TEXT, feats BLOB);"
    "CREATE INDEX story_article_story ON story_article(story);"
    "CREATE INDEX story_article_sample ON story_article(article) WHERE feats IS NOT NULL;";

/* ------------------------------------------------------------------ */
/* Per-connection state                                                */
/* ------------------------------------------------------------------ */

typedef struct ss_state {
    sqlite3 *db;
    struct ss_state *next;
    sqlite3_int64 data_version;
    mh_shingler *sh;
    mh_dupindex *dx;          /* NULL until loaded */
    st_terms *terms;          /* NULL until loaded */
    st_index *sx;             /* NULL until the first story is needed */
    int64_t sx_max;           /* the largest story id stored when sx was made */
    int32_t *days; size_t ndays, capdays;   /* days whose stories are loaded */
    /* Copy groups whose earliest member with a story is known: group
     * (its first article) -> slot of gm_art (that member) and gm_story
     * (its story).  Filled as articles are assigned, dropped with dx. */
    mh_idmap gm;
    int64_t *gm_art, *gm_story;
    size_t gm_n, gm_cap;
} ss_state;

static pthread_mutex_t states_lock = PTHREAD_MUTEX_INITIALIZER;
static ss_state *states;

static void state_drop(ss_state *st)
{
    mh_dupindex_free(st->dx);
    st->dx = NULL;
    st_terms_free(st->terms);
    st->terms = NULL;
    st_index_free(st->sx);
    st->sx = NULL;
    st->ndays = 0;
    mh_idmap_free(&st->gm);
    memset(&st->gm, 0, sizeof st->gm);
    mh_free(st->gm_art);
    mh_free(st->gm_story);
    st->gm_art = st->gm_story = NULL;
    st->gm_n = st->gm_cap = 0;
}

/* SQLite calls this when the connection closes (or registration fails). */
static void state_destroy(void *p)
{
    ss_state *st = p;
    pthread_mutex_lock(&states_lock);
    for (ss_state **q = &states; *q; q = &(*q)->next)
        if (*q == st) {
            *q = st->next;
            break;
        }
    pthread_mutex_unlock(&states_lock);
    state_drop(st);
    mh_shingler_free(st->sh);
    mh_free(st->days);
    mh_free(st);
}

static void state_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    MH_UNUSED(argc);
    MH_UNUSED(argv);
    sqlite3_result_null(ctx);
}

static ss_state *state_get(sqlite3 *db)
{
    ss_state *st;
    pthread_mutex_lock(&states_lock);
    for (st = states; st; st = st->next)
        if (st->db == db)
            break;
    pthread_mutex_unlock(&states_lock);
    if (st)
        return st;
    st = mh_malloc(sizeof *st);
    if (!st)
        return NULL;
    memset(st, 0, sizeof *st);
    st->db = db;
    st->data_version = -1;
    st->sh = mh_shingler_new();
    if (!st->sh) {
        mh_free(st);
        return NULL;
    }
    pthread_mutex_lock(&states_lock);
    st->next = states;
    states = st;
    pthread_mutex_unlock(&states_lock);
    /* The function owns st from here: its destructor frees it with the
     * connection, and also when registration fails. */
    if (sqlite3_create_function_v2(db, "muhabir_story_state", 0, SQLITE_UTF8, st,
                                   state_fn, NULL, NULL, state_destroy) != SQLITE_OK)
        return NULL;
    return st;
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static mh_err db_err(mh_db *db, sqlite3 *sq)
{
    return mh_db_fail(db, mh_sqlite_err(sq), "%s", sqlite3_errmsg(sq));
}

static void fp_encode(const mh_fingerprint *fp, unsigned char *out)
{
    uint32_t w[FP_WORDS];
    w[0] = fp->n_shingles;
    w[1] = fp->n_sketch;
    memcpy(w + 2, fp->sketch, sizeof fp->sketch);
    memcpy(w + 2 + MH_FP_SKETCH, fp->bands, sizeof fp->bands);
    for (size_t i = 0; i < FP_WORDS; i++)
        for (int b = 0; b < 4; b++)
            out[4 * i + (size_t)b] = (unsigned char)(w[i] >> (8 * b));
}

static int fp_decode(const void *blob, int bytes, mh_fingerprint *fp)
{
    const unsigned char *p = blob;
    uint32_t w[FP_WORDS];
    if (!p || bytes != (int)(4 * FP_WORDS))
        return 0;
    for (size_t i = 0; i < FP_WORDS; i++)
        w[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
               (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
    fp->n_shingles = w[0];
    fp->n_sketch = w[1] <= MH_FP_SKETCH ? w[1] : MH_FP_SKETCH;
    memcpy(fp->sketch, w + 2, sizeof fp->sketch);
    memcpy(fp->bands, w + 2 + MH_FP_SKETCH, sizeof fp->bands);
    return 1;
}

static void bind_day(sqlite3_stmt *s, int i, int32_t day)
{
    if (day == MH_DAY_UNKNOWN)
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_int(s, i, day);
}

static int32_t col_day(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? MH_DAY_UNKNOWN
                                                    : (int32_t)sqlite3_column_int(s, i);
}

/* "YYYY-MM-DD" of a day number (inverse of mh_day_from_date). */
static void day_str(int32_t day, char out[11])
{
    if (day == MH_DAY_UNKNOWN) {
        out[0] = 0;
        return;
    }
    int64_t z = (int64_t)day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%04d-%02u-%02u", (int)(y % 10000), m % 100, d % 100);
    memcpy(out, tmp, 10);
    out[10] = 0;
}

/* ------------------------------------------------------------------ */
/* Loading                                                             */
/* ------------------------------------------------------------------ */

/* Drop everything in memory when another connection wrote since we
 * looked. */
static mh_err check_version(mh_db *db, mh_store *s, sqlite3 *sq, ss_state *st)
{
    sqlite3_stmt *q = mh_store_sqlite_stmt(s, "PRAGMA data_version");
    if (!q)
        return db_err(db, sq);
    if (sqlite3_step(q) != SQLITE_ROW)
        return db_err(db, sq);
    sqlite3_int64 v = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    if (v != st->data_version) {
        state_drop(st);
        st->data_version = v;
    }
    return MH_OK;
}

static mh_err load_dups(mh_db *db, mh_store *s, sqlite3 *sq, ss_state *st)
{
    if (st->dx)
        return MH_OK;
    sqlite3_stmt *q = mh_store_sqlite_stmt(s, "SELECT article, day, grp, fp FROM dedup");
    if (!q)
        return db_err(db, sq);
    mh_dupindex *x = mh_dupindex_new();
    if (!x)
        return MH_ENOMEM;
    /* Tables sized once for the stored articles rather than doubled and
     * copied on the way (a third of the load at 1M articles).  Failing
     * only means growing them as the rows come. */
    sqlite3_stmt *cnt = mh_store_sqlite_stmt(s, "SELECT count(*) FROM dedup");
    if (cnt && sqlite3_step(cnt) == SQLITE_ROW && sqlite3_column_int64(cnt, 0) > 0)
        (void)mh_dupindex_reserve(x, (size_t)sqlite3_column_int64(cnt, 0));
    if (cnt)
        sqlite3_reset(cnt);
    mh_err e = MH_OK;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        mh_fingerprint fp;
        if (!fp_decode(sqlite3_column_blob(q, 3), sqlite3_column_bytes(q, 3), &fp))
            continue;    /* a damaged row only loses its copy links */
        e = mh_dupindex_load(x, sqlite3_column_int64(q, 0), col_day(q, 1),
                             sqlite3_column_int64(q, 2), &fp);
        if (e && e != MH_EDUP)
            break;
        e = MH_OK;
    }
    if (!e && rc != SQLITE_DONE)
        e = db_err(db, sq);
    sqlite3_reset(q);
    if (e) {
        mh_dupindex_free(x);
        return e;
    }
    st->dx = x;
    return MH_OK;
}

static mh_err load_terms(mh_db *db, mh_store *s, sqlite3 *sq, ss_state *st)
{
    if (st->terms)
        return MH_OK;
    sqlite3_stmt *q = mh_store_sqlite_stmt(s,
        "SELECT feats FROM story_article WHERE feats IS NOT NULL ORDER BY article DESC LIMIT ?1");
    if (!q)
        return db_err(db, sq);
    st_terms *t = st_terms_new();
    if (!t)
        return MH_ENOMEM;
    sqlite3_bind_int(q, 1, SAMPLE_LOAD);
    mh_err e = MH_OK;
    int rc;
    uint32_t *h = NULL;
    size_t cap = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && !e) {
        const unsigned char *p = sqlite3_column_blob(q, 0);
        size_t n = (size_t)sqlite3_column_bytes(q, 0) / 4;
        if (n > cap) {
            uint32_t *nh = mh_realloc(h, n * sizeof *nh);
            if (!nh) {
                e = MH_ENOMEM;
                break;
            }
            h = nh;
            cap = n;
        }
        for (size_t i = 0; i < n; i++)
            h[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
                   (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
        e = st_terms_count(t, h, n, SAMPLE_EVERY);
    }
    if (!e && rc != SQLITE_DONE && rc != SQLITE_ROW)
        e = db_err(db, sq);
    sqlite3_reset(q);
    mh_free(h);
    if (e) {
        st_terms_free(t);
        return e;
    }
    st->terms = t;
    return MH_OK;
}

/* Put one story row (id, first_day, last_day, n, rep, rep_sim, centroid,
 * terms at columns 0..7) in memory unless it is there. */
static mh_err put_story_row(ss_state *st, sqlite3_stmt *q)
{
    int64_t id = sqlite3_column_int64(q, 0);
    if (st_index_get(st->sx, id))
        return MH_OK;
    st_feat c[ST_CENTROID];
    size_t nc = st_feats_decode(sqlite3_column_blob(q, 6), (size_t)sqlite3_column_bytes(q, 6),
                                c, ST_CENTROID);
    /* The stored top terms name the heaviest centroid features. */
    const char *terms = (const char *)sqlite3_column_text(q, 7);
    if (terms) {
        st_feat top[8];
        st_story tmp = {.c = c, .nc = (uint32_t)nc};
        size_t k = st_story_top(&tmp, top, 8);
        for (size_t i = 0; i < k && *terms; i++) {
            const char *sp = strchr(terms, ' ');
            size_t len = sp ? (size_t)(sp - terms) : strlen(terms);
            mh_err e = st_terms_set_word(st->terms, top[i].h, terms, len);
            if (e)
                return e;
            terms += len + (sp != NULL);
        }
    }
    return st_index_put(st->sx, id, col_day(q, 1), col_day(q, 2),
                        (uint32_t)sqlite3_column_int(q, 3), c, nc,
                        sqlite3_column_int64(q, 4), sqlite3_column_double(q, 5));
}

/* Make the in-memory stories, noting the largest story id stored so
 * far: every story of a larger id is made by this connection while the
 * index lives (start_story puts it in memory as it writes its row;
 * another connection's writes or a failure drop the index), so loading
 * from storage only ever looks for stories up to that id. */
static mh_err stories_open(mh_db *db, mh_store *s, sqlite3 *sq, ss_state *st)
{
    sqlite3_stmt *q = mh_store_sqlite_stmt(s, "SELECT max(id) FROM story");
    if (!q)
        return db_err(db, sq);
    int rc = sqlite3_step(q);
    int64_t max = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_reset(q);
    if (rc != SQLITE_ROW)
        return db_err(db, sq);
    if (!(st->sx = st_index_new()))
        return MH_ENOMEM;
    st->sx_max = max;
    return MH_OK;
}

static mh_err load_stories_for(mh_db *db, mh_store *s, sqlite3 *sq, ss_state *st, int32_t day)
{
    mh_err e;
    if (!st->sx && (e = stories_open(db, s, sq, st)) != MH_OK)
        return e;
    /* With no stored story older than the index (a new database), there
     * is nothing to load. */
    if (st->sx_max <= 0)
        return MH_OK;
    for (size_t i = 0; i < st->ndays; i++)
        if (st->days[i] == day)
            return MH_OK;
    sqlite3_stmt *q;
    if (day == MH_DAY_UNKNOWN) {
        q = mh_store_sqlite_stmt(s,
            "SELECT id, first_day, last_day, n, rep, rep_sim, centroid, terms FROM story"
            " WHERE first_day IS NULL AND id <= ?4");
    } else {
        q = mh_store_sqlite_stmt(s,
            "SELECT id, first_day, last_day, n, rep, rep_sim, centroid, terms FROM story"
            " WHERE last_day BETWEEN ?1 AND ?3 AND first_day <= ?2 AND id <= ?4");
        if (q) {
            sqlite3_bind_int64(q, 1, (sqlite3_int64)day - ST_WINDOW);
            sqlite3_bind_int64(q, 2, (sqlite3_int64)day + ST_WINDOW);
            sqlite3_bind_int64(q, 3, (sqlite3_int64)day + ST_WINDOW + LOAD_AHEAD);
        }
    }
    if (!q)
        return db_err(db, sq);
    sqlite3_bind_int64(q, 4, st->sx_max);
    int rc;
    e = MH_OK;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW && !e)
        e = put_story_row(st, q);
    if (!e && rc != SQLITE_DONE && rc != SQLITE_ROW)
        e = db_err(db, sq);
    sqlite3_reset(q);
    if (e)
        return e;
    if (st->ndays == st->capdays &&
        mh_grow(&st->days, &st->capdays, st->ndays + 1, sizeof *st->days, 64))
        return MH_ENOMEM;
    st->days[st->ndays++] = day;
    return MH_OK;
}

/* A story by id, from memory or storage. */
static st_story *story_by_id(mh_store *s, ss_state *st, int64_t id)
{
    st_story *x = st_index_get(st->sx, id);
    if (x)
        return x;
    sqlite3_stmt *q = mh_store_sqlite_stmt(s,
        "SELECT id, first_day, last_day, n, rep, rep_sim, centroid, terms FROM story WHERE id = ?1");
    if (!q)
        return NULL;
    sqlite3_bind_int64(q, 1, id);
    if (sqlite3_step(q) == SQLITE_ROW && put_story_row(st, q) == MH_OK)
        x = st_index_get(st->sx, id);
    sqlite3_reset(q);
    return x;
}

/* ------------------------------------------------------------------ */
/* The after-store hook                                                */
/* ------------------------------------------------------------------ */

/* Point the members of the groups this article joined at the new first.
 * The article's own row was written with it already. */
static mh_err store_groups(mh_db *db, mh_store *s, sqlite3 *sq, const mh_dup_result *r)
{
    if (r->size <= 1)
        return MH_OK;
    /* Most adds join one group, whose size before was r->size - 1.  The
     * rows of a group of two or more all point at its first already (the
     * first's too) and a lone article's row at nothing, so such an add
     * leaves nothing to write unless the first changed, and then nothing
     * for the old group's other members when it had none. */
    size_t old_size = r->n_merged == 1 ? r->size - 1 : 0;
    if (old_size >= 2 && r->merged[0] == r->first)
        return MH_OK;
    /* Two statements, not one with OR: each uses its index directly.  A
     * row that points at the first already (the first of a group that
     * keeps it) is left alone rather than written again unchanged. */
    sqlite3_stmt *one = mh_store_sqlite_stmt(s,
        "UPDATE dedup SET grp = ?1 WHERE article = ?2 AND grp IS NOT ?1");
    sqlite3_stmt *all = mh_store_sqlite_stmt(s, "UPDATE dedup SET grp = ?1 WHERE grp = ?2");
    if (!one || !all)
        return db_err(db, sq);
    for (size_t i = 0; i < r->n_merged; i++) {
        int64_t m = r->merged[i];
        /* The old first itself (alone until now, its grp may be NULL). */
        sqlite3_bind_int64(one, 1, r->first);
        sqlite3_bind_int64(one, 2, m);
        int rc = sqlite3_step(one);
        sqlite3_reset(one);
        if (rc != SQLITE_DONE)
            return db_err(db, sq);
        if (m == r->first || old_size == 1)
            continue;            /* the rest of that group already points at it */
        sqlite3_bind_int64(all, 1, r->first);
        sqlite3_bind_int64(all, 2, m);
        rc = sqlite3_step(all);
        sqlite3_reset(all);
        if (rc != SQLITE_DONE)
            return db_err(db, sq);
    }
    return MH_OK;
}

/* Remember that the earliest member with a story of the group first is
 * art, in story. */
static mh_err memo_put(ss_state *st, int64_t first, int64_t art, int64_t story)
{
    uint32_t k = mh_idmap_get(&st->gm, first);
    if (k == MH_IDMAP_NONE) {
        if (st->gm_n == st->gm_cap) {
            /* Two arrays, one capacity: each grows from the old one. */
            size_t ca = st->gm_cap, cs = st->gm_cap;
            if (mh_grow(&st->gm_art, &ca, st->gm_n + 1, sizeof *st->gm_art, 256) ||
                mh_grow(&st->gm_story, &cs, st->gm_n + 1, sizeof *st->gm_story, 256))
                return MH_ENOMEM;
            st->gm_cap = ca;
        }
        k = (uint32_t)st->gm_n;
        mh_err e = mh_idmap_put(&st->gm, first, k);
        if (e)
            return e;
        st->gm_n++;
    }
    st->gm_art[k] = art;
    st->gm_story[k] = story;
    return MH_OK;
}

/* The story of the earliest member (by id) of the article's copy group
 * that has one, other than the article, or 0; *art that member.  The
 * groups it joined were all seen by this index (memo_put) unless they
 * hold stored articles from before it, which the tables answer. */
static int64_t group_story(mh_store *s, ss_state *st, int64_t id, const mh_dup_result *r,
                           int64_t *art)
{
    *art = 0;
    if (r->size <= 1)
        return 0;
    int64_t best = 0, story = 0;
    size_t i;
    for (i = 0; i < r->n_merged; i++) {
        uint32_t k = mh_idmap_get(&st->gm, r->merged[i]);
        if (k == MH_IDMAP_NONE)
            break;
        if (!best || st->gm_art[k] < best) {
            best = st->gm_art[k];
            story = st->gm_story[k];
        }
    }
    if (i == r->n_merged && best) {
        *art = best;
        return story;
    }
    sqlite3_stmt *q = mh_store_sqlite_stmt(s,
        "SELECT sa.story, d.article FROM dedup d JOIN story_article sa ON sa.article = d.article"
        " WHERE d.grp = ?1 AND d.article <> ?2 ORDER BY d.article LIMIT 1");
    if (!q)
        return 0;
    sqlite3_bind_int64(q, 1, r->first);
    sqlite3_bind_int64(q, 2, id);
    if (sqlite3_step(q) == SQLITE_ROW) {
        story = sqlite3_column_int64(q, 0);
        *art = sqlite3_column_int64(q, 1);
    } else {
        story = 0;
    }
    sqlite3_reset(q);
    return story;
}

/* Write a story's row: a new row when x->id is 0 (its id comes back in
 * *id), else the one of that id.  A new story's row is written whole,
 * once it has its first member, so it costs one statement, not two. */
static mh_err save_story(mh_db *db, mh_store *s, sqlite3 *sq, ss_state *st,
                         const st_story *x, int64_t *id)
{
    unsigned char blob[ST_CENTROID * 8];
    size_t nb = st_feats_encode(x->c, x->nc, blob);
    st_feat top[8];
    size_t k = st_story_top(x, top, 8);
    mh_buf terms;
    mh_buf_init(&terms, 0);
    for (size_t i = 0; i < k; i++) {
        const char *w = st_terms_word(st->terms, top[i].h);
        if (i)
            mh_buf_addc(&terms, ' ');
        mh_buf_adds(&terms, w ? w : "?");
    }
    if (terms.err) {
        mh_buf_free(&terms);
        return terms.err;
    }
    sqlite3_stmt *u = x->id
        ? mh_store_sqlite_stmt(s,
            "UPDATE story SET first_day = ?2, last_day = ?3, n = ?4, rep = ?5, rep_sim = ?6,"
            " terms = ?7, centroid = ?8 WHERE id = ?1")
        : mh_store_sqlite_stmt(s,
            "INSERT INTO story(id, first_day, last_day, n, rep, rep_sim, terms, centroid)"
            " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    mh_err e = MH_OK;
    if (!u) {
        e = db_err(db, sq);
    } else {
        /* A NULL id makes SQLite choose it, as for any new row. */
        if (x->id)
            sqlite3_bind_int64(u, 1, x->id);
        else
            sqlite3_bind_null(u, 1);
        bind_day(u, 2, x->first);
        bind_day(u, 3, x->last);
        sqlite3_bind_int64(u, 4, x->n);
        sqlite3_bind_int64(u, 5, x->rep);
        sqlite3_bind_double(u, 6, x->rep_sim);
        sqlite3_bind_text(u, 7, terms.p ? terms.p : "", (int)terms.len, SQLITE_TRANSIENT);
        sqlite3_bind_blob(u, 8, blob, (int)nb, SQLITE_TRANSIENT);
        if (sqlite3_step(u) != SQLITE_DONE)
            e = db_err(db, sq);
        else if (!x->id)
            *id = sqlite3_last_insert_rowid(sq);
        sqlite3_reset(u);
    }
    mh_buf_free(&terms);
    return e;
}

/* Open a story for an article that joins none: its row first (that gives
 * the id), then the story in memory, built the way st_index_join builds
 * on an empty story, which is what st_story_start computed for the row. */
static mh_err start_story(mh_db *db, mh_store *s, sqlite3 *sq, ss_state *st, int64_t id,
                          const st_vec *v, int32_t day, st_story **out)
{
    st_story fresh;
    int64_t sid = 0;
    mh_err e = st_story_start(&fresh, id, v, day);
    if (!e)
        e = save_story(db, s, sq, st, &fresh, &sid);
    mh_free(fresh.c);
    if (e)
        return e;
    if ((e = st_index_put(st->sx, sid, day, day, 0, NULL, 0, 0, 0)) != MH_OK)
        return e;
    *out = st_index_get(st->sx, sid);
    return st_index_join(st->sx, *out, id, v, day);
}

static mh_err assign_story(mh_db *db, mh_store *s, sqlite3 *sq, ss_state *st, int64_t id,
                           const st_bag *bag, int32_t day, const mh_dup_result *r)
{
    mh_err e;
    st_vec v;
    if ((e = load_terms(db, s, sq, st)) != MH_OK)
        return e;
    if ((e = load_stories_for(db, s, sq, st, day)) != MH_OK)
        return e;
    /* Weighs the article and counts it in the document frequencies. */
    if ((e = st_bag_weigh(bag, st->terms, &v)) != MH_OK)
        return e;

    st_story *x = NULL;
    int64_t earliest;
    int64_t forced = group_story(s, st, id, r, &earliest);
    if (forced)
        x = story_by_id(s, st, forced);
    if (!x)
        x = st_index_match(st->sx, &v, day, NULL);
    if (!x) {
        if ((e = start_story(db, s, sq, st, id, &v, day, &x)) != MH_OK)
            return e;
    } else {
        if ((e = st_index_join(st->sx, x, id, &v, day)) != MH_OK)
            return e;
        if ((e = save_story(db, s, sq, st, x, NULL)) != MH_OK)
            return e;
    }

    /* The article's row: vector, words for related queries, sample. */
    unsigned char vb[ST_VEC_MAX * 8];
    size_t nvb = st_feats_encode(v.f, v.n, vb);
    mh_buf words;
    mh_buf_init(&words, 0);
    for (size_t i = 0, k = 0; i < v.n && k < WORDS_KEEP; i++) {
        const char *w = st_terms_word(st->terms, v.f[i].h);
        if (!w)
            continue;
        if (k++)
            mh_buf_addc(&words, ' ');
        mh_buf_adds(&words, w);
    }
    size_t n_distinct = 0;
    const uint32_t *distinct = st_bag_features(bag, &n_distinct);
    unsigned char *fb = NULL;
    if (id % SAMPLE_EVERY == 0 && n_distinct) {
        fb = mh_malloc(n_distinct * 4);
        if (!fb) {
            mh_buf_free(&words);
            return MH_ENOMEM;
        }
        for (size_t i = 0; i < n_distinct; i++)
            mh_le32_put(fb + 4 * i, distinct[i]);
    }
    sqlite3_stmt *ins = mh_store_sqlite_stmt(s,
        "INSERT INTO story_article(article, story, vec, words, feats)"
        " VALUES(?1, ?2, ?3, ?4, ?5)");
    if (!ins || words.err) {
        e = words.err ? words.err : db_err(db, sq);
    } else {
        sqlite3_bind_int64(ins, 1, id);
        sqlite3_bind_int64(ins, 2, x->id);
        sqlite3_bind_blob(ins, 3, vb, (int)nvb, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 4, words.p ? words.p : "", (int)words.len, SQLITE_TRANSIENT);
        if (fb)
            sqlite3_bind_blob(ins, 5, fb, (int)(n_distinct * 4), SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(ins, 5);
        if (sqlite3_step(ins) != SQLITE_DONE)
            e = db_err(db, sq);
        sqlite3_reset(ins);
    }
    mh_free(fb);
    mh_buf_free(&words);
    /* The group's earliest member with a story, for the next copy. */
    if (!e)
        e = earliest ? memo_put(st, r->first, earliest, forced)
                     : memo_put(st, r->first, id, x->id);
    return e;
}

/* What the pure part leaves for the store part: the article's
 * fingerprint (also as its dedup blob) and its features counted. */
typedef struct story_prep {
    mh_fingerprint fp;
    unsigned char fp_blob[4 * FP_WORDS];
    st_bag *bag;
} story_prep;

void mh_story_state_free(void *state)
{
    story_prep *p = state;
    if (!p)
        return;
    st_bag_free(p->bag);
    mh_free(p);
}

mh_err mh_story_prepare(mh_db *db, mh_analyzer *an, const mh_article *a, const mh_doc *body,
                        void **out_state)
{
    MH_UNUSED(db);
    *out_state = NULL;
    story_prep *p = mh_malloc(sizeof *p);
    if (p)
        memset(p, 0, sizeof *p);    /* freed whole on any failure below */
    mh_shingler *sh = mh_shingler_new();
    mh_err e = MH_ENOMEM;
    if (!p || !sh)
        goto out;
    if ((e = mh_fingerprint_doc(sh, body, &p->fp)) != MH_OK)
        goto out;
    fp_encode(&p->fp, p->fp_blob);
    e = st_bag_new(an, a->title, a->title ? strlen(a->title) : 0, body, &p->bag);
out:
    mh_shingler_free(sh);
    if (e) {
        mh_story_state_free(p);
        return e;
    }
    *out_state = p;
    return MH_OK;
}

mh_err mh_story_store_prepared(mh_db *db, int64_t id, const mh_article *a, const mh_doc *body,
                               const void *state)
{
    const story_prep *p = state;
    mh_store *s = mh_db_store(db);
    sqlite3 *sq = mh_store_sqlite_handle(s);
    mh_err e;
    MH_UNUSED(body);
    if (!sq || !p)
        return MH_OK;            /* another backend: no copy groups */
    ss_state *st = state_get(sq);
    if (!st)
        return mh_db_fail(db, MH_ENOMEM, "out of memory");
    if ((e = check_version(db, s, sq, st)) != MH_OK)
        return e;
    if ((e = load_dups(db, s, sq, st)) != MH_OK)
        goto fail;

    int32_t day = a->date ? mh_day_from_date(a->date, strlen(a->date)) : MH_DAY_UNKNOWN;
    mh_dup_result r;
    e = mh_dupindex_add(st->dx, id, day, &p->fp, &r);
    if (e == MH_EDUP) {
        /* The id was handed out before and rolled back: what memory holds
         * is stale.  Reload from the tables, which are the truth. */
        state_drop(st);
        if ((e = load_dups(db, s, sq, st)) != MH_OK)
            goto fail;
        e = mh_dupindex_add(st->dx, id, day, &p->fp, &r);
    }
    if (e)
        goto fail;

    sqlite3_stmt *ins = mh_store_sqlite_stmt(s,
        "INSERT INTO dedup(article, day, grp, fp) VALUES(?1, ?2, ?4, ?3)");
    if (!ins) {
        e = db_err(db, sq);
        goto fail;
    }
    sqlite3_bind_int64(ins, 1, id);
    bind_day(ins, 2, day);
    sqlite3_bind_blob(ins, 3, p->fp_blob, (int)sizeof p->fp_blob, SQLITE_TRANSIENT);
    if (r.size > 1)
        sqlite3_bind_int64(ins, 4, r.first);
    else
        sqlite3_bind_null(ins, 4);
    int rc = sqlite3_step(ins);
    sqlite3_reset(ins);
    if (rc != SQLITE_DONE) {
        e = db_err(db, sq);
        goto fail;
    }
    if ((e = store_groups(db, s, sq, &r)) != MH_OK)
        goto fail;
    if ((e = assign_story(db, s, sq, st, id, p->bag, day, &r)) != MH_OK)
        goto fail;
    return MH_OK;
fail:
    /* Whatever memory holds may now disagree with the rolled-back rows. */
    state_drop(st);
    return e;
}

/* ------------------------------------------------------------------ */
/* JSON fields of an article                                           */
/* ------------------------------------------------------------------ */

mh_err mh_story_json(mh_db *db, const mh_article *a, cJSON *obj)
{
    mh_store *s = mh_db_store(db);
    sqlite3 *sq = mh_store_sqlite_handle(s);
    if (!sq || a->id <= 0)
        return MH_OK;
    sqlite3_stmt *q = mh_store_sqlite_stmt(s,
        "SELECT (SELECT grp FROM dedup WHERE article = ?1),"
        " (SELECT story FROM story_article WHERE article = ?1)");
    if (!q)
        return MH_EDB;
    sqlite3_bind_int64(q, 1, a->id);
    int ok = 1;
    if (sqlite3_step(q) == SQLITE_ROW) {
        int64_t grp = sqlite3_column_int64(q, 0);
        int64_t story = sqlite3_column_int64(q, 1);
        ok &= mh_json_add(obj, "dup_of", grp && grp != a->id
                                    ? cJSON_CreateNumber((double)grp) : cJSON_CreateNull());
        ok &= mh_json_add(obj, "dup_group", grp
                                    ? cJSON_CreateNumber((double)grp) : cJSON_CreateNull());
        ok &= mh_json_add(obj, "story", story
                                    ? cJSON_CreateNumber((double)story) : cJSON_CreateNull());
    }
    sqlite3_reset(q);
    return ok ? MH_OK : MH_ENOMEM;
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */
/* ------------------------------------------------------------------ */

static int add_str(cJSON *o, const char *k, const unsigned char *v)
{
    return mh_json_add(o, k, v ? cJSON_CreateString((const char *)v)
                                         : cJSON_CreateNull());
}

static int add_num(cJSON *o, const char *k, double v)
{
    return mh_json_add(o, k, cJSON_CreateNumber(v));
}

static mh_err json_out(cJSON *root, int ok, char **out, size_t *len)
{
    char *txt = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (!txt)
        return MH_ENOMEM;
    *out = mh_strdup(txt);
    cJSON_free(txt);
    if (!*out)
        return MH_ENOMEM;
    if (len)
        *len = strlen(*out);
    return MH_OK;
}

static sqlite3 *query_handle(mh_db *db, mh_store **s)
{
    *s = db ? mh_db_store(db) : NULL;
    sqlite3 *sq = *s ? mh_store_sqlite_handle(*s) : NULL;
    if (db && !sq)
        mh_db_fail(db, MH_EINVAL, "copy groups and stories need the SQLite store");
    return sq;
}

mh_err mh_db_dups_json(mh_db *db, char **out, size_t *len)
{
    mh_store *s;
    sqlite3 *sq;
    if (!out || !(sq = query_handle(db, &s)))
        return MH_EINVAL;
    *out = NULL;
    sqlite3_stmt *q = mh_store_sqlite_stmt(s,
        "SELECT d.grp, a.id, a.date, a.outlet, a.title, a.path,"
        " (SELECT count(*) FROM dedup x WHERE x.grp = d.grp) AS size"
        " FROM dedup d JOIN articles a ON a.id = d.article WHERE d.grp IS NOT NULL"
        " ORDER BY size DESC, d.grp, d.day IS NULL, d.day, a.id");
    if (!q)
        return db_err(db, sq);
    cJSON *root = cJSON_CreateArray(), *grp = NULL, *arts = NULL, *outlets = NULL;
    int ok = root != NULL, rc;
    int64_t cur = 0;
    while (ok && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t g = sqlite3_column_int64(q, 0);
        const unsigned char *outlet = sqlite3_column_text(q, 3);
        if (g != cur) {
            cur = g;
            grp = cJSON_CreateObject();
            ok &= cJSON_AddItemToArray(root, grp);
            ok &= grp && add_num(grp, "group", (double)g);
            ok &= grp && add_num(grp, "size", sqlite3_column_double(q, 6));
            /* Rows come earliest first: the first row is the first publisher. */
            cJSON *first = cJSON_CreateObject();
            if (!mh_json_add(grp, "first", first)) {
                ok = 0;      /* first is gone */
                break;
            }
            ok &= add_num(first, "id", (double)sqlite3_column_int64(q, 1));
            ok &= add_str(first, "date", sqlite3_column_text(q, 2));
            ok &= add_str(first, "outlet", outlet);
            ok &= mh_json_add(grp, "outlets", outlets = cJSON_CreateArray());
            ok &= mh_json_add(grp, "articles", arts = cJSON_CreateArray());
        }
        if (!ok)
            break;
        if (outlet) {
            int seen = 0;
            cJSON *it;
            cJSON_ArrayForEach(it, outlets)
                seen |= strcmp(it->valuestring, (const char *)outlet) == 0;
            if (!seen)
                ok &= cJSON_AddItemToArray(outlets, cJSON_CreateString((const char *)outlet));
        }
        cJSON *x = cJSON_CreateObject();
        ok &= cJSON_AddItemToArray(arts, x);
        ok &= x && add_num(x, "id", (double)sqlite3_column_int64(q, 1));
        ok &= x && add_str(x, "date", sqlite3_column_text(q, 2));
        ok &= x && add_str(x, "outlet", outlet);
        ok &= x && add_str(x, "title", sqlite3_column_text(q, 4));
        ok &= x && add_str(x, "path", sqlite3_column_text(q, 5));
    }
    sqlite3_reset(q);
    return json_out(root, ok, out, len);
}

/* The story object shared by stories and story. */
static int story_fields(mh_store *s, cJSON *o, int64_t id)
{
    int ok = 1;
    sqlite3_stmt *q = mh_store_sqlite_stmt(s,
        "SELECT st.n, st.terms, (SELECT title FROM articles WHERE id = st.rep), st.rep,"
        " (SELECT count(DISTINCT coalesce(a.outlet_key, a.outlet)) FROM story_article sa"
        "   JOIN articles a ON a.id = sa.article WHERE sa.story = st.id),"
        " (SELECT a.outlet FROM story_article sa JOIN articles a ON a.id = sa.article"
        "   WHERE sa.story = st.id ORDER BY a.date IS NULL, a.date, a.id LIMIT 1),"
        " (SELECT min(a.date) FROM story_article sa JOIN articles a ON a.id = sa.article"
        "   WHERE sa.story = st.id),"
        " (SELECT max(a.date) FROM story_article sa JOIN articles a ON a.id = sa.article"
        "   WHERE sa.story = st.id)"
        " FROM story st WHERE st.id = ?1");
    if (!q)
        return 0;
    sqlite3_bind_int64(q, 1, id);
    if (sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_reset(q);
        return -1;
    }
    ok &= add_num(o, "id", (double)id);
    ok &= add_str(o, "headline", sqlite3_column_text(q, 2));
    ok &= add_num(o, "representative", (double)sqlite3_column_int64(q, 3));
    ok &= add_str(o, "first_date", sqlite3_column_text(q, 6));
    ok &= add_str(o, "last_date", sqlite3_column_text(q, 7));
    ok &= add_num(o, "articles", sqlite3_column_double(q, 0));
    ok &= add_num(o, "outlets", sqlite3_column_double(q, 4));
    ok &= add_str(o, "first_outlet", sqlite3_column_text(q, 5));
    cJSON *terms = cJSON_CreateArray();
    ok &= mh_json_add(o, "terms", terms);
    /* A word can be a top term twice, as a stem and as a name
     * ("karadeniz", "Karadeniz"): it is listed once, as the name. */
    const char *t = (const char *)sqlite3_column_text(q, 1);
    char *folds[16];
    int caps[16];
    size_t n_folds = 0;
    while (ok && t && *t) {
        const char *sp = strchr(t, ' ');
        size_t l = sp ? (size_t)(sp - t) : strlen(t);
        char *w = mh_strndup(t, l), *f = NULL, *lw = NULL;
        size_t fl = 0, ll = 0;
        ok &= w && mh_tr_fold(t, l, &f, &fl) == MH_OK && mh_tr_lower(t, l, &lw, &ll) == MH_OK;
        int cap = ok && (ll != l || memcmp(lw, t, l) != 0);
        mh_free(lw);
        size_t k = 0;
        while (ok && k < n_folds && strcmp(folds[k], f) != 0)
            k++;
        if (ok && k < n_folds) {
            if (cap && !caps[k]) {
                ok &= cJSON_ReplaceItemInArray(terms, (int)k, cJSON_CreateString(w));
                caps[k] = 1;
            }
            mh_free(f);
        } else if (ok && n_folds < MH_ARRAY_LEN(folds)) {
            caps[n_folds] = cap;
            folds[n_folds++] = f;
            ok &= cJSON_AddItemToArray(terms, cJSON_CreateString(w));
        } else {
            mh_free(f);
        }
        mh_free(w);
        t += l + (sp != NULL);
    }
    for (size_t k = 0; k < n_folds; k++)
        mh_free(folds[k]);
    sqlite3_reset(q);
    return ok;
}

mh_err mh_db_stories_json(mh_db *db, const char *from, const char *to, size_t limit,
                          char **out, size_t *len)
{
    mh_store *s;
    sqlite3 *sq;
    if (!out || !(sq = query_handle(db, &s)))
        return MH_EINVAL;
    *out = NULL;
    char f[11] = "", t[11] = "", pf[11] = "", pt[11] = "";
    if (from && mh_search_date_bound(from, 0, f) != MH_OK)
        return mh_db_fail(db, MH_ERANGE, "bad --from date '%s'", from);
    if (to && mh_search_date_bound(to, 1, t) != MH_OK)
        return mh_db_fail(db, MH_ERANGE, "bad --to date '%s'", to);
    if (limit == 0)
        limit = 20;
    /* Growth: articles in the range minus articles in an equally long
     * period just before it (when the range has both ends). */
    if (*f && *t) {
        int32_t df = mh_day_from_date(f, 10), dt = mh_day_from_date(t, 10);
        if (df != MH_DAY_UNKNOWN && dt != MH_DAY_UNKNOWN && dt >= df) {
            day_str(df - (dt - df + 1), pf);
            day_str(df - 1, pt);
        }
    }
    sqlite3_stmt *q = mh_store_sqlite_stmt(s,
        "SELECT sa.story,"
        " count(DISTINCT coalesce(a.outlet_key, a.outlet)) AS outlets,"
        " count(*) AS n,"
        " count(*) - coalesce((SELECT count(*) FROM story_article p JOIN articles b"
        "   ON b.id = p.article WHERE p.story = sa.story AND ?3 <> '' AND b.date >= ?3"
        "   AND b.date <= ?4 || 'z'), 0) AS growth"
        " FROM story_article sa JOIN articles a ON a.id = sa.article"
        " WHERE (?1 = '' OR a.date >= ?1) AND (?2 = '' OR a.date <= ?2 || 'z')"
        " GROUP BY sa.story ORDER BY outlets DESC, growth DESC, n DESC, sa.story LIMIT ?5");
    if (!q)
        return db_err(db, sq);
    sqlite3_bind_text(q, 1, f, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, t, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 3, pf, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 4, pt, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 5, (sqlite3_int64)limit);
    /* Collect first: story_fields uses other statements. */
    typedef struct row { int64_t id, outlets, n, growth; } row;
    row *rows = NULL;
    size_t nr = 0, cap = 0;
    int rc;
    mh_err e = MH_OK;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (nr == cap && mh_grow(&rows, &cap, nr + 1, sizeof *rows, 32)) {
            e = MH_ENOMEM;
            break;
        }
        rows[nr++] = (row){sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1),
                           sqlite3_column_int64(q, 2), sqlite3_column_int64(q, 3)};
    }
    if (!e && rc != SQLITE_DONE)
        e = db_err(db, sq);
    sqlite3_reset(q);
    if (e) {
        mh_free(rows);
        return e;
    }
    cJSON *root = cJSON_CreateArray();
    int ok = root != NULL;
    for (size_t i = 0; ok && i < nr; i++) {
        cJSON *o = cJSON_CreateObject();
        ok &= cJSON_AddItemToArray(root, o);
        ok &= o && story_fields(s, o, rows[i].id) == 1;
        ok &= o && add_num(o, "articles_in_range", (double)rows[i].n);
        ok &= o && add_num(o, "outlets_in_range", (double)rows[i].outlets);
        ok &= o && add_num(o, "growth", (double)rows[i].growth);
    }
    mh_free(rows);
    return json_out(root, ok, out, len);
}

mh_err mh_db_story_json(mh_db *db, int64_t id, char **out, size_t *len)
{
    mh_store *s;
    sqlite3 *sq;
    if (!out || !(sq = query_handle(db, &s)))
        return MH_EINVAL;
    *out = NULL;
    cJSON *root = cJSON_CreateObject();
    int ok = root != NULL;
    int f = ok ? story_fields(s, root, id) : 0;
    if (f < 0) {
        cJSON_Delete(root);
        return mh_db_fail(db, MH_ENOTFOUND, "no story %lld", (long long)id);
    }
    ok &= f == 1;
    sqlite3_stmt *q = mh_store_sqlite_stmt(s,
        "SELECT a.id, a.date, a.outlet, a.title, d.grp FROM story_article sa"
        " JOIN articles a ON a.id = sa.article LEFT JOIN dedup d ON d.article = a.id"
        " WHERE sa.story = ?1 ORDER BY a.date IS NULL, a.date, a.id");
    if (!q) {
        cJSON_Delete(root);
        return db_err(db, sq);
    }
    sqlite3_bind_int64(q, 1, id);
    cJSON *arts = cJSON_CreateArray();
    ok &= mh_json_add(root, "members", arts);
    while (ok && sqlite3_step(q) == SQLITE_ROW) {
        cJSON *x = cJSON_CreateObject();
        int64_t aid = sqlite3_column_int64(q, 0), grp = sqlite3_column_int64(q, 4);
        ok &= cJSON_AddItemToArray(arts, x);
        ok &= x && add_num(x, "id", (double)aid);
        ok &= x && add_str(x, "date", sqlite3_column_text(q, 1));
        ok &= x && add_str(x, "outlet", sqlite3_column_text(q, 2));
        ok &= x && add_str(x, "title", sqlite3_column_text(q, 3));
        ok &= mh_json_add(x, "dup_of", grp && grp != aid
                                         ? cJSON_CreateNumber((double)grp) : cJSON_CreateNull());
    }
    sqlite3_reset(q);
    return json_out(root, ok, out, len);
}

/* ---- related ---- */

typedef struct rel { int64_t id; double score; } rel;

static int cmp_rel(const void *x, const void *y)
{
    const rel *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

static int cmp_feat_hash(const void *x, const void *y)
{
    const st_feat *a = x, *b = y;
    return (a->h > b->h) - (a->h < b->h);
}

/* The vector of an article, sorted by hash; 0 features when none. */
static size_t load_vec(mh_store *s, int64_t id, st_feat *v, int64_t *grp)
{
    sqlite3_stmt *q = mh_store_sqlite_stmt(s,
        "SELECT sa.vec, (SELECT grp FROM dedup WHERE article = ?1) FROM story_article sa"
        " WHERE sa.article = ?1");
    size_t n = 0;
    if (grp)
        *grp = 0;
    if (!q)
        return 0;
    sqlite3_bind_int64(q, 1, id);
    if (sqlite3_step(q) == SQLITE_ROW) {
        n = st_feats_decode(sqlite3_column_blob(q, 0), (size_t)sqlite3_column_bytes(q, 0),
                            v, ST_VEC_MAX);
        if (grp)
            *grp = sqlite3_column_int64(q, 1);
    }
    sqlite3_reset(q);
    qsort(v, n, sizeof *v, cmp_feat_hash);
    return n;
}

mh_err mh_db_related_json(mh_db *db, int64_t article, size_t limit, char **out, size_t *len)
{
    mh_store *s;
    sqlite3 *sq;
    mh_err e = MH_OK;
    if (!out || !(sq = query_handle(db, &s)))
        return MH_EINVAL;
    *out = NULL;
    if (limit == 0)
        limit = 10;
    if (limit > 1000)
        return mh_db_fail(db, MH_ERANGE, "--limit is at most 1000");
    st_feat v[ST_VEC_MAX];
    int64_t grp;
    mh_article *a = NULL;
    if ((e = mh_db_get_article(db, article, &a)) != MH_OK)
        return e == MH_ENOTFOUND ? mh_db_fail(db, e, "no article %lld", (long long)article) : e;
    mh_article_free(a);
    size_t nv = load_vec(s, article, v, &grp);

    /* Candidates: a full-text search for the article's heaviest words (any
     * of them), plus the other members of its story. */
    int64_t *cand = NULL;
    size_t nc = 0, capc = 0;
    sqlite3_stmt *q = mh_store_sqlite_stmt(s,
        "SELECT words, story FROM story_article WHERE article = ?1");
    char *words = NULL;
    int64_t story = 0;
    if (!q)
        return db_err(db, sq);
    sqlite3_bind_int64(q, 1, article);
    if (sqlite3_step(q) == SQLITE_ROW) {
        const char *w = (const char *)sqlite3_column_text(q, 0);
        words = w ? mh_strdup(w) : NULL;
        if (w && !words)
            e = MH_ENOMEM;
        story = sqlite3_column_int64(q, 1);
    }
    sqlite3_reset(q);
    if (!e && words && *words) {
        mh_buf b;
        mh_buf_init(&b, 0);
        for (const char *p = words; *p;) {
            const char *sp = strchr(p, ' ');
            size_t l = sp ? (size_t)(sp - p) : strlen(p);
            if (b.len)
                mh_buf_adds(&b, " OR ");
            mh_buf_addc(&b, '"');
            for (size_t i = 0; i < l; i++)
                if (p[i] != '"')
                    mh_buf_addc(&b, p[i]);
            mh_buf_addc(&b, '"');
            p += l + (sp != NULL);
        }
        mh_search_opts so = {0};
        so.query = mh_buf_cstr(&b);
        so.limit = 200;
        mh_hit *hits = NULL;
        size_t nh = 0;
        mh_err se = b.err ? b.err : so.query ? mh_db_search(db, &so, &hits, &nh) : MH_ENOMEM;
        /* Out of memory is an error, not fewer candidates; a query the
         * index refuses only leaves the story's members. */
        if (se == MH_ENOMEM)
            e = se;
        if (se == MH_OK) {
            for (size_t i = 0; i < nh; i++) {
                if (nc == capc && mh_grow(&cand, &capc, nc + 1, sizeof *cand, 256)) {
                    e = MH_ENOMEM;
                    break;
                }
                cand[nc++] = hits[i].id;
            }
            mh_hits_free(hits, nh);
        }
        mh_buf_free(&b);
    }
    mh_free(words);
    if (!e && story) {
        q = mh_store_sqlite_stmt(s,
            "SELECT article FROM story_article WHERE story = ?1 ORDER BY article LIMIT 500");
        if (!q) {
            e = db_err(db, sq);
        } else {
            sqlite3_bind_int64(q, 1, story);
            while (!e && sqlite3_step(q) == SQLITE_ROW) {
                if (nc == capc && mh_grow(&cand, &capc, nc + 1, sizeof *cand, 256)) {
                    e = MH_ENOMEM;
                    break;
                }
                cand[nc++] = sqlite3_column_int64(q, 0);
            }
            sqlite3_reset(q);
        }
    }
    rel *r = e ? NULL : mh_malloc((nc ? nc : 1) * sizeof *r);
    size_t nr = 0;
    if (!e && !r)
        e = MH_ENOMEM;
    for (size_t i = 0; !e && i < nc; i++) {
        int dupe = cand[i] == article;
        for (size_t j = 0; j < nr && !dupe; j++)
            dupe = r[j].id == cand[i];
        if (dupe)
            continue;
        st_feat w[ST_VEC_MAX];
        int64_t g;
        size_t nw = load_vec(s, cand[i], w, &g);
        if (grp && g == grp)
            continue;             /* a copy, not a related article */
        double c = st_cosine(v, nv, w, nw);
        if (c <= 0.05)
            continue;
        r[nr++] = (rel){cand[i], c};
    }
    mh_free(cand);
    if (e) {
        mh_free(r);
        return e;
    }
    qsort(r, nr, sizeof *r, cmp_rel);
    cJSON *root = cJSON_CreateArray();
    int ok = root != NULL;
    sqlite3_stmt *info = mh_store_sqlite_stmt(s,
        "SELECT a.date, a.outlet, a.title, sa.story FROM articles a"
        " LEFT JOIN story_article sa ON sa.article = a.id WHERE a.id = ?1");
    ok &= info != NULL;
    for (size_t i = 0; ok && i < nr && i < limit; i++) {
        cJSON *x = cJSON_CreateObject();
        ok &= cJSON_AddItemToArray(root, x);
        ok &= x && add_num(x, "id", (double)r[i].id);
        ok &= x && add_num(x, "score", floor(r[i].score * 1000 + 0.5) / 1000);
        sqlite3_bind_int64(info, 1, r[i].id);
        if (ok && sqlite3_step(info) == SQLITE_ROW) {
            ok &= add_str(x, "date", sqlite3_column_text(info, 0));
            ok &= add_str(x, "outlet", sqlite3_column_text(info, 1));
            ok &= add_str(x, "title", sqlite3_column_text(info, 2));
            ok &= add_num(x, "story", (double)sqlite3_column_int64(info, 3));
        }
        sqlite3_reset(info);
    }
    mh_free(r);
    return json_out(root, ok, out, len);
}
