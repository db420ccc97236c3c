/*
 * http.c -- `muhabir serve`: the libmicrohttpd daemon, its limits, one
 * read-only database handle per server thread, and a small per-thread
 * cache of recent API responses.
 *
 * Threads: the daemon runs MHD_USE_INTERNAL_POLLING_THREAD with epoll and
 * a pool of --threads (default 2) threads.  A connection stays on the
 * thread that accepted it, so each thread lazily opens its OWN read-only
 * database handle (thread-local); no SQLite handle is ever shared.  The
 * handles are registered in a list only so that they can be closed after
 * the daemon has stopped.
 *
 * Cache: one LRU of finished responses (libmicrohttpd responses are
 * reference counted and may be queued on many connections), keyed by the
 * normalised request, shared by the threads under a mutex: a popular
 * query is searched once, not once per thread.
 *
 * Freshness: the database is opened read-only so `muhabir ingest` can
 * write beside the server (SQLite WAL).  Before each API answer a thread
 * asks its own handle for SQLite's data_version, which changes when
 * another connection commits.  A change (or a thread's first look) bumps
 * the cache generation and empties the cache.  An answer is stored only
 * if the generation is still the one read before the thread checked its
 * data_version, so an answer computed from older data can never be stored
 * after a newer commit was noticed: new articles appear without a
 * restart.
 *
 * Hostile clients: the raw request target is taken from the URI log
 * callback and validated by route.c (4xx with a JSON reason); a request
 * line or headers larger than the connection memory get the daemon's own
 * 414/431; idle and slow clients are dropped after --timeout seconds;
 * --max-connections and --per-ip bound what one client can hold.
 */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>
#include <xxhash.h>

#define CACHE_MAX_BODY  ((size_t)1 << 20)   /* larger answers are not kept */
#define CACHE_MAX_BYTES ((size_t)64 << 20)  /* the whole cache */
#define KEY_MAX         8192

typedef struct centry {
    char *key;
    size_t klen;
    uint64_t hash;
    struct MHD_Response *resp;
    int status;
    size_t bytes;
    struct centry *prev, *next;         /* LRU list, most recent first */
    struct centry *hnext;               /* hash chain */
} centry;

typedef struct cache {
    centry **buckets;
    size_t nbuckets;                    /* power of two */
    centry *head, *tail;
    size_t count, cap, bytes;
} cache;

/* One server thread's private state. */
typedef struct worker {
    srv_data *data;
    time_t last_try;                    /* last failed open, to retry once a second */
    int64_t version;                    /* data_version this thread saw last; -1 none */
    struct worker *next;                /* registry, for shutdown */
} worker;

typedef struct server {
    const char *db_path;
    int verbose;
    pthread_mutex_t lock;               /* guards workers */
    worker *workers;
    pthread_mutex_t cache_lock;         /* guards cache and gen */
    cache cache;
    uint64_t gen;                       /* bumped whenever any thread sees new data */
    struct MHD_Response **assets;       /* one persistent response per asset */
} server;

/* Per-request state, created by the URI log callback. */
typedef struct conn_state {
    char *uri;
    size_t len;
    int answered;
} conn_state;

static _Thread_local worker *tls_worker;

/* ---------------- cache ---------------- */

static void cache_unlink(cache *c, centry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        c->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        c->tail = e->prev;
    e->prev = e->next = NULL;
}

static void cache_push_front(cache *c, centry *e)
{
    e->prev = NULL;
    e->next = c->head;
    if (c->head)
        c->head->prev = e;
    c->head = e;
    if (!c->tail)
        c->tail = e;
}

static void cache_drop(cache *c, centry *e)
{
    centry **pp = &c->buckets[e->hash & (c->nbuckets - 1)];
    while (*pp && *pp != e)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = e->hnext;
    cache_unlink(c, e);
    c->count--;
    c->bytes -= e->bytes;
    /* The daemon may still be sending this response on a connection; it
     * holds its own reference, so this only drops the cache's. */
    MHD_destroy_response(e->resp);
    free(e->key);
    free(e);
}

static void cache_clear(cache *c)
{
    while (c->head)
        cache_drop(c, c->head);
}

static void cache_free(cache *c)
{
    if (c->buckets)
        cache_clear(c);
    free(c->buckets);
    memset(c, 0, sizeof *c);
}

static int cache_init(cache *c, size_t cap)
{
    size_t nb = 16;
    memset(c, 0, sizeof *c);
    if (cap == 0)
        return 0;
    while (nb < cap * 2)
        nb *= 2;
    c->buckets = calloc(nb, sizeof *c->buckets);
    if (!c->buckets)
        return -1;
    c->nbuckets = nb;
    c->cap = cap;
    return 0;
}

