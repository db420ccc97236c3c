/*
 * store.h -- the storage interface of muhabir: one vtable, one file per
 * backend (store_sqlite.c today; a PostgreSQL backend can follow without
 * touching the pipeline), in the manner of curl's vtls layer.  Also the
 * interfaces shared by db.c, search.c and fts.c.  Not installed.
 *
 * Extension points (how later stages plug in)
 *  1. New storage operations: add a member at the END of mh_store_ops and
 *     fill it in store_sqlite.c's `sqlite_ops`.  Callers must treat a NULL
 *     member as "not supported by this backend" (MH_EINVAL).
 *  2. New tables: append one entry to the `migrations[]` array in
 *     store_sqlite.c (next version number, SQL and/or a C step).  The
 *     schema version lives in PRAGMA user_version; migrations run in one
 *     transaction when a database is opened read-write.
 *  3. Backend-specific code in another file (say story.c) reaches SQLite
 *     with mh_store_sqlite_handle(mh_db_store(db)) and keeps its prepared
 *     statements in the store's cache with mh_store_sqlite_stmt(), so it
 *     never has to finalize anything itself.
 *  4. Work on every newly stored article (dedup groups, entities, quotes):
 *     one line in the `after_store_hooks[]` array at the top of db.c.  The
 *     hook runs inside the ingest transaction, so what it writes commits
 *     or vanishes together with the article; it runs on the ingest's
 *     calling thread, before the article enters the full-text index.  A
 *     hook must not rely on in-memory state surviving a rollback: when a
 *     hook fails, the batch's stores are undone and re-run one by one.
 *     A hook with heavy pure work goes in `prepared_hooks[]` instead
 *     (mh_prepared_hook): its compute runs on the worker threads.
 *  5. More fields in exported/shown article JSON: one line in the
 *     `json_hooks[]` array in db.c.
 */
#ifndef MH_STORE_H
#define MH_STORE_H

#include "internal.h"

#include <cjson/cJSON.h>
#include <sqlite3.h>

/* cJSON_AddItemToObject that frees item when it is not added (obj or
 * item NULL, or the copy of key ran out of memory): cJSON leaves such an
 * item to the caller, and the JSON builders would leak it.  After a 0,
 * item is gone. */
static inline int mh_json_add(cJSON *obj, const char *key, cJSON *item)
{
    if (obj && item && cJSON_AddItemToObject(obj, key, item))
        return 1;
    cJSON_Delete(item);
    return 0;
}

/* The error of a failed SQLite call on sq: memory that ran out, in
 * SQLite or in our tokenizer inside it, is no fault of the database. */
static inline mh_err mh_sqlite_err(sqlite3 *sq)
{
    return (sqlite3_errcode(sq) & 0xff) == SQLITE_NOMEM ? MH_ENOMEM : MH_EDB;
}

typedef struct mh_store mh_store;
typedef struct mh_store_ops mh_store_ops;
typedef struct mh_query mh_query;

/* Every backend's handle starts with this, so the pipeline can reach the
 * operations without knowing the backend. */
struct mh_store {
    const mh_store_ops *ops;
};

/* A search as the backend receives it: the parsed query plus filters that
 * db.c has already validated and normalised. */
typedef struct mh_search_req {
    const mh_query *query;
    const char *from, *to;      /* "YYYY-MM-DD" inclusive, NULL = open */
    const char *outlet_key;     /* mh_tr_fold of the outlet, NULL = any */
    size_t limit, offset;
    const char *hl_open, *hl_close;   /* snippet highlight markers */
    int snippet_tokens;
    size_t window;              /* rank the newest `window` matches; 0 = all */
} mh_search_req;

/*
 * The operations.  All return MH_OK or an error with detail available
 * from errmsg.  Articles handed out are freed with mh_article_free.
 * Transactions: the pipeline brackets a batch with begin/commit; mark and
 * unmark are savepoints inside it (nestable), with which the pipeline
 * takes back one article whose after-store hook failed without losing
 * the batch (db.c, store_one).
 */
