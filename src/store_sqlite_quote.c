/*
 * store_sqlite_quote.c -- entities and quotes in SQLite: the tables, the
 * after-store hook that finds the entities and quotes of every new
 * article (entity.c, quote.c), the fields export/show gain, and the
 * entities / entity / quotes / timeline queries.
 *
 * Tables (migration "entities and quotes"):
 *  - entity(id, type, key, name, last_key): one row per person, place or
 *    organisation across the store.  key is mh_entity_key of the
 *    canonical name, so spelling variants (Sergey/Sergei Lavrov,
 *    Kiev/Kyiv) are one row; last_key is the key of a person's last name.
 *    A person named by one word only joins the one stored person whose
 *    last name it is, when there is exactly one: when it is stored, if
 *    the full name is there already, else when it is read (CANON_ID:
 *    listings, export, quotes and `entity` read such a row as the full
 *    name while the full name is unique).  An organisation named by an
 *    abbreviation alone (TEMDER) joins the one stored organisation that
 *    has it as an alias (an article gave it in brackets after the full
 *    name), when it is stored; an abbreviation stored before its full
 *    name stays a row of its own.
 *  - entity_alias(entity, alias, n): surface names seen ("Lavrov",
 *    "Sergei Lavrov").  entity_role(entity, role, n, first, last): roles
 *    with the dates they were seen.
 *  - entity_article(entity, article, n): mentions per article, for
 *    counts, co-occurrence and timelines.  article_entities(article,
 *    data): every mention of the article (entity, offsets, title flag) as
 *    a blob of little-endian fields, for export; one row per article keeps
 *    the cost per article low.
 *  - quote(id, key, text, fold, speaker, speaker_name, speaker_role, verb,
 *    kind, first_seen, first_article, sources): one row per statement;
 *    in_title below is 0 for the body, 1 for the title, 2 for the lead
 *    (offsets are into that text);
 *    key = mh_quote_key(text, speaker), so the same quote carried by
 *    several outlets is one quote with several rows in
 *    quote_source(quote, article, start, end, in_title, role, verb, kind).
 *    first_seen is the earliest date of its articles.
 *
 * Cost per article: one INSERT per new entity (a SELECT first only for
 * a person's single word or an abbreviation; names seen before in the
 * session come from a cache), one INSERT per new alias or role (counts
 * of known ones are added at COMMIT, merged over the commit group), one
 * blob row, and per quote one INSERT when new or one UPDATE when seen
 * before, plus its quote_source row (bench/ner_speed and tools/train_ner
 * bench measure it).
 */
#include "store.h"
#include "lexicon.h"

#include <stdio.h>
#include <stdlib.h>
#include <xxhash.h>

#define MAX_MENTIONS_PER_ARTICLE 20000
#define MEN_BYTES 21          /* entity int64, start, end, full_end uint32, flags uint8 */

const char mh_quote_schema_sql[] =
    "CREATE TABLE entity(id INTEGER PRIMARY KEY, type INTEGER NOT NULL, key TEXT NOT NULL,"
    " name TEXT NOT NULL, last_key TEXT, UNIQUE(type, key));"
    "CREATE INDEX entity_last ON entity(type, last_key);"
    "CREATE TABLE entity_alias(entity INTEGER NOT NULL, alias TEXT NOT NULL,"
    " n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(entity, alias)) WITHOUT ROWID;"
    "CREATE INDEX entity_alias_alias ON entity_alias(alias);"
    "CREATE TABLE entity_role(entity INTEGER NOT NULL, role TEXT NOT NULL,"
    " n INTEGER NOT NULL DEFAULT 0, first TEXT, last TEXT,"
    " PRIMARY KEY(entity, role)) WITHOUT ROWID;"
    "CREATE TABLE entity_article(entity INTEGER NOT NULL, article INTEGER NOT NULL,"
    " n INTEGER NOT NULL, PRIMARY KEY(entity, article)) WITHOUT ROWID;"
    "CREATE INDEX entity_article_article ON entity_article(article);"
    "CREATE TABLE article_entities(article INTEGER PRIMARY KEY, data BLOB NOT NULL);"
    "CREATE TABLE quote(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, text TEXT NOT NULL,"
    " fold TEXT NOT NULL, speaker INTEGER, speaker_name TEXT, speaker_role TEXT, verb TEXT,"
    " kind TEXT NOT NULL, first_seen TEXT, first_article INTEGER NOT NULL,"
    " sources INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX quote_speaker ON quote(speaker, first_seen);"
    "CREATE INDEX quote_first ON quote(first_seen);"
    "CREATE TABLE quote_source(quote INTEGER NOT NULL, article INTEGER NOT NULL,"
    " start INTEGER NOT NULL, end INTEGER NOT NULL, in_title INTEGER NOT NULL,"
    " role TEXT, verb TEXT, kind TEXT NOT NULL,"
    " PRIMARY KEY(quote, article, in_title, start)) WITHOUT ROWID;"
    "CREATE INDEX quote_source_article ON quote_source(article);";

static mh_err db_err(mh_db *db, sqlite3 *sq)
{
    return mh_db_fail(db, mh_sqlite_err(sq), "%s", sqlite3_errmsg(sq));
}

/* ------------------------------------------------------------------ */
/* After store                                                          */
/* ------------------------------------------------------------------ */

typedef struct seen_ent {
    int64_t id;
    int n;
} seen_ent;

/* Names and aliases already handled for this article: each is looked up
 * or written once per article, however often it is mentioned. */
typedef struct name_id {
    mh_ent_type type;
    const char *name;
    size_t len;
    int64_t id;
} name_id;

typedef struct hook {
    name_id *names, *aliases;
    size_t n_names, n_aliases, cap_names, cap_aliases;
    mh_db *db;
    mh_store *s;
    sqlite3 *sq;
    const mh_article *a;
    int64_t article;
    seen_ent *seen;
    size_t n_seen, cap_seen;
    mh_buf blob;
    mh_err err;
} hook;

static int step_done(hook *h, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        h->err = db_err(h->db, h->sq);
        return 0;
    }
    return 1;
}

static sqlite3_stmt *stmt(hook *h, const char *sql)
{
    sqlite3_stmt *st = mh_store_sqlite_stmt(h->s, sql);
    if (!st)
        h->err = db_err(h->db, h->sq);
    return st;
}

/* Last word of a key ("sergei lavrov" -> "lavrov"). */
static const char *last_word(const char *k)
{
    const char *sp = strrchr(k, ' ');
    return sp ? sp + 1 : k;
}

/* Look (type, name) up in a per-article list; 0 when absent. */
static int64_t list_find(const name_id *v, size_t n, mh_ent_type type, const char *name,
                         size_t len, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].type == type && v[i].len == len && (!id || v[i].id == id) &&
            memcmp(v[i].name, name, len) == 0)
            return v[i].id;
    return 0;
}

static void list_add(hook *h, name_id **v, size_t *n, size_t *cap, mh_ent_type type,
                     const char *name, size_t len, int64_t id)
{
    if (*n == *cap && mh_grow(v, cap, *n + 1, sizeof **v, 32)) {
        h->err = MH_ENOMEM;
        return;
    }
    (*v)[(*n)++] = (name_id){ type, name, len, id };
}

static int64_t entity_lookup(hook *h, mh_ent_type type, const char *name, size_t nlen,
                             int *stable);

/*
 * Entity ids by (type, canonical name) across articles, beside the
 * connection: most names recur in article after article, and the lookup
 * (key folding and an index search) cost more than the rest of a
 * mention.  Only answers that cannot change are kept: a row found by its
 * key, or just created (rows are never deleted); not the one-word person
 * resolved by last name, which a second namesake can change.  Dropped
 * when the store rolls back (its generation moves).  Keys are 63-bit
 * hashes of type and name.
 */
