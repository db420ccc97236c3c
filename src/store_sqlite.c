/*
 * store_sqlite.c -- the SQLite backend of the storage interface (store.h).
 *
 * One database file in WAL mode (readers never block the writer, so the
 * server can search while `muhabir ingest` runs), synchronous=NORMAL
 * (a crash can lose the last commits but never corrupts, and nothing is
 * reported stored before its COMMIT returns), prepared statements only,
 * kept in a small cache keyed by the SQL string's address.
 *
 * Schema (version in PRAGMA user_version, steps in migrations[] below):
 *  - articles: one row per distinct content hash, with the extracted
 *    fields; `removed` is a JSON array of lines, `sentences` a blob of
 *    little-endian uint32 pairs; `outlet_key` is the ASCII-folded Turkish
 *    lowercase outlet so filters ignore case and diacritics via an index.
 *  - records: 64-bit hash of each raw record (text plus structured hints)
 *    -> article.  Re-ingesting the same record is answered here without
 *    extracting again, and it keeps re-ingest idempotent even after
 *    boilerplate learning has changed what the extractor would produce.
 *  - tpl_outlets / tpl_lines: boilerplate learning counts (db.c).
 *  - meta: key/value; "tokenizer" holds the analyser fingerprint the
 *    index was built with (see tokenizer_check).
 *  - fts: FTS5 over title, lead, body with the muhabir tokenizer (fts.c),
 *    as an EXTERNAL CONTENT table on articles.  Why external content: the
 *    text is already in articles for export/show, so a normal FTS5 table
 *    would store it twice; contentless would lose snippet()/highlight().
 *    The cost is that we must keep both in step, which the pipeline does
 *    in the same transaction (article_put, then article_index; nothing
 *    ever updates or deletes articles).
 *    Ranking is bm25 with weights title 10, lead 4, body 1, stored as the
 *    table's `rank` so ORDER BY rank lets FTS5 sort internally.
 *
 * Limits: one connection per handle, one thread per handle.
 */
#include "store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------ */
/* Schema                                                              */
/* ------------------------------------------------------------------ */

