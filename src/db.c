/*
 * db.c -- the public database API (mh_db_*) and the ingest pipeline:
 * inputs -> records -> two-pass extraction with boilerplate learning ->
 * store -> after-store hooks -> full-text index, committed in batches.
 *
 * Extension points for later stages (see also store.h):
 *  - after_store_hooks[]: called for every NEWLY stored article, inside
 *    the batch transaction, with the article's id, the article and its
 *    body analysed once (mh_doc with stems).  Add one line.
 *  - prepared_hooks[]: the same, split in two (store.h, mh_prepared_hook):
 *    the pure work runs on the worker threads right after the body is
 *    analysed, its result waits on the record, and the store step runs
 *    on the store thread after the after_store_hooks.  Add one line.
 *  - json_hooks[]: add fields to an article's JSON object (export, show,
 *    the server).  Add one line.
 *
 * Durability.  Records are worked on in batches (at most 500 records or
 * 64 MiB of text), and consecutive batches form a commit group, one
 * transaction (opts.batch_size records, 4000 by default, or opts.batch_ms
 * since its first record, or 128 MiB of material waiting to be indexed).
 * Counts of stored articles are only advanced after COMMIT returns, so
 * whatever a progress report or the final summary calls stored is on
 * disk; a kill loses at most the open group, and a re-ingest stores it
 * then.
 *
 * Idempotence.  Each record's raw hash (its text plus the structured
 * hints) is kept in the records table: a record seen before is a
 * duplicate without being extracted again.  New records whose extracted
 * content hash (mh_article.hash) is already stored are duplicates too.
 *
 * Boilerplate learning ("lines that recur across many pages of the same
 * outlet are boilerplate").  Per outlet we keep the number of distinct new
 * pages and, per line (64-bit hash of the clean line), the number of
 * those pages containing it.  A line is boilerplate for an outlet when
 *   it is at most 200 bytes long (longer lines are prose paragraphs: even
 *   when an outlet repeats one, across updates of a story, it is text a
 *   reader wants), and
 *   it occurs on at least 3 pages, and on at least 30% of the outlet's
 *   pages (so a headline listed under "related news" a few times in a
 *   large outlet does not count, while menus, hashtag lines, copyright
 *   notices and "Benzer Haberler" do).
 * Pages without a known outlet teach nothing: pooling unrelated sites
 * would make common short lines look like boilerplate.
 * Each batch is extracted twice over: pass 1 extracts every record with
 * what was known before the batch (that gives the outlet) and counts the
 * record's candidate lines; the counts are written; pass 2 re-asks the
 * oracle every question pass 1 asked and extracts again only the records
 * for which an answer changed; when the article comes out the same (the
 * line that changed was left out anyway, as almost always), pass 1's
 * analysis and hook work are kept.  The first pages of a new outlet thus
 * learn from each other, and later batches rarely extract twice.
 * The oracle answers from memory: the outlets and the lines with 3 or
 * more pages are loaded when a session starts and updated as it counts.
 *
 * Pipeline.  Two batches are in hand at once.  The calling thread reads
 * records into one batch and, with the worker threads, runs pass 1 on it:
 * extraction, the analysis of the body and the hooks' pure work
 * (prepared_hooks[]).  Meanwhile the store thread takes the previous
 * batch through counting, pass 2 (the records whose answers changed are
 * extracted and analysed again), storing, indexing and COMMIT.  The
 * knowledge (outlets, line counts) is written only by the store thread,
 * under a lock the oracle reads it with; pass 2 always re-asks against
 * the knowledge the batch's own counts left, so what pass 1 happened to
 * see never changes the result.  Rejections and progress are reported by
 * the calling thread, in record order, once a batch is stored; its
 * articles count as stored when its group is committed.  Raw duplicates
 * are looked up on a second, read-only connection (committed groups), in
 * the raw hashes of the open group's stored batches, and in the two
 * batches in hand.
 *
 * Speed.  The body is analysed once (mh_analyze with stems) and serves
 * the hooks, the sentence offsets when the extractor gave none, and the
 * index: a worker writes down the terms the tokenizer would make of it
 * (the store's index_prep), which the index replays.  A group's articles
 * are indexed together after all its hooks ran, just before COMMIT: once
 * FTS5 is part of a transaction, each savepoint or statement with a
 * statement journal (each batch's store opens one, and hooks run such
 * statements) makes it flush its pending terms into a new segment, and
 * every segment is merged again later.  One segment per group instead of
 * one per batch roughly halved the cost of indexing and committing.
 * For the same reason articles are not bracketed by savepoints unless a
 * hook fails (store_one).
 *
 * Limits: one session per handle at a time; handles are per thread (a
 * session runs its own store thread on the handle's connection, and
 * opens a second, read-only connection that it closes at the end).
 * opts.threads = 1 runs everything on the calling thread, in the same
 * order, with the same result (tests/cli/pipeline.sh).
 */
#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

/* ------------------------------------------------------------------ */
/* Extension points                                                    */
/* ------------------------------------------------------------------ */

/* Later stages add their hook before the NULL. */
static const mh_after_store_hook after_store_hooks[] = {
    NULL
};

/* Hooks whose compute runs on the workers; their store steps run after
 * after_store_hooks[], in this order.  Later stages add theirs before
 * the empty entry. */
static const mh_prepared_hook prepared_hooks[] = {
    {mh_story_prepare, mh_story_store_prepared, mh_story_state_free, "stories"},
    {mh_quote_prepare, mh_quote_store_prepared, mh_quote_state_free, "entities+quotes"},
    {NULL, NULL, NULL, NULL}
};
#define N_PREPARED (MH_ARRAY_LEN(prepared_hooks) - 1)

static const mh_json_hook json_hooks[] = {
    mh_story_json,
    mh_quote_json,
    NULL
};

/* ------------------------------------------------------------------ */
/* The handle                                                          */
/* ------------------------------------------------------------------ */

struct mh_db {
    mh_store *store;
    mh_analyzer *an;
    char *path;            /* for the ingest's read-only second connection */
    unsigned flags;
    int busy;              /* an ingest session is open */
    char err[1024];
};

mh_store *mh_db_store(mh_db *db) { return db->store; }
mh_analyzer *mh_db_analyzer(mh_db *db) { return db->an; }

mh_err mh_db_fail(mh_db *db, mh_err e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(db->err, sizeof db->err, fmt, ap);
    va_end(ap);
    return e;
}

const char *mh_db_errmsg(const mh_db *db)
{
    if (!db)
        return "no database handle (out of memory)";
    return db->err[0] ? db->err : "no error";
}

mh_err mh_db_open(const char *path, unsigned flags, mh_db **out)
{
    mh_db *db;
    mh_err e;
    if (!out)
        return MH_EINVAL;
    *out = NULL;
    db = mh_malloc(sizeof *db);
    if (!db)
        return MH_ENOMEM;
    memset(db, 0, sizeof *db);
    db->flags = flags;
    *out = db;
    if (!path || !*path)
        return mh_db_fail(db, MH_EINVAL, "no database path");
    db->an = mh_analyzer_new();
    if (!db->an)
        return mh_db_fail(db, MH_ENOMEM, "out of memory");
    if (!(db->path = mh_strdup(path)))
        return mh_db_fail(db, MH_ENOMEM, "out of memory");
    e = mh_store_sqlite_open(path, flags, &db->store, db->err, sizeof db->err);
    if (e)
        return e;
    return MH_OK;
}

void mh_db_close(mh_db *db)
{
    if (!db)
        return;
    if (db->store)
        db->store->ops->close(db->store);
    mh_analyzer_free(db->an);
    mh_free(db->path);
    mh_free(db);
}

/* Fail with the store's message. */
static mh_err store_fail(mh_db *db, mh_err e)
{
    return mh_db_fail(db, e, "%s", db->store->ops->errmsg(db->store));
}

static int no_store(mh_db *db)
{
    if (db && db->store)
        return 0;
    if (db)
        mh_db_fail(db, MH_EINVAL, "database is not open");
    return 1;
}

/* ------------------------------------------------------------------ */
/* A small map: 64-bit key -> 64-bit value (open addressing)           */
/* ------------------------------------------------------------------ */

typedef struct u64map {
    uint64_t *keys;    /* 0 = empty; key 0 is stored as 1 (hashes, so harmless) */
    int64_t *vals;
    size_t cap, len;
} u64map;

static uint64_t mkey(uint64_t k) { return k ? k : 1; }

static int64_t *map_find(u64map *m, uint64_t k)
{
    if (!m->cap)
        return NULL;
    k = mkey(k);
    size_t i = (size_t)(k * 0x9E3779B97F4A7C15ull) & (m->cap - 1);
    while (m->keys[i]) {
        if (m->keys[i] == k)
            return &m->vals[i];
        i = (i + 1) & (m->cap - 1);
    }
    return NULL;
}

