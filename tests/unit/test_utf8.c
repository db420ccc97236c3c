/*
 * test_utf8.c -- mh_clean and mh_utf8_valid: encodings, NFC, line ends,
 * spaces, apostrophes and quotes, binary and size limits, malformed and
 * random input, allocation failures.  (Fixture-style cases live in
 * tests/golden/text and are run by test_text.)
 */
#include "testutil.h"

static char *clean(const char *s, size_t n, unsigned opts, size_t *len)
{
    char *out = NULL;
    size_t ol = 0;
    assert_int_equal(mh_clean(s, n, opts, &out, &ol), MH_OK);
    assert_non_null(out);
    assert_int_equal(strlen(out), ol);      /* NUL terminated, no NUL inside */
    if (len)
        *len = ol;
    return out;
}

static void check(const char *in, unsigned opts, const char *want)
{
    char *out = clean(in, strlen(in), opts, NULL);
    assert_string_equal(out, want);
    mh_free(out);
}

static void test_valid(void **state)
{
    (void)state;
    assert_true(mh_utf8_valid("", 0));
    assert_true(mh_utf8_valid("abc", 3));
    assert_true(mh_utf8_valid("görüşme İ", strlen("görüşme İ")));
    assert_true(mh_utf8_valid("\xF0\x9F\x98\x80", 4));
    assert_false(mh_utf8_valid("\xC0\xAF", 2));            /* overlong '/' */
    assert_false(mh_utf8_valid("\xE0\x80\xAF", 3));        /* overlong */
    assert_false(mh_utf8_valid("\xED\xA0\x80", 3));        /* surrogate */
    assert_false(mh_utf8_valid("\xF4\x90\x80\x80", 4));    /* > U+10FFFF */
    assert_false(mh_utf8_valid("ab\xE2\x80", 4));          /* truncated */
    assert_false(mh_utf8_valid("\x80", 1));                /* lone continuation */
    assert_false(mh_utf8_valid("abcdefghijklmnop\xFF", 17)); /* after the fast path */
}

static void test_ascii_and_empty(void **state)
{
    (void)state;
    check("", 0, "");
    check("", MH_CLEAN_LINES, "");
    check("Plain ASCII text.", 0, "Plain ASCII text.");
    char *out = NULL;
    size_t n = 5;
    assert_int_equal(mh_clean(NULL, 0, 0, &out, &n), MH_OK);
    assert_string_equal(out, "");
    assert_int_equal(n, 0);
    mh_free(out);
    assert_int_equal(mh_clean(NULL, 3, 0, &out, &n), MH_EINVAL);
    assert_int_equal(mh_clean("a", 1, 0, NULL, &n), MH_EINVAL);
}

static void test_bom_and_utf16(void **state)
{
    (void)state;
    check("\xEF\xBB\xBFmerhaba", 0, "merhaba");
    /* A BOM inside the text is a zero-width character: removed. */
    check("mer\xEF\xBB\xBFhaba", 0, "merhaba");
    /* UTF-16LE "Şu" with a BOM. */
    const char le[] = "\xFF\xFE\x5E\x01u\x00";
    char *out = clean(le, sizeof le - 1, 0, NULL);
    assert_string_equal(out, "Şu");
    mh_free(out);
    /* UTF-16BE with an unpaired high surrogate and an odd trailing byte. */
    const char be[] = "\xFE\xFF\x00x\xD8\x3D\x00y\x00";
    out = clean(be, sizeof be - 1, 0, NULL);
    assert_string_equal(out, "x\xEF\xBF\xBDy\xEF\xBF\xBD");
    mh_free(out);
}

static void test_cp1254(void **state)
{
    (void)state;
    /* "Gündem: İşçi ücretleri ağır." in Windows-1254. */
    check("G\xFCndem: \xDD\xFE\xE7i \xFC\x63retleri a\xF0\xFDr.", 0,
          "Gündem: İşçi ücretleri ağır.");
    /* Curly quotes and the ellipsis of the code page. */
    check("\x93\xC7ok g\xFCzel\x94 dedi\x85", 0, "\"Çok güzel\" dedi…");
}

static void test_invalid_bytes(void **state)
{
    (void)state;
    /* Mostly valid UTF-8 with a few bad bytes: U+FFFD, not cp1254. */
    check("çok güzel \xFE bir gün", 0, "çok güzel \xEF\xBF\xBD bir gün");
    check("\xC0\xAF", 0, "\xEF\xBF\xBD\xEF\xBF\xBD");
    check("abc\xE2\x82", 0, "abc\xEF\xBF\xBD\xEF\xBF\xBD");
    /* A lone high byte that is no plausible cp1254 letter. */
    check("abc \x81 def", 0, "abc \xEF\xBF\xBD def");
}