static const char schema_v1[] =
    "CREATE TABLE articles("
    " id INTEGER PRIMARY KEY,"
    " hash TEXT NOT NULL UNIQUE,"
    " path TEXT, abspath TEXT, record INTEGER NOT NULL DEFAULT 0,"
    " url TEXT, outlet TEXT, outlet_key TEXT, source TEXT, title TEXT,"
    " date TEXT, category TEXT, lead TEXT, body TEXT NOT NULL,"
    " removed TEXT NOT NULL DEFAULT '[]',"
    " sentences BLOB,"
    " added INTEGER NOT NULL);"
    "CREATE INDEX articles_path ON articles(path, record);"
    "CREATE INDEX articles_abspath ON articles(abspath, record);"
    "CREATE INDEX articles_date ON articles(date);"
    "CREATE INDEX articles_outlet ON articles(outlet_key, date);"
    "CREATE TABLE records(h INTEGER PRIMARY KEY, article INTEGER NOT NULL);"
    "CREATE TABLE tpl_outlets(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " pages INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE tpl_lines(outlet INTEGER NOT NULL, h INTEGER NOT NULL,"
    " pages INTEGER NOT NULL, PRIMARY KEY(outlet, h)) WITHOUT ROWID;"
    "CREATE VIRTUAL TABLE fts USING fts5(title, lead, body,"
    " content='articles', content_rowid='id', tokenize='muhabir');"
    "INSERT INTO fts(fts, rank) VALUES('rank', 'bm25(10.0, 4.0, 1.0)');"
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;";

/*
 * FTS5 writes its pending terms out as a new segment whenever they pass
 * 'hashsize' bytes (1 MiB by default), several times per batch of 500
 * articles; each small segment is merged again later.  With 64 MiB the
 * pending terms are written once, at COMMIT: ingest spent half as long
 * in the index (bench/README.md).
 */
static const char schema_v4[] =
    "INSERT INTO fts(fts, rank) VALUES('hashsize', 67108864);";

/*
 * The migrations, in order.  To add tables for a new stage, append one
 * line with the next version number; never edit a step that has shipped.
 */
static const mh_migration migrations[] = {
    {1, "articles, records, boilerplate counts, full-text index", schema_v1, NULL},
    {2, "copy groups and stories", mh_story_schema_sql, NULL},
    {3, "entities and quotes", mh_quote_schema_sql, NULL},
    {4, "full-text index flushed once per batch", schema_v4, NULL},
};

int mh_store_sqlite_schema_version(void)
{
    return migrations[MH_ARRAY_LEN(migrations) - 1].version;
}

/* ------------------------------------------------------------------ */
/* The handle                                                          */
/* ------------------------------------------------------------------ */

#define STMT_CACHE 64

typedef struct sq_store {
    mh_store base;
    sqlite3 *db;
    unsigned flags;
    struct { const char *sql; sqlite3_stmt *st; } cache[STMT_CACHE];
    size_t n_cache;
    mh_fts_hint hint;
    uint64_t gen;              /* bumped when rows may have been undone */
    /* Rows whose INSERT waits for COMMIT (mh_store_sqlite_defer), and
     * how many there were when each open savepoint began.  The texts of
     * increments (mh_store_sqlite_defer_add) live in dr_text until the
     * transaction ends. */
    struct deferred_row *dr;
    size_t n_dr, cap_dr;
    size_t dr_mark[4];
    int n_dr_mark;
    mh_arena dr_text;
    /* Multi-row forms of deferred INSERTs, built once per statement. */
    struct { const char *sql; sqlite3_stmt *st; } multi[4];
    int n_multi;
    void *slot[MH_SQ_SLOTS];
    void (*slot_free[MH_SQ_SLOTS])(void *);
    struct sq_ckpt *ckpt;      /* a checkpoint running beside the writer */
    char *file;                /* the database file, NULL in memory */
    char err[512];
} sq_store;

static const mh_store_ops sqlite_ops;

static sq_store *SQ(mh_store *s) { return (sq_store *)s; }

/* A deferred row: three integers (t NULL), or an increment of the row
 * (a, t) by c with the date d (mh_store_sqlite_defer_add). */
typedef struct deferred_row {
    const char *sql;
    int64_t a, b, c;
    const char *t, *d;
    size_t tn;
} deferred_row;

/* Keep SQLite's message for the last failure; returns e. */
static mh_err sq_fail(sq_store *q, mh_err e, const char *what)
{
    snprintf(q->err, sizeof q->err, "%s: %s", what,
             q->db ? sqlite3_errmsg(q->db) : "no connection");
    return e == MH_EDB && q->db ? mh_sqlite_err(q->db) : e;
}

sqlite3 *mh_store_sqlite_handle(mh_store *s)
{
    if (!s || s->ops != &sqlite_ops)
        return NULL;
    return SQ(s)->db;
}

sqlite3_stmt *mh_store_sqlite_stmt(mh_store *s, const char *sql)
{
    if (!s || s->ops != &sqlite_ops)
        return NULL;
    sq_store *q = SQ(s);
    for (size_t i = 0; i < q->n_cache; i++) {
        if (q->cache[i].sql == sql) {
            sqlite3_stmt *st = q->cache[i].st;
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return st;
        }
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        sq_fail(q, MH_EDB, "prepare");
        return NULL;
    }
    if (q->n_cache == STMT_CACHE) {
        /* A full cache means a caller builds SQL dynamically, which the
         * contract forbids; keep working by evicting the oldest. */
        sqlite3_finalize(q->cache[0].st);
        memmove(q->cache, q->cache + 1, (STMT_CACHE - 1) * sizeof q->cache[0]);
        q->n_cache--;
    }
    q->cache[q->n_cache].sql = sql;
    q->cache[q->n_cache].st = st;
    q->n_cache++;
    return st;
}

static sqlite3_stmt *stmt(sq_store *q, const char *sql)
{
    return mh_store_sqlite_stmt(&q->base, sql);
}

/* Step a statement that returns no rows (or whose rows we ignore). */
static mh_err run(sq_store *q, sqlite3_stmt *st, const char *what)
{
    int rc;
    if (!st)
        return MH_EDB;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sq_fail(q, MH_EDB, what);
    return MH_OK;
}

/* Bind a possibly NULL string without copying (the statement is run and
 * reset before the caller's strings go away). */
static void bind_str(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void sq_close(mh_store *s)
{
    if (!s)
        return;
    sq_store *q = SQ(s);
    mh_store_sqlite_checkpoint_wait(s);
    for (size_t i = 0; i < q->n_cache; i++)
        sqlite3_finalize(q->cache[i].st);
    for (int i = 0; i < q->n_multi; i++)
        sqlite3_finalize(q->multi[i].st);
    mh_arena_free(&q->dr_text);
    for (int i = 0; i < MH_SQ_SLOTS; i++)
        if (q->slot[i] && q->slot_free[i])
            q->slot_free[i](q->slot[i]);
    mh_free(q->dr);
    mh_free(q->file);
    if (q->db) {
        if (!(q->flags & MH_DB_READONLY))
            sqlite3_exec(q->db, "PRAGMA optimize", NULL, NULL, NULL);
        sqlite3_close_v2(q->db);
    }
    mh_free(q);
}

static const char *sq_errmsg(mh_store *s) { return SQ(s)->err; }

/* ------------------------------------------------------------------ */
/* A checkpoint beside the writer                                      */
/* ------------------------------------------------------------------ */

/*
 * Closing the database copies the whole log back into the file (0.2 s
 * for the 100 MB of a 10k-page ingest) while nothing else runs.  When an
 * ingest reaches its end, its last batch and last commit still keep one
 * core busy and leave the other idle; a PASSIVE checkpoint on a second
 * connection, on a thread of its own, copies what is committed by then
 * on that idle core, and the close copies only the rest.  PASSIVE never
 * waits for the writer nor makes it wait.
 */
typedef struct sq_ckpt {
    sqlite3 *db;
    pthread_t th;
} sq_ckpt;

static void *ckpt_main(void *arg)
{
    sq_ckpt *c = arg;
    /* Busy or short of memory: the close does it, as without this. */
    (void)sqlite3_wal_checkpoint_v2(c->db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return NULL;
}

void mh_store_sqlite_checkpoint_start(mh_store *s)
{
    if (!s || s->ops != &sqlite_ops)
        return;
    sq_store *q = SQ(s);
    /* The file name was read at open: the writer's connection may be in
     * use on the store thread now. */
    if (q->ckpt || (q->flags & MH_DB_READONLY) || !q->file)
        return;
    sq_ckpt *c = mh_malloc(sizeof *c);
    if (!c)
        return;
    memset(c, 0, sizeof *c);
    if (sqlite3_open_v2(q->file, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(c->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL) != SQLITE_OK ||
        pthread_create(&c->th, NULL, ckpt_main, c) != 0) {
        sqlite3_close_v2(c->db);
        mh_free(c);
        return;
    }
    q->ckpt = c;
}

void mh_store_sqlite_checkpoint_wait(mh_store *s)
{
    if (!s || s->ops != &sqlite_ops || !SQ(s)->ckpt)
        return;
    sq_store *q = SQ(s);
    pthread_join(q->ckpt->th, NULL);
    sqlite3_close_v2(q->ckpt->db);
    mh_free(q->ckpt);
    q->ckpt = NULL;
}

uint64_t mh_store_sqlite_generation(mh_store *s)
{
    return s && s->ops == &sqlite_ops ? SQ(s)->gen : 0;
}

void *mh_store_sqlite_slot(mh_store *s, int slot)
{
    if (!s || s->ops != &sqlite_ops || slot < 0 || slot >= MH_SQ_SLOTS)
        return NULL;
    return SQ(s)->slot[slot];
}

void mh_store_sqlite_set_slot(mh_store *s, int slot, void *p, void (*destroy)(void *))
{
    if (!s || s->ops != &sqlite_ops || slot < 0 || slot >= MH_SQ_SLOTS)
        return;
    sq_store *q = SQ(s);
    if (q->slot[slot] && q->slot_free[slot] && q->slot[slot] != p)
        q->slot_free[slot](q->slot[slot]);
    q->slot[slot] = p;
    q->slot_free[slot] = destroy;
}

/* Any rollback of a transaction, ours or SQLite's own: the deferred
 * rows go with it. */
static void dr_clear(sq_store *q)
{
    q->n_dr = 0;
    q->n_dr_mark = 0;
    mh_arena_free(&q->dr_text);
    mh_arena_init(&q->dr_text, 0);
}

static void on_rollback(void *ctx)
{
    sq_store *q = ctx;
    q->gen++;
    dr_clear(q);
}

static deferred_row *dr_push(sq_store *q)
{
    if (q->n_dr == q->cap_dr && mh_grow(&q->dr, &q->cap_dr, q->n_dr + 1, sizeof *q->dr, 4096))
        return NULL;
    return &q->dr[q->n_dr++];
}

mh_err mh_store_sqlite_defer(mh_store *s, const char *sql, int64_t a, int64_t b, int64_t c)
{
    if (!s || s->ops != &sqlite_ops)
        return MH_EINVAL;
    deferred_row *r = dr_push(SQ(s));
    if (!r)
        return MH_ENOMEM;
    *r = (deferred_row){ sql, a, b, c, NULL, NULL, 0 };
    return MH_OK;
}

mh_err mh_store_sqlite_defer_add(mh_store *s, const char *sql, int64_t a, const char *t,
                                 size_t tn, int64_t c, const char *date)
{
    if (!s || s->ops != &sqlite_ops || !t)
        return MH_EINVAL;
    sq_store *q = SQ(s);
    /* An empty text still needs a non-NULL pointer: NULL marks rows. */
    char *tc = mh_arena_strndup(&q->dr_text, t, tn);
    char *dc = date ? mh_arena_strndup(&q->dr_text, date, strlen(date)) : NULL;
    deferred_row *r = tc && (dc || !date) ? dr_push(q) : NULL;
    if (!r)
        return MH_ENOMEM;
    *r = (deferred_row){ sql, a, 0, c, tc, dc, tn };
    return MH_OK;
}

static int cmp_text(const char *x, size_t xn, const char *y, size_t yn)
{
    int c = memcmp(x, y, xn < yn ? xn : yn);
    if (c)
        return c;
    return xn < yn ? -1 : xn > yn;
}

static int cmp_deferred(const void *pa, const void *pb)
{
    const deferred_row *x = pa, *y = pb;
    if (x->sql != y->sql)
        return (uintptr_t)x->sql < (uintptr_t)y->sql ? -1 : 1;
    if (x->a != y->a)
        return x->a < y->a ? -1 : 1;
    if (x->t || y->t)
        return !x->t ? -1 : !y->t ? 1 : cmp_text(x->t, x->tn, y->t, y->tn);
    if (x->b != y->b)
        return x->b < y->b ? -1 : 1;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Opening and migrations                                              */
/* ------------------------------------------------------------------ */

static int user_version(sqlite3 *db, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static mh_err migrate(sq_store *q)
{
    int v = 0;
    char sql[64];
    if (sqlite3_exec(q->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return sq_fail(q, MH_EDB, "begin migration");
    if (user_version(q->db, &v) != SQLITE_OK) {
        sq_fail(q, MH_EDB, "read schema version");
        goto fail;
    }
    if (v > mh_store_sqlite_schema_version()) {
        snprintf(q->err, sizeof q->err,
                 "database schema version %d is newer than this muhabir (%d)",
                 v, mh_store_sqlite_schema_version());
        goto fail;
    }
    for (size_t i = 0; i < MH_ARRAY_LEN(migrations); i++) {
        const mh_migration *m = &migrations[i];
        if (m->version <= v)
            continue;
        if (m->sql && sqlite3_exec(q->db, m->sql, NULL, NULL, NULL) != SQLITE_OK) {
            char what[96];
            snprintf(what, sizeof what, "migration %d (%s)", m->version, m->name);
            sq_fail(q, MH_EDB, what);
            goto fail;
        }
        if (m->fn && m->fn(q->db) != SQLITE_OK) {
            char what[96];
            snprintf(what, sizeof what, "migration %d (%s)", m->version, m->name);
            sq_fail(q, MH_EDB, what);
            goto fail;
        }
        snprintf(sql, sizeof sql, "PRAGMA user_version=%d", m->version);
        if (sqlite3_exec(q->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
            sq_fail(q, MH_EDB, "set schema version");
            goto fail;
        }
    }
    if (sqlite3_exec(q->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        sq_fail(q, MH_EDB, "commit migration");
        goto fail;
    }
    return MH_OK;
fail:
    sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
    return MH_EDB;
}

/*
 * When the analyser changed since the index was built (a new stemmer
 * rule, say), documents and queries would no longer be analysed alike:
 * rebuild the index from the articles, once, at the next read-write open.
 */
static mh_err tokenizer_check(sq_store *q)
{
    uint64_t fp = mh_fts_fingerprint();
    sqlite3_stmt *st = NULL;
    int same = 0, rc;
    if (!fp)
        return MH_OK;   /* cannot tell; leave the index alone */
    if (sqlite3_prepare_v2(q->db, "SELECT value FROM meta WHERE key = 'tokenizer'", -1, &st,
                           NULL) != SQLITE_OK)
        return sq_fail(q, MH_EDB, "read tokenizer fingerprint");
    if (sqlite3_step(st) == SQLITE_ROW)
        same = (uint64_t)sqlite3_column_int64(st, 0) == fp;
    sqlite3_finalize(st);
    if (same)
        return MH_OK;
    if (sqlite3_exec(q->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return sq_fail(q, MH_EDB, "begin index rebuild");
    rc = sqlite3_exec(q->db,
                      "INSERT INTO fts(fts) SELECT 'rebuild' WHERE EXISTS (SELECT 1 FROM articles)",
                      NULL, NULL, NULL);
    if (rc == SQLITE_OK &&
        sqlite3_prepare_v2(q->db, "INSERT OR REPLACE INTO meta(key, value) VALUES('tokenizer', ?1)",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, (sqlite3_int64)fp);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_finalize(st);
    } else if (rc == SQLITE_OK) {
        rc = SQLITE_ERROR;
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(q->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        sq_fail(q, MH_EDB, "index rebuild");
        sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
        return MH_EDB;
    }
    return MH_OK;
}

/*
 * Unless told otherwise, SQLite keeps memory statistics behind a global
 * mutex that every one of its allocations takes; muhabir never reads
 * them, and without them SQLite's allocations cost half as many
 * instructions (2.3% of an ingest's, measured with callgrind).  The
 * setting must come before SQLite initialises: when the host program
 * has already initialised it, the call fails harmlessly and the
 * statistics stay on.
 */
static pthread_once_t g_sqlite_once = PTHREAD_ONCE_INIT;

static void sqlite_once(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

mh_err mh_store_sqlite_open(const char *path, unsigned flags, mh_store **out,
                            char *err, size_t errlen)
{
    mh_err e = MH_OK;
    sq_store *q = NULL;
    *out = NULL;
    if (!path || !*path) {
        snprintf(err, errlen, "no database path");
        return MH_EINVAL;
    }
    q = mh_malloc(sizeof *q);
    if (!q) {
        snprintf(err, errlen, "out of memory");
        return MH_ENOMEM;
    }
    memset(q, 0, sizeof *q);
    q->base.ops = &sqlite_ops;
    mh_arena_init(&q->dr_text, 0);
    pthread_once(&g_sqlite_once, sqlite_once);
    q->flags = flags;

    int oflags = (flags & MH_DB_READONLY) ? SQLITE_OPEN_READONLY
                                          : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &q->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        e = sq_fail(q, MH_EDB, path);
        goto out;
    }
    sqlite3_extended_result_codes(q->db, 0);
    {
        const char *f = sqlite3_db_filename(q->db, "main");
        if (f && *f && !(q->file = mh_strdup(f))) {
            snprintf(q->err, sizeof q->err, "out of memory");
            e = MH_ENOMEM;
            goto out;
        }
    }
    sqlite3_rollback_hook(q->db, on_rollback, q);
    /* A writer holds the lock only for one batch; waiting beats failing. */
    sqlite3_busy_timeout(q->db, 10000);
    if (mh_fts_register(q->db, &q->hint) != SQLITE_OK) {
        e = sq_fail(q, MH_EDB, "register tokenizer");
        goto out;
    }
    if (!(flags & MH_DB_READONLY)) {
        if (sqlite3_exec(q->db,
                         "PRAGMA journal_mode=WAL;"
                         "PRAGMA synchronous=NORMAL;"
                         /* Checkpoint every 256 MiB of log, not 4: batches
                          * rewrite the same index pages, and each
                          * checkpoint copies them back and syncs.  (64 MiB
                          * was 21% slower at 100k pages, bench/README.md.) */
                         "PRAGMA wal_autocheckpoint=65536;",
                         NULL, NULL, NULL) != SQLITE_OK) {
            e = sq_fail(q, MH_EDB, path);
            goto out;
        }
    }
    sqlite3_exec(q->db,
                 "PRAGMA cache_size=-32768;"
                 "PRAGMA temp_store=MEMORY;"
                 "PRAGMA mmap_size=268435456;",
                 NULL, NULL, NULL);
    if (flags & MH_DB_READONLY) {
        int v = 0;
        if (user_version(q->db, &v) != SQLITE_OK) {
            e = sq_fail(q, MH_EDB, path);
            goto out;
        }
        if (v == 0) {
            snprintf(q->err, sizeof q->err, "%s: not a muhabir database (no schema)", path);
            e = MH_EDB;
            goto out;
        }
        if (v != mh_store_sqlite_schema_version()) {
            snprintf(q->err, sizeof q->err,
                     "%s: schema version %d, this muhabir needs %d%s", path, v,
                     mh_store_sqlite_schema_version(),
                     v < mh_store_sqlite_schema_version()
                         ? " (open it read-write once to upgrade)" : "");
            e = MH_EDB;
            goto out;
        }
    } else if ((e = migrate(q)) != MH_OK || (e = tokenizer_check(q)) != MH_OK) {
        goto out;
    }
out:
    if (e != MH_OK) {
        snprintf(err, errlen, "%s", q->err);
        sq_close(&q->base);
        return e;
    }
    *out = &q->base;
    return MH_OK;
}

/* ------------------------------------------------------------------ */
/* Transactions                                                        */
/* ------------------------------------------------------------------ */

static mh_err exec_cached(sq_store *q, const char *sql)
{
    return run(q, stmt(q, sql), sql);
}

static mh_err sq_begin(mh_store *s)
{
    sq_store *q = SQ(s);
    dr_clear(q);
    return exec_cached(q, "BEGIN IMMEDIATE");
}

/*
 * Rows per multi-row INSERT of deferred rows.  One statement per row
 * cost about 9,500 instructions a row of entity_article; 32 rows per
 * statement cost 6,500 (a micro-benchmark under callgrind).
 */
#define MULTI_ROWS 32

/*
 * The multi-row form of a deferred INSERT "INSERT INTO t(x, y, z)
 * VALUES(?1, ?2, ?3)": MULTI_ROWS triples, and OR IGNORE, which changes
 * nothing for rows that cannot conflict (mh_store_sqlite_defer) but
 * spares the statement journal that a multi-row INSERT able to fail
 * half-way would need (and with it an early flush of the full-text
 * index's pending terms).  NULL for SQL of another form: its rows go
 * one at a time.
 */
static sqlite3_stmt *multi_stmt(sq_store *q, const char *sql)
{
    for (int i = 0; i < q->n_multi; i++)
        if (q->multi[i].sql == sql)
            return q->multi[i].st;
    static const char head[] = "INSERT INTO ", tail[] = "VALUES(?1, ?2, ?3)";
    size_t n = strlen(sql), nt = sizeof tail - 1;
    if (q->n_multi == (int)MH_ARRAY_LEN(q->multi) || strncmp(sql, head, sizeof head - 1) != 0 ||
        n < nt || strcmp(sql + n - nt, tail) != 0)
        return NULL;
    mh_buf b;
    mh_buf_init(&b, 0);
    mh_buf_adds(&b, "INSERT OR IGNORE INTO ");
    mh_buf_add(&b, sql + sizeof head - 1, n - nt - (sizeof head - 1));
    mh_buf_adds(&b, "VALUES");
    for (int k = 0; k < MULTI_ROWS; k++)
        mh_buf_printf(&b, "%s(?%d, ?%d, ?%d)", k ? ", " : "", 3 * k + 1, 3 * k + 2, 3 * k + 3);
    sqlite3_stmt *st = NULL;
    if (b.err || sqlite3_prepare_v3(q->db, mh_buf_cstr(&b), -1, SQLITE_PREPARE_PERSISTENT, &st,
                                    NULL) != SQLITE_OK)
        st = NULL;
    mh_buf_free(&b);
    if (st) {
        q->multi[q->n_multi].sql = sql;
        q->multi[q->n_multi].st = st;
        q->n_multi++;
    }
    return st;
}

/* Rows v[0..n) of one SQL: MULTI_ROWS at a time, the rest one by one. */
static mh_err put_rows(sq_store *q, const deferred_row *v, size_t n)
{
    size_t i = 0;
    sqlite3_stmt *m = n >= MULTI_ROWS ? multi_stmt(q, v[0].sql) : NULL;
    for (; m && i + MULTI_ROWS <= n; i += MULTI_ROWS) {
        for (int k = 0; k < MULTI_ROWS; k++) {
            sqlite3_bind_int64(m, 3 * k + 1, v[i + k].a);
            sqlite3_bind_int64(m, 3 * k + 2, v[i + k].b);
            sqlite3_bind_int64(m, 3 * k + 3, v[i + k].c);
        }
        mh_err e = run(q, m, "deferred rows");
        if (e)
            return e;
    }
    for (; i < n; i++) {
        sqlite3_stmt *st = stmt(q, v[i].sql);
        if (!st)
            return MH_EDB;
        sqlite3_bind_int64(st, 1, v[i].a);
        sqlite3_bind_int64(st, 2, v[i].b);
        sqlite3_bind_int64(st, 3, v[i].c);
        mh_err e = run(q, st, "deferred row");
        if (e)
            return e;
    }
    return MH_OK;
}

/* The increments v[0..n) of one row, merged into one statement: ?3 the
 * sum, ?4 and ?5 the least and greatest date (NULL when none). */
static mh_err put_increment(sq_store *q, const deferred_row *v, size_t n)
{
    sqlite3_stmt *st = stmt(q, v[0].sql);
    if (!st)
        return MH_EDB;
    int64_t sum = 0;
    const char *lo = NULL, *hi = NULL;
    for (size_t i = 0; i < n; i++) {
        sum += v[i].c;
        if (v[i].d && (!lo || strcmp(v[i].d, lo) < 0))
            lo = v[i].d;
        if (v[i].d && (!hi || strcmp(v[i].d, hi) > 0))
            hi = v[i].d;
    }
    sqlite3_bind_int64(st, 1, v[0].a);
    sqlite3_bind_text(st, 2, v[0].t, (int)v[0].tn, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, sum);
    if (sqlite3_bind_parameter_count(st) >= 5) {
        bind_str(st, 4, lo);
        bind_str(st, 5, hi);
    }
    return run(q, st, "deferred increment");
}

/* The deferred rows go in sorted by key, so consecutive inserts land on
 * the same B-tree pages, then the transaction commits. */
static mh_err sq_commit(mh_store *s)
{
    sq_store *q = SQ(s);
    if (q->n_dr > 1)
        qsort(q->dr, q->n_dr, sizeof *q->dr, cmp_deferred);
    for (size_t i = 0, j; i < q->n_dr; i = j) {
        const deferred_row *r = &q->dr[i];
        mh_err e;
        j = i + 1;
        if (r->t) {
            while (j < q->n_dr && q->dr[j].sql == r->sql && q->dr[j].a == r->a &&
                   cmp_text(q->dr[j].t, q->dr[j].tn, r->t, r->tn) == 0)
                j++;
            e = put_increment(q, r, j - i);
        } else {
            while (j < q->n_dr && q->dr[j].sql == r->sql && !q->dr[j].t)
                j++;
            e = put_rows(q, r, j - i);
        }
        if (e)
            return e;
    }
    q->n_dr = 0;
    mh_arena_free(&q->dr_text);
    mh_arena_init(&q->dr_text, 0);
    return exec_cached(q, "COMMIT");
}

static mh_err sq_rollback(mh_store *s)
{
    sq_store *q = SQ(s);
    if (sqlite3_get_autocommit(q->db))
        return MH_OK;
    return exec_cached(q, "ROLLBACK");
}

static mh_err sq_mark(mh_store *s)
{
    sq_store *q = SQ(s);
    if (q->n_dr_mark == (int)MH_ARRAY_LEN(q->dr_mark))
        return sq_fail(q, MH_EDB, "savepoints nested too deep");
    mh_err e = exec_cached(q, "SAVEPOINT article");
    if (!e)
        q->dr_mark[q->n_dr_mark++] = q->n_dr;
    return e;
}

static mh_err sq_unmark(mh_store *s, int keep)
{
    sq_store *q = SQ(s);
    if (!keep) {
        q->gen++;      /* the rollback hook does not see savepoints */
        mh_err e = exec_cached(q, "ROLLBACK TO article");
        if (e)
            return e;
        if (q->n_dr_mark > 0)
            q->n_dr = q->dr_mark[q->n_dr_mark - 1];
    }
    if (q->n_dr_mark > 0)
        q->n_dr_mark--;
    return exec_cached(q, "RELEASE article");
}

/* ------------------------------------------------------------------ */
/* Records and articles                                                */
/* ------------------------------------------------------------------ */

static mh_err sq_record_lookup(mh_store *s, uint64_t raw, int64_t *out_id)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, "SELECT article FROM records WHERE h = ?1");
    if (!st)
        return MH_EDB;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)raw);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out_id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        return MH_OK;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sq_fail(q, MH_EDB, "record lookup");
    return MH_ENOTFOUND;
}

static mh_err sq_record_put(mh_store *s, uint64_t raw, int64_t article_id)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, "INSERT OR IGNORE INTO records(h, article) VALUES(?1, ?2)");
    if (!st)
        return MH_EDB;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)raw);
    sqlite3_bind_int64(st, 2, article_id);
    return run(q, st, "record insert");
}

static mh_err sq_article_put(mh_store *s, const mh_article *a, const char *abspath,
                             int64_t *out_id)
{
    sq_store *q = SQ(s);
    mh_err e = MH_OK;
    char *removed = NULL, *okey = NULL;
    unsigned char *sent = NULL;
    cJSON *arr = NULL;
    size_t okey_len = 0;

    if (!a->body) {
        snprintf(q->err, sizeof q->err, "article without body");
        return MH_EINVAL;
    }
    /* removed[] as a JSON array of strings. */
    arr = cJSON_CreateArray();
    if (!arr) {
        e = MH_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < a->n_removed; i++) {
        cJSON *it = cJSON_CreateString(a->removed[i] ? a->removed[i] : "");
        if (!it || !cJSON_AddItemToArray(arr, it)) {
            cJSON_Delete(it);
            e = MH_ENOMEM;
            goto out;
        }
    }
    removed = cJSON_PrintUnformatted(arr);
    if (!removed) {
        e = MH_ENOMEM;
        goto out;
    }
    if (a->n_sentences) {
        if (a->n_sentences > SIZE_MAX / 8) {
            e = MH_ETOOBIG;
            goto out;
        }
        sent = mh_malloc(a->n_sentences * 8);
        if (!sent) {
            e = MH_ENOMEM;
            goto out;
        }
        for (size_t i = 0; i < a->n_sentences; i++) {
            mh_le32_put(sent + 8 * i, a->sentences[i].start);
            mh_le32_put(sent + 8 * i + 4, a->sentences[i].end);
        }
    }
    if (a->outlet && (e = mh_tr_fold(a->outlet, strlen(a->outlet), &okey, &okey_len)) != MH_OK)
        goto out;

    sqlite3_stmt *st = stmt(q,
        "INSERT INTO articles(hash, path, abspath, record, url, outlet, outlet_key,"
        " source, title, date, category, lead, body, removed, sentences, added)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
        " ON CONFLICT(hash) DO NOTHING");
    if (!st) {
        e = MH_EDB;
        goto out;
    }
    bind_str(st, 1, a->hash);
    bind_str(st, 2, a->path);
    bind_str(st, 3, abspath);
    sqlite3_bind_int64(st, 4, a->record);
    bind_str(st, 5, a->url);
    bind_str(st, 6, a->outlet);
    bind_str(st, 7, okey);
    bind_str(st, 8, a->source);
    bind_str(st, 9, a->title);
    bind_str(st, 10, a->date);
    bind_str(st, 11, a->category);
    bind_str(st, 12, a->lead);
    bind_str(st, 13, a->body);
    bind_str(st, 14, removed);
    if (sent)
        sqlite3_bind_blob(st, 15, sent, (int)(a->n_sentences * 8), SQLITE_STATIC);
    sqlite3_bind_int64(st, 16, (sqlite3_int64)time(NULL));
    if ((e = run(q, st, "article insert")) != MH_OK)
        goto out;

    if (sqlite3_changes(q->db) == 0) {
        /* The content hash is already stored: hand back its id. */
        st = stmt(q, "SELECT id FROM articles WHERE hash = ?1");
        if (!st) {
            e = MH_EDB;
            goto out;
        }
        bind_str(st, 1, a->hash);
        if (sqlite3_step(st) == SQLITE_ROW) {
            *out_id = sqlite3_column_int64(st, 0);
            e = MH_EDUP;
        } else {
            e = sq_fail(q, MH_EDB, "article lookup");
        }
        sqlite3_reset(st);
        goto out;
    }
    *out_id = sqlite3_last_insert_rowid(q->db);
out:
    if (e == MH_ENOMEM)
        snprintf(q->err, sizeof q->err, "out of memory");
    cJSON_Delete(arr);
    cJSON_free(removed);
    mh_free(sent);
    mh_free(okey);
    return e;
}

/* The index terms of an article's title, lead and body, written down on
 * a worker (fts.c), so that the store thread only replays them. */
typedef struct sq_prep {
    mh_fts_terms *t[3];
} sq_prep;

static void sq_index_prep_free(void *prep)
{
    sq_prep *p = prep;
    if (!p)
        return;
    for (int i = 0; i < 3; i++)
        mh_fts_terms_free(p->t[i]);
    mh_free(p);
}

/* Only the terms are wanted: no mh_doc is made for them. */
static mh_err prep_text(mh_analyzer *an, const char *s, mh_fts_terms **out)
{
    if (!s || !*s)
        return MH_OK;
    return mh_fts_terms_text(an, s, strlen(s), out);
}

static mh_err sq_index_prep(mh_analyzer *an, const mh_article *a, const mh_doc *body_doc,
                            void **out)
{
    *out = NULL;
    sq_prep *p = mh_malloc(sizeof *p);
    if (!p)
        return MH_ENOMEM;
    memset(p, 0, sizeof *p);
    mh_err e = prep_text(an, a->title, &p->t[0]);
    if (!e)
        e = prep_text(an, a->lead, &p->t[1]);
    if (!e && body_doc)
        e = mh_fts_terms_make(body_doc, &p->t[2]);
    if (e) {
        sq_index_prep_free(p);
        return e;
    }
    *out = p;
    return MH_OK;
}

/*
 * The index row must carry exactly the articles row's title, lead and
 * body (external content).  The pipeline calls this after the commit
 * group's hooks: once FTS5 takes part in a transaction, every later
 * savepoint or statement that needs a statement journal makes FTS5 flush
 * its pending terms into a new segment, and the pipeline and the hooks
 * open such savepoints per batch.  Indexed together just before COMMIT,
 * a group's articles make one segment.
 */

static mh_err sq_article_index(mh_store *s, int64_t id, const mh_article *a, const void *prep)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, "INSERT INTO fts(rowid, title, lead, body) VALUES(?1, ?2, ?3, ?4)");
    if (!st)
        return MH_EDB;
    sqlite3_bind_int64(st, 1, id);
    bind_str(st, 2, a->title);
    bind_str(st, 3, a->lead);
    bind_str(st, 4, a->body);
    const sq_prep *pp = prep;
    for (int i = 0; i < 3; i++)
        q->hint.terms[i] = pp ? pp->t[i] : NULL;
    mh_err e = run(q, st, "index article");
    memset(q->hint.terms, 0, sizeof q->hint.terms);
    return e;
}

#define ARTICLE_COLS \
    "id, path, record, url, outlet, source, title, date, category, lead, body," \
    " removed, sentences, hash"

static char *col_dup(sqlite3_stmt *st, int i, int *oom)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return NULL;
    const char *t = (const char *)sqlite3_column_text(st, i);
    int n = sqlite3_column_bytes(st, i);
    char *p = t ? mh_strndup(t, (size_t)n) : NULL;
    if (!p)
        *oom = 1;
    return p;
}

/*
 * Build an article from a row of ARTICLE_COLS.  Every string and array is
 * its own mh_malloc block, as mh_article_free expects.
 */
static mh_err row_article(sqlite3_stmt *st, mh_article **out)
{
    int oom = 0;
    cJSON *rem = NULL;
    mh_article *a = mh_malloc(sizeof *a);
    *out = NULL;
    if (!a)
        return MH_ENOMEM;
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, 0);
    a->path = col_dup(st, 1, &oom);
    a->record = (long)sqlite3_column_int64(st, 2);
    a->url = col_dup(st, 3, &oom);
    a->outlet = col_dup(st, 4, &oom);
    a->source = col_dup(st, 5, &oom);
    a->title = col_dup(st, 6, &oom);
    a->date = col_dup(st, 7, &oom);
    a->category = col_dup(st, 8, &oom);
    a->lead = col_dup(st, 9, &oom);
    a->body = col_dup(st, 10, &oom);
    const char *h = (const char *)sqlite3_column_text(st, 13);
    if (h)
        snprintf(a->hash, sizeof a->hash, "%s", h);

    const char *rj = (const char *)sqlite3_column_text(st, 11);
    if (rj && (rem = cJSON_Parse(rj)) && cJSON_IsArray(rem)) {
        int n = cJSON_GetArraySize(rem);
        if (n > 0) {
            a->removed = mh_malloc((size_t)n * sizeof *a->removed);
            if (!a->removed) {
                oom = 1;
            } else {
                const cJSON *it;
                size_t k = 0;
                cJSON_ArrayForEach(it, rem) {
                    const char *v = cJSON_GetStringValue(it);
                    a->removed[k] = mh_strdup(v ? v : "");
                    if (!a->removed[k]) {
                        oom = 1;
                        break;
                    }
                    k++;
                }
                a->n_removed = k;
            }
        }
    }
    cJSON_Delete(rem);

    int nb = sqlite3_column_bytes(st, 12);
    const unsigned char *b = sqlite3_column_blob(st, 12);
    if (b && nb >= 8) {
        size_t n = (size_t)nb / 8;
        a->sentences = mh_malloc(n * sizeof *a->sentences);
        if (!a->sentences) {
            oom = 1;
        } else {
            for (size_t i = 0; i < n; i++) {
                a->sentences[i].start = mh_le32_get(b + 8 * i);
                a->sentences[i].end = mh_le32_get(b + 8 * i + 4);
            }
            a->n_sentences = n;
        }
    }
    if (oom) {
        mh_article_free(a);
        return MH_ENOMEM;
    }
    *out = a;
    return MH_OK;
}

static mh_err sq_article_get(mh_store *s, int64_t id, mh_article **out)
{
    sq_store *q = SQ(s);
    mh_err e;
    *out = NULL;
    sqlite3_stmt *st = stmt(q, "SELECT " ARTICLE_COLS " FROM articles WHERE id = ?1");
    if (!st)
        return MH_EDB;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        e = row_article(st, out);
    else if (rc == SQLITE_DONE)
        e = MH_ENOTFOUND;
    else
        e = sq_fail(q, MH_EDB, "article read");
    sqlite3_reset(st);
    if (e == MH_ENOTFOUND)
        snprintf(q->err, sizeof q->err, "no article with id %lld", (long long)id);
    return e;
}

static mh_err sq_article_find_path(mh_store *s, const char *path, const char *abspath,
                                   int64_t **ids, size_t *n)
{
    sq_store *q = SQ(s);
    mh_err e = MH_OK;
    int64_t *v = NULL;
    size_t len = 0, cap = 0;
    int rc;
    *ids = NULL;
    *n = 0;
    sqlite3_stmt *st = stmt(q,
        "SELECT id FROM articles WHERE path = ?1"
        " UNION SELECT id FROM articles WHERE abspath = ?2"
        " ORDER BY 1");
    if (!st)
        return MH_EDB;
    bind_str(st, 1, path);
    bind_str(st, 2, abspath);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (len == cap && mh_grow(&v, &cap, len + 1, sizeof *v, 8)) {
            e = MH_ENOMEM;
            goto out;
        }
        v[len++] = sqlite3_column_int64(st, 0);
    }
    if (rc != SQLITE_DONE)
        e = sq_fail(q, MH_EDB, "find by path");
    else if (len == 0) {
        snprintf(q->err, sizeof q->err, "no article from %s", path);
        e = MH_ENOTFOUND;
    }
out:
    sqlite3_reset(st);
    if (e) {
        mh_free(v);
        return e;
    }
    *ids = v;
    *n = len;
    return MH_OK;
}

