/* extract_check.h -- helpers shared by test_extract.c and test_seeds.c:
 * dumping an article as text, and checking that no line of the page got
 * lost on the way (every non-blank line is the title, the lead, a body
 * line or in removed). */
#ifndef MH_EXTRACT_CHECK_H
#define MH_EXTRACT_CHECK_H

#include "testutil.h"

/* Append printf-style text to a malloc'd string. */
static inline void xc_add(char **buf, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline void xc_add(char **buf, size_t *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(k >= 0);
    *buf = realloc(*buf, *len + (size_t)k + 1);
    assert_non_null(*buf);
    va_start(ap, fmt);
    vsnprintf(*buf + *len, (size_t)k + 1, fmt, ap);
    va_end(ap);
    *len += (size_t)k;
}

/* The article as the golden files write it.  Caller frees. */
static inline char *xc_dump(const mh_article *a)
{
    char *b = NULL;
    size_t n = 0;
    xc_add(&b, &n, "title: %s\n", a->title ? a->title : "-");
    xc_add(&b, &n, "date: %s\n", a->date ? a->date : "-");
    xc_add(&b, &n, "outlet: %s\n", a->outlet ? a->outlet : "-");
    xc_add(&b, &n, "source: %s\n", a->source ? a->source : "-");
    xc_add(&b, &n, "category: %s\n", a->category ? a->category : "-");
    xc_add(&b, &n, "url: %s\n", a->url ? a->url : "-");
    xc_add(&b, &n, "lead: %s\n", a->lead ? a->lead : "-");
    xc_add(&b, &n, "--- body\n%s\n", a->body);
    xc_add(&b, &n, "--- removed\n");
    for (size_t i = 0; i < a->n_removed; i++)
        xc_add(&b, &n, "%s\n", a->removed[i]);
    return b;
}

/* Is (s, n) one of the '\n'-separated lines of text? */
static inline int xc_has_line(const char *text, const char *s, size_t n)
{
    const char *p = text;
    for (;;) {
        const char *e = strchr(p, '\n');
        size_t k = e ? (size_t)(e - p) : strlen(p);
        if (k == n && memcmp(p, s, n) == 0)
            return 1;
        if (!e)
            return 0;
        p = e + 1;
    }
}

/* Is (s, n), once unglued, a line of the body? */
static inline int xc_in_body(const mh_article *a, const char *s, size_t n)
{
    char *u = NULL;
    size_t un = 0;
    while (n && *s == ' ')
        s++, n--;
    if (mh_unglue(s, n, &u, &un) != MH_OK)
        return 0;
    int r = xc_has_line(a->body, u, un) || xc_has_line(a->body, s, n);
    mh_free(u);
    return r;
}

static inline int xc_in_removed(const mh_article *a, const char *s, size_t n)
{
    for (size_t i = 0; i < a->n_removed; i++)
        if (strlen(a->removed[i]) == n && memcmp(a->removed[i], s, n) == 0)
            return 1;
    return 0;
}

/*
 * Every non-blank line of the record's text is accounted for: the title,
 * the lead (whole, or the lead plus a cut-off piece kept in removed), a
 * line of the body (unglued), a line in removed, or a body line whose
 * leading piece is in removed.  Returns the first lost line (static
 * buffer) or NULL.
 */
static inline const char *xc_lost_line(const mh_record *r, const mh_article *a)
{
    static char lost[512];
    const char *p = r->text, *end = r->text + r->text_len;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        size_t n = e ? (size_t)(e - p) : (size_t)(end - p);
        const char *s = p;
        p = e ? e + 1 : end;
        while (n && *s == ' ')
            s++, n--;
        while (n && s[n - 1] == ' ')
            n--;
        if (!n)
            continue;
        if (a->title && strlen(a->title) == n && memcmp(a->title, s, n) == 0)
            continue;
        if (xc_in_removed(a, s, n) || xc_in_body(a, s, n))
            continue;
        int ok = 0;
        if (a->lead) {
            char *u = NULL;
            size_t un = 0;
            if (mh_unglue(s, n, &u, &un) == MH_OK) {
                size_t ln = strlen(a->lead);
                if (un >= ln && memcmp(u, a->lead, ln) == 0) {
                    const char *rest = s + n;
                    /* the rest of the line, if any, went to removed */
                    if (un == ln)
                        ok = 1;
                    else
                        for (size_t i = 0; i < a->n_removed && !ok; i++) {
                            size_t rn = strlen(a->removed[i]);
                            ok = rn < n && memcmp(rest - rn, a->removed[i], rn) == 0;
                        }
                }
                mh_free(u);
            }
        }
        for (size_t i = 0; i < a->n_removed && !ok; i++) {
            size_t rn = strlen(a->removed[i]);
            if (rn < n && memcmp(s, a->removed[i], rn) == 0)
                ok = xc_in_body(a, s + rn, n - rn);
        }
        if (ok)
            continue;
        snprintf(lost, sizeof lost, "%.*s", (int)(n < 400 ? n : 400), s);
        return lost;
    }
    return NULL;
}

#endif