struct mh_store_ops {
    const char *name;
    void (*close)(mh_store *s);
    const char *(*errmsg)(mh_store *s);

    mh_err (*begin)(mh_store *s);
    mh_err (*commit)(mh_store *s);
    mh_err (*rollback)(mh_store *s);
    mh_err (*mark)(mh_store *s);
    mh_err (*unmark)(mh_store *s, int keep);

    /* Raw record hashes seen before (skip re-extraction on re-ingest). */
    mh_err (*record_lookup)(mh_store *s, uint64_t raw, int64_t *out_id);
    mh_err (*record_put)(mh_store *s, uint64_t raw, int64_t article_id);

    /* Articles.  article_put stores a new article; it returns MH_EDUP
     * with *out_id set to the stored one when the content hash is already
     * there.  Errors other than MH_EDB come before anything is written.
     * article_index adds a stored article to the full-text index; the
     * pipeline indexes a commit group's articles after all their
     * after-store hooks ran (see db.c).  prep (may be NULL) is what
     * index_prep (below) made of the body analysed with stems, which the
     * index may use instead of tokenizing the body again. */
    mh_err (*article_put)(mh_store *s, const mh_article *a, const char *abspath,
                          int64_t *out_id);
    mh_err (*article_index)(mh_store *s, int64_t id, const mh_article *a, const void *prep);
    mh_err (*article_get)(mh_store *s, int64_t id, mh_article **out);
    mh_err (*article_find_path)(mh_store *s, const char *path, const char *abspath,
                                int64_t **ids, size_t *n);
    int (*article_each)(mh_store *s, int (*cb)(void *ctx, const mh_article *a), void *ctx);

    /* Boilerplate learning: per-outlet page counts and line counts. */
    mh_err (*tpl_outlet)(mh_store *s, const char *outlet, int create,
                         int64_t *out_id, int64_t *out_pages);
    /* Add k pages to a line's count; *out_total is the new count. */
    mh_err (*tpl_add_line)(mh_store *s, int64_t outlet_id, uint64_t line_hash, int64_t k,
                           int64_t *out_total);
    mh_err (*tpl_add_pages)(mh_store *s, int64_t outlet_id, int64_t k);

    mh_err (*search)(mh_store *s, const mh_search_req *req, mh_hit **out, size_t *n);
    mh_err (*stats)(mh_store *s, mh_stats *out);
    int (*each_outlet)(mh_store *s, mh_outlet_cb cb, void *ctx);
    mh_err (*optimize)(mh_store *s);
    mh_err (*check)(mh_store *s);

    /* What article_index will want of an article, made ahead, on any
     * thread, without the database (may be NULL: not supported): an is
     * the calling thread's analyzer, body_doc the body analysed with
     * stems.  *out may be left NULL; free it with index_prep_free. */
    mh_err (*index_prep)(mh_analyzer *an, const mh_article *a, const mh_doc *body_doc,
                         void **out);
    void (*index_prep_free)(void *prep);
};

/* ---------------- Interface to store_sqlite.c ---------------- */

/*
 * Open (and, unless MH_DB_READONLY, create and migrate) a SQLite store.
 * On failure *out is NULL and a message is written to err[errlen].
 * Close with s->ops->close(s).
 */
mh_err mh_store_sqlite_open(const char *path, unsigned flags, mh_store **out,
                            char *err, size_t errlen);

/* The connection behind a SQLite store; NULL for another backend.
 * Borrowed, valid until the store is closed. */
sqlite3 *mh_store_sqlite_handle(mh_store *s);

/*
 * A prepared statement for `sql` from the store's cache, reset and with
 * its bindings cleared, ready to bind.  The cache is keyed by the pointer
 * `sql`, so pass a string literal or other static string.  Borrowed: the
 * store finalizes it on close.  NULL on error (detail in errmsg).
 */