static centry *cache_get(cache *c, const char *key, size_t klen, uint64_t h)
{
    if (!c->buckets)
        return NULL;
    for (centry *e = c->buckets[h & (c->nbuckets - 1)]; e; e = e->hnext)
        if (e->hash == h && e->klen == klen && memcmp(e->key, key, klen) == 0) {
            if (c->head != e) {
                cache_unlink(c, e);
                cache_push_front(c, e);
            }
            return e;
        }
    return NULL;
}

/* Keep resp under key: on success (1) the cache owns the caller's
 * reference; on 0 the caller still owns it. */
static int cache_put(cache *c, const char *key, size_t klen, uint64_t h,
                     struct MHD_Response *resp, int status, size_t bytes)
{
    if (!c->buckets || bytes > CACHE_MAX_BODY)
        return 0;
    centry *e = calloc(1, sizeof *e);
    char *k = malloc(klen);
    if (!e || !k) {
        free(e);
        free(k);
        return 0;
    }
    memcpy(k, key, klen);
    while (c->count >= c->cap || c->bytes + bytes + klen > CACHE_MAX_BYTES) {
        if (!c->tail)
            break;
        cache_drop(c, c->tail);
    }
    e->key = k;
    e->klen = klen;
    e->hash = h;
    e->resp = resp;
    e->status = status;
    e->bytes = bytes + klen;
    e->hnext = c->buckets[h & (c->nbuckets - 1)];
    c->buckets[h & (c->nbuckets - 1)] = e;
    cache_push_front(c, e);
    c->count++;
    c->bytes += e->bytes;
    /* The creator's reference now belongs to the cache; each queue on a
     * connection takes one of its own. */
    return 1;
}

/*
 * The cache key of a valid API request: the route and every decoded
 * parameter, length-prefixed so that no value can imitate a separator.
 * Encoding and parameter order no longer matter after route.c, and q is
 * already whitespace-normalised there.  Returns the length, 0 when the
 * key would not fit (then the answer is not cached).
 */
static size_t cache_key(const srv_request *r, char *buf, size_t cap)
{
    size_t n = 0;
    int w = snprintf(buf, cap, "%d|%lld|%d|%d|%s|%s|", (int)r->route,
                     (long long)r->id, r->limit, r->offset, r->from, r->to);
    if (w < 0 || (size_t)w >= cap)
        return 0;
    n = (size_t)w;
    for (int k = 0; k <= SRV_P_COUNT; k++) {
        const char *v = k < SRV_P_COUNT ? r->param[k] : r->name;
        size_t vl = k < SRV_P_COUNT ? r->param_len[k] : r->name_len;
        if (!v)
            continue;
        w = snprintf(buf + n, cap - n, "%d:%zu:", k, vl);
        if (w < 0 || (size_t)w >= cap - n || vl >= cap - n - (size_t)w)
            return 0;
        n += (size_t)w;
        memcpy(buf + n, v, vl);
        n += vl;
    }
    return n;
}

/* ---------------- workers ---------------- */

static worker *worker_get(server *s)
{
    worker *w = tls_worker;

    if (!w) {
        w = calloc(1, sizeof *w);
        if (!w)
            return NULL;
        w->version = -1;
        pthread_mutex_lock(&s->lock);
        w->next = s->workers;
        s->workers = w;
        pthread_mutex_unlock(&s->lock);
        tls_worker = w;
    }
    if (!w->data) {
        time_t now = time(NULL);
        if (now != w->last_try) {
            char why[256];
            if (srv_data_open(s->db_path, &w->data, why, sizeof why) != MH_OK) {
                w->data = NULL;
                w->last_try = now;
                if (s->verbose)
                    fprintf(stderr, "muhabir serve: cannot open %s: %s\n",
                            s->db_path, why);
            }
        }
    }
    return w;
}

static void workers_free(server *s)
{
    worker *w = s->workers;
    while (w) {
        worker *next = w->next;
        srv_data_close(w->data);
        free(w);
        w = next;
    }
    s->workers = NULL;
}

/* ---------------- responses ---------------- */

static void add_common_headers(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
}

/* Wrap a response body for the daemon (takes out->body). */
static struct MHD_Response *make_response(srv_response *out)
{
    struct MHD_Response *resp;

    if (!out->body)
        return NULL;
    resp = MHD_create_response_from_buffer(out->len, out->body,
                                           MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(out->body);
        out->body = NULL;
        return NULL;
    }
    out->body = NULL;
    MHD_add_response_header(resp, "Content-Type", out->type);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    add_common_headers(resp);
    if (out->status == 405)
        MHD_add_response_header(resp, "Allow", "GET, HEAD");
    return resp;
}

