/*
 * test_minhash.c -- fingerprints, the verification rule and the copy
 * index (src/minhash.c).  The Turkish texts are written for this test.
 */
#include "testutil.h"
#include "internal.h"

#define MH_ARRAY_LEN_T(a) (sizeof(a) / sizeof((a)[0]))

/* A base text of eight sentences about an invented event. */
static const char *const base_par[] = {
    "Karadeniz Sahil Belediyesi bugün yaptığı yazılı açıklamada yeni feribot hattının "
    "önümüzdeki ay hizmete gireceğini duyurdu.",
    "Açıklamada hattın Trabzon ile Rize arasında günde dört sefer yapacağı, biletlerin "
    "ise çevrim içi satılacağı belirtildi.",
    "Belediye Başkanı Ayşe Güneşli, projenin bölge turizmine büyük katkı sağlayacağını "
    "ve kış aylarında da seferlerin süreceğini söyledi.",
    "Güneşli, ilk yıl yaklaşık yüz bin yolcu taşınmasının hedeflendiğini, öğrencilere "
    "yüzde elli indirim uygulanacağını ifade etti.",
    "Feribotların yerli tersanelerde üretildiği, her birinin dört yüz yolcu ve otuz araç "
    "kapasitesine sahip olduğu kaydedildi.",
    "Liman bölgesindeki düzenleme çalışmalarının iki hafta içinde tamamlanması "
    "bekleniyor.",
    "Esnaf odası temsilcileri de hattın çarşıdaki ticareti canlandıracağını düşündüklerini "
    "dile getirdi.",
    "Seferlerin saatleri ve ücret tarifesi gelecek hafta kamuoyuyla paylaşılacak."
};

static const char *const other_par[] = {
    "Ege Bölgesi'nde etkili olan sağanak yağış nedeniyle bazı köy yollarında ulaşım "
    "sağlanamıyor.",
    "Meteoroloji yetkilileri yağışların hafta sonuna kadar aralıklarla süreceğini, "
    "sel ve su baskınlarına karşı dikkatli olunması gerektiğini açıkladı.",
    "İzmir'de itfaiye ekipleri dün gece boyunca kırk ayrı ihbara müdahale etti.",
    "Tarım üreticileri ise hasat döneminin gecikmesinden endişe duyduklarını belirtti."
};

/* Feed (s, n) to the shingler as space-separated ASCII words, lowercased
 * and stripped of ASCII punctuation.  Only for the tests' own ASCII text. */
static void feed_ascii(mh_shingler *sh, const char *s)
{
    char w[64];
    size_t k = 0;
    for (const char *p = s;; p++) {
        char c = *p;
        int letter = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
            letter = 1;
        }
        if (letter && k < sizeof w) {
            w[k++] = c;
        } else if (k) {
            mh_shingler_add(sh, w, k);
            k = 0;
        }
        if (!*p)
            break;
    }
}

static void fp_ascii(mh_shingler *sh, const char *s, mh_fingerprint *fp)
{
    mh_shingler_reset(sh);
    feed_ascii(sh, s);
    assert_int_equal(mh_shingler_finish(sh, fp), MH_OK);
}

/* Numbered ASCII words: "w<seed>_<i>". */
static char *words(unsigned seed, unsigned from, unsigned to)
{
    size_t cap = (size_t)(to - from) * 16 + 1;
    char *s = malloc(cap), *p = s;
    for (unsigned i = from; i < to; i++)
        p += sprintf(p, "w%ux%u ", seed, i);
    *p = 0;
    return s;
}

static void test_empty_and_short(void **st)
{
    (void)st;
    mh_shingler *sh = mh_shingler_new();
    assert_non_null(sh);
    mh_fingerprint a, b;
    fp_ascii(sh, "", &a);
    assert_int_equal(a.n_shingles, 0);
    assert_int_equal(a.n_sketch, 0);
    /* Fewer tokens than a shingle still make one shingle. */
    fp_ascii(sh, "iki kelime", &a);
    assert_int_equal(a.n_shingles, 1);
    assert_int_equal(a.n_sketch, 1);
    fp_ascii(sh, "iki kelime", &b);
    assert_memory_equal(&a, &b, sizeof a);
    /* An empty fingerprint is never a copy of anything. */
    mh_fingerprint e;
    fp_ascii(sh, "", &e);
    assert_int_equal(mh_fingerprint_compare(&e, &e, NULL), 0);
    mh_shingler_free(sh);
    mh_shingler_free(NULL);
}