static int sq_article_each(mh_store *s, int (*cb)(void *ctx, const mh_article *a), void *ctx)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = NULL;
    int rc, ret = MH_OK;
    /* Not the cache: a callback may run other statements, even another
     * walk, and must not find this one reset under it. */
    if (sqlite3_prepare_v2(q->db, "SELECT " ARTICLE_COLS " FROM articles ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(q, MH_EDB, "article walk");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        mh_article *a = NULL;
        mh_err e = row_article(st, &a);
        if (e) {
            snprintf(q->err, sizeof q->err, "out of memory");
            ret = e;
            break;
        }
        ret = cb(ctx, a);
        mh_article_free(a);
        if (ret)
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = sq_fail(q, MH_EDB, "article walk");
    sqlite3_finalize(st);
    return ret;
}

/* ------------------------------------------------------------------ */
/* Boilerplate learning counts                                         */
/* ------------------------------------------------------------------ */

static mh_err sq_tpl_outlet(mh_store *s, const char *outlet, int create,
                            int64_t *out_id, int64_t *out_pages)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, "SELECT id, pages FROM tpl_outlets WHERE name = ?1");
    if (!st)
        return MH_EDB;
    bind_str(st, 1, outlet);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out_id = sqlite3_column_int64(st, 0);
        *out_pages = sqlite3_column_int64(st, 1);
        sqlite3_reset(st);
        return MH_OK;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sq_fail(q, MH_EDB, "outlet lookup");
    if (!create)
        return MH_ENOTFOUND;
    st = stmt(q, "INSERT INTO tpl_outlets(name, pages) VALUES(?1, 0)");
    if (!st)
        return MH_EDB;
    bind_str(st, 1, outlet);
    mh_err e = run(q, st, "outlet insert");
    if (e)
        return e;
    *out_id = sqlite3_last_insert_rowid(q->db);
    *out_pages = 0;
    return MH_OK;
}

