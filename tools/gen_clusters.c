/*
 * gen_clusters.c -- word clusters from unlabeled Turkish text for the
 * entity tagger (make clusters -> src/ner_clusters_data.c).
 *
 *   gen_clusters [--vocab K] [--min-count M] [--classes C1,C2]
 *                [--iters N] [--c-out FILE] [--dump FILE] INPUT...
 *
 * INPUT: a directory (its regular files, recursively, in byte order of
 * their names), a CoNLL file (*.conll: the first column, one token a
 * line, a blank line between sentences), a CoNLL-U file (*.conllu: its
 * "# text = " lines), or any other file of raw text (mh_clean decides
 * its encoding).  Text goes through mh_clean and mh_analyze, so a word is
 * the token's Turkish lowercase form without its apostrophe suffix
 * (mh_token.norm; numbers are "#num"), exactly what the tagger keys its
 * word features on.
 *
 * Learning: the exchange algorithm (Kneser & Ney 1993, Martin et al.
 * 1998) with the predictive class-bigram objective of Uszkoreit & Brants
 * (2008), made two-sided: each occurrence of a word contributes two
 * events, (left neighbour -> class of the word) and (right neighbour ->
 * class of the word); the log-likelihood, up to constants, is
 *     sum over contexts x and classes c of N(x,c) log N(x,c)
 *   - sum over classes c of N(c) log N(c).
 * The K most frequent words (at least M occurrences) are clustered;
 * every other word is one context "rare", a sentence edge another.  Words
 * start in class (frequency rank mod C) and are visited in frequency
 * order; each moves to the class of the best likelihood until a pass
 * moves fewer than 0.1% of them or N passes are done.  One run per
 * granularity; the same inputs and options give the same bytes.
 *
 * Output (--c-out): no words, only the 64-bit FNV-1a hash of each word
 * (the tagger's mh_ner_tok.h_norm): an open-addressing table of 2^bits
 * slots (linear probing, at most half full) whose home slot is the
 * hash's low bits and whose key is its high half (0 = empty), with the
 * word's class at each of the MH_NER_CLUSTER_GRAN granularities (coarse
 * first); entity.c probes it once per token.  --dump writes word, count and classes as text for inspection
 * (it holds data-set words: keep it out of the repository).
 */
#include "lexicon.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#define MAX_GRAN 4
#define EDGE UINT32_MAX          /* a sentence edge in the token stream */
#define FTAB (1u << 18)          /* x log x tabulated below this */

static void die(const char *msg)
{
    fprintf(stderr, "gen_clusters: %s\n", msg);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        die("out of memory");
    return p;
}

/* The tagger's word hash (entity.c fnv_word): 64-bit FNV-1a. */
static uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* ------------------------------------------------------------------ */
/* Words and the token stream                                           */
/* ------------------------------------------------------------------ */

typedef struct word {
    uint64_t h;
    uint64_t count;
    char *s;                    /* for --dump only */
} word;

static word *g_words;
static size_t g_nwords, g_wcap;
static uint32_t *g_slot;        /* open addressing over g_words: index + 1 */
static size_t g_slot_mask;

static uint32_t *g_stream;      /* word indices and EDGE */
static size_t g_nstream, g_scap;

static void slots_grow(void)
{
    size_t n = g_slot_mask ? (g_slot_mask + 1) * 2 : 1u << 16;
    uint32_t *s = xcalloc(n, sizeof *s);
    for (size_t i = 0; i < g_nwords; i++) {
        size_t j = (size_t)g_words[i].h & (n - 1);
        while (s[j])
            j = (j + 1) & (n - 1);
        s[j] = (uint32_t)i + 1;
    }
    free(g_slot);
    g_slot = s;
    g_slot_mask = n - 1;
}

static uint32_t intern(const char *p, size_t n)
{
    if (!g_slot || 2 * (g_nwords + 1) > g_slot_mask + 1)
        slots_grow();
    uint64_t h = fnv1a(p, n);
    size_t j = (size_t)h & g_slot_mask;
    while (g_slot[j]) {
        word *w = &g_words[g_slot[j] - 1];
        if (w->h == h)
            return g_slot[j] - 1;
        j = (j + 1) & g_slot_mask;
    }
    if (g_nwords == g_wcap) {
        g_wcap = g_wcap ? g_wcap * 2 : 1u << 15;
        g_words = xrealloc(g_words, g_wcap * sizeof *g_words);
    }
    word *w = &g_words[g_nwords];
    w->h = h;
    w->count = 0;
    w->s = xrealloc(NULL, n + 1);
    memcpy(w->s, p, n);
    w->s[n] = 0;
    g_slot[j] = (uint32_t)g_nwords + 1;
    return (uint32_t)g_nwords++;
}