static void test_sketch_is_sorted_bottom_k(void **st)
{
    (void)st;
    mh_shingler *sh = mh_shingler_new();
    char *t = words(1, 0, 500);
    mh_fingerprint f;
    fp_ascii(sh, t, &f);
    assert_int_equal(f.n_shingles, 500 - MH_FP_SHINGLE + 1);
    assert_int_equal(f.n_sketch, MH_FP_SKETCH);
    for (unsigned i = 1; i < f.n_sketch; i++)
        assert_true(f.sketch[i - 1] < f.sketch[i]);
    /* Repeating the text adds no new shingle except at the seam. */
    size_t n = strlen(t);
    char *t2 = malloc(2 * n + 1);
    memcpy(t2, t, n);
    memcpy(t2 + n, t, n + 1);
    mh_fingerprint g;
    fp_ascii(sh, t2, &g);
    assert_int_equal(g.n_shingles, f.n_shingles + MH_FP_SHINGLE - 1);
    free(t);
    free(t2);
    mh_shingler_free(sh);
}

/* Jaccard and containment estimates track the truth on word sets with a
 * known overlap. */
static void test_estimates(void **st)
{
    (void)st;
    mh_shingler *sh = mh_shingler_new();
    mh_fingerprint a, b;
    mh_fp_match m;
    /* Identical. */
    char *t = words(2, 0, 400);
    fp_ascii(sh, t, &a);
    fp_ascii(sh, t, &b);
    assert_int_equal(mh_fingerprint_compare(&a, &b, &m), 1);
    assert_true(m.jaccard == 1.0 && m.containment == 1.0);
    free(t);
    /* b is the first 30% of a: containment ~1, Jaccard ~0.3. */
    t = words(3, 0, 1000);
    char *part = words(3, 0, 300);
    fp_ascii(sh, t, &a);
    fp_ascii(sh, part, &b);
    assert_int_equal(mh_fingerprint_compare(&a, &b, &m), 1);
    assert_true(m.containment > 0.99);
    assert_true(m.jaccard < 0.6);
    assert_int_equal(mh_fingerprint_compare(&b, &a, NULL), 1);   /* symmetric */
    free(part);
    /* Two halves of one text: no overlap, not copies. */
    part = words(3, 500, 1000);
    char *first = words(3, 0, 500);
    fp_ascii(sh, first, &a);
    fp_ascii(sh, part, &b);
    assert_int_equal(mh_fingerprint_compare(&a, &b, &m), 0);
    assert_true(m.containment < 0.2);
    free(part);
    free(first);
    free(t);
    /* Unrelated texts. */
    t = words(4, 0, 300);
    part = words(5, 0, 300);
    fp_ascii(sh, t, &a);
    fp_ascii(sh, part, &b);
    assert_int_equal(mh_fingerprint_compare(&a, &b, &m), 0);
    assert_true(m.jaccard == 0.0);
    free(t);
    free(part);
    mh_shingler_free(sh);
}

/* Half of the shingles shared at equal size: resemblance about 1/3. */
static void test_partial_overlap_not_copy(void **st)
{
    (void)st;
    mh_shingler *sh = mh_shingler_new();
    char *x = words(6, 0, 600), *y = words(6, 300, 900);
    mh_fingerprint a, b;
    mh_fp_match m;
    fp_ascii(sh, x, &a);
    fp_ascii(sh, y, &b);
    mh_fingerprint_compare(&a, &b, &m);
    assert_true(m.jaccard > 0.15 && m.jaccard < 0.55);
    assert_true(m.containment > 0.3 && m.containment < 0.7);
    assert_int_equal(mh_fingerprint_compare(&a, &b, NULL), 0);
    free(x);
    free(y);
    mh_shingler_free(sh);
}

static void test_days(void **st)
{
    (void)st;
    assert_int_equal(mh_day_from_date("1970-01-01", 10), 0);
    assert_int_equal(mh_day_from_date("1970-01-02T10:00", 16), 1);
    assert_int_equal(mh_day_from_date("2000-03-01", 10) - mh_day_from_date("2000-02-28", 10), 2);
    assert_int_equal(mh_day_from_date("2025-10-28", 10), 20389);
    assert_int_equal(mh_day_from_date("2025-13-01", 10), MH_DAY_UNKNOWN);
    assert_int_equal(mh_day_from_date("28.10.2025", 10), MH_DAY_UNKNOWN);
    assert_int_equal(mh_day_from_date("2025-10", 7), MH_DAY_UNKNOWN);
    assert_int_equal(mh_day_from_date(NULL, 0), MH_DAY_UNKNOWN);
}