static mh_err map_put(u64map *m, uint64_t k, int64_t v)
{
    int64_t *p = map_find(m, k);
    if (p) {
        *p = v;
        return MH_OK;
    }
    if ((m->len + 1) * 2 > m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 1024;
        u64map n = {mh_malloc(nc * sizeof *n.keys), mh_malloc(nc * sizeof *n.vals), nc, 0};
        if (!n.keys || !n.vals) {
            mh_free(n.keys);
            mh_free(n.vals);
            return MH_ENOMEM;
        }
        memset(n.keys, 0, nc * sizeof *n.keys);
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i])
                map_put(&n, m->keys[i], m->vals[i]);
        mh_free(m->keys);
        mh_free(m->vals);
        *m = n;
    }
    k = mkey(k);
    size_t i = (size_t)(k * 0x9E3779B97F4A7C15ull) & (m->cap - 1);
    while (m->keys[i])
        i = (i + 1) & (m->cap - 1);
    m->keys[i] = k;
    m->vals[i] = v;
    m->len++;
    return MH_OK;
}

static void map_free(u64map *m)
{
    mh_free(m->keys);
    mh_free(m->vals);
    memset(m, 0, sizeof *m);
}

/* ------------------------------------------------------------------ */
/* Ingest: types                                                       */
/* ------------------------------------------------------------------ */

#define LINE_MAX_BYTES 200          /* longer lines are never boilerplate */
#define TPL_MIN_PAGES 3
#define TPL_MIN_PERCENT 30
#define BATCH_MAX_BYTES ((size_t)64 << 20)
#define WORK_BATCH 500              /* records per batch of work, at most */
#define GROUP_DEFAULT 4000          /* records per commit group by default */
#define GROUP_MS_DEFAULT 5000       /* longest a group stays open by default */
#define GROUP_MAX_BYTES ((size_t)128 << 20)  /* deferred index material */

typedef struct outlet_info {
    char *name;
    int64_t id;            /* 0 until the outlet has a row */
    int64_t pages;
} outlet_info;

typedef struct asked {     /* one oracle question in pass 1 */
    uint64_t outlet;       /* hash of the outlet name */
    uint64_t h;            /* hash of the line */
    uint8_t answer;
} asked;

typedef struct pend {
    mh_record r;           /* deep copy */
    char *abspath;
    uint64_t raw;
    mh_article *art;
    asked *ask; size_t n_ask, cap_ask;
    int dead;              /* rejected */
    mh_err err;            /* why, when a worker rejected it (reported later) */
    const char *why;       /* static detail or NULL */
    char *why_own;         /* or an owned one (the store's message) */
    int reported;
    int64_t id;            /* > 0 once stored as a new article in this batch */
    mh_doc *doc;           /* its body analysed (with stems when hooks run) */
    void *iprep;           /* the store's index_prep of doc, or NULL */
    void (*iprep_free)(void *);   /* and how to free it */
    void *prep[N_PREPARED];       /* prepared_hooks[k]'s state, owned */
    mh_err prep_err[N_PREPARED];  /* what its prepare returned */
} pend;

typedef struct line_count { int64_t outlet; uint64_t h; } line_count;

/* Records in hand, read by the calling thread, stored by the store
 * thread; the outcome fields are the store thread's until collected. */
typedef struct batch {
    pend *v; size_t n, cap;
    size_t bytes;
    struct timespec t0;    /* its first record */
    uint64_t added, dups;  /* outcome */
    int committed;         /* outcome: its commit group was committed with it */
    mh_err fatal;          /* outcome: MH_OK or the error that stopped it */
} batch;

/* A stored article whose indexing waits for its group's commit. */
typedef struct deferred {
    int64_t id;
    mh_article *art;       /* owned */
    void *iprep;           /* owned (the store's index_prep_free) */
} deferred;

/* Steps timed for MUHABIR_INGEST_TIMES, in CPU time of the thread that
 * runs them: pass 1 (the calling thread's share of it), then the store
 * thread's; the prepared hooks' store steps are part of "store" and also
 * shown one by one. */
enum { T_PASS1, T_COUNT, T_STORE, T_INDEX, T_COMMIT, T_HOOK0, T_STEPS = T_HOOK0 + 4 };
static const char *const t_names[T_HOOK0] = {
    "pass 1", "count+pass 2", "store", "index", "commit"
};

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* CPU time of the calling thread: the store thread's steps are timed
 * with it, so the figures hold on a machine shared with other work. */
static uint64_t cpu_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

struct mh_ingest {
    mh_db *db;
    mh_ingest_opts o;
    mh_ingest_stats st;
    batch fill;              /* being read (calling thread) */
    batch flight;            /* being stored (store thread) */
    pthread_t store_th;
    int have_th;             /* the store thread runs; else stores inline */
    int cache_set;           /* the writer's cache is the ingest's size */
    pthread_mutex_t mu;      /* guards the three flags below */
    pthread_cond_t cv;
    int in_flight;           /* flight handed over, not yet collected */
    int flight_done;         /* the store thread finished it */
    int quit;
    pthread_rwlock_t know;   /* outlets and lines: the store thread writes */
    mh_store *reader;        /* read-only connection for raw lookups, or NULL */
    outlet_info *outlets; size_t n_outlets, cap_outlets;
    u64map outlet_by_name;   /* name hash -> index + 1 */
    u64map lines;            /* (outlet id, line hash) key -> pages, for pages >= 3 */
    unsigned nthreads;       /* workers for extraction and analysis, >= 1 */
    mh_analyzer **an;        /* one per pass-1 worker (the handle's is the store thread's) */
    mh_err fatal;
    uint64_t redone;         /* records extracted again in pass 2 */
    uint64_t redo_same;      /* of which the article came out the same */
    size_t work;             /* records per batch of work */
    /* The open commit group (store thread): its articles waiting to be
     * indexed, and what decides when it is committed. */
    deferred *dv; size_t n_dv, cap_dv;
    size_t dv_bytes;
    int grp_open;
    uint64_t grp_records;
    struct timespec grp_t0;
    /* Collected but not yet committed (calling thread): their counts,
     * and their raw hashes, which the reader cannot see yet. */
    uint64_t unc_added, unc_dups;
    u64map unc_raws;
    /* Wall time per step of process_batch, in ns, printed at the end
     * when MUHABIR_INGEST_TIMES is set (bench/README.md). */
    uint64_t t_step[T_STEPS];
    uint64_t t_begin;
    uint64_t t_wait;         /* wall ns the calling thread waited for the store thread */
};

/* The oracle's context: the session (read only while workers run) and
 * the record whose questions are recorded (NULL: do not record). */
typedef struct oracle_ctx {
    mh_ingest *ing;
    pend *p;
} oracle_ctx;

static uint64_t line_key(int64_t outlet_id, uint64_t h)
{
    return h ^ ((uint64_t)outlet_id * 0xC2B2AE3D27D4EB4Full);
}

static uint64_t now_ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)(t.tv_sec - t0->tv_sec) * 1000u +
           (uint64_t)((t.tv_nsec - t0->tv_nsec) / 1000000);
}

static void reject(mh_ingest *ing, const char *path, long record, mh_err e, const char *detail)
{
    ing->st.rejected++;
    if (ing->o.on_reject)
        ing->o.on_reject(ing->o.ctx, path ? path : "-", record, e,
                         detail && *detail ? detail : mh_errstr(e));
}

static void progress(mh_ingest *ing)
{
    if (ing->o.on_progress)
        ing->o.on_progress(ing->o.ctx, &ing->st);
}

/* ------------------------------------------------------------------ */
/* Outlets and the oracle                                              */
/* ------------------------------------------------------------------ */

/* Index of an outlet in the session's table, adding it (without a
 * database row yet) when new.  -1 on allocation failure. */
static long outlet_index(mh_ingest *ing, const char *name)
{
    uint64_t h = XXH3_64bits(name, strlen(name));
    int64_t *v = map_find(&ing->outlet_by_name, h);
    if (v)
        return (long)(*v - 1);
    if (ing->n_outlets == ing->cap_outlets &&
        mh_grow(&ing->outlets, &ing->cap_outlets, ing->n_outlets + 1, sizeof *ing->outlets, 16))
        return -1;
    outlet_info *o = &ing->outlets[ing->n_outlets];
    o->name = mh_strdup(name);
    o->id = 0;
    o->pages = 0;
    if (!o->name)
        return -1;
    if (map_put(&ing->outlet_by_name, h, (int64_t)ing->n_outlets + 1)) {
        mh_free(o->name);
        return -1;
    }
    return (long)ing->n_outlets++;
}

static int is_tpl(mh_ingest *ing, const outlet_info *o, uint64_t h)
{
    if (!o->id || o->pages < TPL_MIN_PAGES)
        return 0;
    int64_t *n = map_find(&ing->lines, line_key(o->id, h));
    if (!n || *n < TPL_MIN_PAGES)
        return 0;
    return *n * 100 >= o->pages * TPL_MIN_PERCENT;
}

/* The outlet with this name hash, or NULL (read only: safe beside other
 * readers while workers run). */
static const outlet_info *find_outlet(mh_ingest *ing, uint64_t name_h)
{
    int64_t *v = map_find(&ing->outlet_by_name, name_h);
    return v ? &ing->outlets[*v - 1] : NULL;
}

/* Called by mh_extract, possibly from several workers at once and beside
 * the store thread's counting: it reads the session's knowledge under the
 * lock and writes only to its own record. */
