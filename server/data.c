/*
 * data.c -- the thin adapter between the API handlers and libmuhabir's
 * store: it opens a read-only mh_db per server thread, calls the public
 * API (include/muhabir.h), and turns the results into cJSON trees.
 *
 * The library answers stories, entities and quotes as JSON text, which is
 * parsed here and wrapped in the API's common list shape (pagination is
 * done here where the library has only a limit).  A feature missing from
 * a build would answer MH_EINVAL with a reason, which api.c sends as 501.
 *
 * Freshness: besides the mh_db handle each worker keeps one plain
 * read-only SQLite connection whose only job is `PRAGMA data_version`:
 * its value changes whenever another connection (a running ingest)
 * commits, which tells http.c to drop its cached answers.
 */
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

struct srv_data {
    mh_db *db;
    sqlite3 *watch;              /* for data_version only; may be NULL */
    sqlite3_stmt *version;
};

/* Snippet markers asked from the search: C0 controls never survive
 * mh_clean, so they cannot occur in stored text. */
#define HL_OPEN  "\x02"
#define HL_CLOSE "\x03"

mh_err srv_data_open(const char *path, srv_data **out, char *err, size_t errlen)
{
    srv_data *d = calloc(1, sizeof *d);
    mh_err e;

    *out = NULL;
    if (errlen)
        err[0] = '\0';
    if (!d) {
        snprintf(err, errlen, "%s", mh_errstr(MH_ENOMEM));
        return MH_ENOMEM;
    }
    e = mh_db_open(path, MH_DB_READONLY, &d->db);
    if (e != MH_OK) {
        /* The message lives in the handle, which goes away here. */
        snprintf(err, errlen, "%s", d->db ? mh_db_errmsg(d->db) : mh_errstr(e));
        mh_db_close(d->db);
        free(d);
        return e;
    }
    if (sqlite3_open_v2(path, &d->watch, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(d->watch, "PRAGMA data_version", -1, &d->version,
                           NULL) != SQLITE_OK) {
        /* Without it the server still works, only without a cache. */
        sqlite3_finalize(d->version);
        sqlite3_close(d->watch);
        d->watch = NULL;
        d->version = NULL;
    }
    *out = d;
    return MH_OK;
}

void srv_data_close(srv_data *d)
{
    if (!d)
        return;
    sqlite3_finalize(d->version);
    sqlite3_close(d->watch);
    mh_db_close(d->db);
    free(d);
}

const char *srv_data_errmsg(srv_data *d)
{
    return d && d->db ? mh_db_errmsg(d->db) : "no database";
}

int64_t srv_data_version(srv_data *d)
{
    int64_t v = -1;

    if (!d || !d->version)
        return -1;
    if (sqlite3_step(d->version) == SQLITE_ROW)
        v = sqlite3_column_int64(d->version, 0);
    sqlite3_reset(d->version);
    return v;
}

/* ---------------- small JSON helpers ---------------- */

/* Add a string member, or null when s is NULL.  Returns 0 on failure. */
static int add_str(cJSON *obj, const char *name, const char *s)
{
    if (!s)
        return cJSON_AddNullToObject(obj, name) != NULL;
    return cJSON_AddStringToObject(obj, name, s) != NULL;
}

static int add_num(cJSON *obj, const char *name, double v)
{
    return cJSON_AddNumberToObject(obj, name, v) != NULL;
}

/* The request's filters echoed back, so a client can show what it got. */
static int add_page(cJSON *obj, const srv_request *r, size_t count, int more)
{
    if (!add_num(obj, "limit", r->limit) || !add_num(obj, "offset", r->offset) ||
        !add_num(obj, "count", (double)count) ||
        !cJSON_AddBoolToObject(obj, "has_more", more))
        return 0;
    if (more)
        return add_num(obj, "next_offset", (double)r->offset + (double)count);
    return cJSON_AddNullToObject(obj, "next_offset") != NULL;
}

/*
 * Split a snippet with HL markers into parts: [{"text": "...", "match":
 * bool}, ...], and the plain text without markers.  Unbalanced markers
 * are tolerated (a stray one just switches state).
 */
static cJSON *snippet_parts(const char *s, cJSON **plain_out)
{
    cJSON *parts = cJSON_CreateArray();
    size_t n = s ? strlen(s) : 0, start = 0;
    char *plain = malloc(n + 1);
    size_t pn = 0;
    int match = 0;

    *plain_out = NULL;
    if (!parts || !plain)
        goto bad;
    for (size_t i = 0; i <= n; i++) {
        int mark = i < n && (s[i] == HL_OPEN[0] || s[i] == HL_CLOSE[0]);
        if (!mark && i < n) {
            plain[pn++] = s[i];
            continue;
        }
        if (i > start) {
            cJSON *p = cJSON_CreateObject();
            char *t = malloc(i - start + 1);
            if (!p || !t) {
                cJSON_Delete(p);
                free(t);
                goto bad;
            }
            memcpy(t, s + start, i - start);
            t[i - start] = '\0';
            int ok = cJSON_AddStringToObject(p, "text", t) != NULL &&
                     cJSON_AddBoolToObject(p, "match", match) != NULL;
            free(t);
            if (!ok || !cJSON_AddItemToArray(parts, p)) {
                cJSON_Delete(p);
                goto bad;
            }
        }
        if (i < n)
            match = s[i] == HL_OPEN[0];
        start = i + 1;
    }
    plain[pn] = '\0';
    *plain_out = cJSON_CreateString(plain);
    free(plain);
    plain = NULL;           /* bad: frees it again otherwise */
    if (!*plain_out)
        goto bad;
    return parts;
bad:
    free(plain);
    cJSON_Delete(parts);
    return NULL;
}

/* Map a library error to one the API reports, with the library's detail
 * when it is about the request (a bad date, an unknown id). */
static mh_err lib_fail(srv_data *d, mh_err e, srv_result *out)
{
    if (e == MH_ERANGE || e == MH_EQUERY || e == MH_ENOTFOUND)
        out->why = mh_db_errmsg(d->db);
    return e;
}

/* ---------------- endpoints ---------------- */

typedef struct outlet_ctx {
    cJSON *arr;
    int failed;
} outlet_ctx;

static int each_outlet(void *ctx, const char *outlet, int64_t articles)
{
    outlet_ctx *oc = ctx;
    cJSON *o = cJSON_CreateObject();
    if (!o || !add_str(o, "name", outlet) || !add_num(o, "articles", (double)articles) ||
        !cJSON_AddItemToArray(oc->arr, o)) {
        cJSON_Delete(o);
        oc->failed = 1;
        return 1;
    }
    return 0;
}

mh_err srv_data_stats(srv_data *d, srv_result *out)
{
    mh_stats st;
    mh_err e = mh_db_stats(d->db, &st);
    cJSON *root = NULL, *feat;
    outlet_ctx oc = {0};

    if (e != MH_OK)
        return e;
    root = cJSON_CreateObject();
    if (!root || !add_num(root, "articles", (double)st.articles) ||
        !add_num(root, "records", (double)st.records) ||
        !add_num(root, "outlet_count", (double)st.outlets) ||
        !add_str(root, "first_date", st.first_date[0] ? st.first_date : NULL) ||
        !add_str(root, "last_date", st.last_date[0] ? st.last_date : NULL) ||
        !add_num(root, "schema_version", st.schema_version) ||
        !add_num(root, "db_bytes", (double)st.db_bytes) ||
        !add_str(root, "version", mh_version()))
        goto nomem;
    oc.arr = cJSON_AddArrayToObject(root, "outlets");
    if (!oc.arr)
        goto nomem;
    int rc = mh_db_each_outlet(d->db, each_outlet, &oc);
    if (oc.failed)
        goto nomem;
    if (rc != 0) {
        cJSON_Delete(root);
        out->why = "could not list outlets";
        return rc > 0 && rc < MH_ERR_COUNT ? (mh_err)rc : MH_EDB;
    }
    /* What this build and database can answer, so the page can hide the
     * views that would only say "not available". */
    feat = cJSON_AddObjectToObject(root, "features");
    if (!feat || !cJSON_AddBoolToObject(feat, "search", 1) ||
        !cJSON_AddBoolToObject(feat, "stories", 1) ||
        !cJSON_AddBoolToObject(feat, "related", 1) ||
        !cJSON_AddBoolToObject(feat, "entities", 1) ||
        !cJSON_AddBoolToObject(feat, "quotes", 1))
        goto nomem;
    out->json = root;
    return MH_OK;
nomem:
    cJSON_Delete(root);
    return MH_ENOMEM;
}

mh_err srv_data_search(srv_data *d, const srv_request *r, srv_result *out)
{
    mh_search_opts so;
    mh_hit *hits = NULL;
    size_t n = 0;
    mh_err e;
    cJSON *root = NULL, *arr, *q;

    if (!r->param[SRV_P_Q]) {
        out->why = "missing query: use ?q=";
        return MH_EQUERY;
    }
    memset(&so, 0, sizeof so);
    so.query = r->param[SRV_P_Q];
    so.from = r->from[0] ? r->from : NULL;
    so.to = r->to[0] ? r->to : NULL;
    so.outlet = r->param[SRV_P_OUTLET];
    so.limit = (size_t)r->limit + 1;     /* one more tells whether there is a next page */
    so.offset = (size_t)r->offset;
    so.hl_open = HL_OPEN;
    so.hl_close = HL_CLOSE;
    e = mh_db_search(d->db, &so, &hits, &n);
    if (e != MH_OK)
        return lib_fail(d, e, out);
    int more = n > (size_t)r->limit;
    if (more)
        n = (size_t)r->limit;
    root = cJSON_CreateObject();
    q = cJSON_AddObjectToObject(root, "query");
    if (!q || !add_str(q, "q", r->param[SRV_P_Q]) ||
        !add_str(q, "from", r->from[0] ? r->from : NULL) ||
        !add_str(q, "to", r->to[0] ? r->to : NULL) ||
        !add_str(q, "outlet", r->param[SRV_P_OUTLET]) ||
        !add_page(root, r, n, more))
        goto nomem;
    arr = cJSON_AddArrayToObject(root, "results");
    if (!arr)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        const mh_hit *h = &hits[i];
        cJSON *o = cJSON_CreateObject(), *plain = NULL;
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            goto nomem;
        }
        cJSON *parts = snippet_parts(h->snippet, &plain);
        if (!parts || !add_num(o, "id", (double)h->id) ||
            !add_num(o, "score", h->score) || !add_str(o, "title", h->title) ||
            !add_str(o, "date", h->date) || !add_str(o, "outlet", h->outlet) ||
            !cJSON_AddItemToObject(o, "snippet", plain)) {
            cJSON_Delete(parts);
            cJSON_Delete(plain);
            goto nomem;
        }
        if (!cJSON_AddItemToObject(o, "snippet_parts", parts)) {
            cJSON_Delete(parts);
            goto nomem;
        }
    }
    mh_hits_free(hits, n + (size_t)more);
    out->json = root;
    return MH_OK;
