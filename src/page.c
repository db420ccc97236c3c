/*
 * page.c -- reading input files into records: plain-text page dumps,
 * JSON (one object, an array, or an object holding an array of articles),
 * JSON Lines, HTML, and any of those gzip-compressed.
 *
 * Every string handed out is clean text (mh_clean): the page text with
 * MH_CLEAN_LINES, hints as single lines.  HTML is turned into one line per
 * block (p, li, h1..h6, td, div text ...), with script, style, nav, footer,
 * aside, form, noscript, template and hidden elements skipped, and a
 * layout hint per line: a main-content heuristic marks the lines outside
 * the article container, or dense with links, as MH_LINE_BOILER, so that
 * mh_extract can move them to `removed` instead of losing them.
 *
 * The main-content heuristic follows the boilerplate-removal literature
 * (Kohlschütter et al., "Boilerplate Detection using Shallow Text
 * Features", WSDM 2010: text and link density per block; the Arc90
 * Readability scoring of containers by the paragraphs they hold): every
 * paragraph of 25+ characters scores its ancestors by its length and
 * commas; containers gain or lose by class/id words (article, content /
 * comment, sidebar, related ...) and lose in proportion to their link
 * density; the best container and its strong siblings are the article.
 *
 * Limits and ceilings: a file or a decompressed stream over
 * MH_MAX_PAGE_BYTES is MH_ETOOBIG, and so is a gzip stream inflating to
 * more than 200 times its size (at least 16 MiB): bombs are inflated into
 * a capped buffer and stop early; a JSON line over MH_MAX_LINE_BYTES is
 * reported as that record's error; HTML is parsed only up to HTML_MAX_BYTES
 * and an estimated element nesting of HTML_MAX_DEPTH, because the HTML
 * parser is quadratic in nesting depth (200,000 nested divs take minutes).
 */
#include "internal.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <gumbo.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

#define HTML_MAX_BYTES ((size_t)32 << 20)
#define HTML_MAX_DEPTH 2000
#define JSON_FIND_DEPTH 6

/* ------------------------------------------------------------------ */
/* small helpers                                                       */
/* ------------------------------------------------------------------ */

/* ASCII-only lowercase, for tag names, attribute values and file
 * extensions; never used on text. */
static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* ASCII case-insensitive: does s (length n) end with suffix? */
static bool ascii_ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    if (k > n)
        return false;
    for (size_t i = 0; i < k; i++)
        if (ascii_lower(s[n - k + i]) != suffix[i])
            return false;
    return true;
}

/* ASCII case-insensitive substring search in the first n bytes of s. */
static bool ascii_contains(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    if (k == 0)
        return true;
    for (size_t i = 0; i + k <= n; i++) {
        size_t j = 0;
        while (j < k && ascii_lower(s[i + j]) == needle[j])
            j++;
        if (j == k)
            return true;
    }
    return false;
}

static bool is_space_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Clean one hint value into a single line; NULL for empty or on error.
 * Running out of memory is not a hint without value: it sets *err. */
static char *clean_hint(const char *s, size_t n, mh_err *err)
{
    char *out = NULL;
    size_t len = 0;
    if (!s || !n)
        return NULL;
    mh_err rc = mh_clean(s, n, 0, &out, &len);
    if (rc != MH_OK) {
        if (rc == MH_ENOMEM)
            *err = rc;
        return NULL;
    }
    if (len == 0) {
        mh_free(out);
        return NULL;
    }
    return out;
}

/* The strings a record owns; everything is freed by rec_free. */
typedef struct owned_rec {
    mh_record r;
    char *text, *title, *url, *date, *outlet, *source, *category, *lead;
    unsigned char *hints;
} owned_rec;

static void rec_free(owned_rec *o)
{
    mh_free(o->text);
    mh_free(o->title);
    mh_free(o->url);
    mh_free(o->date);
    mh_free(o->outlet);
    mh_free(o->source);
    mh_free(o->category);
    mh_free(o->lead);
    mh_free(o->hints);
    memset(o, 0, sizeof *o);
}

/* Point the public view at the owned strings. */
static void rec_publish(owned_rec *o, const char *path, long index)
{
    o->r.path = path;
    o->r.index = index;
    o->r.text = o->text ? o->text : "";
    o->r.title = o->title;
    o->r.url = o->url;
    o->r.date = o->date;
    o->r.outlet = o->outlet;
    o->r.source = o->source;
    o->r.category = o->category;
    o->r.lead = o->lead;
    o->r.line_hints = o->hints;
}

/* ------------------------------------------------------------------ */
/* gzip                                                                */
/* ------------------------------------------------------------------ */

/* Inflate a gzip or zlib stream (and concatenated gzip members) into out.
 * The caller sizes out's ceiling (see gz_ceiling) to stop decompression
 * bombs. */
static mh_err gunzip(const unsigned char *in, size_t n, mh_buf *out)
{
    z_stream z;
    unsigned char chunk[1 << 16];
    mh_err rc = MH_OK;
    memset(&z, 0, sizeof z);
    if (n > (size_t)UINT32_MAX)
        return MH_ETOOBIG;
    if (inflateInit2(&z, 15 + 32) != Z_OK)
        return MH_ENOMEM;
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)n;
    for (;;) {
        z.next_out = chunk;
        z.avail_out = sizeof chunk;
        int zr = inflate(&z, Z_NO_FLUSH);
        mh_buf_add(out, chunk, sizeof chunk - z.avail_out);
        if (out->err) {
            rc = out->err;
            break;
        }
        if (zr == Z_STREAM_END) {
            /* Another gzip member may follow; anything else is ignored. */
            if (z.avail_in >= 2 && z.next_in[0] == 0x1f && z.next_in[1] == 0x8b) {
                if (inflateReset(&z) != Z_OK) {
                    rc = MH_EFORMAT;
                    break;
                }
                continue;
            }
            break;
        }
        if (zr == Z_MEM_ERROR) {
            rc = MH_ENOMEM;
            break;
        }
        if (zr != Z_OK || (z.avail_in == 0 && z.avail_out != 0)) {
            /* A data error, or input exhausted before the end of stream
             * (a truncated file). */
            rc = MH_EFORMAT;
            break;
        }
    }
    inflateEnd(&z);
    return rc;
}

/*
 * The most a compressed input may expand to: text and HTML compress
 * about 3 to 15 times, so 200 times the compressed size (at least 16 MiB,
 * at most the page ceiling) leaves room for any real page while a bomb
 * (a few KiB of zeros that would inflate to gigabytes) stops early
 * instead of filling memory up to MH_MAX_PAGE_BYTES.
 */
static size_t gz_ceiling(size_t compressed)
{
    size_t lim = (size_t)16 << 20;
    if (compressed < MH_MAX_PAGE_BYTES / 200 && compressed * 200 > lim)
        lim = compressed * 200;
    else if (compressed >= MH_MAX_PAGE_BYTES / 200)
        lim = MH_MAX_PAGE_BYTES;
    return lim;
}

/* ------------------------------------------------------------------ */
/* format detection                                                    */
/* ------------------------------------------------------------------ */

static mh_format format_from_name(const char *path)
{
    size_t n;
    if (!path)
        return MH_FMT_AUTO;
    n = strlen(path);
    if (ascii_ends_with(path, n, ".gz"))
        n -= 3;
    if (ascii_ends_with(path, n, ".txt") || ascii_ends_with(path, n, ".text"))
        return MH_FMT_TEXT;
    if (ascii_ends_with(path, n, ".jsonl") || ascii_ends_with(path, n, ".ndjson"))
        return MH_FMT_JSONL;
    if (ascii_ends_with(path, n, ".json"))
        return MH_FMT_JSON;
    if (ascii_ends_with(path, n, ".html") || ascii_ends_with(path, n, ".htm") ||
        ascii_ends_with(path, n, ".xhtml"))
        return MH_FMT_HTML;
    return MH_FMT_AUTO;
}