static int oracle_is_template(void *ctx, const char *outlet, const char *line, size_t len)
{
    oracle_ctx *oc = ctx;
    if (!outlet || !*outlet || !line || len == 0 || len > LINE_MAX_BYTES)
        return 0;
    uint64_t oh = XXH3_64bits(outlet, strlen(outlet));
    uint64_t h = XXH3_64bits(line, len);
    pthread_rwlock_rdlock(&oc->ing->know);
    const outlet_info *o = find_outlet(oc->ing, oh);
    int ans = o ? is_tpl(oc->ing, o, h) : 0;
    pthread_rwlock_unlock(&oc->ing->know);
    pend *p = oc->p;
    if (p) {
        if (p->n_ask == p->cap_ask &&
            mh_grow(&p->ask, &p->cap_ask, p->n_ask + 1, sizeof *p->ask, 32)) {
            /* Losing the record of a question only means pass 2 may
             * skip a useful re-extraction. */
            return ans;
        }
        p->ask[p->n_ask].outlet = oh;
        p->ask[p->n_ask].answer = (uint8_t)ans;
        p->ask[p->n_ask].h = h;
        p->n_ask++;
    }
    return ans;
}

/* What the database knows, loaded once per session. */
static mh_err load_knowledge(mh_ingest *ing)
{
    sqlite3 *db = mh_store_sqlite_handle(ing->db->store);
    sqlite3_stmt *st = NULL;
    mh_err e = MH_OK;
    if (!db)
        return MH_OK;   /* another backend: learning starts empty */
    if (sqlite3_prepare_v2(db, "SELECT id, name, pages FROM tpl_outlets", -1, &st, NULL))
        goto dberr;
    while (sqlite3_step(st) == SQLITE_ROW) {
        long oi = outlet_index(ing, (const char *)sqlite3_column_text(st, 1));
        if (oi < 0) {
            e = MH_ENOMEM;
            goto out;
        }
        ing->outlets[oi].id = sqlite3_column_int64(st, 0);
        ing->outlets[oi].pages = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(db, "SELECT outlet, h, pages FROM tpl_lines WHERE pages >= ?1",
                           -1, &st, NULL))
        goto dberr;
    sqlite3_bind_int(st, 1, TPL_MIN_PAGES);
    while (sqlite3_step(st) == SQLITE_ROW) {
        uint64_t k = line_key(sqlite3_column_int64(st, 0), (uint64_t)sqlite3_column_int64(st, 1));
        if ((e = map_put(&ing->lines, k, sqlite3_column_int64(st, 2))) != MH_OK)
            goto out;
    }
out:
    sqlite3_finalize(st);
    if (e)
        mh_db_fail(ing->db, e, "out of memory");
    return e;
dberr:
    sqlite3_finalize(st);
    return mh_db_fail(ing->db, MH_EDB, "%s", sqlite3_errmsg(db));
}

/* ------------------------------------------------------------------ */
/* Sessions                                                            */
/* ------------------------------------------------------------------ */

static void *store_main(void *arg);
static void ing_free(mh_ingest *ing);

/*
 * The writer's page cache during an ingest.  Past about 30k pages the
 * tables with random keys (entity_article, quote_source, tpl_lines, the
 * hash indexes) no longer fit the 32 MiB the connection keeps otherwise,
 * and every store reads their pages again.  At 100k pages 256 MiB cut
 * the store thread's system time from about 8 to 5 s and its CPU by about
 * 3%, for 100 MB more peak memory; the cache only grows as pages are
 * read, so a small database costs no more.  The session puts the usual
 * size back.
 */
static const char ingest_cache_sql[] = "PRAGMA cache_size=-262144";
static const char usual_cache_sql[] = "PRAGMA cache_size=-32768";

static void set_cache(mh_db *db, const char *sql)
{
    sqlite3_stmt *st = mh_store_sqlite_stmt(db->store, sql);
    if (st) {
        while (sqlite3_step(st) == SQLITE_ROW)
            ;
        sqlite3_reset(st);
    }
}

mh_err mh_ingest_new(mh_db *db, const mh_ingest_opts *opts, mh_ingest **out)
{
    mh_ingest *ing;
    mh_err e;
    if (!out)
        return MH_EINVAL;
    *out = NULL;
    if (no_store(db))
        return MH_EINVAL;
    if (db->flags & MH_DB_READONLY)
        return mh_db_fail(db, MH_EINVAL, "database is open read-only");
    if (db->busy)
        return mh_db_fail(db, MH_EINVAL, "an ingest session is already open on this handle");
    ing = mh_malloc(sizeof *ing);
    if (!ing)
        return mh_db_fail(db, MH_ENOMEM, "out of memory");
    memset(ing, 0, sizeof *ing);
    ing->db = db;
    ing->t_begin = now_ns();
    pthread_mutex_init(&ing->mu, NULL);
    pthread_cond_init(&ing->cv, NULL);
    pthread_rwlock_init(&ing->know, NULL);
    if (opts)
        ing->o = *opts;
    if (!ing->o.batch_size)
        ing->o.batch_size = GROUP_DEFAULT;
    if (!ing->o.batch_ms)
        ing->o.batch_ms = GROUP_MS_DEFAULT;
    ing->work = ing->o.work_size ? ing->o.work_size : WORK_BATCH;
    if (ing->work > ing->o.batch_size)
        ing->work = ing->o.batch_size;
    ing->nthreads = ing->o.threads;
    if (!ing->nthreads) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        ing->nthreads = c > 0 ? (unsigned)c : 1;
    }
    if (ing->nthreads > MH_INGEST_MAX_THREADS)
        ing->nthreads = MH_INGEST_MAX_THREADS;
    ing->an = mh_malloc(ing->nthreads * sizeof *ing->an);
    if (!ing->an) {
        ing_free(ing);
        return mh_db_fail(db, MH_ENOMEM, "out of memory");
    }
    for (unsigned k = 0; k < ing->nthreads; k++) {
        ing->an[k] = mh_analyzer_new();
        /* No analyzer, no worker: run with the ones we have. */
        if (!ing->an[k]) {
            ing->nthreads = k;
            break;
        }
    }
    if (ing->nthreads == 0) {
        ing_free(ing);
        return mh_db_fail(db, MH_ENOMEM, "out of memory");
    }
    if ((e = load_knowledge(ing)) != MH_OK) {
        ing_free(ing);
        return e;
    }
    set_cache(db, ingest_cache_sql);
    ing->cache_set = 1;
    /* The store thread and the read-only connection, unless one thread
     * was asked for.  Without them the session stores inline, as without
     * the reader it waits for the batch in flight before a lookup. */
    if (ing->o.threads != 1) {
        char err[256];
        if (mh_store_sqlite_open(db->path, MH_DB_READONLY, &ing->reader, err, sizeof err))
            ing->reader = NULL;
        if (pthread_create(&ing->store_th, NULL, store_main, ing) == 0)
            ing->have_th = 1;
    }
    db->busy = 1;
    *out = ing;
    return MH_OK;
}

static void free_prepared(pend *p)
{
    for (size_t k = 0; k < N_PREPARED; k++) {
        prepared_hooks[k].free_state(p->prep[k]);
        p->prep[k] = NULL;
    }
}

static void free_iprep(pend *p)
{
    if (p->iprep)
        p->iprep_free(p->iprep);
    p->iprep = NULL;
}

static void pend_clear(pend *p)
{
    mh_free((char *)p->r.path);
    mh_free((char *)p->r.text);
    mh_free((char *)p->r.title);
    mh_free((char *)p->r.url);
    mh_free((char *)p->r.date);
    mh_free((char *)p->r.outlet);
    mh_free((char *)p->r.source);
    mh_free((char *)p->r.category);
    mh_free((char *)p->r.lead);
    mh_free(p->abspath);
    mh_free(p->why_own);
    mh_free(p->ask);
    mh_article_free(p->art);
    mh_doc_free(p->doc);
    free_iprep(p);
    free_prepared(p);
    memset(p, 0, sizeof *p);
}

static void batch_clear(batch *b)
{
    for (size_t i = 0; i < b->n; i++)
        pend_clear(&b->v[i]);
    b->n = 0;
    b->bytes = 0;
    b->added = b->dups = 0;
    b->committed = 0;
    b->fatal = MH_OK;
}

/* The raw identity of a record: its text and every hint, each field
 * prefixed by whether it is present so (NULL, "") and ("", NULL) differ. */
static uint64_t raw_hash(const mh_record *r)
{
    const char *f[] = {r->title, r->url, r->date, r->outlet, r->source, r->category, r->lead};
    uint64_t h = XXH3_64bits(r->text ? r->text : "", r->text ? r->text_len : 0);
    for (size_t i = 0; i < MH_ARRAY_LEN(f); i++) {
        uint64_t seed = h ^ (0x9E3779B97F4A7C15ull * (i + 1));
        h = f[i] ? XXH3_64bits_withSeed(f[i], strlen(f[i]), seed) : seed * 31u;
    }
    return h;
}

/* ------------------------------------------------------------------ */
/* Batches                                                             */
/* ------------------------------------------------------------------ */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_lc(const void *a, const void *b)
{
    const line_count *x = a, *y = b;
    if (x->outlet != y->outlet)
        return x->outlet < y->outlet ? -1 : 1;
    return x->h < y->h ? -1 : x->h > y->h;
}