#define ENT_CACHE_MAX (1u << 20)

typedef struct ent_cache {
    mh_idmap ids;
    /* The entity_alias and entity_role rows known to exist, by 63-bit
     * hashes of (entity, text): their counts only grow (count_row). */
    mh_idmap aliases, roles;
    /* Quote ids by a 63-bit hash of the quote's key: the same statement
     * comes back in the copies of an article. */
    mh_idmap quotes;
    uint64_t gen;
} ent_cache;

static void ent_cache_clear(ent_cache *c)
{
    mh_idmap_free(&c->ids);
    mh_idmap_free(&c->aliases);
    mh_idmap_free(&c->roles);
    mh_idmap_free(&c->quotes);
}

static void ent_cache_free(void *p)
{
    ent_cache *c = p;
    if (!c)
        return;
    ent_cache_clear(c);
    mh_free(c);
}

static ent_cache *ent_cache_get(hook *h)
{
    ent_cache *c = mh_store_sqlite_slot(h->s, MH_SQ_SLOT_ENTITIES);
    uint64_t gen = mh_store_sqlite_generation(h->s);
    if (!c) {
        if (!(c = mh_malloc(sizeof *c)))
            return NULL;        /* no cache: the lookups still work */
        memset(c, 0, sizeof *c);
        c->gen = gen;
        mh_store_sqlite_set_slot(h->s, MH_SQ_SLOT_ENTITIES, c, ent_cache_free);
    }
    if (c->gen != gen) {
        ent_cache_clear(c);
        c->gen = gen;
    }
    if (c->ids.n >= ENT_CACHE_MAX)
        mh_idmap_free(&c->ids);
    if (c->aliases.n >= ENT_CACHE_MAX)
        mh_idmap_free(&c->aliases);
    if (c->roles.n >= ENT_CACHE_MAX)
        mh_idmap_free(&c->roles);
    if (c->quotes.n >= ENT_CACHE_MAX)
        mh_idmap_free(&c->quotes);
    return c;
}

static int64_t ent_cache_key(mh_ent_type type, const char *name, size_t nlen)
{
    uint64_t x = XXH3_64bits_withSeed(name, nlen, (uint64_t)type);
    return (int64_t)((x >> 1) | 1);
}

/* The entity id for a canonical name and type, created when new. */
static int64_t entity_id(hook *h, mh_ent_type type, const char *name, size_t nlen)
{
    int64_t id = list_find(h->names, h->n_names, type, name, nlen, 0);
    if (id)
        return id;
    ent_cache *c = ent_cache_get(h);
    int64_t k = ent_cache_key(type, name, nlen);
    uint32_t v = c ? mh_idmap_get(&c->ids, k) : MH_IDMAP_NONE;
    int stable = 0;
    if (v != MH_IDMAP_NONE) {
        id = v;
    } else {
        id = entity_lookup(h, type, name, nlen, &stable);
        /* A failed put only means looking it up again next time. */
        if (id > 0 && stable && c && id < (int64_t)MH_IDMAP_NONE)
            (void)mh_idmap_put(&c->ids, k, (uint32_t)id);
    }
    if (id)
        list_add(h, &h->names, &h->n_names, &h->cap_names, type, name, nlen, id);
    return id;
}

/* The id in the first column of the one row the statement gives, or 0
 * when it gives none or several (never a guess). */
static int64_t only_row(sqlite3_stmt *st)
{
    int64_t found = 0;
    int rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        found = sqlite3_column_int64(st, 0);
        rows++;
    }
    sqlite3_reset(st);
    return rows == 1 ? found : 0;
}

/* Is a name one word of two to ten capital letters (an abbreviation,
 * TEMDER)? */
static int abbreviation(const char *name, size_t n)
{
    size_t letters = 0;
    for (size_t i = 0; i < n;) {
        uint32_t c = mh_utf8_next(name, n, &i);
        if (!mh_cp_is_upper(c))
            return 0;
        letters++;
    }
    return letters >= 2 && letters <= 10;
}

/* Run sql, an INSERT of an entity row (type, key, name, and for a person
 * the key's last word lw); 1 when it ran, 0 on failure (h->err set). */
static int insert_entity(hook *h, const char *sql, mh_ent_type type, const char *key,
                         size_t klen, const char *name, size_t nlen, const char *lw)
{
    sqlite3_stmt *ins = stmt(h, sql);
    if (!ins)
        return 0;
    sqlite3_bind_int(ins, 1, (int)type);
    sqlite3_bind_text(ins, 2, key, (int)klen, SQLITE_STATIC);
    sqlite3_bind_text(ins, 3, name, (int)nlen, SQLITE_STATIC);
    if (type == MH_ENT_PERSON)
        sqlite3_bind_text(ins, 4, lw, -1, SQLITE_STATIC);
    return step_done(h, ins);
}

static int64_t entity_lookup(hook *h, mh_ent_type type, const char *name, size_t nlen,
                             int *stable)
{
    char *key = NULL;
    size_t klen;
    int64_t id = 0;
    if (mh_entity_key(name, nlen, &key, &klen) != MH_OK) {
        h->err = MH_ENOMEM;
        return 0;
    }
    if (!klen)
        goto out;
    const char *lw = last_word(key);
    /* A name that is neither a person's single word nor an
     * abbreviation is the row of its key, made when new: INSERT OR
     * IGNORE first, as most names reaching here are new (the cache
     * answers the others), then read the row that was there. */
    int plain = !(type == MH_ENT_PERSON && !strchr(key, ' ')) &&
                !(type == MH_ENT_ORG && abbreviation(name, nlen));
    if (plain) {
        if (!insert_entity(h, "INSERT OR IGNORE INTO entity(type, key, name, last_key)"
                              " VALUES(?1, ?2, ?3, ?4)", type, key, klen, name, nlen, lw))
            goto out;
        if (sqlite3_changes(h->sq) > 0) {
            id = sqlite3_last_insert_rowid(h->sq);
            *stable = 1;
            goto out;
        }
    }
    sqlite3_stmt *q = stmt(h, "SELECT id FROM entity WHERE type = ?1 AND key = ?2");
    if (!q)
        goto out;
    sqlite3_bind_int(q, 1, (int)type);
    sqlite3_bind_text(q, 2, key, (int)klen, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW)
        id = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    if (id) {
        *stable = 1;
        goto out;
    }
    /* One word naming a person: the one stored person with that last
     * name, if there is exactly one. */
    if (type == MH_ENT_PERSON && !strchr(key, ' ')) {
        sqlite3_stmt *l = stmt(h, "SELECT id FROM entity WHERE type = ?1 AND last_key = ?2"
                                  " AND key <> last_key LIMIT 2");
        if (!l)
            goto out;
        sqlite3_bind_int(l, 1, (int)type);
        sqlite3_bind_text(l, 2, key, (int)klen, SQLITE_STATIC);
        if ((id = only_row(l)) != 0)
            goto out;
    }
    /* An abbreviation naming an organisation: the one stored organisation
     * an article named by it in brackets after its full name (the alias
     * entity.c gave that name), if there is exactly one. */
    if (type == MH_ENT_ORG && abbreviation(name, nlen)) {
        sqlite3_stmt *l = stmt(h, "SELECT DISTINCT a.entity FROM entity_alias a"
                                  " JOIN entity e ON e.id = a.entity"
                                  " WHERE a.alias = ?1 AND e.type = ?2 AND e.key <> ?3 LIMIT 2");
        if (!l)
            goto out;
        sqlite3_bind_text(l, 1, name, (int)nlen, SQLITE_STATIC);
        sqlite3_bind_int(l, 2, (int)type);
        sqlite3_bind_text(l, 3, key, (int)klen, SQLITE_STATIC);
        if ((id = only_row(l)) != 0)
            goto out;
    }
    if (insert_entity(h, "INSERT INTO entity(type, key, name, last_key)"
                         " VALUES(?1, ?2, ?3, ?4)", type, key, klen, name, nlen, lw)) {
        id = sqlite3_last_insert_rowid(h->sq);
        *stable = 1;
    }
out:
    mh_free(key);
    return id;
}

