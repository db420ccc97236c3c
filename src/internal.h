/*
 * internal.h -- interfaces shared between the files of src/, one section
 * per file ("Interface to X.c"), as fts5Int.h does.  Not installed.
 */
#ifndef MH_INTERNAL_H
#define MH_INTERNAL_H

#include "muhabir.h"
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#define MH_UNUSED(x) ((void)(x))
#define MH_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------- Interface to mem.c ---------------- */

/*
 * Growable byte buffer with a ceiling and a sticky error (curl dynbuf,
 * FTS5 pRc): once an append fails, later appends do nothing and b->err
 * stays set, so a builder checks once at the end.  The data is always
 * NUL terminated when len > 0 or after mh_buf_cstr.
 */
typedef struct mh_buf {
    char  *p;
    size_t len, cap;
    size_t max;        /* ceiling; 0 = MH_MAX_PAGE_BYTES */
    mh_err err;
} mh_buf;

void   mh_buf_init(mh_buf *b, size_t max);
void   mh_buf_free(mh_buf *b);
void   mh_buf_reset(mh_buf *b);            /* len = 0, keeps memory, clears err */
void   mh_buf_add(mh_buf *b, const void *p, size_t n);
void   mh_buf_addc(mh_buf *b, char c);
void   mh_buf_adds(mh_buf *b, const char *s);
void   mh_buf_printf(mh_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void   mh_buf_add_utf8(mh_buf *b, uint32_t cp);   /* encode one code point */
char  *mh_buf_cstr(mh_buf *b);             /* NUL-terminated view (borrowed) */
/* Hand the memory to the caller (caller frees with mh_free); resets b. */
char  *mh_buf_detach(mh_buf *b, size_t *len);

/*
 * Arena: bump allocator for one document's tokens, stems, shingles.
 * Everything goes at once with mh_arena_free.
 */
typedef struct mh_arena_block mh_arena_block;
typedef struct mh_arena {
    mh_arena_block *head;
    size_t block_size;
    mh_err err;                 /* sticky */
} mh_arena;

void  mh_arena_init(mh_arena *a, size_t block_size);   /* 0 = 64 KiB */
void *mh_arena_alloc(mh_arena *a, size_t n);            /* 16-byte aligned; NULL + a->err on failure */
char *mh_arena_strndup(mh_arena *a, const char *s, size_t n);
void  mh_arena_free(mh_arena *a);

char *mh_strndup(const char *s, size_t n);   /* caller frees with mh_free */
char *mh_strdup(const char *s);              /* NULL in -> NULL out */

/* UTF-8 decode one code point at s[*i] (i < n); advances *i.  Invalid
 * sequences return 0xFFFD and advance one byte. */
uint32_t mh_utf8_next(const char *s, size_t n, size_t *i);
/* Number of bytes of the UTF-8 encoding of cp. */
int mh_utf8_len(uint32_t cp);

#endif /* MH_INTERNAL_H */