static void test_nfc(void **state)
{
    (void)state;
    check("I\xCC\x87stanbul", 0, "İstanbul");               /* I + U+0307 */
    check("s\xCC\xA7" "ehir", 0, "şehir");                   /* s + U+0327 */
    check("cafe\xCC\x81", 0, "café");
    /* Cyrillic short i decomposed (и + U+0306). */
    check("\xD0\xB8\xCC\x86", 0, "\xD0\xB9");
    /* Angstrom sign (a singleton) becomes Å. */
    check("\xE2\x84\xAB", 0, "\xC3\x85");
    /* Already composed text is unchanged. */
    check("Çağrı Öztürk üşüdü", 0, "Çağrı Öztürk üşüdü");
}

static void test_lines_and_spaces(void **state)
{
    (void)state;
    check("a\r\nb\rc\xC2\x85" "d\xE2\x80\xA8" "e\xE2\x80\xA9" "f", MH_CLEAN_LINES,
          "a\nb\nc\nd\ne\nf");
    check("a\r\nb", 0, "a b");
    check("a\tb\xC2\xA0" "c\xE2\x80\x83" "d\xE2\x80\xAF" "e\xE3\x80\x80" "f", 0, "a b c d e f");
    check("  baş  \n\n\n\n  son  ", MH_CLEAN_LINES, "baş\n\nson");
    check("\n\n  \n baş\nson\n\n", MH_CLEAN_LINES, "baş\nson");
    check("  a \t b  ", 0, "a b");
    check("x\xE2\x80\x8By\xC2\xAD" "z\xE2\x80\x8D" "w", 0, "xyzw");
}

static void test_apostrophes_quotes(void **state)
{
    (void)state;
    check("Bakan\xE2\x80\x99\xC4\xB1n \xE2\x80\x98" "a\xE2\x80\x99 \xCA\xBC \xC2\xB4 ` \xE2\x80\xB2", 0,
          "Bakan'ın 'a' ' ' ' '");
    check("\xE2\x80\x9C" "a\xE2\x80\x9D \xE2\x80\x9E" "b \xC2\xAB" "c\xC2\xBB \xE2\x80\xB3", 0,
          "\"a\" \"b \"c\" \"");
}

static void test_controls_and_binary(void **state)
{
    (void)state;
    check("a\x01" "b\x1F" "c\x7F" "d", 0, "abcd");
    char *out = (char *)1;
    size_t n = 0;
    assert_int_equal(mh_clean("abc\0def", 7, 0, &out, &n), MH_EBINARY);
    assert_null(out);
    char ctl[200];
    for (size_t i = 0; i < sizeof ctl; i++)
        ctl[i] = (char)(i % 3 ? 'a' : 0x02);
    assert_int_equal(mh_clean(ctl, sizeof ctl, 0, &out, &n), MH_EBINARY);
    /* A gzip header is binary. */
    assert_int_equal(mh_clean("\x1F\x8B\x08\x00\x00\x00\x00\x00", 8, 0, &out, &n), MH_EBINARY);
}

static void test_too_big(void **state)
{
    (void)state;
    char *out = NULL;
    size_t n = 0;
    /* The length is checked before anything is read. */
    assert_int_equal(mh_clean("x", MH_MAX_PAGE_BYTES + 1, 0, &out, &n), MH_ETOOBIG);
    assert_null(out);
}

static void test_long_line(void **state)
{
    (void)state;
    const size_t n = 10u << 20;
    char *s = malloc(n);
    assert_non_null(s);
    const char *pat = "Şu\xE2\x80\x99 \xE2\x80\x9C" "a\xE2\x80\x9D\t";   /* 14 bytes */
    size_t pl = strlen(pat);
    size_t len = n - n % pl;
    for (size_t i = 0; i < len; i += pl)
        memcpy(s + i, pat, pl);
    size_t ol = 0;
    char *out = clean(s, len, MH_CLEAN_LINES, &ol);
    /* Each repetition becomes "Şu' \"a\" " (9 bytes); the last space is
     * trimmed. */
    assert_int_equal(ol, (len / pl) * 9 - 1);
    assert_true(mh_utf8_valid(out, ol));
    mh_free(out);
    free(s);
}