static void count_seen(hook *h, int64_t id)
{
    for (size_t i = 0; i < h->n_seen; i++)
        if (h->seen[i].id == id) {
            h->seen[i].n++;
            return;
        }
    if (h->n_seen == h->cap_seen &&
        mh_grow(&h->seen, &h->cap_seen, h->n_seen + 1, sizeof *h->seen, 32)) {
        h->err = MH_ENOMEM;
        return;
    }
    h->seen[h->n_seen++] = (seen_ent){ id, 1 };
}

/*
 * Count one more sighting of the row (id, t) of entity_alias or
 * entity_role.  A row not known to exist is inserted with its first
 * count (OR IGNORE: it may exist from an earlier session); the counts of
 * existing rows are added at COMMIT, merged per row over the whole
 * commit group (mh_store_sqlite_defer_add), instead of one UPDATE per
 * article: the common names come back in article after article.
 */
static void count_row(hook *h, mh_idmap *known, const char *ins, const char *add, int64_t id,
                      const char *t, size_t tn)
{
    uint64_t x = XXH3_64bits_withSeed(t, tn, (uint64_t)id);
    int64_t k = (int64_t)((x >> 1) | 1);
    if (!known || mh_idmap_get(known, k) == MH_IDMAP_NONE) {
        sqlite3_stmt *st = stmt(h, ins);
        if (!st)
            return;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, t, (int)tn, SQLITE_STATIC);
        if (h->a->date && sqlite3_bind_parameter_count(st) >= 3)
            sqlite3_bind_text(st, 3, h->a->date, -1, SQLITE_STATIC);
        if (!step_done(h, st))
            return;
        int inserted = sqlite3_changes(h->sq) > 0;
        /* A failed put only means inserting (and ignoring) it again. */
        if (known)
            (void)mh_idmap_put(known, k, 1);
        if (inserted)
            return;
    }
    mh_err e = mh_store_sqlite_defer_add(h->s, add, id, t, tn, 1, h->a->date);
    if (e)
        h->err = e;
}

/* The mentions of one text (body or title). */
static void store_mentions(hook *h, const mh_doc *d, const mh_entities *e, int in_title)
{
    ent_cache *c = ent_cache_get(h);
    for (size_t i = 0; i < e->n && !h->err; i++) {
        const mh_mention *m = &e->m[i];
        if (h->blob.len / MEN_BYTES >= MAX_MENTIONS_PER_ARTICLE)
            break;
        int64_t id = entity_id(h, m->type, m->name, m->name_len);
        if (!id)
            continue;
        /* The surface without its suffix is an alias ("Lavrov"), counted
         * once per article. */
        count_seen(h, id);
        const char *al_s = d->text + m->start;
        size_t al_n = m->end - m->start;
        if (!list_find(h->aliases, h->n_aliases, m->type, al_s, al_n, id)) {
            list_add(h, &h->aliases, &h->n_aliases, &h->cap_aliases, m->type, al_s, al_n, id);
            count_row(h, c ? &c->aliases : NULL,
                      "INSERT OR IGNORE INTO entity_alias(entity, alias, n) VALUES(?1, ?2, 1)",
                      "UPDATE entity_alias SET n = n + ?3 WHERE entity = ?1 AND alias = ?2",
                      id, al_s, al_n);
        }
        if (m->role_len && !h->err)
            count_row(h, c ? &c->roles : NULL,
                      "INSERT OR IGNORE INTO entity_role(entity, role, n, first, last)"
                      " VALUES(?1, ?2, 1, ?3, ?3)",
                      "UPDATE entity_role SET n = n + ?3,"
                      " first = CASE WHEN first IS NULL OR ?4 < first THEN ?4 ELSE first END,"
                      " last = CASE WHEN last IS NULL OR ?5 > last THEN ?5 ELSE last END"
                      " WHERE entity = ?1 AND role = ?2",
                      id, m->role, m->role_len);
        if (h->err)
            return;
        unsigned char idb[8];
        for (int k = 0; k < 8; k++)
            idb[k] = (unsigned char)((uint64_t)id >> (8 * k));
        mh_buf_add(&h->blob, idb, 8);
        mh_buf_add_le32(&h->blob, m->start);
        mh_buf_add_le32(&h->blob, m->end);
        mh_buf_add_le32(&h->blob, m->full_end);
        mh_buf_addc(&h->blob, (char)in_title);
    }
}

/* Speaker entity of a quote (the same id its mention got), 0 if none. */
static int64_t speaker_id(hook *h, const mh_quote *q)
{
    if (!q->speaker)
        return 0;
    return entity_id(h, q->speaker_type, q->speaker, q->speaker_len);
}

/* What a quote's rows need besides the quote itself, computed by
 * mh_quote_prepare on a worker: its key and the ASCII fold of its text. */
typedef struct quote_extra {
    char key[33];
    char *fold;
    size_t fold_len;
} quote_extra;

static void extras_free(quote_extra *x, size_t n)
{
    if (!x)
        return;
    for (size_t i = 0; i < n; i++)
        mh_free(x[i].fold);
    mh_free(x);
}

static mh_err extras_make(const mh_doc *d, const mh_quotes *qs, quote_extra **out)
{
    *out = NULL;
    if (!qs || !qs->n)
        return MH_OK;
    quote_extra *x = mh_malloc(qs->n * sizeof *x);
    if (!x)
        return MH_ENOMEM;
    memset(x, 0, qs->n * sizeof *x);
    for (size_t i = 0; i < qs->n; i++) {
        const mh_quote *q = &qs->q[i];
        const char *text = d->text + q->start;
        size_t tl = q->end - q->start;
        /* The key hashes the words of the fold: folded once for both. */
        if (mh_tr_fold(text, tl, &x[i].fold, &x[i].fold_len) ||
            mh_quote_key_folded(x[i].fold, x[i].fold_len, q->speaker,
                                q->speaker ? q->speaker_len : 0, x[i].key)) {
            extras_free(x, qs->n);
            return MH_ENOMEM;
        }
    }
    *out = x;
    return MH_OK;
}

/*
 * The id of the quote row of key x->key, inserted when new (*fresh set).
 * INSERT OR IGNORE, then (when the key was there) a look-up, rather than
 * one UPSERT with RETURNING: inside the batch transaction an UPSERT
 * needs a statement journal, whose cost grew with the database (a third
 * of ingest time at 10k pages).  Single-row statements do not.  0 with
 * h->err on failure.
 */