static void push(uint32_t x)
{
    if (x == EDGE && (!g_nstream || g_stream[g_nstream - 1] == EDGE))
        return;
    if (g_nstream == g_scap) {
        g_scap = g_scap ? g_scap * 2 : 1u << 20;
        g_stream = xrealloc(g_stream, g_scap * sizeof *g_stream);
    }
    g_stream[g_nstream++] = x;
}

static mh_analyzer *g_an;

/* Clean and analyse text, append its words to the stream. */
static void add_text(const char *text, size_t n)
{
    char *cl;
    size_t cn;
    if (!n || mh_clean(text, n, MH_CLEAN_LINES, &cl, &cn) != MH_OK)
        return;
    mh_doc *d;
    if (mh_analyze(g_an, cl, cn, MH_AN_NOSTEM, &d) == MH_OK) {
        uint32_t sent = UINT32_MAX;
        for (size_t i = 0; i < d->n_tokens; i++) {
            const mh_token *t = &d->tokens[i];
            if (t->sentence != sent)
                push(EDGE);
            sent = t->sentence;
            uint32_t id = (t->flags & MH_TOK_NUM) ? intern("#num", 4)
                                                  : intern(t->norm, t->norm_len);
            g_words[id].count++;
            push(id);
        }
        push(EDGE);
        mh_doc_free(d);
    }
    mh_free(cl);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open an input");
    char *p = NULL;
    size_t len = 0, cap = 0, k;
    do {
        if (cap - len < 65536) {
            cap = cap ? cap * 2 : 1u << 17;
            p = xrealloc(p, cap);
        }
        k = fread(p + len, 1, cap - len - 1, f);
        len += k;
    } while (k);
    fclose(f);
    p[len] = 0;
    *n = len;
    return p;
}

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

/* Sentences gathered into texts of a few hundred for add_text (a line
 * end is a sentence end for mh_analyze). */
typedef struct sentences {
    mh_buf b;
    size_t n;
} sentences;

static void sentence_end(sentences *s)
{
    mh_buf_addc(&s->b, '\n');
    if (++s->n % 500 == 0) {
        add_text(s->b.p, s->b.len);
        mh_buf_reset(&s->b);
    }
}

static void sentences_flush(sentences *s)
{
    if (s->b.len)
        add_text(s->b.p, s->b.len);
    mh_buf_free(&s->b);
}

/* The next line of [*at, end) (without its line feed) in [*line, *eol);
 * 0 when there is none. */
static int next_line(char **at, char *end, char **line, char **eol)
{
    if (*at >= end)
        return 0;
    char *nl = memchr(*at, '\n', (size_t)(end - *at));
    *line = *at;
    *eol = nl ? nl : end;
    *at = *eol + 1;
    return 1;
}

/* Sentences of a CoNLL file: the first column, one token a line. */
static void add_conll(const char *path)
{
    size_t n;
    char *p = slurp(path, &n), *at = p, *line, *end;
    sentences s = { 0 };
    mh_buf_init(&s.b, 0);
    while (next_line(&at, p + n, &line, &end)) {
        char *tab = memchr(line, '\t', (size_t)(end - line));
        size_t len = (size_t)((tab ? tab : end) - line);
        while (len && line[len - 1] == '\r')
            len--;
        if (!len) {
            if (s.b.len && s.b.p[s.b.len - 1] != '\n')
                sentence_end(&s);
        } else {
            if (s.b.len && s.b.p[s.b.len - 1] != '\n')
                mh_buf_addc(&s.b, ' ');
            mh_buf_add(&s.b, line, len);
        }
    }
    sentences_flush(&s);
    free(p);
}