/* Build the texts used by the index tests. */
static char *join(const char *const *par, size_t n, const size_t *order, size_t k,
                  const char *extra)
{
    size_t cap = 64 + (extra ? strlen(extra) : 0);
    for (size_t i = 0; i < n; i++)
        cap += strlen(par[i]) + 2;
    char *s = malloc(cap), *p = s;
    for (size_t i = 0; i < k; i++)
        p += sprintf(p, "%s\n", par[order ? order[i] : i]);
    if (extra)
        p += sprintf(p, "%s\n", extra);
    *p = 0;
    return s;
}

static char *ascii_fold_simple(const char *s)
{
    /* Replace the Turkish letters of our texts by ASCII (what a re-typing
     * without a Turkish keyboard gives). */
    static const char *const map[][2] = {
        {"ç", "c"}, {"ğ", "g"}, {"ı", "i"}, {"ö", "o"}, {"ş", "s"}, {"ü", "u"},
        {"Ç", "C"}, {"Ğ", "G"}, {"İ", "I"}, {"Ö", "O"}, {"Ş", "S"}, {"Ü", "U"}};
    char *out = malloc(strlen(s) + 1), *o = out;
    while (*s) {
        size_t i;
        for (i = 0; i < MH_ARRAY_LEN_T(map); i++) {
            size_t l = strlen(map[i][0]);
            if (strncmp(s, map[i][0], l) == 0) {
                *o++ = map[i][1][0];
                s += l;
                break;
            }
        }
        if (i == MH_ARRAY_LEN_T(map))
            *o++ = *s++;
    }
    *o = 0;
    return out;
}

/* Fingerprint through the real analyser (folded tokens). */
static void fp_text(mh_analyzer *an, mh_shingler *sh, const char *s, mh_fingerprint *fp)
{
    assert_int_equal(mh_fingerprint_text(an, sh, s, strlen(s), fp), MH_OK);
}

/* Each kind of copy is detected on the analysed Turkish text, and a
 * different article on another subject is not. */
static void test_copy_kinds(void **st)
{
    (void)st;
    mh_analyzer *an = mh_analyzer_new();
    mh_shingler *sh = mh_shingler_new();
    assert_non_null(an);
    size_t n = MH_ARRAY_LEN_T(base_par);
    char *base = join(base_par, n, NULL, n, NULL);
    mh_fingerprint fb, fc;
    fp_text(an, sh, base, &fb);
    assert_true(fb.n_shingles > 100);

    /* Trimmed to the first three paragraphs. */
    char *trim = join(base_par, n, NULL, 3, NULL);
    fp_text(an, sh, trim, &fc);
    assert_int_equal(mh_fingerprint_compare(&fb, &fc, NULL), 1);
    /* Reordered with two paragraphs dropped. */
    size_t ord[] = {2, 0, 1, 5, 4, 7};
    char *reo = join(base_par, n, ord, 6, NULL);
    fp_text(an, sh, reo, &fc);
    assert_int_equal(mh_fingerprint_compare(&fb, &fc, NULL), 1);
    /* Outlet boilerplate added. */
    char *boil = join(base_par, n, NULL, n,
                      "Haberin devamı için tıklayınız. Abone olun, bildirimleri açın. "
                      "Benzer Haberler: Belediyeden yeni park projesi; Sahil yolunda "
                      "çalışma var; Kış lastiği uyarısı.");
    fp_text(an, sh, boil, &fc);
    assert_int_equal(mh_fingerprint_compare(&fb, &fc, NULL), 1);
    /* ASCII-folded letters and upper case: the same tokens. */
    char *fold = ascii_fold_simple(base);
    mh_fingerprint ff;
    fp_text(an, sh, fold, &ff);
    mh_fp_match m;
    assert_int_equal(mh_fingerprint_compare(&fb, &ff, &m), 1);
    assert_true(m.jaccard == 1.0);
    /* A few words changed. */
    char *few = strdup(base);
    char *p = strstr(few, "dört sefer");
    memcpy(p, "beş", strlen("beş"));
    memmove(p + strlen("beş"), p + strlen("dört"), strlen(p + strlen("dört")) + 1);
    p = strstr(few, "yüzde elli");
    memcpy(p, "yüzde otuz", strlen("yüzde otuz"));
    fp_text(an, sh, few, &fc);
    assert_int_equal(mh_fingerprint_compare(&fb, &fc, &m), 1);
    assert_true(m.jaccard > 0.7);
    /* A different article. */
    char *other = join(other_par, MH_ARRAY_LEN_T(other_par), NULL,
                       MH_ARRAY_LEN_T(other_par), NULL);
    fp_text(an, sh, other, &fc);
    assert_int_equal(mh_fingerprint_compare(&fb, &fc, &m), 0);
    assert_true(m.containment < 0.1);
    /* The same event told in other words is not a copy. */
    const char *retold =
        "Rize ile Trabzon arasında gelecek ay başlayacak feribot seferleri için "
        "hazırlıklar sürüyor. Başkan Güneşli turizmin canlanacağını, öğrencilerin "
        "indirimli bilet alabileceğini anlattı. Gemiler yerli tersanelerde yapıldı.";
    fp_text(an, sh, retold, &fc);
    assert_int_equal(mh_fingerprint_compare(&fb, &fc, NULL), 0);

    free(base); free(trim); free(reo); free(boil); free(fold); free(few); free(other);
    mh_shingler_free(sh);
    mh_analyzer_free(an);
}