static int64_t quote_row(hook *h, const mh_quote *q, const char *text, size_t tl,
                         const quote_extra *x, int64_t sp, const char *kind, int *fresh)
{
    int64_t qid = 0;
    sqlite3_stmt *ins = stmt(h,
        "INSERT OR IGNORE INTO quote(key, text, fold, speaker, speaker_name, speaker_role,"
        " verb, kind, first_seen, first_article, sources)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1)");
    if (!ins)
        return 0;
    sqlite3_bind_text(ins, 1, x->key, 32, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, text, (int)tl, SQLITE_STATIC);
    sqlite3_bind_text(ins, 3, x->fold, (int)x->fold_len, SQLITE_STATIC);
    if (sp)
        sqlite3_bind_int64(ins, 4, sp);
    if (q->speaker)
        sqlite3_bind_text(ins, 5, q->speaker, (int)q->speaker_len, SQLITE_STATIC);
    if (q->speaker_role)
        sqlite3_bind_text(ins, 6, q->speaker_role, (int)q->speaker_role_len, SQLITE_STATIC);
    if (q->verb)
        sqlite3_bind_text(ins, 7, q->verb, (int)q->verb_len, SQLITE_STATIC);
    sqlite3_bind_text(ins, 8, kind, -1, SQLITE_STATIC);
    if (h->a->date)
        sqlite3_bind_text(ins, 9, h->a->date, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 10, h->article);
    if (!step_done(h, ins))
        return 0;
    *fresh = sqlite3_changes(h->sq) > 0;
    if (*fresh)
        return sqlite3_last_insert_rowid(h->sq);
    sqlite3_stmt *sel = stmt(h, "SELECT id FROM quote WHERE key = ?1");
    if (!sel)
        return 0;
    sqlite3_bind_text(sel, 1, x->key, 32, SQLITE_STATIC);
    int rc = sqlite3_step(sel);
    if (rc == SQLITE_ROW)
        qid = sqlite3_column_int64(sel, 0);
    sqlite3_reset(sel);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        h->err = db_err(h->db, h->sq);
    return qid;
}

