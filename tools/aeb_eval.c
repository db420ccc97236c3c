/*
 * aeb_eval.c -- measure main-content extraction from HTML on the
 * Scrapinghub article-extraction benchmark (181 news pages with the gold
 * article body, ../shared/data/aeb; MIT licence).
 *
 * For every page: mh_page_read_file + mh_extract, then the extracted lead
 * and body are compared with the gold articleBody as bags of words (after
 * mh_clean and mh_tr_fold; words are runs of letters and digits).
 * Precision = shared words / extracted words, recall = shared words / gold
 * words.  Prints the macro average over pages (a failed page counts as
 * P = R = F1 = 0) and the micro average over all words.
 *
 * Usage: aeb_eval [-v] [AEB_DIR]   (default $MUHABIR_SHARED/data/aeb)
 * Exits 77 when the data set is absent, as the test runner expects.
 */
#include "muhabir.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct words {
    char **w;
    size_t n, cap;
} words;

static void words_free(words *ws)
{
    for (size_t i = 0; i < ws->n; i++)
        free(ws->w[i]);
    free(ws->w);
    memset(ws, 0, sizeof *ws);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Clean, fold and split text into sorted words. */
static int tokenize(const char *s, size_t n, words *out)
{
    char *c = NULL, *f = NULL;
    size_t cn = 0, fn = 0;
    memset(out, 0, sizeof *out);
    if (mh_clean(s, n, 0, &c, &cn) != MH_OK)
        return -1;
    if (mh_tr_fold(c, cn, &f, &fn) != MH_OK) {
        mh_free(c);
        return -1;
    }
    mh_free(c);
    size_t i = 0;
    while (i < fn) {
        while (i < fn && !((f[i] >= 'a' && f[i] <= 'z') || (f[i] >= '0' && f[i] <= '9') ||
                           (unsigned char)f[i] >= 0x80))
            i++;
        size_t st = i;
        while (i < fn && ((f[i] >= 'a' && f[i] <= 'z') || (f[i] >= '0' && f[i] <= '9') ||
                          (unsigned char)f[i] >= 0x80))
            i++;
        if (i == st)
            continue;
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 256;
            out->w = realloc(out->w, out->cap * sizeof *out->w);
            if (!out->w)
                return -1;
        }
        out->w[out->n] = malloc(i - st + 1);
        memcpy(out->w[out->n], f + st, i - st);
        out->w[out->n++][i - st] = 0;
    }
    mh_free(f);
    qsort(out->w, out->n, sizeof *out->w, cmp_str);
    return 0;
}

/* Size of the multiset intersection of two sorted word lists. */
static size_t common(const words *a, const words *b)
{
    size_t i = 0, j = 0, k = 0;
    while (i < a->n && j < b->n) {
        int c = strcmp(a->w[i], b->w[j]);
        if (c == 0) {
            k++;
            i++;
            j++;
        } else if (c < 0) {
            i++;
        } else {
            j++;
        }
    }
    return k;
}

typedef struct got {
    char *text;
} got;

static int on_record(void *ctx, const mh_record *r)
{
    got *g = ctx;
    mh_article *a = NULL;
    if (mh_extract(r, NULL, &a) != MH_OK)
        return 0;
    size_t ln = a->lead ? strlen(a->lead) : 0, bn = strlen(a->body);
    g->text = malloc(ln + bn + 2);
    if (g->text) {
        memcpy(g->text, a->lead ? a->lead : "", ln);
        g->text[ln] = '\n';
        memcpy(g->text + ln + 1, a->body, bn + 1);
    }
    mh_article_free(a);
    return 1;   /* one record per page */
}

int main(int argc, char **argv)
{
    int verbose = 0, ai = 1;
    char dir[4096];
    if (ai < argc && strcmp(argv[ai], "-v") == 0) {
        verbose = 1;
        ai++;
    }
    if (ai < argc) {
        snprintf(dir, sizeof dir, "%s", argv[ai]);
    } else {
        const char *sh = getenv("MUHABIR_SHARED");
        snprintf(dir, sizeof dir, "%s/data/aeb", sh && *sh ? sh : "../shared");
    }
    char path[8192];
    snprintf(path, sizeof path, "%s/ground-truth.json", dir);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "aeb_eval: %s absent, skipping\n", path);
        return 77;
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)len + 1);
    if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
        fclose(f);
        return 1;
    }
    fclose(f);
    buf[len] = 0;
    cJSON *gt = cJSON_Parse(buf);
    free(buf);
    if (!gt) {
        fprintf(stderr, "aeb_eval: bad ground truth\n");
        return 1;
    }
    double sp = 0, sr = 0, sf = 0;
    size_t pages = 0, failed = 0, tot_common = 0, tot_got = 0, tot_gold = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, gt) {
        const cJSON *body = cJSON_GetObjectItem(item, "articleBody");
        if (!cJSON_IsString(body))
            continue;
        pages++;
        snprintf(path, sizeof path, "%s/html/%s.html.gz", dir, item->string);
        got g = { NULL };
        int rc = mh_page_read_file(path, MH_FMT_HTML, on_record, NULL, &g);
        words gw, ew;
        tokenize(body->valuestring, strlen(body->valuestring), &gw);
        double p = 0, r = 0, f1 = 0;
        size_t c = 0;
        if (g.text) {
            tokenize(g.text, strlen(g.text), &ew);
            c = common(&ew, &gw);
            p = ew.n ? (double)c / (double)ew.n : 0;
            r = gw.n ? (double)c / (double)gw.n : 0;
            f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
            tot_got += ew.n;
            words_free(&ew);
        } else {
            failed++;
            if (verbose)
                printf("FAILED %s: %s\n", item->string, rc > 0 && rc < MH_ERR_COUNT && rc != 1
                                                          ? mh_errstr((mh_err)rc) : "no article");
        }
        tot_common += c;
        tot_gold += gw.n;
        words_free(&gw);
        sp += p;
        sr += r;
        sf += f1;
        if (verbose)
            printf("%.3f %.3f %.3f %s\n", p, r, f1, item->string);
        free(g.text);
    }
    cJSON_Delete(gt);
    if (!pages)
        return 1;
    double mp = tot_got ? (double)tot_common / (double)tot_got : 0;
    double mr = tot_gold ? (double)tot_common / (double)tot_gold : 0;
    printf("aeb: %zu pages, %zu failed\n", pages, failed);
    printf("macro precision %.3f recall %.3f F1 %.3f\n", sp / (double)pages, sr / (double)pages,
           sf / (double)pages);
    printf("micro precision %.3f recall %.3f F1 %.3f\n", mp, mr,
           mp + mr > 0 ? 2 * mp * mr / (mp + mr) : 0);
    return 0;
}
