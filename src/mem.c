/*
 * mem.c -- allocation wrapper (with fault injection for tests), growable
 * buffers with a ceiling and sticky error, per-document arenas, and the
 * small UTF-8 primitives every stage uses.
 */
#include "internal.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

/* Fault injection: the n-th allocation from the time of the call fails,
 * counted over every thread of an ingest.  Unarmed, a relaxed load. */
static atomic_ulong fail_countdown;

void mh_set_alloc_fail(unsigned long nth) { atomic_store(&fail_countdown, nth); }

/* Allocations still to go before the armed failure (internal.h); 0 once
 * it has happened or when unarmed.  Tests use it to tell whether a run
 * met its failure at all. */
unsigned long mh_alloc_fail_left(void) { return atomic_load(&fail_countdown); }

static int should_fail(void)
{
    unsigned long n = atomic_load_explicit(&fail_countdown, memory_order_relaxed);
    while (n != 0) {
        if (atomic_compare_exchange_weak(&fail_countdown, &n, n - 1))
            return n == 1;
    }
    return 0;
}

void *mh_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *mh_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void mh_free(void *p) { free(p); }

const char *mh_errstr(mh_err e)
{
    static const char *const msg[MH_ERR_COUNT] = {
        [MH_OK] = "ok",
        [MH_ENOMEM] = "out of memory",
        [MH_EINVAL] = "invalid argument",
        [MH_EIO] = "input/output error",
        [MH_ETOOBIG] = "input too big",
        [MH_EFORMAT] = "malformed input",
        [MH_EEMPTY] = "no article text found",
        [MH_EBINARY] = "binary data, not text",
        [MH_EDB] = "database error",
        [MH_ENOTFOUND] = "not found",
        [MH_EDUP] = "already stored",
        [MH_ERANGE] = "value out of range",
        [MH_EQUERY] = "bad query",
    };
    if ((unsigned)e >= MH_ERR_COUNT || !msg[e])
        return "unknown error";
    return msg[e];
}

/* ---------------- buffers ---------------- */

void mh_buf_init(mh_buf *b, size_t max)
{
    b->p = NULL;
    b->len = b->cap = 0;
    b->max = max ? max : MH_MAX_PAGE_BYTES;
    b->err = MH_OK;
}

void mh_buf_free(mh_buf *b)
{
    mh_free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

void mh_buf_reset(mh_buf *b)
{
    b->len = 0;
    b->err = MH_OK;
    if (b->p)
        b->p[0] = 0;
}

/* Room for n more bytes plus a NUL (internal.h).  Sets the sticky error. */
int mh_buf_reserve(mh_buf *b, size_t n)
{
    if (b->err)
        return 0;
    if (n > b->max || b->len > b->max - n) {
        b->err = MH_ETOOBIG;
        return 0;
    }
    size_t need = b->len + n + 1;
    if (need <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
    char *p = mh_realloc(b->p, cap);
    if (!p) {
        b->err = MH_ENOMEM;
        return 0;
    }
    b->p = p;
    b->cap = cap;
    return 1;
}

/* A grown array (internal.h).  The pointer is read and written through
 * memcpy, so that any T ** can be passed without a cast. */
mh_err mh_grow(void *pp, size_t *cap, size_t need, size_t elem, size_t first)
{
    if (need <= *cap)
        return MH_OK;
    size_t max = (size_t)-1 / elem, nc = *cap ? *cap : first ? first : 1;
    while (nc < need)
        nc = nc > max / 2 ? need : nc * 2;
    if (nc > max)
        return MH_ENOMEM;
    void *p;
    memcpy(&p, pp, sizeof p);
    p = mh_realloc(p, nc * elem);
    if (!p)
        return MH_ENOMEM;
    memcpy(pp, &p, sizeof p);
    *cap = nc;
    return MH_OK;
}

void mh_buf_add(mh_buf *b, const void *p, size_t n)
{
    if (!mh_buf_reserve(b, n))
        return;
    if (n)
        memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = 0;
}

void mh_buf_addc_slow(mh_buf *b, char c) { mh_buf_add(b, &c, 1); }

void mh_buf_add_le32(mh_buf *b, uint32_t v)
{
    unsigned char x[4];
    mh_le32_put(x, v);
    mh_buf_add(b, x, 4);
}

void mh_buf_adds(mh_buf *b, const char *s)
{
    if (s)
        mh_buf_add(b, s, strlen(s));
}

void mh_buf_printf(mh_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (k < 0) {
        if (!b->err)
            b->err = MH_EINVAL;
        return;
    }
    if ((size_t)k < sizeof small) {
        mh_buf_add(b, small, (size_t)k);
        return;
    }
    if (!mh_buf_reserve(b, (size_t)k))
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)k + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)k;
}