/* The "# text = " lines of a CoNLL-U file. */
static void add_conllu(const char *path)
{
    static const char key[] = "# text = ";
    size_t n;
    char *p = slurp(path, &n), *at = p, *line, *end;
    sentences s = { 0 };
    mh_buf_init(&s.b, 0);
    while (next_line(&at, p + n, &line, &end))
        if ((size_t)(end - line) > sizeof key - 1 && memcmp(line, key, sizeof key - 1) == 0) {
            mh_buf_add(&s.b, line + sizeof key - 1, (size_t)(end - line) - (sizeof key - 1));
            sentence_end(&s);
        }
    sentences_flush(&s);
    free(p);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        die("cannot stat an input");
    if (S_ISDIR(st.st_mode)) {
        DIR *dir = opendir(path);
        if (!dir)
            die("cannot open a directory");
        char **names = NULL;
        size_t nn = 0;
        struct dirent *e;
        while ((e = readdir(dir))) {
            if (e->d_name[0] == '.')
                continue;
            names = xrealloc(names, (nn + 1) * sizeof *names);
            size_t l = strlen(path) + strlen(e->d_name) + 2;
            names[nn] = xrealloc(NULL, l);
            snprintf(names[nn], l, "%s/%s", path, e->d_name);
            nn++;
        }
        closedir(dir);
        qsort(names, nn, sizeof *names, cmp_str);
        for (size_t i = 0; i < nn; i++) {
            add_path(names[i]);
            free(names[i]);
        }
        free(names);
    } else if (ends_with(path, ".conll")) {
        add_conll(path);
    } else if (ends_with(path, ".conllu")) {
        add_conllu(path);
    } else {
        size_t n;
        char *p = slurp(path, &n);
        add_text(p, n);
        free(p);
    }
}

/* ------------------------------------------------------------------ */
/* Contexts of the clustered words                                      */
/* ------------------------------------------------------------------ */

static size_t K;                /* clustered words: ranks 0..K-1 */
static uint32_t *g_rank;        /* word index -> rank, or UINT32_MAX */
static uint32_t *g_byrank;      /* rank -> word index */
static size_t NCTX;             /* contexts: left 0..K+1, right K+2..2K+3 */
static size_t *g_off;           /* rank -> first pair */
static uint32_t *g_ctx, *g_cnt; /* pairs (context, count) */
static uint64_t *g_tot;         /* events per rank (both sides) */

