/*
 * cmd_ingest.c -- `muhabir ingest [--db FILE] PATH...`: files, folders
 * (recursive) or - for JSONL on stdin.  A progress bar on a terminal,
 * silence when piped; each rejected input named on stderr with the
 * reason; a summary "N new, M already stored" counting only what was
 * committed.  Exit 0 all went in, 1 something was rejected (or the
 * database failed), 2 usage.
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char help[] =
    "usage: muhabir ingest [--db FILE] [--format auto|text|json|jsonl|html]\n"
    "                      [--batch N] [--work N] [--threads N] [--quiet] PATH...\n"
    "\n"
    "Read news pages and store the extracted articles.  PATH is a file, a\n"
    "folder (read recursively, hidden entries skipped) or - for JSON lines\n"
    "on stdin.  Formats come from the file extension and content: .txt text\n"
    "dumps, .json, .jsonl/.ndjson, .html/.htm, any of them .gz.\n"
    "Content already stored is skipped and counted as \"already stored\".\n"
    "\n"
    "  --db FILE     database (default $MUHABIR_DB, else ./muhabir.db)\n"
    "  --format F    read every input as F instead of guessing\n"
    "  --batch N     articles per transaction (default 4000; a transaction\n"
    "                also ends 5 s after its first page)\n"
    "  --work N      pages extracted and learnt from together (default 500,\n"
    "                at most the --batch size)\n"
    "  --threads N   threads extracting and analysing pages (default: one\n"
    "                per CPU), beside one that stores; 1: all on one thread\n"
    "  --quiet       no progress bar and no summary\n"
    "  -h, --help    this text\n"
    "\n"
    "Exit status: 0 every input went in, 1 some inputs were rejected (each\n"
    "named on stderr with the reason; the rest went in), 2 usage error.\n";

typedef struct ui {
    int tty;
    int bar_shown;
    struct timespec start, last;
} ui;

static double secs_since(const struct timespec *t)
{
    struct timespec n;
    clock_gettime(CLOCK_MONOTONIC, &n);
    return (double)(n.tv_sec - t->tv_sec) + (double)(n.tv_nsec - t->tv_nsec) / 1e9;
}

static void clear_bar(ui *u)
{
    if (u->bar_shown) {
        fputs("\r\033[K", stderr);
        u->bar_shown = 0;
    }
}

static void on_progress(void *ctx, const mh_ingest_stats *st)
{
    ui *u = ctx;
    if (!u->tty)
        return;
    /* Ten redraws a second are plenty and keep stderr cheap. */
    if (u->bar_shown && secs_since(&u->last) < 0.1)
        return;
    clock_gettime(CLOCK_MONOTONIC, &u->last);
    char bar[31];
    int width = 30, done = 0;
    if (st->files_total)
        done = (int)((double)width * (double)st->files / (double)st->files_total);
    if (done > width)
        done = width;
    for (int i = 0; i < width; i++)
        bar[i] = i < done ? '#' : '.';
    bar[width] = 0;
    double t = secs_since(&u->start);
    fprintf(stderr, "\r\033[K[%s] %llu/%llu files  %llu new  %llu stored before  %llu rejected  %.0f pages/s",
            bar, (unsigned long long)st->files, (unsigned long long)st->files_total,
            (unsigned long long)st->added, (unsigned long long)st->dups,
            (unsigned long long)st->rejected, t > 0 ? (double)st->records / t : 0.0);
    u->bar_shown = 1;
}

static void on_reject(void *ctx, const char *path, long record, mh_err e, const char *detail)
{
    ui *u = ctx;
    clear_bar(u);
    if (record >= 0)
        fprintf(stderr, "muhabir: %s: record %ld: rejected: %s\n", path, record,
                detail ? detail : mh_errstr(e));
    else
        fprintf(stderr, "muhabir: %s: rejected: %s\n", path, detail ? detail : mh_errstr(e));
}