int mh_utf8_len(uint32_t cp)
{
    if (cp < 0x80) return 1;
    if (cp < 0x800) return 2;
    if (cp < 0x10000) return 3;
    return 4;
}

char mh_first_nonspace(const char *t, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (t[i] != ' ')
            return t[i];
    return 0;
}

int mh_bytes_has(const char *h, size_t n, const char *w, size_t k)
{
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(h + i, w, k) == 0)
            return 1;
    return 0;
}

/* Below U+0800 there is nothing to replace: those are mh_utf8_put's. */
int mh_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x800)
        return (int)mh_utf8_put(cp, out);
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

void mh_buf_add_utf8(mh_buf *b, uint32_t cp)
{
    char e[4];
    mh_buf_add(b, e, (size_t)mh_utf8_encode(cp, e));
}

char *mh_buf_cstr(mh_buf *b)
{
    if (!b->p && !mh_buf_reserve(b, 0))
        return NULL;
    if (b->p)
        b->p[b->len] = 0;
    return b->p;
}

char *mh_buf_detach(mh_buf *b, size_t *len)
{
    char *p = mh_buf_cstr(b);
    if (len)
        *len = b->len;
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

/* ---------------- arenas ---------------- */

struct mh_arena_block {
    mh_arena_block *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
};

void mh_arena_init(mh_arena *a, size_t block_size)
{
    a->head = NULL;
    a->block_size = block_size ? block_size : 64 * 1024;
    a->err = MH_OK;
}

void *mh_arena_alloc(mh_arena *a, size_t n)
{
    if (a->err)
        return NULL;
    size_t need = (n + 15) & ~(size_t)15;
    if (need < n) {
        a->err = MH_ENOMEM;
        return NULL;
    }
    mh_arena_block *b = a->head;
    if (!b || b->size - b->used < need) {
        size_t size = need > a->block_size ? need : a->block_size;
        b = mh_malloc(sizeof *b + size);
        if (!b) {
            a->err = MH_ENOMEM;
            return NULL;
        }
        b->size = size;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += need;
    return p;
}

char *mh_arena_strndup(mh_arena *a, const char *s, size_t n)
{
    char *p = mh_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = 0;
    return p;
}

void mh_arena_free(mh_arena *a)
{
    mh_arena_block *b = a->head;
    while (b) {
        mh_arena_block *next = b->next;
        mh_free(b);
        b = next;
    }
    a->head = NULL;
}

/* ---------------- multimap ---------------- */

static uint32_t mm_mix(uint32_t k)
{
    k ^= k >> 16; k *= 0x7FEB352Du;
    k ^= k >> 15; k *= 0x846CA68Bu;
    return k ^ (k >> 16);
}

/* Room for need entries in the three arrays. */
static mh_err mm_room(mh_multimap *m, size_t need)
{
    if (need <= m->cap)
        return MH_OK;
    /* Three arrays, one capacity: each grows from the old one. */
    size_t ck = m->cap, cv = m->cap, cx = m->cap;
    if (need >= MH_MULTIMAP_END)
        return MH_ETOOBIG;
    if (mh_grow(&m->key, &ck, need, sizeof *m->key, 1024) ||
        mh_grow(&m->val, &cv, need, sizeof *m->val, 1024) ||
        mh_grow(&m->next, &cx, need, sizeof *m->next, 1024))
        return MH_ENOMEM;
    m->cap = ck;      /* the three grew alike */
    return MH_OK;
}

/* At least one head per entry: with room for n entries, the heads are
 * 1024 doubled until n fit, the chains relinked when they change. */
static mh_err mm_heads(mh_multimap *m, size_t n)
{
    size_t nh = m->head ? m->mask + 1 : 1024;
    while (n > nh)
        nh *= 2;
    if (m->head && nh == m->mask + 1)
        return MH_OK;
    uint32_t *h = mh_malloc(nh * sizeof *h);
    if (!h)
        return MH_ENOMEM;
    for (size_t i = 0; i < nh; i++)
        h[i] = MH_MULTIMAP_END;
    mh_free(m->head);
    m->head = h;
    m->mask = nh - 1;
    /* Relink oldest first so that chains stay newest first. */
    for (size_t e = 0; e < m->n; e++) {
        size_t b = mm_mix(m->key[e]) & m->mask;
        m->next[e] = m->head[b];
        m->head[b] = (uint32_t)e;
    }
    return MH_OK;
}

mh_err mh_multimap_reserve(mh_multimap *m, size_t n)
{
    mh_err e = mm_room(m, n);
    return e ? e : mm_heads(m, n);
}

mh_err mh_multimap_add(mh_multimap *m, uint32_t key, uint32_t val)
{
    mh_err err;
    if (m->n == m->cap && (err = mm_room(m, m->cap ? m->cap * 2 : 1024)) != MH_OK)
        return err;
    if ((!m->head || m->n + 1 > m->mask + 1) && (err = mm_heads(m, m->n + 1)) != MH_OK)
        return err;
    size_t e = m->n++, b = mm_mix(key) & m->mask;
    m->key[e] = key;
    m->val[e] = val;
    m->next[e] = m->head[b];
    m->head[b] = (uint32_t)e;
    return MH_OK;
}

void mh_multimap_free(mh_multimap *m)
{
    if (!m)
        return;
    mh_free(m->head);
    mh_free(m->key);
    mh_free(m->val);
    mh_free(m->next);
    memset(m, 0, sizeof *m);
}

static uint32_t mm_skip(const mh_multimap *m, uint32_t e, uint32_t key)
{
    while (e != MH_MULTIMAP_END && m->key[e] != key)
        e = m->next[e];
    return e;
}

uint32_t mh_multimap_first(const mh_multimap *m, uint32_t key)
{
    if (!m->head)
        return MH_MULTIMAP_END;
    return mm_skip(m, m->head[mm_mix(key) & m->mask], key);
}

uint32_t mh_multimap_next(const mh_multimap *m, uint32_t e, uint32_t key)
{
    return mm_skip(m, m->next[e], key);
}

/* ---------------- id map ---------------- */

static uint64_t id_mix(uint64_t k)
{
    k ^= k >> 33; k *= 0xFF51AFD7ED558CCDull;
    k ^= k >> 33; k *= 0xC4CEB9FE1A85EC53ull;
    return k ^ (k >> 33);
}

uint32_t mh_idmap_get(const mh_idmap *m, int64_t key)
{
    if (!m->cap)
        return MH_IDMAP_NONE;
    size_t mask = m->cap - 1, i = (size_t)id_mix((uint64_t)key) & mask;
    while (m->key[i]) {
        if (m->key[i] == key)
            return m->val[i];
        i = (i + 1) & mask;
    }
    return MH_IDMAP_NONE;
}

/* Move the entries into a table of cap slots (a power of two). */
static mh_err idmap_resize(mh_idmap *m, size_t cap)
{
    int64_t *k = mh_malloc(cap * sizeof *k);
    uint32_t *v = mh_malloc(cap * sizeof *v);
    if (!k || !v) {
        mh_free(k);
        mh_free(v);
        return MH_ENOMEM;
    }
    memset(k, 0, cap * sizeof *k);
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->key[i])
            continue;
        size_t j = (size_t)id_mix((uint64_t)m->key[i]) & (cap - 1);
        while (k[j])
            j = (j + 1) & (cap - 1);
        k[j] = m->key[i];
        v[j] = m->val[i];
    }
    mh_free(m->key);
    mh_free(m->val);
    m->key = k;
    m->val = v;
    m->cap = cap;
    return MH_OK;
}

