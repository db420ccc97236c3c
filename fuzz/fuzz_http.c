/*
 * fuzz_http.c -- libFuzzer harness for the HTTP request entry point of
 * `muhabir serve`: the request-target parser and router (server/route.c),
 * which is the only code that interprets client bytes before a handler
 * runs.  No daemon and no database are needed.
 *
 * Input: first byte picks the method (G: GET, H: HEAD, P: POST, anything
 * else: the byte as a one-letter method), the rest is the request target
 * as sent on the wire.  Checks beyond "no crash, no leak, no UB": a parse
 * either succeeds with a route and status 0, or fails with a 4xx/503 and
 * a NUL-terminated message; every decoded value is valid UTF-8 of the
 * stated length without NUL; limit and offset are within their ceilings.
 */
// fuzz-sources: server/route.c server/assets.c server/web_assets.c
// fuzz-seeds: fuzz/seeds_http
#include "server.h"

#include <stdlib.h>
#include <string.h>

static void check_value(const char *v, size_t n)
{
    if (!v)
        return;
    if (strlen(v) != n || !mh_utf8_valid(v, n))
        abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char method[2] = {0, 0};
    const char *m;
    srv_request r;

    if (size == 0)
        return 0;
    switch (data[0]) {
    case 'G': m = "GET"; break;
    case 'H': m = "HEAD"; break;
    case 'P': m = "POST"; break;
    default: method[0] = (char)data[0]; m = method; break;
    }
    /* The target is handed over without a NUL, as route.c must not need one. */
    char *uri = malloc(size - 1 ? size - 1 : 1);
    if (!uri)
        return 0;
    memcpy(uri, data + 1, size - 1);
    int st = srv_request_parse(m, uri, size - 1, &r);
    if (st != r.status)
        abort();
    if (st == 0) {
        if (r.route == SRV_R_NONE || r.route >= SRV_R_COUNT)
            abort();
        if (r.route == SRV_R_STATIC &&
            (!r.asset || r.asset < srv_web_assets ||
             r.asset >= srv_web_assets + srv_web_asset_count))
            abort();
        for (int k = 0; k < SRV_P_COUNT; k++)
            check_value(r.param[k], r.param_len[k]);
        check_value(r.name, r.name_len);
        if (r.limit < 1 || r.limit > SRV_MAX_LIMIT || r.offset < 0 ||
            r.offset > SRV_MAX_OFFSET)
            abort();
    } else {
        if (!((st >= 400 && st < 500) || st == 503) || r.route != SRV_R_NONE ||
            memchr(r.error, '\0', sizeof r.error) == NULL || r.error[0] == '\0')
            abort();
    }
    srv_request_clear(&r);
    free(uri);
    return 0;
}
