/*
 * cmd_export.c -- `muhabir export [--db FILE] [--format jsonl|csv]`: every
 * article, one JSON object per line (the same object `show --json` and
 * the server give, with whatever later stages add), or CSV (RFC 4180,
 * removed and sentences as JSON arrays inside their cells).
 */
#include "cli.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <string.h>

static const char help[] =
    "usage: muhabir export [--db FILE] [--format jsonl|csv]\n"
    "\n"
    "Write every stored article to stdout, in id order.\n"
    "jsonl (default): one JSON object per line with id, path, url, outlet,\n"
    "source, title, date (YYYY-MM-DD or null), category, lead, body, removed\n"
    "(the boilerplate lines, in order), sentences ([start, end] byte offsets\n"
    "into body), record and hash.\n"
    "csv: the same fields as columns, with a header line.\n"
    "\n"
    "  --db FILE      database (default $MUHABIR_DB, else ./muhabir.db)\n"
    "  --format F     jsonl or csv\n"
    "  -h, --help     this text\n";

typedef struct exp_ctx {
    mh_db *db;
    int csv;
    int failed;
} exp_ctx;

static void csv_cell(const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

/* A JSON array of the removed lines or of the sentence spans. */
static char *json_array(const mh_article *a, int sentences)
{
    cJSON *arr = cJSON_CreateArray();
    int ok = arr != NULL;
    if (sentences) {
        for (size_t i = 0; ok && i < a->n_sentences; i++) {
            cJSON *p = cJSON_CreateArray();
            ok &= cJSON_AddItemToArray(arr, p);
            ok &= p && cJSON_AddItemToArray(p, cJSON_CreateNumber(a->sentences[i].start));
            ok &= p && cJSON_AddItemToArray(p, cJSON_CreateNumber(a->sentences[i].end));
        }
    } else {
        for (size_t i = 0; ok && i < a->n_removed; i++)
            ok &= cJSON_AddItemToArray(arr, cJSON_CreateString(a->removed[i] ? a->removed[i] : ""));
    }
    char *s = ok ? cJSON_PrintUnformatted(arr) : NULL;
    cJSON_Delete(arr);
    return s;
}

static int each(void *ctx, const mh_article *a)
{
    exp_ctx *x = ctx;
    if (!x->csv) {
        char *json = NULL;
        size_t len = 0;
        if (mh_db_article_json(x->db, a, &json, &len)) {
            x->failed = 1;
            return 1;
        }
        fwrite(json, 1, len, stdout);
        putchar('\n');
        mh_free(json);
    } else {
        char *rem = json_array(a, 0), *sent = json_array(a, 1);
        if (!rem || !sent) {
            cJSON_free(rem);
            cJSON_free(sent);
            x->failed = 1;
            return 1;
        }
        printf("%lld,", (long long)a->id);
        csv_cell(a->path);
        printf(",%ld,", a->record);
        const char *f[] = {a->url, a->outlet, a->source, a->title, a->date, a->category,
                           a->lead, a->body, rem, sent, a->hash};
        for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
            if (i)
                putchar(',');
            csv_cell(f[i]);
        }
        fputs("\r\n", stdout);
        cJSON_free(rem);
        cJSON_free(sent);
    }
    if (ferror(stdout)) {
        x->failed = 2;
        return 1;
    }
    return 0;
}

int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *dbpath = NULL;
    exp_ctx x = {NULL, 0, 0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dbpath = optarg; break;
        case 'f':
            if (strcmp(optarg, "jsonl") == 0 || strcmp(optarg, "json") == 0)
                x.csv = 0;
            else if (strcmp(optarg, "csv") == 0)
                x.csv = 1;
            else
                return cli_usage("export", "unknown format '%s' (jsonl or csv)", optarg);
            break;
        case 'h': fputs(help, stdout); return CLI_OK;
        default:
            return cli_usage("export", "unknown option or missing value: %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage("export", "unexpected argument '%s'", argv[optind]);
    x.db = cli_open_db(cli_db_path(dbpath), MH_DB_READONLY);
    if (!x.db)
        return CLI_FAIL;
    if (x.csv)
        fputs("id,path,record,url,outlet,source,title,date,category,lead,body,removed,"
              "sentences,hash\r\n", stdout);
    int r = mh_db_each_article(x.db, each, &x);
    int rc = CLI_OK;
    if (x.failed == 2) {
        cli_err("write error: %s", strerror(errno));
        rc = CLI_FAIL;
    } else if (x.failed || r) {
        cli_err("export failed: %s", mh_db_errmsg(x.db));
        rc = CLI_FAIL;
    }
    if (fflush(stdout) != 0 && rc == CLI_OK) {
        cli_err("write error: %s", strerror(errno));
        rc = CLI_FAIL;
    }
    mh_db_close(x.db);
    return rc;
}