sqlite3_stmt *mh_store_sqlite_stmt(mh_store *s, const char *sql);

/*
 * Caches of rows kept beside the connection.  The generation changes
 * whenever written rows may have been undone (ROLLBACK, ROLLBACK TO a
 * savepoint, or SQLite rolling back on its own): a cache built in an
 * older generation must be dropped.  A slot holds one such cache per
 * stage (MH_SQ_SLOT_*), freed with the store by the destructor given.
 */
uint64_t mh_store_sqlite_generation(mh_store *s);
enum { MH_SQ_SLOT_ENTITIES, MH_SQ_SLOTS };
void *mh_store_sqlite_slot(mh_store *s, int slot);
void mh_store_sqlite_set_slot(mh_store *s, int slot, void *p, void (*destroy)(void *));

/*
 * Insert a row of three integers (?1, ?2, ?3 of sql, a string literal) at
 * COMMIT instead of now, sorted with the transaction's other deferred
 * rows by (sql, a, b): rows of a random-keyed table then reach their
 * B-tree pages in order.  For rows nothing reads before the commit and
 * whose INSERT cannot conflict.  A rollback (of the transaction or of a
 * savepoint made with mark) drops the rows deferred since.  An sql of
 * the form "INSERT INTO t(x, y, z) VALUES(?1, ?2, ?3)" is run as
 * INSERT OR IGNORE with many rows per statement.
 */
mh_err mh_store_sqlite_defer(mh_store *s, const char *sql, int64_t a, int64_t b, int64_t c);

/*
 * Add c to the counter of the existing row (a, t) at COMMIT: the
 * increments of one (sql, a, t) of the transaction are merged into one
 * run of sql (a string literal, an UPDATE) with ?1 = a, ?2 = t, ?3 = the
 * sum of c and, if sql has them, ?4 / ?5 = the least / greatest non-NULL
 * date (NULL when none).  t and date are copied.  For counters nothing
 * reads before the commit; rollbacks drop increments like rows.
 */
mh_err mh_store_sqlite_defer_add(mh_store *s, const char *sql, int64_t a, const char *t,
                                 size_t tn, int64_t c, const char *date);

/*
 * Start a PASSIVE checkpoint of the log on a thread and connection of its
 * own (nothing happens for a database without a file, read-only, or when
 * one is running), and wait for it to end; closing the store waits too.
 * A failure only leaves the copying to the close.
 */
void mh_store_sqlite_checkpoint_start(mh_store *s);
void mh_store_sqlite_checkpoint_wait(mh_store *s);

/* One schema step: SQL run with sqlite3_exec and/or a C function. */
typedef struct mh_migration {
    int version;                 /* 1, 2, 3... in order, no gaps */
    const char *name;
    const char *sql;             /* may be NULL */
    int (*fn)(sqlite3 *db);      /* may be NULL; returns a SQLITE_* code */
} mh_migration;

/* The schema version this build writes (the last migration's). */
int mh_store_sqlite_schema_version(void);

/* ---------------- Interface to fts.c ---------------- */

/* The index terms of one analysed text, made ahead (fts.c). */
typedef struct mh_fts_terms mh_fts_terms;

/* The terms the tokenizer emits for d's tokens, in its order, written
 * down compactly; no database is touched, so any thread may call it.
 * *out: free with mh_fts_terms_free (accepts NULL). */
mh_err mh_fts_terms_make(const mh_doc *d, mh_fts_terms **out);
/* The same for the text (s, n), tokenized with an (no mh_doc is made):
 * the terms mh_fts_terms_make gives for mh_analyze(an, s, n, 0).
 * MH_EINVAL, MH_ENOMEM or MH_ETOOBIG (mh_tokenize's ceilings). */
mh_err mh_fts_terms_text(mh_analyzer *an, const char *s, size_t n, mh_fts_terms **out);
void mh_fts_terms_free(mh_fts_terms *ft);

