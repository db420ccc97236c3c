/*
 * muhabir.h -- the one public header of libmuhabir, a news-intelligence
 * engine for Turkish press pages.
 *
 * Pipeline: page (read a file: text dump, JSON/JSONL, HTML) -> clean
 * (UTF-8, NFC, one apostrophe/quote convention) -> extract (title, date,
 * outlet, source, lead, body, removed boilerplate) -> analyse (sentences,
 * tokens with byte offsets, Turkish lowercase, ASCII fold, stems) -> store
 * (SQLite with an FTS5 index using the same analyser) -> search.
 *
 * Conventions
 *  - Text is (ptr, len) UTF-8.  Functions never require NUL termination of
 *    their input; strings they hand back are NUL terminated as a courtesy.
 *  - Every function that returns memory says who owns it:
 *      "caller frees with X", "borrowed, valid until ... on h", or
 *      "points into your buffer".
 *  - Errors are one enum, MH_OK == 0.  The library never prints, exits or
 *    aborts on bad input.  Handles keep the detail of the last failure
 *    (mh_db_errmsg).
 *  - Every destructor accepts NULL.
 */
#ifndef MUHABIR_H
#define MUHABIR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MH_VERSION "0.1.0"
/* The library version, MH_VERSION of the build.  Static string. */
const char *mh_version(void);

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */
typedef enum mh_err {
    MH_OK = 0,
    MH_ENOMEM,      /* allocation failed */
    MH_EINVAL,      /* bad argument (programming error or bad option) */
    MH_EIO,         /* read/write failure; errno-style detail on the handle */
    MH_ETOOBIG,     /* input over a ceiling (MH_MAX_PAGE_BYTES, ...) */
    MH_EFORMAT,     /* malformed JSON/HTML/gzip or unknown format */
    MH_EEMPTY,      /* nothing usable in the input (empty page, no body) */
    MH_EBINARY,     /* input looks binary, not text */
    MH_EDB,         /* storage backend failure */
    MH_ENOTFOUND,   /* no such article/story/... */
    MH_EDUP,        /* content already stored (idempotent re-ingest) */
    MH_ERANGE,      /* a value out of range (date, limit, offset) */
    MH_EQUERY,      /* unparsable search query */
    MH_ERR_COUNT
} mh_err;

/* Static English message for an error code; never NULL. */
const char *mh_errstr(mh_err e);

/* Ceilings on everything fed from outside. */
#define MH_MAX_PAGE_BYTES   ((size_t)256 << 20)  /* one decoded page or file */
#define MH_MAX_LINE_BYTES   ((size_t)16 << 20)   /* one JSONL line */
#define MH_MAX_TOKENS       ((size_t)4 << 20)    /* tokens analysed per text */

/* ------------------------------------------------------------------ */
/* Allocation hook (tests fail the Nth allocation, as SQLite faultsim)  */
/* ------------------------------------------------------------------ */
/* All library allocations go through these.  mh_set_alloc_fail(n) makes
 * the n-th allocation from now fail (0 disables).  Test use only. */
void *mh_malloc(size_t n);
void *mh_realloc(void *p, size_t n);
void  mh_free(void *p);
void  mh_set_alloc_fail(unsigned long nth);

/* ------------------------------------------------------------------ */
/* 1. Cleaning: the one boundary (src/utf8.c)                          */
/* ------------------------------------------------------------------ */
/*
 * mh_clean turns raw bytes into clean text that every later stage relies
 * on:
 *  - encoding: UTF-8 with or without BOM; UTF-16 with BOM; legacy
 *    Windows-1254 (Turkish) detected and converted; invalid UTF-8 bytes
 *    become U+FFFD;
 *  - NFC (utf8proc);
 *  - line ends: CRLF, CR, U+0085, U+2028, U+2029 -> "\n";
 *  - spaces: TAB, NBSP, U+2000..U+200A, U+202F, U+205F, U+3000 -> ' ';
 *    zero-width chars (U+200B..U+200D, U+FEFF, U+00AD) removed; other C0/C1
 *    controls removed;
 *  - apostrophes: ’ ‘ ʼ ´ ` ′ -> '   quote marks: “ ” „ « » ″ -> "
 *  - with MH_CLEAN_LINES: runs of spaces collapsed, each line trimmed,
 *    more than one blank line collapsed into one blank line; without it,
 *    everything above except line structure handling (used for queries
 *    and single strings: all whitespace runs become one space, trimmed).
 * Returns MH_EBINARY when the input looks binary (NUL bytes or a high share
 * of control bytes), MH_ETOOBIG over MH_MAX_PAGE_BYTES.
 * *out: caller frees with mh_free.  *out is NUL terminated.
 */
#define MH_CLEAN_LINES   1u
mh_err mh_clean(const char *in, size_t n, unsigned opts, char **out, size_t *out_len);

/* True when (s, n) is valid UTF-8. */
int mh_utf8_valid(const char *s, size_t n);

