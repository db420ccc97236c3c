/*
 * route.c -- turn the request target a client sent ("/api/search?q=%C3%A7")
 * into a validated srv_request, or into a 4xx with a reason.
 *
 * This is the only place where client bytes are interpreted, so it is
 * strict and pure: no I/O, no daemon, no database.  fuzz/fuzz_http.c feeds
 * it arbitrary bytes.  It works on the raw target (as libmicrohttpd's URI
 * log callback hands it over) rather than on the daemon's already
 * unescaped arguments, because the daemon silently keeps malformed escapes
 * ("%zz") and cannot tell a literal '+' from an encoded one.
 *
 * Rules (RFC 3986 percent-encoding, HTML form encoding for queries):
 *  - every '%' is followed by two hex digits; "+" is a space in queries;
 *  - decoded text is valid UTF-8 with no NUL and no C0 control in paths;
 *  - path segments "." and "..", and segments that decode to contain '/'
 *    or '\', are refused: static files come from an embedded table, so
 *    there is nothing to traverse, but such a request is hostile anyway;
 *  - each endpoint accepts a fixed set of parameters, each at most once;
 *    numbers are plain decimal within ceilings; dates are YYYY-MM-DD.
 * Limits: SRV_MAX_URI, SRV_MAX_VALUE, SRV_MAX_PARAMS, SRV_MAX_OFFSET.
 */
#include "server.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const param_names[SRV_P_COUNT] = {
    [SRV_P_Q] = "q", [SRV_P_FROM] = "from", [SRV_P_TO] = "to",
    [SRV_P_OUTLET] = "outlet", [SRV_P_LIMIT] = "limit",
    [SRV_P_OFFSET] = "offset", [SRV_P_SPEAKER] = "speaker",
    [SRV_P_TYPE] = "type",
};

#define PB(p) (1u << (p))

/* The parameters each route accepts. */
static const unsigned route_params[SRV_R_COUNT] = {
    [SRV_R_SEARCH] = PB(SRV_P_Q) | PB(SRV_P_FROM) | PB(SRV_P_TO) |
                     PB(SRV_P_OUTLET) | PB(SRV_P_LIMIT) | PB(SRV_P_OFFSET),
    [SRV_R_RELATED] = PB(SRV_P_LIMIT),
    [SRV_R_STORIES] = PB(SRV_P_FROM) | PB(SRV_P_TO) | PB(SRV_P_LIMIT) |
                      PB(SRV_P_OFFSET),
    [SRV_R_QUOTES] = PB(SRV_P_SPEAKER) | PB(SRV_P_Q) | PB(SRV_P_FROM) |
                     PB(SRV_P_TO) | PB(SRV_P_LIMIT) | PB(SRV_P_OFFSET),
    [SRV_R_ENTITIES] = PB(SRV_P_TYPE) | PB(SRV_P_LIMIT) | PB(SRV_P_OFFSET),
};

static const char *const route_names[SRV_R_COUNT] = {
    [SRV_R_NONE] = "none", [SRV_R_STATIC] = "static",
    [SRV_R_HEALTH] = "healthz", [SRV_R_SEARCH] = "search",
    [SRV_R_ARTICLE] = "article", [SRV_R_RELATED] = "related",
    [SRV_R_STORIES] = "stories", [SRV_R_STORY] = "story",
    [SRV_R_QUOTES] = "quotes", [SRV_R_ENTITIES] = "entities",
    [SRV_R_ENTITY] = "entity", [SRV_R_STATS] = "stats",
};

const char *srv_param_name(srv_param p)
{
    return (unsigned)p < SRV_P_COUNT ? param_names[p] : "?";
}

const char *srv_route_name(srv_route r)
{
    return (unsigned)r < SRV_R_COUNT ? route_names[r] : "?";
}

/* Record a failure: the first one wins, later calls keep it. */
__attribute__((format(printf, 3, 4)))
static int fail(srv_request *r, int status, const char *fmt, ...)
{
    if (r->status == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->error, sizeof r->error, fmt, ap);
        va_end(ap);
        r->status = status;
        r->route = SRV_R_NONE;
    }
    return r->status;
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
 * Decode (s, n) into a new NUL-terminated string.  plus_space: '+' means
 * ' ' (query strings).  Returns NULL with *why set on malformed input or
 * allocation failure (*why == NULL then).
 */