static void store_quotes(hook *h, const mh_doc *d, const mh_quotes *qs, const quote_extra *x,
                         int in_title)
{
    for (size_t i = 0; i < qs->n && !h->err; i++) {
        const mh_quote *q = &qs->q[i];
        const char *text = d->text + q->start;
        size_t tl = q->end - q->start;
        const char *key = x[i].key;
        int64_t sp = speaker_id(h, q);
        if (h->err)
            return;
        const char *kind = mh_quote_kind_name(q->kind);
        /* A quote met before in the session is known by the cache (one
         * UPDATE follows); a new one takes one statement. */
        int64_t ck = (int64_t)((XXH3_64bits(key, 32) >> 1) | 1);
        ent_cache *c = ent_cache_get(h);
        uint32_t cached = c ? mh_idmap_get(&c->quotes, ck) : MH_IDMAP_NONE;
        int fresh = 0;
        int64_t qid = cached;
        if (cached == MH_IDMAP_NONE) {
            qid = quote_row(h, q, text, tl, &x[i], sp, kind, &fresh);
            if (h->err)
                return;
            /* A failed put only means looking it up again next time. */
            if (qid > 0 && qid < (int64_t)MH_IDMAP_NONE && c)
                (void)mh_idmap_put(&c->quotes, ck, (uint32_t)qid);
        }
        if (qid && !fresh) {
            sqlite3_stmt *up = stmt(h,
                "UPDATE quote SET sources = sources + 1,"
                " first_article = CASE WHEN ?1 IS NOT NULL AND (first_seen IS NULL"
                "   OR ?1 < first_seen) THEN ?2 ELSE first_article END,"
                " first_seen = CASE WHEN ?1 IS NOT NULL AND (first_seen IS NULL"
                "   OR ?1 < first_seen) THEN ?1 ELSE first_seen END"
                " WHERE id = ?3");
            if (!up)
                return;
            if (h->a->date)
                sqlite3_bind_text(up, 1, h->a->date, -1, SQLITE_STATIC);
            else
                sqlite3_bind_null(up, 1);
            sqlite3_bind_int64(up, 2, h->article);
            sqlite3_bind_int64(up, 3, qid);
            if (!step_done(h, up))
                return;
        }
        if (!qid) {
            h->err = db_err(h->db, h->sq);
            return;
        }
        sqlite3_stmt *src = stmt(h,
            "INSERT OR IGNORE INTO quote_source(quote, article, start, end, in_title, role, verb, kind)"
            " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        if (!src)
            return;
        sqlite3_bind_int64(src, 1, qid);
        sqlite3_bind_int64(src, 2, h->article);
        sqlite3_bind_int64(src, 3, q->start);
        sqlite3_bind_int64(src, 4, q->end);
        sqlite3_bind_int(src, 5, in_title);
        if (q->speaker_role)
            sqlite3_bind_text(src, 6, q->speaker_role, (int)q->speaker_role_len, SQLITE_STATIC);
        if (q->verb)
            sqlite3_bind_text(src, 7, q->verb, (int)q->verb_len, SQLITE_STATIC);
        sqlite3_bind_text(src, 8, kind, -1, SQLITE_STATIC);
        step_done(h, src);
    }
}

/* What mh_quote_prepare found for one article: the entities and quotes
 * of its body, title and lead, and the title and lead analysed (their
 * offsets point into these docs). */
typedef struct quote_state {
    mh_entities *be, *te, *le;
    mh_entities *l0;        /* the lead's names on their own: the body's
                               context, whose names the body's borrow */
    mh_quotes *bq, *tq, *lq;
    quote_extra *bx, *tx, *lx;   /* per quote of bq, tq, lq */
    mh_doc *td, *ld;
} quote_state;

void mh_quote_state_free(void *state)
{
    quote_state *q = state;
    if (!q)
        return;
    extras_free(q->bx, q->bq ? q->bq->n : 0);
    extras_free(q->tx, q->tq ? q->tq->n : 0);
    extras_free(q->lx, q->lq ? q->lq->n : 0);
    mh_quotes_free(q->bq);
    mh_quotes_free(q->tq);
    mh_quotes_free(q->lq);
    mh_entities_free(q->te);
    mh_entities_free(q->le);
    mh_entities_free(q->be);
    mh_entities_free(q->l0);
    mh_doc_free(q->td);
    mh_doc_free(q->ld);
    mh_free(q);
}

/* Pure work only (it runs on the ingest's worker threads): the builtin
 * NER model and the gazetteer are read-only after their pthread_once
 * initialisation, and an is the calling worker's own analyzer.  db is
 * not used; it is part of the prepared-hook signature. */
mh_err mh_quote_prepare(mh_db *db, mh_analyzer *an, const mh_article *a,
                        const mh_doc *body_doc, void **out_state)
{
    MH_UNUSED(db);
    *out_state = NULL;
    quote_state *q = mh_malloc(sizeof *q);
    if (!q)
        return MH_ENOMEM;
    memset(q, 0, sizeof *q);
    mh_err e = MH_OK;
    /* The lead often gives the full name the body then shortens
     * ("Bakanı Kemal Yavuzer, ..." / "Yavuzer, ... dedi"): the lead's
     * names, found on their own, are the body's context. */
    if (a->lead && *a->lead) {
        if ((e = mh_analyze(an, a->lead, strlen(a->lead), MH_AN_NOSTEM, &q->ld)) ||
            (e = mh_entities_find(NULL, q->ld, NULL, 0, &q->l0)))
            goto out;
    }
    if (body_doc) {
        if ((e = mh_entities_find(NULL, body_doc, q->l0, 0, &q->be)) ||
            (e = mh_quotes_find(body_doc, q->be, 0, &q->bq)))
            goto out;
    }
    /* The lead and the title are texts of their own; their names are
     * resolved against the body's ("Lavrov" -> "Sergey Lavrov").  The
     * lead's tagger output does not depend on the context: l0's is
     * reused. */
    if (q->ld) {
        if ((e = mh_entities_refind(q->l0, q->be, 0, &q->le)) ||
            (e = mh_quotes_find(q->ld, q->le, 0, &q->lq)))
            goto out;
    }
    if (a->title && *a->title) {
        if ((e = mh_analyze(an, a->title, strlen(a->title), MH_AN_NOSTEM, &q->td)) ||
            (e = mh_entities_find(NULL, q->td, q->be, 0, &q->te)) ||
            (e = mh_quotes_find(q->td, q->te, MH_QUOTE_OPT_HEADLINE, &q->tq)))
            goto out;
    }
    if ((e = extras_make(body_doc, q->bq, &q->bx)) || (e = extras_make(q->td, q->tq, &q->tx)) ||
        (e = extras_make(q->ld, q->lq, &q->lx)))
        goto out;
out:
    if (e) {
        mh_quote_state_free(q);
        return e;
    }
    *out_state = q;
    return MH_OK;
}

/* The SQL part: reads the state, never changes it (careful-mode retries
 * store the same state again). */
mh_err mh_quote_store_prepared(mh_db *db, int64_t article_id, const mh_article *a,
                               const mh_doc *body_doc, const void *state)
{
    const quote_state *q = state;
    mh_store *s = mh_db_store(db);
    sqlite3 *sq = mh_store_sqlite_handle(s);
    if (!sq || !q)
        return MH_OK;
    hook h;
    memset(&h, 0, sizeof h);
    h.db = db;
    h.s = s;
    h.sq = sq;
    h.a = a;
    h.article = article_id;
    mh_buf_init(&h.blob, 0);
    if (q->be)
        store_mentions(&h, body_doc, q->be, 0);
    if (q->te && !h.err)
        store_mentions(&h, q->td, q->te, 1);
    if (q->le && !h.err)
        store_mentions(&h, q->ld, q->le, 2);
    for (size_t i = 0; i < h.n_seen && !h.err; i++) {
        /* h.seen holds each entity once and the article is new, so a
         * plain INSERT (no statement journal) is enough; it waits for the
         * commit, where the group's rows go in sorted by entity. */
        h.err = mh_store_sqlite_defer(s, "INSERT INTO entity_article(entity, article, n)"
                                         " VALUES(?1, ?2, ?3)",
                                      h.seen[i].id, article_id, h.seen[i].n);
    }
    if (!h.err && h.blob.len) {
        if (h.blob.err) {
            h.err = MH_ENOMEM;
        } else {
            sqlite3_stmt *ab = stmt(&h, "INSERT INTO article_entities(article, data)"
                                        " VALUES(?1, ?2)");
            if (ab) {
                sqlite3_bind_int64(ab, 1, article_id);
                sqlite3_bind_blob(ab, 2, h.blob.p, (int)h.blob.len, SQLITE_STATIC);
                step_done(&h, ab);
            }
        }
    }
    if (q->bx && !h.err)
        store_quotes(&h, body_doc, q->bq, q->bx, 0);
    if (q->tx && !h.err)
        store_quotes(&h, q->td, q->tq, q->tx, 1);
    if (q->lx && !h.err)
        store_quotes(&h, q->ld, q->lq, q->lx, 2);
    mh_err e = h.err;
    if (e == MH_ENOMEM)
        mh_db_fail(db, e, "out of memory (entities and quotes)");
    mh_free(h.seen);
    mh_free(h.names);
    mh_free(h.aliases);
    mh_buf_free(&h.blob);
    return e;
}

/* ------------------------------------------------------------------ */
/* Export fields                                                        */
/* ------------------------------------------------------------------ */

static int add_str(cJSON *o, const char *k, const char *v)
{
    return mh_json_add(o, k, v ? cJSON_CreateString(v) : cJSON_CreateNull());
}

static int add_strn(cJSON *o, const char *k, const char *v, size_t n)
{
    char *s = v ? mh_strndup(v, n) : NULL;
    int ok = add_str(o, k, s);
    mh_free(s);
    return ok && (!v || s);
}

static int add_num(cJSON *o, const char *k, double v)
{
    return mh_json_add(o, k, cJSON_CreateNumber(v));
}

static const char *col_text(sqlite3_stmt *q, int i)
{
    return (const char *)sqlite3_column_text(q, i);
}

/*
 * The entity that entity row E (an SQL alias) stands for when read: a
 * person stored under one word ("Lavrov", from an article that never
 * gave the full name, stored before any that did) is the one stored
 * person whose last name it is, when there is exactly one; otherwise
 * itself.  Applied when reading, not written, so a second namesake
 * stored later makes the one-word name stand alone again (never a guess)
 * and nothing has to be rewritten.  The index entity_last serves it.
 */
#define CANON_ID(E) \
    "coalesce((SELECT CASE WHEN count(*) = 1 THEN min(f.id) END FROM entity f" \
    " WHERE " E ".type = 1 AND " E ".key = " E ".last_key AND f.type = 1" \
    " AND f.last_key = " E ".key AND f.key <> f.last_key), " E ".id)"
/* The stored entities read as entity row T: itself and the one-word
 * persons CANON_ID turns into it (found through the key index). */
#define MERGED_IDS(T) \
    "SELECT " T ".id UNION ALL SELECT e.id FROM entity f JOIN entity e" \
    " ON e.type = 1 AND e.key = f.last_key WHERE f.id = " T ".id AND f.type = 1" \
    " AND f.key <> f.last_key AND " CANON_ID("e") " = f.id"
/* A quote's speaker name as read: the full name when its speaker entity
 * is such a one-word person, else the name stored with the quote. */
#define SPEAKER_NAME \
    "coalesce((SELECT c.name FROM entity e JOIN entity c ON c.id = " CANON_ID("e") \
    " WHERE e.id = q.speaker AND c.id <> e.id), q.speaker_name)"

mh_err mh_quote_json(mh_db *db, const mh_article *a, cJSON *obj)
{
    mh_store *s = mh_db_store(db);
    sqlite3 *sq = mh_store_sqlite_handle(s);
    if (!sq || a->id <= 0)
        return MH_OK;
    const char *body = a->body ? a->body : "";
    size_t blen = strlen(body), tlen = a->title ? strlen(a->title) : 0;
    int ok = 1;
    cJSON *ents = cJSON_CreateArray(), *quotes = cJSON_CreateArray();
    ok &= mh_json_add(obj, "entities", ents);
    ok &= mh_json_add(obj, "quotes", quotes);
    if (!ok)
        return MH_ENOMEM;
    sqlite3_stmt *q = mh_store_sqlite_stmt(s, "SELECT data FROM article_entities WHERE article = ?1");
    sqlite3_stmt *en = mh_store_sqlite_stmt(s,
        "SELECT c.name, c.type FROM entity e JOIN entity c ON c.id = " CANON_ID("e")
        " WHERE e.id = ?1");
    if (!q || !en)
        return db_err(db, sq);
    sqlite3_bind_int64(q, 1, a->id);
    if (sqlite3_step(q) == SQLITE_ROW) {
        const unsigned char *p = sqlite3_column_blob(q, 0);
        size_t n = (size_t)sqlite3_column_bytes(q, 0) / MEN_BYTES;
        for (size_t i = 0; ok && i < n; i++, p += MEN_BYTES) {
            int64_t id = 0;
            for (int k = 0; k < 8; k++)
                id |= (int64_t)((uint64_t)p[k] << (8 * k));
            uint32_t st = mh_le32_get(p + 8), end = mh_le32_get(p + 12), fe = mh_le32_get(p + 16);
            int part = p[20];
            const char *txt = part == 1 ? a->title : part == 2 ? a->lead : body;
            size_t tl = part == 1 ? tlen : part == 2 ? (a->lead ? strlen(a->lead) : 0) : blen;
            if (!txt || fe > tl || st > end || end > fe)
                continue;
            sqlite3_reset(en);
            sqlite3_bind_int64(en, 1, id);
            if (sqlite3_step(en) != SQLITE_ROW)
                continue;
            cJSON *o = cJSON_CreateObject();
            ok &= cJSON_AddItemToArray(ents, o);
            ok &= o && add_strn(o, "text", txt + st, fe - st);
            ok &= o && add_str(o, "name", col_text(en, 0));
            ok &= o && add_str(o, "type", mh_ent_type_name((mh_ent_type)sqlite3_column_int(en, 1)));
            ok &= o && add_num(o, "start", st);
            ok &= o && add_num(o, "end", fe);
            if (part)
                ok &= o && add_str(o, "in", part == 1 ? "title" : "lead");
        }
    }
    sqlite3_reset(q);
    sqlite3_reset(en);
    sqlite3_stmt *qs = mh_store_sqlite_stmt(s,
        "SELECT q.text, " SPEAKER_NAME ", s.role, s.verb, s.kind, s.start, s.end, s.in_title,"
        " q.id, q.first_seen, q.sources FROM quote_source s JOIN quote q ON q.id = s.quote"
        " WHERE s.article = ?1 ORDER BY s.in_title = 1 DESC, s.in_title = 2 DESC, s.start");
    if (!qs)
        return db_err(db, sq);
    sqlite3_bind_int64(qs, 1, a->id);
    while (ok && sqlite3_step(qs) == SQLITE_ROW) {
        cJSON *o = cJSON_CreateObject();
        ok &= cJSON_AddItemToArray(quotes, o);
        ok &= o && add_str(o, "text", col_text(qs, 0));
        ok &= o && add_str(o, "speaker", col_text(qs, 1));
        ok &= o && add_str(o, "speaker_role", col_text(qs, 2));
        ok &= o && add_str(o, "verb", col_text(qs, 3));
        ok &= o && add_str(o, "kind", col_text(qs, 4));
        ok &= o && add_num(o, "start", (double)sqlite3_column_int64(qs, 5));
        ok &= o && add_num(o, "end", (double)sqlite3_column_int64(qs, 6));
        if (sqlite3_column_int(qs, 7))
            ok &= o && add_str(o, "in", sqlite3_column_int(qs, 7) == 1 ? "title" : "lead");
        ok &= o && add_num(o, "quote", (double)sqlite3_column_int64(qs, 8));
        ok &= o && add_num(o, "sources", (double)sqlite3_column_int64(qs, 10));
    }
    sqlite3_reset(qs);
    return ok ? MH_OK : MH_ENOMEM;
}

/* ------------------------------------------------------------------ */
/* Queries                                                              */
/* ------------------------------------------------------------------ */

static mh_err json_out(mh_db *db, cJSON *root, int ok, char **out, size_t *len)
{
    char *txt = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (!txt)
        return mh_db_fail(db, MH_ENOMEM, "out of memory (JSON)");
    *out = mh_strdup(txt);
    cJSON_free(txt);
    if (!*out)
        return mh_db_fail(db, MH_ENOMEM, "out of memory (JSON)");
    if (len)
        *len = strlen(*out);
    return MH_OK;
}

/* A query's answer: a failure on the way (once root was made) is the
 * database's to explain when SQLite has one, else memory ran out while
 * building the tree; without a failure root as JSON text. */
static mh_err query_out(mh_db *db, sqlite3 *sq, cJSON *root, int ok, char **out, size_t *len)
{
    if (!ok && root) {
        cJSON_Delete(root);
        int rc = sqlite3_errcode(sq);
        if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE)
            return mh_db_fail(db, MH_ENOMEM, "out of memory (JSON)");
        return db_err(db, sq);
    }
    return json_out(db, root, ok, out, len);
}

