/*
 * gazetteer.c -- the lexicon of entities and quotes: gazetteers (countries,
 * capitals, Turkish provinces, places, international bodies, agencies and
 * outlets, institutions, public figures, given names), titles and roles,
 * spelling aliases, reporting verbs and quote cue nouns.
 *
 * Source: the .txt files of data/lexicon, compiled by hand from public facts (names
 * and their spellings), embedded into src/lexicon_data.c by
 * tools/gen_lexicon.c.  The files are parsed once per process on first use
 * (pthread_once) into hash tables held for the life of the process.
 *
 * Entries are tokenized with mh_tokenize, the tokenizer every document goes
 * through, so that an entry's key is exactly the key of the same words in
 * a text: a token key is the ASCII fold of the token without its
 * apostrophe suffix, a run of tokens is the keys joined by one space.
 *
 * Limits: entries are at most MH_GZ_MAXTOK tokens; a name key reduces only
 * the transliteration pairs listed in name_norm() and the aliases of
 * data/lexicon/aliases.txt, so other spellings stay apart.
 */
#include "lexicon.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <xxhash.h>

#define SUFFIX_MAX   32          /* reporting-verb suffix patterns */
#define VERB_MAX     128         /* reporting-verb entries */
#define VERB_SLOTS   1024        /* verb index slots */
#define VERB_TOKS    4           /* tokens of one verb pattern */
#define ALTS_MAX     16          /* alternatives of one pattern token */
#define CUE_MAX      512
#define CUE_CLASSES  20   /* MH_CUE_* are below */
#define WFILTER_LOG2 16          /* bits of the word filter: 8 KiB */
#define CFILTER_LOG2 13          /* bits of the cue filter: 1 KiB */

/* ------------------------------------------------------------------ */
/* A string-keyed hash table (open addressing, arena-owned keys)        */
/* ------------------------------------------------------------------ */

typedef struct slot {
    uint64_t h;
    const char *key;
    uint32_t len;
    unsigned flags;
    unsigned feat;              /* the flags the tagger sees (not [rules] entries) */
    const char *aux;            /* title base, canonical name or part key */
} slot;

typedef struct table {
    slot *s;
    size_t cap, n;
} table;

/* Keys are short (a word or a few): XXH3 hashes them in a few
 * instructions, where a byte-at-a-time hash costs a multiply per byte.
 * 0 marks an empty slot, so no key hashes to it. */
static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = XXH3_64bits(p, n);
    return h ? h : 1;
}

static slot *table_find(const table *t, const char *k, size_t n, uint64_t h)
{
    if (!t->cap)
        return NULL;
    size_t m = t->cap - 1;
    for (size_t i = h & m;; i = (i + 1) & m) {
        slot *s = &t->s[i];
        if (!s->h)
            return NULL;
        if (s->h == h && s->len == n && memcmp(s->key, k, n) == 0)
            return s;
    }
}

static mh_err table_grow(table *t)
{
    size_t ncap = t->cap ? t->cap * 2 : 1024;
    slot *ns = mh_malloc(ncap * sizeof *ns);
    if (!ns)
        return MH_ENOMEM;
    memset(ns, 0, ncap * sizeof *ns);
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->s[i].h)
            continue;
        size_t j = t->s[i].h & (ncap - 1);
        while (ns[j].h)
            j = (j + 1) & (ncap - 1);
        ns[j] = t->s[i];
    }
    mh_free(t->s);
    t->s = ns;
    t->cap = ncap;
    return MH_OK;
}

/* The slot for key (created empty when new); NULL when memory ran out. */
static slot *table_put(table *t, mh_arena *ar, const char *k, size_t n)
{
    uint64_t h = hash_bytes(k, n);
    slot *s = table_find(t, k, n, h);
    if (s)
        return s;
    if ((t->n + 1) * 2 > t->cap && table_grow(t) != MH_OK)
        return NULL;
    size_t m = t->cap - 1, i = h & m;
    while (t->s[i].h)
        i = (i + 1) & m;
    char *key = mh_arena_strndup(ar, k, n);
    if (!key)
        return NULL;
    t->s[i] = (slot){ .h = h, .key = key, .len = (uint32_t)n };
    t->n++;
    return &t->s[i];
}

/* ------------------------------------------------------------------ */
/* The lexicon                                                          */
/* ------------------------------------------------------------------ */

/* The filter bit of a key (n > 0): its length and three of its bytes. */
static uint32_t word_bit(const char *k, size_t n)
{
    uint32_t h = (uint32_t)n * 0x9E3779B1u;
    h ^= (unsigned char)k[0] * 0x45D9F3Bu;
    h ^= (unsigned char)k[n - 1] * 0x2C1B3C6Du;
    h ^= (unsigned char)k[n / 2] * 0x297A2D39u;
    h ^= h >> 15;
    h *= 0x2C1B3C6Du;
    return h >> (32 - WFILTER_LOG2);
}

/* One token of a verb pattern: alternatives, each literal or a stem. */
typedef struct vtok {
    const char *alt[ALTS_MAX];
    uint8_t alt_len[ALTS_MAX];
    uint8_t stem[ALTS_MAX];     /* 1: alternative is a stem taking a suffix */
    int n_alt;
    int any;                    /* "?": any lowercase word */
} vtok;

typedef struct verb {
    const char *canon;
    unsigned flags;
    vtok t[VERB_TOKS];
    int n_tok;
} verb;

typedef struct suffix_pat {
    const char *pat;            /* harmony pattern: D I A U wildcards */
    int form;
    size_t min, max;            /* bytes of a matching rest: I and U match one
                                   or two (ı, ü), every other symbol one */
} suffix_pat;

typedef struct cue {
    const char *word;
    size_t len;
    int prefix;                 /* matches as a prefix ("film*") */
    int cls;
} cue;