/* ------------------------------------------------------------------ */
/* 2. Turkish case rules (src/turkish.c)                                */
/* ------------------------------------------------------------------ */
/*
 * Turkish lowercase: I -> ı, İ -> i (and I + U+0307 -> i), then generic
 * Unicode lowercase for everything else.  Input must be clean (mh_clean).
 * mh_tr_upper is the inverse (i -> İ, ı -> I).
 * mh_tr_fold: Turkish lowercase, then ASCII fold: ç->c ğ->g ı->i ö->o ş->s
 * ü->u â->a î->i û->u, other Latin diacritics stripped.
 * Each writes into *out: caller frees with mh_free.
 */
mh_err mh_tr_lower(const char *s, size_t n, char **out, size_t *out_len);
mh_err mh_tr_upper(const char *s, size_t n, char **out, size_t *out_len);
mh_err mh_tr_fold(const char *s, size_t n, char **out, size_t *out_len);
/* Turkish-aware comparison of two clean strings, ignoring case
 * (and diacritics when fold != 0).  Returns <0, 0, >0. */
int mh_tr_casecmp(const char *a, size_t an, const char *b, size_t bn, int fold);

/* ------------------------------------------------------------------ */
/* 3. Analysis: sentences, tokens, stems (src/text.c, src/stem.c)       */
/* ------------------------------------------------------------------ */
typedef struct mh_analyzer mh_analyzer;   /* stemmer + stem cache; one per thread */

/* Caller frees with mh_analyzer_free.  NULL on allocation failure. */
mh_analyzer *mh_analyzer_new(void);
void mh_analyzer_free(mh_analyzer *a);

enum {
    MH_TOK_WORD    = 1u << 0,  /* letters (may contain digits, inner '-' or '.') */
    MH_TOK_NUM     = 1u << 1,  /* number: 28.10.2025, 4.2, 4,3, 1.000 */
    MH_TOK_CAP     = 1u << 2,  /* first letter uppercase */
    MH_TOK_ALLCAPS = 1u << 3,  /* every letter uppercase, length > 1 */
    MH_TOK_APOS    = 1u << 4,  /* had an apostrophe suffix (Lavrov'un) */
    MH_TOK_SENT0   = 1u << 5   /* first token of a sentence */
};

typedef struct mh_token {
    uint32_t start, end;      /* bytes of the stem-bearing surface in the text
                                 ("Lavrov" of "Lavrov'un") */
    uint32_t full_end;        /* end including an apostrophe suffix; == end if none */
    uint32_t sentence;        /* index of its sentence */
    unsigned flags;           /* MH_TOK_* */
    const char *norm;  uint32_t norm_len;  /* Turkish lowercase surface, no suffix ("lavrov") */
    const char *suffix; uint32_t suffix_len; /* lowercase apostrophe suffix ("un"), len 0 if none */
    const char *fold;  uint32_t fold_len;  /* ASCII fold of norm ("lavrov") */
    const char *stem;  uint32_t stem_len;  /* Turkish stem (Snowball + fixes), lowercase */
} mh_token;

typedef struct mh_span { uint32_t start, end; } mh_span;   /* [start, end) bytes */

typedef struct mh_doc {
    const char *text; size_t text_len;      /* the analysed text (a copy, NUL terminated) */
    mh_span  *sentences; size_t n_sentences;
    mh_token *tokens;    size_t n_tokens;   /* words and numbers; punctuation is not a token */
} mh_doc;

/*
 * Analyse clean text (output of mh_clean; the caller vouches for that).
 * Sentences know abbreviations (Dr. Prof. vb. T.C. A.Ş. ...), dates and
 * decimals (28.10.2025, 4.2), ordinals (3. Avrasya), quotations, and
 * glued sentences ("söyledi.Belarus") which get a boundary between '.'
 * and the capital.  Options: MH_AN_NOSTEM skips stemming.
 * *out: caller frees with mh_doc_free (one arena: everything inside goes
 * at once).
 */
#define MH_AN_NOSTEM 1u
mh_err mh_analyze(mh_analyzer *a, const char *text, size_t n, unsigned opts, mh_doc **out);
void mh_doc_free(mh_doc *d);

/*
 * Streaming tokenizer for indexing and queries (no allocation per call
 * beyond the analyzer's stem cache).  cb is called for every token in
 * order; a non-zero return from cb stops and is returned as-is.
 * The token's norm/fold/stem pointers are borrowed, valid only during cb.
 */
typedef int (*mh_token_cb)(void *ctx, const mh_token *t);
int mh_tokenize(mh_analyzer *a, const char *text, size_t n, unsigned opts,
                mh_token_cb cb, void *ctx);

/* Stem one lowercase word (Turkish).  Borrowed, valid until the next call
 * on a.  Returns NULL on allocation failure. */
const char *mh_stem(mh_analyzer *a, const char *word, size_t n, size_t *out_len);