/* Index: groups, first article by date, order independence. */
typedef struct itext { int64_t id; const char *date; char *text; } itext;

static void run_index(mh_analyzer *an, mh_shingler *sh, const itext *t, size_t n,
                      const size_t *order, int64_t *first_out)
{
    mh_dupindex *x = mh_dupindex_new();
    assert_non_null(x);
    for (size_t i = 0; i < n; i++) {
        const itext *e = &t[order[i]];
        mh_fingerprint fp;
        fp_text(an, sh, e->text, &fp);
        mh_dup_result r;
        assert_int_equal(mh_dupindex_add(x, e->id, mh_day_from_date(e->date, 10), &fp, &r),
                         MH_OK);
        assert_int_equal(mh_dupindex_first(x, e->id, NULL), r.first);
    }
    for (size_t i = 0; i < n; i++)
        first_out[i] = mh_dupindex_first(x, t[i].id, NULL);
    mh_fingerprint fp;
    fp_text(an, sh, t[0].text, &fp);
    mh_dup_result r;
    assert_int_equal(mh_dupindex_add(x, t[0].id, 0, &fp, &r), MH_EDUP);
    assert_int_equal(mh_dupindex_count(x), n);
    assert_true(mh_dupindex_bytes(x) > n * sizeof(mh_fingerprint));
    mh_dupindex_free(x);
}

static void test_index_order_independent(void **st)
{
    (void)st;
    mh_analyzer *an = mh_analyzer_new();
    mh_shingler *sh = mh_shingler_new();
    size_t n = MH_ARRAY_LEN_T(base_par), no = MH_ARRAY_LEN_T(other_par);
    size_t ord[] = {1, 3, 4, 5, 6, 7};
    itext t[] = {
        {10, "2025-03-02", join(base_par, n, NULL, n, NULL)},
        {11, "2025-03-01", join(base_par, n, NULL, 4, NULL)},        /* earliest, trimmed */
        {12, "2025-03-03", join(base_par, n, ord, 6, NULL)},
        {13, "2025-03-01", join(other_par, no, NULL, no, NULL)},
        {14, "",           join(other_par, no, NULL, no, "Kaynak: haber ajansı.")},
        {15, "2025-03-05", join(other_par, no, NULL, 2, NULL)},
    };
    size_t nt = MH_ARRAY_LEN_T(t);
    /* The trimmed copy (11) and the reordered one (12) share only two
     * paragraphs, but both copy 10, so the three are one group whichever
     * comes first. */
    size_t fwd[] = {0, 1, 2, 3, 4, 5}, rev[] = {5, 4, 3, 2, 1, 0}, mix[] = {2, 4, 1, 5, 0, 3};
    int64_t f1[6], f2[6], f3[6];
    run_index(an, sh, t, nt, fwd, f1);
    run_index(an, sh, t, nt, rev, f2);
    run_index(an, sh, t, nt, mix, f3);
    for (size_t i = 0; i < nt; i++) {
        assert_int_equal(f1[i], f2[i]);
        assert_int_equal(f1[i], f3[i]);
    }
    assert_int_equal(f1[0], 11);
    assert_int_equal(f1[1], 11);
    assert_int_equal(f1[2], 11);
    /* The undated copy is never the first. */
    assert_int_equal(f1[3], 13);
    assert_int_equal(f1[4], 13);
    assert_int_equal(f1[5], 13);
    for (size_t i = 0; i < nt; i++)
        free(t[i].text);
    mh_shingler_free(sh);
    mh_analyzer_free(an);
}