/* Guess from content: JSON when it opens with '{' or '[', HTML when the
 * first 4 KiB hold a document-level tag (a text dump may contain <image>
 * placeholders, which are not HTML), text otherwise. */
static mh_format format_from_content(const char *s, size_t n)
{
    size_t i = 0;
    if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
        (unsigned char)s[2] == 0xBF)
        i = 3;
    while (i < n && is_space_byte((unsigned char)s[i]))
        i++;
    if (i < n && (s[i] == '{' || s[i] == '['))
        return MH_FMT_JSON;
    size_t k = n - i < 4096 ? n - i : 4096;
    static const char *const tags[] = { "<!doctype html", "<html", "<head", "<body",
                                        "<meta ", "<div", "<p>", "<p ", "<article", "<br" };
    for (size_t t = 0; t < MH_ARRAY_LEN(tags); t++)
        if (ascii_contains(s + i, k, tags[t]))
            return MH_FMT_HTML;
    return MH_FMT_TEXT;
}

/* ------------------------------------------------------------------ */
/* HTML                                                                */
/* ------------------------------------------------------------------ */

/*
 * Estimate the element nesting depth without parsing: start tags push,
 * end tags pop; void elements, self-closed tags and elements whose end
 * tag is implied (p, li, td ...) do not count; comments and script/style
 * bodies are skipped.  Used only to refuse inputs that would make the
 * parser crawl.
 */
static size_t html_depth_estimate(const char *s, size_t n)
{
    static const char *const flat[] = {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "param", "source", "track", "wbr", "p", "li", "dt", "dd", "option", "tr", "td",
        "th", "tbody", "thead", "tfoot", "colgroup", "optgroup", "rb", "rt", "rp",
        "keygen", "frame", "basefont", "isindex",
    };
    size_t depth = 0, max = 0, i = 0;
    while (i < n) {
        const char *lt = memchr(s + i, '<', n - i);
        if (!lt)
            break;
        i = (size_t)(lt - s) + 1;
        if (i + 3 <= n && memcmp(s + i, "!--", 3) == 0) {
            size_t j = i + 3;
            while (j + 3 <= n && memcmp(s + j, "-->", 3) != 0)
                j++;
            i = j + 3;
            continue;
        }
        bool end = i < n && s[i] == '/';
        if (end)
            i++;
        char name[12];
        size_t k = 0;
        while (i < n && k + 1 < sizeof name &&
               ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                (s[i] >= '0' && s[i] <= '9'))) {
            name[k++] = ascii_lower(s[i]);
            i++;
        }
        name[k] = 0;
        if (!k)
            continue;
        const char *gt = memchr(s + i, '>', n - i);
        bool selfclose = gt && gt > s + i && gt[-1] == '/';
        bool skip = false;
        for (size_t f = 0; f < MH_ARRAY_LEN(flat); f++)
            if (strcmp(name, flat[f]) == 0)
                skip = true;
        if (!end && (strcmp(name, "script") == 0 || strcmp(name, "style") == 0)) {
            /* Skip the raw body up to its end tag. */
            const char *close = strcmp(name, "script") == 0 ? "</script" : "</style";
            size_t j = gt ? (size_t)(gt - s) : n;
            while (j < n && !(s[j] == '<' && j + strlen(close) <= n &&
                              ascii_contains(s + j, strlen(close), close)))
                j++;
            i = j;
            continue;
        }
        if (skip || selfclose)
            continue;
        if (end) {
            if (depth)
                depth--;
        } else if (++depth > max) {
            max = depth;
        }
    }
    return max;
}

enum { K_OTHER = 0, K_P, K_H, K_LI, K_TD, K_PRE, K_DIV, K_H1 };

static bool tag_is_block(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_BODY: case GUMBO_TAG_CAPTION: case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DD: case GUMBO_TAG_DETAILS: case GUMBO_TAG_DIR: case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE: case GUMBO_TAG_H1:
    case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5:
    case GUMBO_TAG_H6: case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP: case GUMBO_TAG_HR:
    case GUMBO_TAG_HTML: case GUMBO_TAG_LI: case GUMBO_TAG_MAIN: case GUMBO_TAG_OL:
    case GUMBO_TAG_P: case GUMBO_TAG_PRE: case GUMBO_TAG_SECTION: case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_TABLE: case GUMBO_TAG_TBODY: case GUMBO_TAG_TD: case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TH: case GUMBO_TAG_THEAD: case GUMBO_TAG_TR: case GUMBO_TAG_UL:
    case GUMBO_TAG_LEGEND: case GUMBO_TAG_OPTION:
        return true;
    default:
        return false;
    }
}

/*
 * A <form> is page furniture (search boxes, comment and login forms) and
 * is skipped -- unless it wraps the page, as ASP.NET pages wrap their whole
 * body in one: a form holding an <article>/<main> or three paragraphs is
 * read like any container.
 */
static bool form_is_wrapper(const GumboNode *form)
{
    const GumboNode **st = NULL;
    size_t n = 0, cap = 0, paras = 0;
    bool wrapper = false;
    cap = 64;
    st = mh_malloc(cap * sizeof *st);
    if (!st)
        return false;
    st[n++] = form;
    while (n && !wrapper) {
        const GumboNode *x = st[--n];
        const GumboVector *ch = &x->v.element.children;
        for (unsigned i = 0; i < ch->length; i++) {
            const GumboNode *c = ch->data[i];
            if (c->type != GUMBO_NODE_ELEMENT)
                continue;
            GumboTag t = c->v.element.tag;
            if (t == GUMBO_TAG_ARTICLE || t == GUMBO_TAG_MAIN || (t == GUMBO_TAG_P && ++paras >= 3)) {
                wrapper = true;
                break;
            }
            if (n == cap && mh_grow(&st, &cap, n + 1, sizeof *st, 64)) {
                n = 0;
                break;
            }
            st[n++] = c;
        }
    }
    mh_free(st);
    return wrapper;
}

/* Subtrees whose text is never page text. */
static bool tag_is_skipped(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_NAV: case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_ASIDE: case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_SVG: case GUMBO_TAG_MATH: case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED: case GUMBO_TAG_CANVAS: case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO: case GUMBO_TAG_MAP:
    case GUMBO_TAG_MENU: case GUMBO_TAG_INPUT:
        return true;
    default:
        return false;
    }
}

static int tag_kind(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_P: case GUMBO_TAG_BLOCKQUOTE: return K_P;
    case GUMBO_TAG_H1: return K_H1;
    case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5:
    case GUMBO_TAG_H6: return K_H;
    case GUMBO_TAG_LI: case GUMBO_TAG_DT: case GUMBO_TAG_DD: return K_LI;
    case GUMBO_TAG_TD: case GUMBO_TAG_TH: return K_TD;
    case GUMBO_TAG_PRE: return K_PRE;
    case GUMBO_TAG_DIV: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_MAIN: case GUMBO_TAG_CENTER: case GUMBO_TAG_BODY: return K_DIV;
    default: return K_OTHER;
    }
}

static const char *attr(const GumboNode *node, const char *name)
{
    GumboAttribute *a = gumbo_get_attribute(&node->v.element.attributes, name);
    return a ? a->value : NULL;
}

/* Hidden by markup: the hidden attribute, aria-hidden, or an inline
 * display:none / visibility:hidden. */