static sqlite3 *query_handle(mh_db *db, mh_store **s)
{
    *s = db ? mh_db_store(db) : NULL;
    sqlite3 *sq = *s ? mh_store_sqlite_handle(*s) : NULL;
    if (db && !sq)
        mh_db_fail(db, MH_EINVAL, "entities and quotes need the SQLite store");
    return sq;
}

/* A cJSON string from a column (NULL column -> JSON null). */
static int add_col(cJSON *o, const char *k, sqlite3_stmt *q, int i)
{
    return add_str(o, k, col_text(q, i));
}

/*
 * The entities a user's name stands for: the name's key (canonical
 * spelling applied), a person whose last name it is, or an alias.  Ids go
 * into a temp table "sel(id)" that the queries join.
 */
static mh_err select_entities(mh_db *db, sqlite3 *sq, const char *name, size_t *n)
{
    *n = 0;
    char *key = NULL;
    size_t klen;
    if (mh_entity_key(name, strlen(name), &key, &klen) != MH_OK)
        return mh_db_fail(db, MH_ENOMEM, "out of memory");
    int rc = sqlite3_exec(sq, "CREATE TEMP TABLE IF NOT EXISTS sel(id INTEGER PRIMARY KEY);"
                              "DELETE FROM sel;", NULL, NULL, NULL);
    sqlite3_stmt *st = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(sq,
            "INSERT OR IGNORE INTO sel(id)"
            " SELECT id FROM entity WHERE key = ?1"
            " UNION SELECT id FROM entity WHERE type = 1 AND last_key = ?1"
            " UNION SELECT entity FROM entity_alias WHERE alias = ?2",
            -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, (int)klen, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        *n = (size_t)sqlite3_changes(sq);
    }
    sqlite3_finalize(st);
    st = NULL;
    /* With a full name, also the one-word persons read as it (CANON_ID). */
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(sq,
            "INSERT OR IGNORE INTO sel(id)"
            " SELECT e.id FROM sel JOIN entity f ON f.id = sel.id"
            " JOIN entity e ON e.type = 1 AND e.key = f.last_key"
            " WHERE f.type = 1 AND f.key <> f.last_key AND " CANON_ID("e") " = f.id",
            -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        *n += (size_t)sqlite3_changes(sq);
    }
    sqlite3_finalize(st);
    mh_free(key);
    return rc == SQLITE_OK ? MH_OK : db_err(db, sq);
}

mh_err mh_db_entities_json(mh_db *db, mh_ent_type type, size_t limit, char **out, size_t *len)
{
    mh_store *s;
    sqlite3 *sq;
    if (!out || !(sq = query_handle(db, &s)))
        return MH_EINVAL;
    *out = NULL;
    if (!limit || limit > 100000)
        limit = 100;
    sqlite3_stmt *q = mh_store_sqlite_stmt(s,
        /* Counts per stored entity, then the one-word persons added to
         * the full name they are read as (CANON_ID, evaluated for those
         * rows only); quotes and role only for the rows shown.  An article
         * holding both spellings is counted twice, which the in-article
         * resolution of surnames makes rare. */
        "WITH m(id, cid) AS (SELECT e.id,"
        "   CASE WHEN e.type = 1 AND e.key = e.last_key THEN " CANON_ID("e") " ELSE e.id END"
        "   FROM entity e WHERE ?1 = 0 OR e.type = ?1),"
        " g(cid, articles, mentions) AS (SELECT m.cid, sum(a.na), sum(a.nm) FROM m"
        "   JOIN (SELECT entity, count(*) AS na, sum(n) AS nm FROM entity_article GROUP BY entity) a"
        "   ON a.entity = m.id GROUP BY m.cid),"
        " top AS (SELECT c.id, c.name, c.type, g.articles, g.mentions FROM g JOIN entity c"
        "   ON c.id = g.cid ORDER BY g.articles DESC, g.mentions DESC, c.name LIMIT ?2)"
        " SELECT top.*,"
        " (SELECT count(*) FROM quote WHERE speaker IN (" MERGED_IDS("top") ")),"
        " (SELECT role FROM entity_role r WHERE r.entity IN (" MERGED_IDS("top") ")"
        "   GROUP BY role ORDER BY sum(r.n) DESC, role LIMIT 1)"
        " FROM top ORDER BY top.articles DESC, top.mentions DESC, top.name");
    if (!q)
        return db_err(db, sq);
    sqlite3_bind_int(q, 1, (int)type);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)limit);
    cJSON *root = cJSON_CreateArray();
    int ok = root != NULL, rc;
    while (ok && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        cJSON *o = cJSON_CreateObject();
        ok &= cJSON_AddItemToArray(root, o);
        ok &= o && add_num(o, "id", (double)sqlite3_column_int64(q, 0));
        ok &= o && add_col(o, "name", q, 1);
        ok &= o && add_str(o, "type", mh_ent_type_name((mh_ent_type)sqlite3_column_int(q, 2)));
        ok &= o && add_num(o, "articles", (double)sqlite3_column_int64(q, 3));
        ok &= o && add_num(o, "mentions", (double)sqlite3_column_int64(q, 4));
        ok &= o && add_num(o, "quotes", (double)sqlite3_column_int64(q, 5));
        ok &= o && add_col(o, "role", q, 6);
    }
    sqlite3_reset(q);
    return json_out(db, root, ok, out, len);
}

