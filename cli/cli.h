/*
 * cli.h -- what the `muhabir` subcommands share: option helpers, error
 * output, the database path rule.  The command uses include/muhabir.h
 * only (plus cJSON for output), like cmark's main.c.
 *
 * Exit status of every command: 0 success, 1 failure or some inputs
 * rejected, 2 usage error.
 */
#ifndef MH_CLI_H
#define MH_CLI_H

#include "muhabir.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#define CLI_OK 0
#define CLI_FAIL 1
#define CLI_USAGE 2

/* The database: --db FILE, else $MUHABIR_DB, else ./muhabir.db. */
const char *cli_db_path(const char *opt);

/* "muhabir: message" on stderr. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "muhabir CMD: message" plus a pointer to --help; returns CLI_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A whole non-negative decimal number up to max; 0 on success. */
int cli_parse_size(const char *s, size_t max, size_t *out);

/* Open the database for a command; prints the reason and returns NULL on
 * failure. */
mh_db *cli_open_db(const char *path, unsigned flags);

/* Read a whole file, or stdin for NULL or "-", up to MH_MAX_PAGE_BYTES.
 * Caller frees with free().  NULL after printing the reason. */
char *cli_read_all(const char *path, size_t *len);

/* Members of the library's JSON answers, for the text layouts: a string
 * or NULL; the same or "-" where it is missing or empty; a number or 0. */
const char *cli_str(const cJSON *o, const char *k);
const char *cli_dash(const cJSON *o, const char *k);
double cli_num(const cJSON *o, const char *k);

/* Print a JSON answer as is (as_json, --json) or parse it and hand the
 * tree to print; CLI_FAIL after a message when it cannot be parsed. */
int cli_emit(const char *json, int as_json, void (*print)(const cJSON *));

int cmd_ingest(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_dups(int argc, char **argv);      /* cmd_stories.c */
int cmd_stories(int argc, char **argv);
int cmd_story(int argc, char **argv);
int cmd_related(int argc, char **argv);
int cmd_entities(int argc, char **argv);  /* cmd_quotes.c */
int cmd_entity(int argc, char **argv);
int cmd_quotes(int argc, char **argv);
int cmd_timeline(int argc, char **argv);


/*
 * s padded with spaces to `width` characters on screen, for table
 * columns: printf's %-24s counts bytes, so a name with Turkish letters
 * (two bytes each in UTF-8) would come out short.  Counts code points
 * (bytes that are not UTF-8 continuation bytes).  Writes into buf (cap
 * bytes) and returns it; a longer s is returned whole, unpadded.
 */
static inline const char *cli_pad(const char *s, int width, char *buf, size_t cap)
{
    size_t n = 0, chars = 0;
    for (; s[n]; n++)
        if (((unsigned char)s[n] & 0xC0) != 0x80)
            chars++;
    if ((int)chars >= width || n + (size_t)width - chars + 1 > cap)
        return s;
    memcpy(buf, s, n);
    while ((int)chars < width) {
        buf[n++] = ' ';
        chars++;
    }
    buf[n] = 0;
    return buf;
}

#endif