static bool node_hidden(const GumboNode *node)
{
    const char *v;
    if (attr(node, "hidden"))
        return true;
    v = attr(node, "aria-hidden");
    if (v && strcmp(v, "true") == 0)
        return true;
    v = attr(node, "style");
    if (v) {
        char buf[256];
        size_t k = 0;
        for (size_t i = 0; v[i] && k + 1 < sizeof buf; i++)
            if (v[i] != ' ')
                buf[k++] = ascii_lower(v[i]);
        buf[k] = 0;
        if (strstr(buf, "display:none") || strstr(buf, "visibility:hidden"))
            return true;
    }
    return false;
}

/* Class/id weight: words that mark article containers and words that mark
 * page furniture (Readability's lists, extended with Turkish sites'
 * habits: "haber-detay", "icerik", "ilgili", "yorum", "paylas"). */
static int class_weight(const GumboNode *node)
{
    static const char *const neg[] = {
        "comment", "yorum", "footer", "foot", "sidebar", "side-bar", "related", "ilgili",
        "benzer", "share", "paylas", "social", "sosyal", "nav", "menu", "breadcrumb",
        "cookie", "cerez", "newsletter", "subscribe", "advert", "reklam", "banner",
        "promo", "sponsor", "widget", "popular", "populer", "most-read", "masthead",
        "outbrain", "taboola", "tags", "etiket", "login", "signup", "modal", "popup",
        "recommend", "trending", "more-stories", "read-more", "author-bio", "byline",
        "caption", "credit", "toolbar", "pagination", "hidden",
    };
    static const char *const pos[] = {
        "article", "content", "entry", "hentry", "main", "post", "story", "text",
        "body", "haber-detay", "haberdetay", "news-detail", "icerik", "detail",
    };
    char buf[512];
    size_t k = 0;
    const char *vals[2] = { attr(node, "class"), attr(node, "id") };
    for (int v = 0; v < 2; v++) {
        if (!vals[v])
            continue;
        for (size_t i = 0; vals[v][i] && k + 2 < sizeof buf; i++)
            buf[k++] = ascii_lower(vals[v][i]);
        buf[k++] = ' ';
    }
    buf[k] = 0;
    if (!k)
        return 0;
    int w = 0;
    for (size_t i = 0; i < MH_ARRAY_LEN(neg); i++)
        if (strstr(buf, neg[i])) {
            w -= 25;
            break;
        }
    for (size_t i = 0; i < MH_ARRAY_LEN(pos); i++)
        if (strstr(buf, pos[i])) {
            w += 25;
            break;
        }
    return w;
}

/*
 * Furniture: an element whose class token or id starts with one of these
 * words is a comment section, a related-stories box, a share bar ...;
 * its lines are never scored and always marked boilerplate.  Matching the
 * start of a token keeps "comment-list" and id="comments" but not
 * "has-comments" or "article-footer".
 */
static bool is_furniture(const GumboNode *node)
{
    static const char *const starts[] = {
        "comment", "yorum", "disqus", "respond", "related", "ilgili", "benzer", "sidebar",
        "share", "sharing", "paylas", "social", "newsletter", "cookie", "cerez", "breadcrumb",
        "advert", "reklam", "outbrain", "taboola", "popular", "populer", "most-read",
        "mostread", "footer", "subscribe", "login", "modal", "popup", "trending", "recommend",
    };
    const char *vals[2] = { attr(node, "class"), attr(node, "id") };
    for (int v = 0; v < 2; v++) {
        const char *p = vals[v];
        while (p && *p) {
            while (*p == ' ')
                p++;
            const char *e = p;
            while (*e && *e != ' ')
                e++;
            for (size_t i = 0; i < MH_ARRAY_LEN(starts) && e > p; i++) {
                size_t k = strlen(starts[i]);
                size_t j = 0;
                while (j < k && p + j < e && ascii_lower(p[j]) == starts[i][j])
                    j++;
                if (j == k)
                    return true;
            }
            p = e;
        }
    }
    return false;
}

typedef struct hel {
    uint32_t parent;       /* parent element id (0 for the root) */
    uint32_t end;          /* last id in this element's subtree */
    GumboTag tag;
    int weight;            /* class/id weight */
    bool scored;
    double score;
    size_t self_text, self_link;   /* bytes of lines whose block is this element */
    size_t sub_text, sub_link;     /* the same over the subtree */
} hel;

typedef struct hline {
    size_t off, len;       /* into the text buffer */
    uint32_t block;        /* innermost block element */
    size_t raw, link;      /* raw text bytes, of which inside links */
    int kind;
    bool furniture;        /* inside a furniture element */
} hline;

typedef struct hmeta {
    char *title_tag, *og_title, *h1, *url, *site, *date, *desc, *section;
    char *ld_headline, *ld_date, *ld_section, *ld_publisher, *time_dt;
    uint32_t time_id;      /* element id of the first <time datetime> */
    mh_err err;            /* memory ran out while keeping a hint */
} hmeta;

typedef struct hwalk {
    mh_buf text;           /* lines joined by '\n' */
    mh_buf cur;            /* raw text of the line being collected */
    size_t cur_link;       /* bytes of cur inside links */
    int furn;              /* depth of furniture elements around the walk */
    hline *lines; size_t n_lines, cap_lines;
    hel *els; size_t n_els, cap_els;
    hmeta meta;
    mh_err err;
} hwalk;

static void hmeta_free(hmeta *m)
{
    char **f[] = { &m->title_tag, &m->og_title, &m->h1, &m->url, &m->site, &m->date,
                   &m->desc, &m->section, &m->ld_headline, &m->ld_date, &m->ld_section,
                   &m->ld_publisher, &m->time_dt };
    for (size_t i = 0; i < MH_ARRAY_LEN(f); i++) {
        mh_free(*f[i]);
        *f[i] = NULL;
    }
}

/* Keep the first value seen for a hint. */
static void set_once(hmeta *m, char **slot, const char *v)
{
    if (*slot || !v)
        return;
    *slot = clean_hint(v, strlen(v), &m->err);
}

/* End the current line: clean it into one line and keep it when it has
 * any text. */
static void flush_line(hwalk *w, uint32_t block, int kind)
{
    char *c = NULL;
    size_t cn = 0;
    /* The error first: a failed first append leaves cur empty. */
    if (!w->err && w->cur.err)
        w->err = w->cur.err;
    if (w->err || w->cur.len == 0)
        goto out;
    mh_err rc = mh_clean(w->cur.p, w->cur.len, 0, &c, &cn);
    if (rc == MH_EBINARY)
        goto out;                 /* a block of junk bytes: drop it */
    if (rc) {
        w->err = rc;
        goto out;
    }
    if (cn == 0)
        goto out;
    if (w->n_lines == w->cap_lines &&
        mh_grow(&w->lines, &w->cap_lines, w->n_lines + 1, sizeof *w->lines, 64)) {
        w->err = MH_ENOMEM;
        goto out;
    }
    if (w->text.len)
        mh_buf_addc(&w->text, '\n');
    hline *l = &w->lines[w->n_lines++];
    l->off = w->text.len;
    l->len = cn;
    l->block = block;
    l->raw = w->cur.len;
    l->link = w->cur_link > w->cur.len ? w->cur.len : w->cur_link;
    l->kind = kind;
    l->furniture = w->furn > 0;
    mh_buf_add(&w->text, c, cn);
    if (w->text.err)
        w->err = w->text.err;
    if (kind == K_H1 && !w->meta.h1 && !(w->meta.h1 = mh_strndup(c, cn)))
        w->err = MH_ENOMEM;
out:
    mh_free(c);
    mh_buf_reset(&w->cur);
    w->cur_link = 0;
}