/*
 * Make a body readable: insert the missing space in glued sentences
 * ("söyledi.Belarus’un" -> "söyledi. Belarus'un", "vurguladı.'START" ->
 * "vurguladı. 'START", "konuşulmuyor'Lavrov" -> "konuşulmuyor' Lavrov").
 * Leaves abbreviations, domains (HABER7.COM), decimals alone.
 * *out: caller frees with mh_free.
 */
mh_err mh_unglue(const char *s, size_t n, char **out, size_t *out_len);

/* ------------------------------------------------------------------ */
/* 4. Pages and articles (src/page.c, src/extract.c, src/date.c)        */
/* ------------------------------------------------------------------ */
typedef enum mh_format {
    MH_FMT_AUTO = 0, MH_FMT_TEXT, MH_FMT_JSON, MH_FMT_JSONL, MH_FMT_HTML
} mh_format;

/* One record read from an input: a text dump, one JSON object, one HTML
 * page.  Strings are clean text (mh_clean with MH_CLEAN_LINES) or NULL. */
typedef struct mh_record {
    const char *path;        /* input path as given ("-" for stdin) */
    long        index;       /* record number within the file (0 for single pages) */
    const char *text;  size_t text_len;  /* line-structured page text */
    /* hints from structured inputs (JSON fields, HTML meta); NULL if none */
    const char *title, *url, *date, *outlet, *source, *category, *lead;
    int64_t crawl_time;      /* unix seconds the page was fetched, 0 = unknown */
} mh_record;

/*
 * Read one input file (format from the extension and content: .txt/.text,
 * .json, .jsonl/.ndjson, .html/.htm, any of those .gz) and call cb once per
 * record.  A record that cannot be read is reported to err_cb (may be NULL)
 * with its index and error, and the rest of the file still goes on.
 * Returns MH_OK when the file was read (even if some records failed), or
 * the error that stopped the whole file (MH_EIO, MH_EBINARY, MH_ETOOBIG...).
 * A cb return != 0 stops reading and is returned.
 */
typedef int  (*mh_record_cb)(void *ctx, const mh_record *r);
typedef void (*mh_record_err_cb)(void *ctx, const char *path, long index,
                                 mh_err e, const char *detail);
int mh_page_read_file(const char *path, mh_format fmt, mh_record_cb cb,
                      mh_record_err_cb err_cb, void *ctx);
/* Same for bytes already in memory (path is only a label). */
int mh_page_read_mem(const char *path, const char *data, size_t n, mh_format fmt,
                     mh_record_cb cb, mh_record_err_cb err_cb, void *ctx);

typedef struct mh_article {
    int64_t id;              /* 0 until stored */
    char *path;              /* input file as given */
    long  record;            /* record index within path */
    char *url, *outlet, *source, *title, *date, *category, *lead, *body; /* NULL = unknown */
    char **removed; size_t n_removed;      /* boilerplate lines, in page order */
    mh_span *sentences; size_t n_sentences; /* byte offsets into body */
    char hash[33];           /* hex 128-bit content hash of the cleaned title+body */
} mh_article;

/*
 * Template knowledge for boilerplate learning: lines that recur across
 * many pages of one outlet.  is_template returns non-zero when the line
 * (clean text) is known boilerplate for that outlet.  May be NULL.
 */
typedef struct mh_template_oracle {
    int (*is_template)(void *ctx, const char *outlet, const char *line, size_t len);
    void *ctx;
} mh_template_oracle;

/*
 * Extract the article from one record.  MH_EEMPTY when no body is left.
 * *out: caller frees with mh_article_free.
 */
mh_err mh_extract(const mh_record *r, const mh_template_oracle *tpl, mh_article **out);
void mh_article_free(mh_article *a);

/* Outlet name for a URL's host ("anlatilaninotesi.com.tr" -> "Sputnik Türkiye");
 * NULL when unknown.  Static string. */
const char *mh_outlet_for_host(const char *host, size_t n);

/*
 * Dates.  mh_date_parse finds a date at the start of (s, n) in any of the
 * supported forms (2025-10-28, 28.10.2025, 28/10/2025, 28 Ekim 2025,
 * Ekim 28, 2025, ISO 8601 with time) and writes "YYYY-MM-DD" into out[11].
 * Returns the number of bytes consumed, 0 when none.
 * mh_date_relative resolves "2 saat önce", "dün", "3 gün önce" against
 * crawl_time (unix seconds); 0 when crawl_time is 0 or no match.
 */
size_t mh_date_parse(const char *s, size_t n, char out[11]);
size_t mh_date_relative(const char *s, size_t n, int64_t crawl_time, char out[11]);

/* ------------------------------------------------------------------ */
/* 5. Store and search (src/store*.c, src/fts.c, src/search.c)          */
/* ------------------------------------------------------------------ */
/* The store-and-search API is declared below by its module. */

#ifdef __cplusplus
}
#endif
#endif /* MUHABIR_H */
