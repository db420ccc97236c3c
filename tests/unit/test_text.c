/*
 * test_text.c -- sentences, tokens, stems, mh_unglue, and the golden
 * fixtures of the text stages (tests/golden/text, sentences, tokens).
 *
 * Golden fixtures are found under $MUHABIR_SRCDIR (default: the current
 * directory, the repository root when run by tests/run.sh).  Seed pages
 * are read from $MUHABIR_SHARED and the tests that need them skip when it
 * is absent.
 */
#include "testutil.h"
#include "internal.h"

#include <dirent.h>
#include <libstemmer.h>
#include <stdbool.h>
#include <unistd.h>

/* `muhabir analyze`, for its allocation-failure sweep (cli_* stubs below). */
#include "../../cli/cmd_analyze.c"

static mh_analyzer *an;

static int setup(void **state)
{
    (void)state;
    an = mh_analyzer_new();
    return an ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    mh_analyzer_free(an);
    an = NULL;
    return 0;
}

/* Clean then analyse a literal. */
static mh_doc *analyze_str(const char *s, unsigned opts)
{
    char *c = NULL;
    size_t cl = 0;
    mh_doc *d = NULL;
    assert_int_equal(mh_clean(s, strlen(s), MH_CLEAN_LINES, &c, &cl), MH_OK);
    assert_int_equal(mh_analyze(an, c, cl, opts, &d), MH_OK);
    mh_free(c);
    return d;
}

static void assert_span(const mh_doc *d, size_t i, const char *want)
{
    assert_true(i < d->n_sentences);
    assert_str_eq_n(d->text + d->sentences[i].start,
                    d->sentences[i].end - d->sentences[i].start, want);
}