static char *decode(const char *s, size_t n, int plus_space, size_t *out_len,
                    const char **why)
{
    char *out = malloc(n + 1);
    size_t j = 0;

    *why = NULL;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            if (n - i < 3) {
                *why = "malformed percent-encoding";
                goto bad;
            }
            int hi = hexval((unsigned char)s[i + 1]);
            int lo = hexval((unsigned char)s[i + 2]);
            if (hi < 0 || lo < 0) {
                *why = "malformed percent-encoding";
                goto bad;
            }
            c = (unsigned char)(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_space) {
            c = ' ';
        }
        if (c == 0) {
            *why = "NUL byte in request";
            goto bad;
        }
        out[j++] = (char)c;
    }
    out[j] = '\0';
    if (!mh_utf8_valid(out, j)) {
        *why = "malformed UTF-8 in request";
        goto bad;
    }
    *out_len = j;
    return out;
bad:
    free(out);
    return NULL;
}

/* True when (s, n) equals the NUL-terminated ASCII word w. */
static int eq(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    return n == k && memcmp(s, w, k) == 0;
}

/* Parse a plain decimal number in [lo, hi]; -1 when malformed or out of
 * range (callers' ranges are non-negative). */
static long long parse_num(const char *s, size_t n, long long lo, long long hi)
{
    long long v = 0;

    if (n == 0 || n > 18)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v < lo || v > hi ? -1 : v;
}

/* A calendar date YYYY-MM-DD between 1900 and 2999. */
static int valid_date(const char *s, size_t n)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (n != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    long long y = parse_num(s, 4, 1900, 2999);
    long long m = parse_num(s + 5, 2, 1, 12);
    long long d = parse_num(s + 8, 2, 1, 31);
    if (y < 0 || m < 0 || d < 0 || d > mdays[m - 1])
        return 0;
    if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return 0;
    return 1;
}

/* Decode one path segment and refuse the shapes that only an attacker
 * sends: dot segments, embedded separators, control characters. */
static char *path_segment(srv_request *r, const char *s, size_t n, size_t *len)
{
    const char *why;
    char *seg = decode(s, n, 0, len, &why);

    if (!seg) {
        if (why)
            fail(r, 400, "%s", why);
        else
            fail(r, 503, "out of memory");
        return NULL;
    }
    if (eq(seg, *len, ".") || eq(seg, *len, "..") || strchr(seg, '/') ||
        strchr(seg, '\\')) {
        fail(r, 400, "bad path");
        goto bad;
    }
    for (size_t i = 0; i < *len; i++)
        if ((unsigned char)seg[i] < 0x20 || seg[i] == 0x7f) {
            fail(r, 400, "control character in path");
            goto bad;
        }
    return seg;
bad:
    free(seg);
    return NULL;
}

#define MAX_SEGS 4

/* Split the path (raw, starts with '/') into at most MAX_SEGS decoded
 * segments; more segments than that is a 404 for every route here. */
static int split_path(srv_request *r, const char *p, size_t n,
                      char *seg[MAX_SEGS], size_t seglen[MAX_SEGS], int *nseg)
{
    size_t i = 1;

    *nseg = 0;
    if (n == 1)                         /* "/" */
        return 0;
    while (i <= n) {
        size_t j = i;
        while (j < n && p[j] != '/')
            j++;
        if (*nseg == MAX_SEGS)
            return fail(r, 404, "no such page");
        seg[*nseg] = path_segment(r, p + i, j - i, &seglen[*nseg]);
        if (!seg[*nseg])
            return r->status;
        (*nseg)++;
        i = j + 1;
    }
    return 0;
}

static int parse_id(srv_request *r, const char *s, size_t n)
{
    long long v = parse_num(s, n, 1, 999999999999999999LL);
    if (v < 0)
        return fail(r, 400, "bad id: expected a positive decimal number");
    r->id = v;
    return 0;
}