/* Loading stored groups restores them, and a new copy joins them. */
static void test_index_load(void **st)
{
    (void)st;
    mh_analyzer *an = mh_analyzer_new();
    mh_shingler *sh = mh_shingler_new();
    mh_dupindex *x = mh_dupindex_new();
    size_t n = MH_ARRAY_LEN_T(base_par), no = MH_ARRAY_LEN_T(other_par);
    char *a = join(base_par, n, NULL, n, NULL), *b = join(base_par, n, NULL, 5, NULL);
    char *c = join(other_par, no, NULL, no, NULL);
    mh_fingerprint fa, fb, fc;
    fp_text(an, sh, a, &fa);
    fp_text(an, sh, b, &fb);
    fp_text(an, sh, c, &fc);
    /* Stored: 7 and 3 form group 3; 5 alone. */
    assert_int_equal(mh_dupindex_load(x, 7, mh_day_from_date("2025-01-02", 10), 3, &fa), MH_OK);
    assert_int_equal(mh_dupindex_load(x, 5, mh_day_from_date("2025-01-01", 10), 0, &fc), MH_OK);
    assert_int_equal(mh_dupindex_load(x, 3, mh_day_from_date("2025-01-01", 10), 3, &fa), MH_OK);
    size_t size;
    assert_int_equal(mh_dupindex_first(x, 7, &size), 3);
    assert_int_equal(size, 2);
    assert_int_equal(mh_dupindex_first(x, 5, &size), 5);
    assert_int_equal(size, 1);
    mh_dup_result r;
    assert_int_equal(mh_dupindex_add(x, 9, mh_day_from_date("2024-12-31", 10), &fb, &r), MH_OK);
    assert_int_equal(r.first, 9);
    assert_int_equal(r.size, 3);
    assert_int_equal(r.n_merged, 1);
    assert_int_equal(r.merged[0], 3);
    assert_int_equal(mh_dupindex_first(x, 3, NULL), 9);
    assert_int_equal(mh_dupindex_first(x, 42, &size), 0);
    assert_int_equal(mh_dupindex_add(x, 0, 0, &fb, &r), MH_EINVAL);
    free(a); free(b); free(c);
    mh_dupindex_free(x);
    mh_shingler_free(sh);
    mh_analyzer_free(an);
}

/* Reserving room changes no answer: the multimap's chains and the
 * idmap's values are those of tables grown as they fill, and the adds
 * up to the reserved count copy nothing (the arrays stay where they are). */
