/*
 * fuzz_query.c -- libFuzzer harness for search: arbitrary bytes are a
 * user's query (as typed into the web page or sent to /api/search) and
 * run against a small database made once per process.  Besides "no crash,
 * no hang, no leak, no UB": a search fails only with MH_EQUERY (a query
 * the parser refuses), and a query the parser accepts must never make
 * FTS5 fail, since every word is rendered as a quoted FTS5 string; no more
 * hits than asked for; every snippet valid UTF-8.
 *
 * Input: the first byte picks the options (limit, offset, exact ranking,
 * a date filter, an outlet filter), the rest up to a NUL is the query.
 */
// fuzz-seeds: fuzz/seeds_query
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static mh_db *db;
static char dbpath[64];

/* A handful of invented articles: words with apostrophe suffixes, dotted
 * capitals, numbers, every kind of quote mark. */
static const struct { const char *title, *date, *outlet, *text; } docs[] = {
    {"İstanbul'da ulaşım zammı", "2025-10-28", "Örnek Haber",
     "İstanbul’daki toplu ulaşım ücretlerine yüzde 20 zam yapıldı.\n"
     "Belediye Başkanı \"Vatandaşı mağdur etmeyeceğiz\" dedi."},
    {"Lavrov: Görüşmeler sürüyor", "2025-11-02", "Deneme Ajansı",
     "Rusya Dışişleri Bakanı Sergey Lavrov'un açıklamasına göre antlaşma "
     "metni üzerinde çalışılıyor.\nLavrov, 'umut var' ifadesini kullandı."},
    {"Faiz kararı açıklandı", "2024-03-15", "Piyasa Gazetesi",
     "T.C. Merkez Bankası politika faizini 4.2 puan artırdı. Ekonomistler "
     "kararı “beklenen” diye nitelendirdi."},
};

static void remove_db(void)
{
    char p[80];
    mh_db_close(db);
    db = NULL;
    unlink(dbpath);
    snprintf(p, sizeof p, "%s-wal", dbpath);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", dbpath);
    unlink(p);
}

static int make_db(void)
{
    snprintf(dbpath, sizeof dbpath, "/tmp/mh_fuzz_query_%ld.db", (long)getpid());
    unlink(dbpath);
    if (mh_db_open(dbpath, 0, &db) != MH_OK)
        return -1;
    atexit(remove_db);
    mh_ingest *ing = NULL;
    mh_ingest_stats st;
    if (mh_ingest_new(db, NULL, &ing) != MH_OK)
        return -1;
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        mh_record r;
        memset(&r, 0, sizeof r);
        r.path = "fuzz";
        r.index = (long)i;
        r.text = docs[i].text;
        r.text_len = strlen(docs[i].text);
        r.title = docs[i].title;
        r.date = docs[i].date;
        r.outlet = docs[i].outlet;
        if (mh_ingest_add_record(ing, &r) != MH_OK)
            return -1;
    }
    if (mh_ingest_finish(ing, &st) != MH_OK || st.added != sizeof docs / sizeof docs[0])
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db && make_db() != 0)
        abort();
    if (size == 0)
        return 0;
    unsigned op = data[0];
    size_t n = size - 1;
    const char *nul = memchr(data + 1, '\0', n);
    if (nul)
        n = (size_t)(nul - (const char *)(data + 1));
    char *query = malloc(n + 1);
    if (!query)
        return 0;
    memcpy(query, data + 1, n);
    query[n] = '\0';

    mh_search_opts o;
    memset(&o, 0, sizeof o);
    o.query = query;
    o.limit = (op & 3) == 3 ? 1000 : (op & 3);
    o.offset = (op >> 2) & 1;
    if (op & 8)
        o.rank_window = SIZE_MAX;
    if (op & 16)
        o.from = "2025";
    if (op & 32)
        o.to = "2025-10";
    if (op & 64)
        o.outlet = "ornek haber";
    o.snippet_tokens = (op & 128) ? 3 : 0;

    /* What the parser says on its own. */
    mh_query *q = NULL;
    mh_err pe = mh_query_parse(mh_db_analyzer(db), query, n, &q);
    mh_query_free(q);

    mh_hit *hits = NULL;
    size_t nh = 0;
    mh_err e = mh_db_search(db, &o, &hits, &nh);
    if (e != MH_OK && e != MH_EQUERY && e != MH_ENOMEM)
        abort();
    if (e == MH_EQUERY && pe == MH_OK)
        abort();        /* the parser accepted what FTS5 refused */
    if (e == MH_OK) {
        if (nh > (o.limit ? o.limit : 20))
            abort();
        for (size_t i = 0; i < nh; i++)
            if (hits[i].snippet && !mh_utf8_valid(hits[i].snippet, strlen(hits[i].snippet)))
                abort();
    }
    mh_hits_free(hits, nh);
    free(query);
    return 0;
}