struct mh_lexicon {
    mh_arena arena;
    table words;                /* token keys -> MH_GZ_* and title base */
    /* A bit for every key of words, by word_bit: most words of a text are
     * no key, and the bitmap (in cache) tells so without hashing the
     * word and reading a slot of the table (out of cache). */
    uint64_t wfilter[(1u << WFILTER_LOG2) / 64];
    table canon;                /* name keys -> canonical name and flags */
    table parts;                /* name part keys -> canonical part key */
    table surnames;             /* last name key -> canonical full name
                                   (aux NULL when two people share it) */
    suffix_pat suffix[SUFFIX_MAX];
    int n_suffix;
    /* Per length of a rest below 64: the suffixes (bit k) it can match. */
    uint32_t suffix_by_len[64];
    verb verbs[VERB_MAX];
    int n_verbs;
    /* Which verbs can start with a word whose first two bytes hash to
     * a slot (VERB_MAX bits per slot): most words try no verb at all. */
    uint64_t verb_index[VERB_SLOTS][VERB_MAX / 64];
    /* Per third byte of a word (0 for a word of two bytes): the verbs
     * whose first token can match a word with it (verb_third).  A slot's
     * verbs are tried only when this allows them too. */
    uint64_t verb_third[256][VERB_MAX / 64];
    cue cues[CUE_MAX];
    int n_cues;
    /* After loading, every cue word is a key of cuetab: flags holds the
     * classes (bit cls) it is a whole-word cue of, feat those it is a
     * prefix cue of; cfilter tells most words are no key without hashing
     * them (as wfilter does for words).  Per class, the lengths of its
     * prefix cues as bits: a lookup is one probe for the word and one per
     * prefix length. */
    table cuetab;
    uint64_t cfilter[(1u << CFILTER_LOG2) / 64];
    uint64_t cue_plens[CUE_CLASSES];
    uint64_t cue_plens_any;     /* the lengths of every class's prefix cues */
    /* The first two bytes of every prefix cue, as bits: a word whose own
     * are none of them starts no prefix cue, and needs no probe for one. */
    uint64_t cue_first2[65536 / 64];
    int cue_short;              /* a prefix cue of fewer than two bytes */
    mh_analyzer *an;            /* used while loading only */
    mh_buf tmp, tmp2;
};

static _Atomic(mh_lexicon *) g_lex;
static pthread_mutex_t g_lex_mu = PTHREAD_MUTEX_INITIALIZER;

/* The slot of key (k, n) in words, created when new (and its filter bit
 * set); NULL when memory ran out. */
static slot *word_put(mh_lexicon *lx, const char *k, size_t n)
{
    if (n) {
        uint32_t b = word_bit(k, n);
        lx->wfilter[b / 64] |= 1ull << (b % 64);
    }
    return table_put(&lx->words, &lx->arena, k, n);
}

/* The slot of key (k, n) in words, or NULL. */
static slot *word_find(const mh_lexicon *lx, const char *k, size_t n)
{
    if (n) {
        uint32_t b = word_bit(k, n);
        if (!(lx->wfilter[b / 64] >> (b % 64) & 1))
            return NULL;
    }
    return table_find(&lx->words, k, n, hash_bytes(k, n));
}

/* Collects the folded tokens of one entry, joined by ' '. */
typedef struct keyctx {
    mh_buf *b;
    int ntok;
    size_t first_len;           /* bytes of the first token's key */
} keyctx;

static int key_tok(void *ctx, const mh_token *t)
{
    keyctx *k = ctx;
    if (k->ntok)
        mh_buf_addc(k->b, ' ');
    mh_buf_add(k->b, t->fold, t->fold_len);
    if (!k->ntok)
        k->first_len = k->b->len;
    k->ntok++;
    return 0;
}

/* Token key of an entry ("Rusya Dışişleri" -> "rusya disisleri"). */
static int entry_key(mh_lexicon *lx, const char *s, size_t n, mh_buf *b, size_t *first_len)
{
    keyctx k = { b, 0, 0 };
    mh_buf_reset(b);
    mh_tokenize(lx->an, s, n, MH_AN_NOSTEM, key_tok, &k);
    if (first_len)
        *first_len = k.first_len;
    return b->err ? -1 : k.ntok;
}

/*
 * Reduce one folded name part to its transliteration-neutral form:
 * sh->s, kh->h, zh->j, ph->f, w->v, q->k, y->i, x->ks, then doubled
 * letters collapsed and non-alphanumerics dropped.  "sergei" and "sergey"
 * both give "sergei"; "zelenskyy" and "zelensky" both "zelenski".
 */
/* name_norm's letter for a folded byte: itself for a-z and 0-9, the
 * single letters' reductions (w->v, q->k, y->i), 1 for x (two letters)
 * and 0 for a byte dropped; and, for the first letter of a digraph
 * before h, the digraph's letter. */