static enum MHD_Result queue(struct MHD_Connection *c, int status,
                             struct MHD_Response *resp)
{
    enum MHD_Result ok;
    if (!resp)
        return MHD_NO;                  /* out of memory: the daemon closes */
    ok = MHD_queue_response(c, (unsigned)status, resp);
    return ok;
}

static enum MHD_Result send_error(struct MHD_Connection *c, int status,
                                  const char *msg)
{
    srv_response out;
    struct MHD_Response *resp;
    enum MHD_Result ok;

    srv_error_response(status, msg, &out);
    resp = make_response(&out);
    ok = queue(c, out.status, resp);
    if (resp)
        MHD_destroy_response(resp);
    return ok;
}

static struct MHD_Response **assets_new(void)
{
    static const char csp[] =
        "default-src 'none'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data:; connect-src 'self'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'";
    struct MHD_Response **a = calloc(srv_web_asset_count + 1, sizeof *a);

    if (!a)
        return NULL;
    for (size_t i = 0; i < srv_web_asset_count; i++) {
        const srv_asset *as = &srv_web_assets[i];
        a[i] = MHD_create_response_from_buffer(as->len, (void *)as->data,
                                               MHD_RESPMEM_PERSISTENT);
        if (!a[i])
            goto bad;
        MHD_add_response_header(a[i], "Content-Type", as->type);
        MHD_add_response_header(a[i], "Cache-Control", "no-cache");
        MHD_add_response_header(a[i], "Content-Security-Policy", csp);
        add_common_headers(a[i]);
    }
    return a;
bad:
    for (size_t i = 0; i < srv_web_asset_count; i++)
        if (a[i])
            MHD_destroy_response(a[i]);
    free(a);
    return NULL;
}

static void assets_free(struct MHD_Response **a)
{
    if (!a)
        return;
    for (size_t i = 0; i < srv_web_asset_count; i++)
        if (a[i])
            MHD_destroy_response(a[i]);
    free(a);
}

/* ---------------- daemon callbacks ---------------- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    conn_state *cs = calloc(1, sizeof *cs);
    (void)cls;
    (void)c;
    if (!cs)
        return NULL;
    cs->len = strlen(uri);
    cs->uri = malloc(cs->len + 1);
    if (!cs->uri) {
        free(cs);
        return NULL;
    }
    memcpy(cs->uri, uri, cs->len + 1);
    return cs;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    conn_state *cs = *con_cls;
    (void)cls;
    (void)c;
    (void)toe;
    if (cs) {
        free(cs->uri);
        free(cs);
        *con_cls = NULL;
    }
}

static enum MHD_Result answer_api(server *s, struct MHD_Connection *c,
                                  const srv_request *r)
{
    worker *w = worker_get(s);
    char key[KEY_MAX];
    size_t klen = 0;
    uint64_t h = 0, gen = 0;
    srv_response out;
    struct MHD_Response *resp;
    enum MHD_Result ok;

    if (!w)
        return send_error(c, 503, "out of memory");
    if (w->data && s->cache.cap && r->route != SRV_R_HEALTH) {
        pthread_mutex_lock(&s->cache_lock);
        gen = s->gen;
        pthread_mutex_unlock(&s->cache_lock);
        int64_t v = srv_data_version(w->data);
        if (v < 0 || v != w->version) {
            /* New data (or this thread's first look, or no version at
             * all): nothing cached before can be trusted. */
            pthread_mutex_lock(&s->cache_lock);
            s->gen++;
            cache_clear(&s->cache);
            pthread_mutex_unlock(&s->cache_lock);
            w->version = v;
        } else {
            klen = cache_key(r, key, sizeof key);
        }
        if (klen) {
            h = XXH3_64bits(key, klen);
            pthread_mutex_lock(&s->cache_lock);
            centry *e = s->gen == gen ? cache_get(&s->cache, key, klen, h) : NULL;
            /* Queue while holding the lock: another thread may evict the
             * entry, and the queue takes the connection's own reference. */
            if (e) {
                ok = queue(c, e->status, e->resp);
                pthread_mutex_unlock(&s->cache_lock);
                return ok;
            }
            pthread_mutex_unlock(&s->cache_lock);
        }
    }
    srv_api_answer(w->data, r, &out);
    int status = out.status;
    int cacheable = out.cacheable;
    size_t len = out.len;
    resp = make_response(&out);
    if (!resp)
        return MHD_NO;
    ok = queue(c, status, resp);
    int kept = 0;
    if (klen && cacheable) {
        pthread_mutex_lock(&s->cache_lock);
        if (s->gen == gen)
            kept = cache_put(&s->cache, key, klen, h, resp, status, len);
        pthread_mutex_unlock(&s->cache_lock);
    }
    if (!kept)
        MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    server *s = cls;
    conn_state *cs = *con_cls;
    srv_request r;
    enum MHD_Result ok;

    (void)url;
    (void)version;
    (void)upload_data;
    if (cs && cs->answered) {
        /* A body we did not ask for: drop it; the answer is queued. */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (!cs)
        return send_error(c, 503, "out of memory");
    cs->answered = 1;

    if (srv_request_parse(method, cs->uri, cs->len, &r) != 0) {
        ok = send_error(c, r.status, r.error);
        if (s->verbose)
            fprintf(stderr, "%s %d %s\n", method, r.status, r.error);
        srv_request_clear(&r);
        return ok;
    }
    if (r.route == SRV_R_STATIC) {
        /* The asset points into srv_web_assets; its index names the
         * prepared response. */
        ok = queue(c, 200, s->assets[r.asset - srv_web_assets]);
    } else {
        ok = answer_api(s, c, &r);
    }
    srv_request_clear(&r);
    return ok;
}