static const mh_token *find_tok(const mh_doc *d, const char *surface)
{
    size_t n = strlen(surface);
    for (size_t i = 0; i < d->n_tokens; i++) {
        const mh_token *t = &d->tokens[i];
        if (t->full_end - t->start == n && memcmp(d->text + t->start, surface, n) == 0)
            return t;
    }
    fail_msg("no token \"%s\"", surface);
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Sentences                                                           */
/* ------------------------------------------------------------------ */

static void test_sentences_basic(void **state)
{
    (void)state;
    mh_doc *d = analyze_str("Prof. Dr. Ayşe Kaya geldi. Toplantı 28.10.2025 günü 3. salonda "
                            "yapıldı. Oran 4.2 oldu.", 0);
    assert_int_equal(d->n_sentences, 3);
    assert_span(d, 0, "Prof. Dr. Ayşe Kaya geldi.");
    assert_span(d, 1, "Toplantı 28.10.2025 günü 3. salonda yapıldı.");
    assert_span(d, 2, "Oran 4.2 oldu.");
    mh_doc_free(d);
}

static void test_sentences_glued(void **state)
{
    (void)state;
    mh_doc *d = analyze_str("Bunu dün söyledi.Belarus'un başkentinde konuştu.", 0);
    assert_int_equal(d->n_sentences, 2);
    assert_span(d, 0, "Bunu dün söyledi.");
    assert_span(d, 1, "Belarus'un başkentinde konuştu.");
    mh_doc_free(d);
    /* A domain in capitals is not a glued sentence. */
    d = analyze_str("Haber HABER7.COM sitesinde çıktı.", 0);
    assert_int_equal(d->n_sentences, 1);
    mh_doc_free(d);
    /* A heading in capitals ending in a question glued to the sentence
     * after it: two sentences. */
    d = analyze_str("BAŞVURULAR NASIL YAPILACAK?Kampanyadan yararlanmak isteyenler "
                    "başvurdu.", 0);
    assert_int_equal(d->n_sentences, 2);
    assert_span(d, 0, "BAŞVURULAR NASIL YAPILACAK?");
    assert_span(d, 1, "Kampanyadan yararlanmak isteyenler başvurdu.");
    mh_doc_free(d);
}

static void test_sentences_quotes(void **state)
{
    (void)state;
    /* The reporting clause stays with a multi-sentence quotation. */
    mh_doc *d = analyze_str("Vali, \"Yollar açık. Okullar tatil.\" dedi. Kar sürüyor.", 0);
    assert_int_equal(d->n_sentences, 2);
    assert_span(d, 0, "Vali, \"Yollar açık. Okullar tatil.\" dedi.");
    mh_doc_free(d);
    d = analyze_str("Vali, 'Ankara'nın desteği var. Çözeceğiz' sözlerine yer verdi.", 0);
    assert_int_equal(d->n_sentences, 1);
    mh_doc_free(d);
    /* Curly quotes are normalised by mh_clean first. */
    d = analyze_str("O, \xE2\x80\x9C" "Bitti.\xE2\x80\x9D" " dedi.", 0);
    assert_int_equal(d->n_sentences, 1);
    mh_doc_free(d);
}

static void test_sentences_lines(void **state)
{
    (void)state;
    mh_doc *d = analyze_str("Başlık satırı\nGövde cümlesi bir. Gövde iki\n\nSon satır", 0);
    assert_int_equal(d->n_sentences, 4);
    assert_span(d, 0, "Başlık satırı");
    assert_span(d, 3, "Son satır");
    /* Spans are ordered and inside the text. */
    for (size_t i = 0; i < d->n_sentences; i++) {
        assert_true(d->sentences[i].start < d->sentences[i].end);
        assert_true(d->sentences[i].end <= d->text_len);
        if (i)
            assert_true(d->sentences[i - 1].end <= d->sentences[i].start);
    }
    mh_doc_free(d);
}

/* ------------------------------------------------------------------ */
/* Tokens                                                              */
/* ------------------------------------------------------------------ */

static void test_tokens_apostrophe(void **state)
{
    (void)state;
    mh_doc *d = analyze_str("Lavrov'un İstanbul'daki Antlaşması'nın", 0);
    assert_int_equal(d->n_tokens, 3);
    const mh_token *t = &d->tokens[0];
    assert_int_equal(t->start, 0);
    assert_int_equal(t->end, 6);
    assert_int_equal(t->full_end, 9);
    assert_str_eq_n(t->norm, t->norm_len, "lavrov");
    assert_str_eq_n(t->suffix, t->suffix_len, "un");
    assert_true(t->flags & MH_TOK_APOS);
    assert_true(t->flags & MH_TOK_CAP);
    assert_true(t->flags & MH_TOK_SENT0);
    t = &d->tokens[1];
    assert_str_eq_n(d->text + t->start, t->end - t->start, "İstanbul");
    assert_str_eq_n(t->norm, t->norm_len, "istanbul");
    assert_str_eq_n(t->suffix, t->suffix_len, "daki");
    assert_str_eq_n(t->fold, t->fold_len, "istanbul");
    t = &d->tokens[2];
    assert_str_eq_n(t->norm, t->norm_len, "antlaşması");
    assert_str_eq_n(t->suffix, t->suffix_len, "nın");
    assert_str_eq_n(t->stem, t->stem_len, "antlaşma");
    mh_doc_free(d);
}

/* An ending glued to capitals without its apostrophe, as scraped pages
 * lose it: "ABDnin" is ABD + nin, as "ABD'nin" is; what is not such an
 * ending stays in the word; MH_AN_NOGLUE keeps every such word whole. */
static void test_tokens_glued_ending(void **state)
{
    (void)state;
    mh_doc *d = analyze_str("ABDnin kararı NATOya iletildi. TBMMde CHPli vekiller "
                            "PDFs ve McDonald ile GameStop.", 0);
    const mh_token *t = find_tok(d, "ABDnin");
    assert_int_equal(t->end - t->start, 3);
    assert_str_eq_n(t->norm, t->norm_len, "abd");
    assert_str_eq_n(t->suffix, t->suffix_len, "nin");
    assert_true((t->flags & (MH_TOK_APOS | MH_TOK_GLUED | MH_TOK_ALLCAPS | MH_TOK_CAP)) ==
                (MH_TOK_APOS | MH_TOK_GLUED | MH_TOK_ALLCAPS | MH_TOK_CAP));
    t = find_tok(d, "NATOya");
    assert_str_eq_n(t->norm, t->norm_len, "nato");
    assert_str_eq_n(t->suffix, t->suffix_len, "ya");
    t = find_tok(d, "TBMMde");
    assert_str_eq_n(t->norm, t->norm_len, "tbmm");
    t = find_tok(d, "CHPli");
    assert_str_eq_n(t->norm, t->norm_len, "chp");
    static const char *const whole[] = { "PDFs", "McDonald", "GameStop", "kararı" };
    for (size_t i = 0; i < 4; i++) {
        t = find_tok(d, whole[i]);
        assert_int_equal(t->end, t->full_end);
        assert_false(t->flags & MH_TOK_GLUED);
    }
    mh_doc_free(d);
    d = analyze_str("ABDnin kararı", MH_AN_NOGLUE);
    t = find_tok(d, "ABDnin");
    assert_str_eq_n(t->norm, t->norm_len, "abdnin");
    assert_false(t->flags & (MH_TOK_GLUED | MH_TOK_APOS));
    mh_doc_free(d);
    /* One analyzer, the same short text both ways, in either order: the
     * memo of titles and leads must not answer for the other way. */
    static const char title[] = "ABDnin kararı";
    static const unsigned ways[2][2] = { { 0, MH_AN_NOSTEM | MH_AN_NOGLUE },
                                         { MH_AN_NOGLUE, 0 } };
    for (int w = 0; w < 2; w++) {
        mh_analyzer *an = mh_analyzer_new();
        assert_non_null(an);
        for (int k = 0; k < 2; k++) {
            assert_int_equal(mh_analyze(an, title, strlen(title), ways[w][k], &d), MH_OK);
            t = &d->tokens[0];
            int glued = !(ways[w][k] & MH_AN_NOGLUE);
            assert_int_equal(t->end - t->start, glued ? 3 : 6);
            assert_int_equal(!!(t->flags & MH_TOK_GLUED), glued);
            mh_doc_free(d);
        }
        mh_analyzer_free(an);
    }
}

static void test_tokens_quote_vs_apostrophe(void **state)
{
    (void)state;
    mh_doc *d = analyze_str("'Rusya'nın kaybetmesini isteyenler var'", 0);
    assert_int_equal(d->n_tokens, 4);
    const mh_token *t = &d->tokens[0];
    assert_int_equal(t->start, 1);          /* the quote mark is not part of it */
    assert_str_eq_n(t->norm, t->norm_len, "rusya");
    assert_str_eq_n(t->suffix, t->suffix_len, "nın");
    t = &d->tokens[3];
    assert_str_eq_n(t->norm, t->norm_len, "var");
    assert_int_equal(t->suffix_len, 0);
    assert_int_equal(t->full_end, t->end);
    mh_doc_free(d);
    /* A capital after the apostrophe is not a suffix. */
    d = analyze_str("konuşulmuyor'Lavrov", 0);
    assert_int_equal(d->n_tokens, 2);
    assert_int_equal(d->tokens[0].suffix_len, 0);
    mh_doc_free(d);
}

static void test_tokens_numbers_hyphen(void **state)
{
    (void)state;
    mh_doc *d = analyze_str("Putin-Trump 28.10.2025 4,3 1.000 G20", 0);
    assert_int_equal(d->n_tokens, 6);
    assert_str_eq_n(d->tokens[0].norm, d->tokens[0].norm_len, "putin");
    assert_str_eq_n(d->tokens[1].norm, d->tokens[1].norm_len, "trump");
    for (size_t i = 2; i < 5; i++)
        assert_true(d->tokens[i].flags & MH_TOK_NUM);
    assert_str_eq_n(d->tokens[2].norm, d->tokens[2].norm_len, "28.10.2025");
    assert_str_eq_n(d->tokens[3].norm, d->tokens[3].norm_len, "4,3");
    assert_str_eq_n(d->tokens[4].norm, d->tokens[4].norm_len, "1.000");
    assert_true(d->tokens[5].flags & MH_TOK_WORD);
    assert_true(d->tokens[5].flags & MH_TOK_ALLCAPS);
    mh_doc_free(d);
}

static void test_tokens_offsets(void **state)
{
    (void)state;
    mh_doc *d = analyze_str("Çığ düştü. IŞIK ve ışık, İZMİR'DE görüldü.", 0);
    for (size_t i = 0; i < d->n_tokens; i++) {
        const mh_token *t = &d->tokens[i];
        assert_true(t->start < t->end && t->end <= t->full_end && t->full_end <= d->text_len);
        /* The norm is the Turkish lowercase of the surface. */
        char *low = NULL;
        size_t ll = 0;
        assert_int_equal(mh_tr_lower(d->text + t->start, t->end - t->start, &low, &ll), MH_OK);
        assert_str_eq_n(t->norm, t->norm_len, low);
        mh_free(low);
    }
    const mh_token *t = find_tok(d, "IŞIK");
    assert_str_eq_n(t->norm, t->norm_len, "ışık");
    assert_str_eq_n(t->fold, t->fold_len, "isik");
    assert_true(t->flags & MH_TOK_ALLCAPS);
    assert_int_equal(t->sentence, 1);
    assert_true(t->flags & MH_TOK_SENT0);
    t = find_tok(d, "İZMİR'DE");
    assert_str_eq_n(t->norm, t->norm_len, "izmir");
    assert_str_eq_n(t->suffix, t->suffix_len, "de");
    mh_doc_free(d);
}

/* ------------------------------------------------------------------ */
/* Stems and the search requirements                                   */
/* ------------------------------------------------------------------ */

typedef struct first_tok {
    char stem_fold[128];
    char fold[128];
    int n;
} first_tok;

static int grab_first(void *ctx, const mh_token *t)
{
    first_tok *f = ctx;
    snprintf(f->stem_fold, sizeof f->stem_fold, "%.*s", (int)t->stem_fold_len, t->stem_fold);
    snprintf(f->fold, sizeof f->fold, "%.*s", (int)t->fold_len, t->fold);
    f->n++;
    return 1;   /* stop after the first token */
}

/* The stem fold and fold of the first token of a text. */
static first_tok first_of(const char *text)
{
    first_tok f;
    memset(&f, 0, sizeof f);
    int rc = mh_tokenize(an, text, strlen(text), 0, grab_first, &f);
    assert_int_equal(rc, 1);
    assert_int_equal(f.n, 1);
    return f;
}

/* The stem fold of the token with this surface in a document. */
static void doc_forms(const char *text, const char *surface, char *stem_fold, char *fold)
{
    mh_doc *d = analyze_str(text, 0);
    const mh_token *t = find_tok(d, surface);
    snprintf(stem_fold, 128, "%.*s", (int)t->stem_fold_len, t->stem_fold);
    snprintf(fold, 128, "%.*s", (int)t->fold_len, t->fold);
    mh_doc_free(d);
}

static void test_stem_rules(void **state)
{
    (void)state;
    size_t n = 0;
    const char *s = mh_stem(an, "antlaşması", strlen("antlaşması"), &n);
    assert_str_eq_n(s, n, "antlaşma");
    s = mh_stem(an, "görüşmesi", strlen("görüşmesi"), &n);
    assert_str_eq_n(s, n, "görüşme");
    /* R1 keeps short roots: "sesi" is ses + i. */
    s = mh_stem(an, "sesi", strlen("sesi"), &n);
    assert_str_eq_n(s, n, "ses");
    /* Cached answers are the same as fresh ones. */
    s = mh_stem(an, "antlaşması", strlen("antlaşması"), &n);
    assert_str_eq_n(s, n, "antlaşma");
    /* Words with digits are their own stem. */
    s = mh_stem(an, "g20", 3, &n);
    assert_str_eq_n(s, n, "g20");
    /* Snowball turns a final c into ç, a longer UTF-8 string: the stem
     * must stay valid UTF-8 (it once lost the second byte of ç). */
    s = mh_stem(an, "opec", 4, &n);
    assert_true(mh_utf8_valid(s, n));
    assert_str_eq_n(s, n, "opec");
}

static void test_search_requirements(void **state)
{
    (void)state;
    char sf[128], f[128];
    /* "antlaşma" must meet "Antlaşması'nın". */
    first_tok q = first_of("antlaşma");
    doc_forms("Barış Antlaşması'nın maddeleri açıklandı.", "Antlaşması'nın", sf, f);
    assert_string_equal(q.stem_fold, sf);
    /* "istanbul" must meet "İstanbul'daki", by fold and by stem. */
    q = first_of("istanbul");
    doc_forms("Dün İstanbul'daki zirve başladı.", "İstanbul'daki", sf, f);
    assert_string_equal(q.fold, f);
    assert_string_equal(q.stem_fold, sf);
    /* "gorusme" (typed without diacritics) must meet "görüşme" and
     * "görüşmesi". */
    q = first_of("gorusme");
    doc_forms("Kritik görüşme yarın.", "görüşme", sf, f);
    assert_string_equal(q.fold, f);
    assert_string_equal(q.stem_fold, sf);
    doc_forms("İki liderin görüşmesi sürüyor.", "görüşmesi", sf, f);
    assert_string_equal(q.stem_fold, sf);
}

static void test_names_not_overstemmed(void **state)
{
    (void)state;
    mh_doc *d = analyze_str("Görüşmeye Lavrov ve Putin katıldı, Putin'in sözleri dikkat çekti.", 0);
    const mh_token *t = find_tok(d, "Lavrov");
    assert_str_eq_n(t->stem, t->stem_len, "lavrov");
    t = find_tok(d, "Putin");
    assert_str_eq_n(t->stem, t->stem_len, "putin");
    t = find_tok(d, "Putin'in");
    assert_str_eq_n(t->stem, t->stem_len, "putin");
    mh_doc_free(d);
}

static void test_nostem(void **state)
{
    (void)state;
    mh_doc *d = analyze_str("Görüşmeler sürüyor", MH_AN_NOSTEM);
    assert_int_equal(d->n_tokens, 2);
    assert_str_eq_n(d->tokens[0].stem, d->tokens[0].stem_len, "görüşmeler");
    assert_str_eq_n(d->tokens[0].stem_fold, d->tokens[0].stem_fold_len, "gorusmeler");
    mh_doc_free(d);
}

/* ------------------------------------------------------------------ */
/* Tokenizer engine properties                                         */
/* ------------------------------------------------------------------ */

static int count_cb(void *ctx, const mh_token *t)
{
    (void)t;
    (*(size_t *)ctx)++;
    return 0;
}

static int stop_cb(void *ctx, const mh_token *t)
{
    (void)t;
    (*(size_t *)ctx)++;
    return 7;
}

static void test_tokenize_stop_and_noalloc(void **state)
{
    (void)state;
    const char *text = "Rusya Dışişleri Bakanı Lavrov'un İstanbul'daki görüşmesi sürüyor. "
                       "Görüşmeler 28.10.2025 tarihinde de devam edecek.";
    size_t n = 0;
    assert_int_equal(mh_tokenize(an, text, strlen(text), 0, stop_cb, &n), 7);
    assert_int_equal(n, 1);
    n = 0;
    assert_int_equal(mh_tokenize(an, text, strlen(text), 0, count_cb, &n), 0);
    assert_int_equal(n, 13);
    /* Warm: buffers grown and stems cached, so a second pass allocates
     * nothing: failing the next allocation changes nothing. */
    size_t m = 0;
    mh_set_alloc_fail(1);
    int rc = mh_tokenize(an, text, strlen(text), 0, count_cb, &m);
    mh_set_alloc_fail(0);
    assert_int_equal(rc, 0);
    assert_int_equal(m, n);
}

/* Two analyses agree in every sentence and every token field. */
static void assert_same_doc(const mh_doc *a, const mh_doc *b)
{
    assert_int_equal(a->n_sentences, b->n_sentences);
    for (size_t i = 0; i < a->n_sentences; i++) {
        assert_int_equal(a->sentences[i].start, b->sentences[i].start);
        assert_int_equal(a->sentences[i].end, b->sentences[i].end);
    }
    assert_int_equal(a->n_tokens, b->n_tokens);
    for (size_t i = 0; i < a->n_tokens; i++) {
        const mh_token *x = &a->tokens[i], *y = &b->tokens[i];
        assert_int_equal(x->start, y->start);
        assert_int_equal(x->end, y->end);
        assert_int_equal(x->full_end, y->full_end);
        assert_int_equal(x->sentence, y->sentence);
        assert_int_equal(x->flags, y->flags);
        assert_str_eq_n(x->norm, x->norm_len, y->norm);
        assert_str_eq_n(x->suffix, x->suffix_len, y->suffix);
        assert_str_eq_n(x->fold, x->fold_len, y->fold);
        assert_str_eq_n(x->stem, x->stem_len, y->stem);
        assert_str_eq_n(x->stem_fold, x->stem_fold_len, y->stem_fold);
    }
}

/* A short text analysed again by the same analyzer (the memo replays it,
 * with or without stems) gives what a fresh analyzer gives; a run that a
 * callback stopped is never replayed. */
static void test_memo_replay(void **state)
{
    (void)state;
    const char *texts[] = {
        "Rusya Dışişleri Bakanı Lavrov'un İstanbul'daki görüşmesi sürüyor. "
        "Görüşmeler 28.10.2025 tarihinde de devam edecek.",
        "ISPARTA'DA \"kesin\" dedi. Dr. Ayşe Çelik'in açıklaması.Covid-19 sonrası "
        "T.C. Başbakanlığı'nın kararları; haber7.com yazdı!",
        "Tek cümle",
    };
    unsigned opts[] = { MH_AN_NOSTEM, 0, MH_AN_NOSTEM };
    for (size_t i = 0; i < MH_ARRAY_LEN(texts); i++) {
        const char *t = texts[i];
        size_t n = strlen(t), k = 0;
        /* A stopped run first: nothing of it may be kept. */
        assert_int_equal(mh_tokenize(an, t, n, 0, stop_cb, &k), 7);
        for (size_t j = 0; j < MH_ARRAY_LEN(opts); j++) {
            mh_analyzer *fresh = mh_analyzer_new();
            assert_non_null(fresh);
            mh_doc *want = NULL, *got = NULL, *first = NULL;
            assert_int_equal(mh_analyze(fresh, t, n, opts[j], &want), MH_OK);
            assert_int_equal(mh_analyze(an, t, n, 0, &first), MH_OK);
            assert_int_equal(mh_analyze(an, t, n, opts[j], &got), MH_OK);
            assert_same_doc(want, got);
            mh_doc_free(want);
            mh_doc_free(got);
            mh_doc_free(first);
            mh_analyzer_free(fresh);
        }
    }
}

static void test_analyze_alloc_failures(void **state)
{
    (void)state;
    const char *text = "Bakan \"Yarın başlıyoruz.\" dedi. Görüşme İstanbul'da yapılacak.";
    int ok = 0;
    for (unsigned long i = 1; i < 200 && !ok; i++) {
        mh_analyzer *a = NULL;
        mh_doc *d = NULL;
        mh_set_alloc_fail(i);
        a = mh_analyzer_new();
        mh_err e = a ? mh_analyze(a, text, strlen(text), 0, &d) : MH_ENOMEM;
        mh_set_alloc_fail(0);
        if (e == MH_OK) {
            assert_non_null(d);
            assert_int_equal(d->n_sentences, 2);
            ok = 1;
        } else {
            assert_int_equal(e, MH_ENOMEM);
            assert_null(d);
        }
        mh_doc_free(d);
        mh_analyzer_free(a);
    }
    assert_true(ok);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    mh_doc *d = NULL;
    assert_int_equal(mh_analyze(NULL, "a", 1, 0, &d), MH_EINVAL);
    assert_int_equal(mh_analyze(an, NULL, 1, 0, &d), MH_EINVAL);
    assert_int_equal(mh_analyze(an, "a", 1, 0, NULL), MH_EINVAL);
    assert_int_equal(mh_analyze(an, "", 0, 0, &d), MH_OK);
    assert_int_equal(d->n_sentences, 0);
    assert_int_equal(d->n_tokens, 0);
    mh_doc_free(d);
    mh_doc_free(NULL);
    mh_analyzer_free(NULL);
    assert_int_equal(mh_tokenize(NULL, "a", 1, 0, count_cb, NULL), MH_EINVAL);
}

/* ------------------------------------------------------------------ */
/* Pathological inputs (no timing asserts; the runner has a time limit) */
/* ------------------------------------------------------------------ */

static void test_pathological_quotes(void **state)
{
    (void)state;
    const size_t n = 100000;
    /* Each of these once made some scan quadratic: quote searches, line
     * starts, words before a terminator, domain labels. */
    const char *pats[] = { "\"", "\"a ", "'a ", "a'", "a. \"", "'", "x.Y", "a.b",
                           "ab.Cd.", "x'yyyyyyyyyyyyyyyy", "dedi.\"A" };
    for (size_t p = 0; p < MH_ARRAY_LEN(pats); p++) {
        size_t pl = strlen(pats[p]);
        char *s = malloc(n * pl + 1);
        assert_non_null(s);
        for (size_t i = 0; i < n; i++)
            memcpy(s + i * pl, pats[p], pl);
        s[n * pl] = 0;
        mh_doc *d = NULL;
        assert_int_equal(mh_analyze(an, s, n * pl, 0, &d), MH_OK);
        assert_true(d->n_sentences >= 1);
        mh_doc_free(d);
        free(s);
    }
}

static void test_pathological_long_line(void **state)
{
    (void)state;
    const size_t n = 10u << 20;
    const char *w = "kelime, İstanbul'da 4.2 oldu. ";
    size_t wl = strlen(w);
    char *s = malloc(n + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        s[i] = w[i % wl];
    /* Cut on a character boundary. */
    size_t len = n - (n % wl);
    s[len] = 0;
    size_t count = 0;
    assert_int_equal(mh_tokenize(an, s, len, 0, count_cb, &count), 0);
    assert_int_equal(count, (len / wl) * 4);
    /* One giant word. */
    memset(s, 'a', n);
    count = 0;
    assert_int_equal(mh_tokenize(an, s, n, 0, count_cb, &count), 0);
    assert_int_equal(count, 1);
    free(s);
}

/* Random bytes, even invalid UTF-8 (not clean text, against the
 * contract), never crash and keep the span invariants. */
static void test_random_input(void **state)
{
    (void)state;
    unsigned seed = 777;
    const char alphabet[] = "aAıİşŞ.'\"!? \n3,-…’";
    char buf[300];
    for (int round = 0; round < 3000; round++) {
        size_t n = (size_t)(round % 290) + 1;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = (seed >> 16) & 0xFF;
            buf[i] = round % 4 == 0 ? (char)r : alphabet[r % (sizeof alphabet - 1)];
        }
        mh_doc *d = NULL;
        assert_int_equal(mh_analyze(an, buf, n, 0, &d), MH_OK);
        for (size_t i = 0; i < d->n_sentences; i++) {
            assert_true(d->sentences[i].start < d->sentences[i].end);
            assert_true(d->sentences[i].end <= n);
            if (i)
                assert_true(d->sentences[i - 1].end <= d->sentences[i].start);
        }
        for (size_t i = 0; i < d->n_tokens; i++) {
            const mh_token *t = &d->tokens[i];
            assert_true(t->start < t->end && t->end <= t->full_end && t->full_end <= n);
            assert_true(t->sentence < d->n_sentences);
            assert_true(t->norm_len > 0 && t->stem_len > 0);
        }
        mh_doc_free(d);
        char *u = NULL;
        size_t ul = 0;
        assert_int_equal(mh_unglue(buf, n, &u, &ul), MH_OK);
        assert_true(ul >= n);
        mh_free(u);
    }
}

/* A token's norm and suffix are mh_tr_lower of its surface and its fold
 * is mh_tr_fold of the norm, for every kind of letter: every code point
 * of the Latin, Greek, Cyrillic and Latin Extended Additional blocks,
 * capitals I and İ (also decomposed), invalid bytes, apostrophe suffixes
 * and words too long for the tokenizer's fixed arrays. */
static void check_forms(const char *text, size_t n, unsigned opts)
{
    mh_doc *d = NULL;
    assert_int_equal(mh_analyze(an, text, n, opts, &d), MH_OK);
    assert_true(d->n_tokens > 0);
    for (size_t i = 0; i < d->n_tokens; i++) {
        const mh_token *t = &d->tokens[i];
        char *low = NULL, *fold = NULL;
        size_t ll = 0, fl = 0;
        assert_int_equal(mh_tr_lower(text + t->start, t->end - t->start, &low, &ll), MH_OK);
        assert_str_eq_n(t->norm, t->norm_len, low);
        assert_int_equal(mh_tr_fold(t->norm, t->norm_len, &fold, &fl), MH_OK);
        assert_str_eq_n(t->fold, t->fold_len, fold);
        mh_free(low);
        mh_free(fold);
        if (t->full_end > t->end) {
            assert_int_equal(mh_tr_lower(text + t->end + 1, t->full_end - t->end - 1,
                                         &low, &ll), MH_OK);
            assert_str_eq_n(t->suffix, t->suffix_len, low);
            mh_free(low);
        } else {
            assert_int_equal(t->suffix_len, 0);
        }
    }
    mh_doc_free(d);
}

static void test_token_forms(void **state)
{
    (void)state;
    static const unsigned ranges[][2] = {
        { 0x41, 0x5A }, { 0xC0, 0x24F }, { 0x370, 0x3FF }, { 0x400, 0x52F },
        { 0x1E00, 0x1FFF }, { 0x2C60, 0x2C7F }, { 0xA720, 0xA7FF },
    };
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (size_t r = 0; r < MH_ARRAY_LEN(ranges); r++)
        for (unsigned cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
            /* "Ax", "Ix'Ab" and "İx" around every code point x. */
            static const char *const pre[] = { "A", "I", "\xC4\xB0" };
            const char *p = pre[cp % 3];
            memcpy(buf + n, p, strlen(p));
            n += strlen(p);
            unsigned c = cp;
            if (c < 0x80)
                buf[n++] = (char)c;
            else if (c < 0x800) {
                buf[n++] = (char)(0xC0 | c >> 6);
                buf[n++] = (char)(0x80 | (c & 0x3F));
            } else {
                buf[n++] = (char)(0xE0 | c >> 12);
                buf[n++] = (char)(0x80 | (c >> 6 & 0x3F));
                buf[n++] = (char)(0x80 | (c & 0x3F));
            }
            const char *post = cp % 5 == 0 ? "'Ab " : cp % 7 == 0 ? "I\xCC\x87 " : " ";
            memcpy(buf + n, post, strlen(post));
            n += strlen(post);
        }
    /* Invalid bytes inside words, and words longer than the fixed arrays
     * (128 bytes), of ASCII and of two- and three-byte letters. */
    const char *odd = "A\xC4Z I\xFF\xFEI \xC3\xA7\xE2\x80 ";
    memcpy(buf + n, odd, strlen(odd));
    n += strlen(odd);
    for (int w = 0; w < 3; w++) {
        static const char *const unit[] = { "Iz", "\xC4\xB0\xC3\xA7", "\xE1\xB8\x80" };
        for (int k = 0; k < 200; k++) {
            memcpy(buf + n, unit[w], strlen(unit[w]));
            n += strlen(unit[w]);
        }
        memcpy(buf + n, "'DAKI ", 6);
        n += 6;
    }
    check_forms(buf, n, 0);
    check_forms(buf, n, MH_AN_NOSTEM);
    free(buf);
}

/* ------------------------------------------------------------------ */
/* Unglue                                                              */
/* ------------------------------------------------------------------ */

static void check_unglue(const char *in, const char *want)
{
    char *out = NULL;
    size_t ol = 0;
    assert_int_equal(mh_unglue(in, strlen(in), &out, &ol), MH_OK);
    assert_str_eq_n(out, ol, want);
    mh_free(out);
}

static void test_unglue(void **state)
{
    (void)state;
    check_unglue("Bunu söyledi.Belarus'un başkenti", "Bunu söyledi. Belarus'un başkenti");
    check_unglue("Bunu vurguladı.'Anlaşma yakın' dedi.", "Bunu vurguladı. 'Anlaşma yakın' dedi.");
    check_unglue("'Takvim belirlenmedi'Bakan açıkladı.", "'Takvim belirlenmedi' Bakan açıkladı.");
    check_unglue("ŞARTLARI NELER?Başvurular yarın", "ŞARTLARI NELER? Başvurular yarın");
    check_unglue("DİKKAT!Hamilelikte su", "DİKKAT! Hamilelikte su");
    /* Left alone: domains, abbreviations, decimals, dates. */
    check_unglue("HABER7.COM ve haber7.com.tr", "HABER7.COM ve haber7.com.tr");
    check_unglue("T.C. ve A.Ş. 4.2 ile 28.10.2025 Dr.Ahmet", "T.C. ve A.Ş. 4.2 ile 28.10.2025 Dr.Ahmet");
    check_unglue("", "");
}

/* ------------------------------------------------------------------ */
/* Seeds                                                               */
/* ------------------------------------------------------------------ */

static char *read_seed(const char *prefix, size_t *len)
{
    const char *sh = tu_shared();
    if (!sh)
        return NULL;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/seeds", sh);
    DIR *dp = opendir(dir);
    if (!dp)
        return NULL;
    struct dirent *de;
    char *res = NULL;
    while ((de = readdir(dp))) {
        if (strncmp(de->d_name, prefix, strlen(prefix)) == 0) {
            char path[8192];
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
            res = tu_read_file(path, len);
            break;
        }
    }
    closedir(dp);
    return res;
}

static void test_seed_glued(void **state)
{
    (void)state;
    size_t n = 0;
    char *raw = read_seed("004", &n);
    if (!raw)
        skip();
    char *c = NULL;
    size_t cl = 0;
    assert_int_equal(mh_clean(raw, n, MH_CLEAN_LINES, &c, &cl), MH_OK);
    mh_doc *d = NULL;
    assert_int_equal(mh_analyze(an, c, cl, 0, &d), MH_OK);
    /* The glued "söyledi.Belarus" is two sentences, and the ordinal
     * "3. Avrasya" does not end one. */
    int glued = 0;
    for (size_t i = 0; i + 1 < d->n_sentences; i++) {
        const mh_span *a = &d->sentences[i], *b = &d->sentences[i + 1];
        size_t al = a->end - a->start;
        if (al >= 9 && memcmp(d->text + a->end - 9, "söyledi.", 9) == 0 &&
            strncmp(d->text + b->start, "Belarus", 7) == 0)
            glued = 1;
        assert_false(al >= 3 && memcmp(d->text + a->end - 3, " 3.", 3) == 0);
    }
    assert_true(glued);
    mh_doc_free(d);
    mh_free(c);
    free(raw);
}

static void test_seeds_invariants(void **state)
{
    (void)state;
    const char *prefixes[] = { "000", "001", "002", "003", "004" };
    int seen = 0;
    for (size_t p = 0; p < MH_ARRAY_LEN(prefixes); p++) {
        size_t n = 0;
        char *raw = read_seed(prefixes[p], &n);
        if (!raw)
            continue;
        seen++;
        char *c = NULL;
        size_t cl = 0;
        assert_int_equal(mh_clean(raw, n, MH_CLEAN_LINES, &c, &cl), MH_OK);
        assert_true(mh_utf8_valid(c, cl));
        assert_null(strstr(c, "\xE2\x80\x99"));   /* ’ normalised */
        assert_null(strchr(c, '\r'));
        mh_doc *d = NULL;
        assert_int_equal(mh_analyze(an, c, cl, 0, &d), MH_OK);
        assert_true(d->n_sentences > 3);
        size_t s = 0;
        for (size_t i = 0; i < d->n_tokens; i++) {
            const mh_token *t = &d->tokens[i];
            while (s < d->n_sentences && d->sentences[s].end <= t->start)
                s++;
            assert_int_equal(t->sentence, s);
            assert_true(t->full_end <= d->sentences[s].end);
            assert_true(t->stem_len > 0 && t->norm_len > 0);
            /* No sentence ends right after a title abbreviation. */
        }
        for (size_t i = 0; i < d->n_sentences; i++) {
            const mh_span *sp = &d->sentences[i];
            assert_false(sp->end - sp->start >= 4 &&
                         memcmp(d->text + sp->end - 4, " Dr.", 4) == 0);
        }
        mh_doc_free(d);
        mh_free(c);
        free(raw);
    }
    if (!seen)
        skip();
}

/* ------------------------------------------------------------------ */
/* Golden fixtures                                                     */
/* ------------------------------------------------------------------ */

typedef struct block {
    char name[256];
    bool lines_opt;
    char *input, *expected;   /* malloc'd, lines joined with '\n' */
    size_t input_len;         /* the input may hold NUL bytes (UTF-16) */
} block;

static const char *srcdir(void)
{
    const char *s = getenv("MUHABIR_SRCDIR");
    return s && *s ? s : ".";
}

/* Append with escapes decoded (\xHH, \u{H..}, \t, \r, \n, \\). */
static size_t unescape(char *dst, const char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\' || i + 1 >= n) {
            dst[o++] = s[i];
            continue;
        }
        char e = s[i + 1];
        if (e == 'x' && i + 3 < n) {
            char hex[3] = { s[i + 2], s[i + 3], 0 };
            dst[o++] = (char)strtoul(hex, NULL, 16);
            i += 3;
        } else if (e == 'u' && i + 2 < n && s[i + 2] == '{') {
            size_t j = i + 3;
            unsigned long cp = strtoul(s + j, NULL, 16);
            while (j < n && s[j] != '}')
                j++;
            i = j;
            if (cp < 0x80) {
                dst[o++] = (char)cp;
            } else if (cp < 0x800) {
                dst[o++] = (char)(0xC0 | (cp >> 6));
                dst[o++] = (char)(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                dst[o++] = (char)(0xE0 | (cp >> 12));
                dst[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                dst[o++] = (char)(0x80 | (cp & 0x3F));
            } else {
                dst[o++] = (char)(0xF0 | (cp >> 18));
                dst[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
                dst[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                dst[o++] = (char)(0x80 | (cp & 0x3F));
            }
        } else if (e == 't') {
            dst[o++] = '\t';
            i++;
        } else if (e == 'r') {
            dst[o++] = '\r';
            i++;
        } else if (e == 'n') {
            dst[o++] = '\n';
            i++;
        } else if (e == '\\') {
            dst[o++] = '\\';
            i++;
        } else {
            dst[o++] = s[i];
        }
    }
    return o;
}

/* Parse the next block of a fixture file at *p; false at the end. */
static bool next_block(char **p, block *b, bool escapes)
{
    char *s = *p;
    memset(b, 0, sizeof *b);
    /* Find "=== ". */
    while (*s && strncmp(s, "=== ", 4) != 0) {
        char *nl = strchr(s, '\n');
        s = nl ? nl + 1 : s + strlen(s);
    }
    if (!*s)
        return false;
    char *nl = strchr(s, '\n');
    size_t hl = nl ? (size_t)(nl - s) : strlen(s);
    snprintf(b->name, sizeof b->name, "%.*s", (int)(hl - 4), s + 4);
    b->lines_opt = strstr(b->name, "[lines]") != NULL;
    s = nl ? nl + 1 : s + hl;
    char *sep = strstr(s, "\n---\n");
    assert_non_null(sep);
    char *in_end = sep;
    char *ex = sep + 5;
    char *next = strstr(ex, "\n=== ");
    char *ex_end = next ? next : ex + strlen(ex);
    /* Drop trailing newlines and blank lines of the expected block. */
    while (ex_end > ex && ex_end[-1] == '\n')
        ex_end--;
    b->input = malloc((size_t)(in_end - s) + 1);
    b->expected = malloc((size_t)(ex_end - ex) + 1);
    assert_non_null(b->input);
    assert_non_null(b->expected);
    size_t il = escapes ? unescape(b->input, s, (size_t)(in_end - s)) : (size_t)(in_end - s);
    if (!escapes)
        memcpy(b->input, s, il);
    b->input[il] = 0;
    b->input_len = il;
    size_t el = escapes ? unescape(b->expected, ex, (size_t)(ex_end - ex)) : (size_t)(ex_end - ex);
    if (!escapes)
        memcpy(b->expected, ex, el);
    b->expected[el] = 0;
    *p = next ? next + 1 : ex_end;
    return true;
}

/* Print a line diff of expected and got; returns 1 when they differ. */
static int diff(const char *file, const char *name, const char *exp, const char *got)
{
    if (strcmp(exp, got) == 0)
        return 0;
    printf("golden %s: \"%s\" differs\n", file, name);
    const char *a = exp, *b = got;
    while (*a || *b) {
        const char *ae = strchr(a, '\n'), *be = strchr(b, '\n');
        size_t al = ae ? (size_t)(ae - a) : strlen(a), bl = be ? (size_t)(be - b) : strlen(b);
        if (al == bl && memcmp(a, b, al) == 0) {
            printf("   %.*s\n", (int)al, a);
        } else {
            if (*a)
                printf(" - %.*s\n", (int)al, a);
            if (*b)
                printf(" + %.*s\n", (int)bl, b);
        }
        a += al + (ae ? 1 : 0);
        b += bl + (be ? 1 : 0);
    }
    return 1;
}

typedef char *(*render_fn)(const block *b);

static void append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *buf = realloc(*buf, *cap);
        assert_non_null(*buf);
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = 0;
}

static char *render_clean(const block *b)
{
    char *c = NULL;
    size_t cl = 0;
    assert_int_equal(mh_clean(b->input, b->input_len, b->lines_opt ? MH_CLEAN_LINES : 0,
                              &c, &cl), MH_OK);
    char *r = strdup(c);
    mh_free(c);
    return r;
}

static char *render_sentences(const block *b)
{
    mh_doc *d = analyze_str(b->input, 0);
    char *out = NULL;
    size_t len = 0, cap = 0;
    append(&out, &len, &cap, "", 0);
    for (size_t i = 0; i < d->n_sentences; i++) {
        if (i)
            append(&out, &len, &cap, "\n", 1);
        append(&out, &len, &cap, d->text + d->sentences[i].start,
               d->sentences[i].end - d->sentences[i].start);
    }
    mh_doc_free(d);
    return out;
}

static char *render_tokens(const block *b)
{
    mh_doc *d = analyze_str(b->input, 0);
    char *out = NULL;
    size_t len = 0, cap = 0;
    append(&out, &len, &cap, "", 0);
    for (size_t i = 0; i < d->n_tokens; i++) {
        const mh_token *t = &d->tokens[i];
        char line[1024];
        int k = snprintf(line, sizeof line, "%s%u %.*s %.*s%s%.*s %.*s", i ? "\n" : "",
                         t->sentence, (int)(t->full_end - t->start), d->text + t->start,
                         (int)t->norm_len, t->norm, t->suffix_len ? "+" : "",
                         (int)t->suffix_len, t->suffix, (int)t->stem_len, t->stem);
        static const struct { unsigned f; const char *n; } names[] = {
            { MH_TOK_NUM, "NUM" }, { MH_TOK_CAP, "CAP" }, { MH_TOK_ALLCAPS, "ALLCAPS" },
            { MH_TOK_APOS, "APOS" }, { MH_TOK_SENT0, "SENT0" },
        };
        for (size_t f = 0; f < MH_ARRAY_LEN(names); f++)
            if (t->flags & names[f].f)
                k += snprintf(line + k, sizeof line - (size_t)k, " %s", names[f].n);
        append(&out, &len, &cap, line, (size_t)k);
    }
    mh_doc_free(d);
    return out;
}

/* Run every fixture file of one stage; returns the number of blocks. */
static int run_stage(const char *stage, render_fn fn, bool escapes, int *failures)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/golden/%s", srcdir(), stage);
    DIR *dp = opendir(dir);
    if (!dp)
        return -1;
    struct dirent *de;
    int blocks = 0;
    while ((de = readdir(dp))) {
        size_t nl = strlen(de->d_name);
        if (nl < 5 || strcmp(de->d_name + nl - 4, ".txt") != 0)
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        char *text = tu_read_file(path, NULL);
        assert_non_null(text);
        char *p = text;
        block b;
        while (next_block(&p, &b, escapes)) {
            char *got = fn(&b);
            *failures += diff(path, b.name, b.expected, got);
            blocks++;
            free(got);
            free(b.input);
            free(b.expected);
        }
        free(text);
    }
    closedir(dp);
    return blocks;
}

static void test_golden(void **state)
{
    (void)state;
    int failures = 0;
    int a = run_stage("text", render_clean, true, &failures);
    int b = run_stage("sentences", render_sentences, false, &failures);
    int c = run_stage("tokens", render_tokens, false, &failures);
    if (a < 0 && b < 0 && c < 0)
        skip();
    assert_true(a > 0 && b > 0 && c > 0);
    if (failures)
        fail_msg("%d golden block(s) differ", failures);
}

/*
 * The stem cache does not ask Snowball about words it provably gives back
 * unchanged (stem.c, snowball_keeps).  That rests on a reading of the
 * Turkish algorithm, so it is checked here against the installed
 * libstemmer: every word of the sample corpus, every prefix of each (so
 * that every last letter and length occurs), and each with endings added
 * that end in the letters the rules look at.  Every word the predicate
 * keeps must come back from Snowball as it is.
 */
static int keeps_check(struct sb_stemmer *sb, const char *w, size_t n, size_t *checked)
{
    if (!mh_stem_snowball_keeps(w, n))
        return 1;
    (*checked)++;
    const sb_symbol *out = sb_stemmer_stem(sb, (const sb_symbol *)w, (int)n);
    int len = sb_stemmer_length(sb);
    if (!out || (size_t)len != n || memcmp(out, w, n) != 0) {
        print_error("Snowball changes '%.*s' (to '%.*s') though it is said to keep it\n",
                    (int)n, w, out ? len : 0, out ? (const char *)out : "");
        return 0;
    }
    return 1;
}

static void test_snowball_keeps(void **state)
{
    (void)state;
    static const char *const endings[] = {
        "k", "r", "z", "ş", "d", "g", "b", "c", "ğ", "m", "n", "s", "y", "t",
        "lar", "ler", "dır", "dir", "tur", "dük", "tık", "sak", "sek", "iz",
        "ız", "uz", "üz", "muş", "miş", "mış", "müş", "ken", "ki", "cik",
    };
    struct sb_stemmer *sb = sb_stemmer_new("turkish", "UTF_8");
    assert_non_null(sb);
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/examples/corpus", srcdir());
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    size_t checked = 0, files = 0;
    int ok = 1;
    char buf[256];
    while ((e = readdir(d)) != NULL && ok) {
        if (e->d_name[0] == '.')
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len = 0;
        char *text = tu_read_file(path, &len);
        if (!text)
            continue;
        files++;
        mh_doc *doc = NULL;
        if (mh_analyze(an, text, len, 0, &doc) == MH_OK) {
            for (size_t i = 0; i < doc->n_tokens && ok; i++) {
                const mh_token *t = &doc->tokens[i];
                if (!(t->flags & MH_TOK_WORD) || t->norm_len + 8 > sizeof buf)
                    continue;
                for (size_t k = 1; k <= t->norm_len && ok; k++)
                    if (k == t->norm_len || ((unsigned char)t->norm[k] & 0xC0) != 0x80)
                        ok = keeps_check(sb, t->norm, k, &checked);
                for (size_t j = 0; j < MH_ARRAY_LEN(endings) && ok; j++) {
                    int n = snprintf(buf, sizeof buf, "%.*s%s", (int)t->norm_len, t->norm,
                                     endings[j]);
                    ok = keeps_check(sb, buf, (size_t)n, &checked);
                }
            }
        }
        mh_doc_free(doc);
        free(text);
    }
    closedir(d);
    sb_stemmer_delete(sb);
    assert_true(ok);
    assert_true(files >= 20);
    /* The check must have looked at many words, or it proves nothing. */
    assert_true(checked > 10000);
}

/* ------------------------------------------------------------------ */
/* Allocation failures: every allocation of the text stages in turn    */
/* ------------------------------------------------------------------ */

/* Names, a role, a quotation, a date, an abbreviation, a glued
 * sentence, an apostrophe suffix: every path of the analyser allocates. */
static const char oom_text[] =
    "İçişleri Bakanı Ahmet Yılmaz, \"Çalışmalar Ankara'da sürüyor. Ekipler hazır.\" dedi.\n"
    "Yılmaz'ın açıklaması 28.10.2025 tarihinde yapıldı. Dr. Ayşe Kaya, görüşmelerin "
    "sürdüğünü söyledi.Belediye ekipleri İSTANBUL'DAKİ çalışmalara 4,5 milyon lira ayırdı.";

static int same_bytes(const char *a, size_t an_, const char *b, size_t bn)
{
    return an_ == bn && (an_ == 0 || memcmp(a, b, an_) == 0);
}

/* Two analyses are the same to the last byte of every form. */
static void assert_docs_identical(const mh_doc *a, const mh_doc *b)
{
    assert_true(same_bytes(a->text, a->text_len, b->text, b->text_len));
    assert_int_equal(a->n_sentences, b->n_sentences);
    for (size_t i = 0; i < a->n_sentences; i++) {
        assert_int_equal(a->sentences[i].start, b->sentences[i].start);
        assert_int_equal(a->sentences[i].end, b->sentences[i].end);
    }
    assert_int_equal(a->n_tokens, b->n_tokens);
    for (size_t i = 0; i < a->n_tokens; i++) {
        const mh_token *s = &a->tokens[i], *t = &b->tokens[i];
        assert_int_equal(s->start, t->start);
        assert_int_equal(s->end, t->end);
        assert_int_equal(s->full_end, t->full_end);
        assert_int_equal(s->sentence, t->sentence);
        assert_int_equal(s->flags, t->flags);
        if (!same_bytes(s->norm, s->norm_len, t->norm, t->norm_len) ||
            !same_bytes(s->suffix, s->suffix_len, t->suffix, t->suffix_len) ||
            !same_bytes(s->fold, s->fold_len, t->fold, t->fold_len) ||
            !same_bytes(s->stem, s->stem_len, t->stem, t->stem_len) ||
            !same_bytes(s->stem_fold, s->stem_fold_len, t->stem_fold, t->stem_fold_len))
            fail_msg("token %zu differs: %.*s/%.*s vs %.*s/%.*s", i, (int)s->norm_len, s->norm,
                     (int)s->stem_len, s->stem, (int)t->norm_len, t->norm, (int)t->stem_len,
                     t->stem);
    }
}

/* mh_analyze with a fresh analyzer, and with one analyzer kept across
 * the whole sweep (its stem cache must not keep anything half-made from
 * a failed call): an error is MH_ENOMEM with no document, a document is
 * the whole right one, and the kept analyzer still answers right after
 * every failure. */
static void test_analyze_alloc_sweep(void **state)
{
    (void)state;
    mh_doc *ref = NULL, *ref_ns = NULL;
    mh_analyzer *ra = mh_analyzer_new();
    assert_non_null(ra);
    assert_int_equal(mh_analyze(ra, oom_text, strlen(oom_text), 0, &ref), MH_OK);
    assert_int_equal(mh_analyze(ra, oom_text, strlen(oom_text), MH_AN_NOSTEM, &ref_ns), MH_OK);
    mh_analyzer_free(ra);
    assert_int_equal(ref->n_sentences, 4);
    mh_analyzer *kept = mh_analyzer_new();
    assert_non_null(kept);
    int complete = 0, failed = 0;
    TU_SWEEP(k, 100000) {
        for (int pass = 0; pass < 3; pass++) {
            mh_analyzer *a = pass == 0 ? NULL : kept;
            mh_doc *d = NULL;
            unsigned opts = pass == 2 ? MH_AN_NOSTEM : 0;
            tu_fail(k);
            if (pass == 0)
                a = mh_analyzer_new();
            mh_err e = a ? mh_analyze(a, oom_text, strlen(oom_text), opts, &d) : MH_ENOMEM;
            int clean = tu_unarm();
            if (e == MH_OK) {
                assert_non_null(d);
                assert_docs_identical(d, opts ? ref_ns : ref);
                complete += clean && pass == 0;
            } else {
                assert_int_equal(e, MH_ENOMEM);
                assert_null(d);
                failed++;
            }
            mh_doc_free(d);
            if (pass == 0)
                mh_analyzer_free(a);
            /* The kept analyzer after a failure: the whole right answer. */
            if (pass > 0) {
                d = NULL;
                assert_int_equal(mh_analyze(kept, oom_text, strlen(oom_text), opts, &d), MH_OK);
                assert_docs_identical(d, opts ? ref_ns : ref);
                mh_doc_free(d);
            }
        }
        if (complete)
            break;
    }
    assert_true(complete);
    assert_true(failed > 10);
    mh_analyzer_free(kept);
    mh_doc_free(ref);
    mh_doc_free(ref_ns);
}

/* The tokens as text, in plain malloc memory (the test's own allocations
 * must not meet the armed failure). */
typedef struct tok_list {
    char *p;
    size_t len, cap;
} tok_list;

static void tl_add(tok_list *l, const char *s, size_t n)
{
    if (l->len + n + 1 > l->cap) {
        l->cap = (l->len + n + 1) * 2;
        l->p = realloc(l->p, l->cap);
        assert_non_null(l->p);
    }
    memcpy(l->p + l->len, s, n);
    l->len += n;
    l->p[l->len] = 0;
}

static int tok_add(void *ctx, const mh_token *t)
{
    tok_list *l = ctx;
    char line[64];
    snprintf(line, sizeof line, "%u %u %u %u %x|", t->start, t->end, t->full_end, t->sentence,
             t->flags);
    tl_add(l, line, strlen(line));
    tl_add(l, t->norm, t->norm_len);
    tl_add(l, "|", 1);
    tl_add(l, t->stem, t->stem_len);
    tl_add(l, "|", 1);
    tl_add(l, t->stem_fold, t->stem_fold_len);
    tl_add(l, "\n", 1);
    return 0;
}

/* The other entry points of the text stages: mh_clean, mh_tr_lower,
 * mh_tr_fold, mh_unglue, mh_stem and mh_tokenize.  Each returns
 * MH_ENOMEM (NULL for mh_stem) or exactly what it returns unhindered. */
static void test_text_alloc_sweep(void **state)
{
    (void)state;
    static const char raw[] = "\xef\xbb\xbf\xe2\x80\x9c" "Barış\xe2\x80\x9d  görüşmesi\r\n"
                              "İSTANBUL\xe2\x80\x99" "DA yapılacak.Bakan\xc2\xa0konuştu.\r\n";
    char *rc = NULL, *rl = NULL, *rf = NULL, *ru = NULL;
    size_t rcn = 0, rln = 0, rfn = 0, run_ = 0;
    assert_int_equal(mh_clean(raw, sizeof raw - 1, MH_CLEAN_LINES, &rc, &rcn), MH_OK);
    assert_int_equal(mh_tr_lower(rc, rcn, &rl, &rln), MH_OK);
    assert_int_equal(mh_tr_fold(rc, rcn, &rf, &rfn), MH_OK);
    assert_int_equal(mh_unglue(oom_text, strlen(oom_text), &ru, &run_), MH_OK);
    assert_non_null(strstr(ru, "söyledi. Belediye"));
    size_t sl = 0;
    mh_analyzer *ra = mh_analyzer_new();
    assert_non_null(ra);
    char stem_ref[64];
    const char *s = mh_stem(ra, "görüşmelerin", strlen("görüşmelerin"), &sl);
    assert_non_null(s);
    assert_true(sl < sizeof stem_ref);
    memcpy(stem_ref, s, sl);
    stem_ref[sl] = 0;
    tok_list tref = {NULL, 0, 0};
    assert_int_equal(mh_tokenize(ra, oom_text, strlen(oom_text), 0, tok_add, &tref), 0);
    mh_analyzer_free(ra);

    int complete = 0;
    TU_SWEEP(k, 100000) {
        char *o = NULL;
        size_t on = 0;
        int clean = 1;
        mh_err e;
#define ONE(call, want, wantn) do { \
            o = NULL; \
            tu_fail(k); \
            e = (call); \
            clean &= tu_unarm(); \
            if (e == MH_OK) { \
                assert_non_null(o); \
                assert_true(same_bytes(o, on, want, wantn)); \
            } else { \
                assert_int_equal(e, MH_ENOMEM); \
            } \
            mh_free(o); \
        } while (0)
        ONE(mh_clean(raw, sizeof raw - 1, MH_CLEAN_LINES, &o, &on), rc, rcn);
        ONE(mh_tr_lower(rc, rcn, &o, &on), rl, rln);
        ONE(mh_tr_fold(rc, rcn, &o, &on), rf, rfn);
        ONE(mh_unglue(oom_text, strlen(oom_text), &o, &on), ru, run_);
#undef ONE
        mh_analyzer *a = mh_analyzer_new();
        assert_non_null(a);
        tu_fail(k);
        s = mh_stem(a, "görüşmelerin", strlen("görüşmelerin"), &sl);
        clean &= tu_unarm();
        if (s)
            assert_true(same_bytes(s, sl, stem_ref, strlen(stem_ref)));
        tok_list t = {NULL, 0, 0};
        tu_fail(k);
        int r = mh_tokenize(a, oom_text, strlen(oom_text), 0, tok_add, &t);
        clean &= tu_unarm();
        if (r == 0)
            assert_true(same_bytes(t.p, t.len, tref.p, tref.len));
        else
            assert_int_equal(r, MH_ENOMEM);
        free(t.p);
        mh_analyzer_free(a);
        if (clean) {
            complete = 1;
            break;
        }
    }
    assert_true(complete);
    free(tref.p);
    mh_free(rc);
    mh_free(rl);
    mh_free(rf);
    mh_free(ru);
}