static uint32_t new_element(hwalk *w, uint32_t parent, const GumboNode *node)
{
    if (w->n_els == w->cap_els &&
        mh_grow(&w->els, &w->cap_els, w->n_els + 1, sizeof *w->els, 256)) {
        w->err = MH_ENOMEM;
        return 0;
    }
    uint32_t id = (uint32_t)w->n_els++;
    hel *e = &w->els[id];
    memset(e, 0, sizeof *e);
    e->parent = parent;
    e->end = id;
    e->tag = node->v.element.tag;
    e->weight = class_weight(node);
    return id;
}

/* JSON-LD: find the first object whose @type names an article and take
 * its headline, date, section and publisher. */
static bool ld_is_article(const cJSON *o)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "@type");
    if (cJSON_IsString(t))
        return strstr(t->valuestring, "Article") || strstr(t->valuestring, "BlogPosting") ||
               strstr(t->valuestring, "Report");
    if (cJSON_IsArray(t)) {
        const cJSON *x;
        cJSON_ArrayForEach(x, t)
            if (cJSON_IsString(x) && strstr(x->valuestring, "Article"))
                return true;
    }
    return false;
}

static void ld_scan(hmeta *m, const cJSON *j, int depth)
{
    if (!j || depth > JSON_FIND_DEPTH)
        return;
    if (cJSON_IsArray(j)) {
        const cJSON *x;
        cJSON_ArrayForEach(x, j)
            ld_scan(m, x, depth + 1);
        return;
    }
    if (!cJSON_IsObject(j))
        return;
    if (ld_is_article(j)) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "headline");
        if (cJSON_IsString(v))
            set_once(m, &m->ld_headline, v->valuestring);
        v = cJSON_GetObjectItemCaseSensitive(j, "datePublished");
        if (cJSON_IsString(v))
            set_once(m, &m->ld_date, v->valuestring);
        v = cJSON_GetObjectItemCaseSensitive(j, "articleSection");
        if (cJSON_IsString(v))
            set_once(m, &m->ld_section, v->valuestring);
        else if (cJSON_IsArray(v) && cJSON_IsString(cJSON_GetArrayItem(v, 0)))
            set_once(m, &m->ld_section, cJSON_GetArrayItem(v, 0)->valuestring);
        v = cJSON_GetObjectItemCaseSensitive(j, "publisher");
        if (cJSON_IsObject(v)) {
            const cJSON *nm = cJSON_GetObjectItemCaseSensitive(v, "name");
            if (cJSON_IsString(nm))
                set_once(m, &m->ld_publisher, nm->valuestring);
        }
    }
    ld_scan(m, cJSON_GetObjectItemCaseSensitive(j, "@graph"), depth + 1);
}

/* Collect the hints <head> (and meta tags anywhere) carry. */
static void meta_element(hwalk *w, const GumboNode *node, uint32_t id)
{
    hmeta *m = &w->meta;
    GumboTag t = node->v.element.tag;
    if (t == GUMBO_TAG_META) {
        const char *content = attr(node, "content");
        const char *keys[3] = { attr(node, "property"), attr(node, "name"), attr(node, "itemprop") };
        if (!content)
            return;
        for (int k = 0; k < 3; k++) {
            char key[64];
            size_t n = 0;
            if (!keys[k])
                continue;
            for (; keys[k][n] && n + 1 < sizeof key; n++)
                key[n] = ascii_lower(keys[k][n]);
            key[n] = 0;
            if (strcmp(key, "og:title") == 0 || strcmp(key, "twitter:title") == 0)
                set_once(m, &m->og_title, content);
            else if (strcmp(key, "og:url") == 0)
                set_once(m, &m->url, content);
            else if (strcmp(key, "og:site_name") == 0)
                set_once(m, &m->site, content);
            else if (strcmp(key, "article:published_time") == 0 ||
                     strcmp(key, "datepublished") == 0 || strcmp(key, "date") == 0 ||
                     strcmp(key, "pubdate") == 0 || strcmp(key, "publishdate") == 0 ||
                     strcmp(key, "publish-date") == 0 || strcmp(key, "dc.date.issued") == 0 ||
                     strcmp(key, "dc.date") == 0 || strcmp(key, "sailthru.date") == 0 ||
                     strcmp(key, "parsely-pub-date") == 0 || strcmp(key, "og:published_time") == 0 ||
                     strcmp(key, "article.published") == 0 || strcmp(key, "dcterms.created") == 0)
                set_once(m, &m->date, content);
            else if (strcmp(key, "description") == 0 || strcmp(key, "og:description") == 0)
                set_once(m, &m->desc, content);
            else if (strcmp(key, "article:section") == 0 || strcmp(key, "section") == 0 ||
                     strcmp(key, "articlesection") == 0)
                set_once(m, &m->section, content);
        }
    } else if (t == GUMBO_TAG_LINK) {
        const char *rel = attr(node, "rel"), *href = attr(node, "href");
        if (rel && href && ascii_contains(rel, strlen(rel), "canonical") && !m->url)
            set_once(m, &m->url, href);
    } else if (t == GUMBO_TAG_TIME) {
        const char *dt = attr(node, "datetime");
        if (dt && !m->time_dt) {
            set_once(m, &m->time_dt, dt);
            m->time_id = id;
        }
    } else if (t == GUMBO_TAG_TITLE && !m->title_tag) {
        mh_buf b;
        mh_buf_init(&b, 1 << 16);
        for (unsigned i = 0; i < node->v.element.children.length; i++) {
            const GumboNode *c = node->v.element.children.data[i];
            if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_WHITESPACE)
                mh_buf_adds(&b, c->v.text.text);
        }
        if (!b.err && b.len)
            m->title_tag = clean_hint(b.p, b.len, &m->err);
        else if (b.err == MH_ENOMEM)
            m->err = MH_ENOMEM;
        mh_buf_free(&b);
    } else if (t == GUMBO_TAG_SCRIPT) {
        const char *type = attr(node, "type");
        if (type && ascii_contains(type, strlen(type), "ld+json") &&
            node->v.element.children.length > 0) {
            const GumboNode *c = node->v.element.children.data[0];
            if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_CDATA) {
                cJSON *j = cJSON_Parse(c->v.text.text);
                ld_scan(m, j, 0);
                cJSON_Delete(j);
            }
        }
    }
}

typedef struct frame {
    const GumboNode *node;
    unsigned next;         /* next child to visit */
    uint32_t id;           /* element id */
    uint32_t block;        /* innermost block element id at this level */
    int kind;              /* line kind of that block */
    bool is_block, is_link, is_head, is_furn;
} frame;

/*
 * Walk the tree without recursion (the depth is bounded by the estimate
 * above, but the stack of frames lives on the heap anyway), producing
 * lines and per-element statistics.
 */
