/*
 * query_bench.c -- search latency on an ingested database, through the
 * public API only (mh_db_open, mh_db_search).
 *
 * A fixed query set covers the shapes users type: one-word queries of high,
 * middle and low document frequency (measured on TTC-3600, the base of the
 * bench corpus), Turkish words with their special letters, the same words
 * ASCII-folded and capitalised or with apostrophe suffixes, two words,
 * quoted phrases, OR/prefix/exclusion, and date and outlet filters.  Each
 * query is warmed up, then repeated up to -n times but for at most -t
 * seconds (whichever comes first), and the p50/p99/mean latency of every
 * query and of every class is printed; a class pools its queries with
 * equal weight.  The "one-word" line pools every one-word query: that is
 * the figure the project's target is stated in.
 *
 * Limits: latency is measured in one thread on a warm page cache; the
 * first search after opening (cold cache) is reported on its own.  The
 * words are facts about the language, not text of the data set.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "muhabir.h"

typedef struct bq {
    const char *cls;        /* query class */
    const char *q;
    const char *from, *to, *outlet;
    int expect_hits;        /* --check fails when such a query finds nothing */
} bq;

static const bq queries[] = {
    /* one word, by document frequency in the base texts */
    { "word-high", "türkiye", NULL, NULL, NULL, 1 },
    { "word-high", "istanbul", NULL, NULL, NULL, 1 },
    { "word-high", "milyon", NULL, NULL, NULL, 1 },
    { "word-high", "yeni", NULL, NULL, NULL, 1 },
    { "word-mid", "galatasaray", NULL, NULL, NULL, 1 },
    { "word-mid", "başbakan", NULL, NULL, NULL, 1 },
    { "word-mid", "teknoloji", NULL, NULL, NULL, 1 },
    { "word-mid", "dolar", NULL, NULL, NULL, 1 },
    { "word-mid", "müzik", NULL, NULL, NULL, 1 },
    { "word-low", "enflasyon", NULL, NULL, NULL, 0 },
    { "word-low", "festival", NULL, NULL, NULL, 0 },
    { "word-low", "psikolog", NULL, NULL, NULL, 0 },
    { "word-low", "takipsizlik", NULL, NULL, NULL, 0 },
    /* Turkish letters, case and suffixes */
    { "word-tr", "ışık", NULL, NULL, NULL, 0 },
    { "word-tr", "öğrenci", NULL, NULL, NULL, 0 },
    { "word-tr", "şampiyon", NULL, NULL, NULL, 0 },
    { "word-tr", "İSTANBUL", NULL, NULL, NULL, 1 },
    { "word-tr", "Türkiye'nin", NULL, NULL, NULL, 1 },
    { "word-tr", "Galatasaray'ın", NULL, NULL, NULL, 0 },
    /* the same words typed without Turkish letters */
    { "word-fold", "basbakan", NULL, NULL, NULL, 1 },
    { "word-fold", "ogrenci", NULL, NULL, NULL, 0 },
    { "word-fold", "sampiyon", NULL, NULL, NULL, 0 },
    { "word-fold", "isik", NULL, NULL, NULL, 0 },
    { "word-fold", "turkiye", NULL, NULL, NULL, 1 },
    /* several words */
    { "two-word", "merkez bankası", NULL, NULL, NULL, 0 },
    { "two-word", "akıllı telefon", NULL, NULL, NULL, 0 },
    { "two-word", "sağlık bakanlığı", NULL, NULL, NULL, 0 },
    { "two-word", "galatasaray fenerbahçe", NULL, NULL, NULL, 0 },
    { "two-word", "türkiye milyon", NULL, NULL, NULL, 1 },
    { "phrase", "\"merkez bankası\"", NULL, NULL, NULL, 0 },
    { "phrase", "\"akıllı telefon\"", NULL, NULL, NULL, 0 },
    { "phrase", "\"milli takım\"", NULL, NULL, NULL, 0 },
    { "boolean", "apple OR samsung", NULL, NULL, NULL, 0 },
    { "boolean", "ekonom*", NULL, NULL, NULL, 0 },
    { "boolean", "futbol -galatasaray", NULL, NULL, NULL, 0 },
    /* filters */
    { "filter-date", "türkiye", "2020", "2020", NULL, 0 },
    { "filter-date", "galatasaray", "2015-01", "2016-12", NULL, 0 },
    { "filter-date", "yeni", "2024-06-01", "2024-06-30", NULL, 0 },
    { "filter-outlet", "türkiye", NULL, NULL, "Hürriyet", 0 },
    { "filter-outlet", "dolar", NULL, NULL, "haberturk", 0 },
    { "filter-both", "istanbul", "2018", "2019", "Sabah", 0 },
    /* nothing to find */
    { "miss", "zqxwvj", NULL, NULL, NULL, 0 },
};
#define N_QUERIES (sizeof queries / sizeof queries[0])
#define POOL_POINTS 100

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted samples. */
static double pct(const double *s, size_t n, double p)
{
    if (n == 0)
        return 0;
    size_t r = (size_t)ceil(p / 100.0 * (double)n);
    return s[r == 0 ? 0 : r - 1];
}