/* `muhabir analyze --json`: the command is compiled in here, with the
 * three helpers of cli/main.c it calls, and its standard output caught
 * in a file.  cJSON allocates through mh_malloc too, so the JSON builder
 * meets failures as well: the command fails with nothing on standard
 * output, or prints the one right answer. */
int cli_usage(const char *cmd, const char *fmt, ...)
{
    (void)cmd;
    (void)fmt;
    return CLI_USAGE;
}

void cli_err(const char *fmt, ...) { (void)fmt; }

char *cli_read_all(const char *path, size_t *len) { return tu_read_file(path, len); }

static char *run_captured(int (*cmd)(int, char **), int argc, char **argv, int *rc)
{
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    fflush(stdout);
    int saved = dup(1);
    assert_true(saved >= 0);
    assert_true(dup2(fileno(tmp), 1) >= 0);
    *rc = cmd(argc, argv);
    fflush(stdout);
    assert_true(dup2(saved, 1) >= 0);
    close(saved);
    long n = ftell(tmp);
    assert_true(n >= 0);
    char *out = malloc((size_t)n + 1);
    assert_non_null(out);
    rewind(tmp);
    assert_int_equal(fread(out, 1, (size_t)n, tmp), (size_t)n);
    out[n] = 0;
    fclose(tmp);
    return out;
}