static void html_walk(hwalk *w, const GumboNode *root)
{
    frame *st = NULL;
    size_t depth = 0, cap = 0;
    int in_link = 0, in_head = 0;
    if (root->type != GUMBO_NODE_ELEMENT)
        return;
    cap = 64;
    st = mh_malloc(cap * sizeof *st);
    if (!st) {
        w->err = MH_ENOMEM;
        return;
    }
    uint32_t rid = new_element(w, 0, root);
    st[depth++] = (frame){ root, 0, rid, rid, K_DIV, true, false, false, false };
    while (depth && !w->err) {
        frame *f = &st[depth - 1];
        const GumboVector *ch = &f->node->v.element.children;
        if (f->next >= ch->length) {
            /* Leaving an element. */
            w->els[f->id].end = (uint32_t)(w->n_els - 1);
            if (f->is_block)
                flush_line(w, f->block, f->kind);
            if (f->is_link)
                in_link--;
            if (f->is_head)
                in_head--;
            if (f->is_furn)
                w->furn--;
            depth--;
            continue;
        }
        const GumboNode *c = ch->data[f->next++];
        if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_CDATA ||
            c->type == GUMBO_NODE_WHITESPACE) {
            if (in_head)
                continue;      /* <head> holds hints, never page text */
            size_t k = strlen(c->v.text.text);
            mh_buf_add(&w->cur, c->v.text.text, k);
            if (in_link)
                w->cur_link += k;
            continue;
        }
        if (c->type != GUMBO_NODE_ELEMENT && c->type != GUMBO_NODE_TEMPLATE)
            continue;
        GumboTag t = c->v.element.tag;
        uint32_t id = new_element(w, f->id, c);
        if (w->err)
            break;
        meta_element(w, c, id);
        bool skip_form = t == GUMBO_TAG_FORM && !form_is_wrapper(c);
        if (c->type == GUMBO_NODE_TEMPLATE || tag_is_skipped(t) || t == GUMBO_TAG_TITLE ||
            skip_form || node_hidden(c)) {
            /* Still closes the line: a skipped block separates text. */
            if (tag_is_block(t) || tag_is_skipped(t) || skip_form)
                flush_line(w, f->block, f->kind);
            w->els[id].end = id;
            continue;
        }
        if (t == GUMBO_TAG_BR) {
            flush_line(w, f->block, f->kind);
            w->els[id].end = id;
            continue;
        }
        if (t == GUMBO_TAG_IMG) {
            w->els[id].end = id;
            continue;
        }
        bool block = tag_is_block(t);
        if (block)
            flush_line(w, f->block, f->kind);
        if (depth == cap && mh_grow(&st, &cap, depth + 1, sizeof *st, 64)) {
            w->err = MH_ENOMEM;
            break;
        }
        f = &st[depth - 1];        /* st may have moved */
        bool link = t == GUMBO_TAG_A, head = t == GUMBO_TAG_HEAD;
        bool furn = t != GUMBO_TAG_BODY && t != GUMBO_TAG_HTML && is_furniture(c);
        if (link)
            in_link++;
        if (head)
            in_head++;
        if (furn) {
            /* Text collected so far belongs outside the furniture. */
            flush_line(w, f->block, f->kind);
            w->furn++;
        }
        st[depth] = (frame){ c, 0, id, block ? id : f->block, block ? tag_kind(t) : f->kind,
                             block, link, head, furn };
        depth++;
    }
    flush_line(w, 0, K_DIV);
    mh_free(st);
}

static double line_score(const hwalk *w, const hline *l)
{
    const char *s = w->text.p + l->off;
    double sc = 1;
    for (size_t i = 0; i < l->len; i++)
        if (s[i] == ',')
            sc += 1;
    double extra = (double)l->len / 100.0;
    return sc + (extra > 3 ? 3 : extra);
}

static double tag_base(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_DIV: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_MAIN: case GUMBO_TAG_SECTION:
        return 5;
    case GUMBO_TAG_PRE: case GUMBO_TAG_TD: case GUMBO_TAG_BLOCKQUOTE:
        return 3;
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_OL: case GUMBO_TAG_UL: case GUMBO_TAG_DL:
    case GUMBO_TAG_DD: case GUMBO_TAG_DT: case GUMBO_TAG_LI:
        return -3;
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_TH:
        return -5;
    default:
        return 0;
    }
}

static void add_score(hwalk *w, uint32_t id, double s)
{
    hel *e = &w->els[id];
    if (!e->scored) {
        e->scored = true;
        e->score = tag_base(e->tag) + e->weight;
    }
    e->score += s;
}

static double link_density(const hel *e)
{
    return e->sub_text ? (double)e->sub_link / (double)e->sub_text : 0;
}

static bool in_subtree(const hwalk *w, uint32_t root, uint32_t id)
{
    return id >= root && id <= w->els[root].end;
}

/*
 * Decide the layout hint of every line: BOILER outside the chosen article
 * container(s) or when dense with links; HEADING for h1..h6 inside.
 * With no scored container at all (a page of lists, a bare fragment)
 * every line stays TEXT.
 */
static unsigned char *html_hints(hwalk *w)
{
    unsigned char *hints = mh_malloc(w->n_lines ? w->n_lines : 1);
    unsigned char *inc = NULL;
    if (!hints) {
        w->err = MH_ENOMEM;
        return NULL;
    }
    for (size_t i = 0; i < w->n_lines; i++)
        hints[i] = w->lines[i].kind == K_H || w->lines[i].kind == K_H1 ? MH_LINE_HEADING
                                                                        : MH_LINE_TEXT;
    /* Subtree text and link sums: children have larger ids than their
     * parents, so one backward pass accumulates them. */
    for (size_t i = 0; i < w->n_lines; i++) {
        hel *e = &w->els[w->lines[i].block];
        e->self_text += w->lines[i].raw;
        e->self_link += w->lines[i].link;
    }
    for (size_t i = 0; i < w->n_els; i++) {
        w->els[i].sub_text = w->els[i].self_text;
        w->els[i].sub_link = w->els[i].self_link;
    }
    for (size_t i = w->n_els; i-- > 1;) {
        hel *e = &w->els[i];
        w->els[e->parent].sub_text += e->sub_text;
        w->els[e->parent].sub_link += e->sub_link;
    }
    /* Paragraphs score their ancestors. */
    for (size_t i = 0; i < w->n_lines; i++) {
        const hline *l = &w->lines[i];
        if (l->len < 25 || l->furniture ||
            !(l->kind == K_P || l->kind == K_PRE || l->kind == K_TD || l->kind == K_DIV))
            continue;
        if (l->raw && (double)l->link / (double)l->raw > 0.5)
            continue;
        double s = line_score(w, l);
        uint32_t a = w->els[l->block].parent;
        if (l->kind == K_DIV)
            a = l->block;       /* text straight inside a container */
        add_score(w, a, s);
        if (a) {
            a = w->els[a].parent;
            add_score(w, a, s / 2);
            if (a)
                add_score(w, w->els[a].parent, s / 6);
        }
    }
    uint32_t top = 0;
    double best = 0;
    for (size_t i = 0; i < w->n_els; i++) {
        hel *e = &w->els[i];
        if (!e->scored)
            continue;
        /* A class name alone does not make a tiny box the article. */
        if (e->weight > 0 && e->sub_text < 250)
            e->score -= e->weight;
        e->score *= 1 - link_density(e);
        if (e->score > best) {
            best = e->score;
            top = (uint32_t)i;
        }
    }
    if (best <= 0)
        return hints;
    /* Paragraphs wrapped one per box make the box win over the article
     * that holds them all: climb (at most three times) to the nearest of
     * the three closest ancestors that scores at least half as well,
     * holds clearly more text and is no denser in links. */
    for (int climbs = 0; climbs < 3 && top != 0; climbs++) {
        const hel *t = &w->els[top];
        uint32_t cand[3];
        int ncand = 0;
        for (uint32_t a = t->parent; ncand < 3; a = w->els[a].parent) {
            cand[ncand++] = a;
            if (a == 0)
                break;
        }
        uint32_t to = top;
        for (int k = 0; k < ncand && to == top; k++) {
            const hel *e = &w->els[cand[k]];
            if (e->scored && e->score >= best * 0.5 && e->sub_text * 2 >= t->sub_text * 3 &&
                link_density(e) <= link_density(t) + 0.1)
                to = cand[k];
        }
        if (to == top)
            break;
        top = to;
    }
    /* The article: the top container plus siblings that score well or
     * hold a long, link-poor paragraph. */
    inc = mh_malloc(w->n_els);
    if (!inc) {
        w->err = MH_ENOMEM;
        mh_free(hints);
        return NULL;
    }
    memset(inc, 0, w->n_els);
    inc[top] = 1;
    uint32_t parent = w->els[top].parent;
    double thresh = best * 0.2 > 10 ? best * 0.2 : 10;
    if (top != 0)
        for (uint32_t i = parent + 1; i <= w->els[parent].end; i = w->els[i].end + 1) {
            const hel *e = &w->els[i];
            if (e->parent != parent || i == top)
                continue;
            if (e->scored && e->score >= thresh)
                inc[i] = 1;
            else if (e->tag == GUMBO_TAG_P && e->sub_text > 80 && link_density(e) < 0.25)
                inc[i] = 1;
        }
    /* An article split over two boxes (before and after an advert) has
     * its second half as a cousin of the first: include a cousin that
     * scores almost as well and is link-poor. */
    uint32_t scope = parent;
    if (top != 0 && parent != 0) {
        uint32_t gp = w->els[parent].parent;
        for (uint32_t i = gp + 1; i <= w->els[gp].end; i++) {
            const hel *e = &w->els[i];
            if (in_subtree(w, parent, i) || !e->scored || e->score < best * 0.7 ||
                link_density(e) >= 0.25)
                continue;
            inc[i] = 1;
            scope = gp;
        }
    }
    for (size_t i = 0; i < w->n_lines; i++) {
        const hline *l = &w->lines[i];
        uint32_t b = l->block, a;
        bool in = false;
        for (a = b;; a = w->els[a].parent) {
            if (inc[a]) {
                in = true;
                break;
            }
            if (a == 0 || (top != 0 && !in_subtree(w, scope, a)))
                break;
        }
        if (!in) {
            hints[i] = MH_LINE_BOILER;
            continue;
        }
        /* Inside: furniture containers nested in the article and lines
         * that are mostly links. */
        for (a = b; !inc[a]; a = w->els[a].parent)
            if (w->els[a].weight < 0) {
                hints[i] = MH_LINE_BOILER;
                break;
            }
        if ((l->raw && (double)l->link / (double)l->raw > 0.5) || l->furniture)
            hints[i] = MH_LINE_BOILER;
    }
    /* The first <time datetime> counts only if it belongs to the article
     * or its header, not to a list of other stories. */
    if (w->meta.time_dt && !in_subtree(w, top, w->meta.time_id) &&
        !(top && in_subtree(w, parent, w->meta.time_id) && w->meta.time_id < top)) {
        mh_free(w->meta.time_dt);
        w->meta.time_dt = NULL;
    }
    mh_free(inc);
    return hints;
}