/* Distinct candidate line hashes of a page, appended to *v. */
static mh_err page_lines(const mh_record *r, uint64_t **v, size_t *n, size_t *cap)
{
    size_t start = *n;
    const char *s = r->text;
    size_t len = r->text ? r->text_len : 0, i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && s[j] != '\n')
            j++;
        size_t a = i, b = j;
        while (a < b && s[a] == ' ')
            a++;
        while (b > a && s[b - 1] == ' ')
            b--;
        if (b > a && b - a <= LINE_MAX_BYTES) {
            if (*n == *cap && mh_grow(v, cap, *n + 1, sizeof **v, 256))
                return MH_ENOMEM;
            (*v)[(*n)++] = XXH3_64bits(s + a, b - a);
        }
        i = j + 1;
    }
    /* Distinct within the page: sort this page's part and squeeze. */
    if (*n - start > 1)
        qsort(*v + start, *n - start, sizeof **v, cmp_u64);
    size_t w = start;
    for (size_t k = start; k < *n; k++)
        if (k == start || (*v)[k] != (*v)[w - 1])
            (*v)[w++] = (*v)[k];
    *n = w;
    return MH_OK;
}

/* Pass 1 counting: write this batch's line and page counts and update
 * the in-memory knowledge. */
static mh_err count_lines(mh_ingest *ing, batch *b)
{
    mh_store *s = ing->db->store;
    line_count *lc = NULL;
    uint64_t *hv = NULL;
    size_t n_lc = 0, cap_lc = 0, n_hv = 0, cap_hv = 0;
    mh_err e = MH_OK;

    for (size_t i = 0; i < b->n; i++) {
        pend *p = &b->v[i];
        if (p->dead || !p->art->outlet || !p->art->outlet[0])
            continue;
        /* A page whose content an earlier page of the batch already has
         * is the same page again: count it once. */
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = !b->v[j].dead && strcmp(b->v[j].art->hash, p->art->hash) == 0;
        if (seen)
            continue;
        /* Only this thread writes the knowledge; the oracle reads it
         * under the lock, so every change is made under it. */
        pthread_rwlock_wrlock(&ing->know);
        long oi = outlet_index(ing, p->art->outlet);
        pthread_rwlock_unlock(&ing->know);
        if (oi < 0) {
            e = MH_ENOMEM;
            goto out;
        }
        outlet_info *o = &ing->outlets[oi];
        if (!o->id) {
            int64_t id = 0, pages = 0;
            if ((e = s->ops->tpl_outlet(s, o->name, 1, &id, &pages)) != MH_OK)
                goto out;
            pthread_rwlock_wrlock(&ing->know);
            o->id = id;
            o->pages = pages;
            pthread_rwlock_unlock(&ing->know);
        }
        n_hv = 0;
        if ((e = page_lines(&p->r, &hv, &n_hv, &cap_hv)) != MH_OK)
            goto out;
        if ((e = mh_grow(&lc, &cap_lc, n_lc + n_hv, sizeof *lc, 1024)) != MH_OK)
            goto out;
        for (size_t k = 0; k < n_hv; k++) {
            lc[n_lc].outlet = o->id;
            lc[n_lc].h = hv[k];
            n_lc++;
        }
        if ((e = s->ops->tpl_add_pages(s, o->id, 1)) != MH_OK)
            goto out;
        pthread_rwlock_wrlock(&ing->know);
        o->pages++;
        pthread_rwlock_unlock(&ing->know);
    }
    if (n_lc)
        qsort(lc, n_lc, sizeof *lc, cmp_lc);
    for (size_t i = 0; i < n_lc;) {
        size_t j = i;
        while (j < n_lc && lc[j].outlet == lc[i].outlet && lc[j].h == lc[i].h)
            j++;
        int64_t total = 0;
        if ((e = s->ops->tpl_add_line(s, lc[i].outlet, lc[i].h, (int64_t)(j - i), &total)))
            goto out;
        if (total >= TPL_MIN_PAGES) {
            pthread_rwlock_wrlock(&ing->know);
            e = map_put(&ing->lines, line_key(lc[i].outlet, lc[i].h), total);
            pthread_rwlock_unlock(&ing->know);
            if (e)
                goto out;
        }
        i = j;
    }
out:
    mh_free(lc);
    mh_free(hv);
    return e;
}

/* Did any pass-1 answer change with what the batch taught? */
static int answers_changed(mh_ingest *ing, const pend *p)
{
    for (size_t i = 0; i < p->n_ask; i++) {
        const asked *q = &p->ask[i];
        const outlet_info *o = find_outlet(ing, q->outlet);
        if ((o ? is_tpl(ing, o, q->h) : 0) != q->answer)
            return 1;
    }
    return 0;
}

static int have_hooks(void)
{
    return after_store_hooks[0] != NULL || prepared_hooks[0].prepare != NULL;
}

/*
 * Analyse the body once, when someone needs it: the after-store hooks
 * (tokens with stems), the sentence offsets when the extractor left none,
 * and the full-text index, which replays these tokens instead of
 * tokenizing the body again (store.h, mh_fts_hint).
 */
static mh_err body_doc(mh_analyzer *an, mh_article *a, mh_doc **out)
{
    size_t blen = a->body ? strlen(a->body) : 0;
    int hooks = have_hooks();
    *out = NULL;
    if (!blen || (!hooks && a->n_sentences))
        return MH_OK;
    mh_err e = mh_analyze(an, a->body, blen, hooks ? 0 : MH_AN_NOSTEM, out);
    if (e)
        return e;
    if (!a->n_sentences && (*out)->n_sentences) {
        a->sentences = mh_malloc((*out)->n_sentences * sizeof *a->sentences);
        if (!a->sentences)
            return MH_ENOMEM;
        memcpy(a->sentences, (*out)->sentences, (*out)->n_sentences * sizeof *a->sentences);
        a->n_sentences = (*out)->n_sentences;
    }
    return MH_OK;
}

/* ---------------- the parallel phases ---------------- */

/*
 * Pass 1 is per record and needs nothing but the session's knowledge
 * (read under its lock), so the workers share it out.  Each worker
 * writes only to its own records; what goes wrong is noted on the
 * record (err, why) and reported by the calling thread after the batch
 * is stored, in record order.
 */
typedef void (*phase_fn)(mh_ingest *ing, pend *p, mh_analyzer *an);

typedef struct phase {
    mh_ingest *ing;
    batch *b;
    phase_fn fn;
    atomic_size_t next;
    int over;              /* the calling thread ran out of records (under ing->mu) */
} phase;

typedef struct worker_arg {
    phase *ph;
    mh_analyzer *an;
    int standby;           /* wait until the store thread is idle */
} worker_arg;

static void *phase_worker(void *arg)
{
    worker_arg *w = arg;
    phase *ph = w->ph;
    mh_ingest *ing = ph->ing;
    size_t i;
    /* The store thread has a core while it stores; once it is done, the
     * stand-by worker takes that core for the rest of pass 1. */
    if (w->standby) {
        pthread_mutex_lock(&ing->mu);
        while (!ph->over && ing->in_flight && !ing->flight_done)
            pthread_cond_wait(&ing->cv, &ing->mu);
        pthread_mutex_unlock(&ing->mu);
    }
    while ((i = atomic_fetch_add(&ph->next, 1)) < ph->b->n)
        ph->fn(ing, &ph->b->v[i], w->an);
    return NULL;
}

static void run_phase(mh_ingest *ing, batch *b, phase_fn fn)
{
    phase ph;
    pthread_t th[MH_INGEST_MAX_THREADS];
    worker_arg args[MH_INGEST_MAX_THREADS];
    unsigned started = 0, want = ing->nthreads;
    ph.ing = ing;
    ph.b = b;
    ph.fn = fn;
    ph.over = 0;
    atomic_init(&ph.next, 0);
    /* Small batches are not worth a thread. */
    if (b->n < 8)
        want = 1;
    for (unsigned k = 1; k < want; k++) {
        args[k].ph = &ph;
        args[k].an = ing->an[k];
        /* The last one stands by while a batch is being stored. */
        args[k].standby = ing->have_th && k == want - 1;
        if (pthread_create(&th[k], NULL, phase_worker, &args[k]) != 0)
            break;      /* fewer helpers; the calling thread does the rest */
        started = k;
    }
    args[0].ph = &ph;
    args[0].an = ing->an[0];
    args[0].standby = 0;
    phase_worker(&args[0]);
    pthread_mutex_lock(&ing->mu);
    ph.over = 1;
    pthread_cond_broadcast(&ing->cv);
    pthread_mutex_unlock(&ing->mu);
    for (unsigned k = 1; k <= started; k++)
        pthread_join(th[k], NULL);
}

static void note(pend *p, mh_err e, const char *why)
{
    p->dead = 1;
    p->err = e ? e : MH_EEMPTY;
    p->why = why;
}