typedef struct mh_fts_hint {
    /* Set only around the insert of one article: the terms of its
     * columns (title, lead, body), each NULL when not made ahead. */
    const mh_fts_terms *terms[3];
} mh_fts_hint;

/*
 * Register the "muhabir" FTS5 tokenizer and the mh_snippet() auxiliary
 * function on a connection (must happen before the fts table is
 * touched).  Returns a SQLITE_* code.
 * hint (may be NULL; must outlive the connection): while hint->terms are
 * set, a document text of the length and hash one of them was made from
 * is indexed from it (same analyser, so the same terms) instead of being
 * tokenized again.
 */
int mh_fts_register(sqlite3 *db, mh_fts_hint *hint);

/*
 * A hash of what the tokenizer makes of a fixed probe text; 0 on failure.
 * The store keeps it and rebuilds the index when it changes, because an
 * index made by another analyser would miss words and misplace
 * highlights.
 */
uint64_t mh_fts_fingerprint(void);

/* ---------------- Interface to search.c ---------------- */

typedef enum mh_qkind {
    MH_Q_TERM,     /* one word (may analyse into several tokens: a phrase) */
    MH_Q_PHRASE,   /* "quoted words" */
    MH_Q_AND,      /* all kids; minus any of excl */
    MH_Q_OR        /* any kid */
} mh_qkind;

typedef struct mh_qnode mh_qnode;
struct mh_qnode {
    mh_qkind kind;
    const char *text; size_t len;   /* TERM, PHRASE: clean text */
    int prefix;                     /* TERM: prefix search (word*) */
    mh_qnode **kids; size_t n_kids;
    mh_qnode **excl; size_t n_excl; /* AND only: excluded parts */
};

struct mh_query {
    mh_arena arena;       /* every node and string lives here */
    mh_qnode *root;
    char err[160];        /* the parse error, for MH_EQUERY */
};

#define MH_MAX_QUERY_BYTES 4096
#define MH_MAX_QUERY_TERMS 64

/*
 * Parse a user query (plain words = AND, "phrases", OR, -exclusion, NOT,
 * prefix*, parentheses).  Words that analyse to no token at all (lone
 * punctuation) are dropped.  On MH_EQUERY *out is still set and (*out)->err
 * says why; caller frees with mh_query_free in every case *out != NULL.
 */
mh_err mh_query_parse(mh_analyzer *an, const char *q, size_t n, mh_query **out);
void mh_query_free(mh_query *q);

/* Render a parsed query as FTS5 query syntax: every word becomes a quoted
 * string, so no user text is ever read as FTS5 syntax.  Sticky errors in b. */
void mh_query_fts5(const mh_query *q, mh_buf *b);

/* Each phrase of the rendered query in FTS5's phrase order, as a query of
 * its own (NULL when out of memory), and whether it is excluded. */
typedef void (*mh_phrase_cb)(void *ctx, const char *fts5, int excluded);
void mh_query_each_phrase(const mh_query *q, mh_phrase_cb cb, void *ctx);

/* Normalise a date bound ("2025", "2025-10", "2025-10-28"; end = 1 rounds
 * up to the last day) into out[11].  MH_ERANGE when malformed. */
mh_err mh_search_date_bound(const char *s, int end, char out[11]);

/* ---------------- Interface to db.c ---------------- */