static mh_err sq_tpl_add_line(mh_store *s, int64_t outlet_id, uint64_t h, int64_t k,
                              int64_t *out_total)
{
    sq_store *q = SQ(s);
    /*
     * Most lines of a page are new (its own text): INSERT OR IGNORE
     * first, one statement for them, then read and rewrite the count
     * of a line stored before.  Not one UPSERT with RETURNING: inside
     * the batch transaction that needs a statement journal, and costs
     * twice as much as the two statements it replaces.
     */
    sqlite3_stmt *st = stmt(q, "INSERT OR IGNORE INTO tpl_lines(outlet, h, pages)"
                               " VALUES(?1, ?2, ?3)");
    if (!st)
        return MH_EDB;
    sqlite3_bind_int64(st, 1, outlet_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)h);
    sqlite3_bind_int64(st, 3, k);
    mh_err e = run(q, st, "line count");
    if (e)
        return e;
    if (sqlite3_changes(q->db) > 0) {
        *out_total = k;
        return MH_OK;
    }
    st = stmt(q, "SELECT pages FROM tpl_lines WHERE outlet = ?1 AND h = ?2");
    if (!st)
        return MH_EDB;
    sqlite3_bind_int64(st, 1, outlet_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)h);
    int rc = sqlite3_step(st);
    int64_t total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) + k : k;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return sq_fail(q, MH_EDB, "line count");
    st = stmt(q, "UPDATE tpl_lines SET pages = ?3 WHERE outlet = ?1 AND h = ?2");
    if (!st)
        return MH_EDB;
    sqlite3_bind_int64(st, 1, outlet_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)h);
    sqlite3_bind_int64(st, 3, total);
    if ((e = run(q, st, "line count")) != MH_OK)
        return e;
    *out_total = total;
    return MH_OK;
}

