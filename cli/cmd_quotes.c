/*
 * cmd_quotes.c -- who said what:
 *   muhabir entities [--db FILE] [--type person|place|org] [--limit N] [--json]
 *   muhabir entity   [--db FILE] [--json] NAME
 *   muhabir quotes   [--db FILE] [--speaker NAME] [--about WORDS] [--from D] [--to D]
 *                    [--limit N] [--json]
 *   muhabir timeline [--db FILE] [--json] NAME
 * The library answers in JSON (mh_db_entities_json and friends); --json
 * prints it as is, otherwise it is laid out as text here.
 */
#include "cli.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* Scratch for cli_pad (the command is single-threaded). */
static char pad[256];

static const char help_entities[] =
    "usage: muhabir entities [--db FILE] [--type person|place|org] [--limit N] [--json]\n"
    "\n"
    "People, places and organisations of the stored articles, by number of\n"
    "articles.  Spelling variants are one entity (Sergey/Sergei Lavrov,\n"
    "Kiev/Kyiv).\n"
    "\n"
    "  --db FILE     database (default $MUHABIR_DB, else ./muhabir.db)\n"
    "  --type T      person, place or org\n"
    "  --limit N     how many (default 100, at most 100000)\n"
    "  --json        one JSON array\n"
    "  -h, --help    this text\n";

static const char help_entity[] =
    "usage: muhabir entity [--db FILE] [--json] NAME\n"
    "\n"
    "One entity: its spellings, roles (\"Rusya Dışişleri Bakanı\"), mentions by\n"
    "date, the names that occur with it, and its statements.  NAME may be a\n"
    "full name, a surname or any spelling seen.\n"
    "\n"
    "  --db FILE     database (default $MUHABIR_DB, else ./muhabir.db)\n"
    "  --json        one JSON object\n"
    "  -h, --help    this text\n";

static const char help_quotes[] =
    "usage: muhabir quotes [--db FILE] [--speaker NAME] [--about WORDS] [--from D] [--to D]\n"
    "                      [--limit N] [--json]\n"
    "\n"
    "Statements (direct, indirect, partial), each once however many outlets\n"
    "carried it, with the speaker, role, reporting verb, first-seen date and\n"
    "sources, oldest first.\n"
    "\n"
    "  --db FILE       database (default $MUHABIR_DB, else ./muhabir.db)\n"
    "  --speaker NAME  statements of this person or organisation\n"
    "  --about WORDS   statements containing these words (any case, any diacritics)\n"
    "  --from DATE     first seen on or after (YYYY, YYYY-MM or YYYY-MM-DD)\n"
    "  --to DATE       first seen on or before\n"
    "  --limit N       how many (default 1000)\n"
    "  --json          one JSON array\n"
    "  -h, --help      this text\n";

static const char help_timeline[] =
    "usage: muhabir timeline [--db FILE] [--json] NAME\n"
    "\n"
    "Statements and mentions of one person or organisation by date.\n"
    "\n"
    "  --db FILE     database (default $MUHABIR_DB, else ./muhabir.db)\n"
    "  --json        one JSON object\n"
    "  -h, --help    this text\n";

typedef struct opts {
    const char *db, *type, *speaker, *about, *from, *to, *name;
    size_t limit;
    int json;
} opts;

/* Options of the four commands; what does not apply is a usage error.
 * Returns -1 to go on, else an exit status. */
static int parse(const char *cmd, const char *help, const char *allowed, int want_name,
                 int argc, char **argv, opts *o)
{
    static const struct option lo[] = {
        {"db", required_argument, NULL, 'd'},
        {"json", no_argument, NULL, 'j'},
        {"type", required_argument, NULL, 'y'},
        {"speaker", required_argument, NULL, 's'},
        {"about", required_argument, NULL, 'a'},
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
        if (c != 'h' && c != '?' && c != ':' && !strchr(allowed, c))
            return cli_usage(cmd, "%s does not apply here", argv[optind - 1]);
        switch (c) {
        case 'd': o->db = optarg; break;
        case 'j': o->json = 1; break;
        case 'y': o->type = optarg; break;
        case 's': o->speaker = optarg; break;
        case 'a': o->about = optarg; break;
        case 'f': o->from = optarg; break;
        case 't': o->to = optarg; break;
        case 'l':
            if (cli_parse_size(optarg, 100000, &o->limit) != 0 || o->limit == 0)
                return cli_usage(cmd, "--limit wants a number from 1 to 100000");
            break;
        case 'h': fputs(help, stdout); return CLI_OK;
        default:
            return cli_usage(cmd, "unknown option or missing value: %s", argv[optind - 1]);
        }
    }
    if (want_name) {
        if (optind >= argc)
            return cli_usage(cmd, "missing NAME");
        o->name = argv[optind++];
        if (!*o->name)
            return cli_usage(cmd, "empty NAME");
    }
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    return -1;
}

static void print_quote(const cJSON *q, const char *indent)
{
    const char *role = cli_str(q, "speaker_role");
    printf("%s%s  %s%s%s%s [%s, %s]\n", indent, cli_dash(q, "first_seen"),
           cli_dash(q, "speaker"), role ? " (" : "", role ? role : "", role ? ")" : "",
           cli_dash(q, "kind"), cli_dash(q, "verb"));
    printf("%s  \"%s\"\n", indent, cli_dash(q, "text"));
    double n = cli_num(q, "sources");
    if (n > 1)
        printf("%s  carried by %.0f articles, first by %s\n", indent, n,
               cli_dash(q, "first_outlet"));
}