static double mean(const double *s, size_t n)
{
    double t = 0;
    for (size_t i = 0; i < n; i++)
        t += s[i];
    return n ? t / (double)n : 0;
}

/* Print s left-aligned in w columns: printf pads by bytes, and Turkish
 * letters take two bytes for one column. */
static void print_col(const char *s, int w)
{
    int cols = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            cols++;
    fputs(s, stdout);
    for (; cols < w; cols++)
        putchar(' ');
}

static int one_word(const bq *q)
{
    return strncmp(q->cls, "word-", 5) == 0;
}

static void usage(void)
{
    fprintf(stderr,
        "usage: query_bench --db FILE [-n REPS] [-w WARMUP] [-t SECONDS] [-l LIMIT]\n"
        "                   [-c CLASS] [--check] [--list]\n"
        "  Runs the fixed query set on FILE: WARMUP runs (default 5), then up to\n"
        "  REPS runs (default 200) per query but at most SECONDS (default 2) per\n"
        "  query.  LIMIT hits per search (default 0 = the library's 20).  CLASS\n"
        "  runs one class only.  --check exits 1 when a query that must find\n"
        "  something finds nothing or a search fails.\n");
}

int main(int argc, char **argv)
{
    const char *dbpath = NULL, *only = NULL;
    long reps = 200, warm = 5;
    double max_s = 2.0;
    size_t limit = 0;
    int check = 0, list = 0, rc = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--check") == 0) { check = 1; continue; }
        if (strcmp(a, "--list") == 0) { list = 1; continue; }
        if (!v) { usage(); return 2; }
        if (strcmp(a, "--db") == 0) dbpath = v;
        else if (strcmp(a, "-n") == 0) reps = atol(v);
        else if (strcmp(a, "-w") == 0) warm = atol(v);
        else if (strcmp(a, "-t") == 0) max_s = atof(v);
        else if (strcmp(a, "-l") == 0) limit = (size_t)atol(v);
        else if (strcmp(a, "-c") == 0) only = v;
        else { usage(); return 2; }
        i++;
    }
    if (list) {
        for (size_t k = 0; k < N_QUERIES; k++)
            printf("%-13s %s\n", queries[k].cls, queries[k].q);
        return 0;
    }
    if (!dbpath || reps < 1 || warm < 0 || max_s <= 0) {
        usage();
        return 2;
    }
    if (access(dbpath, R_OK) != 0) {
        fprintf(stderr, "query_bench: no database %s\n", dbpath);
        return 1;
    }

    mh_db *db = NULL;
    mh_err e = mh_db_open(dbpath, MH_DB_READONLY, &db);
    if (e != MH_OK) {
        fprintf(stderr, "query_bench: %s: %s (%s)\n", dbpath, mh_errstr(e),
                db ? mh_db_errmsg(db) : "");
        mh_db_close(db);
        return 1;
    }
    mh_stats st;
    if (mh_db_stats(db, &st) == MH_OK)
        printf("# db %s: %lld articles, %lld outlets, %s..%s, %.1f MB\n", dbpath,
               (long long)st.articles, (long long)st.outlets, st.first_date,
               st.last_date, (double)st.db_bytes / 1e6);
    printf("# warm-up %ld, up to %ld runs or %.1f s per query, limit %zu\n",
           warm, reps, max_s, limit);
    printf("%-13s %-26s %8s %6s %9s %9s %9s\n", "class", "query", "hits", "runs",
           "p50_ms", "p99_ms", "mean_ms");

    double *all = calloc(N_QUERIES * (size_t)reps, sizeof *all);
    size_t *cnt = calloc(N_QUERIES, sizeof *cnt);
    if (!all || !cnt) {
        fprintf(stderr, "query_bench: out of memory\n");
        rc = 1;
        goto out;
    }
    double cold_us = -1;
    for (size_t k = 0; k < N_QUERIES; k++) {
        const bq *q = &queries[k];
        if (only && strcmp(only, q->cls) != 0 && !(strcmp(only, "one-word") == 0 && one_word(q)))
            continue;
        mh_search_opts so;
        memset(&so, 0, sizeof so);
        so.query = q->q;
        so.from = q->from;
        so.to = q->to;
        so.outlet = q->outlet;
        so.limit = limit;
        size_t nhits = 0;
        int failed = 0;
        double spent_ms = 0;
        for (long w = 0; w < warm + reps && !failed; w++) {
            mh_hit *hits = NULL;
            size_t n = 0;
            double t0 = now_us();
            e = mh_db_search(db, &so, &hits, &n);
            double dt = now_us() - t0;
            mh_hits_free(hits, n);
            if (e != MH_OK) {
                fprintf(stderr, "query_bench: search %s: %s (%s)\n", q->q, mh_errstr(e),
                        mh_db_errmsg(db));
                failed = 1;
                rc = 1;
                break;
            }
            if (cold_us < 0)
                cold_us = dt;
            nhits = n;
            if (w >= warm) {
                all[k * (size_t)reps + cnt[k]++] = dt / 1e3;
                spent_ms += dt / 1e3;
                if (spent_ms > max_s * 1e3)
                    break;        /* the time bound: enough samples of a slow query */
            }
        }
        double *s = &all[k * (size_t)reps];
        qsort(s, cnt[k], sizeof *s, cmp_double);
        char label[64];
        snprintf(label, sizeof label, "%s%s%s", q->q, q->from || q->outlet ? " +" : "",
                 q->from && q->outlet ? "date,outlet" : q->from ? "date" : q->outlet ? "outlet" : "");
        printf("%-13s ", q->cls);
        print_col(label, 26);
        printf(" %8zu %6zu %9.3f %9.3f %9.3f\n", nhits, cnt[k], pct(s, cnt[k], 50),
               pct(s, cnt[k], 99), mean(s, cnt[k]));
        if (check && q->expect_hits && nhits == 0 && !failed) {
            fprintf(stderr, "query_bench: %s found nothing\n", q->q);
            rc = 1;
        }
    }
    printf("# first search (cold): %.3f ms\n", cold_us / 1e3);

    /* Per class, then all one-word queries pooled. */
    printf("# per class: its queries pooled, each weighted equally (%d quantiles of its runs)\n",
           POOL_POINTS);
    printf("* %-11s %8s %9s %9s %9s\n", "class", "queries", "p50_ms", "p99_ms", "mean_ms");
    double *pool = malloc(N_QUERIES * POOL_POINTS * sizeof *pool);
    if (!pool) {
        rc = 1;
        goto out;
    }
    /* classes in order of first appearance, then "one-word" pooling every
     * word-* class */
    const char *classes[N_QUERIES + 1];
    size_t ncls = 0;
    for (size_t k = 0; k < N_QUERIES; k++) {
        size_t j;
        for (j = 0; j < ncls && strcmp(classes[j], queries[k].cls) != 0; j++)
            ;
        if (j == ncls)
            classes[ncls++] = queries[k].cls;
    }
    classes[ncls++] = "one-word";
    for (size_t c = 0; c < ncls; c++) {
        size_t m = 0;
        for (size_t i = 0; i < N_QUERIES; i++) {
            int in = strcmp(classes[c], "one-word") == 0 ? one_word(&queries[i])
                                                         : strcmp(queries[i].cls, classes[c]) == 0;
            if (!in || cnt[i] == 0)
                continue;
            /* Each query weighs the same: its sorted runs resampled to
             * POOL_POINTS quantiles, so the time bound (fewer runs of a
             * slow query) does not make a class look faster. */
            for (size_t r = 0; r < POOL_POINTS; r++)
                pool[m++] = all[i * (size_t)reps + r * cnt[i] / POOL_POINTS];
        }
        if (m == 0)
            continue;
        qsort(pool, m, sizeof *pool, cmp_double);
        printf("* %-11s %8zu %9.3f %9.3f %9.3f\n", classes[c], m / POOL_POINTS, pct(pool, m, 50),
               pct(pool, m, 99), mean(pool, m));
    }
    free(pool);
out:
    free(all);
    free(cnt);
    mh_db_close(db);
    return rc;
}