static mh_err sq_tpl_add_pages(mh_store *s, int64_t outlet_id, int64_t k)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, "UPDATE tpl_outlets SET pages = pages + ?2 WHERE id = ?1");
    if (!st)
        return MH_EDB;
    sqlite3_bind_int64(st, 1, outlet_id);
    sqlite3_bind_int64(st, 2, k);
    return run(q, st, "outlet count");
}

/* ------------------------------------------------------------------ */
/* Search                                                              */
/* ------------------------------------------------------------------ */

/* Turn a failed search step into MH_EQUERY (FTS5 refused the query) or
 * MH_EDB. */
static mh_err search_fail(sq_store *q)
{
    const char *msg = sqlite3_errmsg(q->db);
    /* FTS5 reports query trouble as "fts5: ..."; everything we send is
     * quoted, so this means an input we failed to foresee. */
    mh_err e = strncmp(msg, "fts5:", 5) == 0 ? MH_EQUERY : MH_EDB;
    return sq_fail(q, e, "search");
}

/*
 * The rowid of the window-th newest match, 0 when fewer match.  FTS5
 * walks a doclist backwards at about 0.1 us a row, where ranking costs
 * a few microseconds a row.
 */
static mh_err window_cutoff(sq_store *q, const char *match, size_t window, sqlite3_int64 *out)
{
    sqlite3_stmt *st = stmt(q, "SELECT rowid FROM fts WHERE fts MATCH ?1"
                               " ORDER BY rowid DESC LIMIT 1 OFFSET ?2");
    *out = 0;
    if (!st)
        return MH_EDB;
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)window - 1);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    mh_err e = rc == SQLITE_ROW || rc == SQLITE_DONE ? MH_OK : search_fail(q);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return e;
}