nomem:
    mh_hits_free(hits, n + (size_t)more);
    cJSON_Delete(root);
    return MH_ENOMEM;
}

mh_err srv_data_article(srv_data *d, const srv_request *r, srv_result *out)
{
    mh_article *a = NULL;
    char *json = NULL;
    size_t len = 0;
    mh_err e = mh_db_get_article(d->db, r->id, &a);

    if (e != MH_OK)
        return e;
    e = mh_db_article_json(d->db, a, &json, &len);
    mh_article_free(a);
    if (e != MH_OK)
        return e;
    out->json = cJSON_ParseWithLength(json, len);
    mh_free(json);
    /* The library's JSON is cJSON's own printing: a text that does not
     * parse back means the parser ran out of memory. */
    return out->json ? MH_OK : MH_ENOMEM;
}

/* Parse JSON text the library produced (and free it). */
static cJSON *take_json(char *text, size_t len)
{
    cJSON *j = text ? cJSON_ParseWithLength(text, len) : NULL;
    mh_free(text);
    return j;
}

/* Wrap a slice [offset, offset + limit) of a JSON array of results into
 * the common list object; the array is consumed. */
static cJSON *page_of(cJSON *arr, const srv_request *r, size_t offset, int *nomem)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *res = cJSON_CreateArray();
    size_t total = (size_t)cJSON_GetArraySize(arr), n = 0;

    *nomem = 1;
    if (!root || !res) {
        cJSON_Delete(root);
        cJSON_Delete(res);
        cJSON_Delete(arr);
        return NULL;
    }
    /* Move the items of the slice, not copy them. */
    while (n < (size_t)r->limit && offset < total) {
        cJSON *it = cJSON_DetachItemFromArray(arr, (int)offset);
        if (!it || !cJSON_AddItemToArray(res, it)) {
            cJSON_Delete(it);
            goto bad;
        }
        total--;
        n++;
    }
    int more = offset < total;     /* items left at or after the slice */
    cJSON_Delete(arr);
    arr = NULL;
    if (!add_page(root, r, n, more))
        goto bad;
    if (!cJSON_AddItemToObject(root, "results", res)) {
        res = NULL;
        goto bad;
    }
    *nomem = 0;
    return root;