/* Map decoded segments to a route. */
static int match(srv_request *r, char *seg[], size_t len[], int nseg)
{
    if (nseg == 0) {
        r->asset = srv_asset_find("index.html", 10);
        if (!r->asset)
            return fail(r, 404, "no such page");
        r->route = SRV_R_STATIC;
        return 0;
    }
    if (nseg == 1 && eq(seg[0], len[0], "healthz")) {
        r->route = SRV_R_HEALTH;
        return 0;
    }
    if (!eq(seg[0], len[0], "api")) {
        const srv_asset *a = nseg == 1 ? srv_asset_find(seg[0], len[0]) : NULL;
        if (!a)
            return fail(r, 404, "no such page");
        r->route = SRV_R_STATIC;
        r->asset = a;
        return 0;
    }
    if (nseg == 2) {
        static const struct { const char *name; srv_route route; } flat[] = {
            {"search", SRV_R_SEARCH}, {"stories", SRV_R_STORIES},
            {"quotes", SRV_R_QUOTES}, {"entities", SRV_R_ENTITIES},
            {"stats", SRV_R_STATS},
        };
        for (size_t k = 0; k < sizeof flat / sizeof flat[0]; k++)
            if (eq(seg[1], len[1], flat[k].name)) {
                r->route = flat[k].route;
                return 0;
            }
    } else if (nseg == 3 && eq(seg[1], len[1], "articles")) {
        r->route = SRV_R_ARTICLE;
        return parse_id(r, seg[2], len[2]);
    } else if (nseg == 4 && eq(seg[1], len[1], "articles") &&
               eq(seg[3], len[3], "related")) {
        r->route = SRV_R_RELATED;
        return parse_id(r, seg[2], len[2]);
    } else if (nseg == 3 && eq(seg[1], len[1], "stories")) {
        r->route = SRV_R_STORY;
        return parse_id(r, seg[2], len[2]);
    } else if (nseg == 3 && eq(seg[1], len[1], "entities")) {
        if (len[2] == 0 || len[2] > 200)
            return fail(r, 400, "bad entity name");
        r->route = SRV_R_ENTITY;
        r->name = seg[2];
        r->name_len = len[2];
        seg[2] = NULL;                  /* ownership moves to r */
        return 0;
    }
    return fail(r, 404, "no such endpoint");
}

/* Copy at most max bytes of a decoded name into a message, cut on a UTF-8
 * boundary so the JSON error stays valid text. */
static void clip_name(const char *s, size_t n, char *out, size_t max)
{
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(out, s, n);
    out[n] = '\0';
}

static int parse_query(srv_request *r, const char *q, size_t n)
{
    unsigned allowed = route_params[r->route];
    size_t i = 0, count = 0;

    while (i < n) {
        size_t j = i, eqpos = (size_t)-1;
        while (j < n && q[j] != '&') {
            if (q[j] == '=' && eqpos == (size_t)-1)
                eqpos = j;
            j++;
        }
        if (j == i) {                   /* "a=1&&b=2" */
            i = j + 1;
            continue;
        }
        if (++count > SRV_MAX_PARAMS)
            return fail(r, 400, "too many parameters");
        size_t name_end = eqpos == (size_t)-1 ? j : eqpos;
        const char *why;
        size_t nlen, vlen = 0;
        char *name = decode(q + i, name_end - i, 1, &nlen, &why);
        if (!name)
            return why ? fail(r, 400, "%s", why) : fail(r, 503, "out of memory");
        int p = -1;
        for (int k = 0; k < SRV_P_COUNT; k++)
            if (eq(name, nlen, param_names[k]))
                p = k;
        if (p < 0 || !(allowed & PB(p))) {
            char shown[48];
            clip_name(name, nlen, shown, 40);
            free(name);
            return fail(r, 400, "unknown parameter '%s' for this endpoint", shown);
        }
        free(name);
        if (r->param[p])
            return fail(r, 400, "parameter '%s' given twice", param_names[p]);
        size_t vstart = eqpos == (size_t)-1 ? j : eqpos + 1;
        char *val = decode(q + vstart, j - vstart, 1, &vlen, &why);
        if (!val)
            return why ? fail(r, 400, "%s", why) : fail(r, 503, "out of memory");
        if (vlen > SRV_MAX_VALUE) {
            free(val);
            return fail(r, 414, "parameter '%s' is too long", param_names[p]);
        }
        r->param[p] = val;
        r->param_len[p] = vlen;
        i = j + 1;
    }
    return 0;
}

/* Collapse runs of ASCII white space into one space and trim, in place,
 * so that "putin  lavrov " and "putin lavrov" are one query (and one cache
 * entry).  Other white space is the analyser's business. */
static void squeeze(char *s, size_t *n)
{
    size_t j = 0;
    int space = 1;                      /* drops leading space */

    for (size_t i = 0; i < *n; i++) {
        char c = s[i];
        int ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
                 c == '\f' || c == '\v';
        if (ws) {
            if (!space)
                s[j++] = ' ';
            space = 1;
        } else {
            s[j++] = c;
            space = 0;
        }
    }
    if (j > 0 && s[j - 1] == ' ')
        j--;
    s[j] = '\0';
    *n = j;
}

