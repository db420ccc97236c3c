/*
 * cmd_stories.c -- copy groups and stories:
 *   muhabir dups    [--db FILE] [--json]
 *   muhabir stories [--db FILE] [--from D] [--to D] [--limit N] [--json]
 *   muhabir story   [--db FILE] [--json] ID
 *   muhabir related [--db FILE] [--json] [--limit N] ARTICLE_ID
 * The library answers in JSON (mh_db_*_json); --json prints it as is,
 * otherwise it is laid out as text here.
 */
#include "cli.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* Scratch for cli_pad (the command is single-threaded). */
static char pad[256];

static const char help_dups[] =
    "usage: muhabir dups [--db FILE] [--json]\n"
    "\n"
    "Copy groups: articles whose body is the same text, whole or trimmed,\n"
    "re-headlined, reordered, with boilerplate added, re-typed without\n"
    "Turkish letters or with a few words changed.  Each group lists its\n"
    "first publisher (earliest date, then first ingested), the outlets that\n"
    "carried it and when.  Nothing is deleted.\n"
    "\n"
    "  --db FILE     database (default $MUHABIR_DB, else ./muhabir.db)\n"
    "  --json        one JSON array\n"
    "  -h, --help    this text\n";

static const char help_stories[] =
    "usage: muhabir stories [--db FILE] [--from DATE] [--to DATE] [--limit N] [--json]\n"
    "\n"
    "Top stories (articles about one event across outlets) with articles\n"
    "dated in the range, ranked by distinct outlets, then growth (articles\n"
    "in the range minus articles in an equally long period before it).\n"
    "\n"
    "  --db FILE     database (default $MUHABIR_DB, else ./muhabir.db)\n"
    "  --from DATE   YYYY, YYYY-MM or YYYY-MM-DD, inclusive\n"
    "  --to DATE     inclusive\n"
    "  --limit N     how many (default 20, at most 1000)\n"
    "  --json        one JSON array\n"
    "  -h, --help    this text\n";

static const char help_story[] =
    "usage: muhabir story [--db FILE] [--json] ID\n"
    "\n"
    "One story: representative headline, first and last date, articles,\n"
    "distinct outlets, the earliest outlet, top terms, and its articles.\n"
    "\n"
    "  --db FILE     database (default $MUHABIR_DB, else ./muhabir.db)\n"
    "  --json        one JSON object\n"
    "  -h, --help    this text\n";

static const char help_related[] =
    "usage: muhabir related [--db FILE] [--json] [--limit N] ARTICLE_ID\n"
    "\n"
    "The articles most similar to one article, its copies left out.\n"
    "\n"
    "  --db FILE     database (default $MUHABIR_DB, else ./muhabir.db)\n"
    "  --limit N     how many (default 10, at most 1000)\n"
    "  --json        one JSON array\n"
    "  -h, --help    this text\n";

typedef struct opts {
    const char *db, *from, *to;
    size_t limit;
    int json;
    const char *arg;        /* the positional argument, if any */
} opts;

/* Parse the options every command shares; returns -1 to go on, else an
 * exit status. */
static int parse(const char *cmd, const char *help, int want_arg, int argc, char **argv,
                 opts *o)
{
    static const struct option lo[] = {
        {"db", required_argument, NULL, 'd'},
        {"json", no_argument, NULL, 'j'},
        {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},
        {"limit", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    memset(o, 0, sizeof *o);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (c) {
        case 'd': o->db = optarg; break;
        case 'j': o->json = 1; break;
        case 'f': o->from = optarg; break;
        case 't': o->to = optarg; break;
        case 'l':
            if (cli_parse_size(optarg, 1000, &o->limit) != 0 || o->limit == 0)
                return cli_usage(cmd, "--limit wants a number from 1 to 1000");
            break;
        case 'h': fputs(help, stdout); return CLI_OK;
        default:
            return cli_usage(cmd, "unknown option or missing value: %s", argv[optind - 1]);
        }
    }
    /* Options that make no sense for this command are usage errors. */
    if ((o->from || o->to) && strcmp(cmd, "stories") != 0)
        return cli_usage(cmd, "--from/--to only apply to 'stories'");
    if (o->limit && strcmp(cmd, "stories") != 0 && strcmp(cmd, "related") != 0)
        return cli_usage(cmd, "--limit does not apply here");
    if (want_arg) {
        if (optind >= argc)
            return cli_usage(cmd, "missing ID");
        o->arg = argv[optind++];
    }
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    return -1;
}

static int parse_id(const char *cmd, const char *s, int64_t *out)
{
    size_t v;
    if (cli_parse_size(s, (size_t)INT64_MAX, &v) != 0 || v == 0)
        return cli_usage(cmd, "'%s' is not an id (a positive number)", s);
    *out = (int64_t)v;
    return -1;
}

static void print_dups(const cJSON *root)
{
    const cJSON *g;
    int n = 0;
    cJSON_ArrayForEach(g, root) {
        const cJSON *first = cJSON_GetObjectItemCaseSensitive(g, "first");
        printf("group %.0f: %.0f copies, first #%.0f %s %s\n", cli_num(g, "group"),
               cli_num(g, "size"), cli_num(first, "id"), cli_dash(first, "date"),
               cli_dash(first, "outlet"));
        const cJSON *a;
        cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(g, "articles"))
            printf("  #%-7.0f %-10s %s %s\n", cli_num(a, "id"), cli_dash(a, "date"),
                   cli_pad(cli_dash(a, "outlet"), 24, pad, sizeof pad), cli_dash(a, "title"));
        n++;
    }
    printf("%d copy group%s\n", n, n == 1 ? "" : "s");
}