static void test_analyze_json_alloc_sweep(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/tmp/mh_test_text_%ld.txt", (long)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(oom_text, f);
    fclose(f);
    cJSON_Hooks hooks = {mh_malloc, mh_free};
    cJSON_InitHooks(&hooks);
    char *argv[] = {"analyze", "--json", path, NULL};
    int rc;
    char *ref = run_captured(cmd_analyze, 3, argv, &rc);
    assert_int_equal(rc, CLI_OK);
    assert_non_null(strstr(ref, "\"tokens\":[{\"start\":0,"));
    int complete = 0, failed = 0;
    TU_SWEEP(k, 100000) {
        tu_fail(k);
        char *out = run_captured(cmd_analyze, 3, argv, &rc);
        int clean = tu_unarm();
        if (rc == CLI_OK) {
            assert_string_equal(out, ref);
        } else {
            assert_int_equal(rc, CLI_FAIL);
            assert_string_equal(out, "");
            failed++;
        }
        free(out);
        if (clean) {
            complete = 1;
            break;
        }
    }
    assert_true(complete);
    assert_true(failed > 10);
    free(ref);
    unlink(path);
    cJSON_InitHooks(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sentences_basic),
        cmocka_unit_test(test_sentences_glued),
        cmocka_unit_test(test_sentences_quotes),
        cmocka_unit_test(test_sentences_lines),
        cmocka_unit_test(test_tokens_apostrophe),
        cmocka_unit_test(test_tokens_glued_ending),
        cmocka_unit_test(test_tokens_quote_vs_apostrophe),
        cmocka_unit_test(test_tokens_numbers_hyphen),
        cmocka_unit_test(test_tokens_offsets),
        cmocka_unit_test(test_stem_rules),
        cmocka_unit_test(test_snowball_keeps),
        cmocka_unit_test(test_search_requirements),
        cmocka_unit_test(test_names_not_overstemmed),
        cmocka_unit_test(test_nostem),
        cmocka_unit_test(test_tokenize_stop_and_noalloc),
        cmocka_unit_test(test_memo_replay),
        cmocka_unit_test(test_analyze_alloc_failures),
        cmocka_unit_test(test_analyze_alloc_sweep),
        cmocka_unit_test(test_text_alloc_sweep),
        cmocka_unit_test(test_analyze_json_alloc_sweep),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_pathological_quotes),
        cmocka_unit_test(test_pathological_long_line),
        cmocka_unit_test(test_random_input),
        cmocka_unit_test(test_token_forms),
        cmocka_unit_test(test_unglue),
        cmocka_unit_test(test_seed_glued),
        cmocka_unit_test(test_seeds_invariants),
        cmocka_unit_test(test_golden),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
