/* test_date.c -- dates: the golden lists in tests/golden/dates/ (parse.txt,
 * relative.txt) plus the unix-time conversion and calendar edges. */
#include "testutil.h"

/* Split "a | b | c" into up to 3 trimmed fields (in place). */
static int split3(char *line, char *f[3])
{
    int k = 0;
    char *p = line;
    while (k < 3) {
        char *bar = strchr(p, '|');
        if (bar)
            *bar = 0;
        while (*p == ' ')
            p++;
        size_t n = strlen(p);
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\n' || p[n - 1] == '\r'))
            p[--n] = 0;
        f[k++] = p;
        if (!bar)
            break;
        p = bar + 1;
    }
    return k;
}

/* Each non-comment line of a golden file, or skip when it is absent. */
static char *golden(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "tests/golden/dates/%s", name);
    char *s = tu_read_file(path, NULL);
    if (!s)
        skip();
    return s;
}

static void test_parse_golden(void **state)
{
    (void)state;
    char *s = golden("parse.txt");
    int cases = 0;
    for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#' || !line[0])
            continue;
        char *f[3] = { 0 };
        int k = split3(line, f);
        assert_true(k >= 2);
        char out[11] = "";
        size_t n = mh_date_parse(f[0], strlen(f[0]), out);
        if (strcmp(f[1], "-") == 0) {
            if (n != 0)
                fail_msg("\"%s\": expected no date, got %s (%zu bytes)", f[0], out, n);
        } else {
            if (n == 0 || strcmp(out, f[1]) != 0)
                fail_msg("\"%s\": expected %s, got %s", f[0], f[1], n ? out : "none");
            if (k == 3 && (n != strlen(f[2]) || strncmp(f[0], f[2], n) != 0))
                fail_msg("\"%s\": consumed %zu bytes, expected \"%s\"", f[0], n, f[2]);
        }
        cases++;
    }
    assert_true(cases > 40);
    free(s);
}

static void test_relative_golden(void **state)
{
    (void)state;
    char *s = golden("relative.txt");
    int cases = 0;
    for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#' || !line[0])
            continue;
        char *f[3] = { 0 };
        assert_int_equal(split3(line, f), 3);
        int64_t crawl = strcmp(f[0], "-") == 0 ? 0 : mh_date_to_unix(f[0], strlen(f[0]));
        if (strcmp(f[0], "-") != 0)
            assert_true(crawl > 0);
        char out[11] = "";
        size_t n = mh_date_relative(f[1], strlen(f[1]), crawl, out);
        if (strcmp(f[2], "-") == 0) {
            if (n != 0)
                fail_msg("\"%s\" at %s: expected nothing, got %s", f[1], f[0], out);
        } else if (n == 0 || strcmp(out, f[2]) != 0) {
            fail_msg("\"%s\" at %s: expected %s, got %s", f[1], f[0], f[2], n ? out : "none");
        }
        cases++;
    }
    assert_true(cases > 20);
    free(s);
}

static void test_to_unix(void **state)
{
    (void)state;
    /* 1970-01-01T00:00:00Z is 0 by definition; a date without a zone is
     * Turkey time (UTC+3). */
    assert_int_equal(mh_date_to_unix("2000-01-01T00:00:00Z", 20), 946684800);
    assert_int_equal(mh_date_to_unix("2000-01-01T03:00:00+03:00", 25), 946684800);
    assert_int_equal(mh_date_to_unix("2000-01-01T03:00:00", 19), 946684800);
    assert_int_equal(mh_date_to_unix("2000-01-01", 10), 946684800 - 3 * 3600);
    assert_int_equal(mh_date_to_unix("2024-02-29T12:00:00Z", 20), 1709208000);
    assert_int_equal(mh_date_to_unix("2025-10-27T21:30:00-02:30", 25),
                     mh_date_to_unix("2025-10-28T00:00:00Z", 20));
    assert_int_equal(mh_date_to_unix("28 Ekim 2025", 12), mh_date_to_unix("2025-10-28", 10));
    assert_int_equal(mh_date_to_unix("yarın", 6), 0);
    assert_int_equal(mh_date_to_unix("", 0), 0);
}

static void test_every_day_roundtrips(void **state)
{
    (void)state;
    /* Walk 1990..2100 one day at a time through mh_date_to_unix and
     * mh_date_relative("bugün"): the civil <-> day arithmetic must agree
     * with itself and with the calendar. */
    int64_t t = mh_date_to_unix("1990-01-01T12:00:00", 19);
    int y = 1990, m = 1, d = 1;
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int days = 0;
    while (y <= 2100) {
        char want[40], got[11];
        snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
        assert_int_equal(mh_date_relative("bugün", 6, t, got), 6);
        if (strcmp(want, got) != 0)
            fail_msg("day %d: expected %s, got %s", days, want, got);
        char parsed[11];
        assert_int_equal(mh_date_parse(want, 10, parsed), 10);
        assert_string_equal(parsed, want);
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        int md = m == 2 && leap ? 29 : mdays[m - 1];
        if (++d > md) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
        t += 86400;
        days++;
    }
    assert_int_equal(days, 40542);
}

static void test_bounds(void **state)
{
    (void)state;
    char out[11] = "unchanged";
    /* Never reads past n. */
    assert_int_equal(mh_date_parse("2025-10-28", 9, out), 0);
    assert_int_equal(mh_date_parse("28 Ekim 2025", 11, out), 0);
    assert_int_equal(mh_date_parse(NULL, 0, out), 0);
    assert_int_equal(mh_date_relative(NULL, 0, 1700000000, out), 0);
    assert_int_equal(mh_date_relative("2 saat önce", 12, 0, out), 0);
    assert_int_equal(mh_date_relative("2 saat önce", 12, -5, out), 0);
    /* out may be NULL for a mere check */
    assert_int_equal(mh_date_parse("2025-10-28", 10, NULL), 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_golden),
        cmocka_unit_test(test_relative_golden),
        cmocka_unit_test(test_to_unix),
        cmocka_unit_test(test_every_day_roundtrips),
        cmocka_unit_test(test_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