bad:
    cJSON_Delete(arr);
    cJSON_Delete(res);
    cJSON_Delete(root);
    return NULL;
}

/* A JSON array answer from the library, paged here: the library has no
 * offset, so ask for everything up to the end of the page plus one. */
static size_t want_for(const srv_request *r)
{
    return (size_t)r->offset + (size_t)r->limit + 1;
}

/* The page from offset of the library's array answer (what names it in
 * the error when it is not an array). */
static mh_err list_answer(srv_data *d, mh_err e, char *text, size_t len, const srv_request *r,
                          size_t offset, const char *what, srv_result *out)
{
    int nomem;

    if (e != MH_OK) {
        mh_free(text);
        return lib_fail(d, e, out);
    }
    cJSON *arr = take_json(text, len);
    if (!arr)
        return MH_ENOMEM;       /* see srv_data_article */
    if (!cJSON_IsArray(arr)) {
        cJSON_Delete(arr);
        out->why = what;
        return MH_EFORMAT;
    }
    out->json = page_of(arr, r, offset, &nomem);
    return out->json ? MH_OK : MH_ENOMEM;
}

/* The library's object answer as it is. */
static mh_err object_answer(srv_data *d, mh_err e, char *text, size_t len, const char *what,
                            srv_result *out)
{
    if (e != MH_OK) {
        mh_free(text);
        return lib_fail(d, e, out);
    }
    out->json = take_json(text, len);
    if (!out->json)
        return MH_ENOMEM;       /* see srv_data_article */
    if (!cJSON_IsObject(out->json)) {
        cJSON_Delete(out->json);
        out->json = NULL;
        out->why = what;
        return MH_EFORMAT;
    }
    return MH_OK;
}