/*
 * The standfirst often sits in the article header, outside the container
 * that holds the paragraphs.  A boilerplate line before the first content
 * line that says what the meta description says (equal, or one a prefix
 * of the other over 40+ bytes) is the standfirst: keep it as text.
 */
static void rescue_standfirst(const hwalk *w, unsigned char *hints)
{
    const char *d = w->meta.desc;
    size_t dn = strlen(d);
    while (dn && (d[dn - 1] == '.' || d[dn - 1] == ' '))
        dn--;
    if (dn < 40)
        return;
    for (size_t i = 0; i < w->n_lines; i++) {
        if (hints[i] != MH_LINE_BOILER)
            return;        /* only before the article starts */
        const hline *l = &w->lines[i];
        const char *s = w->text.p + l->off;
        size_t k = l->len < dn ? l->len : dn;
        if (k >= 40 && memcmp(s, d, k) == 0 && !l->furniture) {
            hints[i] = MH_LINE_TEXT;
            return;
        }
    }
}

/* Strip a " - Site" / " | Site" tail from a <title>. */
static void strip_site_suffix(char *t, const char *site)
{
    static const char *const seps[] = { " | ", " - ", " – ", " — ", " :: ", " « ", " » " };
    size_t n = strlen(t);
    for (size_t s = 0; s < MH_ARRAY_LEN(seps); s++) {
        const char *p = NULL, *q = t;
        while ((q = strstr(q, seps[s])) != NULL) {
            p = q;
            q++;
        }
        if (!p)
            continue;
        const char *tail = p + strlen(seps[s]);
        size_t tl = n - (size_t)(tail - t);
        bool site_like = (site && strcmp(tail, site) == 0) || mh_outlet_for_name(tail, tl) ||
                         tl <= 30;
        if (site_like && p > t) {
            t[p - t] = 0;
            return;
        }
    }
}

/* Parse HTML into an owned record.  want_hints is false for HTML inside
 * JSON fields, where only the text is wanted. */