static int parse_format(const char *s, mh_format *out)
{
    static const struct { const char *name; mh_format f; } fm[] = {
        {"auto", MH_FMT_AUTO}, {"text", MH_FMT_TEXT}, {"txt", MH_FMT_TEXT},
        {"json", MH_FMT_JSON}, {"jsonl", MH_FMT_JSONL}, {"ndjson", MH_FMT_JSONL},
        {"html", MH_FMT_HTML},
    };
    for (size_t i = 0; i < sizeof fm / sizeof fm[0]; i++) {
        if (strcmp(s, fm[i].name) == 0) {
            *out = fm[i].f;
            return 0;
        }
    }
    return -1;
}

int cmd_ingest(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"format", required_argument, NULL, 'f'},
        {"batch", required_argument, NULL, 'b'},
        {"work", required_argument, NULL, 'w'},
        {"threads", required_argument, NULL, 't'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *dbpath = NULL;
    mh_ingest_opts io;
    ui u;
    int quiet = 0, c, stdin_seen = 0;
    size_t batch = 0, threads = 0, work = 0;

    memset(&io, 0, sizeof io);
    memset(&u, 0, sizeof u);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "hq", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dbpath = optarg; break;
        case 'f':
            if (parse_format(optarg, &io.format))
                return cli_usage("ingest", "unknown format '%s'", optarg);
            break;
        case 'b':
            if (cli_parse_size(optarg, 1000000, &batch) || batch == 0)
                return cli_usage("ingest", "--batch needs a number from 1 to 1000000");
            break;
        case 'w':
            if (cli_parse_size(optarg, 1000000, &work) || work == 0)
                return cli_usage("ingest", "--work needs a number from 1 to 1000000");
            break;
        case 't':
            if (cli_parse_size(optarg, MH_INGEST_MAX_THREADS, &threads) || threads == 0)
                return cli_usage("ingest", "--threads needs a number from 1 to %d",
                                 MH_INGEST_MAX_THREADS);
            break;
        case 'q': quiet = 1; break;
        case 'h': fputs(help, stdout); return CLI_OK;
        default:
            return cli_usage("ingest", "unknown option or missing value: %s", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage("ingest", "no input given (a file, a folder or -)");
    for (int i = optind; i < argc; i++) {
        if (strcmp(argv[i], "-") == 0 && stdin_seen++)
            return cli_usage("ingest", "- (stdin) given twice");
        if (!argv[i][0])
            return cli_usage("ingest", "empty path");
    }

    mh_db *db = cli_open_db(cli_db_path(dbpath), 0);
    if (!db)
        return CLI_FAIL;
    u.tty = !quiet && isatty(2);
    clock_gettime(CLOCK_MONOTONIC, &u.start);
    io.batch_size = (unsigned)batch;
    io.work_size = (unsigned)work;
    io.threads = (unsigned)threads;
    io.on_progress = on_progress;
    io.on_reject = on_reject;
    io.ctx = &u;

    mh_ingest *ing = NULL;
    mh_ingest_stats st;
    memset(&st, 0, sizeof st);
    mh_err e = mh_ingest_new(db, &io, &ing);
    if (e) {
        cli_err("%s", mh_db_errmsg(db));
        mh_db_close(db);
        return CLI_FAIL;
    }
    for (int i = optind; i < argc && !e; i++)
        e = mh_ingest_add_path(ing, argv[i]);
    mh_err e2 = mh_ingest_finish(ing, &st);
    if (!e)
        e = e2;
    clear_bar(&u);
    if (e)
        cli_err("ingest stopped: %s", mh_db_errmsg(db));
    if (!quiet) {
        double t = secs_since(&u.start);
        printf("%llu new, %llu already stored, %llu rejected (%llu records from %llu files, %.1f s)\n",
               (unsigned long long)st.added, (unsigned long long)st.dups,
               (unsigned long long)st.rejected, (unsigned long long)st.records,
               (unsigned long long)st.files, t);
    }
    mh_db_close(db);
    return e || st.rejected ? CLI_FAIL : CLI_OK;
}
