/*
 * server.h -- interfaces shared between the files of server/ (the HTTP
 * server behind `muhabir serve`), one section per file.  Not installed.
 *
 *   route.c    raw request URI -> validated srv_request (pure, fuzzed)
 *   http.c     libmicrohttpd daemon, limits, per-thread workers, cache
 *   api.c      one handler per endpoint, JSON built with cJSON
 *   data.c     thin adapter from the handlers to the libmuhabir store API
 *   assets.c   the embedded web page (web_assets.c is generated)
 */
#ifndef MH_SERVER_H
#define MH_SERVER_H

#include "muhabir.h"

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* ---------------- Interface to route.c ---------------- */

/* Ceilings on what a client may send.  A request line longer than the
 * connection memory of libmicrohttpd never reaches route.c (the daemon
 * answers 414 itself); these catch what fits in that memory. */
#define SRV_MAX_URI        4096u   /* whole request target, bytes */
#define SRV_MAX_VALUE      1024u   /* one decoded parameter value */
#define SRV_MAX_PARAMS     16u     /* name=value pairs in one query */
#define SRV_MAX_LIMIT      100     /* page size ceiling */
#define SRV_DEFAULT_LIMIT  20
#define SRV_MAX_OFFSET     10000   /* deeper paging is refused, not slow */

typedef enum srv_route {
    SRV_R_NONE = 0,       /* parse failed: see status/error */
    SRV_R_STATIC,         /* an embedded asset: asset names it */
    SRV_R_HEALTH,         /* /healthz */
    SRV_R_SEARCH,         /* /api/search */
    SRV_R_ARTICLE,        /* /api/articles/{id} */
    SRV_R_RELATED,        /* /api/articles/{id}/related */
    SRV_R_STORIES,        /* /api/stories */
    SRV_R_STORY,          /* /api/stories/{id} */
    SRV_R_QUOTES,         /* /api/quotes */
    SRV_R_ENTITIES,       /* /api/entities */
    SRV_R_ENTITY,         /* /api/entities/{name} */
    SRV_R_STATS,          /* /api/stats */
    SRV_R_COUNT
} srv_route;

/* Query parameters known to some endpoint; each endpoint accepts a subset
 * and refuses the rest with 400. */
typedef enum srv_param {
    SRV_P_Q = 0, SRV_P_FROM, SRV_P_TO, SRV_P_OUTLET, SRV_P_LIMIT,
    SRV_P_OFFSET, SRV_P_SPEAKER, SRV_P_TYPE,
    SRV_P_COUNT
} srv_param;

typedef struct srv_request {
    srv_route route;
    int head;                       /* HEAD rather than GET */
    const struct srv_asset *asset;  /* SRV_R_STATIC: the embedded file (static) */
    int64_t id;                     /* {id} of articles and stories */
    char *name;                     /* {name} of an entity, decoded (owned) */
    size_t name_len;
    char *param[SRV_P_COUNT];       /* decoded values, NULL when absent (owned) */
    size_t param_len[SRV_P_COUNT];
    int limit, offset;              /* validated, defaults applied */
    char from[11], to[11];          /* "YYYY-MM-DD" or "" */
    int status;                     /* 0 when the request is valid, else 4xx */
    char error[192];                /* English message for the JSON error */
} srv_request;

/* Name of a parameter ("q", "from", ...).  Static string. */
const char *srv_param_name(srv_param p);
/* Name of a route for logs and cache keys ("search").  Static string. */
const char *srv_route_name(srv_route r);

/*
 * Parse and validate one request: method (GET, HEAD), request target as
 * the client sent it (path and query string, still percent-encoded), len
 * bytes, not necessarily NUL terminated.  Percent-encoding must be
 * well-formed, decoded text valid UTF-8 without NUL, parameters known to
 * the endpoint and given once, numbers and dates in range.
 * Always fills *out (clear it with srv_request_clear).  Returns 0 when the
 * request is valid, otherwise the HTTP status (400, 404, 405, 414) also
 * stored in out->status, with out->error saying why.
 */
int srv_request_parse(const char *method, const char *uri, size_t len,
                      srv_request *out);
/* Free what srv_request_parse allocated; accepts a zeroed request. */
void srv_request_clear(srv_request *r);

/* ---------------- Interface to assets.c ---------------- */

typedef struct srv_asset {
    const char *name;               /* "index.html" */
    const char *type;               /* Content-Type */
    const unsigned char *data;
    size_t len;
} srv_asset;

/* The embedded asset called name (a decoded path segment), or NULL. */
const srv_asset *srv_asset_find(const char *name, size_t n);
/* Table generated from web/ by tools/embed.c (server/web_assets.c). */
extern const srv_asset srv_web_assets[];
extern const size_t srv_web_asset_count;

/* ---------------- Interface to data.c ---------------- */

/*
 * One worker's read-only view of the database.  Each server thread owns
 * one; SQLite handles are never shared between threads.
 */
typedef struct srv_data srv_data;

/* Open path read-only.  *out: caller frees with srv_data_close.  On
 * failure err[errlen] says why. */
mh_err srv_data_open(const char *path, srv_data **out, char *err, size_t errlen);
void srv_data_close(srv_data *d);
/* Last error detail of the handle (borrowed). */
const char *srv_data_errmsg(srv_data *d);
/* A number that changes whenever another connection commits (SQLite
 * data_version); -1 when unknown, which disables caching. */
int64_t srv_data_version(srv_data *d);

/*
 * Each call answers one endpoint: on MH_OK *out is the JSON body (caller
 * frees with cJSON_Delete).  MH_ENOTFOUND: no such object.  MH_EINVAL
 * with *why set: the feature is not available in this build or database
 * (answered 501).  Other codes are server errors.
 */
typedef struct srv_result {
    cJSON *json;
    const char *why;                /* detail for 4xx/5xx, or NULL: static, or
                                       borrowed from the handle until its next call */
} srv_result;

mh_err srv_data_stats(srv_data *d, srv_result *out);
mh_err srv_data_search(srv_data *d, const srv_request *r, srv_result *out);
mh_err srv_data_article(srv_data *d, const srv_request *r, srv_result *out);
mh_err srv_data_related(srv_data *d, const srv_request *r, srv_result *out);
mh_err srv_data_stories(srv_data *d, const srv_request *r, srv_result *out);
mh_err srv_data_story(srv_data *d, const srv_request *r, srv_result *out);
mh_err srv_data_quotes(srv_data *d, const srv_request *r, srv_result *out);
mh_err srv_data_entities(srv_data *d, const srv_request *r, srv_result *out);
mh_err srv_data_entity(srv_data *d, const srv_request *r, srv_result *out);

/* ---------------- Interface to api.c ---------------- */

/* A response ready for the transport: body (caller frees with free()),
 * status, content type (static). */
typedef struct srv_response {
    int status;
    char *body;
    size_t len;
    const char *type;
    int cacheable;                  /* same request, same data -> same body */
} srv_response;

/* JSON error body {"error": {"status": N, "message": "..."}}.  Returns 0,
 * or -1 when out of memory (then out->body is NULL). */
int srv_error_response(int status, const char *message, srv_response *out);

/* Answer one valid API request (route SRV_R_HEALTH .. SRV_R_STATS) with
 * worker data d (may be NULL when the database cannot be opened). */
void srv_api_answer(srv_data *d, const srv_request *r, srv_response *out);

/* ---------------- Interface to http.c ---------------- */

/* `muhabir serve [--db FILE] [--listen HOST:PORT] ...`; returns the
 * process exit status. */
int srv_main(int argc, char **argv, const char *default_db);

#endif /* MH_SERVER_H */