static const char norm_letter[256] = {
    ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
    ['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
    ['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f',
    ['g'] = 'g', ['h'] = 'h', ['i'] = 'i', ['j'] = 'j', ['k'] = 'k', ['l'] = 'l',
    ['m'] = 'm', ['n'] = 'n', ['o'] = 'o', ['p'] = 'p', ['q'] = 'k', ['r'] = 'r',
    ['s'] = 's', ['t'] = 't', ['u'] = 'u', ['v'] = 'v', ['w'] = 'v', ['x'] = 1,
    ['y'] = 'i', ['z'] = 'z',
};
static const char norm_digraph[256] = { ['s'] = 's', ['k'] = 'h', ['z'] = 'j', ['p'] = 'f' };

static void name_norm(const char *s, size_t n, mh_buf *out)
{
    /* Written to a local array and added at once (a name part is short;
     * the output is at most twice the input: x -> ks). */
    char loc[256];
    size_t nl = 0;
    int local = n <= sizeof loc / 2;
    char prev = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char r = norm_letter[c];
        if (!r)
            continue;
        if (norm_digraph[c] && i + 1 < n && s[i + 1] == 'h') {
            r = norm_digraph[c];
            i++;
        } else if (r == 1) {
            /* x -> ks: the k first (doubled letters collapse across it). */
            if (prev != 'k') {
                if (local)
                    loc[nl++] = 'k';
                else
                    mh_buf_addc(out, 'k');
                prev = 'k';
            }
            r = 's';
        }
        if (r == prev)
            continue;
        if (local)
            loc[nl++] = r;
        else
            mh_buf_addc(out, r);
        prev = r;
    }
    if (local && nl)
        mh_buf_add(out, loc, nl);
}

/* Name key builder shared by loading and mh_lex_name_key. */
static mh_err name_key(const mh_lexicon *lx, const char *name, size_t n, mh_buf *out,
                       mh_buf *fold)
{
    mh_buf_reset(out);
    mh_buf_reset(fold);
    mh_tr_fold_buf(fold, name, n);
    if (fold->err)
        return fold->err;
    const char *f = fold->p ? fold->p : "";
    size_t fn = fold->len, i = 0;
    int parts = 0;
    while (i < fn) {
        /* A part runs to the next space or hyphen; an apostrophe ends the
         * part's stem (a suffix is not part of a name). */
        while (i < fn && (f[i] == ' ' || f[i] == '-'))
            i++;
        size_t a = i;
        while (i < fn && f[i] != ' ' && f[i] != '-')
            i++;
        size_t b = a;
        while (b < i && f[b] != '\'')
            b++;
        if (b == a)
            continue;
        size_t mark = out->len;
        if (parts)
            mh_buf_addc(out, ' ');
        size_t at = out->len;
        name_norm(f + a, b - a, out);
        if (out->len == at) {
            out->len = mark;
            continue;
        }
        if (lx) {
            slot *s = table_find(&lx->parts, out->p + at, out->len - at,
                                 hash_bytes(out->p + at, out->len - at));
            if (s) {
                out->len = at;
                mh_buf_adds(out, s->aux);
            }
        }
        parts++;
    }
    mh_buf_cstr(out);
    return out->err;
}

/*
 * Name keys already made by this thread: the same names come back in an
 * article (its lead, body and title are searched apart, and the store
 * keys every mention again) and across articles, and a key costs a fold,
 * a reduction and a table probe per part.  Direct-mapped by the hash of
 * the name, short names and keys only, for the process's lexicon only
 * (keys depend on its parts table; while it is built it is not g_lex).
 * Per thread, so no lock; fixed arrays, so nothing to free.
 */
#define NKC_SLOTS 1024
#define NKC_NAME  40            /* bytes of a cached name, at most */
#define NKC_KEY   48            /* bytes of a cached key, at most */

typedef struct nkc_entry {
    uint64_t h;                 /* hash of the name; 0: empty */
    uint8_t name_len, key_len;
    char name[NKC_NAME];
    char key[NKC_KEY];
} nkc_entry;

static _Thread_local nkc_entry nkc[NKC_SLOTS];

static mh_err name_key_cached(const mh_lexicon *lx, const char *name, size_t n, mh_buf *out,
                              mh_buf *fold)
{
    if (!lx || lx != g_lex || !name || n > NKC_NAME)
        return name_key(lx, name, n, out, fold);
    uint64_t h = hash_bytes(name, n);
    nkc_entry *c = &nkc[h & (NKC_SLOTS - 1)];
    if (c->h == h && c->name_len == n && memcmp(c->name, name, n) == 0) {
        mh_buf_reset(out);
        mh_buf_add(out, c->key, c->key_len);
        mh_buf_cstr(out);
        return out->err;
    }
    mh_err e = name_key(lx, name, n, out, fold);
    if (!e && out->len <= NKC_KEY) {
        c->h = h;
        c->name_len = (uint8_t)n;
        memcpy(c->name, name, n);
        c->key_len = (uint8_t)out->len;
        memcpy(c->key, out->p, out->len);
    }
    return e;
}

mh_err mh_lex_name_key(const mh_lexicon *lx, const char *name, size_t n, mh_buf *b)
{
    mh_buf fold;
    mh_buf_init(&fold, 0);
    mh_err e = name_key_cached(lx, name, n, b, &fold);
    mh_buf_free(&fold);
    return e;
}

mh_err mh_lex_name_key_with(const mh_lexicon *lx, const char *name, size_t n, mh_buf *b,
                            mh_buf *fold)
{
    return name_key_cached(lx, name, n, b, fold);
}

mh_err mh_entity_key(const char *name, size_t n, char **out, size_t *out_len)
{
    if (!out || (!name && n))
        return MH_EINVAL;
    *out = NULL;
    const mh_lexicon *lx = mh_lexicon_get();
    if (!lx)
        return MH_ENOMEM;
    mh_buf b;
    mh_buf_init(&b, 1 << 16);
    mh_err e = mh_lex_name_key(lx, name ? name : "", n, &b);
    /* A known variant takes the key of its canonical spelling (Kyiv ->
     * Kiev), so every spelling merges. */
    const char *c = e ? NULL : mh_lex_canonical(lx, b.p, b.len, NULL);
    if (c)
        e = mh_lex_name_key(lx, c, strlen(c), &b);
    if (e) {
        mh_buf_free(&b);
        return e;
    }
    size_t len;
    char *p = mh_buf_detach(&b, &len);
    if (!p) {
        p = mh_strdup("");
        len = 0;
        if (!p)
            return MH_ENOMEM;
    }
    *out = p;
    if (out_len)
        *out_len = len;
    return MH_OK;
}

/* ------------------------------------------------------------------ */
/* Parsing the files                                                    */
/* ------------------------------------------------------------------ */

/* Flags given to the entries of each gazetteer file. */
static unsigned file_flags(const char *name)
{
    static const struct { const char *name; unsigned flags; } f[] = {
        { "countries", MH_GZ_PLACE | MH_GZ_COUNTRY },
        { "capitals", MH_GZ_PLACE },
        { "provinces", MH_GZ_PLACE },
        { "places", MH_GZ_PLACE },
        { "bodies", MH_GZ_ORG },
        { "institutions", MH_GZ_ORG },
        { "agencies", MH_GZ_ORG | MH_GZ_AGENCY },
        { "people", MH_GZ_PERSON },
        { "first_names", MH_GZ_FIRST },
        { "titles", MH_GZ_TITLE },
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(f); i++)
        if (strcmp(f[i].name, name) == 0)
            return f[i].flags;
    return 0;
}

/* Next line of text at *p (without '\n', trimmed); 0 at the end. */
static int next_line(const char **p, const char **ls, size_t *ll)
{
    const char *s = *p;
    if (!*s)
        return 0;
    const char *e = strchr(s, '\n');
    if (!e)
        e = s + strlen(s);
    *p = *e ? e + 1 : e;
    while (s < e && (*s == ' ' || *s == '\t' || *s == '\r'))
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        e--;
    *ls = s;
    *ll = (size_t)(e - s);
    return 1;
}

/* Add one gazetteer entry (a variant spelled s, canonical name canon). */
static mh_err add_entry(mh_lexicon *lx, const char *s, size_t n, const char *canon,
                        unsigned flags, const char *title_base, int token_level, int rules)
{
    mh_buf *b = &lx->tmp;
    if (token_level) {
        size_t first_len;
        int ntok = entry_key(lx, s, n, b, &first_len);
        if (ntok < 0)
            return MH_ENOMEM;
        if (ntok >= 1 && ntok <= MH_GZ_MAXTOK) {
            slot *sl = word_put(lx, b->p, b->len);
            if (!sl)
                return MH_ENOMEM;
            sl->flags |= flags;
            if (!rules)
                sl->feat |= flags;
            if (title_base && !sl->aux)
                sl->aux = title_base;
            if (ntok > 1) {
                slot *f = word_put(lx, b->p, first_len);
                if (!f)
                    return MH_ENOMEM;
                f->flags |= MH_GZ_STARTS;
                if (!rules)
                    f->feat |= MH_GZ_STARTS;
            }
        }
    }
    if (canon && (flags & (MH_GZ_PLACE | MH_GZ_ORG | MH_GZ_PERSON))) {
        if (name_key(lx, s, n, b, &lx->tmp2) != MH_OK)
            return MH_ENOMEM;
        if (b->len) {
            slot *sl = table_put(&lx->canon, &lx->arena, b->p, b->len);
            if (!sl)
                return MH_ENOMEM;
            if (!sl->aux)
                sl->aux = canon;
            sl->flags |= flags;
        }
        /* A person's last name alone names that person, unless another
         * person of the gazetteers has the same last name. */
        const char *sp = b->len ? memchr(b->p, ' ', b->len) : NULL;
        if ((flags & MH_GZ_PERSON) && sp) {
            const char *last = b->p + b->len;
            while (last > b->p && last[-1] != ' ')
                last--;
            size_t ln = (size_t)(b->p + b->len - last);
            int fresh = !table_find(&lx->surnames, last, ln, hash_bytes(last, ln));
            slot *sl = table_put(&lx->surnames, &lx->arena, last, ln);
            if (!sl)
                return MH_ENOMEM;
            if (fresh)
                sl->aux = canon;
            else if (sl->aux && strcmp(sl->aux, canon) != 0)
                sl->aux = NULL;
        }
    }
    return MH_OK;
}

/* One '|'-separated gazetteer line: the first field is canonical. */
static mh_err parse_gaz_line(mh_lexicon *lx, const char *s, size_t n, unsigned flags,
                             int is_title, int rules)
{
    const char *canon = NULL;
    const char *e = s + n;
    while (s < e) {
        const char *bar = memchr(s, '|', (size_t)(e - s));
        const char *f = bar ? bar : e;
        const char *a = s, *b = f;
        while (a < b && *a == ' ')
            a++;
        while (b > a && b[-1] == ' ')
            b--;
        if (b > a) {
            if (!canon) {
                canon = mh_arena_strndup(&lx->arena, a, (size_t)(b - a));
                if (!canon)
                    return MH_ENOMEM;
            }
            mh_err err = add_entry(lx, a, (size_t)(b - a), is_title ? NULL : canon, flags,
                                   is_title ? canon : NULL, 1, rules);
            if (err)
                return err;
        }
        s = bar ? bar + 1 : e;
    }
    return MH_OK;
}

/* aliases.txt [name]: variants of a name whose type the gazetteers know;
 * [part]: variants of a name part. */
static mh_err parse_alias_line(mh_lexicon *lx, const char *s, size_t n, int part)
{
    const char *e = s + n, *canon = NULL;
    const char *canon_key = NULL;
    unsigned flags = 0;
    while (s < e) {
        const char *bar = memchr(s, '|', (size_t)(e - s));
        const char *f = bar ? bar : e;
        const char *a = s, *b = f;
        while (a < b && *a == ' ')
            a++;
        while (b > a && b[-1] == ' ')
            b--;
        s = bar ? bar + 1 : e;
        if (b <= a)
            continue;
        if (name_key(NULL, a, (size_t)(b - a), &lx->tmp, &lx->tmp2) != MH_OK)
            return MH_ENOMEM;
        if (!lx->tmp.len)
            continue;
        if (!canon) {
            canon = mh_arena_strndup(&lx->arena, a, (size_t)(b - a));
            canon_key = mh_arena_strndup(&lx->arena, lx->tmp.p, lx->tmp.len);
            if (!canon || !canon_key)
                return MH_ENOMEM;
            slot *c = table_find(&lx->canon, lx->tmp.p, lx->tmp.len,
                                 hash_bytes(lx->tmp.p, lx->tmp.len));
            flags = c ? c->flags : 0;
            if (c && c->aux)
                canon = c->aux;
        }
        if (part) {
            slot *sl = table_put(&lx->parts, &lx->arena, lx->tmp.p, lx->tmp.len);
            if (!sl)
                return MH_ENOMEM;
            if (!sl->aux)
                sl->aux = canon_key;
        } else if (flags) {
            slot *sl = table_put(&lx->canon, &lx->arena, lx->tmp.p, lx->tmp.len);
            if (!sl)
                return MH_ENOMEM;
            if (!sl->aux)
                sl->aux = canon;
            sl->flags |= flags;
        }
    }
    return MH_OK;
}

static int form_of(const char *s, size_t n)
{
    if (n == 6 && memcmp(s, "finite", 6) == 0)
        return MH_VF_FINITE;
    if (n == 10 && memcmp(s, "participle", 10) == 0)
        return MH_VF_PARTICIPLE;
    if (n == 7 && memcmp(s, "converb", 7) == 0)
        return MH_VF_CONVERB;
    return 0;
}

/* Split at the first TAB: field 0 into (a, an), the rest into (r, rn). */
static int split_tab(const char *s, size_t n, const char **a, size_t *an,
                     const char **r, size_t *rn)
{
    const char *t = memchr(s, '\t', n);
    if (!t)
        return 0;
    *a = s;
    *an = (size_t)(t - s);
    while (t < s + n && *t == '\t')
        t++;
    *r = t;
    *rn = (size_t)(s + n - t);
    return 1;
}

/* One pattern token "söyle*|anlat*" or "ifadesini|ifadelerini" or "?". */
static mh_err parse_vtok(mh_lexicon *lx, const char *s, size_t n, vtok *t)
{
    memset(t, 0, sizeof *t);
    if (n == 1 && s[0] == '?') {
        t->any = 1;
        return MH_OK;
    }
    const char *e = s + n;
    while (s < e && t->n_alt < ALTS_MAX) {
        const char *bar = memchr(s, '|', (size_t)(e - s));
        const char *f = bar ? bar : e;
        size_t len = (size_t)(f - s);
        int stem = len && s[len - 1] == '*';
        if (stem)
            len--;
        if (len && len < 64) {
            /* Patterns are lowercase already; keep them as written. */
            t->alt[t->n_alt] = mh_arena_strndup(&lx->arena, s, len);
            if (!t->alt[t->n_alt])
                return MH_ENOMEM;
            t->alt_len[t->n_alt] = (uint8_t)len;
            t->stem[t->n_alt] = (uint8_t)stem;
            t->n_alt++;
        }
        s = bar ? bar + 1 : e;
    }
    return MH_OK;
}

static size_t verb_slot(const char *w, size_t n)
{
    unsigned b0 = n > 0 ? (unsigned char)w[0] : 0, b1 = n > 1 ? (unsigned char)w[1] : 0;
    return (b0 * 31u + b1) & (VERB_SLOTS - 1);
}

/*
 * Marks in verb_third the third bytes of the words the first token of
 * verb vb (index vi) can match (see verb_at and stem_form): a literal
 * alternative's own (0 when it has two bytes); a stem's, when the token
 * is the verb's last (a stem matches nowhere else), and then any byte
 * after a stem shorter than three bytes, and the first bytes of the
 * narrowed vowels (i u ı ü) after a stem of three ("ara" -> "arıyor").
 * Any other byte rules the verb out.
 */
static void verb_third(mh_lexicon *lx, const verb *vb, int vi)
{
    const vtok *t = &vb->t[0];
    uint64_t bit = 1ull << (vi % 64);
    int w = vi / 64;
    int all = t->any;
    for (int a = 0; a < t->n_alt && !all; a++) {
        const char *x = t->alt[a];
        size_t n = t->alt_len[a];
        if (!t->stem[a]) {
            if (n >= 2)
                lx->verb_third[n >= 3 ? (unsigned char)x[2] : 0][w] |= bit;
            continue;
        }
        if (vb->n_tok != 1)
            continue;
        if (n < 3) {
            all = 1;
            break;
        }
        lx->verb_third[(unsigned char)x[2]][w] |= bit;
        if (n == 3) {
            static const unsigned char narrowed[] = { 'i', 'u', 0xC4, 0xC3 };
            for (size_t k = 0; k < sizeof narrowed; k++)
                lx->verb_third[narrowed[k]][w] |= bit;
        }
    }
    if (all)
        for (int c = 0; c < 256; c++)
            lx->verb_third[c][w] |= bit;
}

static mh_err parse_verb_line(mh_lexicon *lx, const char *s, size_t n)
{
    const char *canon, *rest, *flags, *pat;
    size_t cn, rn, fn, pn;
    if (!split_tab(s, n, &canon, &cn, &rest, &rn) ||
        !split_tab(rest, rn, &flags, &fn, &pat, &pn) || lx->n_verbs >= VERB_MAX)
        return MH_OK;
    verb *v = &lx->verbs[lx->n_verbs];
    memset(v, 0, sizeof *v);
    v->canon = mh_arena_strndup(&lx->arena, canon, cn);
    if (!v->canon)
        return MH_ENOMEM;
    for (size_t i = 0; i < fn; i++) {
        if (flags[i] == 'd')
            v->flags |= MH_VERB_DIRECT_ONLY;
        else if (flags[i] == 'k')
            v->flags |= MH_VERB_DATIVE;
        else if (flags[i] == 'g')
            v->flags |= MH_VERB_GENITIVE;
    }
    const char *e = pat + pn;
    while (pat < e && v->n_tok < VERB_TOKS) {
        while (pat < e && *pat == ' ')
            pat++;
        const char *sp = pat;
        while (sp < e && *sp != ' ')
            sp++;
        if (sp > pat) {
            mh_err err = parse_vtok(lx, pat, (size_t)(sp - pat), &v->t[v->n_tok]);
            if (err)
                return err;
            if (v->t[v->n_tok].n_alt || v->t[v->n_tok].any)
                v->n_tok++;
        }
        pat = sp;
    }
    if (v->n_tok) {
        for (int a = 0; a < v->t[0].n_alt; a++) {
            size_t slot = verb_slot(v->t[0].alt[a], v->t[0].alt_len[a]);
            lx->verb_index[slot][lx->n_verbs / 64] |= 1ull << (lx->n_verbs % 64);
        }
        verb_third(lx, v, lx->n_verbs);
        lx->n_verbs++;
    }
    return MH_OK;
}

static mh_err index_cues(mh_lexicon *lx);

/* The class of a section of quote_cues.txt or name_heads.txt, 0 if none. */
static int cue_class(const char *section)
{
    static const struct { const char *name; int cls; } c[] = {
        { "speech", MH_CUE_SPEECH },          { "work", MH_CUE_WORK },
        { "bridge", MH_CUE_BRIDGE },          { "headline", MH_CUE_HEADLINE },
        { "setting", MH_CUE_SETTING },        { "topic", MH_CUE_TOPIC },
        { "org", MH_CUE_ORGHEAD },            { "org-before", MH_CUE_ORG_BEFORE },
        { "org-after", MH_CUE_ORG_AFTER },    { "person-before", MH_CUE_PERSON_BEFORE },
        { "nationality", MH_CUE_NATIONALITY }, { "not-name", MH_CUE_NOT_NAME },
        { "not-after", MH_CUE_NOT_AFTER },    { "common", MH_CUE_COMMON },
        { "law", MH_CUE_LAW },                { "place-after", MH_CUE_PLACE_AFTER },
        { "club-after", MH_CUE_CLUB_AFTER },  { "facility", MH_CUE_FACILITY },
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(c); i++)
        if (strcmp(c[i].name, section) == 0)
            return c[i].cls;
    return 0;
}

static mh_err parse_file(mh_lexicon *lx, const mh_lex_file *f)
{
    const char *p = f->text, *s;
    size_t n;
    char section[32] = "";
    unsigned flags = file_flags(f->name);
    int is_alias = strcmp(f->name, "aliases") == 0;
    int is_verbs = strcmp(f->name, "reporting_verbs") == 0;
    /* Both files are lists of word classes compared with token folds. */
    int is_cues = strcmp(f->name, "quote_cues") == 0 || strcmp(f->name, "name_heads") == 0;
    int is_titles = strcmp(f->name, "titles") == 0;
    while (next_line(&p, &s, &n)) {
        if (!n || s[0] == '#')
            continue;
        if (s[0] == '[' && s[n - 1] == ']' && n - 2 < sizeof section) {
            memcpy(section, s + 1, n - 2);
            section[n - 2] = 0;
            continue;
        }
        mh_err err = MH_OK;
        if (is_alias) {
            err = parse_alias_line(lx, s, n, strcmp(section, "part") == 0);
        } else if (is_verbs) {
            if (strcmp(section, "suffix") == 0) {
                const char *a, *r;
                size_t an, rn;
                if (split_tab(s, n, &a, &an, &r, &rn) && lx->n_suffix < SUFFIX_MAX &&
                    form_of(a, an)) {
                    suffix_pat *sp = &lx->suffix[lx->n_suffix];
                    sp->form = form_of(a, an);
                    sp->pat = mh_arena_strndup(&lx->arena, r, rn);
                    if (!sp->pat)
                        return MH_ENOMEM;
                    sp->min = sp->max = 0;
                    for (const char *q = sp->pat; *q; q++) {
                        sp->min++;
                        sp->max += *q == 'I' || *q == 'U' ? 2 : 1;
                    }
                    lx->n_suffix++;
                }
            } else if (strcmp(section, "verb") == 0) {
                err = parse_verb_line(lx, s, n);
            }
        } else if (is_cues) {
            int cls = cue_class(section);
            if (cls && lx->n_cues < CUE_MAX) {
                /* Cues are compared with token folds, so fold them too. */
                mh_buf_reset(&lx->tmp);
                int prefix = s[n - 1] == '*';
                mh_tr_fold_buf(&lx->tmp, s, n - (size_t)prefix);
                cue *c = &lx->cues[lx->n_cues];
                c->word = mh_arena_strndup(&lx->arena, lx->tmp.p ? lx->tmp.p : "", lx->tmp.len);
                if (!c->word)
                    return MH_ENOMEM;
                c->len = lx->tmp.len;
                c->prefix = prefix;
                c->cls = cls;
                lx->n_cues++;
            }
        } else if (is_titles) {
            if (strcmp(section, "prefix") == 0)
                err = add_entry(lx, s, n, NULL, MH_GZ_TPREFIX, NULL, 1, 0);
            else
                err = parse_gaz_line(lx, s, n, MH_GZ_TITLE, 1, strcmp(section, "rules") == 0);
        } else if (flags) {
            err = parse_gaz_line(lx, s, n, flags, 0, strcmp(section, "rules") == 0);
        }
        if (err)
            return err;
    }
    return MH_OK;
}

static void lexicon_free(mh_lexicon *lx)
{
    if (!lx)
        return;
    mh_free(lx->words.s);
    mh_free(lx->canon.s);
    mh_free(lx->parts.s);
    mh_free(lx->surnames.s);
    mh_free(lx->cuetab.s);
    mh_buf_free(&lx->tmp);
    mh_buf_free(&lx->tmp2);
    mh_analyzer_free(lx->an);
    mh_arena_free(&lx->arena);
    mh_free(lx);
}

static mh_lexicon *lexicon_build(void)
{
    mh_lexicon *lx = mh_malloc(sizeof *lx);
    if (!lx)
        return NULL;
    memset(lx, 0, sizeof *lx);
    mh_arena_init(&lx->arena, 0);
    mh_buf_init(&lx->tmp, 1 << 16);
    mh_buf_init(&lx->tmp2, 1 << 16);
    lx->an = mh_analyzer_new();
    if (!lx->an)
        goto fail;
    /* Aliases refer to names of the other files: parse them last. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < mh_lex_n_files; i++) {
            int alias = strcmp(mh_lex_files[i].name, "aliases") == 0;
            if (alias != pass)
                continue;
            if (parse_file(lx, &mh_lex_files[i]) != MH_OK)
                goto fail;
        }
    }
    if (lx->arena.err)
        goto fail;
    if (index_cues(lx) != MH_OK)
        goto fail;
    for (int k = 0; k < lx->n_suffix; k++)
        for (size_t len = lx->suffix[k].min; len <= lx->suffix[k].max && len < 64; len++)
            lx->suffix_by_len[len] |= 1u << k;
    mh_analyzer_free(lx->an);
    lx->an = NULL;
    return lx;
fail:
    lexicon_free(lx);
    return NULL;
}

/* Built on first use.  Not with pthread_once: a build that ran out of
 * memory must not leave the process without a lexicon for good, so the
 * next caller tries again. */
const mh_lexicon *mh_lexicon_get(void)
{
    mh_lexicon *lx = atomic_load_explicit(&g_lex, memory_order_acquire);
    if (lx)
        return lx;
    pthread_mutex_lock(&g_lex_mu);
    lx = atomic_load_explicit(&g_lex, memory_order_relaxed);
    if (!lx && (lx = lexicon_build()) != NULL)
        atomic_store_explicit(&g_lex, lx, memory_order_release);
    pthread_mutex_unlock(&g_lex_mu);
    return lx;
}

/* ------------------------------------------------------------------ */
/* Lookups                                                              */
/* ------------------------------------------------------------------ */

unsigned mh_lex_word(const mh_lexicon *lx, const char *fold, size_t n)
{
    if (!lx || !n)
        return 0;
    slot *s = word_find(lx, fold, n);
    return s ? s->flags : 0;
}

/* mh_lex_match over the flags of every entry (feat 0) or of the entries
 * the tagger sees (feat 1). */
static size_t match(const mh_lexicon *lx, const mh_doc *d, size_t i, size_t limit,
                    unsigned *flags, const char **title_base, int feat)
{
    *flags = 0;
    if (title_base)
        *title_base = NULL;
    if (!lx || i >= d->n_tokens)
        return 0;
    const mh_token *t0 = &d->tokens[i];
    slot *s = word_find(lx, t0->fold, t0->fold_len);
    unsigned sf = s ? (feat ? s->feat : s->flags) : 0;
    size_t best = 0;
    if (sf & ~MH_GZ_STARTS) {
        best = 1;
        *flags = sf & ~MH_GZ_STARTS;
        if (title_base)
            *title_base = s->aux;
    }
    if (!(sf & MH_GZ_STARTS))
        return best;
    /* Longer entries: build the joined key token by token, within one
     * sentence and without crossing an apostrophe suffix (an inflected
     * token ends a name: "Rusya'nın Dışişleri" is not one entry). */
    char key[256];
    size_t kl = 0;
    if (t0->fold_len >= sizeof key)
        return best;
    memcpy(key, t0->fold, t0->fold_len);
    kl = t0->fold_len;
    if (limit > MH_GZ_MAXTOK)
        limit = MH_GZ_MAXTOK;
    for (size_t k = 1; k < limit && i + k < d->n_tokens; k++) {
        const mh_token *p = &d->tokens[i + k - 1], *t = &d->tokens[i + k];
        if (t->sentence != t0->sentence || (p->flags & MH_TOK_APOS))
            break;
        if (kl + 1 + t->fold_len >= sizeof key)
            break;
        key[kl++] = ' ';
        memcpy(key + kl, t->fold, t->fold_len);
        kl += t->fold_len;
        slot *m = word_find(lx, key, kl);
        unsigned mf = m ? (feat ? m->feat : m->flags) : 0;
        if (mf & ~MH_GZ_STARTS) {
            best = k + 1;
            *flags = mf & ~MH_GZ_STARTS;
            if (title_base)
                *title_base = m->aux;
        }
    }
    return best;
}

/* Is token i surely not the first word of an entry?  Its filter bit says
 * so for most words of a text, before any call (both functions below
 * run on nearly every token). */
static inline int surely_none(const mh_lexicon *lx, const mh_doc *d, size_t i)
{
    if (!lx || i >= d->n_tokens)
        return 0;
    const mh_token *t = &d->tokens[i];
    if (!t->fold_len)
        return 0;
    uint32_t b = word_bit(t->fold, t->fold_len);
    return !(lx->wfilter[b / 64] >> (b % 64) & 1);
}

size_t mh_lex_match(const mh_lexicon *lx, const mh_doc *d, size_t i, size_t limit,
                    unsigned *flags, const char **title_base)
{
    if (surely_none(lx, d, i)) {
        *flags = 0;
        if (title_base)
            *title_base = NULL;
        return 0;
    }
    return match(lx, d, i, limit, flags, title_base, 0);
}

size_t mh_lex_match_features(const mh_lexicon *lx, const mh_doc *d, size_t i, size_t limit,
                             unsigned *flags)
{
    if (surely_none(lx, d, i)) {
        *flags = 0;
        return 0;
    }
    return match(lx, d, i, limit, flags, NULL, 1);
}



void mh_lex_mark_features(const mh_lexicon *lx, const mh_doc *d, mh_ner_tok *toks)
{
    size_t n = d->n_tokens;
    for (size_t i = 0; i < n;) {
        unsigned fl;
        size_t k = surely_none(lx, d, i) ? 0 : match(lx, d, i, MH_GZ_MAXTOK, &fl, NULL, 1);
        if (!k) {
            i++;
            continue;
        }
        for (size_t j = 0; j < k; j++)
            toks[i + j].gz |= (fl & 0xFF) | (j ? 0x8000u : 0) | (k > 1 ? 0x4000u : 0);
        i += k;
    }
}

const char *mh_lex_canonical(const mh_lexicon *lx, const char *key, size_t n,
                             unsigned *flags)
{
    if (!lx || !n)
        return NULL;
    slot *s = table_find(&lx->canon, key, n, hash_bytes(key, n));
    if (!s)
        return NULL;
    if (flags)
        *flags = s->flags;
    return s->aux;
}

const char *mh_lex_surname(const mh_lexicon *lx, const char *key, size_t n)
{
    if (!lx || !n)
        return NULL;
    slot *s = table_find(&lx->surnames, key, n, hash_bytes(key, n));
    return s ? s->aux : NULL;
}

/* The filter bit of a cue key (n > 0), as word_bit does for words. */
static uint32_t cue_bit(const char *k, size_t n)
{
    return word_bit(k, n) >> (WFILTER_LOG2 - CFILTER_LOG2);
}

static mh_err index_cues(mh_lexicon *lx)
{
    for (int i = 0; i < lx->n_cues; i++) {
        const cue *c = &lx->cues[i];
        if (c->cls <= 0 || c->cls >= CUE_CLASSES)
            continue;
        /* A prefix cue of 64 bytes or more has no length bit, so it never
         * matches: it needs no key either. */
        if (c->prefix && c->len >= 64)
            continue;
        slot *s = table_put(&lx->cuetab, &lx->arena, c->word, c->len);
        if (!s)
            return MH_ENOMEM;
        if (c->len) {
            uint32_t b = cue_bit(c->word, c->len);
            lx->cfilter[b / 64] |= 1ull << (b % 64);
        }
        if (c->prefix) {
            s->feat |= 1u << c->cls;
            lx->cue_plens[c->cls] |= 1ull << c->len;
            lx->cue_plens_any |= 1ull << c->len;
            if (c->len < 2) {
                lx->cue_short = 1;
            } else {
                unsigned f2 = (unsigned)(unsigned char)c->word[0] << 8 | (unsigned char)c->word[1];
                lx->cue_first2[f2 / 64] |= 1ull << (f2 % 64);
            }
        } else {
            s->flags |= 1u << c->cls;
        }
    }
    return MH_OK;
}

/* The cue key (w, n): its classes as a whole word (*exact) and as a
 * prefix (return); 0 and 0 when it is no key. */
static unsigned cue_find(const mh_lexicon *lx, const char *w, size_t n, unsigned *exact)
{
    *exact = 0;
    if (n) {
        uint32_t b = cue_bit(w, n);
        if (!(lx->cfilter[b / 64] >> (b % 64) & 1))
            return 0;
    }
    const slot *s = table_find(&lx->cuetab, w, n, hash_bytes(w, n));
    if (!s)
        return 0;
    *exact = s->flags;
    return s->feat;
}

/* May the word (w, n) start with a prefix cue (cue_first2)? */
static int may_have_prefix(const mh_lexicon *lx, const char *w, size_t n)
{
    if (lx->cue_short)
        return 1;
    if (n < 2)
        return 0;
    unsigned f2 = (unsigned)(unsigned char)w[0] << 8 | (unsigned char)w[1];
    return (int)(lx->cue_first2[f2 / 64] >> (f2 % 64) & 1);
}

int mh_lex_cue(const mh_lexicon *lx, const char *fold, size_t n, int cls)
{
    if (!lx || cls <= 0 || cls >= CUE_CLASSES)
        return 0;
    unsigned exact;
    cue_find(lx, fold, n, &exact);
    if (exact >> cls & 1)
        return 1;
    if (!may_have_prefix(lx, fold, n))
        return 0;
    uint64_t lens = lx->cue_plens[cls];
    if (n < 63)
        lens &= (2ull << n) - 1;
    while (lens) {
        size_t len = (size_t)__builtin_ctzll(lens);
        lens &= lens - 1;
        if (cue_find(lx, fold, len, &exact) >> cls & 1)
            return 1;
    }
    return 0;
}

unsigned mh_lex_cue_classes(const mh_lexicon *lx, const char *fold, size_t n)
{
    if (!lx)
        return 0;
    unsigned exact;
    unsigned bits = cue_find(lx, fold, n, &exact);
    bits |= exact;
    if (!may_have_prefix(lx, fold, n))
        return bits & ~1u;
    /* Prefixes shorter than the word; the whole word was the probe above. */
    uint64_t lens = lx->cue_plens_any;
    if (n < 64)
        lens &= (1ull << n) - 1;
    while (lens) {
        size_t len = (size_t)__builtin_ctzll(lens);
        lens &= lens - 1;
        bits |= cue_find(lx, fold, len, &exact);
    }
    return bits & ~1u;
}

/* ---------------- reporting verbs ---------------- */

/* Does the lowercase rest (r, rn) match the harmony pattern p?  D: d|t,
 * I: ı|i|u|ü, U: u|ü, A: a|e; other characters stand for themselves. */
static int harmony_match(const char *r, size_t rn, const char *p)
{
    size_t i = 0;
    for (; *p; p++) {
        if (i >= rn)
            return 0;
        size_t j = i;
        uint32_t c = mh_utf8_next(r, rn, &j);
        int ok;
        switch (*p) {
        case 'D': ok = c == 'd' || c == 't'; break;
        case 'I': ok = c == 'i' || c == 0x131 || c == 'u' || c == 0xFC; break;
        case 'U': ok = c == 'u' || c == 0xFC; break;
        case 'A': ok = c == 'a' || c == 'e'; break;
        default:
            /* Literal bytes of the pattern (may be multi-byte UTF-8). */
            ok = (unsigned char)r[i] == (unsigned char)*p;
            j = i + 1;
        }
        if (!ok)
            return 0;
        i = j;
    }
    return i == rn;
}

/* The form of a word that is stem + a reporting suffix, 0 if none. */
static int stem_form(const mh_lexicon *lx, const char *w, size_t wn, const char *stem,
                     size_t sn)
{
    if (wn > sn && memcmp(w, stem, sn) == 0) {
        size_t rn = wn - sn;
        if (rn < 64) {
            /* Only the suffixes a rest of this length can match, in order. */
            for (uint32_t bits = lx->suffix_by_len[rn]; bits; bits &= bits - 1) {
                int k = __builtin_ctz(bits);
                if (harmony_match(w + sn, rn, lx->suffix[k].pat))
                    return lx->suffix[k].form;
            }
        } else {
            for (int k = 0; k < lx->n_suffix; k++)
                if (rn >= lx->suffix[k].min && rn <= lx->suffix[k].max &&
                    harmony_match(w + sn, rn, lx->suffix[k].pat))
                    return lx->suffix[k].form;
        }
    }
    /* Vowel narrowing before -yor: söyle -> söylüyor, ekle -> ekliyor,
     * de -> diyor.  The stem's last vowel (a or e) is replaced by a high
     * vowel. */
    if (sn >= 2 && (stem[sn - 1] == 'a' || stem[sn - 1] == 'e') && wn > sn &&
        memcmp(w, stem, sn - 1) == 0) {
        size_t j = sn - 1;
        uint32_t c = mh_utf8_next(w, wn, &j);
        if ((c == 'i' || c == 0x131 || c == 'u' || c == 0xFC) && wn - j >= 3 &&
            memcmp(w + j, "yor", 3) == 0) {
            static const char *const rest[] = { "", "du", "lar", "ler" };
            for (size_t k = 0; k < MH_ARRAY_LEN(rest); k++)
                if (wn - j - 3 == strlen(rest[k]) && memcmp(w + j + 3, rest[k], wn - j - 3) == 0)
                    return MH_VF_FINITE;
        }
    }
    return 0;
}

/* Form of a word ending in a reporting suffix, whatever its stem ("diye"
 * followed by any verb). */
static int any_form(const mh_lexicon *lx, const char *w, size_t wn)
{
    for (int k = 0; k < lx->n_suffix; k++) {
        size_t pl = strlen(lx->suffix[k].pat);
        /* A pattern matches at most 2 bytes per symbol; try every split
         * that leaves a stem of two bytes or more. */
        size_t cut = wn > pl * 2 + 2 ? wn - pl * 2 : 2;
        for (; cut < wn; cut++)
            if (wn - cut >= lx->suffix[k].min && wn - cut <= lx->suffix[k].max &&
                harmony_match(w + cut, wn - cut, lx->suffix[k].pat))
                return lx->suffix[k].form;
    }
    return 0;
}

/* Does verb vb match at token i?  1 and *out filled, or 0. */
static int verb_at(const mh_lexicon *lx, const mh_doc *d, size_t i, const verb *vb,
                   mh_verb_hit *out)
{
    const mh_token *t0 = &d->tokens[i];
    if (i + (size_t)vb->n_tok > d->n_tokens)
        return 0;
    int form = 0, ok = 1;
    for (int k = 0; k < vb->n_tok && ok; k++) {
        const mh_token *t = &d->tokens[i + (size_t)k];
        const vtok *vt = &vb->t[k];
        int last = k == vb->n_tok - 1;
        if (t->sentence != t0->sentence || (t->flags & (MH_TOK_CAP | MH_TOK_NUM))) {
            ok = 0;
            break;
        }
        if (vt->any) {
            form = any_form(lx, t->norm, t->norm_len);
            ok = form != 0;
            continue;
        }
        int hit = 0;
        for (int a = 0; a < vt->n_alt && !hit; a++) {
            if (vt->stem[a]) {
                int f = stem_form(lx, t->norm, t->norm_len, vt->alt[a], vt->alt_len[a]);
                if (f && last) {
                    form = f;
                    hit = 1;
                }
            } else if (t->norm_len == vt->alt_len[a] &&
                       memcmp(t->norm, vt->alt[a], t->norm_len) == 0) {
                hit = 1;
            }
        }
        ok = hit;
    }
    if (!ok || !form)
        return 0;
    out->ntok = (uint32_t)vb->n_tok;
    out->form = form;
    out->flags = vb->flags;
    out->canon = vb->canon;
    out->generic = vb->t[vb->n_tok - 1].any;
    return 1;
}

/* The verbs of a slot's mask tried at token i, in index order. */
static __attribute__((noinline)) int verbs_at(const mh_lexicon *lx, const mh_doc *d, size_t i,
                                              const uint64_t *mask, mh_verb_hit *out)
{
    for (int w = 0; w < VERB_MAX / 64; w++) {
        for (uint64_t bits = mask[w]; bits; bits &= bits - 1) {
            int v = w * 64 + __builtin_ctzll(bits);
            if (verb_at(lx, d, i, &lx->verbs[v], out))
                return 1;
        }
    }
    return 0;
}

int mh_lex_verb(const mh_lexicon *lx, const mh_doc *d, size_t i, mh_verb_hit *out)
{
    if (!lx || i >= d->n_tokens)
        return 0;
    const mh_token *t0 = &d->tokens[i];
    if (t0->norm_len < 2 || (t0->flags & (MH_TOK_CAP | MH_TOK_NUM)))
        return 0;
    const uint64_t *slot = lx->verb_index[verb_slot(t0->norm, t0->norm_len)];
    const uint64_t *third = lx->verb_third[t0->norm_len >= 3 ? (unsigned char)t0->norm[2] : 0];
    /* The verbs of the slot that the word's third byte allows, in index
     * order, one set bit at a time: most words' slots hold none or a few
     * of them, and most words none, which the test here tells without the
     * search's own call (it is called on nearly every token).  Bits are
     * set for indexes below n_verbs only. */
    uint64_t mask[VERB_MAX / 64], any = 0;
    for (int w = 0; w < VERB_MAX / 64; w++) {
        mask[w] = slot[w] & third[w];
        any |= mask[w];
    }
    return any ? verbs_at(lx, d, i, mask, out) : 0;
}