/*
 * Document frequencies for BM25, estimated: per phrase, the newest
 * DF_SAMPLE matches are walked (cheap, backwards); fewer than that are
 * counted exactly, otherwise the frequency is extrapolated from how far
 * back the sample reached (ids are dense: articles are never deleted).
 * FTS5's own bm25() counts every match of every phrase instead, which is
 * the larger part of the cost of a search for a common word.  The result
 * is the rank function for FTS5's "rank MATCH", with the frequencies as
 * a blob literal of doubles (mh_bm25 in fts.c).
 */
#define DF_SAMPLE 128
#define DF_MAX_PHRASES 32

typedef struct df_ctx {
    sq_store *q;
    sqlite3_int64 n_rows;
    double df[DF_MAX_PHRASES];
    int n;
    mh_err e;
} df_ctx;

static void df_phrase(void *ctx, const char *fts5, int excluded)
{
    df_ctx *c = ctx;
    double df = 1;
    if (c->e || c->n >= DF_MAX_PHRASES) {
        c->n++;
        return;
    }
    if (!fts5) {
        c->e = MH_ENOMEM;
        return;
    }
    /* Excluded phrases never occur in a hit; their weight is moot. */
    if (!excluded) {
        sqlite3_stmt *st = stmt(c->q, "SELECT rowid FROM fts WHERE fts MATCH ?1"
                                      " ORDER BY rowid DESC LIMIT ?2");
        if (!st) {
            c->e = MH_EDB;
            return;
        }
        sqlite3_bind_text(st, 1, fts5, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, DF_SAMPLE);
        sqlite3_int64 last = 0, count = 0;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            last = sqlite3_column_int64(st, 0);
            count++;
        }
        if (rc != SQLITE_DONE)
            c->e = search_fail(c->q);
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        if (count < DF_SAMPLE || last <= 0 || c->n_rows < last)
            df = (double)count;
        else
            df = (double)DF_SAMPLE * (double)c->n_rows / (double)(c->n_rows - last + 1);
    }
    c->df[c->n++] = df;
}