static void print_entities(const cJSON *root)
{
    const cJSON *e;
    int n = 0;
    cJSON_ArrayForEach(e, root) {
        const char *role = cli_str(e, "role");
        printf("%s %-6s %5.0f articles %5.0f mentions %4.0f quotes%s%s\n",
               cli_pad(cli_dash(e, "name"), 32, pad, sizeof pad), cli_dash(e, "type"),
               cli_num(e, "articles"), cli_num(e, "mentions"), cli_num(e, "quotes"),
               role ? "  " : "", role ? role : "");
        n++;
    }
    printf("%d entit%s\n", n, n == 1 ? "y" : "ies");
}

static void print_entity(const cJSON *o)
{
    const cJSON *x;
    printf("%s (%s)\n", cli_dash(o, "name"), cli_dash(o, "type"));
    printf("  spellings:");
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(o, "aliases"))
        printf(" %s (%.0f)", cli_dash(x, "alias"), cli_num(x, "n"));
    printf("\n  roles:\n");
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(o, "roles"))
        printf("    %s  (%.0f, %s .. %s)\n", cli_dash(x, "role"), cli_num(x, "n"),
               cli_dash(x, "first"), cli_dash(x, "last"));
    printf("  mentions by date:\n");
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(o, "mentions"))
        printf("    %-10s %4.0f articles %4.0f mentions\n", cli_dash(x, "date"),
               cli_num(x, "articles"), cli_num(x, "mentions"));
    printf("  with:");
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(o, "cooccurring"))
        printf(" %s (%.0f)", cli_dash(x, "name"), cli_num(x, "articles"));
    printf("\n  quotes:\n");
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(o, "quotes"))
        print_quote(x, "    ");
}

static void print_quotes(const cJSON *root)
{
    const cJSON *q;
    int n = 0;
    cJSON_ArrayForEach(q, root) {
        print_quote(q, "");
        n++;
    }
    printf("%d statement%s\n", n, n == 1 ? "" : "s");
}

static void print_timeline(const cJSON *o)
{
    const cJSON *d, *s;
    printf("%s\n", cli_dash(o, "name"));
    cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(o, "days")) {
        printf("  %-10s %3.0f articles\n", cli_dash(d, "date"), cli_num(d, "articles"));
        cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(d, "statements"))
            printf("      [%s] \"%s\"\n", cli_dash(s, "kind"), cli_dash(s, "text"));
    }
}

typedef enum which { W_ENTITIES, W_ENTITY, W_QUOTES, W_TIMELINE } which;

static int run(which w, const opts *o)
{
    mh_ent_type type = MH_ENT_NONE;
    if (o->type) {
        type = mh_ent_type_parse(o->type, strlen(o->type));
        if (!type)
            return cli_usage("entities", "--type is person, place or org");
    }
    mh_db *db = cli_open_db(cli_db_path(o->db), MH_DB_READONLY);
    if (!db)
        return CLI_FAIL;
    char *json = NULL;
    mh_err e;
    void (*print)(const cJSON *);
    switch (w) {
    case W_ENTITIES:
        e = mh_db_entities_json(db, type, o->limit, &json, NULL);
        print = print_entities;
        break;
    case W_ENTITY:
        e = mh_db_entity_json(db, o->name, &json, NULL);
        print = print_entity;
        break;
    case W_QUOTES: {
        mh_quote_filter f = { o->speaker, o->about, o->from, o->to, o->limit };
        e = mh_db_quotes_json(db, &f, &json, NULL);
        print = print_quotes;
        break;
    }
    default:
        e = mh_db_timeline_json(db, o->name, &json, NULL);
        print = print_timeline;
        break;
    }
    int rc = CLI_OK;
    if (e != MH_OK) {
        cli_err("%s", mh_db_errmsg(db));
        rc = e == MH_ERANGE ? CLI_USAGE : CLI_FAIL;
    } else {
        rc = cli_emit(json, o->json, print);
    }
    mh_free(json);
    mh_db_close(db);
    return rc;
}

int cmd_entities(int argc, char **argv)
{
    opts o;
    int rc = parse("entities", help_entities, "djyl", 0, argc, argv, &o);
    return rc >= 0 ? rc : run(W_ENTITIES, &o);
}

int cmd_entity(int argc, char **argv)
{
    opts o;
    int rc = parse("entity", help_entity, "dj", 1, argc, argv, &o);
    return rc >= 0 ? rc : run(W_ENTITY, &o);
}

int cmd_quotes(int argc, char **argv)
{
    opts o;
    int rc = parse("quotes", help_quotes, "djsaftl", 0, argc, argv, &o);
    return rc >= 0 ? rc : run(W_QUOTES, &o);
}

int cmd_timeline(int argc, char **argv)
{
    opts o;
    int rc = parse("timeline", help_timeline, "dj", 1, argc, argv, &o);
    return rc >= 0 ? rc : run(W_TIMELINE, &o);
}