static void on_log(void *cls, const char *fmt, va_list ap)
{
    server *s = cls;
    if (s->verbose) {
        fputs("muhabir serve: ", stderr);
        vfprintf(stderr, fmt, ap);
    }
}

/* ---------------- command line ---------------- */

static void usage(FILE *f)
{
    fputs("usage: muhabir serve [--db FILE] [--listen HOST:PORT] [options]\n"
          "  --db FILE              database to serve, opened read-only\n"
          "  --listen HOST:PORT     address (default 127.0.0.1:8080; port 0 picks a free one)\n"
          "  --threads N            server threads, each with its own handle (default 2)\n"
          "  --timeout SECONDS      drop idle or slow clients after this (default 10)\n"
          "  --max-connections N    connections at once (default 256)\n"
          "  --per-ip N             connections at once from one address (default 64)\n"
          "  --cache N              cached responses, 0 = off (default 1024)\n"
          "  --verbose              log refused requests and daemon messages\n",
          f);
}

/* Parse "HOST:PORT", "[V6]:PORT", ":PORT" or "PORT"; HOST is a numeric
 * address or "localhost" (no name resolution). */
static int parse_listen(const char *spec, struct sockaddr_storage *ss,
                        socklen_t *sl, int *v6)
{
    char host[64] = "127.0.0.1";
    const char *port;
    const char *colon = strrchr(spec, ':');

    memset(ss, 0, sizeof *ss);
    *v6 = 0;
    if (spec[0] == '[') {
        const char *close = strchr(spec, ']');
        if (!close || close[1] != ':' || (size_t)(close - spec - 1) >= sizeof host)
            return -1;
        memcpy(host, spec + 1, (size_t)(close - spec - 1));
        host[close - spec - 1] = '\0';
        port = close + 2;
        *v6 = 1;
    } else if (colon) {
        size_t hl = (size_t)(colon - spec);
        if (hl >= sizeof host)
            return -1;
        if (hl > 0) {
            memcpy(host, spec, hl);
            host[hl] = '\0';
        }
        port = colon + 1;
    } else {
        port = spec;
    }
    char *end;
    errno = 0;
    long p = strtol(port, &end, 10);
    if (*port == '\0' || *end != '\0' || errno || p < 0 || p > 65535)
        return -1;
    if (strcmp(host, "localhost") == 0)
        strcpy(host, "127.0.0.1");
    if (*v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)p);
        if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
            return -1;
        *sl = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)ss;
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)p);
        if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
            return -1;
        *sl = sizeof *a;
    }
    return 0;
}

static int is_loopback(const struct sockaddr_storage *ss, int v6)
{
    if (v6)
        return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)ss)->sin6_addr);
    return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
}

static int parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || errno || s[0] == '-' || v < lo || v > hi)
        return -1;
    *out = (unsigned)v;
    return 0;
}