static mh_err rank_function(sq_store *q, const mh_query *query, mh_buf *out)
{
    df_ctx c;
    memset(&c, 0, sizeof c);
    c.q = q;
    sqlite3_stmt *st = stmt(q, "SELECT max(id) FROM articles");
    if (!st)
        return MH_EDB;
    if (sqlite3_step(st) == SQLITE_ROW)
        c.n_rows = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    mh_query_each_phrase(query, df_phrase, &c);
    if (c.e)
        return c.e;
    mh_buf_adds(out, "mh_bm25(");
    if (c.n <= DF_MAX_PHRASES) {
        static const char hex[] = "0123456789abcdef";
        mh_buf_adds(out, "x'");
        for (int i = 0; i < c.n; i++) {
            unsigned char b[sizeof(double)];
            memcpy(b, &c.df[i], sizeof b);
            for (size_t k = 0; k < sizeof b; k++) {
                mh_buf_addc(out, hex[b[k] >> 4]);
                mh_buf_addc(out, hex[b[k] & 15]);
            }
        }
        mh_buf_addc(out, '\'');
    }
    mh_buf_addc(out, ')');
    return out->err;
}

/*
 * The ranked query over matches with rowid >= cutoff; appends to hits.
 * by_filter: the articles that pass the filters are the outer loop and
 * each is looked up in the index (FTS5 seeks a rowid in every doclist),
 * for filters that leave few articles, where walking every match of a
 * common word to drop most of them would cost far more.
 */
static mh_err ranked(sq_store *q, const mh_search_req *req, const char *match,
                     const char *rank, sqlite3_int64 cutoff, int by_filter, mh_hit **hits,
                     size_t *len, size_t *cap)
{
    mh_err e = MH_OK;
    int rc;
    /* CROSS JOIN keeps fts as the outer loop so FTS5 can sort by rank
     * itself; the filters then apply to rows in rank order. */
    static const char by_match[] =
        "SELECT a.id, a.path, a.title, a.date, a.outlet, fts.rank,"
        " mh_snippet(fts, ?7, ?8, '…', ?9)"
        " FROM fts CROSS JOIN articles AS a ON a.id = fts.rowid"
        " WHERE fts MATCH ?1 AND fts.rank MATCH ?11 AND fts.rowid >= ?10"
        " AND (?2 IS NULL OR a.date >= ?2)"
        " AND (?3 IS NULL OR a.date <= ?3)"
        " AND (?4 IS NULL OR a.outlet_key = ?4)"
        " ORDER BY fts.rank LIMIT ?5 OFFSET ?6";
    /* Every match is walked (FTS5 does not sort by rank: the unary +
     * keeps the ORDER BY and the IN away from it), the filter is a set
     * built once from the articles' indexes, and the rank and the
     * snippet are computed only for the matches that pass. */
    static const char by_articles[] =
        "SELECT a.id, a.path, a.title, a.date, a.outlet, h.r,"
        " (SELECT mh_snippet(fts, ?7, ?8, '…', ?9) FROM fts WHERE fts MATCH ?1 AND fts.rowid = h.id)"
        " FROM (SELECT fts.rowid AS id, fts.rank AS r FROM fts"
        "   WHERE fts MATCH ?1 AND fts.rank MATCH ?11 AND fts.rowid >= ?10"
        "   AND +fts.rowid IN (SELECT f.id FROM articles AS f"
        "     WHERE (?4 IS NULL OR f.outlet_key = ?4)"
        "     AND (?2 IS NULL OR f.date >= ?2) AND (?3 IS NULL OR f.date <= ?3))"
        "   ORDER BY +fts.rank, fts.rowid LIMIT ?5 OFFSET ?6) AS h"
        " JOIN articles AS a ON a.id = h.id ORDER BY h.r, h.id";
    sqlite3_stmt *st = stmt(q, by_filter ? by_articles : by_match);
    if (!st)
        return MH_EDB;
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    bind_str(st, 2, req->from);
    bind_str(st, 3, req->to);
    bind_str(st, 4, req->outlet_key);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)req->limit);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)req->offset);
    bind_str(st, 7, req->hl_open);
    bind_str(st, 8, req->hl_close);
    sqlite3_bind_int(st, 9, req->snippet_tokens);
    sqlite3_bind_int64(st, 10, cutoff);
    sqlite3_bind_text(st, 11, rank, -1, SQLITE_STATIC);

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*len == *cap && mh_grow(hits, cap, *len + 1, sizeof **hits, 16)) {
            e = MH_ENOMEM;
            break;
        }
        mh_hit *h = &(*hits)[(*len)++];
        int oom = 0;
        memset(h, 0, sizeof *h);
        h->id = sqlite3_column_int64(st, 0);
        h->path = col_dup(st, 1, &oom);
        h->title = col_dup(st, 2, &oom);
        h->date = col_dup(st, 3, &oom);
        h->outlet = col_dup(st, 4, &oom);
        /* bm25 in FTS5 is negative, more negative is better. */
        h->score = -sqlite3_column_double(st, 5);
        h->snippet = col_dup(st, 6, &oom);
        if (oom) {
            e = MH_ENOMEM;
            break;
        }
    }
    if (!e && rc != SQLITE_DONE)
        e = search_fail(q);
    if (e == MH_ENOMEM)
        snprintf(q->err, sizeof q->err, "out of memory");
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return e;
}