static mh_err html_to_record(const char *data, size_t n, bool want_hints, owned_rec *o)
{
    hwalk w;
    GumboOutput *g = NULL;
    char *conv = NULL;
    mh_err rc = MH_OK;
    memset(&w, 0, sizeof w);
    mh_buf_init(&w.text, 0);
    mh_buf_init(&w.cur, MH_MAX_LINE_BYTES);
    if (n > HTML_MAX_BYTES)
        return MH_ETOOBIG;
    if (n >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
        (unsigned char)data[2] == 0xBF) {
        data += 3;
        n -= 3;
    }
    if (!mh_utf8_valid(data, n)) {
        /* Legacy encodings (Windows-1254) are converted by mh_clean; the
         * markup itself is ASCII and survives. */
        size_t cn = 0;
        rc = mh_clean(data, n, MH_CLEAN_LINES, &conv, &cn);
        if (rc)
            goto out;
        data = conv;
        n = cn;
    }
    if (html_depth_estimate(data, n) > HTML_MAX_DEPTH) {
        rc = MH_EFORMAT;
        goto out;
    }
    GumboOptions opt = kGumboDefaultOptions;
    opt.max_errors = 0;
    g = gumbo_parse_with_options(&opt, data, n);
    if (!g || !g->root) {
        rc = MH_EFORMAT;
        goto out;
    }
    html_walk(&w, g->root);
    if (!w.err)
        w.err = w.meta.err;
    if (w.err) {
        rc = w.err;
        goto out;
    }
    if (w.text.len == 0) {
        rc = MH_EEMPTY;
        goto out;
    }
    if (want_hints) {
        o->hints = html_hints(&w);
        if (!o->hints) {
            rc = w.err ? w.err : MH_ENOMEM;
            goto out;
        }
        o->r.n_line_hints = w.n_lines;
        hmeta *m = &w.meta;
        if (m->desc)
            rescue_standfirst(&w, o->hints);
        const char *site = m->site ? m->site : m->ld_publisher;
        /* Title: the h1 when the meta titles contain it (it is then the
         * clean headline without the site's decoration), else the first
         * meta title. */
        const char *meta_title = m->og_title ? m->og_title : m->ld_headline;
        if (m->title_tag)
            strip_site_suffix(m->title_tag, site);
        if (!meta_title)
            meta_title = m->title_tag;
        const char *title = m->h1 && meta_title && strstr(meta_title, m->h1) ? m->h1
                            : meta_title ? meta_title : m->h1;
        const char *url = m->url && (strncmp(m->url, "http://", 7) == 0 ||
                                     strncmp(m->url, "https://", 8) == 0) ? m->url : NULL;
        const char *d = m->date ? m->date : m->ld_date ? m->ld_date : m->time_dt;
        const char *cat = m->section ? m->section : m->ld_section;
        o->title = mh_strdup(title);
        o->url = mh_strdup(url);
        o->outlet = mh_strdup(site);
        o->date = mh_strdup(d);
        o->category = mh_strdup(cat);
        if ((title && !o->title) || (url && !o->url) || (site && !o->outlet) ||
            (d && !o->date) || (cat && !o->category)) {
            rc = MH_ENOMEM;
            goto out;
        }
    }
    o->text = mh_buf_detach(&w.text, NULL);
    if (!o->text)
        rc = MH_ENOMEM;
out:
    if (g)
        gumbo_destroy_output(&kGumboDefaultOptions, g);
    hmeta_free(&w.meta);
    mh_buf_free(&w.text);
    mh_buf_free(&w.cur);
    mh_free(w.lines);
    mh_free(w.els);
    mh_free(conv);
    return rc;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

/* The first member of obj named by one of keys (ASCII case-insensitive,
 * as cJSON_GetObjectItem compares). */
static const cJSON *member(const cJSON *obj, const char *const *keys, size_t nkeys)
{
    for (size_t i = 0; i < nkeys; i++) {
        const cJSON *v = cJSON_GetObjectItem(obj, keys[i]);
        if (v && !cJSON_IsNull(v))
            return v;
    }
    return NULL;
}
#define MEMBER(obj, keys) member((obj), (keys), MH_ARRAY_LEN(keys))

static const char *const K_TITLE[] = { "title", "headline", "baslik" };
static const char *const K_TEXT[] = { "content", "text", "body", "articleBody", "article_body",
                                      "full_text", "fulltext", "article", "icerik", "metin" };
static const char *const K_URL[] = { "url", "link", "canonical", "source_url", "permalink" };
static const char *const K_DATE[] = { "date", "published", "published_at", "publish_date",
                                      "pubDate", "datePublished", "published_time", "tarih" };
static const char *const K_OUTLET[] = { "outlet", "site", "site_name", "publisher", "domain",
                                        "website" };
static const char *const K_SOURCE[] = { "source", "agency", "credit", "kaynak" };
static const char *const K_CATEGORY[] = { "category", "section", "kategori", "articleSection" };
static const char *const K_LEAD[] = { "lead", "description", "summary", "spot", "standfirst",
                                      "abstract", "ozet" };
static const char *const K_CRAWL[] = { "crawl_time", "crawled_at", "crawl_date", "fetched_at",
                                       "fetch_time", "scraped_at", "downloaded_at", "retrieved_at" };
static const char *const K_LIST[] = { "articles", "data", "items", "results", "records",
                                      "news", "haberler" };

/* A string value of v: a string, the "name" of an object, or the strings
 * of an array joined by '\n' (paragraph lists).  Caller frees. */
static char *json_string(const cJSON *v, mh_err *err)
{
    if (!v)
        return NULL;
    if (cJSON_IsObject(v)) {
        v = cJSON_GetObjectItem(v, "name");
        if (!cJSON_IsString(v))
            return NULL;
    }
    if (cJSON_IsString(v)) {
        char *s = mh_strdup(v->valuestring);
        if (!s)
            *err = MH_ENOMEM;
        return s;
    }
    if (cJSON_IsArray(v)) {
        mh_buf b;
        const cJSON *x;
        mh_buf_init(&b, 0);
        cJSON_ArrayForEach(x, v) {
            if (!cJSON_IsString(x))
                continue;
            if (b.len)
                mh_buf_addc(&b, '\n');
            mh_buf_adds(&b, x->valuestring);
        }
        if (b.err) {
            *err = b.err;
            mh_buf_free(&b);
            return NULL;
        }
        return b.len ? mh_buf_detach(&b, NULL) : NULL;
    }
    return NULL;
}

static char *json_hint(const cJSON *v, mh_err *err)
{
    char *s = json_string(v, err);
    char *c = s ? clean_hint(s, strlen(s), err) : NULL;
    mh_free(s);
    return c;
}

/* Text of a content field: HTML fragments go through the HTML reader,
 * everything is cleaned with MH_CLEAN_LINES. */
static mh_err json_text(const cJSON *v, char **out)
{
    mh_err rc = MH_OK;
    size_t n;
    char *s = json_string(v, &rc);
    *out = NULL;
    if (!s)
        return rc;
    n = strlen(s);
    if (ascii_contains(s, n < 4096 ? n : 4096, "<p") || ascii_contains(s, n < 4096 ? n : 4096, "<br") ||
        ascii_contains(s, n < 4096 ? n : 4096, "</div")) {
        owned_rec h;
        memset(&h, 0, sizeof h);
        rc = html_to_record(s, n, false, &h);
        if (rc == MH_OK) {
            *out = h.text;
            h.text = NULL;
        }
        rec_free(&h);
    } else {
        size_t cn;
        rc = mh_clean(s, n, MH_CLEAN_LINES, out, &cn);
        if (rc == MH_OK && cn == 0) {
            mh_free(*out);
            *out = NULL;
        }
    }
    mh_free(s);
    return rc;
}

static int64_t json_time(const cJSON *v)
{
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (d > 1e11)
            d /= 1000;    /* milliseconds */
        return d > 0 && d < 4102444800.0 ? (int64_t)d : 0;
    }
    if (cJSON_IsString(v))
        return mh_date_to_unix(v->valuestring, strlen(v->valuestring));
    return 0;
}

/* Build a record from one JSON object.  MH_EEMPTY when it has no text. */
static mh_err json_record(const cJSON *obj, owned_rec *o)
{
    mh_err rc = MH_OK;
    if (!cJSON_IsObject(obj))
        return MH_EFORMAT;
    rc = json_text(MEMBER(obj, K_TEXT), &o->text);
    if (rc)
        return rc;
    o->title = json_hint(MEMBER(obj, K_TITLE), &rc);
    o->url = json_hint(MEMBER(obj, K_URL), &rc);
    o->date = json_hint(MEMBER(obj, K_DATE), &rc);
    o->category = json_hint(MEMBER(obj, K_CATEGORY), &rc);
    o->lead = json_hint(MEMBER(obj, K_LEAD), &rc);
    o->outlet = json_hint(MEMBER(obj, K_OUTLET), &rc);
    o->r.crawl_time = json_time(MEMBER(obj, K_CRAWL));
    char *src = json_hint(MEMBER(obj, K_SOURCE), &rc);
    if (rc) {
        mh_free(src);
        return rc;
    }
    if (src) {
        /* "source" means the site in many data sets ("bigpara_hurriyet")
         * and the credited agency in others: an agency goes to source,
         * anything else names the outlet unless one is given. */
        int agency = 0;
        const char *credit = mh_outlet_credit(src, strlen(src), &agency);
        const char *name = mh_outlet_for_name(src, strlen(src));
        if (o->outlet || (credit && agency)) {
            o->source = credit && agency ? mh_strdup(credit) : src;
            if (o->source != src)
                mh_free(src);
            if (!o->source)
                return MH_ENOMEM;
        } else {
            o->outlet = name ? mh_strdup(name) : src;
            if (o->outlet != src)
                mh_free(src);
            if (!o->outlet)
                return MH_ENOMEM;
        }
        src = NULL;
    }
    if (o->outlet) {
        const char *name = mh_outlet_for_name(o->outlet, strlen(o->outlet));
        if (name) {
            char *n2 = mh_strdup(name);
            if (!n2)
                return MH_ENOMEM;
            mh_free(o->outlet);
            o->outlet = n2;
        }
    }
    if (!o->text && o->lead) {
        /* A record with only a summary: the summary is the text. */
        o->text = o->lead;
        o->lead = NULL;
    }
    if (!o->text)
        return MH_EEMPTY;
    o->r.text_len = strlen(o->text);
    return MH_OK;
}

/* Parse exactly one JSON value filling (s, n); trailing text (a second
 * object on the next line) is a failure, not silently ignored. */