/* The store under a database handle (borrowed). */
mh_store *mh_db_store(mh_db *db);
/* The analyzer owned by a database handle (borrowed; same thread only). */
mh_analyzer *mh_db_analyzer(mh_db *db);
/* Record an error message on the handle; returns e. */
mh_err mh_db_fail(mh_db *db, mh_err e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* An after-store hook: called for each newly stored article inside the
 * ingest transaction.  body_doc is the body analysed with stems (NULL
 * when the body is empty).  A non-OK return rejects that article only. */
typedef mh_err (*mh_after_store_hook)(mh_db *db, int64_t article_id,
                                      const mh_article *a, const mh_doc *body_doc);

/*
 * A prepared hook is an after-store hook split in two so its pure work
 * runs on the ingest's worker threads:
 *  - prepare(db, an, a, body_doc, &state) runs on a worker, once per
 *    analysed article (also for articles that turn out to be duplicates),
 *    with that worker's own analyzer.  It must not touch the store, the
 *    handle (no mh_db_fail, no mh_db_analyzer) or any shared mutable
 *    state.  *state (may stay NULL) is owned by the caller, which frees
 *    it with free_state.  A non-OK return is kept and handed back by the
 *    caller as the result of the store step, so a failure counts only
 *    for a newly stored article, as with a plain after-store hook.
 *  - store(db, article_id, a, body_doc, state) runs like an after-store
 *    hook, on the store thread.  It must leave state unchanged: when a
 *    hook fails, the batch's stores run again with the same states.
 */
typedef mh_err (*mh_prepare_fn)(mh_db *db, mh_analyzer *an, const mh_article *a,
                                const mh_doc *body_doc, void **out_state);
typedef mh_err (*mh_store_prepared_fn)(mh_db *db, int64_t article_id, const mh_article *a,
                                       const mh_doc *body_doc, const void *state);
typedef struct mh_prepared_hook {
    mh_prepare_fn prepare;
    mh_store_prepared_fn store;
    void (*free_state)(void *state);
    const char *name;            /* for MUHABIR_INGEST_TIMES */
} mh_prepared_hook;

/* A JSON hook adds fields to an article's object (export, show, server). */
typedef mh_err (*mh_json_hook)(mh_db *db, const mh_article *a, cJSON *obj);

/* The article as a cJSON object with every json hook applied.  Caller
 * frees with cJSON_Delete.  NULL on allocation failure. */
cJSON *mh_article_cjson(mh_db *db, const mh_article *a);

/* ---------------- Interface to store_sqlite_story.c ---------------- */

/* Schema of copy groups and stories (a migration step's SQL). */
extern const char mh_story_schema_sql[];
/* Prepared hook: fingerprint and features counted (pure, any thread with
 * its own analyzer); then copy group, weighting and story on the store
 * thread.  The state borrows body_doc, which must outlive it. */
mh_err mh_story_prepare(mh_db *db, mh_analyzer *an, const mh_article *a,
                        const mh_doc *body_doc, void **out_state);
mh_err mh_story_store_prepared(mh_db *db, int64_t article_id, const mh_article *a,
                               const mh_doc *body_doc, const void *state);
void mh_story_state_free(void *state);
/* JSON hook: dup_of, dup_group, story. */
mh_err mh_story_json(mh_db *db, const mh_article *a, cJSON *obj);

/* ---------------- Interface to store_sqlite_quote.c ---------------- */

/* Schema of entities and quotes (a migration step's SQL). */
extern const char mh_quote_schema_sql[];
/* Prepared hook, prepare step: analyse the title and the lead, find the
 * entities and quotes of body, title and lead.  Pure work, safe on any
 * thread with its own analyzer.  *out_state is owned by the caller
 * (mh_quote_state_free); NULL on error. */
mh_err mh_quote_prepare(mh_db *db, mh_analyzer *an, const mh_article *a,
                        const mh_doc *body_doc, void **out_state);
/* Prepared hook, store step: write what prepare found (state unchanged). */
mh_err mh_quote_store_prepared(mh_db *db, int64_t article_id, const mh_article *a,
                               const mh_doc *body_doc, const void *state);
/* Frees a state of mh_quote_prepare; NULL is fine. */
void mh_quote_state_free(void *state);
/* JSON hook: entities, quotes. */
mh_err mh_quote_json(mh_db *db, const mh_article *a, cJSON *obj);

#endif /* MH_STORE_H */