static void test_reserve(void **st)
{
    (void)st;
    enum { N = 5000 };
    mh_multimap a = { 0 }, b = { 0 };
    assert_int_equal(mh_multimap_reserve(&b, N), MH_OK);
    uint32_t *head = b.head, *key = b.key;
    for (uint32_t i = 0; i < N; i++) {
        uint32_t k = (i * 2654435761u) % 700;     /* several entries a key */
        assert_int_equal(mh_multimap_add(&a, k, i), MH_OK);
        assert_int_equal(mh_multimap_add(&b, k, i), MH_OK);
    }
    assert_ptr_equal(b.head, head);
    assert_ptr_equal(b.key, key);
    assert_int_equal(a.mask, b.mask);
    for (uint32_t k = 0; k < 700; k++) {
        uint32_t ea = mh_multimap_first(&a, k), eb = mh_multimap_first(&b, k);
        while (ea != MH_MULTIMAP_END || eb != MH_MULTIMAP_END) {
            assert_true(ea != MH_MULTIMAP_END && eb != MH_MULTIMAP_END);
            assert_int_equal(a.val[ea], b.val[eb]);
            ea = mh_multimap_next(&a, ea, k);
            eb = mh_multimap_next(&b, eb, k);
        }
    }
    mh_multimap_free(&a);
    mh_multimap_free(&b);

    mh_idmap m = { 0 };
    assert_int_equal(mh_idmap_reserve(&m, N), MH_OK);
    int64_t *mk = m.key;
    for (int64_t id = 1; id <= N; id++)
        assert_int_equal(mh_idmap_put(&m, id * 7919, (uint32_t)id), MH_OK);
    assert_ptr_equal(m.key, mk);
    for (int64_t id = 1; id <= N; id++)
        assert_int_equal(mh_idmap_get(&m, id * 7919), (uint32_t)id);
    assert_int_equal(mh_idmap_get(&m, 13), MH_IDMAP_NONE);
    mh_idmap_free(&m);

    /* A copy index loaded after a reserve answers as one loaded without;
     * a reserve that fails leaves it usable. */
    mh_shingler *sh = mh_shingler_new();
    char *t = words(9, 0, 2000);
    mh_fingerprint f;
    fp_ascii(sh, t, &f);
    mh_dupindex *x = mh_dupindex_new(), *y = mh_dupindex_new();
    assert_int_equal(mh_dupindex_reserve(y, 3000), MH_OK);
    for (int64_t id = 1; id <= 3000; id++) {
        f.bands[0] = (uint32_t)id;
        assert_int_equal(mh_dupindex_load(x, id, 0, id % 10 ? id : 1, &f), MH_OK);
        assert_int_equal(mh_dupindex_load(y, id, 0, id % 10 ? id : 1, &f), MH_OK);
    }
    mh_dup_result rx, ry;
    f.bands[0] = 1;
    assert_int_equal(mh_dupindex_add(x, 5000, 0, &f, &rx), MH_OK);
    assert_int_equal(mh_dupindex_add(y, 5000, 0, &f, &ry), MH_OK);
    assert_int_equal(rx.first, ry.first);
    assert_int_equal(rx.size, ry.size);
    assert_int_equal(rx.n_merged, ry.n_merged);
    for (size_t i = 0; i < rx.n_merged; i++)
        assert_int_equal(rx.merged[i], ry.merged[i]);
    mh_dupindex_free(x);
    mh_dupindex_free(y);
    x = mh_dupindex_new();
    mh_set_alloc_fail(2);
    mh_err e = mh_dupindex_reserve(x, 100000);
    mh_set_alloc_fail(0);
    assert_true(e == MH_OK || e == MH_ENOMEM);
    assert_int_equal(mh_dupindex_load(x, 1, 0, 0, &f), MH_OK);
    assert_int_equal(mh_dupindex_first(x, 1, NULL), 1);
    mh_dupindex_free(x);
    free(t);
    mh_shingler_free(sh);
}

/* Allocation failures come back as MH_ENOMEM and leave the index usable. */
static void test_alloc_failures(void **st)
{
    (void)st;
    mh_shingler *sh = mh_shingler_new();
    char *t = words(9, 0, 2000);
    mh_fingerprint f;
    fp_ascii(sh, t, &f);
    for (unsigned long k = 1; k < 40; k++) {
        mh_dupindex *x = mh_dupindex_new();
        if (!x)
            continue;
        mh_set_alloc_fail(k);
        mh_dup_result r;
        mh_err e = MH_OK;
        for (int64_t id = 1; id <= 3000 && e == MH_OK; id++) {
            f.bands[0] = (uint32_t)id;     /* spread keys over the tables */
            e = mh_dupindex_add(x, id, 0, &f, &r);
        }
        mh_set_alloc_fail(0);
        assert_true(e == MH_OK || e == MH_ENOMEM);
        mh_dupindex_free(x);
    }
    mh_set_alloc_fail(3);
    mh_shingler *s2 = mh_shingler_new();
    if (s2) {
        mh_shingler_reset(s2);
        feed_ascii(s2, t);
        mh_err e = mh_shingler_finish(s2, &f);
        assert_true(e == MH_OK || e == MH_ENOMEM);
    }
    mh_set_alloc_fail(0);
    mh_shingler_free(s2);
    free(t);
    mh_shingler_free(sh);
}

/* The copy index and the fingerprints, failing each allocation in turn:
 * a failed call is MH_ENOMEM and changes nothing (the same add again
 * succeeds), a fingerprint is the unhindered one, and the groups at the
 * end are those of the unhindered run. */