/* Analyse the body and run the hooks' pure work on an extracted record. */
static void analyse_one(mh_ingest *ing, pend *p, mh_analyzer *an)
{
    if (!p->art->body || !p->art->body[0]) {
        note(p, MH_EEMPTY, NULL);
        return;
    }
    mh_err e = body_doc(an, p->art, &p->doc);
    if (e) {
        note(p, e, "analysis of the body failed");
        return;
    }
    /* What the index will want of the article (the terms of its title,
     * lead and body), made here in parallel; without it (a body too large
     * to write down) the index tokenizes. */
    const mh_store_ops *ops = ing->db->store->ops;
    if (p->doc && have_hooks() && ops->index_prep &&
        ops->index_prep(an, p->art, p->doc, &p->iprep) == MH_OK && p->iprep)
        p->iprep_free = ops->index_prep_free;
    /* A prepare's failure is kept, not reported: it counts only if the
     * article is stored as new (store_one), as a hook's failure would.
     * prepare must not call mh_db_fail: the handle is not ours here. */
    for (size_t k = 0; k < N_PREPARED; k++)
        p->prep_err[k] = prepared_hooks[k].prepare(ing->db, an, p->art, p->doc, &p->prep[k]);
}

/* Pass 1: extract with what we knew, noting every question asked, and
 * do the rest of the pure work in the expectation that no answer will
 * change (pass 2 redoes the records for which one did). */
static void phase_first(mh_ingest *ing, pend *p, mh_analyzer *an)
{
    oracle_ctx oc = {ing, p};
    mh_template_oracle oracle = {oracle_is_template, &oc};
    mh_err e = mh_extract_ex(&p->r, &oracle, MH_EXTRACT_NO_SENTENCES, &p->art);
    if (e || !p->art) {
        note(p, e, NULL);
        return;
    }
    analyse_one(ing, p, an);
}

static int same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Did extracting again give the same article?  Then the analysis and
 * the hooks' pure work done in pass 1 still hold. */
static int same_article(const mh_article *a, const mh_article *b)
{
    if (!same_str(a->url, b->url) || !same_str(a->outlet, b->outlet) ||
        !same_str(a->source, b->source) || !same_str(a->title, b->title) ||
        !same_str(a->date, b->date) || !same_str(a->category, b->category) ||
        !same_str(a->lead, b->lead) || !same_str(a->body, b->body) ||
        a->n_removed != b->n_removed)
        return 0;
    for (size_t i = 0; i < a->n_removed; i++)
        if (!same_str(a->removed[i], b->removed[i]))
            return 0;
    return 1;
}

/* Pass 2 (store thread): extract and analyse again where the batch's
 * counts changed an answer. */
static void redo_changed(mh_ingest *ing, pend *p, mh_analyzer *an)
{
    if (!p->art || !answers_changed(ing, p))
        return;
    oracle_ctx oc = {ing, NULL};
    mh_template_oracle oracle = {oracle_is_template, &oc};
    mh_article *a = NULL;
    mh_err e = mh_extract_ex(&p->r, &oracle, MH_EXTRACT_NO_SENTENCES, &a);
    ing->redone++;
    if (!e && a && !p->dead && same_article(a, p->art)) {
        ing->redo_same++;
        mh_article_free(a);
        return;
    }
    mh_article_free(p->art);
    p->art = a;
    mh_doc_free(p->doc);
    p->doc = NULL;
    free_iprep(p);
    free_prepared(p);
    p->dead = 0;
    p->err = MH_OK;
    p->why = NULL;
    if (e || !a) {
        note(p, e, NULL);
        return;
    }
    analyse_one(ing, p, an);
}

/* A worker ran out of memory on one of the batch's records. */
static int batch_oom(const batch *b)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->v[i].dead && b->v[i].err == MH_ENOMEM)
            return 1;
    return 0;
}

/* Report what was rejected, in record order (calling thread only). */
static void report_rejects(mh_ingest *ing, batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        pend *p = &b->v[i];
        if (!p->dead || p->reported)
            continue;
        p->reported = 1;
        reject(ing, p->r.path, p->r.index, p->err, p->why_own ? p->why_own : p->why);
    }
}

/* ---------------- storing (the store thread) ---------------- */

/* Refuse a record at store time; reported later by the calling thread. */
static void store_reject(pend *p, mh_err e, const char *msg)
{
    p->dead = 1;
    p->err = e;
    mh_free(p->why_own);
    p->why_own = msg ? mh_strdup(msg) : NULL;
}

/*
 * Store one analysed article inside the batch (indexed later, see
 * index_batch).  Returns MH_OK or a fatal error (the batch rolls back);
 * per-article trouble is a rejection.
 * In the fast mode nothing brackets the article.  When an after-store
 * hook fails in the fast mode, *retry is set and the caller re-runs the
 * batch's stores in the careful mode, where each article has its own
 * savepoint and only the failing one is rejected.  (Savepoints are cheap
 * here because the index is not yet part of the transaction.)
 */
static mh_err store_one(mh_ingest *ing, pend *p, int careful, uint64_t *added,
                        uint64_t *dups, int *retry)
{
    mh_store *s = ing->db->store;
    int64_t id = 0;
    int marked = 0;
    mh_err e;

    p->id = 0;
    if (careful) {
        if ((e = s->ops->mark(s)) != MH_OK)
            goto out;
        marked = 1;
    }
    e = s->ops->article_put(s, p->art, p->abspath, &id);
    if (e == MH_EDUP) {
        (*dups)++;
        e = s->ops->record_put(s, p->raw, id);
        goto out;
    }
    if (e == MH_EDB || e == MH_ENOMEM)
        goto out;
    if (e) {
        /* Refused before anything was written (article_put checks first). */
        store_reject(p, e, s->ops->errmsg(s));
        e = MH_OK;
        goto out;
    }
    if ((e = s->ops->record_put(s, p->raw, id)) != MH_OK)
        goto out;
    size_t n_after = MH_ARRAY_LEN(after_store_hooks) - 1;
    for (size_t i = 0; i < n_after + N_PREPARED; i++) {
        uint64_t th = cpu_ns();
        if (i < n_after)
            e = after_store_hooks[i](ing->db, id, p->art, p->doc);
        else if ((e = p->prep_err[i - n_after]) == MH_OK)
            e = prepared_hooks[i - n_after].store(ing->db, id, p->art, p->doc,
                                                   p->prep[i - n_after]);
        if (i < T_STEPS - T_HOOK0)
            ing->t_step[T_HOOK0 + i] += cpu_ns() - th;
        if (e == MH_OK)
            continue;
        if (e == MH_ENOMEM)
            goto out;
        if (!careful) {
            *retry = 1;
            e = MH_OK;
            goto out;
        }
        char why[256];
        snprintf(why, sizeof why, "after-store step failed: %s",
                 e == MH_EDB ? s->ops->errmsg(s) : mh_errstr(e));
        marked = 0;
        if ((e = s->ops->unmark(s, 0)) != MH_OK)
            goto out;
        store_reject(p, MH_EDB, why);
        goto out;
    }
    (*added)++;
    p->id = id;
out:
    if (marked) {
        mh_err e2 = s->ops->unmark(s, e == MH_OK);
        if (!e)
            e = e2;
    }
    return e;
}

static void group_drop(mh_ingest *ing)
{
    const mh_store_ops *ops = ing->db->store->ops;
    for (size_t i = 0; i < ing->n_dv; i++) {
        mh_article_free(ing->dv[i].art);
        if (ing->dv[i].iprep)
            ops->index_prep_free(ing->dv[i].iprep);
    }
    ing->n_dv = 0;
    ing->dv_bytes = 0;
    ing->grp_open = 0;
    ing->grp_records = 0;
}

static size_t str_bytes(const char *s) { return s ? strlen(s) + 1 : 0; }

/* The batch's new articles wait for the group's commit to be indexed:
 * each keeps its article and its index material, nothing else. */
static mh_err group_defer(mh_ingest *ing, batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        pend *p = &b->v[i];
        mh_doc_free(p->doc);
        p->doc = NULL;
        free_prepared(p);
        if (p->dead || p->id <= 0)
            continue;
        if (ing->n_dv == ing->cap_dv &&
            mh_grow(&ing->dv, &ing->cap_dv, ing->n_dv + 1, sizeof *ing->dv, 1024))
            return MH_ENOMEM;
        deferred *d = &ing->dv[ing->n_dv++];
        d->id = p->id;
        d->art = p->art;
        d->iprep = p->iprep;
        p->art = NULL;
        p->iprep = NULL;
        /* The text, and its terms at about three bytes per byte. */
        ing->dv_bytes += sizeof *d + 4 * (str_bytes(d->art->title) + str_bytes(d->art->lead) +
                                          str_bytes(d->art->body));
    }
    ing->grp_records += b->n;
    return MH_OK;
}

/* Should the open group be committed after this batch? */
static int group_full(const mh_ingest *ing)
{
    return ing->grp_records >= ing->o.batch_size || ing->dv_bytes >= GROUP_MAX_BYTES ||
           now_ms_since(&ing->grp_t0) >= ing->o.batch_ms;
}

/* A fatal error in the open group: say why, roll the group back. */
static void group_abort(mh_ingest *ing, mh_err e)
{
    if (e == MH_ENOMEM)
        mh_db_fail(ing->db, e, "out of memory");
    else
        store_fail(ing->db, e);
    ing->db->store->ops->rollback(ing->db->store);
    group_drop(ing);
}

/* Index the group's articles, after every hook ran (store.h), and
 * commit.  On failure the caller aborts the group. */
