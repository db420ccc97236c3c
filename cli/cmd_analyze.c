/*
 * cmd_analyze.c -- `muhabir analyze [--json] [FILE|-]`: clean the input
 * (mh_clean with line structure), analyse it (mh_analyze) and show the
 * sentences and tokens with byte offsets into the cleaned text.
 * --json: {"text", "sentences": [[start, end]...], "tokens": [{"start",
 * "end", "norm", "stem"}...]}.
 */
#include "cli.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: muhabir analyze [--json] [FILE|-]\n"
    "\n"
    "Clean a text (encoding, Unicode NFC, spaces, apostrophes and quote\n"
    "marks) and analyse it: sentences, tokens with byte offsets into the\n"
    "cleaned text, Turkish lowercase forms without apostrophe suffixes,\n"
    "stems.  Reads FILE, or stdin when FILE is - or absent.\n"
    "\n"
    "  --json       {\"text\", \"sentences\": [[start, end], ...],\n"
    "                \"tokens\": [{\"start\", \"end\", \"norm\", \"stem\"}, ...]}\n"
    "  -h, --help   this text\n";

static cJSON *strn(const char *s, size_t n)
{
    char *t = malloc(n + 1);
    if (!t)
        return NULL;
    if (n)
        memcpy(t, s, n);
    t[n] = 0;
    cJSON *j = cJSON_CreateString(t);
    free(t);
    return j;
}

/* Add item under key, or free it: cJSON_AddItemToObject leaves an item
 * it could not add (its key copy failed) to the caller. */
static int add_item(cJSON *o, const char *key, cJSON *item)
{
    if (o && item && cJSON_AddItemToObject(o, key, item))
        return 1;
    cJSON_Delete(item);
    return 0;
}

static int print_json(const mh_doc *d)
{
    cJSON *o = cJSON_CreateObject();
    int ok = o != NULL;
    ok &= add_item(o, "text", strn(d->text, d->text_len));
    cJSON *ss = o ? cJSON_AddArrayToObject(o, "sentences") : NULL;
    ok &= ss != NULL;
    for (size_t i = 0; ok && i < d->n_sentences; i++) {
        cJSON *p = cJSON_CreateArray();
        ok &= cJSON_AddItemToArray(ss, p);
        ok &= p && cJSON_AddItemToArray(p, cJSON_CreateNumber(d->sentences[i].start));
        ok &= p && cJSON_AddItemToArray(p, cJSON_CreateNumber(d->sentences[i].end));
    }
    cJSON *ts = o ? cJSON_AddArrayToObject(o, "tokens") : NULL;
    ok &= ts != NULL;
    for (size_t i = 0; ok && i < d->n_tokens; i++) {
        const mh_token *t = &d->tokens[i];
        cJSON *x = cJSON_CreateObject();
        ok &= cJSON_AddItemToArray(ts, x);
        ok &= add_item(x, "start", cJSON_CreateNumber(t->start));
        ok &= add_item(x, "end", cJSON_CreateNumber(t->end));
        ok &= add_item(x, "norm", strn(t->norm, t->norm_len));
        ok &= add_item(x, "stem", strn(t->stem ? t->stem : t->norm,
                                       t->stem ? t->stem_len : t->norm_len));
    }
    char *s = ok ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    if (!s)
        return -1;
    puts(s);
    cJSON_free(s);
    return 0;
}

static void print_text(const mh_doc *d)
{
    size_t k = 0;
    for (size_t i = 0; i < d->n_sentences; i++) {
        const mh_span *s = &d->sentences[i];
        printf("sentence %zu [%u, %u): %.*s\n", i + 1, s->start, s->end,
               (int)(s->end - s->start), d->text + s->start);
        for (; k < d->n_tokens && d->tokens[k].sentence <= i; k++) {
            const mh_token *t = &d->tokens[k];
            printf("  %6u %6u  %-20.*s  %-16.*s  %.*s%s%.*s\n", t->start, t->end,
                   (int)(t->full_end - t->start), d->text + t->start,
                   (int)t->norm_len, t->norm,
                   (int)(t->stem ? t->stem_len : 0), t->stem ? t->stem : "",
                   t->suffix_len ? "  +" : "", (int)t->suffix_len, t->suffix ? t->suffix : "");
        }
    }
    /* Tokens outside every sentence (should not happen) still show. */
    for (; k < d->n_tokens; k++) {
        const mh_token *t = &d->tokens[k];
        printf("  %6u %6u  %.*s\n", t->start, t->end, (int)(t->end - t->start), d->text + t->start);
    }
}

int cmd_analyze(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int json = 0, c, rc = CLI_OK;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 'h': fputs(help, stdout); return CLI_OK;
        default:
            return cli_usage("analyze", "unknown option: %s", argv[optind - 1]);
        }
    }
    if (argc - optind > 1)
        return cli_usage("analyze", "one FILE at a time");
    const char *path = optind < argc ? argv[optind] : NULL;

    size_t n = 0, clen = 0;
    char *raw = cli_read_all(path, &n), *clean = NULL;
    mh_analyzer *an = NULL;
    mh_doc *doc = NULL;
    if (!raw)
        return CLI_FAIL;
    mh_err e = mh_clean(raw, n, MH_CLEAN_LINES, &clean, &clen);
    if (e) {
        cli_err("%s: %s", path ? path : "stdin", mh_errstr(e));
        rc = CLI_FAIL;
        goto out;
    }
    an = mh_analyzer_new();
    if (!an) {
        cli_err("out of memory");
        rc = CLI_FAIL;
        goto out;
    }
    if ((e = mh_analyze(an, clean, clen, 0, &doc)) != MH_OK) {
        cli_err("%s: %s", path ? path : "stdin", mh_errstr(e));
        rc = CLI_FAIL;
        goto out;
    }
    if (json) {
        if (print_json(doc)) {
            cli_err("out of memory");
            rc = CLI_FAIL;
        }
    } else {
        print_text(doc);
    }
out:
    mh_doc_free(doc);
    mh_analyzer_free(an);
    mh_free(clean);
    free(raw);
    return rc;
}
