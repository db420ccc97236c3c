/*
 * cmd_search.c -- `muhabir search [--db FILE] [--json] [--limit N]
 * [--from DATE] [--to DATE] [--outlet NAME] QUERY`.  Human output: rank,
 * score, date, outlet, title, then the snippet with matches in ANSI bold
 * on a terminal and [brackets] otherwise.  --json: an array of hits (id,
 * path, title, date, outlet, score, snippet), built with cJSON.
 */
#include "cli.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
    "usage: muhabir search [--db FILE] [--json] [--limit N] [--offset N]\n"
    "                      [--from DATE] [--to DATE] [--outlet NAME] [--exact]\n"
    "                      QUERY...\n"
    "\n"
    "Full-text search, best matches first (BM25; title counts more than the\n"
    "lead, the lead more than the body) among the 500 most recently stored\n"
    "matches (all of them with --exact).  Words match in any inflection,\n"
    "case and spelling with or without Turkish letters: istanbul finds\n"
    "İstanbul'daki, gorusme finds görüşme.  Several QUERY arguments are one\n"
    "query.\n"
    "\n"
    "query syntax:\n"
    "  putin lavrov        both words\n"
    "  \"beyaz saray\"       the phrase\n"
    "  rubio OR lavrov     either (OR binds tighter than the implicit AND)\n"
    "  -trump, NOT trump   without the word\n"
    "  müzakere*           words starting with müzakere\n"
    "  (a OR b) c          grouping\n"
    "\n"
    "  --db FILE        database (default $MUHABIR_DB, else ./muhabir.db)\n"
    "  --json           a JSON array of hits: id, path, title, date, outlet,\n"
    "                   score, snippet (matches in [brackets])\n"
    "  --limit N        at most N hits (default 20, at most 1000)\n"
    "  --offset N       skip the first N hits\n"
    "  --from DATE      only articles dated on or after DATE (YYYY[-MM[-DD]])\n"
    "  --to DATE        only articles dated on or before DATE\n"
    "  --outlet NAME    only this outlet (any case, with or without diacritics)\n"
    "  --exact          rank every match, not only the newest 500 (slower for\n"
    "                   common words)\n"
    "  -h, --help       this text\n"
    "\n"
    "Exit status: 0 (also when nothing matches), 1 bad query or failure,\n"
    "2 usage error.\n";

static cJSON *str_or_null(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static int print_json(const mh_hit *h, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    int ok = arr != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        ok &= cJSON_AddItemToArray(arr, o);
        ok &= o && cJSON_AddItemToObject(o, "id", cJSON_CreateNumber((double)h[i].id));
        ok &= o && cJSON_AddItemToObject(o, "path", str_or_null(h[i].path));
        ok &= o && cJSON_AddItemToObject(o, "title", str_or_null(h[i].title));
        ok &= o && cJSON_AddItemToObject(o, "date", str_or_null(h[i].date));
        ok &= o && cJSON_AddItemToObject(o, "outlet", str_or_null(h[i].outlet));
        ok &= o && cJSON_AddItemToObject(o, "score", cJSON_CreateNumber(h[i].score));
        ok &= o && cJSON_AddItemToObject(o, "snippet", str_or_null(h[i].snippet));
    }
    char *s = ok ? cJSON_Print(arr) : NULL;
    cJSON_Delete(arr);
    if (!s)
        return -1;
    puts(s);
    cJSON_free(s);
    return 0;
}

static void print_text(const mh_hit *h, size_t n, size_t offset, int tty)
{
    for (size_t i = 0; i < n; i++) {
        const char *title = h[i].title && *h[i].title ? h[i].title : "(no title)";
        printf("%3zu  %6.2f  %-10s  %s  ", offset + i + 1, h[i].score,
               h[i].date ? h[i].date : "----------",
               h[i].outlet && *h[i].outlet ? h[i].outlet : "-");
        if (tty)
            printf("\033[1m%s\033[0m  #%lld\n", title, (long long)h[i].id);
        else
            printf("%s  #%lld\n", title, (long long)h[i].id);
        if (h[i].snippet && *h[i].snippet) {
            /* A snippet is one line to the reader. */
            fputs("     ", stdout);
            for (const char *p = h[i].snippet; *p; p++)
                putchar(*p == '\n' ? ' ' : *p);
            putchar('\n');
        }
    }
}

int cmd_search(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"json", no_argument, NULL, 'j'},
        {"limit", required_argument, NULL, 'n'},
        {"offset", required_argument, NULL, 'o'},
        {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},
        {"outlet", required_argument, NULL, 'O'},
        {"exact", no_argument, NULL, 'x'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *dbpath = NULL;
    mh_search_opts so;
    int json = 0, c, rc = CLI_OK;
    size_t limit = 20, offset = 0;

    memset(&so, 0, sizeof so);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "hn:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dbpath = optarg; break;
        case 'j': json = 1; break;
        case 'n':
            if (cli_parse_size(optarg, 1000, &limit) || limit == 0)
                return cli_usage("search", "--limit needs a number from 1 to 1000");
            break;
        case 'o':
            if (cli_parse_size(optarg, 1000000, &offset))
                return cli_usage("search", "--offset needs a number from 0 to 1000000");
            break;
        case 'F': so.from = optarg; break;
        case 'T': so.to = optarg; break;
        case 'O': so.outlet = optarg; break;
        case 'x': so.rank_window = SIZE_MAX; break;
        case 'h': fputs(help, stdout); return CLI_OK;
        default:
            return cli_usage("search", "unknown option or missing value: %s", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage("search", "no query given");

    /* The words of several arguments make one query. */
    size_t qlen = 0;
    for (int i = optind; i < argc; i++)
        qlen += strlen(argv[i]) + 1;
    char *query = malloc(qlen + 1);
    if (!query) {
        cli_err("out of memory");
        return CLI_FAIL;
    }
    query[0] = 0;
    for (int i = optind; i < argc; i++) {
        if (i > optind)
            strcat(query, " ");
        strcat(query, argv[i]);
    }

    mh_db *db = cli_open_db(cli_db_path(dbpath), MH_DB_READONLY);
    if (!db) {
        free(query);
        return CLI_FAIL;
    }
    int tty = !json && isatty(1);
    so.query = query;
    so.limit = limit;
    so.offset = offset;
    so.hl_open = tty ? "\033[1m" : "[";
    so.hl_close = tty ? "\033[0m" : "]";
    mh_hit *hits = NULL;
    size_t n = 0;
    mh_err e = mh_db_search(db, &so, &hits, &n);
    if (e == MH_ERANGE) {
        rc = cli_usage("search", "%s", mh_db_errmsg(db));
    } else if (e) {
        cli_err("%s", mh_db_errmsg(db));
        rc = CLI_FAIL;
    } else if (json) {
        if (print_json(hits, n)) {
            cli_err("out of memory");
            rc = CLI_FAIL;
        }
    } else {
        if (n == 0)
            fprintf(stderr, "no matches\n");
        print_text(hits, n, offset, tty);
    }
    mh_hits_free(hits, n);
    mh_db_close(db);
    free(query);
    return rc;
}