/* Drop a half-built answer: memory ran out. */
static mh_err no_memory(srv_result *out)
{
    cJSON_Delete(out->json);
    out->json = NULL;
    return MH_ENOMEM;
}

mh_err srv_data_related(srv_data *d, const srv_request *r, srv_result *out)
{
    char *text = NULL;
    size_t len = 0;
    mh_err e = mh_db_related_json(d->db, r->id, (size_t)r->limit + 1, &text, &len);
    mh_err rc = list_answer(d, e, text, len, r, 0,
                            "related articles: unexpected answer from the library", out);
    if (rc == MH_OK && !add_num(out->json, "id", (double)r->id))
        return no_memory(out);
    return rc;
}

/* The outlets of a story's members, earliest publisher first, each once
 * (none for a story that is gone); NULL when memory ran out, never a
 * shorter list. */
static cJSON *story_outlets(srv_data *d, int64_t id)
{
    char *text = NULL;
    size_t len = 0;
    cJSON *names = NULL;

    mh_err e = mh_db_story_json(d->db, id, &text, &len);
    if (e == MH_ENOTFOUND)
        return cJSON_CreateArray();
    if (e != MH_OK)
        return NULL;
    cJSON *story = take_json(text, len);
    cJSON *members = cJSON_GetObjectItemCaseSensitive(story, "members");
    names = story ? cJSON_CreateArray() : NULL;
    cJSON *m;
    cJSON_ArrayForEach(m, members) {
        cJSON *o = cJSON_GetObjectItemCaseSensitive(m, "outlet");
        if (!names)
            break;
        if (!cJSON_IsString(o) || !o->valuestring[0])
            continue;
        int seen = 0;
        cJSON *x;
        cJSON_ArrayForEach(x, names)
            if (strcmp(x->valuestring, o->valuestring) == 0)
                seen = 1;
        if (!seen && !cJSON_AddItemToArray(names, cJSON_CreateString(o->valuestring))) {
            cJSON_Delete(names);
            names = NULL;
        }
    }
    cJSON_Delete(story);
    return names;
}