mh_err mh_idmap_reserve(mh_idmap *m, size_t n)
{
    size_t cap = m->cap ? m->cap : 1024;
    while (2 * n > cap) {
        if (cap > SIZE_MAX / 4 / sizeof(int64_t))
            return MH_ETOOBIG;
        cap *= 2;
    }
    return cap == m->cap ? MH_OK : idmap_resize(m, cap);
}

mh_err mh_idmap_put(mh_idmap *m, int64_t key, uint32_t val)
{
    if (2 * (m->n + 1) > m->cap) {
        mh_err e = idmap_resize(m, m->cap ? m->cap * 2 : 1024);
        if (e)
            return e;
    }
    size_t mask = m->cap - 1, i = (size_t)id_mix((uint64_t)key) & mask;
    while (m->key[i]) {
        if (m->key[i] == key) {
            m->val[i] = val;
            return MH_OK;
        }
        i = (i + 1) & mask;
    }
    m->key[i] = key;
    m->val[i] = val;
    m->n++;
    return MH_OK;
}

void mh_idmap_free(mh_idmap *m)
{
    if (!m)
        return;
    mh_free(m->key);
    mh_free(m->val);
    memset(m, 0, sizeof *m);
}


char *mh_strndup(const char *s, size_t n)
{
    char *p = mh_malloc(n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *mh_strdup(const char *s) { return s ? mh_strndup(s, strlen(s)) : NULL; }

/* ---------------- UTF-8 ---------------- */

uint32_t mh_utf8_next(const char *s, size_t n, size_t *i)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t k = *i;
    unsigned c = u[k];
    if (c < 0x80) {
        *i = k + 1;
        return c;
    }
    int len;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; min = 0x10000; }
    else { *i = k + 1; return 0xFFFD; }
    if (k + (size_t)len > n) { *i = k + 1; return 0xFFFD; }
    for (int j = 1; j < len; j++) {
        unsigned cc = u[k + (size_t)j];
        if ((cc & 0xC0) != 0x80) { *i = k + 1; return 0xFFFD; }
        cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        *i = k + 1;
        return 0xFFFD;
    }
    *i = k + (size_t)len;
    return cp;
}