static mh_err group_commit(mh_ingest *ing)
{
    mh_store *s = ing->db->store;
    uint64_t t = cpu_ns(), t2;
    for (size_t i = 0; i < ing->n_dv; i++) {
        deferred *d = &ing->dv[i];
        mh_err e = s->ops->article_index(s, d->id, d->art, d->iprep);
        if (e)
            return e;
    }
    t2 = cpu_ns();
    ing->t_step[T_INDEX] += t2 - t;
    mh_err e = s->ops->commit(s);
    ing->t_step[T_COMMIT] += cpu_ns() - t2;
    if (e)
        return e;
    group_drop(ing);
    return MH_OK;
}

/* Count, redo, store, index and commit one batch whose pass 1 is done.
 * The outcome goes to b->added, b->dups, b->fatal (with the message in
 * the handle); nothing is reported from here. */
static void store_batch(mh_ingest *ing, batch *b)
{
    mh_store *s = ing->db->store;
    uint64_t added = 0, dups = 0;
    int retry = 0;
    mh_err e;

    uint64_t t = cpu_ns(), t2;
#define STEP(k) (t2 = cpu_ns(), ing->t_step[k] += t2 - t, t = t2)
    if (!ing->grp_open) {
        if ((e = s->ops->begin(s)) != MH_OK)
            goto fatal;
        ing->grp_open = 1;
        ing->grp_t0 = b->t0;
    }
    if ((e = count_lines(ing, b)) != MH_OK)
        goto fatal;
    for (size_t i = 0; i < b->n; i++)
        redo_changed(ing, &b->v[i], ing->db->an);
    if (batch_oom(b)) {
        e = MH_ENOMEM;
        goto fatal;
    }
    STEP(T_COUNT);

    /* Store: fast, and once more carefully if a hook failed. */
    if ((e = s->ops->mark(s)) != MH_OK)
        goto fatal;
    for (size_t i = 0; i < b->n && !retry; i++)
        if (!b->v[i].dead &&
            (e = store_one(ing, &b->v[i], 0, &added, &dups, &retry)) != MH_OK)
            goto fatal;
    if ((e = s->ops->unmark(s, !retry)) != MH_OK)
        goto fatal;
    if (retry) {
        added = dups = 0;
        for (size_t i = 0; i < b->n; i++)
            if (!b->v[i].dead &&
                (e = store_one(ing, &b->v[i], 1, &added, &dups, &retry)) != MH_OK)
                goto fatal;
    }
    if ((e = group_defer(ing, b)) != MH_OK)
        goto fatal;
    STEP(T_STORE);
#undef STEP
    if (group_full(ing)) {
        if ((e = group_commit(ing)) != MH_OK)
            goto fatal;
        b->committed = 1;
    }
    b->added = added;
    b->dups = dups;
    return;
fatal:
    group_abort(ing, e);
    b->fatal = e;
}

static void *store_main(void *arg)
{
    mh_ingest *ing = arg;
    pthread_mutex_lock(&ing->mu);
    for (;;) {
        while (!ing->quit && !(ing->in_flight && !ing->flight_done))
            pthread_cond_wait(&ing->cv, &ing->mu);
        if (!(ing->in_flight && !ing->flight_done))
            break;      /* quit, nothing left */
        pthread_mutex_unlock(&ing->mu);
        store_batch(ing, &ing->flight);
        pthread_mutex_lock(&ing->mu);
        ing->flight_done = 1;
        pthread_cond_broadcast(&ing->cv);
    }
    pthread_mutex_unlock(&ing->mu);
    return NULL;
}

/* The open group is on disk: its counts become the session's. */
static void group_committed(mh_ingest *ing)
{
    ing->st.added += ing->unc_added;
    ing->st.dups += ing->unc_dups;
    ing->unc_added = ing->unc_dups = 0;
    map_free(&ing->unc_raws);
}

/*
 * Wait for the batch in flight to be stored, then account for it:
 * rejections in record order, counts, progress.  A batch that failed
 * makes the session fatal (the message is already in the handle).
 */
static mh_err collect_flight(mh_ingest *ing)
{
    pthread_mutex_lock(&ing->mu);
    int had = ing->in_flight;
    if (ing->in_flight && !ing->flight_done) {
        uint64_t t = now_ns();
        while (ing->in_flight && !ing->flight_done)
            pthread_cond_wait(&ing->cv, &ing->mu);
        ing->t_wait += now_ns() - t;
    }
    ing->in_flight = ing->flight_done = 0;
    pthread_mutex_unlock(&ing->mu);
    if (!had)
        return ing->fatal;
    batch *b = &ing->flight;
    if (b->fatal) {
        ing->fatal = b->fatal;
    } else {
        report_rejects(ing, b);
        ing->unc_added += b->added;
        ing->unc_dups += b->dups;
        if (b->committed) {
            group_committed(ing);
        } else {
            /* Stored but not committed: the reader cannot see these
             * raws yet, so they are remembered here until the commit. */
            for (size_t i = 0; i < b->n && !ing->fatal; i++)
                if (!b->v[i].dead && map_put(&ing->unc_raws, b->v[i].raw, 1) != MH_OK)
                    ing->fatal = mh_db_fail(ing->db, MH_ENOMEM, "out of memory");
        }
    }
    batch_clear(b);
    progress(ing);
    return ing->fatal;
}

/*
 * The batch being read is full (or old): run pass 1 on it, wait for the
 * one in flight, and hand this one to the store thread (or store it here
 * when there is none).
 */
static mh_err process_batch(mh_ingest *ing)
{
    batch *b = &ing->fill;
    if (b->n == 0)
        return collect_flight(ing);
    uint64_t t = cpu_ns();
    run_phase(ing, b, phase_first);
    ing->t_step[T_PASS1] += cpu_ns() - t;
    mh_err e = collect_flight(ing);
    if (!e && batch_oom(b)) {
        ing->fatal = e = mh_db_fail(ing->db, MH_ENOMEM, "out of memory");
    }
    if (e) {
        batch_clear(b);
        return e;
    }
    /* Swap: the full batch goes in flight, the emptied one is refilled. */
    batch tmp = ing->flight;
    ing->flight = *b;
    *b = tmp;
    pthread_mutex_lock(&ing->mu);
    ing->in_flight = 1;
    ing->flight_done = 0;
    pthread_cond_broadcast(&ing->cv);
    pthread_mutex_unlock(&ing->mu);
    if (!ing->have_th) {
        store_batch(ing, &ing->flight);
        pthread_mutex_lock(&ing->mu);
        ing->flight_done = 1;
        pthread_mutex_unlock(&ing->mu);
        return collect_flight(ing);
    }
    return MH_OK;
}

/* A failure of the calling thread's own: the store thread may be writing
 * the handle's message, so let it finish first. */
static mh_err main_fail(mh_ingest *ing, mh_err e, const char *msg)
{
    if (collect_flight(ing) != MH_OK)
        return ing->fatal;
    return ing->fatal = mh_db_fail(ing->db, e, "%s", msg);
}

/* ------------------------------------------------------------------ */
/* Records                                                             */
/* ------------------------------------------------------------------ */

static int batch_has_raw(const batch *b, uint64_t raw)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->v[i].raw == raw)
            return 1;
    return 0;
}

/* Was this raw record seen before?  1 yes, 0 no, -1 fatal (ing->fatal).
 * Committed batches are on the reader's connection; the batch in flight
 * (whose raws the store thread never changes) and the one being read
 * are in memory.  Without a reader, the batch in flight is waited for
 * and the writer's connection answers. */
static int seen_raw(mh_ingest *ing, uint64_t raw)
{
    int64_t id;
    mh_err e = MH_EDB;
    if (batch_has_raw(&ing->fill, raw) || map_find(&ing->unc_raws, raw))
        return 1;
    if (ing->reader) {
        if (batch_has_raw(&ing->flight, raw))
            return 1;
        e = ing->reader->ops->record_lookup(ing->reader, raw, &id);
    }
    if (e != MH_OK && e != MH_ENOTFOUND) {
        if (collect_flight(ing) != MH_OK)
            return -1;
        mh_store *s = ing->db->store;
        e = s->ops->record_lookup(s, raw, &id);
        if (e != MH_OK && e != MH_ENOTFOUND) {
            ing->fatal = store_fail(ing->db, e);
            return -1;
        }
    }
    return e == MH_OK;
}

static mh_err add_record(mh_ingest *ing, const mh_record *r, const char *abspath)
{
    if (ing->fatal)
        return ing->fatal;
    ing->st.records++;
    ing->st.bytes += r->text ? r->text_len : 0;
    uint64_t raw = raw_hash(r);
    int seen = seen_raw(ing, raw);
    if (seen < 0)
        return ing->fatal;
    if (seen) {
        ing->st.dups++;
        return MH_OK;
    }
    batch *b = &ing->fill;
    if (b->n == b->cap && mh_grow(&b->v, &b->cap, b->n + 1, sizeof *b->v, 64))
        return main_fail(ing, MH_ENOMEM, "out of memory");
    pend *p = &b->v[b->n];
    memset(p, 0, sizeof *p);
    p->raw = raw;
    p->r.index = r->index;
    p->r.crawl_time = r->crawl_time;
    p->r.text_len = r->text ? r->text_len : 0;
    int oom = 0;
#define DUP(f) do { if (r->f && !(p->r.f = mh_strdup(r->f))) oom = 1; } while (0)
    DUP(path);
    DUP(title);
    DUP(url);
    DUP(date);
    DUP(outlet);
    DUP(source);
    DUP(category);
    DUP(lead);
#undef DUP
    p->r.text = mh_strndup(r->text ? r->text : "", p->r.text_len);
    if (!p->r.text)
        oom = 1;
    if (abspath && !(p->abspath = mh_strdup(abspath)))
        oom = 1;
    if (oom) {
        pend_clear(p);
        return main_fail(ing, MH_ENOMEM, "out of memory");
    }
    if (b->n == 0)
        clock_gettime(CLOCK_MONOTONIC, &b->t0);
    b->n++;
    b->bytes += p->r.text_len;
    if (b->n >= ing->work || b->bytes >= BATCH_MAX_BYTES ||
        now_ms_since(&b->t0) >= ing->o.batch_ms)
        return process_batch(ing);
    return MH_OK;
}

