/*
 * api.c -- the JSON API: one answer per route, errors as JSON with the
 * HTTP status that fits (docs/api.md lists every endpoint).
 *
 * Every body is built as a cJSON tree and printed by cJSON, never pasted
 * together, so client text (a query echoed back, an entity name) is always
 * escaped.  The data itself comes from data.c; this file only maps its
 * results and error codes onto HTTP.
 */
#include "server.h"

#include <stdlib.h>
#include <string.h>

/* Print a tree into out (status given); consumes json. */
static int respond_json(cJSON *json, int status, srv_response *out)
{
    char *body = json ? cJSON_PrintUnformatted(json) : NULL;

    cJSON_Delete(json);
    if (!body) {
        out->body = NULL;
        out->len = 0;
        out->status = 503;
        out->type = "application/json; charset=utf-8";
        return -1;
    }
    out->status = status;
    out->body = body;
    out->len = strlen(body);
    out->type = "application/json; charset=utf-8";
    return 0;
}

int srv_error_response(int status, const char *message, srv_response *out)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *err = cJSON_AddObjectToObject(root, "error");

    memset(out, 0, sizeof *out);
    if (!err || !cJSON_AddNumberToObject(err, "status", status) ||
        !cJSON_AddStringToObject(err, "message", message ? message : "error")) {
        cJSON_Delete(root);
        root = NULL;
    }
    return respond_json(root, status, out);
}

static void health(srv_data *d, srv_response *out)
{
    cJSON *root = cJSON_CreateObject();
    int ok = d != NULL;

    if (!cJSON_AddStringToObject(root, "status", ok ? "ok" : "unavailable") ||
        !cJSON_AddStringToObject(root, "version", mh_version()) ||
        !cJSON_AddBoolToObject(root, "database", ok)) {
        cJSON_Delete(root);
        root = NULL;
    }
    respond_json(root, ok ? 200 : 503, out);
}

/* The word for "no such X" per route, for 404 messages. */
static const char *missing(srv_route r)
{
    switch (r) {
    case SRV_R_ARTICLE:
    case SRV_R_RELATED: return "no such article";
    case SRV_R_STORY: return "no such story";
    case SRV_R_ENTITY: return "no such entity";
    default: return "not found";
    }
}

void srv_api_answer(srv_data *d, const srv_request *r, srv_response *out)
{
    srv_result res = {0};
    mh_err e;

    memset(out, 0, sizeof *out);
    if (r->route == SRV_R_HEALTH) {
        health(d, out);
        return;
    }
    if (!d) {
        srv_error_response(503, "database unavailable", out);
        return;
    }
    switch (r->route) {
    case SRV_R_SEARCH: e = srv_data_search(d, r, &res); break;
    case SRV_R_ARTICLE: e = srv_data_article(d, r, &res); break;
    case SRV_R_RELATED: e = srv_data_related(d, r, &res); break;
    case SRV_R_STORIES: e = srv_data_stories(d, r, &res); break;
    case SRV_R_STORY: e = srv_data_story(d, r, &res); break;
    case SRV_R_QUOTES: e = srv_data_quotes(d, r, &res); break;
    case SRV_R_ENTITIES: e = srv_data_entities(d, r, &res); break;
    case SRV_R_ENTITY: e = srv_data_entity(d, r, &res); break;
    case SRV_R_STATS: e = srv_data_stats(d, &res); break;
    default:
        srv_error_response(404, "no such endpoint", out);
        return;
    }
    switch (e) {
    case MH_OK:
        if (respond_json(res.json, 200, out) == 0)
            out->cacheable = 1;
        else
            srv_error_response(503, "out of memory", out);
        return;
    case MH_ENOTFOUND:
        srv_error_response(404, res.why ? res.why : missing(r->route), out);
        break;
    case MH_EINVAL:
        srv_error_response(res.why ? 501 : 400,
                           res.why ? res.why : "invalid request", out);
        break;
    case MH_EQUERY:
    case MH_ERANGE:
    case MH_ETOOBIG:
        srv_error_response(400, res.why ? res.why : mh_errstr(e), out);
        break;
    case MH_ENOMEM:
        srv_error_response(503, "out of memory", out);
        break;
    default:
        srv_error_response(500, res.why ? res.why : mh_errstr(e), out);
        break;
    }
    cJSON_Delete(res.json);
}