int srv_main(int argc, char **argv, const char *default_db)
{
    const char *db = default_db, *listen = "127.0.0.1:8080";
    unsigned threads = 2, timeout = 10, max_conns = 256, per_ip = 64, cache_cap = 1024;
    int verbose = 0, rc = 1;
    struct sockaddr_storage ss;
    socklen_t sl;
    int v6;
    server s;
    struct MHD_Daemon *d = NULL;
    sigset_t sigs, old;

    memset(&s, 0, sizeof s);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
            verbose = 1;
            continue;
        }
        if (!v) {
            fprintf(stderr, "muhabir serve: unknown option or missing value: %s\n", a);
            usage(stderr);
            return 2;
        }
        if (strcmp(a, "--db") == 0)
            db = v;
        else if (strcmp(a, "--listen") == 0)
            listen = v;
        else if (strcmp(a, "--threads") == 0)
            bad = parse_uint(v, 1, 64, &threads);
        else if (strcmp(a, "--timeout") == 0)
            bad = parse_uint(v, 1, 3600, &timeout);
        else if (strcmp(a, "--max-connections") == 0)
            bad = parse_uint(v, 1, 100000, &max_conns);
        else if (strcmp(a, "--per-ip") == 0)
            bad = parse_uint(v, 1, 100000, &per_ip);
        else if (strcmp(a, "--cache") == 0)
            bad = parse_uint(v, 0, 100000, &cache_cap);
        else {
            fprintf(stderr, "muhabir serve: unknown option: %s\n", a);
            usage(stderr);
            return 2;
        }
        if (bad) {
            fprintf(stderr, "muhabir serve: bad value for %s: %s\n", a, v);
            return 2;
        }
        i++;
    }
    if (!db) {
        fprintf(stderr, "muhabir serve: no database (use --db FILE)\n");
        return 2;
    }
    if (parse_listen(listen, &ss, &sl, &v6) != 0) {
        fprintf(stderr, "muhabir serve: bad --listen address: %s\n", listen);
        return 2;
    }
    if (!is_loopback(&ss, v6))
        fprintf(stderr, "muhabir serve: warning: %s is not a loopback address; "
                "the API has no authentication\n", listen);

    /* Check the database once up front, so a typo fails here and not on
     * the first request. */
    {
        srv_data *probe = NULL;
        char why[256];
        if (srv_data_open(db, &probe, why, sizeof why) != MH_OK) {
            fprintf(stderr, "muhabir serve: cannot open %s: %s\n", db, why);
            return 1;
        }
        srv_data_close(probe);
    }

    s.db_path = db;
    s.verbose = verbose;
    pthread_mutex_init(&s.lock, NULL);
    pthread_mutex_init(&s.cache_lock, NULL);
    if (cache_init(&s.cache, cache_cap) != 0) {
        fprintf(stderr, "muhabir serve: out of memory\n");
        goto out;
    }
    s.assets = assets_new();
    if (!s.assets) {
        fprintf(stderr, "muhabir serve: out of memory\n");
        goto out;
    }

    /* The daemon's threads inherit this mask, so SIGINT and SIGTERM are
     * delivered only to sigwait below and shut down cleanly. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, &old);
    signal(SIGPIPE, SIG_IGN);

    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
    if (v6)
        flags |= MHD_USE_IPv6;
    if (verbose)
        flags |= MHD_USE_ERROR_LOG;
    d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, &s,
                         MHD_OPTION_EXTERNAL_LOGGER, on_log, &s,
                         MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                         MHD_OPTION_THREAD_POOL_SIZE, threads,
                         MHD_OPTION_CONNECTION_TIMEOUT, timeout,
                         MHD_OPTION_CONNECTION_LIMIT, max_conns,
                         MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,
                         MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
                         MHD_OPTION_LISTEN_BACKLOG_SIZE, 256u,
                         MHD_OPTION_URI_LOG_CALLBACK, on_uri, &s,
                         MHD_OPTION_NOTIFY_COMPLETED, on_completed, &s,
                         MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "muhabir serve: cannot listen on %s: %s\n", listen,
                errno ? strerror(errno) : "daemon failed to start");
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        goto out;
    }
    (void)sl;
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info ? info->port : 0;
    char shown[80];
    if (v6) {
        char a6[INET6_ADDRSTRLEN];
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, a6, sizeof a6);
        snprintf(shown, sizeof shown, "[%s]:%u", a6, port);
    } else {
        char a4[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, a4, sizeof a4);
        snprintf(shown, sizeof shown, "%s:%u", a4, port);
    }
    printf("muhabir: serving http://%s/ (database %s, read-only)\n", shown, db);
    fflush(stdout);

    int sig = 0;
    while (sigwait(&sigs, &sig) != 0)
        ;
    if (verbose)
        fprintf(stderr, "muhabir serve: signal %d, stopping\n", sig);
    MHD_stop_daemon(d);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    rc = 0;
out:
    workers_free(&s);
    cache_free(&s.cache);
    assets_free(s.assets);
    pthread_mutex_destroy(&s.cache_lock);
    pthread_mutex_destroy(&s.lock);
    return rc;
}