mh_err mh_ingest_add_record(mh_ingest *ing, const mh_record *r)
{
    if (!ing || !r)
        return MH_EINVAL;
    return add_record(ing, r, NULL);
}

/* ------------------------------------------------------------------ */
/* Files, folders, stdin                                               */
/* ------------------------------------------------------------------ */

typedef struct file_ctx {
    mh_ingest *ing;
    const char *abspath;
    long line;             /* stdin: the record index to report */
} file_ctx;

static int on_record(void *ctx, const mh_record *r)
{
    file_ctx *f = ctx;
    if (f->line >= 0) {
        mh_record copy = *r;
        copy.index = f->line;
        return add_record(f->ing, &copy, f->abspath);
    }
    return add_record(f->ing, r, f->abspath);
}

static void on_record_err(void *ctx, const char *path, long index, mh_err e, const char *detail)
{
    file_ctx *f = ctx;
    reject(f->ing, path, f->line >= 0 ? f->line : index, e, detail);
}

static mh_err ingest_file(mh_ingest *ing, const char *path)
{
    char *abs = realpath(path, NULL);
    file_ctx f = {ing, abs, -1};
    int r = mh_page_read_file(path, ing->o.format, on_record, on_record_err, &f);
    free(abs);
    ing->st.files++;
    if (ing->fatal)
        return ing->fatal;
    if (r != MH_OK) {
        const char *why = NULL;
        char buf[256];
        if (r == MH_EIO && errno) {
            snprintf(buf, sizeof buf, "%s", strerror(errno));
            why = buf;
        }
        reject(ing, path, -1, (mh_err)r, why);
    }
    progress(ing);
    return MH_OK;
}

/* JSONL on stdin, one line at a time so memory stays bounded and batches
 * commit while the producer is still writing. */
static mh_err ingest_stdin(mh_ingest *ing)
{
    char chunk[65536];
    mh_buf line;
    long no = 0;
    int skipping = 0;
    size_t k;
    file_ctx f = {ing, NULL, 0};

    mh_buf_init(&line, MH_MAX_LINE_BYTES);
    ing->st.files++;
    ing->st.files_total++;
    for (;;) {
        k = fread(chunk, 1, sizeof chunk, stdin);
        size_t i = 0;
        while (i < k || (k == 0 && (line.len || skipping))) {
            const char *nl = k ? memchr(chunk + i, '\n', k - i) : NULL;
            size_t take = nl ? (size_t)(nl - (chunk + i)) : k - i;
            if (!skipping)
                mh_buf_add(&line, chunk + i, take);
            i += take;
            int end = nl != NULL || k == 0;
            if (nl)
                i++;
            if (!end)
                break;
            if (skipping || line.err == MH_ETOOBIG) {
                if (!skipping)
                    reject(ing, "-", no, MH_ETOOBIG, "line over the JSONL ceiling");
                skipping = 0;
            } else if (line.err) {
                mh_buf_free(&line);
                return main_fail(ing, line.err, "out of memory");
            } else {
                size_t a = 0;
                while (a < line.len && (line.p[a] == ' ' || line.p[a] == '\r'))
                    a++;
                if (a < line.len) {
                    uint64_t before = ing->st.rejected;
                    f.line = no;
                    int r = mh_page_read_mem("-", line.p, line.len, MH_FMT_JSONL, on_record,
                                             on_record_err, &f);
                    /* A line refused as a whole is still named. */
                    if (r != MH_OK && !ing->fatal && ing->st.rejected == before)
                        reject(ing, "-", no, r > 0 && r < MH_ERR_COUNT ? (mh_err)r : MH_EFORMAT,
                               NULL);
                    if (ing->fatal) {
                        mh_buf_free(&line);
                        return ing->fatal;
                    }
                }
            }
            no++;
            mh_buf_reset(&line);
            if (k == 0)
                break;
        }
        if (line.err == MH_ETOOBIG && !skipping) {
            /* Drop the rest of this line as it streams in. */
            reject(ing, "-", no, MH_ETOOBIG, "line over the JSONL ceiling");
            skipping = 1;
            mh_buf_reset(&line);
        }
        if (k == 0)
            break;
    }
    if (ferror(stdin))
        reject(ing, "-", -1, MH_EIO, strerror(errno));
    mh_buf_free(&line);
    progress(ing);
    return MH_OK;
}

typedef struct strvec { char **v; size_t n, cap; } strvec;

static int sv_push(strvec *s, char *p)
{
    if (!p)
        return 0;
    if (s->n == s->cap && mh_grow(&s->v, &s->cap, s->n + 1, sizeof *s->v, 64)) {
        mh_free(p);
        return 0;
    }
    s->v[s->n++] = p;
    return 1;
}

static void sv_free(strvec *s)
{
    for (size_t i = 0; i < s->n; i++)
        mh_free(s->v[i]);
    mh_free(s->v);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join_path(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    int slash = a && dir[a - 1] != '/';
    char *p = mh_malloc(a + (size_t)slash + b + 1);
    if (!p)
        return NULL;
    memcpy(p, dir, a);
    if (slash)
        p[a] = '/';
    memcpy(p + a + (size_t)slash, name, b + 1);
    return p;
}

/* All files under dir, sorted, hidden entries and symlinked folders
 * skipped (a link loop must not hang an ingest). */
static mh_err list_dir(mh_ingest *ing, const char *dir, int depth, strvec *out)
{
    strvec names = {0};
    mh_err e = MH_OK;
    DIR *d;
    struct dirent *de;
    if (depth > 64) {
        reject(ing, dir, -1, MH_ETOOBIG, "folders nested too deeply");
        return MH_OK;
    }
    if (!(d = opendir(dir))) {
        reject(ing, dir, -1, MH_EIO, strerror(errno));
        return MH_OK;
    }
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        if (!sv_push(&names, join_path(dir, de->d_name))) {
            e = MH_ENOMEM;
            goto out;
        }
    }
    if (names.n > 1)
        qsort(names.v, names.n, sizeof *names.v, cmp_str);
    for (size_t i = 0; i < names.n; i++) {
        struct stat lst, st;
        if (lstat(names.v[i], &lst) != 0 || stat(names.v[i], &st) != 0) {
            reject(ing, names.v[i], -1, MH_EIO, strerror(errno));
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if (S_ISLNK(lst.st_mode))
                continue;
            if ((e = list_dir(ing, names.v[i], depth + 1, out)) != MH_OK)
                goto out;
        } else if (S_ISREG(st.st_mode)) {
            if (!sv_push(out, names.v[i])) {
                names.v[i] = NULL;
                e = MH_ENOMEM;
                goto out;
            }
            names.v[i] = NULL;
        }
    }
out:
    closedir(d);
    sv_free(&names);
    return e;
}

mh_err mh_ingest_add_path(mh_ingest *ing, const char *path)
{
    struct stat st;
    mh_err e = MH_OK;
    if (!ing || !path)
        return MH_EINVAL;
    if (ing->fatal)
        return ing->fatal;
    if (strcmp(path, "-") == 0)
        return ingest_stdin(ing);
    if (stat(path, &st) != 0) {
        reject(ing, path, -1, MH_EIO, strerror(errno));
        return MH_OK;
    }
    if (!S_ISDIR(st.st_mode)) {
        ing->st.files_total++;
        return ingest_file(ing, path);
    }
    strvec files = {0};
    if ((e = list_dir(ing, path, 0, &files)) != MH_OK) {
        sv_free(&files);
        return main_fail(ing, e, "out of memory");
    }
    ing->st.files_total += files.n;
    progress(ing);
    for (size_t i = 0; i < files.n && e == MH_OK; i++)
        e = ingest_file(ing, files.v[i]);
    sv_free(&files);
    return e;
}