static void print_terms(const cJSON *s)
{
    const cJSON *t;
    int k = 0;
    printf("  terms:");
    cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(s, "terms"))
        if (cJSON_IsString(t) && k++ < 8)
            printf(" %s", t->valuestring);
    printf("\n");
}

static void print_story_head(const cJSON *s)
{
    printf("story %.0f: %s\n", cli_num(s, "id"), cli_dash(s, "headline"));
    printf("  %s .. %s, %.0f articles, %.0f outlets, first: %s\n",
           cli_dash(s, "first_date"), cli_dash(s, "last_date"), cli_num(s, "articles"),
           cli_num(s, "outlets"), cli_dash(s, "first_outlet"));
}

static void print_stories(const cJSON *root)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, root) {
        print_story_head(s);
        printf("  in range: %.0f articles, %.0f outlets, growth %+.0f\n",
               cli_num(s, "articles_in_range"), cli_num(s, "outlets_in_range"),
               cli_num(s, "growth"));
        print_terms(s);
    }
}

static void print_story(const cJSON *s)
{
    print_story_head(s);
    print_terms(s);
    const cJSON *a;
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(s, "members")) {
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(a, "dup_of");
        char dup[32] = "";
        if (cJSON_IsNumber(d))
            snprintf(dup, sizeof dup, " (copy of #%.0f)", d->valuedouble);
        printf("  #%-7.0f %-10s %s %s%s\n", cli_num(a, "id"), cli_dash(a, "date"),
               cli_pad(cli_dash(a, "outlet"), 24, pad, sizeof pad),
               cli_dash(a, "title"), dup);
    }
}

static void print_related(const cJSON *root)
{
    const cJSON *a;
    cJSON_ArrayForEach(a, root)
        printf("#%-7.0f %.3f  %-10s %s %s\n", cli_num(a, "id"), cli_num(a, "score"),
               cli_dash(a, "date"), cli_pad(cli_dash(a, "outlet"), 24, pad, sizeof pad),
               cli_dash(a, "title"));
}

/* Open, ask, print, close. */
typedef enum which { W_DUPS, W_STORIES, W_STORY, W_RELATED } which;

static int run(const char *cmd, which w, const opts *o, int64_t id)
{
    mh_db *db = cli_open_db(cli_db_path(o->db), MH_DB_READONLY);
    if (!db)
        return CLI_FAIL;
    char *json = NULL;
    mh_err e;
    void (*print)(const cJSON *);
    switch (w) {
    case W_DUPS:
        e = mh_db_dups_json(db, &json, NULL);
        print = print_dups;
        break;
    case W_STORIES:
        e = mh_db_stories_json(db, o->from, o->to, o->limit, &json, NULL);
        print = print_stories;
        break;
    case W_STORY:
        e = mh_db_story_json(db, id, &json, NULL);
        print = print_story;
        break;
    default:
        e = mh_db_related_json(db, id, o->limit, &json, NULL);
        print = print_related;
        break;
    }
    int rc;
    if (e != MH_OK) {
        cli_err("%s: %s", cmd, e == MH_ENOMEM ? mh_errstr(e) : mh_db_errmsg(db));
        rc = e == MH_ERANGE ? CLI_USAGE : CLI_FAIL;
    } else {
        rc = cli_emit(json, o->json, print);
    }
    mh_free(json);
    mh_db_close(db);
    return rc;
}

int cmd_dups(int argc, char **argv)
{
    opts o;
    int rc = parse("dups", help_dups, 0, argc, argv, &o);
    return rc >= 0 ? rc : run("dups", W_DUPS, &o, 0);
}

int cmd_stories(int argc, char **argv)
{
    opts o;
    int rc = parse("stories", help_stories, 0, argc, argv, &o);
    return rc >= 0 ? rc : run("stories", W_STORIES, &o, 0);
}

int cmd_story(int argc, char **argv)
{
    opts o;
    int64_t id = 0;
    int rc = parse("story", help_story, 1, argc, argv, &o);
    if (rc >= 0)
        return rc;
    if (o.arg && (rc = parse_id("story", o.arg, &id)) >= 0)
        return rc;
    return run("story", W_STORY, &o, id);
}

int cmd_related(int argc, char **argv)
{
    opts o;
    int64_t id = 0;
    int rc = parse("related", help_related, 1, argc, argv, &o);
    if (rc >= 0)
        return rc;
    if (o.arg && (rc = parse_id("related", o.arg, &id)) >= 0)
        return rc;
    return run("related", W_RELATED, &o, id);
}
