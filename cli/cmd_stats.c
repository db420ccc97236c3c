/*
 * cmd_stats.c -- `muhabir stats [--db FILE] [--json]`: counts, date range,
 * schema version, size, and articles per outlet.
 */
#include "cli.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
    "usage: muhabir stats [--db FILE] [--json] [--check]\n"
    "\n"
    "What the database holds: articles, distinct input records, outlets,\n"
    "learnt boilerplate lines, the date range, schema version and size, and\n"
    "the number of articles per outlet.\n"
    "\n"
    "  --db FILE     database (default $MUHABIR_DB, else ./muhabir.db)\n"
    "  --json        one JSON object\n"
    "  --check       also verify the file and the full-text index (exit 1\n"
    "                when damaged)\n"
    "  -h, --help    this text\n";

typedef struct out_ctx {
    cJSON *arr;       /* JSON mode */
    int ok;
} out_ctx;

static int each_outlet(void *ctx, const char *outlet, int64_t n)
{
    out_ctx *o = ctx;
    if (o->arr) {
        cJSON *x = cJSON_CreateObject();
        o->ok &= cJSON_AddItemToArray(o->arr, x);
        o->ok &= x && cJSON_AddItemToObject(x, "outlet", cJSON_CreateString(outlet));
        o->ok &= x && cJSON_AddItemToObject(x, "articles", cJSON_CreateNumber((double)n));
    } else {
        printf("  %8lld  %s\n", (long long)n, *outlet ? outlet : "(unknown)");
    }
    return 0;
}

int cmd_stats(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"json", no_argument, NULL, 'j'},
        {"check", no_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *dbpath = NULL;
    int json = 0, check = 0, c, rc = CLI_OK;
    mh_stats st;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dbpath = optarg; break;
        case 'j': json = 1; break;
        case 'c': check = 1; break;
        case 'h': fputs(help, stdout); return CLI_OK;
        default:
            return cli_usage("stats", "unknown option or missing value: %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage("stats", "unexpected argument '%s'", argv[optind]);
    const char *path = cli_db_path(dbpath);
    /* The index check writes a command row to FTS5: read-write then,
     * but never create a database just to check it. */
    if (check && access(path, F_OK) != 0) {
        cli_err("cannot open database %s: no such file", path);
        return CLI_FAIL;
    }
    mh_db *db = cli_open_db(path, check ? 0 : MH_DB_READONLY);
    if (!db)
        return CLI_FAIL;
    if (check && mh_db_check(db) != MH_OK) {
        cli_err("%s: damaged: %s", path, mh_db_errmsg(db));
        mh_db_close(db);
        return CLI_FAIL;
    }
    if (mh_db_stats(db, &st)) {
        cli_err("%s", mh_db_errmsg(db));
        mh_db_close(db);
        return CLI_FAIL;
    }
    out_ctx oc = {NULL, 1};
    if (json) {
        cJSON *o = cJSON_CreateObject();
        oc.ok = o != NULL;
        oc.ok &= o && cJSON_AddItemToObject(o, "database", cJSON_CreateString(path));
        oc.ok &= o && cJSON_AddItemToObject(o, "articles", cJSON_CreateNumber((double)st.articles));
        oc.ok &= o && cJSON_AddItemToObject(o, "records", cJSON_CreateNumber((double)st.records));
        oc.ok &= o && cJSON_AddItemToObject(o, "outlets", cJSON_CreateNumber((double)st.outlets));
        oc.ok &= o && cJSON_AddItemToObject(o, "boilerplate_lines",
                                            cJSON_CreateNumber((double)st.template_lines));
        oc.ok &= o && cJSON_AddItemToObject(o, "first_date", st.first_date[0]
                                            ? cJSON_CreateString(st.first_date) : cJSON_CreateNull());
        oc.ok &= o && cJSON_AddItemToObject(o, "last_date", st.last_date[0]
                                            ? cJSON_CreateString(st.last_date) : cJSON_CreateNull());
        oc.ok &= o && cJSON_AddItemToObject(o, "schema_version", cJSON_CreateNumber(st.schema_version));
        oc.ok &= o && cJSON_AddItemToObject(o, "bytes", cJSON_CreateNumber((double)st.db_bytes));
        oc.arr = o ? cJSON_AddArrayToObject(o, "by_outlet") : NULL;
        oc.ok &= oc.arr != NULL;
        if (oc.ok && mh_db_each_outlet(db, each_outlet, &oc) != 0) {
            cli_err("%s", mh_db_errmsg(db));
            rc = CLI_FAIL;
        }
        char *s = oc.ok && rc == CLI_OK ? cJSON_Print(o) : NULL;
        cJSON_Delete(o);
        if (s) {
            puts(s);
            cJSON_free(s);
        } else if (rc == CLI_OK) {
            cli_err("out of memory");
            rc = CLI_FAIL;
        }
    } else {
        printf("database:          %s\n", path);
        printf("articles:          %lld\n", (long long)st.articles);
        printf("input records:     %lld\n", (long long)st.records);
        printf("outlets:           %lld\n", (long long)st.outlets);
        printf("boilerplate lines: %lld\n", (long long)st.template_lines);
        if (st.first_date[0])
            printf("dates:             %s .. %s\n", st.first_date, st.last_date);
        else
            printf("dates:             none\n");
        printf("schema version:    %d\n", st.schema_version);
        printf("size:              %.1f MiB\n", (double)st.db_bytes / (1024.0 * 1024.0));
        if (check)
            printf("check:             ok\n");
        if (st.articles) {
            printf("articles per outlet:\n");
            if (mh_db_each_outlet(db, each_outlet, &oc) != 0) {
                cli_err("%s", mh_db_errmsg(db));
                rc = CLI_FAIL;
            }
        }
    }
    mh_db_close(db);
    return rc;
}