/* Free a session whose store thread is stopped (or never started). */
static void ing_free(mh_ingest *ing)
{
    mh_store_sqlite_checkpoint_wait(ing->db->store);
    batch_clear(&ing->fill);
    batch_clear(&ing->flight);
    mh_free(ing->fill.v);
    mh_free(ing->flight.v);
    for (size_t i = 0; i < ing->n_outlets; i++)
        mh_free(ing->outlets[i].name);
    mh_free(ing->outlets);
    map_free(&ing->outlet_by_name);
    map_free(&ing->lines);
    map_free(&ing->unc_raws);
    if (ing->grp_open)
        ing->db->store->ops->rollback(ing->db->store);
    group_drop(ing);
    mh_free(ing->dv);
    if (ing->an)
        for (unsigned k = 0; k < ing->nthreads; k++)
            mh_analyzer_free(ing->an[k]);
    mh_free(ing->an);
    if (ing->reader)
        ing->reader->ops->close(ing->reader);
    if (ing->cache_set)
        set_cache(ing->db, usual_cache_sql);
    pthread_rwlock_destroy(&ing->know);
    pthread_cond_destroy(&ing->cv);
    pthread_mutex_destroy(&ing->mu);
    mh_free(ing);
}

mh_err mh_ingest_finish(mh_ingest *ing, mh_ingest_stats *out)
{
    mh_err e = MH_OK;
    if (!ing) {
        if (out)
            memset(out, 0, sizeof *out);
        return MH_OK;
    }
    if (!ing->fatal)
        e = process_batch(ing);
    /* The end: while the store thread stores the last batch and commits,
     * this thread's core is idle; what is committed so far goes back into
     * the file there, so closing the database has only the last group to
     * copy.  (Nothing to copy yet when no group has been committed.) */
    if (!e && ing->have_th && ing->st.added + ing->st.dups > 0)
        mh_store_sqlite_checkpoint_start(ing->db->store);
    if (!e)
        e = collect_flight(ing);
    else
        collect_flight(ing);
    /* The last group: nothing is in flight, so the store thread is idle
     * and its connection is this thread's to use. */
    if (!ing->fatal && ing->grp_open) {
        mh_err ge = group_commit(ing);
        if (ge) {
            group_abort(ing, ge);
            ing->fatal = ge;
        } else {
            group_committed(ing);
            progress(ing);
        }
    }
    if (ing->fatal)
        e = ing->fatal;
    if (ing->have_th) {
        pthread_mutex_lock(&ing->mu);
        ing->quit = 1;
        pthread_cond_broadcast(&ing->cv);
        pthread_mutex_unlock(&ing->mu);
        pthread_join(ing->store_th, NULL);
    }
    if (out)
        *out = ing->st;
    if (getenv("MUHABIR_INGEST_TIMES")) {
        double all = (double)(now_ns() - ing->t_begin) / 1e9;
        fprintf(stderr, "ingest steps, CPU s of their thread (%.2f s wall; %llu records extracted"
                " twice, %llu the same again)", all, (unsigned long long)ing->redone,
                (unsigned long long)ing->redo_same);
        for (int k = 0; k < T_STEPS; k++) {
            size_t h = (size_t)(k - T_HOOK0), n_after = MH_ARRAY_LEN(after_store_hooks) - 1;
            const char *name = k < T_HOOK0 ? t_names[k]
                             : h >= n_after && h - n_after < N_PREPARED
                               ? prepared_hooks[h - n_after].name : NULL;
            if (name)
                fprintf(stderr, "%s %s %.2f", k == T_HOOK0 ? ";" : ",", name,
                        (double)ing->t_step[k] / 1e9);
        }
        fprintf(stderr, "; the calling thread waited %.2f s wall for the store thread\n",
                (double)ing->t_wait / 1e9);
    }
    ing->db->busy = 0;
    ing_free(ing);
    return e;
}

mh_err mh_db_ingest_path(mh_db *db, const char *path, const mh_ingest_opts *opts,
                         mh_ingest_stats *out)
{
    mh_ingest *ing = NULL;
    mh_err e = mh_ingest_new(db, opts, &ing);
    if (e)
        return e;
    e = mh_ingest_add_path(ing, path);
    mh_err e2 = mh_ingest_finish(ing, out);
    return e ? e : e2;
}

/* ------------------------------------------------------------------ */
/* Articles                                                            */
/* ------------------------------------------------------------------ */

mh_err mh_db_get_article(mh_db *db, int64_t id, mh_article **out)
{
    if (!out)
        return MH_EINVAL;
    *out = NULL;
    if (no_store(db))
        return MH_EINVAL;
    mh_err e = db->store->ops->article_get(db->store, id, out);
    return e ? store_fail(db, e) : MH_OK;
}

mh_err mh_db_find_path(mh_db *db, const char *path, int64_t **ids, size_t *n)
{
    if (!ids || !n || !path)
        return MH_EINVAL;
    *ids = NULL;
    *n = 0;
    if (no_store(db))
        return MH_EINVAL;
    char *abs = realpath(path, NULL);
    mh_err e = db->store->ops->article_find_path(db->store, path, abs, ids, n);
    free(abs);
    return e ? store_fail(db, e) : MH_OK;
}

int mh_db_each_article(mh_db *db, mh_article_cb cb, void *ctx)
{
    if (!cb || no_store(db))
        return MH_EINVAL;
    int r = db->store->ops->article_each(db->store, cb, ctx);
    if (r == MH_EDB || r == MH_ENOMEM)
        store_fail(db, (mh_err)r);
    return r;
}

static cJSON *str_or_null(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

cJSON *mh_article_cjson(mh_db *db, const mh_article *a)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *rem = NULL, *sent = NULL;
    int ok = o != NULL;
    if (!ok)
        return NULL;
    ok &= mh_json_add(o, "id", cJSON_CreateNumber((double)a->id));
    ok &= mh_json_add(o, "path", str_or_null(a->path));
    ok &= mh_json_add(o, "record", cJSON_CreateNumber((double)a->record));
    ok &= mh_json_add(o, "url", str_or_null(a->url));
    ok &= mh_json_add(o, "outlet", str_or_null(a->outlet));
    ok &= mh_json_add(o, "source", str_or_null(a->source));
    ok &= mh_json_add(o, "title", str_or_null(a->title));
    ok &= mh_json_add(o, "date", str_or_null(a->date));
    ok &= mh_json_add(o, "category", str_or_null(a->category));
    ok &= mh_json_add(o, "lead", str_or_null(a->lead));
    ok &= mh_json_add(o, "body", str_or_null(a->body));
    rem = cJSON_AddArrayToObject(o, "removed");
    ok &= rem != NULL;
    for (size_t i = 0; ok && i < a->n_removed; i++)
        ok &= cJSON_AddItemToArray(rem, cJSON_CreateString(a->removed[i] ? a->removed[i] : ""));
    sent = cJSON_AddArrayToObject(o, "sentences");
    ok &= sent != NULL;
    for (size_t i = 0; ok && i < a->n_sentences; i++) {
        cJSON *pair = cJSON_CreateArray();
        ok &= cJSON_AddItemToArray(sent, pair);
        ok &= pair && cJSON_AddItemToArray(pair, cJSON_CreateNumber(a->sentences[i].start));
        ok &= pair && cJSON_AddItemToArray(pair, cJSON_CreateNumber(a->sentences[i].end));
    }
    ok &= mh_json_add(o, "hash", cJSON_CreateString(a->hash));
    for (size_t i = 0; ok && i < MH_ARRAY_LEN(json_hooks) && json_hooks[i]; i++)
        ok &= json_hooks[i](db, a, o) == MH_OK;
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

mh_err mh_db_article_json(mh_db *db, const mh_article *a, char **out, size_t *out_len)
{
    if (!out || !a || !db)
        return MH_EINVAL;
    *out = NULL;
    cJSON *o = mh_article_cjson(db, a);
    if (!o)
        return mh_db_fail(db, MH_ENOMEM, "out of memory (article JSON)");
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!s)
        return mh_db_fail(db, MH_ENOMEM, "out of memory (article JSON)");
    size_t n = strlen(s);
    *out = mh_strndup(s, n);
    cJSON_free(s);
    if (!*out)
        return mh_db_fail(db, MH_ENOMEM, "out of memory (article JSON)");
    if (out_len)
        *out_len = n;
    return MH_OK;
}

/* ------------------------------------------------------------------ */
/* Statistics and upkeep                                               */
/* ------------------------------------------------------------------ */

mh_err mh_db_stats(mh_db *db, mh_stats *out)
{
    if (!out)
        return MH_EINVAL;
    memset(out, 0, sizeof *out);
    if (no_store(db))
        return MH_EINVAL;
    mh_err e = db->store->ops->stats(db->store, out);
    return e ? store_fail(db, e) : MH_OK;
}

int mh_db_each_outlet(mh_db *db, mh_outlet_cb cb, void *ctx)
{
    if (!cb || no_store(db))
        return MH_EINVAL;
    int r = db->store->ops->each_outlet(db->store, cb, ctx);
    if (r == MH_EDB)
        store_fail(db, MH_EDB);
    return r;
}

mh_err mh_db_optimize(mh_db *db)
{
    if (no_store(db))
        return MH_EINVAL;
    if (db->flags & MH_DB_READONLY)
        return mh_db_fail(db, MH_EINVAL, "database is open read-only");
    mh_err e = db->store->ops->optimize(db->store);
    return e ? store_fail(db, e) : MH_OK;
}

mh_err mh_db_check(mh_db *db)
{
    if (no_store(db))
        return MH_EINVAL;
    if (db->flags & MH_DB_READONLY)
        return mh_db_fail(db, MH_EINVAL, "the check needs a read-write handle");
    mh_err e = db->store->ops->check(db->store);
    return e ? store_fail(db, e) : MH_OK;
}