static void test_alloc_sweep_index(void **st)
{
    (void)st;
    enum { N = 14 };
    mh_fingerprint fp[N];
    int32_t day[N];
    mh_shingler *sh = mh_shingler_new();
    assert_non_null(sh);
    for (int i = 0; i < N; i++) {
        /* Pairs and trimmed copies of a few texts, and loners. */
        unsigned seed = (unsigned)(i % 5), from = (unsigned)(i / 5) * 40;
        char *t = words(seed + 1, from, 260 + (unsigned)i);
        fp_ascii(sh, t, &fp[i]);
        free(t);
        day[i] = 20000 + (i * 7) % 5;
    }
    mh_dupindex *ref = mh_dupindex_new();
    assert_non_null(ref);
    for (int i = 0; i < N; i++) {
        mh_dup_result r;
        assert_int_equal(mh_dupindex_add(ref, i + 1, day[i], &fp[i], &r), MH_OK);
    }
    int64_t want_first[N];
    size_t want_size[N];
    int grouped = 0;
    for (int i = 0; i < N; i++) {
        want_first[i] = mh_dupindex_first(ref, i + 1, &want_size[i]);
        grouped += want_size[i] > 1;
    }
    assert_true(grouped >= 6);
    mh_dupindex_free(ref);

    int complete = 0, failed = 0;
    TU_SWEEP(k, 100000) {
        tu_fail(k);
        mh_dupindex *x = mh_dupindex_new();
        int clean;
        if (!x) {
            clean = tu_unarm();
            failed++;
            continue;
        }
        for (int i = 0; i < N; i++) {
            mh_dup_result r;
            mh_err e = mh_dupindex_add(x, i + 1, day[i], &fp[i], &r);
            if (e == MH_ENOMEM) {
                failed++;
                /* Nothing of it stayed: unhindered, the same add works. */
                unsigned long left = mh_alloc_fail_left();
                mh_set_alloc_fail(0);
                e = mh_dupindex_add(x, i + 1, day[i], &fp[i], &r);
                mh_set_alloc_fail(left);
            }
            assert_int_equal(e, MH_OK);
            assert_int_equal(r.first, mh_dupindex_first(x, i + 1, NULL));
        }
        clean = tu_unarm();
        assert_int_equal(mh_dupindex_count(x), N);
        for (int i = 0; i < N; i++) {
            size_t size = 0;
            assert_int_equal(mh_dupindex_first(x, i + 1, &size), want_first[i]);
            assert_int_equal(size, want_size[i]);
        }
        mh_dupindex_free(x);
        if (clean) {
            complete = 1;
            break;
        }
    }
    assert_true(complete);
    assert_true(failed > 3);

    /* Fingerprints of text, with one analyzer and shingler kept. */
    mh_analyzer *an = mh_analyzer_new();
    assert_non_null(an);
    const char *text = "Kıyı kentinde yeni iskele hizmete girdi. Liman İşletmesi Müdürü "
                       "Selin Aksoy, iskelenin yılda iki milyon ton yük taşıyacağını söyledi. "
                       "Törene Vali Mehmet Demir de katıldı.";
    mh_fingerprint want;
    assert_int_equal(mh_fingerprint_text(an, sh, text, strlen(text), &want), MH_OK);
    assert_true(want.n_shingles > 10);
    complete = 0;
    TU_SWEEP(k, 100000) {
        mh_fingerprint got;
        tu_fail(k);
        mh_err e = mh_fingerprint_text(an, sh, text, strlen(text), &got);
        int clean = tu_unarm();
        if (e == MH_OK)
            assert_memory_equal(&got, &want, sizeof got);
        else
            assert_int_equal(e, MH_ENOMEM);
        /* And the next one, unhindered, is right. */
        assert_int_equal(mh_fingerprint_text(an, sh, text, strlen(text), &got), MH_OK);
        assert_memory_equal(&got, &want, sizeof got);
        if (clean) {
            complete = 1;
            break;
        }
    }
    assert_true(complete);
    mh_analyzer_free(an);
    mh_shingler_free(sh);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_and_short),
        cmocka_unit_test(test_sketch_is_sorted_bottom_k),
        cmocka_unit_test(test_estimates),
        cmocka_unit_test(test_partial_overlap_not_copy),
        cmocka_unit_test(test_days),
        cmocka_unit_test(test_copy_kinds),
        cmocka_unit_test(test_index_order_independent),
        cmocka_unit_test(test_index_load),
        cmocka_unit_test(test_reserve),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_alloc_sweep_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