static int cmp_freq(const void *a, const void *b)
{
    const word *x = &g_words[*(const uint32_t *)a], *y = &g_words[*(const uint32_t *)b];
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return x->h < y->h ? -1 : x->h > y->h;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint32_t ctx_of(uint32_t x)
{
    if (x == EDGE)
        return (uint32_t)K + 1;
    return g_rank[x] == UINT32_MAX ? (uint32_t)K : g_rank[x];
}

static void build_contexts(size_t vocab, uint64_t min_count)
{
    uint32_t *order = xcalloc(g_nwords, sizeof *order);
    for (size_t i = 0; i < g_nwords; i++)
        order[i] = (uint32_t)i;
    qsort(order, g_nwords, sizeof *order, cmp_freq);
    K = 0;
    while (K < vocab && K < g_nwords && g_words[order[K]].count >= min_count)
        K++;
    g_rank = xcalloc(g_nwords, sizeof *g_rank);
    memset(g_rank, 0xFF, g_nwords * sizeof *g_rank);
    g_byrank = order;
    for (size_t r = 0; r < K; r++)
        g_rank[order[r]] = (uint32_t)r;
    NCTX = 2 * (K + 2);
    /* (rank << 32 | context) per event, sorted and counted. */
    size_t np = 0;
    uint64_t *pairs = xcalloc(2 * g_nstream, sizeof *pairs);
    for (size_t i = 0; i < g_nstream; i++) {
        uint32_t x = g_stream[i];
        if (x == EDGE || g_rank[x] == UINT32_MAX)
            continue;
        uint64_t r = (uint64_t)g_rank[x] << 32;
        uint32_t left = i ? g_stream[i - 1] : EDGE;
        uint32_t right = i + 1 < g_nstream ? g_stream[i + 1] : EDGE;
        pairs[np++] = r | ctx_of(left);
        pairs[np++] = r | ((uint32_t)K + 2 + ctx_of(right));
    }
    qsort(pairs, np, sizeof *pairs, cmp_u64);
    g_off = xcalloc(K + 1, sizeof *g_off);
    g_ctx = xcalloc(np, sizeof *g_ctx);
    g_cnt = xcalloc(np, sizeof *g_cnt);
    g_tot = xcalloc(K, sizeof *g_tot);
    size_t m = 0;
    for (size_t i = 0; i < np;) {
        size_t j = i;
        while (j < np && pairs[j] == pairs[i])
            j++;
        size_t r = (size_t)(pairs[i] >> 32);
        g_ctx[m] = (uint32_t)pairs[i];
        g_cnt[m] = (uint32_t)(j - i);
        g_tot[r] += j - i;
        g_off[r + 1] = ++m;
        i = j;
    }
    for (size_t r = 1; r <= K; r++)
        if (g_off[r] < g_off[r - 1])
            g_off[r] = g_off[r - 1];
    free(pairs);
    fprintf(stderr, "gen_clusters: %zu tokens, %zu words, %zu clustered, %zu context pairs\n",
            g_nstream, g_nwords, K, m);
}

/* ------------------------------------------------------------------ */
/* The exchange algorithm                                               */
/* ------------------------------------------------------------------ */

static double *g_flog;          /* x log x for x < FTAB */

static inline double xlogx(uint64_t x)
{
    return x < FTAB ? g_flog[x] : (double)x * log((double)x);
}

static uint16_t *exchange(unsigned C, unsigned iters)
{
    uint16_t *cls = xcalloc(K, sizeof *cls);
    uint32_t *M = xcalloc(NCTX * C, sizeof *M);
    uint64_t *Nc = xcalloc(C, sizeof *Nc);
    double *gain = xcalloc(C, sizeof *gain);
    for (size_t r = 0; r < K; r++) {
        cls[r] = (uint16_t)(r % C);
        for (size_t p = g_off[r]; p < g_off[r + 1]; p++)
            M[(size_t)g_ctx[p] * C + cls[r]] += g_cnt[p];
        Nc[cls[r]] += g_tot[r];
    }
    for (unsigned it = 0; it < iters; it++) {
        size_t moved = 0;
        for (size_t r = 0; r < K; r++) {
            unsigned a = cls[r];
            uint64_t tot = g_tot[r];
            for (size_t p = g_off[r]; p < g_off[r + 1]; p++)
                M[(size_t)g_ctx[p] * C + a] -= g_cnt[p];
            Nc[a] -= tot;
            for (unsigned b = 0; b < C; b++)
                gain[b] = xlogx(Nc[b]) - xlogx(Nc[b] + tot);
            for (size_t p = g_off[r]; p < g_off[r + 1]; p++) {
                const uint32_t *row = M + (size_t)g_ctx[p] * C;
                uint32_t n = g_cnt[p];
                for (unsigned b = 0; b < C; b++)
                    gain[b] += xlogx((uint64_t)row[b] + n) - xlogx(row[b]);
            }
            unsigned best = a;
            for (unsigned b = 0; b < C; b++)
                if (gain[b] > gain[best] + 1e-9)
                    best = b;
            for (size_t p = g_off[r]; p < g_off[r + 1]; p++)
                M[(size_t)g_ctx[p] * C + best] += g_cnt[p];
            Nc[best] += tot;
            if (best != a) {
                cls[r] = (uint16_t)best;
                moved++;
            }
        }
        double ll = 0;
        for (size_t i = 0; i < NCTX * C; i++)
            ll += xlogx(M[i]);
        for (unsigned b = 0; b < C; b++)
            ll -= xlogx(Nc[b]);
        fprintf(stderr, "gen_clusters: C=%u pass %u: %zu moved, objective %.1f\n", C, it + 1,
                moved, ll);
        if (moved * 1000 < K)
            break;
    }
    free(M);
    free(Nc);
    free(gain);
    return cls;
}

/* ------------------------------------------------------------------ */
/* Output                                                               */
/* ------------------------------------------------------------------ */

static void write_c(const char *path, uint16_t **cls, const unsigned *C, size_t ng,
                    const char *options)
{
    unsigned bits = 4;
    while (((size_t)1 << bits) < 2 * K)
        bits++;
    size_t slots = (size_t)1 << bits, mask = slots - 1;
    uint32_t *key = xcalloc(slots, sizeof *key);
    uint32_t *at = xcalloc(slots, sizeof *at);
    /* Insert in hash order: the table does not depend on the ranks. */
    uint64_t *hs = xcalloc(K, sizeof *hs);
    for (size_t r = 0; r < K; r++)
        hs[r] = g_words[g_byrank[r]].h;
    qsort(hs, K, sizeof *hs, cmp_u64);
    for (size_t i = 0; i < K; i++) {
        /* A slot keeps the high half of the hash, the home slot the low
         * bits: two words must differ in one of them. */
        if (!(hs[i] >> 32))
            die("a word's hash has 0 for its high half");
        size_t j = (size_t)hs[i] & mask;
        while (key[j]) {
            if (key[j] == (uint32_t)(hs[i] >> 32))
                die("two words share a slot key");
            j = (j + 1) & mask;
        }
        key[j] = (uint32_t)(hs[i] >> 32);
    }
    for (size_t r = 0; r < K; r++) {
        uint64_t h = g_words[g_byrank[r]].h;
        size_t j = (size_t)h & mask;
        while (key[j] != (uint32_t)(h >> 32))
            j = (j + 1) & mask;
        at[j] = (uint32_t)r + 1;
    }
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot write the output");
    fprintf(f, "/* Generated by tools/gen_clusters.c (make clusters); do not edit.\n"
               " * Word clusters for the entity tagger (lexicon.h): the high half of\n"
               " * the 64-bit FNV-1a hash of a word's lowercase form (no words) and\n"
               " * its class at each granularity, in an open-addressing table whose\n"
               " * home slot is the hash's low bits (linear probing, key 0 = empty).\n"
               " * %zu words, classes", K);
    for (size_t g = 0; g < ng; g++)
        fprintf(f, " %u", C[g]);
    fprintf(f, "; %s. */\n#include \"lexicon.h\"\n\n", options);
    fprintf(f, "const unsigned mh_ner_cluster_bits = %u;\n\n", bits);
    fprintf(f, "const mh_ner_cluster mh_ner_cluster_table[%zu] = {\n", slots);
    for (size_t j = 0; j < slots; j++) {
        if (key[j]) {
            fprintf(f, "{0x%08x,{", (unsigned)key[j]);
            for (size_t g = 0; g < MH_NER_CLUSTER_GRAN; g++)
                fprintf(f, "%s%u", g ? "," : "", g < ng ? (unsigned)cls[g][at[j] - 1] : 0u);
            fputs("}},", f);
        } else {
            fputs("{0},", f);
        }
        if (j % 8 == 7)
            fputc('\n', f);
    }
    fprintf(f, "};\n");
    if (fclose(f) != 0)
        die("cannot write the output");
    free(key);
    free(at);
    free(hs);
}

static void write_dump(const char *path, uint16_t **cls, size_t ng)
{
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot write the dump");
    for (size_t r = 0; r < K; r++) {
        const word *w = &g_words[g_byrank[r]];
        fprintf(f, "%s\t%llu", w->s, (unsigned long long)w->count);
        for (size_t g = 0; g < ng; g++)
            fprintf(f, "\t%u", cls[g][r]);
        fputc('\n', f);
    }
    fclose(f);
}

int main(int argc, char **argv)
{
    size_t vocab = 100000;
    uint64_t min_count = 2;
    unsigned iters = 15, C[MAX_GRAN] = { 64, 512 };
    size_t ng = 2;
    const char *c_out = NULL, *dump = NULL;
    int first = argc;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--vocab") == 0 && i + 1 < argc) {
            vocab = (size_t)strtoul(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--min-count") == 0 && i + 1 < argc) {
            min_count = strtoull(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--iters") == 0 && i + 1 < argc) {
            iters = (unsigned)atoi(argv[++i]);
        } else if (strcmp(argv[i], "--classes") == 0 && i + 1 < argc) {
            char *s = argv[++i];
            ng = 0;
            while (*s && ng < MAX_GRAN) {
                C[ng++] = (unsigned)strtoul(s, &s, 10);
                if (*s == ',')
                    s++;
            }
        } else if (strcmp(argv[i], "--c-out") == 0 && i + 1 < argc) {
            c_out = argv[++i];
        } else if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc) {
            dump = argv[++i];
        } else {
            first = i;
            break;
        }
    }
    if (first >= argc || ng != MH_NER_CLUSTER_GRAN)
        die("usage: gen_clusters [--vocab K] [--min-count M] [--classes C1,C2] [--iters N] "
            "[--c-out FILE] [--dump FILE] INPUT...");
    for (size_t g = 0; g < ng; g++)
        if (C[g] < 2 || C[g] > 65535)
            die("a class count must be 2..65535");
    g_an = mh_analyzer_new();
    if (!g_an)
        die("out of memory");
    for (int i = first; i < argc; i++)
        add_path(argv[i]);
    mh_analyzer_free(g_an);
    build_contexts(vocab, min_count);
    g_flog = xcalloc(FTAB, sizeof *g_flog);
    for (uint32_t x = 1; x < FTAB; x++)
        g_flog[x] = (double)x * log((double)x);
    uint16_t *cls[MAX_GRAN];
    for (size_t g = 0; g < ng; g++)
        cls[g] = exchange(C[g], iters);
    char options[200];
    snprintf(options, sizeof options, "at least %llu occurrences, at most %u passes",
             (unsigned long long)min_count, iters);
    if (c_out)
        write_c(c_out, cls, C, ng, options);
    if (dump)
        write_dump(dump, cls, ng);
    for (size_t g = 0; g < ng; g++)
        free(cls[g]);
    return 0;
}
