/*
 * main.c -- the `muhabir` command: dispatch to subcommands, --help,
 * --version, and the helpers every subcommand shares (cli.h).
 */
#include "cli.h"
#include "../server/server.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: muhabir COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "News intelligence for the Turkish press: ingest scraped pages, extract\n"
    "the articles, search them.\n"
    "\n"
    "commands:\n"
    "  ingest [--db FILE] PATH...        store files, folders (recursive), or - (JSONL on stdin)\n"
    "  export [--db FILE] [--format jsonl|csv]\n"
    "                                    write every article\n"
    "  show [--db FILE] [--json] ID|PATH one article, by id or by input file\n"
    "  search [--db FILE] [--json] [--limit N] [--from DATE] [--to DATE]\n"
    "         [--outlet NAME] QUERY      full-text search\n"
    "  analyze [--json] [FILE|-]         sentences, tokens, normal forms, stems\n"
    "  stats [--db FILE]                 what the database holds\n"
    "  dups [--db FILE] [--json]         copy groups, their outlets and first publisher\n"
    "  stories [--db FILE] [--from D] [--to D] [--json]\n"
    "                                    top stories of a day or range\n"
    "  story [--db FILE] [--json] ID     one story and its articles\n"
    "  related [--db FILE] [--json] [--limit N] ARTICLE_ID\n"
    "                                    similar articles, copies left out\n"
    "  entities [--db FILE] [--type person|place|org] [--json]\n"
    "                                    people, places, organisations\n"
    "  entity [--db FILE] [--json] NAME  aliases, roles, mentions, co-occurring names, quotes\n"
    "  quotes [--db FILE] [--speaker NAME] [--about WORDS] [--from D] [--to D] [--json]\n"
    "                                    who said what, each statement once\n"
    "  timeline [--db FILE] [--json] NAME\n"
    "                                    statements and mentions by date\n"
    "  serve [--db FILE] [--listen HOST:PORT]\n"
    "                                    HTTP API and web page\n"
    "\n"
    "The database is --db FILE, else $MUHABIR_DB, else ./muhabir.db.\n"
    "Run 'muhabir COMMAND --help' for a command's options; see muhabir(1).\n"
    "Exit status: 0 success, 1 failure or rejected inputs, 2 usage error.\n";

const char *cli_db_path(const char *opt)
{
    if (opt && *opt)
        return opt;
    const char *env = getenv("MUHABIR_DB");
    if (env && *env)
        return env;
    return "muhabir.db";
}

void cli_err(const char *fmt, ...)
{
    va_list ap;
    fputs("muhabir: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "muhabir %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'muhabir %s --help'.\n", cmd);
    return CLI_USAGE;
}

int cli_parse_size(const char *s, size_t max, size_t *out)
{
    size_t v = 0;
    if (!s || !*s)
        return -1;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        if (v > (max - (size_t)(*p - '0')) / 10)
            return -1;
        v = v * 10 + (size_t)(*p - '0');
    }
    *out = v;
    return 0;
}

mh_db *cli_open_db(const char *path, unsigned flags)
{
    mh_db *db = NULL;
    mh_err e = mh_db_open(path, flags, &db);
    if (e) {
        cli_err("cannot open database %s: %s", path, db ? mh_db_errmsg(db) : mh_errstr(e));
        mh_db_close(db);
        return NULL;
    }
    return db;
}

const char *cli_str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

const char *cli_dash(const cJSON *o, const char *k)
{
    const char *s = cli_str(o, k);
    return s && *s ? s : "-";
}

double cli_num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

int cli_emit(const char *json, int as_json, void (*print)(const cJSON *))
{
    if (as_json) {
        fputs(json, stdout);
        fputc('\n', stdout);
        return CLI_OK;
    }
    cJSON *root = cJSON_Parse(json);
    if (!root) {
        cli_err("out of memory");
        return CLI_FAIL;
    }
    print(root);
    cJSON_Delete(root);
    return CLI_OK;
}

char *cli_read_all(const char *path, size_t *len)
{
    int is_stdin = !path || strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    size_t cap = 1 << 16, n = 0, k;
    char *p;
    if (!f) {
        cli_err("%s: %s", path, strerror(errno));
        return NULL;
    }
    p = malloc(cap + 1);
    while (p && (k = fread(p + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            if (cap >= MH_MAX_PAGE_BYTES) {
                cli_err("%s: %s", is_stdin ? "stdin" : path, mh_errstr(MH_ETOOBIG));
                free(p);
                p = NULL;
                break;
            }
            char *q = realloc(p, cap * 2 + 1);
            if (!q) {
                free(p);
                p = NULL;
                cli_err("out of memory");
                break;
            }
            p = q;
            cap *= 2;
        }
    }
    if (p && ferror(f)) {
        cli_err("%s: %s", is_stdin ? "stdin" : path, strerror(errno));
        free(p);
        p = NULL;
    }
    if (!is_stdin)
        fclose(f);
    if (p) {
        p[n] = 0;
        *len = n;
    }
    return p;
}

/* The server parses its own options (server/http.c). */
static int cmd_serve(int argc, char **argv)
{
    return srv_main(argc, argv, cli_db_path(NULL));
}

static const struct {
    const char *name;
    int (*fn)(int, char **);
} commands[] = {
    {"ingest", cmd_ingest},
    {"export", cmd_export},
    {"show", cmd_show},
    {"search", cmd_search},
    {"analyze", cmd_analyze},
    {"stats", cmd_stats},
    {"dups", cmd_dups},
    {"stories", cmd_stories},
    {"story", cmd_story},
    {"related", cmd_related},
    {"entities", cmd_entities},
    {"entity", cmd_entity},
    {"quotes", cmd_quotes},
    {"timeline", cmd_timeline},
    {"serve", cmd_serve},
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_text, stderr);
        return CLI_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        if (argc > 2 && strcmp(cmd, "help") == 0) {
            for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
                if (strcmp(argv[2], commands[i].name) == 0) {
                    char *av[] = {argv[2], "--help", NULL};
                    return commands[i].fn(2, av);
                }
            }
            cli_err("no such command: %s", argv[2]);
            return CLI_USAGE;
        }
        fputs(usage_text, stdout);
        return CLI_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("muhabir %s\n", mh_version());
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    cli_err("unknown command '%s'", cmd);
    fputs(usage_text, stderr);
    return CLI_USAGE;
}
