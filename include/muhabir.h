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
 *    Windows-1254 (Turkish) detected per input (more invalid bytes than
 *    valid multi-byte sequences, mostly Turkish letters in cp1254) and
 *    converted; otherwise each invalid UTF-8 byte becomes U+FFFD;
 *  - NFC (utf8proc);
 *  - line ends: CRLF, CR, U+0085, U+2028, U+2029 -> "\n";
 *  - spaces: TAB, NBSP, U+2000..U+200A, U+202F, U+205F, U+3000 -> ' ';
 *    zero-width and bidi format chars (U+200B..U+200F, U+2060..U+2064,
 *    U+202A..U+202E, U+2066..U+2069, U+FEFF, U+00AD) removed; other C0/C1
 *    controls removed (VT, FF count as line ends);
 *  - apostrophes: ’ ‘ ʼ ´ ` ′ ‚ ‛ ‹ › -> '   quote marks: “ ” „ ‟ « » ″ -> "
 *  - with MH_CLEAN_LINES: runs of spaces collapsed, each line trimmed,
 *    more than one blank line collapsed into one blank line; without it,
 *    everything above except line structure handling (used for queries
 *    and single strings: all whitespace runs become one space, trimmed).
 * Returns MH_EBINARY when the input looks binary (a NUL byte in the first
 * 8 KiB, or over 10% control bytes in the first 64 KiB), MH_ETOOBIG over
 * MH_MAX_PAGE_BYTES.
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

/* Caller frees with mh_analyzer_free.  NULL on allocation failure.
 * Cheap to make (about 120 KB); the stem cache grows with use up to about
 * 15 MB and is then emptied, so one long-lived analyzer per thread is
 * the fast way to index. */
mh_analyzer *mh_analyzer_new(void);
void mh_analyzer_free(mh_analyzer *a);

enum {
    MH_TOK_WORD    = 1u << 0,  /* letters, may contain digits; inner '.' only in
                                  dotted abbreviations (T.C) and domains
                                  (haber7.com); '-' splits (Putin-Trump = 2) */
    MH_TOK_NUM     = 1u << 1,  /* number: 28.10.2025, 4.2, 4,3, 1.000 */
    MH_TOK_CAP     = 1u << 2,  /* first letter uppercase */
    MH_TOK_ALLCAPS = 1u << 3,  /* every letter uppercase, length > 1 (NATO, G20) */
    MH_TOK_APOS    = 1u << 4,  /* had an apostrophe suffix (Lavrov'un): ' + at most
                                  10 lowercase letters (uppercase after an
                                  all-caps base: İSTANBUL'DAKİ) */
    MH_TOK_SENT0   = 1u << 5,  /* first token of a sentence */
    MH_TOK_GLUED   = 1u << 6   /* with MH_TOK_APOS: the suffix follows an all-caps
                                  base with no apostrophe (ABDnin, NATOya); it
                                  starts at end, not end + 1 */
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
    const char *stem;  uint32_t stem_len;  /* Turkish stem (Snowball + fixes), lowercase;
                                              == norm for numbers and with MH_AN_NOSTEM */
    const char *stem_fold; uint32_t stem_fold_len; /* ASCII fold of stem ("antlasma") */
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
 * and the capital.  A line end is always a boundary.  An attributed
 * quotation (closing quote followed by a lowercase word or a comma:
 * "..." dedi.) belongs whole to the sentence that reports it, even when it
 * holds several sentences; an unattributed quoted paragraph is split.
 * Stems of words in proper-noun position (apostrophe suffix, or a capital
 * inside a sentence) never cut into the name ("Putin" -> "putin", while
 * mh_stem("putin") is Snowball's "put"): search should match the fold of
 * a query word against fold and stem_fold.
 * Options: MH_AN_NOSTEM skips stemming (stem = norm); MH_AN_NOGLUE keeps
 * an ending glued to capitals in the word (ABDnin is one word, not ABD +
 * nin: MH_TOK_GLUED), as the entity tagger's training text is read.
 * *out: caller frees with mh_doc_free (one arena: everything inside goes
 * at once).
 */
#define MH_AN_NOSTEM 1u
#define MH_AN_NOGLUE 2u
mh_err mh_analyze(mh_analyzer *a, const char *text, size_t n, unsigned opts, mh_doc **out);
void mh_doc_free(mh_doc *d);

/*
 * Streaming tokenizer for indexing and queries (no allocation per call
 * beyond the analyzer's stem cache and reused buffers).  cb is called for
 * every token in order, with the same tokens mh_analyze gives; a non-zero
 * return from cb stops and is returned as-is.  Otherwise returns 0, or an
 * mh_err (MH_EINVAL, MH_ENOMEM, MH_ETOOBIG over MH_MAX_TOKENS tokens).
 * The token's string pointers are borrowed, valid only during cb.
 */
typedef int (*mh_token_cb)(void *ctx, const mh_token *t);
int mh_tokenize(mh_analyzer *a, const char *text, size_t n, unsigned opts,
                mh_token_cb cb, void *ctx);

/* Stem one lowercase word (Turkish): Snowball plus the post-rules of
 * src/stem.c, without the proper-noun context of mh_analyze.  Borrowed,
 * valid until the next call on a.  Returns NULL on allocation failure. */
const char *mh_stem(mh_analyzer *a, const char *word, size_t n, size_t *out_len);

/*
 * Make a body readable: insert the missing space in glued sentences of
 * clean text ("söyledi.Belarus'un" -> "söyledi. Belarus'un",
 * "vurguladı.'START" -> "vurguladı. 'START", "konuşulmuyor'Lavrov" ->
 * "konuşulmuyor' Lavrov"): a space goes wherever mh_analyze starts a
 * sentence right where the previous one ended.  Leaves abbreviations,
 * domains (HABER7.COM), decimals alone; changes nothing else.
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
    /* Layout hints from HTML (NULL/0 for other inputs): line_hints[i] is an
     * MH_LINE_* value for the i-th line of text (blank lines counted).
     * mh_extract moves MH_LINE_BOILER lines to removed. */
    const unsigned char *line_hints; size_t n_line_hints;
} mh_record;
enum { MH_LINE_TEXT = 0, MH_LINE_BOILER = 1, MH_LINE_HEADING = 2 };

/*
 * Read one input file (format from the extension and content: .txt/.text,
 * .json, .jsonl/.ndjson, .html/.htm, any of those .gz) and call cb once per
 * record.  A record that cannot be read is reported to err_cb (may be NULL)
 * with its index and error, and the rest of the file still goes on.
 * Returns MH_OK when the file was read (even if some records failed), or
 * the error that stopped the whole file (MH_EIO, MH_EBINARY, MH_ETOOBIG...).
 * A cb return != 0 stops reading and is returned.
 * Whole-file errors are only returned, never passed to err_cb: MH_EEMPTY
 * (nothing but whitespace, an empty array), MH_EFORMAT (unparsable JSON,
 * truncated gzip, HTML nested deeper than the parser can afford),
 * MH_ETOOBIG (over MH_MAX_PAGE_BYTES, or a gzip stream inflating to more
 * than 200 times its size and 16 MiB).  JSON: an object, an array of
 * objects, or an object holding one ("articles", "data", "items" ...);
 * fields title/headline, content/text/body/articleBody (a string, an
 * array of paragraphs, or HTML), url, date, outlet/site/publisher,
 * source (an agency goes to source, a site key such as
 * "bigpara_hurriyet" to outlet), category/section, lead/description/
 * summary, crawl_time/crawled_at/fetched_at (ISO or unix seconds/ms).
 * HTML: one line per block, script/style/nav/footer/aside/forms/hidden
 * skipped, hints from <title>, og:*, canonical, article:published_time,
 * JSON-LD, <time>, and line_hints from a main-content heuristic.
 * The record and its strings are valid only during cb.
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
 * What the fields hold:
 *  - title: the headline (the record's title hint when given), never a
 *    menu, category or metadata line; its repetitions go to removed;
 *  - lead: the standfirst paragraph after the title, a trailing dateline
 *    ("28.10.2025, Sputnik Türkiye") cut off into removed; NULL when the
 *    page has a single paragraph (that is the body); not part of body;
 *  - body: the remaining lines joined by "\n", glued sentences repaired
 *    (mh_unglue); sentences: mh_analyze's spans of body;
 *  - date "YYYY-MM-DD": only the page's own date (hint, header line,
 *    stamp under the title, publication label, lead dateline, URL path,
 *    relative stamp with r->crawl_time); never a date in the running text
 *    or in lists of other stories; never later than crawl_time + 1 day;
 *  - outlet: from the URL host, the outlet hint, a menu line, a site
 *    hashtag, the dateline, else the bare host; source: the credited
 *    agency or site (hint, "Kaynak:" line, credit line, "ŞEHİR (AA) -"
 *    dateline, closing "(AA)"), never an agency merely named in a
 *    sentence; category: from the fixed list (mh_category_canon) when the
 *    page names one (hint, label line in the header, URL path segment);
 *  - removed: every dropped non-blank line (and cut-off piece), in page
 *    order, so that nothing is lost silently;
 *  - hash: XXH3-128 of title + "\n" + body, 32 lowercase hex digits.
 */
mh_err mh_extract(const mh_record *r, const mh_template_oracle *tpl, mh_article **out);
/* The same; with MH_EXTRACT_NO_SENTENCES the body is not analysed and
 * sentences is left empty, for a caller that analyses the body itself
 * (the ingest does, with stems, and takes the sentences from there). */
#define MH_EXTRACT_NO_SENTENCES 1u
mh_err mh_extract_ex(const mh_record *r, const mh_template_oracle *tpl, unsigned flags,
                     mh_article **out);
void mh_article_free(mh_article *a);

/* Outlet name for a URL's host ("anlatilaninotesi.com.tr" -> "Sputnik Türkiye");
 * NULL when unknown.  Static string. */
const char *mh_outlet_for_host(const char *host, size_t n);
/* Outlet name for anything that names one: a domain or URL, a display name
 * in any case ("SPUTNIK TÜRKİYE"), a data-set key ("bigpara_hurriyet"), a
 * menu label ("AKİT").  NULL when unknown.  Static string. */
const char *mh_outlet_for_name(const char *s, size_t n);
/* How a credit names an outlet or agency: "Anadolu Ajansı" / "AA" -> "AA",
 * "HABER7.COM" -> "Haber7".  *agency (may be NULL) is set to 1 for news
 * agencies.  NULL when unknown.  Static string. */
const char *mh_outlet_credit(const char *s, size_t n, int *agency);
/* A domain as lowercase ASCII, also when written with Turkish capitals
 * ("HURRİYET.COM.TR", "#BİANET.ORG" after the '#'): ASCII letters are
 * lowered and İ and ı (U+0130, U+0131) read as i.  Writes at most cap - 1
 * bytes and a NUL to out; returns the length, 0 when s has any other
 * non-ASCII byte or does not fit. */
size_t mh_domain_lower(const char *s, size_t n, char *out, size_t cap);
/* Canonical news category ("DÜNYA", "dunya", "dis-haberler" -> "Dünya")
 * from the fixed list; NULL when (s, n) is not a category.  Static string. */
const char *mh_category_canon(const char *s, size_t n);

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
/* Unix seconds of a date (any mh_date_parse form) with an optional ISO
 * time and zone at the start of (s, n); zone-less values are Turkey time
 * (UTC+3), a bare date is its midnight.  0 when none. */
int64_t mh_date_to_unix(const char *s, size_t n);

/* ------------------------------------------------------------------ */
/* 5. Store and search (src/store*.c, src/fts.c, src/search.c)          */
/* ------------------------------------------------------------------ */
/*
 * A database is one SQLite file (WAL) holding articles, the full-text
 * index and what boilerplate learning knows.  One handle per thread.
 * Opening read-write creates
 * the file and brings its schema up to date; MH_DB_READONLY opens an
 * existing database for reading beside a running ingest.
 */
typedef struct mh_db mh_db;

#define MH_DB_READONLY 1u

/* *out: caller frees with mh_db_close.  On failure *out may still be set
 * (so mh_db_errmsg can say why); close it too. */
mh_err mh_db_open(const char *path, unsigned flags, mh_db **out);
void mh_db_close(mh_db *db);
/* Detail of the last failure on db.  Borrowed, valid until the next call
 * on db; never NULL. */
const char *mh_db_errmsg(const mh_db *db);

/* ---- ingest ---- */

typedef struct mh_ingest_stats {
    uint64_t files;        /* input files read so far */
    uint64_t files_total;  /* input files found so far (folders are listed first) */
    uint64_t records;      /* records read */
    uint64_t added;        /* new articles, committed */
    uint64_t dups;         /* records whose content was already stored */
    uint64_t rejected;     /* inputs and records rejected (each sent to on_reject) */
    uint64_t bytes;        /* bytes of record text read */
} mh_ingest_stats;

typedef struct mh_ingest_opts {
    mh_format format;      /* MH_FMT_AUTO: from the extension and content */
    unsigned batch_size;   /* records per transaction; 0 = 4000 (they are
                              worked on in batches of at most 500) */
    unsigned batch_ms;     /* longest a record stays uncommitted, roughly:
                              the open transaction is committed after the
                              first batch that ends this long after its
                              first record; 0 = 5000 */
    /* Called after each commit and each file.  Counts in st are committed
     * ones: what st->added says is on disk. */
    void (*on_progress)(void *ctx, const mh_ingest_stats *st);
    /* Called once per rejected input (record -1 = the whole file) or
     * record, with the reason. */
    void (*on_reject)(void *ctx, const char *path, long record, mh_err e,
                      const char *detail);
    void *ctx;
    /* Threads that extract and analyse pages (storing is one thread);
     * 0 = one per online CPU, at most MH_INGEST_MAX_THREADS.  The
     * callbacks are always called from the calling thread. */
    unsigned threads;
    /* Records extracted and learnt from together (pass 1, the counting
     * of boilerplate lines, pass 2); 0 = 500, never more than batch_size. */
    unsigned work_size;
} mh_ingest_opts;

#define MH_INGEST_MAX_THREADS 16

/*
 * An ingest session: records are batched, extracted in two passes (first
 * counting line recurrence per outlet for boilerplate learning, then
 * extracting with that knowledge), stored and indexed, and committed every
 * batch_size records or batch_ms.  Content already stored (same content
 * hash, or the same raw record) counts as a duplicate, not an error.
 * opts may be NULL; it is copied.  *out: finish with mh_ingest_finish.
 */
typedef struct mh_ingest mh_ingest;
mh_err mh_ingest_new(mh_db *db, const mh_ingest_opts *opts, mh_ingest **out);
/* A file, a folder (recursive, sorted, hidden entries skipped) or "-" for
 * JSONL on stdin.  Rejected inputs go to on_reject and are not errors;
 * the return is MH_OK unless the database failed (or path is missing:
 * that is a rejection too, MH_EIO). */
mh_err mh_ingest_add_path(mh_ingest *ing, const char *path);
/* One record (copied; r is only borrowed during the call). */
mh_err mh_ingest_add_record(mh_ingest *ing, const mh_record *r);
/* Commit what is pending, write the totals to *out (may be NULL), free
 * ing.  Accepts NULL. */
mh_err mh_ingest_finish(mh_ingest *ing, mh_ingest_stats *out);
/* The three above for one path. */
mh_err mh_db_ingest_path(mh_db *db, const char *path, const mh_ingest_opts *opts,
                         mh_ingest_stats *out);

/* ---- articles ---- */

/* *out: caller frees with mh_article_free.  MH_ENOTFOUND when no such id. */
mh_err mh_db_get_article(mh_db *db, int64_t id, mh_article **out);
/* Ids of the articles read from path (as given at ingest, or the same
 * file by its real path), in record order.  *ids: caller frees with
 * mh_free.  MH_ENOTFOUND when none. */
mh_err mh_db_find_path(mh_db *db, const char *path, int64_t **ids, size_t *n);
/* Call cb for every article in id order; a is borrowed during the call.
 * A non-zero cb return stops and is returned; otherwise an mh_err. */
typedef int (*mh_article_cb)(void *ctx, const mh_article *a);
int mh_db_each_article(mh_db *db, mh_article_cb cb, void *ctx);
/* An article as one JSON object (id, path, url, outlet, source, title,
 * date, category, lead, body, removed, sentences, record, hash, plus what
 * later stages add).  *out: caller frees with mh_free. */
mh_err mh_db_article_json(mh_db *db, const mh_article *a, char **out, size_t *out_len);

/* ---- search ---- */

/*
 * Query syntax: words (all must match, in any form: "istanbul" finds
 * "İstanbul'daki", "gorusme" finds "görüşme"), "a phrase", a OR b,
 * -excluded, NOT excluded, prefix*, (grouping).  OR binds tighter than
 * the implicit AND.  A query that cannot be understood is MH_EQUERY with
 * the reason in mh_db_errmsg.
 */
typedef struct mh_search_opts {
    const char *query;
    const char *from, *to;   /* dates "YYYY[-MM[-DD]]", inclusive; NULL = open */
    const char *outlet;      /* outlet name, any case and diacritics; NULL = any */
    size_t limit;            /* 0 = 20; at most 1000 */
    size_t offset;
    const char *hl_open, *hl_close;   /* snippet markers; NULL = "[" and "]" */
    int snippet_tokens;      /* words per snippet; 0 = 24 */
    /* Rank the newest N matching articles (the most recently stored; all
     * of them when fewer match): a common word matches tens of thousands
     * of articles, and scoring each costs about a microsecond.  0 = 500;
     * SIZE_MAX = rank every match.  Always at least 2 * (offset + limit).
     * With date or outlet filters, when fewer than limit of the window
     * pass them, every match is ranked. */
    size_t rank_window;
} mh_search_opts;

typedef struct mh_hit {
    int64_t id;
    double score;            /* relevance, higher is better: BM25 (k1 1.2, b 0.75) with
                                title 10, lead 4, body 1; document frequencies of
                                common words estimated from their newest matches */
    char *path, *title, *date, *outlet, *snippet;   /* NULL when unknown */
} mh_hit;

/* Best hits first.  *out: caller frees with mh_hits_free(*out, *n). */
mh_err mh_db_search(mh_db *db, const mh_search_opts *opts, mh_hit **out, size_t *n);
void mh_hits_free(mh_hit *hits, size_t n);

/* ---- statistics and upkeep ---- */

typedef struct mh_stats {
    int64_t articles;        /* stored articles */
    int64_t records;         /* distinct raw records seen */
    int64_t outlets;         /* distinct outlets among articles */
    int64_t template_lines;  /* lines currently known as boilerplate candidates */
    char first_date[11], last_date[11];   /* "" when no dated article */
    int schema_version;
    int64_t db_bytes;        /* size of the database file */
} mh_stats;
mh_err mh_db_stats(mh_db *db, mh_stats *out);
/* Articles per outlet, most first ("" = unknown outlet).  Strings are
 * borrowed during the call.  Return as mh_db_each_article. */
typedef int (*mh_outlet_cb)(void *ctx, const char *outlet, int64_t articles);
int mh_db_each_outlet(mh_db *db, mh_outlet_cb cb, void *ctx);
/* Merge the full-text index into one segment (after a big ingest). */
mh_err mh_db_optimize(mh_db *db);
/* Verify the database file and that the full-text index matches the
 * articles.  MH_OK, or MH_EDB with the first problem in mh_db_errmsg.
 * Needs a read-write handle. */
mh_err mh_db_check(mh_db *db);

/* ------------------------------------------------------------------ */
/* 6. Dedup and stories (src/minhash.c, src/story.c,                   */
/*    src/store_sqlite_story.c)                                         */
/* ------------------------------------------------------------------ */
/*
 * Copy detection.  A fingerprint summarises a body's set of shingles
 * (MH_FP_SHINGLE consecutive ASCII-folded Turkish-lowercase tokens, so
 * re-typed letters still match): MinHash LSH band keys for resemblance
 * and a bottom-k sketch for verification (Jaccard and containment, so a
 * short trimmed copy of a long text is still a copy).  200 bytes.
 */
#define MH_FP_SHINGLE   4    /* tokens per shingle */
#define MH_FP_MINHASH  64    /* MinHash signature length */
#define MH_FP_BANDS    16    /* LSH bands of MH_FP_MINHASH / MH_FP_BANDS rows */
#define MH_FP_SKETCH   32    /* bottom-k sketch size */
#define MH_FP_ANCHORS  16    /* smallest sketch values indexed for containment */

typedef struct mh_fingerprint {
    uint32_t n_shingles;              /* distinct shingles; 0 = no text */
    uint32_t n_sketch;                /* used entries of sketch */
    uint32_t sketch[MH_FP_SKETCH];    /* smallest 32-bit shingle hashes, ascending */
    uint32_t bands[MH_FP_BANDS];      /* LSH key of each band of the signature */
} mh_fingerprint;

/* Reusable fingerprint builder (token hashes, shingle set).  Caller frees
 * with mh_shingler_free.  NULL on allocation failure. */
typedef struct mh_shingler mh_shingler;
mh_shingler *mh_shingler_new(void);
void mh_shingler_free(mh_shingler *s);
void mh_shingler_reset(mh_shingler *s);
/* Feed the next token (its ASCII-folded form, mh_token.fold).  Errors are
 * sticky and reported by mh_shingler_finish. */
void mh_shingler_add(mh_shingler *s, const char *fold, size_t n);
/* Fingerprint of the tokens fed since the last reset; resets s. */
mh_err mh_shingler_finish(mh_shingler *s, mh_fingerprint *out);
/* Fingerprint of an analysed text (d may be NULL: empty fingerprint). */
mh_err mh_fingerprint_doc(mh_shingler *s, const mh_doc *d, mh_fingerprint *out);
/* Fingerprint of clean text, tokenized without stems. */
mh_err mh_fingerprint_text(mh_analyzer *a, mh_shingler *s, const char *text, size_t n,
                           mh_fingerprint *out);

/* Estimates from two sketches. */
typedef struct mh_fp_match {
    double jaccard;        /* resemblance |A n B| / |A u B| */
    double containment;    /* |A n B| / min(|A|, |B|) */
    unsigned samples;      /* common sketch values behind the estimates */
} mh_fp_match;
/* 1 when a and b are copies of one text (the verification rule), else 0.
 * Symmetric.  out may be NULL. */
int mh_fingerprint_compare(const mh_fingerprint *a, const mh_fingerprint *b,
                           mh_fp_match *out);

/* Days since 1970-01-01 of a "YYYY-MM-DD..." date; MH_DAY_UNKNOWN when
 * (s, n) does not start with a valid date.  Undated sorts last. */
#define MH_DAY_UNKNOWN INT32_MAX
int32_t mh_day_from_date(const char *s, size_t n);

/*
 * The copy index: in memory, LSH band keys and sketch anchors to find
 * candidates, sketch verification, union-find groups.  A group's first
 * article is the earliest by (day, id).  Groups do not depend on the order
 * of adds; the first article does not either unless two candidates for it
 * share a day (then the smaller id wins).  Caller frees with
 * mh_dupindex_free.
 */
typedef struct mh_dupindex mh_dupindex;
mh_dupindex *mh_dupindex_new(void);
void mh_dupindex_free(mh_dupindex *x);

typedef struct mh_dup_result {
    int64_t first;           /* the group's earliest article (== id when alone) */
    size_t size;             /* articles in the group now */
    const int64_t *merged;   /* first articles of the groups joined by this add
                                (borrowed, valid until the next call on x) */
    size_t n_merged;
} mh_dup_result;

/* Add a new article (id > 0, not yet in x) and join it with its copies.
 * MH_EDUP when id is already there. */
mh_err mh_dupindex_add(mh_dupindex *x, int64_t id, int32_t day, const mh_fingerprint *fp,
                       mh_dup_result *out);
/* Restore a stored article without matching: articles loaded with the same
 * group (an id naming the group; 0 = alone) are joined. */
mh_err mh_dupindex_load(mh_dupindex *x, int64_t id, int32_t day, int64_t group,
                        const mh_fingerprint *fp);
/* Room for n articles in all before loading them (n from a count of the
 * stored ones): the loads then make no copies of the tables.  Only a
 * matter of speed; MH_ENOMEM leaves x as it was, still usable. */
mh_err mh_dupindex_reserve(mh_dupindex *x, size_t n);
/* The first article of id's group (0 when id is unknown); *size its size. */
int64_t mh_dupindex_first(mh_dupindex *x, int64_t id, size_t *size);
size_t mh_dupindex_count(const mh_dupindex *x);
/* Bytes of memory held by the index. */
size_t mh_dupindex_bytes(const mh_dupindex *x);

/*
 * Copy groups and stories in a database.  Every newly ingested article is
 * fingerprinted and joined to its copy group (dup_of: the group's earliest
 * article by date, then by id; nothing is deleted) and to a story
 * (articles about one event across outlets: online clustering of tf-idf
 * vectors of stems and names within a time window).  export and show gain
 * dup_of, dup_group and story.
 *
 * The answers are JSON text; *out: caller frees with mh_free.
 *  - dups: [{group, size, first{id,date,outlet}, outlets[], articles[{id,
 *    date,outlet,title,path}]}], biggest groups first, members earliest
 *    first.
 *  - stories: the top stories with articles dated in [from, to] (dates
 *    "YYYY[-MM[-DD]]", NULL = open), ranked by distinct outlets in the
 *    range, then growth (articles in the range minus articles in an equally
 *    long period before it), then articles: [{id, headline, representative,
 *    first_date, last_date, articles, outlets, first_outlet, terms[],
 *    articles_in_range, outlets_in_range, growth}].  limit 0 = 20.
 *  - story: one story's fields plus members[{id,date,outlet,title,dup_of}];
 *    MH_ENOTFOUND when no such story.
 *  - related: the limit (0 = 10, at most 1000) most similar other articles,
 *    copies of it left out: [{id, score, date, outlet, title, story}].
 *    MH_ENOTFOUND when no such article.
 */
mh_err mh_db_dups_json(mh_db *db, char **out, size_t *len);
mh_err mh_db_stories_json(mh_db *db, const char *from, const char *to, size_t limit,
                          char **out, size_t *len);
mh_err mh_db_story_json(mh_db *db, int64_t id, char **out, size_t *len);
mh_err mh_db_related_json(mh_db *db, int64_t article, size_t limit, char **out, size_t *len);

/* ------------------------------------------------------------------ */
/* Entities and quotes (src/entity.c, src/quote.c, src/gazetteer.c)     */
/* ------------------------------------------------------------------ */
/*
 * Who said what.  Entities are people, places and organisations found by
 * a statistical tagger (averaged perceptron trained on WikiNER, built-in)
 * plus gazetteers; each mention has byte offsets, its surface form and a
 * canonical name.  Titles and roles are attributes ("Rusya Dışişleri
 * Bakanı"), never part of the name.  Quotes are statements with a speaker,
 * the speaker's role, the reporting verb and a kind.
 */
typedef enum mh_ent_type {
    MH_ENT_NONE = 0, MH_ENT_PERSON, MH_ENT_PLACE, MH_ENT_ORG, MH_ENT_TYPE_COUNT
} mh_ent_type;
/* "person", "place", "org" ("" for NONE).  Static string. */
const char *mh_ent_type_name(mh_ent_type t);
/* Inverse of mh_ent_type_name (also "organisation"); NONE when unknown. */
mh_ent_type mh_ent_type_parse(const char *s, size_t n);

typedef struct mh_ner mh_ner;   /* a trained tagger; read-only, shareable */

/* The model compiled into the library (data/ner.model at build time).
 * Borrowed, valid for the life of the process; NULL when memory ran out. */
const mh_ner *mh_ner_builtin(void);
/* Load a model file written by tools/train_ner (MH_EFORMAT when it is not
 * one).  *out: caller frees with mh_ner_free. */
mh_err mh_ner_load(const char *path, mh_ner **out);
mh_err mh_ner_load_mem(const void *data, size_t n, mh_ner **out);
void mh_ner_free(mh_ner *m);
/* The model's header (training data, licence, settings).  Borrowed from m. */
const char *mh_ner_info(const mh_ner *m);

enum {
    MH_MEN_GAZ      = 1u << 0,  /* found or confirmed by a gazetteer */
    MH_MEN_RESOLVED = 1u << 1,  /* canonical name taken from another mention */
    MH_MEN_MODEL    = 1u << 2   /* found by the tagger */
};

typedef struct mh_mention {
    uint32_t start, end;        /* the name in doc->text, without an apostrophe
                                   suffix ("Lavrov" of "Lavrov'un") */
    uint32_t full_end;          /* [start, full_end) is the surface form */
    uint32_t tok, n_tok;        /* first token index and token count */
    mh_ent_type type;
    unsigned flags;             /* MH_MEN_* */
    const char *name; uint32_t name_len;  /* canonical name ("Sergey Lavrov") */
    const char *role; uint32_t role_len;  /* role written before the name
                                             ("Rusya Dışişleri Bakanı"); len 0 if none */
    uint32_t role_start;        /* byte offset of the role (== start if none) */
} mh_mention;

typedef struct mh_entities {
    mh_mention *m; size_t n;    /* in text order */
    struct mh_entities_priv *priv;   /* library use */
} mh_entities;

/*
 * Find the entities of an analysed text (mh_analyze; stems are not needed).
 * ner NULL = mh_ner_builtin().  context (may be NULL) holds the entities of
 * the rest of the article: a headline's "Lavrov" becomes "Sergey Lavrov"
 * from the body.  A surname alone refers to the full name of the same
 * article; gazetteer variants take their canonical spelling.
 * *out: caller frees with mh_entities_free (doc must outlive it, and so
 * must context: names resolved from it point into it).
 */
mh_err mh_entities_find(const mh_ner *ner, const mh_doc *doc,
                        const mh_entities *context, unsigned opts,
                        mh_entities **out);
void mh_entities_free(mh_entities *e);

/*
 * The key under which spelling variants of a name merge across the store
 * (Sergey/Sergei Lavrov, Kiev/Kyiv).  *out: caller frees with mh_free.
 */
mh_err mh_entity_key(const char *name, size_t n, char **out, size_t *out_len);

typedef enum mh_quote_kind {
    MH_QUOTE_DIRECT = 0,    /* words in quote marks, or a headline "Name: statement" */
    MH_QUOTE_INDIRECT,      /* reported speech: "... olduğunu söyledi" */
    MH_QUOTE_PARTIAL        /* a quoted word or phrase inside reported speech */
} mh_quote_kind;
/* "direct", "indirect", "partial".  Static string. */
const char *mh_quote_kind_name(mh_quote_kind k);

enum { MH_QF_HEADLINE = 1u << 0 };   /* found by the headline rule */

typedef struct mh_quote {
    uint32_t start, end;        /* the statement in doc->text, marks excluded */
    mh_quote_kind kind;
    unsigned flags;             /* MH_QF_* */
    long speaker_mention;       /* index into the entities, -1 when unknown */
    mh_ent_type speaker_type;   /* NONE when unknown */
    const char *speaker; uint32_t speaker_len;     /* canonical name; NULL if unknown */
    const char *speaker_role; uint32_t speaker_role_len;  /* NULL if none */
    const char *verb; uint32_t verb_len;   /* reporting verb, canonical ("dedi",
                                              "diye konuştu"); NULL for headlines */
    uint32_t verb_start, verb_end;         /* the predicate in the text; 0/0 if none */
} mh_quote;

typedef struct mh_quotes {
    mh_quote *q; size_t n;      /* in text order */
    void *priv;                 /* library use */
} mh_quotes;

/*
 * Find the quotes of an analysed text with the entities found on it (ents
 * may be NULL: every speaker is then unknown).  Speakers are the subject
 * (Lavrov, "..." dedi), a participle's head ("..." diyen Putin), a
 * genitive (Guterres'in "..." sözleri), a role standing for a person named
 * earlier (Dışişleri Bakanı, ...), an agency or outlet, or unknown; never a
 * guess.  MH_QUOTE_OPT_HEADLINE: doc is a headline, where "Name: statement"
 * is a quote.  *out: caller frees with mh_quotes_free (strings inside point
 * into doc, ents and *out).
 */
#define MH_QUOTE_OPT_HEADLINE 1u
mh_err mh_quotes_find(const mh_doc *doc, const mh_entities *ents, unsigned opts,
                      mh_quotes **out);
void mh_quotes_free(mh_quotes *q);

/*
 * The key of a statement across the store: a 128-bit hash (32 hex digits
 * + NUL) of the folded words of text and the speaker's name key, so the
 * same quote carried by several outlets is one quote.
 */
mh_err mh_quote_key(const char *text, size_t n, const char *speaker, size_t sn,
                    char out[33]);

/*
 * The store keeps every article's entities and quotes (found when the
 * article is stored); export/show gain "entities" (text, name, type,
 * start, end) and "quotes" (text, speaker, speaker_role, verb, kind,
 * start, end); offsets are into the body, or into the title or the lead
 * when the item says "in": "title" or "in": "lead".  A NAME below is any
 * spelling: a full name, a surname, an alias ("Lavrov", "Sergei Lavrov").
 * Each answers in JSON; *out: caller frees with mh_free.
 */
/* People, places, organisations by number of articles; type NONE = all;
 * limit 0 = 100. */
mh_err mh_db_entities_json(mh_db *db, mh_ent_type type, size_t limit, char **out,
                           size_t *len);
/* One entity: aliases, roles, mentions by date, co-occurring names,
 * quotes.  MH_ENOTFOUND when no entity has that name. */
mh_err mh_db_entity_json(mh_db *db, const char *name, char **out, size_t *len);

typedef struct mh_quote_filter {
    const char *speaker;    /* NAME; NULL = anyone (unknown speakers too) */
    const char *about;      /* words the statement must contain; NULL = any */
    const char *from, *to;  /* first-seen dates "YYYY[-MM[-DD]]", inclusive */
    size_t limit;           /* 0 = 1000 */
} mh_quote_filter;
/* Statements, each once however many outlets carried it, with its
 * sources and first-seen date, oldest first. */
mh_err mh_db_quotes_json(mh_db *db, const mh_quote_filter *f, char **out, size_t *len);
/* Statements and mentions of one entity by date.  MH_ENOTFOUND as above. */
mh_err mh_db_timeline_json(mh_db *db, const char *name, char **out, size_t *len);

#ifdef __cplusplus
}
#endif
#endif /* MUHABIR_H */