static cJSON *parse_json(const char *s, size_t n)
{
    const char *end = NULL;
    cJSON *j = cJSON_ParseWithLengthOpts(s, n, &end, 0);
    if (!j)
        return NULL;
    while (end && end < s + n && is_space_byte((unsigned char)*end))
        end++;
    if (end != s + n) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

typedef struct reader {
    const char *path;
    mh_record_cb cb;
    mh_record_err_cb err_cb;
    void *ctx;
} reader;

static void report(const reader *rd, long index, mh_err e, const char *detail)
{
    if (rd->err_cb)
        rd->err_cb(rd->ctx, rd->path, index, e, detail);
}

/* Hand one JSON object to the callback (or its error to err_cb). */
static int emit_json(const reader *rd, const cJSON *obj, long index)
{
    owned_rec o;
    int rc;
    memset(&o, 0, sizeof o);
    mh_err e = json_record(obj, &o);
    if (e == MH_ENOMEM) {
        rec_free(&o);
        return MH_ENOMEM;
    }
    if (e) {
        report(rd, index, e, e == MH_EEMPTY ? "record has no text field" : "record is not an object");
        rec_free(&o);
        return 0;
    }
    rec_publish(&o, rd->path, index);
    rc = rd->cb(rd->ctx, &o.r);
    rec_free(&o);
    return rc;
}

static int read_jsonl(const reader *rd, const char *s, size_t n)
{
    size_t i = 0;
    long index = 0;
    if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
        (unsigned char)s[2] == 0xBF)
        i = 3;
    while (i < n) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - s) : n, a = i, b = e;
        i = e + 1;
        while (a < b && is_space_byte((unsigned char)s[a]))
            a++;
        while (b > a && is_space_byte((unsigned char)s[b - 1]))
            b--;
        if (a == b)
            continue;
        long idx = index++;
        if (b - a > MH_MAX_LINE_BYTES) {
            report(rd, idx, MH_ETOOBIG, "JSON line over MH_MAX_LINE_BYTES");
            continue;
        }
        cJSON *j = parse_json(s + a, b - a);
        if (!j) {
            report(rd, idx, MH_EFORMAT, "malformed JSON line");
            continue;
        }
        int rc = emit_json(rd, j, idx);
        cJSON_Delete(j);
        if (rc)
            return rc;
    }
    return index ? MH_OK : MH_EEMPTY;
}

/* Several non-blank lines that each open an object: JSON Lines. */
static bool looks_jsonl(const char *s, size_t n)
{
    size_t lines = 0, i = 0;
    while (i < n && lines < 3) {
        while (i < n && is_space_byte((unsigned char)s[i]))
            i++;
        if (i >= n)
            break;
        if (s[i] != '{')
            return false;
        lines++;
        const char *nl = memchr(s + i, '\n', n - i);
        if (!nl)
            break;
        i = (size_t)(nl - s) + 1;
    }
    return lines >= 2;
}

static int read_json(const reader *rd, const char *s, size_t n)
{
    size_t off = 0;
    int rc = MH_OK;
    if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
        (unsigned char)s[2] == 0xBF)
        off = 3;
    cJSON *root = parse_json(s + off, n - off);
    if (!root)
        return looks_jsonl(s + off, n - off) ? read_jsonl(rd, s, n) : MH_EFORMAT;
    const cJSON *list = NULL;
    if (cJSON_IsArray(root))
        list = root;
    else if (cJSON_IsObject(root) && !MEMBER(root, K_TEXT)) {
        const cJSON *l = MEMBER(root, K_LIST);
        if (cJSON_IsArray(l))
            list = l;
    }
    if (list) {
        long index = 0;
        const cJSON *x;
        cJSON_ArrayForEach(x, list) {
            rc = emit_json(rd, x, index++);
            if (rc)
                break;
        }
        if (!rc && index == 0)
            rc = MH_EEMPTY;
    } else if (cJSON_IsObject(root)) {
        rc = emit_json(rd, root, 0);
    } else {
        rc = MH_EFORMAT;
    }
    cJSON_Delete(root);
    return rc;
}

/* ------------------------------------------------------------------ */
/* entry points                                                        */
/* ------------------------------------------------------------------ */

static int read_text(const reader *rd, const char *s, size_t n)
{
    owned_rec o;
    size_t len = 0;
    int rc;
    memset(&o, 0, sizeof o);
    mh_err e = mh_clean(s, n, MH_CLEAN_LINES, &o.text, &len);
    if (e)
        return e;
    if (len == 0) {
        rec_free(&o);
        return MH_EEMPTY;
    }
    o.r.text_len = len;
    rec_publish(&o, rd->path, 0);
    rc = rd->cb(rd->ctx, &o.r);
    rec_free(&o);
    return rc;
}

static int read_html(const reader *rd, const char *s, size_t n)
{
    owned_rec o;
    int rc;
    memset(&o, 0, sizeof o);
    mh_err e = html_to_record(s, n, true, &o);
    if (e) {
        rec_free(&o);
        return e;
    }
    o.r.text_len = strlen(o.text);
    rec_publish(&o, rd->path, 0);
    rc = rd->cb(rd->ctx, &o.r);
    rec_free(&o);
    return rc;
}

int mh_page_read_mem(const char *path, const char *data, size_t n, mh_format fmt,
                     mh_record_cb cb, mh_record_err_cb err_cb, void *ctx)
{
    reader rd = { path ? path : "-", cb, err_cb, ctx };
    mh_buf gz;
    int rc;
    if (!cb || (!data && n))
        return MH_EINVAL;
    if (n > MH_MAX_PAGE_BYTES)
        return MH_ETOOBIG;
    if (!data)
        data = "";
    mh_buf_init(&gz, gz_ceiling(n));
    if (n >= 2 && (unsigned char)data[0] == 0x1f && (unsigned char)data[1] == 0x8b) {
        mh_err e = gunzip((const unsigned char *)data, n, &gz);
        if (e) {
            mh_buf_free(&gz);
            return e;
        }
        data = gz.p ? gz.p : "";
        n = gz.len;
    }
    if (n == 0) {
        rc = MH_EEMPTY;
        goto out;
    }
    if (fmt == MH_FMT_AUTO)
        fmt = format_from_name(path);
    if (fmt == MH_FMT_AUTO)
        fmt = format_from_content(data, n);
    if (memchr(data, 0, n < 65536 ? n : 65536) && fmt != MH_FMT_TEXT) {
        /* NUL bytes: binary (UTF-16 text goes through the text path,
         * where mh_clean decodes it when it has a BOM). */
        rc = MH_EBINARY;
        goto out;
    }
    switch (fmt) {
    case MH_FMT_JSON:  rc = read_json(&rd, data, n); break;
    case MH_FMT_JSONL: rc = read_jsonl(&rd, data, n); break;
    case MH_FMT_HTML:  rc = read_html(&rd, data, n); break;
    case MH_FMT_TEXT:  rc = read_text(&rd, data, n); break;
    default:           rc = MH_EINVAL; break;
    }
out:
    mh_buf_free(&gz);
    return rc;
}

/* Read a whole file (or stdin for "-") under the page ceiling. */
static mh_err slurp(const char *path, mh_buf *b)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char chunk[1 << 16];
    size_t k;
    mh_err rc = MH_OK;
    if (!f)
        return errno == ENOMEM ? MH_ENOMEM : MH_EIO;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) {
        mh_buf_add(b, chunk, k);
        if (b->err) {
            rc = b->err;
            break;
        }
    }
    if (!rc && ferror(f))
        rc = MH_EIO;
    if (f != stdin)
        fclose(f);
    return rc;
}

int mh_page_read_file(const char *path, mh_format fmt, mh_record_cb cb,
                      mh_record_err_cb err_cb, void *ctx)
{
    mh_buf b;
    int rc;
    if (!path || !cb)
        return MH_EINVAL;
    mh_buf_init(&b, 0);
    rc = slurp(path, &b);
    if (rc == MH_OK)
        rc = mh_page_read_mem(path, b.p, b.len, fmt, cb, err_cb, ctx);
    mh_buf_free(&b);
    return rc;
}