/* Drop empty values (a form's untouched fields) and check the typed ones. */
static int check_params(srv_request *r)
{
    static const srv_param texts[] = {SRV_P_Q, SRV_P_SPEAKER, SRV_P_OUTLET};
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
        if (r->param[texts[k]])
            squeeze(r->param[texts[k]], &r->param_len[texts[k]]);
    if (r->name) {
        squeeze(r->name, &r->name_len);
        if (r->name_len == 0)
            return fail(r, 400, "bad entity name");
    }
    for (int k = 0; k < SRV_P_COUNT; k++)
        if (r->param[k] && r->param_len[k] == 0) {
            free(r->param[k]);
            r->param[k] = NULL;
        }
    r->limit = SRV_DEFAULT_LIMIT;
    r->offset = 0;
    if (r->param[SRV_P_LIMIT]) {
        long long v = parse_num(r->param[SRV_P_LIMIT], r->param_len[SRV_P_LIMIT],
                                1, SRV_MAX_LIMIT);
        if (v < 0)
            return fail(r, 400, "limit must be a number from 1 to %d", SRV_MAX_LIMIT);
        r->limit = (int)v;
    }
    if (r->param[SRV_P_OFFSET]) {
        long long v = parse_num(r->param[SRV_P_OFFSET], r->param_len[SRV_P_OFFSET],
                                0, SRV_MAX_OFFSET);
        if (v < 0)
            return fail(r, 400, "offset must be a number from 0 to %d", SRV_MAX_OFFSET);
        r->offset = (int)v;
    }
    static const srv_param dates[2] = {SRV_P_FROM, SRV_P_TO};
    char *dst[2] = {r->from, r->to};
    for (int k = 0; k < 2; k++) {
        const char *v = r->param[dates[k]];
        if (!v)
            continue;
        if (!valid_date(v, r->param_len[dates[k]]))
            return fail(r, 400, "'%s' must be a date YYYY-MM-DD",
                        param_names[dates[k]]);
        memcpy(dst[k], v, 11);
    }
    if (r->from[0] && r->to[0] && strcmp(r->from, r->to) > 0)
        return fail(r, 400, "'from' is after 'to'");
    if (r->param[SRV_P_TYPE]) {
        const char *t = r->param[SRV_P_TYPE];
        size_t n = r->param_len[SRV_P_TYPE];
        if (n > 32)
            return fail(r, 400, "bad entity type");
        for (size_t i = 0; i < n; i++)
            if (!((t[i] >= 'a' && t[i] <= 'z') || t[i] == '_'))
                return fail(r, 400, "bad entity type");
    }
    return 0;
}

int srv_request_parse(const char *method, const char *uri, size_t len,
                      srv_request *out)
{
    char *seg[MAX_SEGS] = {0};
    size_t seglen[MAX_SEGS] = {0};
    int nseg = 0;

    memset(out, 0, sizeof *out);
    if (!method || !uri)
        return fail(out, 400, "bad request");
    if (strcmp(method, "GET") == 0)
        out->head = 0;
    else if (strcmp(method, "HEAD") == 0)
        out->head = 1;
    else
        return fail(out, 405, "method not allowed: use GET");
    if (len > SRV_MAX_URI)
        return fail(out, 414, "request URI too long");
    if (len == 0 || uri[0] != '/')
        return fail(out, 400, "bad request target");
    if (memchr(uri, '#', len))
        return fail(out, 400, "fragment in request target");

    const char *qm = memchr(uri, '?', len);
    size_t plen = qm ? (size_t)(qm - uri) : len;
    if (split_path(out, uri, plen, seg, seglen, &nseg) == 0 &&
        match(out, seg, seglen, nseg) == 0 && qm) {
        if (out->route == SRV_R_STATIC) {
            /* The page's own assets take no parameters; a query on them
             * (cache busters) is harmless, but an invalid one is not. */
            size_t qn = len - plen - 1;
            const char *why;
            size_t dl;
            char *tmp = decode(qm + 1, qn, 1, &dl, &why);
            if (!tmp && why)
                fail(out, 400, "%s", why);
            else if (!tmp)
                fail(out, 503, "out of memory");
            free(tmp);
        } else {
            parse_query(out, qm + 1, len - plen - 1);
        }
    }
    if (out->status == 0)
        check_params(out);
    for (int k = 0; k < MAX_SEGS; k++)
        free(seg[k]);
    if (out->status != 0) {
        /* Keep nothing from a refused request. */
        int st = out->status;
        char msg[sizeof out->error];
        memcpy(msg, out->error, sizeof msg);
        int head = out->head;
        srv_request_clear(out);
        out->status = st;
        out->head = head;
        memcpy(out->error, msg, sizeof msg);
        return st;
    }
    return 0;
}

void srv_request_clear(srv_request *r)
{
    if (!r)
        return;
    free(r->name);
    for (int k = 0; k < SRV_P_COUNT; k++)
        free(r->param[k]);
    memset(r, 0, sizeof *r);
}