/* Quotes of the selected entities (or all when sel is not used), newest
 * last, as an array. */
static int add_quotes(sqlite3 *sq, cJSON *arr, int use_sel, const char *about, const char *from,
                      const char *to, size_t limit)
{
    char sql[2000];
    snprintf(sql, sizeof sql,
        "SELECT q.id, q.text, " SPEAKER_NAME ", q.speaker_role, q.verb, q.kind, q.first_seen,"
        " q.sources, q.first_article, a.outlet, a.title, q.key"
        " FROM quote q LEFT JOIN articles a ON a.id = q.first_article"
        " WHERE %s (?1 IS NULL OR q.first_seen >= ?1) AND (?2 IS NULL OR q.first_seen <= ?2)"
        " ORDER BY q.first_seen IS NULL, q.first_seen, q.id LIMIT ?3",
        use_sel ? "q.speaker IN (SELECT id FROM sel) AND" : "");
    sqlite3_stmt *q = NULL, *src = NULL;
    if (sqlite3_prepare_v2(sq, sql, -1, &q, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(sq, "SELECT s.article, a.date, a.outlet FROM quote_source s"
                               " JOIN articles a ON a.id = s.article WHERE s.quote = ?1"
                               " ORDER BY a.date IS NULL, a.date, s.article", -1, &src, NULL) != SQLITE_OK) {
        sqlite3_finalize(q);
        return 0;
    }
    if (from)
        sqlite3_bind_text(q, 1, from, -1, SQLITE_STATIC);
    if (to)
        sqlite3_bind_text(q, 2, to, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)(about ? 1000000 : limit));
    /* --about: every word, folded, within the folded text. */
    mh_buf words;
    mh_buf_init(&words, 0);
    if (about)
        mh_tr_fold_buf(&words, about, strlen(about));
    int ok = !words.err;
    size_t kept = 0;
    while (ok && kept < limit && sqlite3_step(q) == SQLITE_ROW) {
        if (about && words.len) {
            sqlite3_stmt *f = NULL;
            int match = 1;
            if (sqlite3_prepare_v2(sq, "SELECT fold FROM quote WHERE id = ?1", -1, &f, NULL) == SQLITE_OK) {
                sqlite3_bind_int64(f, 1, sqlite3_column_int64(q, 0));
                const char *fold = sqlite3_step(f) == SQLITE_ROW ? col_text(f, 0) : "";
                const char *w = words.p;
                while (match && *w) {
                    while (*w == ' ')
                        w++;
                    const char *e = w;
                    while (*e && *e != ' ')
                        e++;
                    if (e > w) {
                        char tmp[256];
                        size_t n = (size_t)(e - w) < sizeof tmp - 1 ? (size_t)(e - w) : sizeof tmp - 1;
                        memcpy(tmp, w, n);
                        tmp[n] = 0;
                        match = fold && strstr(fold, tmp) != NULL;
                    }
                    w = e;
                }
            }
            sqlite3_finalize(f);
            if (!match)
                continue;
        }
        cJSON *o = cJSON_CreateObject();
        ok &= cJSON_AddItemToArray(arr, o);
        ok &= o && add_num(o, "id", (double)sqlite3_column_int64(q, 0));
        ok &= o && add_col(o, "key", q, 11);
        ok &= o && add_col(o, "text", q, 1);
        ok &= o && add_col(o, "speaker", q, 2);
        ok &= o && add_col(o, "speaker_role", q, 3);
        ok &= o && add_col(o, "verb", q, 4);
        ok &= o && add_col(o, "kind", q, 5);
        ok &= o && add_col(o, "first_seen", q, 6);
        ok &= o && add_num(o, "sources", (double)sqlite3_column_int64(q, 7));
        ok &= o && add_col(o, "first_outlet", q, 9);
        cJSON *srcs = cJSON_CreateArray();
        ok &= mh_json_add(o, "articles", srcs);
        sqlite3_reset(src);
        sqlite3_bind_int64(src, 1, sqlite3_column_int64(q, 0));
        while (ok && sqlite3_step(src) == SQLITE_ROW) {
            cJSON *x = cJSON_CreateObject();
            ok &= cJSON_AddItemToArray(srcs, x);
            ok &= x && add_num(x, "id", (double)sqlite3_column_int64(src, 0));
            ok &= x && add_col(x, "date", src, 1);
            ok &= x && add_col(x, "outlet", src, 2);
        }
        kept++;
    }
    mh_buf_free(&words);
    sqlite3_finalize(q);
    sqlite3_finalize(src);
    return ok;
}

mh_err mh_db_quotes_json(mh_db *db, const mh_quote_filter *f, char **out, size_t *len)
{
    mh_store *s;
    sqlite3 *sq;
    if (!out || !f || !(sq = query_handle(db, &s)))
        return MH_EINVAL;
    *out = NULL;
    char from[11], to[11];
    if ((f->from && mh_search_date_bound(f->from, 0, from) != MH_OK) ||
        (f->to && mh_search_date_bound(f->to, 1, to) != MH_OK))
        return mh_db_fail(db, MH_ERANGE, "dates are YYYY, YYYY-MM or YYYY-MM-DD");
    size_t nsel = 0;
    if (f->speaker) {
        mh_err e = select_entities(db, sq, f->speaker, &nsel);
        if (e)
            return e;
    }
    cJSON *root = cJSON_CreateArray();
    int ok = root != NULL;
    if (ok && (!f->speaker || nsel))
        ok = add_quotes(sq, root, f->speaker != NULL, f->about, f->from ? from : NULL,
                        f->to ? to : NULL, f->limit ? f->limit : 1000);
    return query_out(db, sq, root, ok, out, len);
}

