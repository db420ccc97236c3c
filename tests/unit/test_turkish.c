/*
 * test_turkish.c -- Turkish lowercase, uppercase, ASCII fold and
 * case-insensitive comparison.
 */
#include "testutil.h"

typedef mh_err (*conv)(const char *, size_t, char **, size_t *);

static void check(conv f, const char *in, const char *want)
{
    char *out = NULL;
    size_t n = 0;
    assert_int_equal(f(in, strlen(in), &out, &n), MH_OK);
    assert_non_null(out);
    assert_int_equal(strlen(out), n);
    assert_string_equal(out, want);
    mh_free(out);
}

static void test_lower(void **state)
{
    (void)state;
    check(mh_tr_lower, "İSTANBUL", "istanbul");
    check(mh_tr_lower, "IŞIK", "ışık");
    check(mh_tr_lower, "Iİ", "ıi");
    check(mh_tr_lower, "I\xCC\x87zmir", "izmir");            /* I + U+0307 */
    check(mh_tr_lower, "ÇĞÖŞÜ ÂÎÛ", "çğöşü âîû");
    check(mh_tr_lower, "ABC xyz 123 'A.Ş.'", "abc xyz 123 'a.ş.'");
    check(mh_tr_lower, "ΑΘΗΝΑ МОСКВА", "αθηνα москва");
    check(mh_tr_lower, "", "");
}

static void test_upper(void **state)
{
    (void)state;
    check(mh_tr_upper, "istanbul", "İSTANBUL");
    check(mh_tr_upper, "ışık", "IŞIK");
    check(mh_tr_upper, "çğöşü âîû", "ÇĞÖŞÜ ÂÎÛ");
    check(mh_tr_upper, "москва", "МОСКВА");
    /* Upper then lower gives the Turkish word back. */
    const char *words[] = { "ılık", "iğne", "şişli", "ağrı", "gözlükçü" };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        char *u = NULL, *l = NULL;
        size_t un = 0, ln = 0;
        assert_int_equal(mh_tr_upper(words[i], strlen(words[i]), &u, &un), MH_OK);
        assert_int_equal(mh_tr_lower(u, un, &l, &ln), MH_OK);
        assert_string_equal(l, words[i]);
        mh_free(u);
        mh_free(l);
    }
}

static void test_fold(void **state)
{
    (void)state;
    check(mh_tr_fold, "Görüşme", "gorusme");
    check(mh_tr_fold, "İSTANBUL'DAKİ", "istanbul'daki");
    check(mh_tr_fold, "IŞIK", "isik");
    check(mh_tr_fold, "Çağrı Ünal", "cagri unal");
    check(mh_tr_fold, "Âli Îmân Ûslu", "ali iman uslu");
    check(mh_tr_fold, "café Łódź Øresund Ñandú", "cafe lodz oresund nandu");
    /* A stray combining mark is dropped; non-Latin letters stay. */
    check(mh_tr_fold, "a\xCC\x81" "b", "ab");
    check(mh_tr_fold, "Москва", "москва");
}

static void test_casecmp(void **state)
{
    (void)state;
    assert_int_equal(mh_tr_casecmp("İstanbul", strlen("İstanbul"), "istanbul", 8, 0), 0);
    assert_int_equal(mh_tr_casecmp("IŞIK", strlen("IŞIK"), "ışık", strlen("ışık"), 0), 0);
    /* Without fold, I and i differ in Turkish. */
    assert_true(mh_tr_casecmp("ISIK", 4, "isik", 4, 0) != 0);
    assert_int_equal(mh_tr_casecmp("ISIK", 4, "ışık", strlen("ışık"), 1), 0);
    assert_int_equal(mh_tr_casecmp("Görüşme", strlen("Görüşme"), "GORUSME", 7, 1), 0);
    assert_true(mh_tr_casecmp("Görüşme", strlen("Görüşme"), "GORUSME", 7, 0) != 0);
    assert_true(mh_tr_casecmp("abc", 3, "abd", 3, 0) < 0);
    assert_true(mh_tr_casecmp("abd", 3, "ABC", 3, 0) > 0);
    assert_true(mh_tr_casecmp("ab", 2, "abc", 3, 0) < 0);
    assert_int_equal(mh_tr_casecmp(NULL, 0, "", 0, 0), 0);
    /* Decomposed İ equals the composed one. */
    assert_int_equal(mh_tr_casecmp("I\xCC\x87", 3, "i", 1, 0), 0);
}

/* Encode one code point as UTF-8 (the caller passes no surrogates). */
static size_t enc(unsigned cp, char *o)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18);
    o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The tokenizer folds a word's lowercase one code point at a time as it
 * makes it (src/text.c, lower_fold_small), which gives the bytes of
 * mh_tr_fold of the whole lowercase only if the lowercase of every code
 * point is one valid code point and never an ASCII capital.  Checked here
 * over all of Unicode. */
static void test_lower_one_code_point(void **state)
{
    (void)state;
    for (unsigned cp = 1; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char in[4];
        size_t n = enc(cp, in);
        char *out = NULL;
        size_t on = 0;
        assert_int_equal(mh_tr_lower(in, n, &out, &on), MH_OK);
        assert_true(on >= 1 && on <= 4);
        assert_true(mh_utf8_valid(out, on));
        unsigned char c = (unsigned char)out[0];
        size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        assert_int_equal(len, on);              /* one code point */
        assert_false(c >= 'A' && c <= 'Z');      /* never an ASCII capital */
        mh_free(out);
    }
}

static void test_bad_input(void **state)
{
    (void)state;
    char *out = NULL;
    size_t n = 0;
    assert_int_equal(mh_tr_lower(NULL, 2, &out, &n), MH_EINVAL);
    assert_int_equal(mh_tr_lower("a", 1, NULL, &n), MH_EINVAL);
    /* Invalid UTF-8 is not clean text, but must not crash: U+FFFD. */
    check(mh_tr_lower, "A\xFF" "B", "a\xEF\xBF\xBD" "b");
    check(mh_tr_fold, "\xC4", "\xEF\xBF\xBD");
    mh_set_alloc_fail(1);
    mh_err e = mh_tr_fold("Görüşme", strlen("Görüşme"), &out, &n);
    mh_set_alloc_fail(0);
    assert_int_equal(e, MH_ENOMEM);
    assert_null(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lower),
        cmocka_unit_test(test_upper),
        cmocka_unit_test(test_fold),
        cmocka_unit_test(test_casecmp),
        cmocka_unit_test(test_lower_one_code_point),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