static void test_many_quotes(void **state)
{
    (void)state;
    const size_t n = 100000;
    char *s = malloc(n * 3);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + 3 * i, "\xE2\x80\x9C", 3);
    size_t ol = 0;
    char *out = clean(s, n * 3, 0, &ol);
    assert_int_equal(ol, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(out[i], '"');
    mh_free(out);
    free(s);
}

/* Random byte soup: the output is always valid UTF-8 without controls
 * (other than "\n" in line mode), or the input is refused as binary. */
static void test_random_input(void **state)
{
    (void)state;
    unsigned seed = 12345;
    char buf[512];
    for (int round = 0; round < 3000; round++) {
        size_t n = (size_t)(round % 500) + 1;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = (seed >> 16) & 0xFF;
            /* Mix in text-like bytes so that not everything is binary. */
            buf[i] = (char)(round % 3 == 0 || r >= 200 ? (char)r : "aİ ş\n’\r\t"[r % 12]);
        }
        char *out = NULL;
        size_t ol = 0;
        unsigned opts = round & 1 ? MH_CLEAN_LINES : 0;
        mh_err e = mh_clean(buf, n, opts, &out, &ol);
        if (e == MH_EBINARY) {
            assert_null(out);
            continue;
        }
        assert_int_equal(e, MH_OK);
        assert_true(mh_utf8_valid(out, ol));
        assert_true(ol <= 3 * n);
        for (size_t i = 0; i < ol; i++) {
            unsigned char c = (unsigned char)out[i];
            assert_false(c < 0x20 && !(c == '\n' && opts));
        }
        if (ol) {
            assert_true(out[0] != ' ' && out[ol - 1] != ' ');
            assert_true(out[0] != '\n' && out[ol - 1] != '\n');
        }
        /* Cleaning is idempotent. */
        char *again = NULL;
        size_t al = 0;
        assert_int_equal(mh_clean(out, ol, opts, &again, &al), MH_OK);
        assert_int_equal(al, ol);
        assert_memory_equal(again, out, ol);
        mh_free(again);
        mh_free(out);
    }
}

static void test_alloc_failures(void **state)
{
    (void)state;
    /* Needs every pass: cp1254 decoding, NFC (a combining mark), mapping. */
    const char *in = "\xDDstanbul e\xCC\x81 \x93" "a\x94";
    size_t n = strlen(in);
    int ok = 0;
    for (unsigned long i = 1; i < 50 && !ok; i++) {
        char *out = NULL;
        size_t ol = 0;
        mh_set_alloc_fail(i);
        mh_err e = mh_clean(in, n, 0, &out, &ol);
        mh_set_alloc_fail(0);
        if (e == MH_OK) {
            ok = 1;
            mh_free(out);
        } else {
            assert_int_equal(e, MH_ENOMEM);
            assert_null(out);
        }
    }
    assert_true(ok);
}

static void test_seeds(void **state)
{
    (void)state;
    const char *sh = tu_shared();
    if (!sh)
        skip();
    const char *names[] = { "000_937fd04f564aca70.txt", "001_fbb121151ca4ddf0.txt",
                            "002_e357caafc61c5725.txt", "003_5289314c70e94264.txt",
                            "004_dc48fdb0813769b0.txt" };
    int seen = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/seeds/%s", sh, names[i]);
        size_t n = 0;
        char *raw = tu_read_file(path, &n);
        if (!raw)
            continue;
        seen++;
        size_t ol = 0;
        char *out = clean(raw, n, MH_CLEAN_LINES, &ol);
        assert_true(mh_utf8_valid(out, ol));
        assert_null(strstr(out, "\xE2\x80\x99"));
        assert_null(strstr(out, "\xE2\x80\x9C"));
        assert_null(strstr(out, "\n\n\n"));
        assert_null(strstr(out, "  "));
        assert_null(strchr(out, '\t'));
        mh_free(out);
        free(raw);
    }
    if (!seen)
        skip();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_ascii_and_empty),
        cmocka_unit_test(test_bom_and_utf16),
        cmocka_unit_test(test_cp1254),
        cmocka_unit_test(test_invalid_bytes),
        cmocka_unit_test(test_nfc),
        cmocka_unit_test(test_lines_and_spaces),
        cmocka_unit_test(test_apostrophes_quotes),
        cmocka_unit_test(test_controls_and_binary),
        cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_many_quotes),
        cmocka_unit_test(test_random_input),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_seeds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