/* The entity a name stands for: the selected one with the most articles. */
static int64_t best_entity(sqlite3 *sq)
{
    sqlite3_stmt *q = NULL;
    int64_t id = 0;
    if (sqlite3_prepare_v2(sq, "SELECT sel.id FROM sel LEFT JOIN entity_article ea ON ea.entity = sel.id"
                               " GROUP BY sel.id ORDER BY count(ea.article) DESC, sel.id LIMIT 1",
                           -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        id = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return id;
}

/* The start of entity_json and timeline_json: the handle, and the entity
 * the name stands for (the entities it may mean are left in sel). */
static mh_err pick_entity(mh_db *db, const char *name, char **out, sqlite3 **sqo, int64_t *id)
{
    mh_store *s;
    sqlite3 *sq;
    if (!out || !name || !(sq = query_handle(db, &s)))
        return MH_EINVAL;
    *out = NULL;
    size_t nsel;
    mh_err e = select_entities(db, sq, name, &nsel);
    if (e)
        return e;
    *id = nsel ? best_entity(sq) : 0;
    if (!*id)
        return mh_db_fail(db, MH_ENOTFOUND, "no entity named '%s'", name);
    *sqo = sq;
    return MH_OK;
}

static int add_rows(sqlite3 *sq, cJSON *o, const char *key, const char *sql, int64_t id,
                    const char *const *names, int ncol)
{
    sqlite3_stmt *q = NULL;
    cJSON *arr = cJSON_CreateArray();
    int ok = mh_json_add(o, key, arr);
    if (!ok || sqlite3_prepare_v2(sq, sql, -1, &q, NULL) != SQLITE_OK) {
        sqlite3_finalize(q);
        return 0;
    }
    sqlite3_bind_int64(q, 1, id);
    while (ok && sqlite3_step(q) == SQLITE_ROW) {
        cJSON *x = cJSON_CreateObject();
        ok &= cJSON_AddItemToArray(arr, x);
        for (int c = 0; ok && c < ncol; c++) {
            if (sqlite3_column_type(q, c) == SQLITE_INTEGER)
                ok &= add_num(x, names[c], (double)sqlite3_column_int64(q, c));
            else
                ok &= add_col(x, names[c], q, c);
        }
    }
    sqlite3_finalize(q);
    return ok;
}

mh_err mh_db_entity_json(mh_db *db, const char *name, char **out, size_t *len)
{
    sqlite3 *sq;
    int64_t id;
    mh_err e = pick_entity(db, name, out, &sq, &id);
    if (e)
        return e;
    /* Show the chosen entity with the others of the same name merged in
     * (a one-word "Lavrov" next to "Sergey Lavrov"). */
    sqlite3_stmt *q = NULL;
    cJSON *root = cJSON_CreateObject();
    int ok = root != NULL;
    if (sqlite3_prepare_v2(sq, "SELECT c.id, c.name, c.type FROM entity e JOIN entity c"
                               " ON c.id = " CANON_ID("e") " WHERE e.id = ?1",
                           -1, &q, NULL) != SQLITE_OK) {
        cJSON_Delete(root);
        return db_err(db, sq);
    }
    sqlite3_bind_int64(q, 1, id);
    if (sqlite3_step(q) == SQLITE_ROW) {
        id = sqlite3_column_int64(q, 0);
        ok &= add_num(root, "id", (double)id);
        ok &= add_col(root, "name", q, 1);
        ok &= add_str(root, "type", mh_ent_type_name((mh_ent_type)sqlite3_column_int(q, 2)));
    }
    sqlite3_finalize(q);
    static const char *const alias_cols[] = { "alias", "n" };
    static const char *const role_cols[] = { "role", "n", "first", "last" };
    static const char *const when_cols[] = { "date", "articles", "mentions" };
    static const char *const co_cols[] = { "name", "type", "articles" };
    ok = ok && add_rows(sq, root, "aliases",
        "SELECT alias, sum(n) FROM entity_alias WHERE entity IN (SELECT id FROM sel)"
        " GROUP BY alias ORDER BY sum(n) DESC, alias", id, alias_cols, 2);
    ok = ok && add_rows(sq, root, "roles",
        "SELECT role, sum(n), min(first), max(last) FROM entity_role"
        " WHERE entity IN (SELECT id FROM sel) GROUP BY role ORDER BY sum(n) DESC, role",
        id, role_cols, 4);
    ok = ok && add_rows(sq, root, "mentions",
        "SELECT a.date, count(DISTINCT ea.article), sum(ea.n) FROM entity_article ea"
        " JOIN articles a ON a.id = ea.article WHERE ea.entity IN (SELECT id FROM sel)"
        " GROUP BY a.date ORDER BY a.date IS NULL, a.date", id, when_cols, 3);
    ok = ok && add_rows(sq, root, "cooccurring",
        "SELECT e.name, CASE e.type WHEN 1 THEN 'person' WHEN 2 THEN 'place' ELSE 'org' END,"
        " count(DISTINCT o.article) FROM entity_article o JOIN entity e ON e.id = o.entity"
        " WHERE o.article IN (SELECT article FROM entity_article WHERE entity IN (SELECT id FROM sel))"
        " AND o.entity NOT IN (SELECT id FROM sel) GROUP BY e.id"
        " ORDER BY count(DISTINCT o.article) DESC, e.name LIMIT 20", id, co_cols, 3);
    cJSON *qa = cJSON_CreateArray();
    ok = mh_json_add(root, "quotes", qa) && ok;
    ok = ok && add_quotes(sq, qa, 1, NULL, NULL, NULL, 1000);
    return query_out(db, sq, root, ok, out, len);
}

mh_err mh_db_timeline_json(mh_db *db, const char *name, char **out, size_t *len)
{
    sqlite3 *sq;
    int64_t id;
    mh_err e = pick_entity(db, name, out, &sq, &id);
    if (e)
        return e;
    /* One entry per date: articles mentioning the entity, and the
     * statements first seen that day. */
    sqlite3_stmt *d = NULL, *q = NULL, *nm = NULL;
    cJSON *root = cJSON_CreateObject(), *days = cJSON_CreateArray();
    int ok = mh_json_add(root, "days", days);
    int rc = sqlite3_prepare_v2(sq,
        "SELECT d, n, m FROM ("
        " SELECT a.date AS d, count(DISTINCT ea.article) AS n, sum(ea.n) AS m"
        " FROM entity_article ea JOIN articles a ON a.id = ea.article"
        " WHERE ea.entity IN (SELECT id FROM sel) GROUP BY a.date"
        " UNION SELECT q.first_seen, 0, 0 FROM quote q WHERE q.speaker IN (SELECT id FROM sel)"
        " AND q.first_seen NOT IN (SELECT a.date FROM entity_article ea JOIN articles a"
        "   ON a.id = ea.article WHERE ea.entity IN (SELECT id FROM sel) AND a.date IS NOT NULL))"
        " ORDER BY d IS NULL, d", -1, &d, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(sq,
            "SELECT text, kind, verb, first_article, sources FROM quote"
            " WHERE speaker IN (SELECT id FROM sel) AND first_seen IS ?1 ORDER BY id",
            -1, &q, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(sq, "SELECT name FROM entity WHERE id = ?1", -1, &nm, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(d);
        sqlite3_finalize(q);
        sqlite3_finalize(nm);
        cJSON_Delete(root);
        return db_err(db, sq);
    }
    sqlite3_bind_int64(nm, 1, id);
    if (sqlite3_step(nm) == SQLITE_ROW)
        ok &= add_col(root, "name", nm, 0);
    while (ok && sqlite3_step(d) == SQLITE_ROW) {
        cJSON *x = cJSON_CreateObject();
        ok &= cJSON_AddItemToArray(days, x);
        ok &= x && add_col(x, "date", d, 0);
        ok &= x && add_num(x, "articles", (double)sqlite3_column_int64(d, 1));
        ok &= x && add_num(x, "mentions", (double)sqlite3_column_int64(d, 2));
        cJSON *st = cJSON_CreateArray();
        ok &= mh_json_add(x, "statements", st);
        sqlite3_reset(q);
        if (sqlite3_column_type(d, 0) == SQLITE_NULL)
            sqlite3_bind_null(q, 1);
        else
            sqlite3_bind_text(q, 1, col_text(d, 0), -1, SQLITE_TRANSIENT);
        while (ok && sqlite3_step(q) == SQLITE_ROW) {
            cJSON *y = cJSON_CreateObject();
            ok &= cJSON_AddItemToArray(st, y);
            ok &= y && add_col(y, "text", q, 0);
            ok &= y && add_col(y, "kind", q, 1);
            ok &= y && add_col(y, "verb", q, 2);
            ok &= y && add_num(y, "article", (double)sqlite3_column_int64(q, 3));
            ok &= y && add_num(y, "sources", (double)sqlite3_column_int64(q, 4));
        }
    }
    sqlite3_finalize(d);
    sqlite3_finalize(q);
    sqlite3_finalize(nm);
    return query_out(db, sq, root, ok, out, len);
}