mh_err srv_data_stories(srv_data *d, const srv_request *r, srv_result *out)
{
    char *text = NULL;
    size_t len = 0;
    mh_err e = mh_db_stories_json(d->db, r->from[0] ? r->from : NULL,
                                  r->to[0] ? r->to : NULL, want_for(r), &text, &len);
    mh_err rc = list_answer(d, e, text, len, r, (size_t)r->offset,
                            "stories: unexpected answer from the library", out);
    if (rc != MH_OK)
        return rc;
    cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(out->json, "results")) {
        cJSON *id = cJSON_GetObjectItemCaseSensitive(s, "id");
        cJSON *names = cJSON_IsNumber(id) ? story_outlets(d, (int64_t)id->valuedouble) : NULL;
        if (!names || !cJSON_AddItemToObject(s, "outlet_names", names)) {
            cJSON_Delete(names);
            return no_memory(out);
        }
    }
    if (!add_str(out->json, "from", r->from[0] ? r->from : NULL) ||
        !add_str(out->json, "to", r->to[0] ? r->to : NULL))
        return no_memory(out);
    return MH_OK;
}

mh_err srv_data_story(srv_data *d, const srv_request *r, srv_result *out)
{
    char *text = NULL;
    size_t len = 0;
    mh_err e = mh_db_story_json(d->db, r->id, &text, &len);
    return object_answer(d, e, text, len, "story: unexpected answer from the library", out);
}

mh_err srv_data_quotes(srv_data *d, const srv_request *r, srv_result *out)
{
    mh_quote_filter f;
    char *text = NULL;
    size_t len = 0;

    memset(&f, 0, sizeof f);
    f.speaker = r->param[SRV_P_SPEAKER];
    f.about = r->param[SRV_P_Q];
    f.from = r->from[0] ? r->from : NULL;
    f.to = r->to[0] ? r->to : NULL;
    f.limit = want_for(r);
    mh_err e = mh_db_quotes_json(d->db, &f, &text, &len);
    mh_err rc = list_answer(d, e, text, len, r, (size_t)r->offset,
                            "quotes: unexpected answer from the library", out);
    if (rc == MH_OK && (!add_str(out->json, "speaker", f.speaker) ||
                        !add_str(out->json, "q", f.about) ||
                        !add_str(out->json, "from", f.from) ||
                        !add_str(out->json, "to", f.to)))
        return no_memory(out);
    return rc;
}

mh_err srv_data_entities(srv_data *d, const srv_request *r, srv_result *out)
{
    mh_ent_type type = MH_ENT_NONE;
    char *text = NULL;
    size_t len = 0;

    if (r->param[SRV_P_TYPE]) {
        type = mh_ent_type_parse(r->param[SRV_P_TYPE], r->param_len[SRV_P_TYPE]);
        if (type == MH_ENT_NONE) {
            out->why = "unknown entity type: use person, place or org";
            return MH_ERANGE;
        }
    }
    mh_err e = mh_db_entities_json(d->db, type, want_for(r), &text, &len);
    mh_err rc = list_answer(d, e, text, len, r, (size_t)r->offset,
                            "entities: unexpected answer from the library", out);
    if (rc == MH_OK && !add_str(out->json, "type", type ? mh_ent_type_name(type) : NULL))
        return no_memory(out);
    return rc;
}

mh_err srv_data_entity(srv_data *d, const srv_request *r, srv_result *out)
{
    char *text = NULL;
    size_t len = 0;
    mh_err e = mh_db_entity_json(d->db, r->name, &text, &len);
    return object_answer(d, e, text, len, "entity: unexpected answer from the library", out);
}
