/*
 * cmd_show.c -- `muhabir show [--db FILE] [--json] ID|PATH`: one article
 * by its id, or every article read from an input file (as given at
 * ingest, or the same file by another spelling of its path).
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>
#include <sys/stat.h>

static const char help[] =
    "usage: muhabir show [--db FILE] [--json] ID|PATH\n"
    "\n"
    "Print a stored article: by its numeric id, or every article read from\n"
    "the input file PATH.  --json prints each as one JSON object per line\n"
    "(the fields of muhabir export).\n"
    "\n"
    "  --db FILE     database (default $MUHABIR_DB, else ./muhabir.db)\n"
    "  --json        JSON output\n"
    "  -h, --help    this text\n";

static void field(const char *name, const char *v)
{
    if (v && *v)
        printf("%-9s %s\n", name, v);
}

static void print_text(const mh_article *a)
{
    printf("#%lld  %s\n", (long long)a->id, a->title ? a->title : "(no title)");
    field("date:", a->date);
    field("outlet:", a->outlet);
    field("source:", a->source);
    field("category:", a->category);
    field("url:", a->url);
    printf("%-9s %s (record %ld)\n", "path:", a->path ? a->path : "-", a->record);
    printf("%-9s %zu\n", "sentences:", a->n_sentences);
    if (a->lead && *a->lead)
        printf("\n%s\n", a->lead);
    printf("\n%s\n", a->body ? a->body : "");
    if (a->n_removed) {
        printf("\nremoved boilerplate (%zu lines):\n", a->n_removed);
        for (size_t i = 0; i < a->n_removed; i++)
            printf("  | %s\n", a->removed[i] ? a->removed[i] : "");
    }
}

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

int cmd_show(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *dbpath = NULL;
    int json = 0, c, rc = CLI_OK;
    int64_t *ids = NULL, one;
    size_t n = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dbpath = optarg; break;
        case 'j': json = 1; break;
        case 'h': fputs(help, stdout); return CLI_OK;
        default:
            return cli_usage("show", "unknown option or missing value: %s", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage("show", "give an article ID or an input PATH");
    if (optind + 1 < argc)
        return cli_usage("show", "one ID or PATH at a time");
    const char *arg = argv[optind];

    mh_db *db = cli_open_db(cli_db_path(dbpath), MH_DB_READONLY);
    if (!db)
        return CLI_FAIL;
    mh_err e = MH_ENOTFOUND;
    struct stat st;
    /* Digits name an id, unless no such article exists and a file of
     * that name does. */
    if (all_digits(arg) && strlen(arg) < 19) {
        mh_article *a = NULL;
        one = 0;
        for (const char *p = arg; *p; p++)
            one = one * 10 + (*p - '0');
        e = mh_db_get_article(db, one, &a);
        mh_article_free(a);
        if (e == MH_OK) {
            ids = &one;
            n = 1;
        } else if (e != MH_ENOTFOUND || stat(arg, &st) != 0) {
            cli_err("%s", mh_db_errmsg(db));
            mh_db_close(db);
            return CLI_FAIL;
        }
    }
    if (e == MH_ENOTFOUND) {
        e = mh_db_find_path(db, arg, &ids, &n);
        if (e) {
            cli_err("%s", mh_db_errmsg(db));
            mh_db_close(db);
            return CLI_FAIL;
        }
    }
    for (size_t i = 0; i < n; i++) {
        mh_article *a = NULL;
        if ((e = mh_db_get_article(db, ids[i], &a)) != MH_OK) {
            cli_err("%s", mh_db_errmsg(db));
            rc = CLI_FAIL;
            break;
        }
        if (json) {
            char *s = NULL;
            size_t len = 0;
            if (mh_db_article_json(db, a, &s, &len)) {
                cli_err("%s", mh_db_errmsg(db));
                mh_article_free(a);
                rc = CLI_FAIL;
                break;
            }
            fwrite(s, 1, len, stdout);
            putchar('\n');
            mh_free(s);
        } else {
            if (i)
                puts("\n----------------------------------------------------------------------");
            print_text(a);
        }
        mh_article_free(a);
    }
    if (ids != &one)
        mh_free(ids);
    mh_db_close(db);
    return rc;
}