/*
 * Do few enough articles pass the date and outlet filters to drive the
 * search from them (ranked, by_filter)?  Counted through the indexes
 * (articles_outlet, articles_date), up to one past the threshold.
 */
#define FILTER_DRIVE_MAX 20000

static mh_err few_pass_filters(sq_store *q, const mh_search_req *req, int *few)
{
    sqlite3_stmt *st = stmt(q,
        "SELECT count(*) FROM (SELECT 1 FROM articles"
        " WHERE (?1 IS NULL OR outlet_key = ?1)"
        " AND (?2 IS NULL OR date >= ?2) AND (?3 IS NULL OR date <= ?3) LIMIT ?4)");
    *few = 0;
    if (!st)
        return MH_EDB;
    bind_str(st, 1, req->outlet_key);
    bind_str(st, 2, req->from);
    bind_str(st, 3, req->to);
    sqlite3_bind_int(st, 4, FILTER_DRIVE_MAX + 1);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *few = sqlite3_column_int64(st, 0) <= FILTER_DRIVE_MAX;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_ROW ? MH_OK : search_fail(q);
}

static mh_err sq_search(mh_store *s, const mh_search_req *req, mh_hit **out, size_t *n)
{
    sq_store *q = SQ(s);
    mh_err e = MH_OK;
    mh_buf m;
    mh_hit *hits = NULL;
    size_t len = 0, cap = 0;
    sqlite3_int64 cutoff = 0;
    *out = NULL;
    *n = 0;

    mh_buf_init(&m, 64 * 1024);
    mh_query_fts5(req->query, &m);
    if (m.err) {
        snprintf(q->err, sizeof q->err, "query too long");
        mh_buf_free(&m);
        return m.err == MH_ENOMEM ? MH_ENOMEM : MH_EQUERY;
    }
    const char *match = mh_buf_cstr(&m);
    mh_buf rank;
    mh_buf_init(&rank, 0);
    e = rank_function(q, req->query, &rank);
    if (!e && req->window)
        e = window_cutoff(q, match, req->window, &cutoff);
    int filtered = req->from || req->to || req->outlet_key;
    int by_filter = 0;
    /* Every match is ranked (no window): when few articles pass the
     * filters, the filter goes first (ranked, by_filter). */
    if (!e && filtered && cutoff == 0)
        e = few_pass_filters(q, req, &by_filter);
    if (!e)
        e = ranked(q, req, match, mh_buf_cstr(&rank), cutoff, by_filter, &hits, &len, &cap);
    /* With filters the window may hold too few that pass them: then rank
     * every match that passes rather than answer short. */
    if (!e && cutoff > 0 && len < req->limit && filtered) {
        mh_hits_free(hits, len);
        hits = NULL;
        len = cap = 0;
        e = few_pass_filters(q, req, &by_filter);
        if (!e)
            e = ranked(q, req, match, mh_buf_cstr(&rank), 0, by_filter, &hits, &len, &cap);
    }
    mh_buf_free(&rank);
    mh_buf_free(&m);
    if (e) {
        mh_hits_free(hits, len);
        return e;
    }
    *out = hits;
    *n = len;
    return MH_OK;
}

/* ------------------------------------------------------------------ */
/* Statistics and upkeep                                               */
/* ------------------------------------------------------------------ */

static int64_t scalar(sq_store *q, const char *sql, int *bad)
{
    sqlite3_stmt *st = stmt(q, sql);
    int64_t v = 0;
    if (!st) {
        *bad = 1;
        return 0;
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_DONE) {
        sq_fail(q, MH_EDB, "stats");
        *bad = 1;
    }
    sqlite3_reset(st);
    return v;
}

static void date_of(sq_store *q, const char *sql, char out[11], int *bad)
{
    sqlite3_stmt *st = stmt(q, sql);
    out[0] = 0;
    if (!st) {
        *bad = 1;
        return;
    }
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT)
        snprintf(out, 11, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
}

static mh_err sq_stats(mh_store *s, mh_stats *out)
{
    sq_store *q = SQ(s);
    int bad = 0;
    memset(out, 0, sizeof *out);
    out->articles = scalar(q, "SELECT count(*) FROM articles", &bad);
    out->records = scalar(q, "SELECT count(*) FROM records", &bad);
    out->outlets = scalar(q, "SELECT count(DISTINCT outlet_key) FROM articles", &bad);
    out->template_lines = scalar(q, "SELECT count(*) FROM tpl_lines WHERE pages >= 3", &bad);
    out->schema_version = (int)scalar(q, "PRAGMA user_version", &bad);
    out->db_bytes = scalar(q, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()", &bad);
    date_of(q, "SELECT min(date) FROM articles WHERE date IS NOT NULL", out->first_date, &bad);
    date_of(q, "SELECT max(date) FROM articles", out->last_date, &bad);
    return bad ? MH_EDB : MH_OK;
}

static int sq_each_outlet(mh_store *s, mh_outlet_cb cb, void *ctx)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = NULL;
    int rc, ret = MH_OK;
    if (sqlite3_prepare_v2(q->db,
                           "SELECT coalesce(min(outlet), ''), count(*) FROM articles"
                           " GROUP BY outlet_key ORDER BY 2 DESC, 1",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(q, MH_EDB, "outlets");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ret = cb(ctx, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1));
        if (ret)
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = sq_fail(q, MH_EDB, "outlets");
    sqlite3_finalize(st);
    return ret;
}

static mh_err sq_optimize(mh_store *s)
{
    sq_store *q = SQ(s);
    if (sqlite3_exec(q->db, "INSERT INTO fts(fts) VALUES('optimize'); PRAGMA optimize;",
                     NULL, NULL, NULL) != SQLITE_OK)
        return sq_fail(q, MH_EDB, "optimize");
    return MH_OK;
}

static mh_err sq_check(mh_store *s)
{
    sq_store *q = SQ(s);
    sqlite3_stmt *st = NULL;
    mh_err e = MH_OK;
    if (sqlite3_prepare_v2(q->db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
        return sq_fail(q, MH_EDB, "integrity check");
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        e = sq_fail(q, MH_EDB, "integrity check");
    } else {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        if (!r || strcmp(r, "ok") != 0) {
            snprintf(q->err, sizeof q->err, "integrity check: %s", r ? r : "?");
            e = MH_EDB;
        }
    }
    sqlite3_finalize(st);
    if (e)
        return e;
    /* With rank 1, FTS5 also compares the index with the content table. */
    if (sqlite3_exec(q->db, "INSERT INTO fts(fts, rank) VALUES('integrity-check', 1)",
                     NULL, NULL, NULL) != SQLITE_OK)
        return sq_fail(q, MH_EDB, "full-text index check");
    return MH_OK;
}

static const mh_store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .errmsg = sq_errmsg,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .mark = sq_mark,
    .unmark = sq_unmark,
    .record_lookup = sq_record_lookup,
    .record_put = sq_record_put,
    .article_put = sq_article_put,
    .index_prep = sq_index_prep,
    .index_prep_free = sq_index_prep_free,
    .article_index = sq_article_index,
    .article_get = sq_article_get,
    .article_find_path = sq_article_find_path,
    .article_each = sq_article_each,
    .tpl_outlet = sq_tpl_outlet,
    .tpl_add_line = sq_tpl_add_line,
    .tpl_add_pages = sq_tpl_add_pages,
    .search = sq_search,
    .stats = sq_stats,
    .each_outlet = sq_each_outlet,
    .optimize = sq_optimize,
    .check = sq_check,
};
