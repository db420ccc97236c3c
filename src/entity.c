/*
 * entity.c -- people, places and organisations in analysed text.
 *
 * A statistical tagger finds names: an averaged structured perceptron
 * over hashed features (the word, its neighbours, affixes, word shapes,
 * capitalisation, apostrophe suffix, punctuation around the word,
 * gazetteer membership, the capitalised run the word is in, the word
 * clusters of the word and its neighbours, the previous tag), BIO tags
 * over three types plus one tag for other kinds of names
 * (events, works, nationalities; reported as nothing), Viterbi decoding.
 * It is trained by tools/train_ner.c on WikiNER Turkish (CC BY-SA 4.0;
 * PERSON -> person, GPE and LOC -> place, ORG -> organisation) and
 * compiled into the library as src/ner_model_data.c (the same bytes as
 * data/ner.model).  The word clusters (two granularities, 64 and 512
 * classes) are learned from unlabeled text by tools/gen_clusters.c and
 * compiled in as src/ner_clusters_data.c: word hashes, no words.
 *
 * Around the tagger, rules that hold for news text:
 *  - gazetteer names the tagger missed are added, and a gazetteer's type
 *    wins over the tagger's for an exact match (AFP is an organisation),
 *    but no name is added inside what the tagger took for another kind
 *    of name ("Türkiye Kupası" is an event, "ABD'li" a nationality);
 *  - a name ends at an apostrophe suffix (Rusya'nın Ankara ... is two);
 *  - titles in front of a person are a role, not part of the name;
 *  - one sense per article: a surname or a name found once is found
 *    everywhere else in the article (and in its context: the headline
 *    sees the body's names);
 *  - where a capital says nothing (first word of a sentence or of a
 *    quotation), one word is no name when it has a possessive of "we"
 *    or "you" ("Diplomatlarımız"), is an organisation's head word alone
 *    ("Banka"), is written in lowercase elsewhere in the article, or is
 *    a person the article never names elsewhere; a quoted name before a
 *    noun of a work ("Kinjal" füzesi) is a title; the first half of a
 *    joined title ("Ulaştırma ve Altyapı Bakanı") is no name;
 *  - a "person" with an organisation's head word in it ("Emlak
 *    Katılım", data/lexicon/name_heads.txt) or one acronym is an
 *    organisation, and an acronym after a full name is cut off; so is a
 *    "place" whose last word is one ("Varşova Konservatuvarı");
 *  - words beside a name say what it is: a noun in apposition before it
 *    ("finans şirketi Wells Fargo", also across "olan") or one tied to
 *    it after it ("UBS
 *    analisti") an organisation, a noun of occupation or kin before two
 *    or three capitalised words ("ev hanımı ...") a person, a title
 *    before a "body" a person ("Bakan Kurum'a"); one word with a capital
 *    inside ("GameStop") that the article does not introduce as a person
 *    is an organisation; a unit noun after a name ("Zile ilçesine")
 *    makes it a place and is no part of it ("Tokat ilinin Zile" is two
 *    places), a plural one the names listed before it too ("Kırcalı,
 *    Tozluca ve Ardıçlı kasabaları"), a club's noun ("... takımında") makes a place the
 *    gazetteers do not know a club, and capitalised words ending in a
 *    head word after a person or place ("... Dance Group") make one
 *    organisation of both; a gazetteer name before the head of a
 *    square's or a building's name ("Cumhuriyet Meydanı") is part of
 *    that name, not a mention of its own;
 *  - some words only look like names: units and indices in capitals
 *    (TL, TÜFE), a word before a noun that makes it common ("Ramazan
 *    ayında"), outlets that are words first in a sentence ("Sabah
 *    saatlerinde"); places joined by a hyphen are two places;
 *  - an abbreviation in brackets after an organisation's full name
 *    ("... Derneği (TEMDER)") names it there and elsewhere in the text;
 *    its head word alone stands for it ("Bakanlık'ın" after "Tarım ve
 *    Orman Bakanlığı") when one organisation of the text holds the word;
 *    the words of a joined name the tagger left out come back ("Tarım
 *    ve" of "Tarım ve Orman Bakanlığı");
 *  - gazetteer entries under a file's [rules] are used by these rules
 *    only, never as the tagger's features (the model stays what it was
 *    trained as);
 *  - in all-caps lines (section headings) the tagger is not trusted: only
 *    names known from elsewhere in the article or from a gazetteer count;
 *  - canonical names: a surname alone takes the full name of the same
 *    person in the article; gazetteer variants take their canonical
 *    spelling (Sergei Lavrov -> Sergey Lavrov).
 *
 * Speed: lowercase tokens after a non-entity tag are not scored (Turkish
 * names are capitalised), so only about a fifth of the tokens of news
 * prose cost a model evaluation; the Viterbi search costs eight
 * previous-tag evaluations per scored token instead of one.  The tags
 * do not depend on the context, so mh_entities_refind resolves a text's
 * names against a second context without tagging it again.  Limits:
 * nested names are not found (the tagger is flat), lowercase name
 * particles after an O tag ("de", "van") start no name.
 */
#include "lexicon.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

/* Word-cluster features (tools/gen_clusters.c); the model must be trained
 * with the same setting. */
#ifndef MH_NER_CLUSTERS
#define MH_NER_CLUSTERS 1
#endif
#define MODEL_MAGIC   "MHNER"
#define MODEL_MAXBITS 24           /* 16M rows: a sanity ceiling */
#define ROLE_MAX_TOK  8
/* Texts of at least this many sentences are articles (not a headline or
 * a lone sentence): they name a person in full somewhere. */
#define ARTICLE_SENTENCES 3
/* ... and at least this many bytes, for what counts on a text being an
 * article rather than a few words split at odd places (lone_person). */
#define ARTICLE_BYTES 400

struct mh_ner {
    char *info;                 /* the header lines */
    unsigned nbits;
    int16_t *w;                 /* (1 << nbits) rows of MH_NER_ROW weights */
};

/* ------------------------------------------------------------------ */
/* Names of things                                                      */
/* ------------------------------------------------------------------ */

const char *mh_ent_type_name(mh_ent_type t)
{
    switch (t) {
    case MH_ENT_PERSON: return "person";
    case MH_ENT_PLACE: return "place";
    case MH_ENT_ORG: return "org";
    default: return "";
    }
}

mh_ent_type mh_ent_type_parse(const char *s, size_t n)
{
    static const struct { const char *s; mh_ent_type t; } names[] = {
        { "person", MH_ENT_PERSON }, { "place", MH_ENT_PLACE },
        { "org", MH_ENT_ORG }, { "organisation", MH_ENT_ORG },
        { "organization", MH_ENT_ORG },
    };
    if (!s)
        return MH_ENT_NONE;
    for (size_t i = 0; i < MH_ARRAY_LEN(names); i++)
        if (strlen(names[i].s) == n && memcmp(names[i].s, s, n) == 0)
            return names[i].t;
    return MH_ENT_NONE;
}

/* ------------------------------------------------------------------ */
/* Features (shared with tools/train_ner.c)                             */
/* ------------------------------------------------------------------ */

#define FNV_SEED 1469598103934665603ull

/* FNV-1a of (p, n) continued from h (FNV_SEED to start). */
static inline uint64_t fnv_more(uint64_t h, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* fnv of a whole word: four bytes a round, the same hash with fewer loop
 * tests per byte (the affixes fnv hashes are too short to gain). */
static inline uint64_t fnv_word(const char *p, size_t n)
{
    uint64_t h = FNV_SEED;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ull;
        h ^= (unsigned char)p[i + 1];
        h *= 1099511628211ull;
        h ^= (unsigned char)p[i + 2];
        h *= 1099511628211ull;
        h ^= (unsigned char)p[i + 3];
        h *= 1099511628211ull;
    }
    for (; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ull;
    }
    return h;
}

static uint64_t fnv(const char *p, size_t n) { return fnv_more(FNV_SEED, p, n); }

static inline uint64_t mix(uint64_t a, uint64_t b)
{
    uint64_t h = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull + (a << 6) + (a >> 2));
    h ^= h >> 31;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    return h;
}

/* Byte length of the first k code points of (s, n), or of the last k. */
static size_t cp_prefix(const char *s, size_t n, size_t k)
{
    size_t i = 0;
    while (i < n && k) {
        i++;
        while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        k--;
    }
    return i;
}

static size_t cp_suffix(const char *s, size_t n, size_t k)
{
    size_t i = n;
    while (i > 0 && k) {
        i--;
        while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
            i--;
        k--;
    }
    return n - i;
}

/* Punctuation class of the gap between two tokens. */
enum { P_NONE, P_COMMA, P_STOP, P_DQUOTE, P_SQUOTE, P_OPEN, P_CLOSE, P_COLON,
       P_DASH, P_OTHER, P_LINE, P_EDGE };

static unsigned char punct_class(char c)
{
    switch (c) {
    case ',': return P_COMMA;
    case '.': case '!': case '?': case ';': return P_STOP;
    case '"': return P_DQUOTE;
    case '\'': return P_SQUOTE;
    case '(': case '[': return P_OPEN;
    case ')': case ']': return P_CLOSE;
    case ':': return P_COLON;
    case '-': return P_DASH;
    case '\n': return P_LINE;
    default: return P_OTHER;
    }
}

/* The last (last != 0) or first non-space byte of text[a, b), as a class. */
static unsigned char gap_class(const char *t, size_t a, size_t b, int last)
{
    if (a >= b)
        return P_NONE;
    if (last) {
        for (size_t i = b; i > a; i--)
            if (t[i - 1] != ' ')
                return punct_class(t[i - 1]);
    } else {
        for (size_t i = a; i < b; i++)
            if (t[i] != ' ')
                return punct_class(t[i]);
    }
    return P_NONE;
}

/*
 * Does text[a, b) hold, anywhere, a mark no name runs across: a comma,
 * a quote mark, a bracket, a colon or a line end?  gap_class only looks
 * at the last character, so `Trump, "'Çin` ends in a single quote and
 * would otherwise let "Trump" run on into "Çin".  Apostrophes inside
 * words never reach a gap: the tokenizer keeps suffixes with their token.
 */
static unsigned char gap_breaks(const char *t, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        switch (t[i]) {
        case ',': case '"': case '\'': case '(': case ')': case '[': case ']':
        case ':': case '\n':
            return 1;
        default:
            break;
        }
    return 0;
}

/* The punctuation of one gap between tokens, text[a, b): the class of
 * its first and of its last non-space byte (gap_class) and whether it
 * holds a name-breaking mark (gap_breaks).  A gap is read once: it is
 * the gap after one token and before the next. */
typedef struct gap { unsigned char first, last, brk; } gap;

static __attribute__((noinline)) gap gap_read(const char *t, size_t a, size_t b)
{
    gap g = { gap_class(t, a, b, 0), gap_class(t, a, b, 1), gap_breaks(t, a, b) };
    return g;
}

static inline gap gap_scan(const char *t, size_t a, size_t b)
{
    /* Most gaps are one space: nothing to read. */
    if (a >= b || (b == a + 1 && t[a] == ' '))
        return (gap){ P_NONE, P_NONE, 0 };
    return gap_read(t, a, b);
}

/* Is the lowercase form of token t the word w ("ve", "ile")? */
static int norm_is(const mh_token *t, const char *w)
{
    size_t n = strlen(w);
    return t->norm_len == n && memcmp(t->norm, w, n) == 0;
}

/* The first byte that is not a space between tokens i and j (i < j), or
 * 0. */
static char first_char_between(const mh_doc *d, size_t i, size_t j)
{
    return mh_first_nonspace(d->text, d->tokens[i].full_end, d->tokens[j].start);
}

/* Only spaces between tokens i and j (i < j)? */
static int only_spaces_between(const mh_doc *d, size_t i, size_t j)
{
    return !first_char_between(d, i, j);
}

/* A lowercase word that may sit inside a name between capitalised words
 * ("Bilim ve Teknoloji Bakanlığı", "Ludwig van Beethoven"). */
static int run_joiner(const mh_token *t)
{
    static const char w[][4] = { "ve", "ile", "of", "and", "the", "de", "da", "van",
                                 "von", "der", "la", "le", "du", "del", "di" };
    if (t->norm_len < 2 || t->norm_len > 3)
        return 0;           /* the words above have two or three letters */
    for (size_t i = 0; i < MH_ARRAY_LEN(w); i++)
        if (w[i][t->norm_len] == 0 && memcmp(w[i], t->norm, t->norm_len) == 0)
            return 1;
    return 0;
}

/*
 * Capitalised runs: maximal sequences of capitalised words of one
 * sentence with only spaces between them (a joiner word may stand inside),
 * ending at an apostrophe suffix.  Every word of a run sees the run's last
 * word (Üniversitesi, Partisi, Nehri mark the type of the whole name), the
 * word before it and the word after it (ilçesi, dedi).
 */
static void mark_runs(const mh_doc *d, mh_ner_tok *toks)
{
    size_t n = d->n_tokens;
    for (size_t i = 0; i < n; i++) {
        toks[i].runpos = 0;
        toks[i].runlen = 0;
        toks[i].h_run = toks[i].h_run_s3 = toks[i].h_run_before = toks[i].h_run_after = 0;
    }
    for (size_t a = 0; a < n;) {
        const mh_token *t = &d->tokens[a];
        if (!(t->flags & (MH_TOK_CAP | MH_TOK_ALLCAPS))) {
            a++;
            continue;
        }
        size_t b = a + 1;
        while (b < n && d->tokens[b].sentence == t->sentence &&
               !(d->tokens[b - 1].flags & MH_TOK_APOS) &&
               only_spaces_between(d, b - 1, b)) {
            const mh_token *x = &d->tokens[b];
            if (x->flags & (MH_TOK_CAP | MH_TOK_ALLCAPS)) {
                b++;
                continue;
            }
            if (run_joiner(x) && !(x->flags & MH_TOK_APOS) && b + 1 < n &&
                d->tokens[b + 1].sentence == t->sentence && only_spaces_between(d, b, b + 1) &&
                (d->tokens[b + 1].flags & (MH_TOK_CAP | MH_TOK_ALLCAPS))) {
                b += 2;
                continue;
            }
            break;
        }
        uint64_t before = 0x5A17u, after = 0x5A17u;     /* the sentence edge */
        if (a && d->tokens[a - 1].sentence == t->sentence)
            before = toks[a - 1].h_norm;
        if (b < n && d->tokens[b].sentence == t->sentence)
            after = toks[b].h_norm;
        for (size_t i = a; i < b; i++) {
            mh_ner_tok *k = &toks[i];
            k->runpos = b - a == 1 ? 1 : i == a ? 2 : i + 1 == b ? 4 : 3;
            k->runlen = (unsigned char)(b - a > 7 ? 7 : b - a);
            k->h_run = toks[b - 1].h_norm;
            k->h_run_s3 = toks[b - 1].h_s3;
            k->h_run_before = before;
            k->h_run_after = after;
        }
        a = b;
    }
}

/* The shape bits of a byte inside a token: 8 a digit, 16 '.' or '-'. */
static const unsigned char byte_shape[256] = {
    ['0'] = 8, ['1'] = 8, ['2'] = 8, ['3'] = 8, ['4'] = 8,
    ['5'] = 8, ['6'] = 8, ['7'] = 8, ['8'] = 8, ['9'] = 8,
    ['.'] = 16, ['-'] = 16,
};

/* The shape bits of text[a, b) (byte_shape of each byte). */
static unsigned raw_shape(const char *text, size_t text_len, size_t a, size_t b)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* The bytes with a shape ('-', '.', digits) are all below 0x40, and
     * letters and the bytes of UTF-8 sequences above: eight bytes with
     * none below 0x40 (the classic test for a byte less than n, exact
     * for the word as a whole) add nothing.  Bytes past b, read when the
     * text goes on, are set to 0xFF. */
    while (a < b && a + 8 <= text_len) {
        uint64_t x;
        memcpy(&x, text + a, 8);
        if (b - a < 8)
            x |= ~0ull << (8 * (b - a));
        if ((x - 0x4040404040404040ull) & ~x & 0x8080808080808080ull)
            break;
        a += 8;
    }
#else
    MH_UNUSED(text_len);
#endif
    unsigned shape = 0;
    for (; a < b; a++)
        shape |= byte_shape[(unsigned char)text[a]];
    return shape;
}

/* The word's slot in the cluster table (tools/gen_clusters.c), or NULL:
 * one probe keyed by its hash.  Looked up for the scored tokens and
 * their neighbours only, when their features are made. */
static inline const mh_ner_cluster *cluster_find(uint64_t h)
{
    size_t mask = ((size_t)1 << mh_ner_cluster_bits) - 1;
    size_t j = (size_t)h & mask;
    uint32_t want = (uint32_t)(h >> 32), key;
    if (!want)
        return NULL;            /* the empty key: no word of the table */
    while ((key = mh_ner_cluster_table[j].key) != want) {
        if (!key)
            return NULL;
        j = (j + 1) & mask;
    }
    return &mh_ner_cluster_table[j];
}

void mh_ner_prepare(const mh_lexicon *lx, const mh_doc *d, mh_ner_tok *toks)
{
    static const char numkey[] = "#num";
    size_t n = d->n_tokens;
    gap before = gap_scan(d->text, 0, n ? d->tokens[0].start : 0);
    for (size_t i = 0; i < n; i++) {
        const mh_token *t = &d->tokens[i];
        mh_ner_tok *k = &toks[i];
        const char *w = t->norm;
        size_t wn = t->norm_len;
        if (t->flags & MH_TOK_NUM) {
            w = numkey;
            wn = sizeof numkey - 1;
        }
        k->h_norm = fnv_word(w, wn);
        /* The last three letters: three bytes when they are ASCII. */
        size_t s3 = wn >= 3 && !((w[wn - 1] | w[wn - 2] | w[wn - 3]) & 0x80) ? 3
                                                                              : cp_suffix(w, wn, 3);
        k->h_s3 = fnv(w + wn - s3, s3);
        k->h_apos = (t->flags & MH_TOK_APOS) ? fnv(t->suffix, t->suffix_len) + 1 : 0;
        unsigned shape = 0;
        if (t->flags & MH_TOK_CAP)
            shape |= 1;
        if (t->flags & MH_TOK_ALLCAPS)
            shape |= 2;
        if (t->flags & MH_TOK_NUM)
            shape |= 4;
        shape |= raw_shape(d->text, d->text_len, t->start, t->end);
        /* One or two letters: not so when the first three bytes are
         * ASCII, three letters. */
        const char *nm = t->norm;
        if (t->norm_len <= 2 ||
            (((nm[0] | nm[1] | nm[2]) & 0x80) && cp_prefix(nm, t->norm_len, 2) >= t->norm_len))
            shape |= 32;
        k->shape = shape;
        k->gz = 0;
        k->skip = !(t->flags & (MH_TOK_CAP | MH_TOK_ALLCAPS));
        /* The gap before (after the previous token, or from the start
         * of the text) and the gap after, up to the next token or the
         * end of the text. */
        size_t next_start = i + 1 < n ? d->tokens[i + 1].start : d->text_len;
        gap after = gap_scan(d->text, t->full_end, next_start);
        if (i && d->tokens[i - 1].sentence != t->sentence)
            k->pbefore = P_EDGE;
        else
            k->pbefore = before.last;
        k->gapbreak = i ? before.brk : 0;
        if (i + 1 < n && d->tokens[i + 1].sentence != t->sentence)
            k->pafter = P_EDGE;
        else
            k->pafter = after.first;
        before = after;
    }
    mark_runs(d, toks);
    if (!lx)
        return;
    mh_lex_mark_features(lx, d, toks);
}

int mh_ner_allowed(int prev, int t)
{
    if (t == MH_TAG_IPER)
        return prev == MH_TAG_BPER || prev == MH_TAG_IPER;
    if (t == MH_TAG_ILOC)
        return prev == MH_TAG_BLOC || prev == MH_TAG_ILOC;
    if (t == MH_TAG_IORG)
        return prev == MH_TAG_BORG || prev == MH_TAG_IORG;
    return 1;
}

/* Ids of the features that depend on the previous tag (ner_dynamic). */
enum { F_PREV = 30, F_PREV_SHAPE = 31, F_PREV_WORD = 32 };

/* The previous tag and the word: the one previous-tag feature whose rows
 * are not few enough to stay in cache. */
static inline uint64_t ner_dyn_word(const mh_ner_tok *k, int prev_tag)
{
    return mix(mix(F_PREV_WORD, (uint64_t)prev_tag), k->h_norm);
}

/* The parts of the previous-tag features that depend on the tag alone,
 * hashed once per document instead of once per token and tag. */
typedef struct dynconst {
    uint64_t tag[MH_NTAGS];     /* the feature F_PREV */
    uint64_t word[MH_NTAGS];    /* the key ner_dyn_word mixes the word into */
} dynconst;

static void dyn_init(dynconst *c)
{
    for (int p = 0; p < MH_NTAGS; p++) {
        c->tag[p] = mix(F_PREV, (uint64_t)p);
        c->word[p] = mix(F_PREV_WORD, (uint64_t)p);
    }
}

int mh_ner_break(const mh_ner_tok *k)
{
    if (k->gapbreak)
        return 1;
    switch (k->pbefore) {
    case P_COMMA: case P_DQUOTE: case P_OPEN: case P_CLOSE: case P_COLON: case P_LINE:
    case P_EDGE:
        return 1;
    default:
        return 0;
    }
}

/* Features that depend on the previous tag (MH_NER_DYNF of them). */
static size_t ner_dynamic(const mh_ner_tok *k, int prev_tag, uint64_t *f)
{
    f[0] = mix(F_PREV, (uint64_t)prev_tag);
    f[1] = mix(F_PREV_SHAPE, (uint64_t)prev_tag << 8 | k->shape);
    f[2] = ner_dyn_word(k, prev_tag);
    return MH_NER_DYNF;
}

static size_t ner_static(const mh_doc *d, const mh_ner_tok *toks, size_t i, uint64_t *f);

size_t mh_ner_features(const mh_doc *d, const mh_ner_tok *toks, size_t i, int prev_tag,
                       uint64_t *f)
{
    size_t m = ner_static(d, toks, i, f);
    return m + ner_dynamic(&toks[i], prev_tag, f + m);
}

static size_t ner_static(const mh_doc *d, const mh_ner_tok *toks, size_t i, uint64_t *f)
{
    static const uint64_t edge = 0x5A17u;
    const mh_token *t = &d->tokens[i];
    size_t n = d->n_tokens;
    int hp = i >= 1 && d->tokens[i - 1].sentence == t->sentence;
    int hp2 = hp && i >= 2 && d->tokens[i - 2].sentence == t->sentence;
    int hn = i + 1 < n && d->tokens[i + 1].sentence == t->sentence;
    int hn2 = hn && i + 2 < n && d->tokens[i + 2].sentence == t->sentence;
    const mh_ner_tok *k = &toks[i];
    const mh_ner_tok *p = hp ? &toks[i - 1] : NULL, *p2 = hp2 ? &toks[i - 2] : NULL;
    const mh_ner_tok *x = hn ? &toks[i + 1] : NULL, *x2 = hn2 ? &toks[i + 2] : NULL;
    uint64_t wp = p ? p->h_norm : edge, wx = x ? x->h_norm : edge;
    unsigned sp = p ? p->shape : 63, sx = x ? x->shape : 63;
    size_t m = 0;
    size_t nchars = mh_utf8_chars(t->norm, t->norm_len);
    f[m++] = mix(1, 0);
    f[m++] = mix(2, k->h_norm);
    f[m++] = mix(3, wp);
    f[m++] = mix(4, wx);
    f[m++] = mix(5, p2 ? p2->h_norm : edge);
    f[m++] = mix(6, x2 ? x2->h_norm : edge);
    /* Affixes of the word itself: hashed here, for the scored tokens only. */
    const char *w = t->norm;
    size_t wn = t->norm_len;
    if (t->flags & MH_TOK_NUM) {
        w = "#num";
        wn = 4;
    }
    size_t s1 = cp_suffix(w, wn, 1), s2 = cp_suffix(w, wn, 2), s4 = cp_suffix(w, wn, 4);
    size_t p3 = cp_prefix(w, wn, 3), p4 = cp_prefix(w, wn, 4);
    uint64_t h_p3 = fnv(w, p3);
    f[m++] = mix(7, k->h_s3);
    f[m++] = mix(8, fnv(w + wn - s2, s2));
    f[m++] = mix(9, h_p3);
    f[m++] = mix(10, k->shape);
    f[m++] = mix(11, (uint64_t)sp << 12 | (uint64_t)k->shape << 6 | sx);
    f[m++] = mix(12, k->h_apos);
    f[m++] = mix(13, k->gz);
    f[m++] = mix(14, p ? p->gz : 0xFFFFu);
    f[m++] = mix(15, x ? x->gz : 0xFFFFu);
    f[m++] = mix(16, k->pbefore);
    f[m++] = mix(17, k->pafter);
    f[m++] = mix(18, (uint64_t)((t->flags & MH_TOK_SENT0) ? 1 : 0) << 8 | k->shape);
    f[m++] = mix(mix(19, wp), k->shape);
    f[m++] = mix(mix(20, k->h_norm), wx);
    f[m++] = mix(21, p ? p->h_s3 : edge);
    f[m++] = mix(22, x ? x->h_s3 : edge);
    f[m++] = mix(23, p ? p->h_apos : edge);
    f[m++] = mix(24, nchars > 12 ? 12 : nchars);
    f[m++] = mix(mix(25, k->h_apos), x ? x->shape : 63);
    f[m++] = mix(mix(40, k->h_run), k->runpos);
    f[m++] = mix(mix(41, k->h_run_s3), k->runpos);
    f[m++] = mix(mix(42, k->h_run_before), k->runpos);
    f[m++] = mix(mix(43, k->h_run_after), k->runpos);
    f[m++] = mix(44, (uint64_t)k->runlen << 4 | k->runpos);
    f[m++] = mix(45, fnv(w + wn - s4, s4));
    f[m++] = mix(46, fnv(w + wn - s1, s1));
    f[m++] = mix(47, fnv_more(h_p3, w + p3, p4 - p3));   /* = fnv(w, p4) */
    f[m++] = mix(48, (uint64_t)(p2 ? p2->shape : 63) << 24 | (uint64_t)sp << 18 |
                         (uint64_t)k->shape << 12 | (uint64_t)sx << 6 | (x2 ? x2->shape : 63));
    f[m++] = mix(mix(49, wp), k->h_norm);
#if MH_NER_CLUSTERS
    /* Word clusters of the word and of its neighbours: the class + 1, 0
     * for a word not in the table. */
    const mh_ner_cluster *ck = cluster_find(k->h_norm);
    const mh_ner_cluster *cp = p ? cluster_find(p->h_norm) : NULL;
    const mh_ner_cluster *cx = x ? cluster_find(x->h_norm) : NULL;
    for (size_t g = 0; g < MH_NER_CLUSTER_GRAN; g++) {
        f[m++] = mix(50 + g, ck ? ck->cls[g] + 1u : 0);
        f[m++] = mix(52 + g, !p ? 0xFFFFFu : cp ? cp->cls[g] + 1u : 0);
        f[m++] = mix(54 + g, !x ? 0xFFFFFu : cx ? cx->cls[g] + 1u : 0);
    }
#endif
    return m;
}

/* ------------------------------------------------------------------ */
/* Models                                                               */
/* ------------------------------------------------------------------ */

void mh_ner_free(mh_ner *m)
{
    if (!m)
        return;
    mh_free(m->info);
    mh_free(m->w);
    mh_free(m);
}

const char *mh_ner_info(const mh_ner *m) { return m && m->info ? m->info : ""; }

/*
 * Model bytes: header lines starting with '#', then the line
 * "MHNER 1 <nbits> <raw bytes> <compressed bytes>", then the zlib stream of
 * (1 << nbits) * MH_NER_ROW little-endian int16 weights.
 */
mh_err mh_ner_load_mem(const void *data, size_t n, mh_ner **out)
{
    if (!out || (!data && n))
        return MH_EINVAL;
    *out = NULL;
    const char *s = data;
    size_t i = 0;
    while (i < n && s[i] == '#') {
        const char *nl = memchr(s + i, '\n', n - i);
        if (!nl)
            return MH_EFORMAT;
        i = (size_t)(nl - s) + 1;
    }
    size_t info_len = i;
    const char *nl = memchr(s + i, '\n', n - i);
    if (!nl || (size_t)(nl - (s + i)) >= 120)
        return MH_EFORMAT;
    char line[128];
    memcpy(line, s + i, (size_t)(nl - (s + i)));
    line[nl - (s + i)] = 0;
    unsigned version, nbits;
    unsigned long raw, comp;
    if (sscanf(line, MODEL_MAGIC " %u %u %lu %lu", &version, &nbits, &raw, &comp) != 4 ||
        version != 1 || nbits < 4 || nbits > MODEL_MAXBITS)
        return MH_EFORMAT;
    i = (size_t)(nl - s) + 1;
    size_t rows = (size_t)1 << nbits;
    if (raw != rows * MH_NER_ROW * 2 || comp > n - i)
        return MH_EFORMAT;
    mh_err err = MH_ENOMEM;
    mh_ner *m = mh_malloc(sizeof *m);
    unsigned char *buf = NULL;
    if (!m)
        return MH_ENOMEM;
    memset(m, 0, sizeof *m);
    m->nbits = nbits;
    m->info = mh_strndup(s, info_len);
    m->w = mh_malloc(rows * MH_NER_ROW * sizeof *m->w);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* The payload is the weights as little-endian int16: on such a
     * machine it inflates straight into them. */
    unsigned char *dst = (unsigned char *)m->w;
#else
    unsigned char *dst = buf = mh_malloc(raw);
#endif
    if (!m->info || !m->w || !dst)
        goto out;
    uLongf got = raw;
    if (uncompress(dst, &got, (const Bytef *)s + i, comp) != Z_OK || got != raw) {
        err = MH_EFORMAT;
        goto out;
    }
    if (buf)
        for (size_t k = 0; k < rows * MH_NER_ROW; k++)
            m->w[k] = (int16_t)(uint16_t)(buf[2 * k] | (unsigned)buf[2 * k + 1] << 8);
    err = MH_OK;
out:
    mh_free(buf);
    if (err)
        mh_ner_free(m);
    else
        *out = m;
    return err;
}

mh_err mh_ner_load(const char *path, mh_ner **out)
{
    if (!path || !out)
        return MH_EINVAL;
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return MH_EIO;
    mh_buf b;
    mh_buf_init(&b, (size_t)64 << 20);
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        mh_buf_add(&b, chunk, k);
    int bad = ferror(f);
    fclose(f);
    mh_err e = bad ? MH_EIO : b.err;
    if (!e)
        e = mh_ner_load_mem(b.p, b.len, out);
    mh_buf_free(&b);
    return e;
}

/* Loaded on first use.  Not with pthread_once: a load that ran out of
 * memory must not leave the process without its tagger for good (every
 * later search would quietly skip it), so the next caller tries again. */
static _Atomic(mh_ner *) g_builtin;
static pthread_mutex_t g_builtin_mu = PTHREAD_MUTEX_INITIALIZER;

const mh_ner *mh_ner_builtin(void)
{
    mh_ner *m = atomic_load_explicit(&g_builtin, memory_order_acquire);
    if (m || !mh_ner_model_size)
        return m;
    pthread_mutex_lock(&g_builtin_mu);
    m = atomic_load_explicit(&g_builtin, memory_order_relaxed);
    if (!m && mh_ner_load_mem(mh_ner_model_data, mh_ner_model_size, &m) == MH_OK)
        atomic_store_explicit(&g_builtin, m, memory_order_release);
    pthread_mutex_unlock(&g_builtin_mu);
    return m;
}

/* ------------------------------------------------------------------ */
/* Tagging                                                              */
/* ------------------------------------------------------------------ */

/* Add the rows of features f[0..nf) into score. */
static void add_rows(const mh_ner *m, const uint64_t *f, size_t nf, int32_t *score)
{
    size_t mask = ((size_t)1 << m->nbits) - 1;
    for (size_t k = 0; k < nf; k++) {
        const int16_t *row = m->w + (f[k] & mask) * MH_NER_ROW;
        for (int t = 0; t < MH_NER_ROW; t++)
            score[t] += row[t];
    }
}

#define DEAD (INT64_MIN / 4)

/* The best tag of a Viterbi column. */
static int best_of(const int64_t *col)
{
    int bt = 0;
    for (int t = 1; t < MH_NTAGS; t++)
        if (col[t] > col[bt])
            bt = t;
    return bt;
}

/* The Viterbi columns of tag_doc: a row of each per token. */
typedef struct tag_scratch {
    int32_t (*st)[MH_NER_ROW];
    int64_t (*delta)[MH_NER_ROW];
    unsigned char (*bp)[MH_NER_ROW];
} tag_scratch;

/* Which tags may follow tag p (bit t): the BIO constraints of
 * mh_ner_allowed. */
static unsigned allowed_after(int p)
{
    unsigned b = 0;
    for (int t = 0; t < MH_NTAGS; t++)
        if (mh_ner_allowed(p, t))
            b |= 1u << t;
    return b;
}

/*
 * Viterbi decoding of the whole doc into tags[], under the BIO
 * constraints, the skip rule (a lowercase word after O or another name
 * is O) and mh_ner_break (no name runs on over a comma or a quote).
 * The static part of a token's score does not depend on the previous
 * tag, so it is summed first for every token that may be scored
 * (capitalised ones and the word after each): those sums are independent
 * of each other, so the cache misses of the weight rows, which dominate
 * the cost, overlap.  The search runs over segments: a sentence end, or a
 * lowercase word after a lowercase word whose best tag is O, closes the
 * segment (its best path is read back) so that lowercase prose costs no
 * model evaluation.  tools/train_ner.c trains with the same search.
 * The scratch space (a row of each array per token) is the caller's.
 */
static void tag_doc(const mh_ner *m, const mh_doc *d, const mh_ner_tok *toks,
                    unsigned char *tags, const tag_scratch *scr)
{
    uint64_t f[MH_NER_MAXF];
    size_t n = d->n_tokens;
    int32_t (*st)[MH_NER_ROW] = scr->st;
    int64_t (*delta)[MH_NER_ROW] = scr->delta;
    unsigned char (*bp)[MH_NER_ROW] = scr->bp;
    dynconst dc;
    dyn_init(&dc);
    unsigned allow[MH_NTAGS];
    for (int p = 0; p < MH_NTAGS; p++)
        allow[p] = allowed_after(p);
    const unsigned inside = 1u << MH_TAG_IPER | 1u << MH_TAG_ILOC | 1u << MH_TAG_IORG;
    size_t mask = ((size_t)1 << m->nbits) - 1;
    for (size_t i = 0; i < n; i++) {
        if (toks[i].skip && (i == 0 || toks[i - 1].skip))
            continue;
        size_t nf = ner_static(d, toks, i, f);
        for (size_t k = 0; k < nf; k++)
            __builtin_prefetch(m->w + (f[k] & mask) * MH_NER_ROW);
        /* The word-and-previous-tag rows of the search below, too. */
        for (int p = 0; p < MH_NTAGS; p++)
            __builtin_prefetch(m->w + (mix(dc.word[p], toks[i].h_norm) & mask) * MH_NER_ROW);
        memset(st[i], 0, sizeof st[i]);
        add_rows(m, f, nf, st[i]);
    }
    int start = 1;
    size_t seg = 0;
    for (size_t k = 0; k <= n; k++) {
        int close = !start && (k == n || d->tokens[k - 1].sentence != d->tokens[k].sentence);
        int lower = 0;
        if (!close && !start && toks[k].skip && toks[k - 1].skip) {
            int bt = best_of(delta[k - 1]);
            close = lower = bt == MH_TAG_O || bt == MH_TAG_MISC;
        }
        if (close) {
            int bt = best_of(delta[k - 1]);
            for (size_t i = k; i-- > seg;) {
                tags[i] = (unsigned char)bt;
                bt = bp[i][bt];
            }
            start = 1;
        }
        if (k == n)
            break;
        if (lower || (start && toks[k].skip)) {
            tags[k] = MH_TAG_O;
            continue;
        }
        int32_t sc[MH_NER_ROW];
        const int32_t *stat = st[k];
        int32_t tmp[MH_NER_ROW];
        if (toks[k].skip && toks[k - 1].skip) {
            /* A lowercase word deep inside a name: not summed above. */
            memset(tmp, 0, sizeof tmp);
            add_rows(m, f, ner_static(d, toks, k, f), tmp);
            stat = tmp;
        }
        for (int t = 0; t < MH_NTAGS; t++)
            delta[k][t] = DEAD;
        memset(bp[k], 0, sizeof bp[k]);
        int np = start ? 1 : MH_NTAGS;
        int brk = mh_ner_break(&toks[k]);
        for (int pi = 0; pi < np; pi++) {
            int p = start ? MH_TAG_O : pi;
            int64_t base = start ? 0 : delta[k - 1][p];
            if (base == DEAD)
                continue;
            memcpy(sc, stat, sizeof sc);
            /* The features of ner_dynamic, from the per-tag parts. */
            f[0] = dc.tag[p];
            f[1] = mix(F_PREV_SHAPE, (uint64_t)p << 8 | toks[k].shape);
            f[2] = mix(dc.word[p], toks[k].h_norm);
            add_rows(m, f, MH_NER_DYNF, sc);
            int lowprev = toks[k].skip && (p == MH_TAG_O || p == MH_TAG_MISC);
            unsigned ok = allow[p];
            if (lowprev)
                ok &= 1u << MH_TAG_O;
            if (brk)
                ok &= ~inside;
            for (int t = 0; t < MH_NTAGS; t++) {
                if (!(ok >> t & 1))
                    continue;
                int64_t v = base + sc[t];
                if (v > delta[k][t]) {
                    delta[k][t] = v;
                    bp[k][t] = (unsigned char)p;
                }
            }
        }
        if (start)
            seg = k;
        start = 0;
    }
}

/* ------------------------------------------------------------------ */
/* Mentions                                                             */
/* ------------------------------------------------------------------ */

typedef struct span {
    uint32_t tok, n;
    mh_ent_type type;
    unsigned flags;             /* MH_MEN_*, and SPAN_CUE_ORG */
} span;

/* A span's flag that never reaches a mention: a word beside it says it
 * names an organisation (spans_from_cues). */
#define SPAN_CUE_ORG (1u << 31)

typedef struct spans {
    span *s;
    size_t n, cap;
    mh_err err;
} spans;

static void spans_add(spans *v, uint32_t tok, uint32_t n, mh_ent_type type, unsigned flags)
{
    if (v->err)
        return;
    if (v->n == v->cap && mh_grow(&v->s, &v->cap, v->n + 1, sizeof *v->s, 32)) {
        v->err = MH_ENOMEM;
        return;
    }
    v->s[v->n++] = (span){ tok, n, type, flags };
}

static mh_ent_type tag_type(int tag)
{
    switch (tag) {
    case MH_TAG_BPER: case MH_TAG_IPER: return MH_ENT_PERSON;
    case MH_TAG_BLOC: case MH_TAG_ILOC: return MH_ENT_PLACE;
    case MH_TAG_BORG: case MH_TAG_IORG: return MH_ENT_ORG;
    default: return MH_ENT_NONE;
    }
}

static mh_ent_type gz_type(unsigned fl)
{
    /* An entry listed as two types (a capital that is also a province) is
     * one of them; people first, then organisations. */
    if (fl & MH_GZ_PERSON)
        return MH_ENT_PERSON;
    if (fl & MH_GZ_ORG)
        return MH_ENT_ORG;
    if (fl & MH_GZ_PLACE)
        return MH_ENT_PLACE;
    return MH_ENT_NONE;
}

static int is_capital(const mh_token *t)
{
    return (t->flags & (MH_TOK_CAP | MH_TOK_ALLCAPS)) != 0;
}

/* Only spaces between bytes a and b? */
static int only_spaces(const char *t, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (t[i] != ' ')
            return 0;
    return 1;
}

/* Sentences written in capitals (headings): most capitalised words are
 * all-caps.  caps and cnt (two counts per sentence) are the caller's. */
static void caps_sentences(const mh_doc *d, unsigned char *caps, size_t *cnt)
{
    memset(cnt, 0, (d->n_sentences ? d->n_sentences : 1) * 2 * sizeof *cnt);
    for (size_t i = 0; i < d->n_tokens; i++) {
        const mh_token *t = &d->tokens[i];
        if (t->sentence >= d->n_sentences || !(t->flags & MH_TOK_WORD) || t->norm_len < 2)
            continue;
        cnt[2 * t->sentence]++;
        if (t->flags & MH_TOK_ALLCAPS)
            cnt[2 * t->sentence + 1]++;
    }
    for (size_t s = 0; s < d->n_sentences; s++)
        caps[s] = cnt[2 * s] >= 2 && cnt[2 * s + 1] * 10 >= cnt[2 * s] * 7;
}

/* A small set of keys (folded names) with a type and a canonical text. */
typedef struct known {
    const char *key; size_t len;     /* fold, points into a doc */
    mh_ent_type type;
    const char *name; size_t name_len;    /* canonical of the full name (or NULL) */
    int full;                        /* the last word of a person's name of two or more */
} known;

typedef struct knownset {
    known *k;
    size_t n, cap;
    mh_err err;
} knownset;

static void known_add(knownset *s, const char *key, size_t len, mh_ent_type type,
                      const char *name, size_t name_len, int full)
{
    if (s->err || !len)
        return;
    for (size_t i = 0; i < s->n; i++)
        if (s->k[i].len == len && s->k[i].type == type && memcmp(s->k[i].key, key, len) == 0) {
            s->k[i].full |= full;
            return;
        }
    if (s->n == s->cap && mh_grow(&s->k, &s->cap, s->n + 1, sizeof *s->k, 32)) {
        s->err = MH_ENOMEM;
        return;
    }
    s->k[s->n++] = (known){ key, len, type, name, name_len, full };
}

static const known *known_find(const knownset *s, const char *key, size_t len)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->k[i].len == len && memcmp(s->k[i].key, key, len) == 0)
            return &s->k[i];
    return NULL;
}

static const known *known_find_type(const knownset *s, const char *key, size_t len,
                                    mh_ent_type type)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->k[i].type == type && s->k[i].len == len && memcmp(s->k[i].key, key, len) == 0)
            return &s->k[i];
    return NULL;
}

typedef struct finder {
    const mh_lexicon *lx;
    const mh_doc *d;
    const mh_entities *ctx;
    mh_ner_tok *toks;
    unsigned char *tags;
    unsigned char *caps;
    int32_t *tok2s;             /* token -> span index */
    spans sp;
    mh_buf key, tmp;
    mh_buf fold;                /* scratch of the name keys */
    mh_entities *e;
    int32_t *role_tok;          /* per mention: first token of its role, -1 */
    int apos;                   /* the text or its context has an apostrophe suffix */
    uint32_t *cuem;             /* per token: its cue classes, bit 31 once looked up */
} finder;

/* Is token t a cue of class cls (name_heads.txt, quote_cues.txt)?  The
 * text's tokens are looked up once, for every class at a time. */
static int tcue(const finder *f, const mh_token *t, int cls)
{
    const mh_doc *d = f->d;
    uintptr_t p = (uintptr_t)t, lo = (uintptr_t)d->tokens;
    if (!f->cuem || p < lo || p >= (uintptr_t)(d->tokens + d->n_tokens))
        return mh_lex_cue(f->lx, t->fold, t->fold_len, cls);
    uint32_t *c = &f->cuem[t - d->tokens];
    if (!*c)
        *c = mh_lex_cue_classes(f->lx, t->fold, t->fold_len) | 1u << 31;
    return (int)(*c >> cls & 1);
}

static int span_free_at(const finder *f, size_t tok, size_t n)
{
    for (size_t j = tok; j < tok + n; j++)
        if (f->tok2s[j] >= 0)
            return 0;
    return 1;
}

static void mark_span(finder *f, size_t idx)
{
    const span *s = &f->sp.s[idx];
    for (uint32_t j = s->tok; j < s->tok + s->n; j++)
        f->tok2s[j] = (int32_t)idx;
}

/* The token -> span index made anew from the spans, after spans were
 * dropped, moved or joined. */
static void remark_spans(finder *f)
{
    for (size_t i = 0; i < f->d->n_tokens; i++)
        f->tok2s[i] = -1;
    for (size_t i = 0; i < f->sp.n; i++)
        mark_span(f, i);
}

static int cmp_span(const void *a, const void *b)
{
    const span *x = a, *y = b;
    return x->tok < y->tok ? -1 : x->tok > y->tok;
}

/* Does a fold end in a possessive of "we" or "you" after a plural
 * ("diplomatlarimiz", "askerlerimizin"), or of "we" alone ("ulkemiz")? */
static int we_possessive(const char *f, size_t n)
{
    static const char *const cores[] = { "larimiz", "lerimiz", "lariniz", "leriniz",
                                         "imiz", "umuz" };
    static const unsigned char core_len[] = { 7, 7, 7, 7, 4, 4 };
    static const char *const tails[] = { "", "in", "i", "e", "a", "de", "da", "den", "dan",
                                         "le", "la" };
    static const unsigned char tail_len[] = { 0, 2, 1, 1, 1, 2, 2, 3, 3, 2, 2 };
    if (n < 4 + 3)
        return 0;           /* shorter than the shortest core and 3 letters */
    for (size_t c = 0; c < MH_ARRAY_LEN(cores); c++)
        for (size_t t = 0; t < MH_ARRAY_LEN(tails); t++) {
            size_t cl = core_len[c], tl = tail_len[t];
            if (n >= cl + tl + 3 && memcmp(f + n - tl, tails[t], tl) == 0 &&
                memcmp(f + n - tl - cl, cores[c], cl) == 0)
                return 1;
        }
    return 0;
}

/* Is token a where a capital says nothing: first in its sentence or in
 * a quotation (double or single quotes), after a colon, or after a
 * sentence end inside a quotation (the splitter keeps a quotation whole)
 * that is not a title's abbreviation ("Dr.")? */
static int capital_expected(const finder *f, size_t a)
{
    const mh_doc *d = f->d;
    const mh_token *t = &d->tokens[a];
    if (t->flags & MH_TOK_SENT0)
        return 1;
    size_t o = t->start;
    while (o > 0 && d->text[o - 1] == ' ')
        o--;
    if (o == 0)
        return 0;
    char c = d->text[o - 1];
    if (c == '"' || c == ':')
        return 1;
    /* An opening single quote: no letter before it. */
    if (c == '\'' && (o < 2 || d->text[o - 2] == ' ' || d->text[o - 2] == '.' ||
                       d->text[o - 2] == '\n' || d->text[o - 2] == '('))
        return 1;
    /* After a question or an exclamation a capital says nothing, even
     * glued to a heading in capitals ("NASIL YAPILACAK?Kampanyadan"); a
     * full stop may end an abbreviation or a title instead. */
    if (c == '!' || c == '?')
        return 1;
    if (c != '.')
        return 0;
    const mh_token *p = a > 0 ? &d->tokens[a - 1] : NULL;
    return p && !(mh_lex_word(f->lx, p->fold, p->fold_len) & (MH_GZ_TITLE | MH_GZ_TPREFIX)) &&
           p->norm_len > 1 && !is_capital(p);
}

/* A one-word name where the capital says nothing that is a common noun
 * with a possessive of "we" or "you" ('"Diplomatlarımız, ...'): names
 * do not take those endings. */
static int common_noun(const finder *f, size_t a, size_t n)
{
    const mh_token *t = &f->d->tokens[a];
    return n == 1 && capital_expected(f, a) && we_possessive(t->fold, t->fold_len) &&
           !mh_lex_word(f->lx, t->fold, t->fold_len);
}

/* Is [a, b) the first half of a joined title ("Ulaştırma ve Altyapı
 * Bakanı"): "ve", at most three capitalised words and a title, with no
 * gazetteer name in [a, b)?  (Not a head word: "Barclays ve Deutsche
 * Bank" are two names.) */
static int joined_title(const finder *f, size_t a, size_t b)
{
    const mh_doc *d = f->d;
    if (b + 2 >= d->n_tokens || !norm_is(&d->tokens[b], "ve") ||
        !only_spaces_between(d, b - 1, b))
        return 0;
    for (size_t i = a; i < b; i++)
        if (mh_lex_word(f->lx, d->tokens[i].fold, d->tokens[i].fold_len) &
            (MH_GZ_PERSON | MH_GZ_PLACE | MH_GZ_ORG | MH_GZ_AGENCY | MH_GZ_COUNTRY))
            return 0;
    for (size_t k = b + 1; k < d->n_tokens && k <= b + 4; k++) {
        const mh_token *t = &d->tokens[k];
        if (!is_capital(t) || !only_spaces_between(d, k - 1, k) ||
            t->sentence != d->tokens[a].sentence)
            return 0;
        if (mh_lex_word(f->lx, t->fold, t->fold_len) & MH_GZ_TITLE)
            return 1;
    }
    return 0;
}

/* A name in quotation marks followed by a noun of a work ("Kinjal"
 * füzesi, "Barbaros" operasyonu): the title of a thing, not a person or
 * a place. */
static int quoted_work(const finder *f, size_t a, size_t n)
{
    const mh_doc *d = f->d;
    size_t e = a + n;
    if (a == 0 || e >= d->n_tokens)
        return 0;
    const mh_token *first = &d->tokens[a], *last = &d->tokens[e - 1], *next = &d->tokens[e];
    size_t o = first->start;
    if (o == 0 || d->text[o - 1] != '"')
        return 0;
    size_t c = last->full_end;
    while (c < next->start && d->text[c] == ' ')
        c++;
    if (c >= next->start || d->text[c] != '"')
        return 0;
    return tcue(f, next, MH_CUE_WORK);
}

/* An acronym, not a Roman numeral (II, XIV)? */
static int acronym(const mh_token *t)
{
    if (!(t->flags & MH_TOK_ALLCAPS))
        return 0;
    for (size_t i = 0; i < t->norm_len; i++)
        if (!strchr("ivxlc", t->norm[i]))
            return 1;
    return 0;
}

/* Is the word of token t (token a of d, or of another text when a is
 * (size_t)-1), capitalised where a capital says nothing, written in
 * lowercase elsewhere in d ("Piyasa ..." and later "piyasada")?  Then it
 * is a common word.  Compared by fold, the other word starting with this
 * one (suffixes follow), or, for an inflected word of four letters of
 * stem or more, by stem ("Kampanyadan ..." and "kampanyanın"). */
static int lower_elsewhere(const mh_doc *d, const mh_token *t, size_t a)
{
    if (t->fold_len < 4)
        return 0;
    int by_stem = t->stem_fold && t->stem_fold_len >= 4 && t->stem_fold_len < t->fold_len;
    for (size_t k = 0; k < d->n_tokens; k++) {
        const mh_token *o = &d->tokens[k];
        if (k == a || is_capital(o))
            continue;
        if (o->fold_len >= t->fold_len && memcmp(o->fold, t->fold, t->fold_len) == 0)
            return 1;
        if (by_stem && o->stem_fold && o->stem_fold_len == t->stem_fold_len &&
            memcmp(o->stem_fold, t->stem_fold, t->stem_fold_len) == 0)
            return 1;
    }
    return 0;
}

/* The first person of the context (the rest of the article) whose last
 * word is the word of token t, or NULL. */
static const mh_mention *ctx_person_named(const finder *f, const mh_token *t)
{
    if (!f->ctx || !f->ctx->priv || !f->ctx->priv->doc)
        return NULL;
    const mh_doc *cd = f->ctx->priv->doc;
    for (size_t j = 0; j < f->ctx->n; j++) {
        const mh_mention *m = &f->ctx->m[j];
        const mh_token *o = &cd->tokens[m->tok + m->n_tok - 1];
        if (m->type == MH_ENT_PERSON && o->fold_len == t->fold_len &&
            memcmp(o->fold, t->fold, t->fold_len) == 0)
            return m;
    }
    return NULL;
}

/* Is the word of token a a name elsewhere: capitalised where a capital
 * means something, or the last word of a person in the context? */
static int name_elsewhere(const finder *f, size_t a)
{
    const mh_doc *d = f->d;
    const mh_token *t = &d->tokens[a];
    for (size_t k = 0; k < d->n_tokens; k++) {
        const mh_token *o = &d->tokens[k];
        if (k != a && o->fold_len == t->fold_len && is_capital(o) &&
            memcmp(o->fold, t->fold, t->fold_len) == 0 && !capital_expected(f, k))
            return 1;
    }
    return ctx_person_named(f, t) != NULL;
}

/*
 * May one word the tagger took for a name be one?  Not where a capital
 * says nothing, when it is not a name anywhere else (nor a given name or
 * a name of the gazetteers) and it is written in lowercase elsewhere in
 * the text ("Piyasa ..." and "piyasada"), or, for a person, the text is
 * an article: an article names a person in full somewhere ("Sosyal ...",
 * "Yoksa ..." at the start of its sentences are words), unless the word
 * has a name's apostrophe suffix or a comma after it, the way a speaker
 * named before comes back ("Yavuzer, ...").  Places and bodies are often
 * named once, by one word ("Tofaş, ...").
 */
static int word_name(const finder *f, size_t a, int person)
{
    const mh_doc *d = f->d;
    if (!capital_expected(f, a))
        return 1;
    /* The gazetteers before the scan of the text: either says yes. */
    const mh_token *t = &d->tokens[a];
    unsigned gz = mh_lex_word(f->lx, t->fold, t->fold_len);
    if ((gz & (MH_GZ_PERSON | MH_GZ_FIRST | MH_GZ_PLACE | MH_GZ_ORG | MH_GZ_AGENCY |
               MH_GZ_COUNTRY)) ||
        name_elsewhere(f, a))
        return 1;
    /* A headline's context is its article. */
    const mh_doc *cd = f->ctx && f->ctx->priv ? f->ctx->priv->doc : NULL;
    if (lower_elsewhere(d, t, a) || (cd && lower_elsewhere(cd, t, (size_t)-1)))
        return 0;
    if (!person || (t->flags & MH_TOK_APOS))
        return 1;
    /* "Yavuzer, ..." is how an article brings back a speaker it named
     * before, or one that other articles name in full. */
    size_t c = t->full_end;
    while (c < d->text_len && d->text[c] == ' ')
        c++;
    if (c < d->text_len && d->text[c] == ',')
        return 1;
    return d->n_sentences + (cd ? cd->n_sentences : 0) < ARTICLE_SENTENCES;
}

/* Does token i name the kind of organisation a name ending in it is
 * ("Petersburg Konservatuvarı", "Ankara Belediyesi", name_heads.txt)?
 * The tagger decides a word at a time and mostly from the words before,
 * so it calls such a name a place by its first word; the last word says
 * what the name is. */
static int org_head(const finder *f, size_t i)
{
    const mh_token *t = &f->d->tokens[i];
    return is_capital(t) && tcue(f, t, MH_CUE_ORGHEAD);
}

/*
 * The type of a name the tagger took for a person's, tokens [a, *b): an
 * organisation's when a word of it names one ("Emlak Katılım", "Melvin
 * Capital", name_heads.txt) or when it is one word and an acronym
 * ("Garanti BBVA"); an acronym after a full name is not part of it
 * ("Recep Tayyip Erdoğan TEKNOFEST", the span ends before it).  One
 * word where a capital says nothing is no name at all when it is a
 * head word alone ("Banka ...") or fails word_name.  One acronym is an
 * organisation's (TÜBA).  MH_ENT_NONE: no name.
 */
static mh_ent_type person_or_org(const finder *f, size_t a, size_t *b)
{
    const mh_doc *d = f->d;
    size_t n = *b - a;
    for (size_t i = a; i < *b; i++)
        if (tcue(f, &d->tokens[i], MH_CUE_ORGHEAD))
            return n == 1 && capital_expected(f, a) ? MH_ENT_NONE : MH_ENT_ORG;
    if (n == 1 && !word_name(f, a, 1))
        return MH_ENT_NONE;
    if (n == 1 && acronym(&d->tokens[a]) && d->tokens[a].norm_len >= 3)
        return MH_ENT_ORG;
    if (n < 2 || !acronym(&d->tokens[*b - 1]) || (d->tokens[a].flags & MH_TOK_ALLCAPS))
        return MH_ENT_PERSON;
    if (n == 2)
        return MH_ENT_ORG;
    (*b)--;
    return MH_ENT_PERSON;
}

/* Is [a, b) titles then one or two capitalised words, none a head word
 * of an organisation's name (a person the tagger took for a body)? */
static int titled_name(const finder *f, size_t a, size_t b)
{
    const mh_doc *d = f->d;
    size_t k = a;
    while (k < b && (mh_lex_word(f->lx, d->tokens[k].fold, d->tokens[k].fold_len) & MH_GZ_TITLE))
        k++;
    if (k == a || k == b || b - k > 2)
        return 0;
    for (size_t i = k; i < b; i++)
        if (!is_capital(&d->tokens[i]) || org_head(f, i) ||
            (mh_lex_word(f->lx, d->tokens[i].fold, d->tokens[i].fold_len) &
             (MH_GZ_TITLE | MH_GZ_PLACE | MH_GZ_COUNTRY | MH_GZ_ORG)))
            return 0;
    return 1;
}

/* The end of a name of a body or place, tokens [a, b), before the start
 * of a title that goes on after it ("Helmann Holding Yönetim Kurulu"
 * before "Başkanı": the company is "Helmann Holding", "Yönetim Kurulu
 * Başkanı" its chairman's title). */
static size_t before_title(const finder *f, size_t a, size_t b)
{
    for (size_t k = a + 1; k < b; k++) {
        unsigned fl;
        size_t len = mh_lex_match(f->lx, f->d, k, MH_GZ_MAXTOK, &fl, NULL);
        if (len && k + len > b && (fl & MH_GZ_TITLE))
            return k;
    }
    return b;
}

static int glued_place(const finder *f, const mh_token *t);

/* The first token of a body's name whose first words the tagger left
 * out, joined by "ve" or commas ("Tarım ve Orman Bakanlığı", "Çevre,
 * Şehircilik ve İklim Değişikliği Bakanlığı"): capitalised words the
 * tagger left out (tag O), no places ("ABD ve İngiltere Merkez
 * Bankası" is no one name), in a's sentence; a when there are none. */
static size_t joined_front(const finder *f, size_t a)
{
    const mh_doc *d = f->d;
    size_t k = a;
    int joined = 0;
    while (k >= 2) {
        const mh_token *p = &d->tokens[k - 1], *q = &d->tokens[k - 2];
        if (p->sentence != d->tokens[a].sentence || q->sentence != p->sentence)
            break;
        if (!joined && norm_is(p, "ve") && is_capital(q) && !(q->flags & MH_TOK_APOS) &&
            f->tags[k - 2] == MH_TAG_O && !glued_place(f, q) &&
            only_spaces_between(d, k - 2, k - 1) && only_spaces_between(d, k - 1, k)) {
            k -= 2;
            joined = 1;
            continue;
        }
        /* Before the "ve", more words of the list, each after a comma. */
        if (joined && is_capital(p) && !(p->flags & MH_TOK_APOS) && f->tags[k - 1] == MH_TAG_O &&
            !glued_place(f, p) && first_char_between(d, k - 1, k) == ',') {
            k -= 1;
            continue;
        }
        break;
    }
    return k;
}

/* Is token k a lowercase noun of a place's administrative unit with its
 * possessive ("ilçesine", "kentinde", name_heads.txt [place-after])? */
static int unit_noun(const finder *f, size_t k)
{
    const mh_token *t = &f->d->tokens[k];
    return !is_capital(t) && !(t->flags & MH_TOK_NUM) &&
           tcue(f, t, MH_CUE_PLACE_AFTER);
}

/* Is token k a word in lowercase (not a number or a word that starts
 * with one: "Hannover 96'ya", "Philadelphia 76ers"; a time or a decimal
 * is lowercase: "Sabah 9.30da") that stands on its own, not hyphened to
 * the word before ("CNBC-e")? */
static int lower_word(const mh_doc *d, size_t k)
{
    const mh_token *t = &d->tokens[k];
    char c0 = d->text[t->start];
    int digit_word = c0 >= '0' && c0 <= '9' && !memchr(t->norm, '.', t->norm_len) &&
                     !memchr(t->norm, ':', t->norm_len) && !memchr(t->norm, ',', t->norm_len);
    if (is_capital(t) || (t->flags & MH_TOK_NUM) || digit_word)
        return 0;
    return !(k > 0 && t->start == d->tokens[k - 1].full_end + 1 &&
             d->text[d->tokens[k - 1].full_end] == '-');
}

/* Spans from tags, cut at apostrophe suffixes; titles at the front of a
 * person are dropped (they become the role), and the checks above weed
 * out what the tagger took for names and is not. */
static void spans_from_tags(finder *f)
{
    const mh_doc *d = f->d;
    size_t n = d->n_tokens;
    for (size_t i = 0; i < n;) {
        mh_ent_type ty = tag_type(f->tags[i]);
        if (!ty) {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < n && (f->tags[j] == MH_TAG_IPER || f->tags[j] == MH_TAG_ILOC ||
                         f->tags[j] == MH_TAG_IORG) &&
               tag_type(f->tags[j]) == ty && d->tokens[j].sentence == d->tokens[i].sentence &&
               !(d->tokens[j - 1].flags & MH_TOK_APOS))
            j++;
        size_t a = i;
        if (ty == MH_ENT_PERSON) {
            while (a + 1 < j && (mh_lex_word(f->lx, d->tokens[a].fold, d->tokens[a].fold_len) &
                                 (MH_GZ_TITLE | MH_GZ_TPREFIX)))
                a++;
        } else if (titled_name(f, i, j)) {
            /* "Bakan Kurum'a": a title and a name is a person, whatever
             * the name means as a word (kurum, "institution"). */
            ty = MH_ENT_PERSON;
            while (a + 1 < j && (mh_lex_word(f->lx, d->tokens[a].fold, d->tokens[a].fold_len) &
                                 (MH_GZ_TITLE | MH_GZ_TPREFIX)))
                a++;
        }
        /* A name may end in lowercase words ("Fransa milli basketbol
         * takımı"), but not in a conjunction. */
        size_t b = j;
        while (b > a + 1 && !is_capital(&d->tokens[b - 1]) &&
               (norm_is(&d->tokens[b - 1], "ve") || norm_is(&d->tokens[b - 1], "ile")))
            b--;
        /* An organisation's name ends in lowercase words only when the
         * last is the noun of the body ("milli basketbol takımı"), not in
         * the words after it ("TOKİ indirim kampanyası"). */
        if (ty == MH_ENT_ORG && b - a >= 2 && lower_word(d, b - 1) &&
            !tcue(f, &d->tokens[b - 1], MH_CUE_ORGHEAD) &&
            !tcue(f, &d->tokens[b - 1], MH_CUE_CLUB_AFTER)) {
            while (b > a + 1 && lower_word(d, b - 1))
                b--;
            /* What is left of a phrase ("Deniz suyu", "Metro
             * istasyonları") is no name where a capital says nothing. */
            if (b - a == 1 && capital_expected(f, a) &&
                !((d->tokens[a].flags & MH_TOK_ALLCAPS) && d->tokens[a].norm_len >= 2))
                ty = MH_ENT_NONE;
        }
        if (ty != MH_ENT_PERSON)
            b = before_title(f, a, b);
        if (ty == MH_ENT_PERSON)
            ty = person_or_org(f, a, &b);
        else if (b - a == 1 && !word_name(f, a, 0))
            ty = MH_ENT_NONE;
        /* A trade or a body's noun alone is no place ("Doğanlar
         * Mobilya'da"): left to the run of capitals it ends. */
        else if (ty == MH_ENT_PLACE && b - a == 1 && org_head(f, a) &&
                 !(mh_lex_word(f->lx, d->tokens[a].fold, d->tokens[a].fold_len) &
                   (MH_GZ_PLACE | MH_GZ_COUNTRY)))
            ty = MH_ENT_NONE;
        else if (ty == MH_ENT_PLACE && b - a >= 2 && org_head(f, b - 1))
            ty = MH_ENT_ORG;
        if (ty == MH_ENT_ORG && b > a && org_head(f, b - 1))
            a = joined_front(f, a);
        /* A word that is never a name, or an occupation or kin noun that
         * goes before a person's, in front of a name where a capital says
         * nothing ("Dün Tarım ve Orman Bakanlığı ...", "Çiftçi Nuri
         * Kaya ..."; not "Esnaf ve Sanatkarlar Odası"). */
        if (b - a >= 2 && !(d->tokens[a].flags & MH_TOK_APOS) && capital_expected(f, a) &&
            (tcue(f, &d->tokens[a], MH_CUE_NOT_NAME) ||
             (ty == MH_ENT_PERSON && tcue(f, &d->tokens[a], MH_CUE_PERSON_BEFORE))))
            a++;
        if (ty != MH_ENT_NONE && (is_capital(&d->tokens[a]) || (d->tokens[a].flags & MH_TOK_NUM)) &&
            !common_noun(f, a, b - a) && !quoted_work(f, a, b - a) && !joined_title(f, a, b))
            spans_add(&f->sp, (uint32_t)a, (uint32_t)(b - a), ty, MH_MEN_MODEL);
        i = j;
    }
}

/* Two bodies joined by "ve" are two names when the first is one word the
 * gazetteers know as a body ("TOKİ ve Emlak Konut", "AB ve NATO"); a
 * name with "ve" inside ("Tarım ve Orman Bakanlığı") starts with a word
 * that names nothing alone. */
static void split_org_pairs(finder *f)
{
    const mh_doc *d = f->d;
    for (size_t i = 0, n0 = f->sp.n; i < n0 && !f->sp.err; i++) {
        span *s = &f->sp.s[i];
        if (s->type != MH_ENT_ORG || s->n < 3)
            continue;
        const mh_token *t = &d->tokens[s->tok];
        if (!norm_is(&d->tokens[s->tok + 1], "ve") || !is_capital(&d->tokens[s->tok + 2]) ||
            (t->flags & MH_TOK_APOS) ||
            !(mh_lex_word(f->lx, t->fold, t->fold_len) & (MH_GZ_ORG | MH_GZ_AGENCY)))
            continue;
        uint32_t right = s->tok + 2, rn = s->n - 2;
        s->n = 1;
        f->tok2s[right - 1] = -1;
        spans_add(&f->sp, right, rn, MH_ENT_ORG, s->flags);
        if (!f->sp.err)
            mark_span(f, f->sp.n - 1);
    }
}

/* A unit noun in a place of the tagger ends it ("Tokat ilinin Zile
 * ilçesine" is "Tokat" and "Zile"): the noun is no part of either. */
static void split_units(finder *f)
{
    const mh_doc *d = f->d;
    for (size_t i = 0, n0 = f->sp.n; i < n0 && !f->sp.err; i++) {
        span *s = &f->sp.s[i];
        if (s->type != MH_ENT_PLACE || s->n < 2)
            continue;
        uint32_t end = s->tok + s->n;
        for (uint32_t k = s->tok + 1; k < end; k++) {
            if (!unit_noun(f, k))
                continue;
            s->n = k - s->tok;
            f->tok2s[k] = -1;
            if (k + 1 < end && is_capital(&d->tokens[k + 1])) {
                uint32_t m = end;
                while (m > k + 2 && unit_noun(f, m - 1))
                    f->tok2s[--m] = -1;
                spans_add(&f->sp, k + 1, m - k - 1, MH_ENT_PLACE, s->flags);
                if (!f->sp.err)
                    mark_span(f, f->sp.n - 1);
            }
            for (uint32_t j = k + 1; j < end; j++)
                if (f->tok2s[j] == (int32_t)i)
                    f->tok2s[j] = -1;
            break;
        }
    }
}

/* Did the tagger take one of tokens [tok, tok + n) for part of another
 * kind of name (an event, a work, a nationality: "Türkiye Kupası",
 * "ABD'li")?  Not trusted in capitals lines. */
/* A derivational apostrophe suffix: nationality or origin (ABD'li,
 * Ankara'lı), language (Rusça is written without one, but İngiliz'ce
 * occurs). */
static int derived_suffix(const mh_token *t)
{
    static const char *const sfx[] = { "li", "lı", "lu", "lü", "ce", "ca", "çe", "ça" };
    if (!t->suffix_len)
        return 0;
    for (size_t i = 0; i < MH_ARRAY_LEN(sfx); i++) {
        size_t n = strlen(sfx[i]);
        if (t->suffix_len >= n && memcmp(t->suffix, sfx[i], n) == 0)
            return 1;
    }
    return 0;
}

static int is_misc(const finder *f, size_t j)
{
    const mh_doc *d = f->d;
    uint32_t se = d->tokens[j].sentence;
    return f->tags[j] == MH_TAG_MISC && !(se < d->n_sentences && f->caps[se]);
}

/* Is a token of [tok, tok + n) inside what the tagger took for another
 * kind of name?  A MISC tag on one word alone, with no derivational
 * suffix, is not believed: the tagger's one-word MISC guesses on plain
 * names ("Ankara ziyareti", "Karaca'nın sözleri") are its commonest
 * slip, while real other names are mostly several words ("Türkiye
 * Kupası") or derived ("ABD'li"). */
static int misc_at(const finder *f, size_t tok, size_t n)
{
    const mh_doc *d = f->d;
    for (size_t j = tok; j < tok + n; j++) {
        if (!is_misc(f, j))
            continue;
        int alone = (j == 0 || !is_misc(f, j - 1)) && (j + 1 >= d->n_tokens || !is_misc(f, j + 1));
        if (!alone || derived_suffix(&d->tokens[j]))
            return 1;
    }
    return 0;
}

/* Is the tagger's other kind of name exactly tokens [i, i + k), two
 * words or more, no more ("Sovyetler Birliği" taken for a nationality)?
 * Then the gazetteer's name it is, not a part of a longer one ("Türkiye
 * Kupası"). */
static int misc_is(const finder *f, size_t i, size_t k)
{
    const mh_doc *d = f->d;
    /* One word is a derived one ("ABD'li"), which names no place. */
    if (k < 2)
        return 0;
    for (size_t j = i; j < i + k; j++)
        if (!is_misc(f, j))
            return 0;
    return (i == 0 || !is_misc(f, i - 1) || d->tokens[i - 1].sentence != d->tokens[i].sentence) &&
           (i + k >= d->n_tokens || !is_misc(f, i + k) ||
            d->tokens[i + k].sentence != d->tokens[i].sentence);
}

/* The one span of the tagger that lies inside tokens [tok, tok + n) and
 * starts after tok, when no other span meets them and no word but the
 * last has an apostrophe suffix; -1 otherwise. */
static int32_t span_within(const finder *f, size_t tok, size_t n)
{
    int32_t in = -1;
    for (size_t j = tok; j < tok + n; j++) {
        int32_t x = f->tok2s[j];
        if (j + 1 < tok + n && (f->d->tokens[j].flags & MH_TOK_APOS))
            return -1;              /* an inflected word inside ends the name */
        if (x < 0)
            continue;
        const span *s = &f->sp.s[x];
        if ((in >= 0 && x != in) || s->tok <= tok || s->tok + s->n > tok + n)
            return -1;
        in = x;
    }
    return in;
}

/* Does a capitalised head of a facility's name follow the name that
 * ends before token e ("Cumhuriyet Meydanı'nda", name_heads.txt
 * [facility])?  The name is then part of the facility's. */
static int facility_after(const finder *f, size_t e)
{
    const mh_doc *d = f->d;
    if (e == 0 || e >= d->n_tokens)
        return 0;
    const mh_token *t = &d->tokens[e];
    return is_capital(t) && !(d->tokens[e - 1].flags & MH_TOK_APOS) &&
           t->sentence == d->tokens[e - 1].sentence && only_spaces_between(d, e - 1, e) &&
           tcue(f, t, MH_CUE_FACILITY);
}

/* Gazetteer names: type override on exact matches, additions elsewhere
 * (no place inside another kind of name); a known name of several words
 * that holds a span of the tagger whole, its first word left out
 * ("Financial Times'ın" for the tagger's "Times'ın"), is that name. */
static void spans_from_gazetteer(finder *f)
{
    const mh_doc *d = f->d;
    for (size_t i = 0; i < f->sp.n; i++) {
        span *s = &f->sp.s[i];
        unsigned fl;
        size_t k = mh_lex_match(f->lx, d, s->tok, s->n, &fl, NULL);
        mh_ent_type gt = gz_type(fl);
        if (k == s->n && gt) {
            s->type = gt;
            s->flags |= MH_MEN_GAZ;
            continue;
        }
        /* One word that is the last name of a public figure of the
         * gazetteers is that person, whatever type the tagger guessed for
         * an unseen word ("... çizen Lavrov, ..."). */
        if (s->n == 1 && s->type != MH_ENT_PERSON && !k) {
            const mh_token *t = &d->tokens[s->tok];
            mh_err ke = mh_lex_name_key_with(f->lx, d->text + t->start, t->end - t->start,
                                             &f->key, &f->fold);
            if (ke != MH_OK) {
                f->sp.err = ke;
                return;
            }
            if (mh_lex_surname(f->lx, f->key.p, f->key.len))
                s->type = MH_ENT_PERSON;
        }
        /* "Putin Trump görüşmesi": two known people side by side are two
         * names, not one. */
        if (s->type == MH_ENT_PERSON && s->n >= 2 && !f->sp.err) {
            int all = 1;
            const char *prev = NULL;
            for (uint32_t j = s->tok; j < s->tok + s->n && all; j++) {
                const mh_token *t = &d->tokens[j];
                if (mh_lex_name_key_with(f->lx, d->text + t->start, t->end - t->start, &f->key,
                                         &f->fold) != MH_OK) {
                    f->sp.err = MH_ENOMEM;
                    return;
                }
                const char *c = mh_lex_surname(f->lx, f->key.p, f->key.len);
                all = c && c != prev;
                prev = c;
            }
            if (all) {
                uint32_t tok = s->tok, n = s->n;
                s->n = 1;
                for (uint32_t j = 1; j < n; j++)
                    spans_add(&f->sp, tok + j, 1, MH_ENT_PERSON, MH_MEN_MODEL);
                if (f->sp.err)
                    return;
                for (uint32_t j = 0; j < n; j++)
                    f->tok2s[tok + j] = -1;
                f->tok2s[tok] = (int32_t)i;
                for (uint32_t j = 1; j < n; j++)
                    f->tok2s[tok + j] = (int32_t)(f->sp.n - n + j);
            }
        }
    }
    for (size_t i = 0; i < d->n_tokens;) {
        const mh_token *t = &d->tokens[i];
        unsigned fl;
        /* A token inside a span starts no free match: not looked up. */
        size_t k = is_capital(t) && f->tok2s[i] < 0
                       ? mh_lex_match(f->lx, d, i, MH_GZ_MAXTOK, &fl, NULL) : 0;
        mh_ent_type gt = k ? gz_type(fl) : MH_ENT_NONE;
        int32_t within = gt && k >= 2 && is_capital(&d->tokens[i + k - 1]) && !span_free_at(f, i, k)
                             ? span_within(f, i, k) : -1;
        if (within >= 0 && !(f->sp.s[within].flags & MH_MEN_GAZ)) {
            span *s = &f->sp.s[within];
            s->tok = (uint32_t)i;
            s->n = (uint32_t)k;
            s->type = gt;
            s->flags |= MH_MEN_GAZ;
            mark_span(f, (size_t)within);
            i += k;
            continue;
        }
        if (!gt || !is_capital(&d->tokens[i + k - 1]) || !span_free_at(f, i, k) ||
            (gt == MH_ENT_PLACE && misc_at(f, i, k) && !misc_is(f, i, k)) ||
            facility_after(f, i + k)) {
            i++;
            continue;
        }
        /* An inflected token inside the run ends it: no match. */
        int inner_apos = 0;
        for (size_t j = i; j + 1 < i + k; j++)
            if (d->tokens[j].flags & MH_TOK_APOS)
                inner_apos = 1;
        if (!inner_apos) {
            spans_add(&f->sp, (uint32_t)i, (uint32_t)k, gt, MH_MEN_GAZ);
            if (!f->sp.err)
                mark_span(f, f->sp.n - 1);
        }
        i += k;
    }
}

/* Is t a word of nationality or origin: one of name_heads.txt's
 * [nationality] ("Amerikan", "Alman") or a word in -li ("Kanadalı")? */
static int nationality(const finder *f, const mh_token *t)
{
    static const char *const li[] = { "li", "lu" };
    if (tcue(f, t, MH_CUE_NATIONALITY))
        return 1;
    for (size_t i = 0; i < MH_ARRAY_LEN(li); i++)
        if (t->fold_len > 4 && memcmp(t->fold + t->fold_len - 2, li[i], 2) == 0)
            return 1;
    return 0;
}

/* Is t a place of the gazetteers, with or without a suffix written
 * without an apostrophe ("Türkiyede")?  Such text gives a run of
 * capitals no edges: a genitive inside it ("Nikkeinin Türkiyede") is
 * caught by its ending, a place by this. */
static int glued_place(const finder *f, const mh_token *t)
{
    /* Case endings, folded (ı is i, ü is u). */
    static const char *const ends[] = { "", "a", "e", "i", "u", "da", "de", "ta", "te", "dan",
                                        "den", "tan", "ten", "nin", "nun", "in", "un", "ya",
                                        "ye", "yi", "yu", "na", "ne", "ni", "nu", "nda", "nde",
                                        "ndan", "nden", "la", "le", "yla", "yle" };
    for (size_t i = 0; i < MH_ARRAY_LEN(ends); i++) {
        size_t cut = strlen(ends[i]);
        if (cut + 3 <= t->fold_len && memcmp(t->fold + t->fold_len - cut, ends[i], cut) == 0 &&
            (mh_lex_word(f->lx, t->fold, t->fold_len - cut) & (MH_GZ_PLACE | MH_GZ_COUNTRY)))
            return 1;
    }
    return 0;
}

/* Are the n tokens from a and from b the same words? */
static int same_words(const mh_doc *d, size_t a, size_t b, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        const mh_token *x = &d->tokens[a + k], *y = &d->tokens[b + k];
        if (x->fold_len != y->fold_len || memcmp(x->fold, y->fold, x->fold_len) != 0)
            return 0;
    }
    return 1;
}

/* Is token k a lowercase cue of class cls in the sentence of token j? */
static int cue_at(const finder *f, size_t k, size_t j, int cls)
{
    const mh_doc *d = f->d;
    if (k >= d->n_tokens)
        return 0;
    const mh_token *t = &d->tokens[k];
    return t->sentence == d->tokens[j].sentence && !is_capital(t) &&
           !(t->flags & MH_TOK_NUM) && tcue(f, t, cls);
}

/* Is the name of tokens [a, b) followed by a lowercase cue of class cls
 * that a possessive ties to it (no suffix on the name, spaces between)? */
static int tied_cue(const finder *f, size_t b, int cls)
{
    const mh_doc *d = f->d;
    return b < d->n_tokens && !(d->tokens[b - 1].flags & MH_TOK_APOS) &&
           only_spaces_between(d, b - 1, b) && cue_at(f, b, b - 1, cls);
}

/* Does a cue beside tokens [a, b) make them an organisation's name: a
 * noun before them in apposition ("finans şirketi Wells Fargo"), or a
 * noun after them tied to them by a possessive ("UBS analisti"), which
 * the name must not carry a suffix for ("Musk'ın hisseleri" are a
 * person's)?  after: 1 for the second kind, 0 for the first, -1 for
 * either. */
static int org_cue(const finder *f, size_t a, size_t b, int after)
{
    const mh_doc *d = f->d;
    if (after != 1 && a > 0 && only_spaces_between(d, a - 1, a) &&
        cue_at(f, a - 1, a, MH_CUE_ORG_BEFORE))
        return 1;
    /* ... or with "olan" between ("yan kuruluşu olan Vexor'a"). */
    if (after != 1 && a > 1 && norm_is(&d->tokens[a - 1], "olan") &&
        only_spaces_between(d, a - 2, a - 1) && only_spaces_between(d, a - 1, a) &&
        cue_at(f, a - 2, a, MH_CUE_ORG_BEFORE))
        return 1;
    return after != 0 &&
           (tied_cue(f, b, MH_CUE_ORG_AFTER) || tied_cue(f, b, MH_CUE_CLUB_AFTER));
}

/* Does a word of [a, b) name a place of the gazetteers ("Barcelona
 * takımı" is the town's team, named by a word that is the town)? */
static int known_place(const finder *f, size_t a, size_t b)
{
    for (size_t k = a; k < b; k++) {
        const mh_token *t = &f->d->tokens[k];
        if ((mh_lex_word(f->lx, t->fold, t->fold_len) & (MH_GZ_PLACE | MH_GZ_COUNTRY)) ||
            glued_place(f, t))
            return 1;
    }
    return 0;
}

/* Is t the last word of a person named in full in the text (other than
 * span skip, which may be NULL) or its context ("İsmail Güneş" ...
 * "Güneş, ...")? */
static int surname_here(const finder *f, const mh_token *t, const span *skip)
{
    const mh_doc *d = f->d;
    for (size_t i = 0; i < f->sp.n; i++) {
        const span *o = &f->sp.s[i];
        const mh_token *ol = &d->tokens[o->tok + o->n - 1];
        if (o != skip && o->type == MH_ENT_PERSON && o->n >= 2 && ol->fold_len == t->fold_len &&
            memcmp(ol->fold, t->fold, t->fold_len) == 0)
            return 1;
    }
    return ctx_person_named(f, t) != NULL;
}

/* Is the person of span s someone: a given name first, or its last word
 * the last word of a longer person of the article or its context? */
static int someone(const finder *f, const span *s)
{
    const mh_doc *d = f->d;
    const mh_token *first = &d->tokens[s->tok], *last = &d->tokens[s->tok + s->n - 1];
    return (mh_lex_word(f->lx, first->fold, first->fold_len) & (MH_GZ_FIRST | MH_GZ_PERSON)) ||
           surname_here(f, last, s);
}

/* Is the free run [a, b) of two or three capitalised words a person's
 * name by the noun before it ("ev hanımı Rümeysa Seda Çıra", "emekli
 * öğretmen Ali Rıza Kaya", name_heads.txt [person-before])?  Not when a
 * word of it is a place, a title or a word of an organisation's name. */
static int person_run(const finder *f, size_t a, size_t b)
{
    const mh_doc *d = f->d;
    if (b - a < 2 || b - a > 3 || a == 0 || !only_spaces_between(d, a - 1, a) ||
        !cue_at(f, a - 1, a, MH_CUE_PERSON_BEFORE))
        return 0;
    for (size_t k = a; k < b; k++) {
        const mh_token *t = &d->tokens[k];
        if (org_head(f, k) || glued_place(f, t) || nationality(f, t) ||
            (mh_lex_word(f->lx, t->fold, t->fold_len) &
             (MH_GZ_TITLE | MH_GZ_PLACE | MH_GZ_COUNTRY | MH_GZ_ORG | MH_GZ_AGENCY)))
            return 0;
    }
    return 1;
}

/* Is the free run [a, b) of one to three capitalised words a place's
 * name by the unit noun after it ("Bayat ilçesinde", "Tir şehrine",
 * name_heads.txt [place-after])?  Not when a word of it is an
 * organisation's head word, a title or a nationality. */
static int place_run(const finder *f, size_t a, size_t b)
{
    const mh_doc *d = f->d;
    if (b - a > 3 || !tied_cue(f, b, MH_CUE_PLACE_AFTER))
        return 0;
    for (size_t k = a; k < b; k++) {
        const mh_token *t = &d->tokens[k];
        if (org_head(f, k) || nationality(f, t) ||
            (mh_lex_word(f->lx, t->fold, t->fold_len) & (MH_GZ_TITLE | MH_GZ_TPREFIX)))
            return 0;
    }
    return b - a > 1 || word_name(f, a, 0);
}

/*
 * Names the words around them show to be organisations' (name_heads.txt,
 * [org-before] and [org-after]).  The tagger sees a few words on either
 * side and has met few company names in its training text (encyclopedia
 * sentences), so it calls an unknown company a person ("Alphabet"),
 * calls one a place by its first word, or passes it by ("Wells Fargo
 * uzmanları").  A person or place of the tagger next to such a cue
 * becomes an organisation (after-cues only turn persons: "Kaliforniya
 * verileri" are a place's), unless it is someone (someone above); a
 * capitalised run of at most three words that no span covers becomes
 * one, when the text writes suffixes with apostrophes.
 * Where a capital says nothing, one word is taken only when it is an
 * acronym ("UBS analisti", not "Şirket hisseleri").
 */
static void spans_from_cues(finder *f)
{
    const mh_doc *d = f->d;
    size_t n0 = f->sp.n;
    for (size_t i = 0; i < n0; i++) {
        span *s = &f->sp.s[i];
        if (s->flags & MH_MEN_GAZ)
            continue;
        size_t e = s->tok + s->n;
        if (s->type == MH_ENT_ORG) {
            if (org_cue(f, s->tok, e, -1))
                s->flags |= SPAN_CUE_ORG;
            continue;
        }
        /* A person before a unit of a place is a place's name ("Sevhac
         * köyünde"), unless it is someone. */
        if (s->type == MH_ENT_PERSON && tied_cue(f, e, MH_CUE_PLACE_AFTER) && !someone(f, s)) {
            s->type = MH_ENT_PLACE;
            continue;
        }
        /* A place the gazetteers do not know before a club's noun is the
         * club ("Aragua takımında"). */
        int club = s->type == MH_ENT_PLACE && tied_cue(f, e, MH_CUE_CLUB_AFTER) &&
                   !known_place(f, s->tok, e);
        if (!club &&
            !org_cue(f, s->tok, s->tok + s->n, s->type == MH_ENT_PERSON && f->apos ? -1 : 0))
            continue;
        if (s->type == MH_ENT_PERSON && someone(f, s))
            continue;
        s->type = MH_ENT_ORG;
        if (!club)
            s->flags |= SPAN_CUE_ORG;
        /* The same name elsewhere in the text is the same organisation
         * ("platformu Reddit'teki" and "Reddit'te"). */
        for (size_t j = 0; j < n0; j++) {
            span *o = &f->sp.s[j];
            if (!(o->flags & MH_MEN_GAZ) && o->n == s->n && o->type != MH_ENT_ORG &&
                same_words(d, o->tok, s->tok, s->n))
                o->type = MH_ENT_ORG;
        }
    }
    size_t n = d->n_tokens;
    /* Where a text writes suffixes without apostrophes ("Fitchin",
     * "Türkiyede"), a run of capitalised words has no edges to trust. */
    if (!f->apos)
        return;
    for (size_t a = 0; a < n;) {
        const mh_token *t = &d->tokens[a];
        if (!is_capital(t) || f->tok2s[a] >= 0 ||
            (t->sentence < d->n_sentences && f->caps[t->sentence])) {
            a++;
            continue;
        }
        /* The run: capitalised words with no span, one sentence, spaces
         * between; an apostrophe suffix ends it. */
        size_t b = a + 1;
        while (b < n && b - a < 5 && is_capital(&d->tokens[b]) && f->tok2s[b] < 0 &&
               d->tokens[b].sentence == t->sentence && only_spaces_between(d, b - 1, b) &&
               !(d->tokens[b - 1].flags & MH_TOK_APOS))
            b++;
        size_t next = b;
        mh_ent_type ty = place_run(f, a, b)    ? MH_ENT_PLACE
                         : person_run(f, a, b) ? MH_ENT_PERSON
                                               : MH_ENT_NONE;
        if (ty != MH_ENT_NONE) {
            spans_add(&f->sp, (uint32_t)a, (uint32_t)(b - a), ty, MH_MEN_MODEL);
            if (f->sp.err)
                return;
            mark_span(f, f->sp.n - 1);
            a = next;
            continue;
        }
        const mh_token *last = &d->tokens[b - 1];
        /* A run that ends in a head word names a body ("Sema Kaya Dance
         * Group" after the tagger's "Sema Kaya"). */
        int ok = b - a <= 3 && org_cue(f, a, b, -1), headed = 0;
        if (!ok && b - a <= 3 && org_head(f, b - 1) &&
            !(mh_lex_word(f->lx, last->fold, last->fold_len) & (MH_GZ_TITLE | MH_GZ_TPREFIX)))
            ok = headed = 1;
        /* A nationality before the name is not part of it ("Fransız PSA
         * Grubu"). */
        while (ok && b - a > 1 && nationality(f, &d->tokens[a]))
            t = &d->tokens[++a];
        int32_t pi = a > 0 ? f->tok2s[a - 1] : -1;
        int after_span = pi >= 0 && only_spaces_between(d, a - 1, a) &&
                         !(d->tokens[a - 1].flags & MH_TOK_APOS) &&
                         f->sp.s[pi].tok + f->sp.s[pi].n == a;
        if (ok && b - a == 1 && capital_expected(f, a) &&
            !((t->flags & MH_TOK_ALLCAPS) && t->norm_len >= 2))
            ok = 0;
        if (ok && (mh_lex_word(f->lx, last->fold, last->fold_len) & (MH_GZ_TITLE | MH_GZ_TPREFIX)))
            ok = 0;
        if (ok && b - a == 1 && !word_name(f, a, 0))
            ok = 0;
        /* A nationality is no name of its own ("şirketi Amerikan yatırım
         * firması ...": there "şirketi" is an object, not a noun in
         * apposition); nor is a place. */
        if (ok && b - a == 1 &&
            (nationality(f, t) ||
             (tcue(f, t, MH_CUE_ORGHEAD) && !(headed && after_span))))
            ok = 0;
        for (size_t k = a; ok && k < b; k++)
            if (glued_place(f, &d->tokens[k]) ||
                (k + 1 < b && d->tokens[k].fold_len > 5 &&
                 (memcmp(d->tokens[k].fold + d->tokens[k].fold_len - 3, "nin", 3) == 0 ||
                  memcmp(d->tokens[k].fold + d->tokens[k].fold_len - 3, "nun", 3) == 0)))
                ok = 0;
        /* The run may be the end of a longer name: a place before it is
         * part of it ("Güneydoğu Anadolu İhracatçı Birlikleri"); a name
         * joined by "ve" ("... Yatırım ve Futbol İşletmeciliği") is left
         * alone rather than cut in half. */
        if (ok && a >= 2 && norm_is(&d->tokens[a - 1], "ve") && is_capital(&d->tokens[a - 2]) &&
            d->tokens[a - 2].sentence == t->sentence)
            ok = 0;
        if (ok && pi >= 0 && only_spaces_between(d, a - 1, a) &&
            !(d->tokens[a - 1].flags & MH_TOK_APOS)) {
            span *p = &f->sp.s[pi];
            if (!after_span || (p->type != MH_ENT_PLACE && !(headed && p->type == MH_ENT_PERSON))) {
                ok = 0;
            } else {
                p->n = (uint32_t)(b - p->tok);
                p->type = MH_ENT_ORG;
                p->flags = MH_MEN_MODEL;
                mark_span(f, (size_t)pi);
                ok = 0;
            }
        }
        if (ok) {
            spans_add(&f->sp, (uint32_t)a, (uint32_t)(b - a), MH_ENT_ORG, MH_MEN_MODEL);
            if (f->sp.err)
                return;
            mark_span(f, f->sp.n - 1);
        }
        a = next;
    }
}

/* The span that ends just before token e, across spaces, a comma or
 * "ve", in e's sentence, or -1. */
static int32_t span_before(const finder *f, size_t e)
{
    const mh_doc *d = f->d;
    if (e >= 2 && norm_is(&d->tokens[e - 1], "ve") && only_spaces_between(d, e - 2, e - 1) &&
        only_spaces_between(d, e - 1, e))
        e--;
    if (e == 0 || d->tokens[e - 1].sentence != d->tokens[e].sentence ||
        (d->tokens[e - 1].flags & MH_TOK_APOS))
        return -1;
    char c = first_char_between(d, e - 1, e);
    if (c != ' ' && c != ',' && c != 0)
        return -1;
    int32_t si = f->tok2s[e - 1];
    return si >= 0 && f->sp.s[si].tok + f->sp.s[si].n == e ? si : -1;
}

/* Names listed before a place's unit noun are places ("Resne, Kırçova
 * ve Ohri şehirleri", name_heads.txt [place-after]): from the name just
 * before the noun back, persons of the tagger that are no one the text
 * names become places; another kind of name ends the list. */
static void place_lists(finder *f)
{
    const mh_doc *d = f->d;
    for (size_t k = 1; k < d->n_tokens; k++) {
        int32_t si = f->tok2s[k - 1];
        if (si < 0 || f->sp.s[si].tok + f->sp.s[si].n != k || f->sp.s[si].type != MH_ENT_PLACE ||
            (d->tokens[k - 1].flags & MH_TOK_APOS) || !only_spaces_between(d, k - 1, k) ||
            !unit_noun(f, k))
            continue;
        for (int steps = 0; steps < 8; steps++) {
            si = span_before(f, f->sp.s[si].tok);
            if (si < 0)
                break;
            span *p = &f->sp.s[si];
            if (p->type == MH_ENT_PERSON && !(p->flags & MH_MEN_GAZ) && !someone(f, p))
                p->type = MH_ENT_PLACE;
            if (p->type != MH_ENT_PLACE)
                break;
        }
    }
}

/*
 * One-word spans that are words, whoever found them (name_heads.txt):
 * [not-name] are never a name alone (TL, TÜFE, CEO: units, indices and
 * roles written in capitals); [not-after] is a noun after a word that
 * makes it a common noun ("Ramazan ayında": a month, not a man);
 * [common] are names of outlets and the like that are also words
 * ("Sabah saatlerinde", "Karar ..."), taken for names only where a
 * capital means something, with an apostrophe suffix ("Sabah'ın"),
 * before a head word ("Sabah gazetesi") or as the surname of a person
 * the text names in full ("İsmail Güneş" ... "Güneş, ...").
 */
static int word_not_name(const finder *f, size_t k)
{
    const mh_doc *d = f->d;
    const mh_token *t = &d->tokens[k];
    return tcue(f, t, MH_CUE_NOT_NAME) ||
           (!(t->flags & MH_TOK_APOS) && only_spaces_between(d, k, k + 1) &&
            cue_at(f, k + 1, k, MH_CUE_NOT_AFTER)) ||
           (!(t->flags & MH_TOK_APOS) && capital_expected(f, k) &&
            tcue(f, t, MH_CUE_COMMON) &&
            !cue_at(f, k + 1, k, MH_CUE_ORGHEAD) && !surname_here(f, t, NULL));
}

/*
 * Names inside the name of a treaty or a law (name_heads.txt [law]): a
 * capitalised run that ends in "Anlaşması", "Sözleşmesi", "Yasası" ...
 * names the document, and a name in it ("START Anlaşması", "Paris İklim
 * Anlaşması'nın") is not a mention of an organisation or a place, nor is
 * the law's abbreviation in brackets after it.  A body or person the
 * gazetteers know stays: "Fed Yasası" still mentions the Fed.  The head
 * must end the run: "Kuzey Atlantik Antlaşması Örgütü" is a body.
 */
static size_t abbreviation_after(const mh_doc *d, size_t k);

static int in_law_name(const finder *f, const span *s)
{
    const mh_doc *d = f->d;
    if (s->type != MH_ENT_PLACE && (s->flags & MH_MEN_GAZ))
        return 0;    /* a known body or person the law is named after ("Fed Yasası") */
    /* The law's abbreviation in brackets after it: "... Anlaşması'nın (START)". */
    if (s->n == 1 && s->tok > 0 && abbreviation_after(d, s->tok - 1) == s->tok) {
        const mh_token *h = &d->tokens[s->tok - 1];
        if (is_capital(h) && tcue(f, h, MH_CUE_LAW))
            return 1;
    }
    size_t k = s->tok + s->n - 1;    /* the span's last token, or a later one */
    for (size_t steps = 0; steps < 6; steps++) {
        const mh_token *t = &d->tokens[k];
        if (tcue(f, t, MH_CUE_LAW) && is_capital(t)) {
            size_t x = k + 1;
            return x >= d->n_tokens || d->tokens[x].sentence != t->sentence ||
                   !is_capital(&d->tokens[x]) || (t->flags & MH_TOK_APOS) ||
                   !only_spaces_between(d, k, x);
        }
        size_t x = k + 1;
        if (x >= d->n_tokens || d->tokens[x].sentence != t->sentence ||
            !is_capital(&d->tokens[x]) || (t->flags & MH_TOK_APOS) ||
            !only_spaces_between(d, k, x))
            return 0;
        k = x;
    }
    return 0;
}

/* Is the span hyphen-joined parts of one or two letters each ("Ar-Ge",
 * "Ür-Ge": research and development)?  No one's name is. */
static int short_parts(const finder *f, const span *s)
{
    const mh_doc *d = f->d;
    if (s->n < 2)
        return 0;
    for (size_t k = s->tok; k < s->tok + s->n; k++) {
        const mh_token *t = &d->tokens[k];
        if (mh_utf8_chars(t->norm, t->norm_len) > 2 || (t->flags & MH_TOK_NUM))
            return 0;
        if (k > s->tok && (t->start != d->tokens[k - 1].full_end + 1 ||
                           d->text[t->start - 1] != '-'))
            return 0;
    }
    return 1;
}

/* Does the fold of t begin with one of words[] and go on with one of
 * rest[] ("dolar" + "i": Doları)? */
static int word_and_rest(const mh_token *t, const char *const *words, size_t nw,
                         const char *const *rest, size_t nr)
{
    for (size_t i = 0; i < nw; i++) {
        size_t n = strlen(words[i]);
        if (t->fold_len < n || memcmp(t->fold, words[i], n) != 0)
            continue;
        for (size_t j = 0; j < nr; j++)
            if (t->fold_len - n == strlen(rest[j]) && memcmp(t->fold + n, rest[j], t->fold_len - n) == 0)
                return 1;
    }
    return 0;
}

/*
 * Capitalised names of things that are no person, place or body: a
 * currency ("ABD Doları", "Türk Lirası"), a month with a case ending
 * glued on ("Temmuza", "Eylülde"; "Eylül" alone may be a woman's name),
 * a stock index with its number ("BIST 100", "Nikkei 225").
 */
static int thing_name(const finder *f, const span *s)
{
    static const char *const money[] = { "dolar", "avro", "euro", "sterlin", "lira", "ruble",
                                         "yuan", "riyal", "dinar", "peso", "rupi" };
    static const char *const own[] = { "", "i", "u", "si", "su", "lari", "leri" };
    static const char *const months[] = { "ocak", "subat", "mart", "nisan", "mayis",
                                          "haziran", "temmuz", "agustos", "eylul", "ekim",
                                          "kasim", "aralik" };
    static const char *const cases[] = { "a", "e", "da", "de", "ta", "te", "dan", "den", "tan",
                                         "ten", "in", "un", "nin", "nun", "i", "u", "daki",
                                         "deki", "taki", "teki" };
    static const char *const indices[] = { "bist", "ftse", "dax", "mdax", "cac", "nikkei",
                                           "kospi", "stoxx", "nasdaq", "sensex" };
    static const char *const none[] = { "" };
    const mh_doc *d = f->d;
    const mh_token *last = &d->tokens[s->tok + s->n - 1];
    if (is_capital(last) && !(last->flags & MH_TOK_APOS) &&
        word_and_rest(last, money, MH_ARRAY_LEN(money), own, MH_ARRAY_LEN(own)))
        return 1;
    if (s->n != 1)
        return 0;
    if (!(last->flags & MH_TOK_APOS) &&
        word_and_rest(last, months, MH_ARRAY_LEN(months), cases, MH_ARRAY_LEN(cases)))
        return 1;
    size_t k = s->tok + 1;
    return k < d->n_tokens && (d->tokens[k].flags & MH_TOK_NUM) &&
           only_spaces_between(d, s->tok, k) && !(last->flags & MH_TOK_APOS) &&
           word_and_rest(last, indices, MH_ARRAY_LEN(indices), none, 1);
}

static void drop_words(finder *f)
{
    size_t w = 0;
    for (size_t i = 0; i < f->sp.n; i++) {
        const span *s = &f->sp.s[i];
        if ((s->n == 1 && word_not_name(f, s->tok)) || in_law_name(f, s) ||
            short_parts(f, s) || thing_name(f, s)) {
            for (uint32_t j = s->tok; j < s->tok + s->n; j++)
                f->tok2s[j] = -1;
            continue;
        }
        f->sp.s[w++] = *s;
    }
    f->sp.n = w;
    for (size_t i = 0; i < f->sp.n; i++)
        mark_span(f, i);
}

/* A place just before an organisation's name that ends in a head word
 * is part of that name ("ABD Merkez Bankası", "Norveç Varlık Fonu"):
 * without it the name would be another body's ("Merkez Bankası" is the
 * Turkish one).  The joined name is looked up anew. */
static void join_place_org(finder *f)
{
    const mh_doc *d = f->d;
    int joined = 0;
    for (size_t i = 0; i < f->sp.n; i++) {
        span *p = &f->sp.s[i];
        if (p->type != MH_ENT_PLACE || !p->n)
            continue;
        size_t e = p->tok + p->n;
        int32_t oi = e < d->n_tokens ? f->tok2s[e] : -1;
        span *o = oi >= 0 ? &f->sp.s[oi] : NULL;
        if (o && o != p && o->tok == e && o->type == MH_ENT_ORG && o->n >= 2 &&
            !(d->tokens[e - 1].flags & MH_TOK_APOS) && only_spaces_between(d, e - 1, e) &&
            d->tokens[e].sentence == d->tokens[e - 1].sentence &&
            org_head(f, o->tok + o->n - 1)) {
            o->tok = p->tok;
            o->n += p->n;
            o->flags &= ~MH_MEN_GAZ;
            p->n = 0;           /* p goes */
            joined = 1;
        }
    }
    /* ... and so is a place of the gazetteers that no span took
     * ("Norveç Varlık Fonu", where the run of capitals left it out). */
    for (size_t i = 0; i < f->sp.n; i++) {
        span *o = &f->sp.s[i];
        if (o->type != MH_ENT_ORG || o->n < 2 || !o->tok || !org_head(f, o->tok + o->n - 1))
            continue;
        size_t k = o->tok - 1;
        const mh_token *t = &d->tokens[k];
        if (f->tok2s[k] < 0 && is_capital(t) && !(t->flags & MH_TOK_APOS) &&
            t->sentence == d->tokens[o->tok].sentence && only_spaces_between(d, k, o->tok) &&
            (mh_lex_word(f->lx, t->fold, t->fold_len) & (MH_GZ_PLACE | MH_GZ_COUNTRY))) {
            o->tok--;
            o->n++;
            o->flags &= ~MH_MEN_GAZ;
            joined = 1;
        }
    }
    if (!joined)
        return;
    size_t w = 0;
    for (size_t i = 0; i < f->sp.n; i++)
        if (f->sp.s[i].n)
            f->sp.s[w++] = f->sp.s[i];
    f->sp.n = w;
    remark_spans(f);
}

/* Has the word of t a capital after a lowercase letter ("GameStop",
 * "TikTok")?  People's names have not (McDonald is rare in Turkish
 * news); brands' and companies' often have. */
static int inner_capital(const mh_doc *d, const mh_token *t)
{
    int lower = 0;
    for (size_t i = t->start; i < t->end;) {
        uint32_t c = mh_utf8_next(d->text, t->end, &i);
        if (lower && mh_cp_is_upper(c))
            return 1;
        lower = mh_cp_is_lower(c);
    }
    return 0;
}

/*
 * Is span s one word the tagger called a person that is a brand or a
 * company?  The tagger has met few of those (its training text is
 * encyclopedia sentences, where a lone capitalised word is often a
 * person).  A capital inside the word ("GameStop", "TikTok") says
 * brand, when the article does not treat the word as a person: it
 * introduces people by full name or by a title ("Bakan Kurum") and comes
 * back to the surname.  Not a given name, a surname of the gazetteers
 * or a Turkish surname in -oğlu either.  The caller makes it an
 * organisation.  Texts shorter than an article are left alone.  (One
 * lone word alone says too little: in news on culture it is Hitchcock
 * as often as it is Barclays in news on markets.)
 */
static int lone_person(finder *f, const span *s)
{
    const mh_doc *d = f->d;
    const mh_doc *cd = f->ctx && f->ctx->priv ? f->ctx->priv->doc : NULL;
    if (s->type != MH_ENT_PERSON || s->n != 1 || (s->flags & MH_MEN_GAZ) ||
        d->n_sentences + (cd ? cd->n_sentences : 0) < ARTICLE_SENTENCES ||
        d->text_len + (cd ? cd->text_len : 0) < ARTICLE_BYTES)
        return 0;
    const mh_token *t = &d->tokens[s->tok];
    if (!inner_capital(d, t))
        return 0;
    if ((mh_lex_word(f->lx, t->fold, t->fold_len) & (MH_GZ_FIRST | MH_GZ_PERSON)) ||
        surname_here(f, t, NULL) ||
        (t->fold_len > 4 && memcmp(t->fold + t->fold_len - 4, "oglu", 4) == 0))
        return 0;
    /* After a title here or anywhere in the text ("Bakan Kurum"). */
    for (size_t k = 1; k < d->n_tokens; k++) {
        const mh_token *o = &d->tokens[k], *p = &d->tokens[k - 1];
        if (o->fold_len == t->fold_len && memcmp(o->fold, t->fold, t->fold_len) == 0 &&
            p->sentence == o->sentence &&
            (mh_lex_word(f->lx, p->fold, p->fold_len) & (MH_GZ_TITLE | MH_GZ_TPREFIX)))
            return 0;
    }
    if (mh_lex_name_key_with(f->lx, d->text + t->start, t->end - t->start,
                             &f->key, &f->fold) == MH_OK &&
        mh_lex_surname(f->lx, f->key.p, f->key.len))
        return 0;
    return 1;
}

/*
 * A person of two or three words the tagger ended one word early, before
 * the age in brackets that Turkish news gives after a name ("Ahmet Remzi
 * Büyükciğer (73)"): the word before the age is capitalised, no other
 * name's, no title, place, nationality or word of the gazetteers.  The
 * surname then counts for the person's later mentions.  (Without the
 * age the next capitalised word is as often a company's or a day's.)
 */
static void extend_people(finder *f)
{
    const mh_doc *d = f->d;
    for (size_t i = 0; i < f->sp.n; i++) {
        span *s = &f->sp.s[i];
        size_t k = s->tok + s->n;
        if (s->type != MH_ENT_PERSON || s->n < 2 || s->n > 3 || k >= d->n_tokens)
            continue;
        const mh_token *last = &d->tokens[k - 1], *t = &d->tokens[k];
        if ((last->flags & MH_TOK_APOS) || !(t->flags & MH_TOK_CAP) ||
            (t->flags & MH_TOK_ALLCAPS) || f->tok2s[k] >= 0 ||
            t->sentence != last->sentence || !only_spaces_between(d, k - 1, k) ||
            mh_lex_word(f->lx, t->fold, t->fold_len) || word_not_name(f, k) ||
            glued_place(f, t) || nationality(f, t))
            continue;
        /* Then the age in brackets. */
        size_t p = t->full_end;
        while (p < d->text_len && d->text[p] == ' ')
            p++;
        if (p >= d->text_len || d->text[p] != '(' || p + 1 >= d->text_len ||
            d->text[p + 1] < '0' || d->text[p + 1] > '9')
            continue;
        s->n++;
        f->tok2s[k] = (int32_t)i;
    }
}

/* The token of an abbreviation in brackets right after token k
 * ("Kurumu (BDDK)"): an all-caps word of two letters or more alone in
 * the brackets, in k's sentence; else 0. */
static size_t abbreviation_after(const mh_doc *d, size_t k)
{
    if (k + 1 >= d->n_tokens)
        return 0;
    const mh_token *t = &d->tokens[k], *a = &d->tokens[k + 1];
    size_t p = t->full_end;
    while (p < a->start && d->text[p] == ' ')
        p++;
    if (p + 1 != a->start || d->text[p] != '(' || !(a->flags & MH_TOK_ALLCAPS) ||
        a->norm_len < 2 || a->sentence != t->sentence || a->full_end >= d->text_len ||
        d->text[a->full_end] != ')')
        return 0;
    return k + 1;
}

/* An organisation named in full and then by its abbreviation in brackets
 * ("Tüm Emlak Müşavirleri Derneği (TÜGEM)"): the abbreviation is a
 * mention of it too (name_mentions gives it the full name). */
static void abbreviations(finder *f)
{
    const mh_doc *d = f->d;
    for (size_t i = 0, n0 = f->sp.n; i < n0 && !f->sp.err; i++) {
        const span *s = &f->sp.s[i];
        if (s->type != MH_ENT_ORG || s->n < 2)
            continue;
        size_t a = abbreviation_after(d, s->tok + s->n - 1);
        if (!a)
            continue;
        int32_t o = f->tok2s[a];
        if (o >= 0) {
            span *x = &f->sp.s[o];
            if (x->n == 1 && !(x->flags & MH_MEN_GAZ))
                x->type = MH_ENT_ORG;
            continue;
        }
        spans_add(&f->sp, (uint32_t)a, 1, MH_ENT_ORG, MH_MEN_MODEL);
        if (!f->sp.err)
            mark_span(f, f->sp.n - 1);
    }
}

/* Does the word end in a plural, bare or with a case ending
 * ("Yetkililer", "Etkinliklere", "Vatandaşlardan")?  Compared on the
 * fold, where ı is i. */
static int plural(const mh_token *t)
{
    static const char *const ends[] = { "ler", "lar", "lere", "lara", "lerde", "larda",
                                        "lerden", "lardan", "lerin", "larin" };
    for (size_t i = 0; i < MH_ARRAY_LEN(ends); i++) {
        size_t n = strlen(ends[i]);
        if (t->fold_len > n + 2 && memcmp(t->fold + t->fold_len - n, ends[i], n) == 0)
            return 1;
    }
    return 0;
}

/* Does the text write a suffix with an apostrophe anywhere? */
static int has_apostrophe(const mh_doc *d)
{
    for (size_t i = 0; i < d->n_tokens; i++)
        if (d->tokens[i].flags & MH_TOK_APOS)
            return 1;
    return 0;
}

/* One sense per article: surnames and one-word names found elsewhere. */
static void spans_from_known(finder *f, knownset *ks)
{
    const mh_doc *d = f->d;
    for (size_t i = 0; i < d->n_tokens; i++) {
        const mh_token *t = &d->tokens[i];
        if (!is_capital(t) || f->tok2s[i] >= 0 || t->fold_len < 2)
            continue;
        const known *k = known_find(ks, t->fold, t->fold_len);
        if (!k || word_not_name(f, i) || facility_after(f, i + 1))
            continue;
        /* Inside another kind of name only a person's surname is still
         * that person ("Yatırımcılar Karaca'nın" was one such guess of
         * the tagger); a place there is part of the name ("Türkiye
         * Kupası"), and a derived word never is the name. */
        if (misc_at(f, i, 1) && (k->type != MH_ENT_PERSON || derived_suffix(t)))
            continue;
        /* Nor is a word of a treaty's or a law's name ("Paris İklim
         * Anlaşması", with Paris a place elsewhere in the article). */
        span one = { (uint32_t)i, 1, k->type, 0 };
        if (in_law_name(f, &one))
            continue;
        /* A capitalised word just before or after a name would be part of
         * it: leave it to the tagger. */
        spans_add(&f->sp, (uint32_t)i, 1, k->type, 0);
        if (!f->sp.err)
            mark_span(f, f->sp.n - 1);
    }
}

static void collect_known(knownset *ks, const mh_doc *d, const span *s, size_t n,
                          const unsigned char *caps)
{
    for (size_t i = 0; i < n; i++) {
        const span *x = &s[i];
        const mh_token *first = &d->tokens[x->tok];
        if (caps && first->sentence < d->n_sentences && caps[first->sentence] &&
            !(x->flags & MH_MEN_GAZ))
            continue;
        const mh_token *last = &d->tokens[x->tok + x->n - 1];
        if (x->type == MH_ENT_PERSON && x->n >= 2)
            known_add(ks, last->fold, last->fold_len, MH_ENT_PERSON, NULL, 0, 1);
        else if (x->n == 1 && last->fold_len >= 2)
            known_add(ks, last->fold, last->fold_len, x->type, NULL, 0, 0);
    }
}

/* Role of person mention m: the title phrase right before the name. */
static void find_role(finder *f, size_t mi)
{
    const mh_doc *d = f->d;
    mh_mention *m = &f->e->m[mi];
    f->role_tok[mi] = -1;
    m->role_start = m->start;
    if (m->type != MH_ENT_PERSON || m->tok == 0)
        return;
    size_t h = m->tok - 1;
    const mh_token *ht = &d->tokens[h];
    if (ht->sentence != d->tokens[m->tok].sentence ||
        !only_spaces(d->text, ht->full_end, m->start) ||
        !(mh_lex_word(f->lx, ht->fold, ht->fold_len) & MH_GZ_TITLE))
        return;
    size_t a = h;
    while (a > 0 && h - a + 1 < ROLE_MAX_TOK) {
        const mh_token *p = &d->tokens[a - 1], *q = &d->tokens[a];
        if (p->sentence != q->sentence || (p->flags & MH_TOK_APOS) ||
            !only_spaces(d->text, p->full_end, q->start))
            break;
        unsigned fl = mh_lex_word(f->lx, p->fold, p->fold_len);
        int32_t si = f->tok2s[a - 1];
        int in_person = si >= 0 && f->sp.s[si].type == MH_ENT_PERSON;
        if (in_person)
            break;
        int ok;
        /* A capitalised first word of the sentence is only taken when
         * something vouches for it: a name, the lexicon, or a "ve" after
         * it inside the role, which makes it the first half of a joined
         * title ("Ulaştırma ve Altyapı Bakanı"). */
        int joined = norm_is(q, "ve");
        if (is_capital(p))
            ok = !(p->flags & MH_TOK_SENT0) || si >= 0 || fl || joined;
        else
            ok = (fl & (MH_GZ_TITLE | MH_GZ_TPREFIX)) ||
                 (norm_is(p, "ve") && is_capital(q));
        if (!ok)
            break;
        a--;
    }
    /* A role does not start with "ve". */
    while (a < h && !is_capital(&d->tokens[a]) &&
           !(mh_lex_word(f->lx, d->tokens[a].fold, d->tokens[a].fold_len) &
             (MH_GZ_TITLE | MH_GZ_TPREFIX)))
        a++;
    const char *r = mh_arena_strndup(&f->e->priv->arena, d->text + d->tokens[a].start,
                                     ht->full_end - d->tokens[a].start);
    if (!r)
        return;
    m->role = r;
    m->role_len = ht->full_end - d->tokens[a].start;
    m->role_start = d->tokens[a].start;
    f->role_tok[mi] = (int32_t)a;
}

/* Is t a company's legal form written as an abbreviation: dotted
 * (A.Ş, S.A, Ltd.Şti) or one of Inc, Ltd, Corp, Co, Şti? */
static int legal_form(const mh_token *t)
{
    static const char *const forms[] = { "inc", "ltd", "corp", "co", "sti" };
    if (t->norm_len >= 3 && memchr(t->norm, '.', t->norm_len) && t->norm_len <= 12)
        return 1;
    for (size_t i = 0; i < MH_ARRAY_LEN(forms); i++)
        if (t->fold_len == strlen(forms[i]) && memcmp(t->fold, forms[i], t->fold_len) == 0)
            return 1;
    return 0;
}

/*
 * The bytes of the case ending that an organisation's name of two or
 * more words carries on its head word when the text writes it without an
 * apostrophe: "Silikon Vadisi Bankasına", "İstatistik Kurumunun",
 * "Borusan Otomotivle".  The rest must be a head word of name_heads.txt
 * [org] ending in a vowel for the first endings and in a consonant for
 * the second; one that may have softened before the ending (Grubun,
 * Bakanlığın: b, c, d, ğ) is left alone, as is the dative or accusative
 * of a consonant (Banka is no form of Bank).  0 when there is none.
 */
static size_t org_case_ending(const finder *f, const span *s)
{
    static const char *const after_vowel[] = {
        "ndaki", "ndeki", "ndan", "nden", "nda", "nde", "nin", "nun", "yla", "yle",
        "dan", "den", "na", "ne", "ni", "nu", "ya", "ye", "da", "de" };
    static const char *const after_consonant[] = {
        "daki", "deki", "taki", "teki", "dan", "den", "tan", "ten", "da", "de", "ta", "te",
        "in", "un", "la", "le" };
    const mh_doc *d = f->d;
    if (s->type != MH_ENT_ORG || s->n < 2)
        return 0;
    const mh_token *t = &d->tokens[s->tok + s->n - 1];
    if ((t->flags & MH_TOK_APOS) || !is_capital(t))
        return 0;
    for (int pass = 0; pass < 2; pass++) {
        const char *const *ends = pass ? after_consonant : after_vowel;
        size_t n_ends = pass ? MH_ARRAY_LEN(after_consonant) : MH_ARRAY_LEN(after_vowel);
        for (size_t i = 0; i < n_ends; i++) {
            size_t el = strlen(ends[i]);
            if (t->fold_len < el + 3 || memcmp(t->fold + t->fold_len - el, ends[i], el) != 0)
                continue;
            size_t base = t->fold_len - el;
            int vowel = strchr("aeiou", t->fold[base - 1]) != NULL;
            if (vowel != !pass || !mh_lex_cue(f->lx, t->fold, base, MH_CUE_ORGHEAD))
                continue;
            /* The fold maps letter to letter: the ending is the last el
             * letters of the surface. */
            size_t b = t->end;
            for (size_t k = 0; k < el && b > t->start; k++) {
                b--;
                while (b > t->start && ((unsigned char)d->text[b] & 0xC0) == 0x80)
                    b--;
            }
            if (pass) {
                /* The letter before the ending, as written. */
                size_t c = b;
                do
                    c--;
                while (c > t->start && ((unsigned char)d->text[c] & 0xC0) == 0x80);
                uint32_t cp = mh_utf8_next(d->text, b, &c);
                if (cp == 'b' || cp == 'c' || cp == 'd' || cp == 0x11F || cp == 'B' ||
                    cp == 'C' || cp == 'D' || cp == 0x11E)
                    return 0;
            }
            return t->end - b;
        }
    }
    return 0;
}

/* Canonical names: gazetteer spelling, then surname -> full name. */
static mh_err name_mentions(finder *f)
{
    const mh_doc *d = f->d;
    mh_entities *e = f->e;
    mh_arena *ar = &e->priv->arena;
    for (size_t i = 0; i < e->n; i++) {
        mh_mention *m = &e->m[i];
        const span *s = &f->sp.s[i];
        const char *p = d->text + m->start;
        size_t n = m->end - m->start;
        n -= org_case_ending(f, s);
        /* A name written the same way earlier gets the same name (an
         * article repeats its names; keys are not free). */
        size_t j = 0;
        for (; j < i; j++) {
            const mh_mention *o = &e->m[j];
            if (o->type == m->type && o->end - o->start == n &&
                memcmp(d->text + o->start, p, n) == 0)
                break;
        }
        if (j < i) {
            m->name = e->m[j].name;
            m->name_len = e->m[j].name_len;
            m->flags |= e->m[j].flags & MH_MEN_GAZ;
            continue;
        }
        if (mh_lex_name_key_with(f->lx, p, n, &f->key, &f->fold) != MH_OK)
            return MH_ENOMEM;
        unsigned fl = 0;
        const char *c = mh_lex_canonical(f->lx, f->key.p, f->key.len, &fl);
        if (c && gz_type(fl) == m->type) {
            m->name = c;
            m->name_len = (uint32_t)strlen(c);
            m->flags |= MH_MEN_GAZ;
        } else {
            /* Runs of spaces inside a name become one space. */
            mh_buf_reset(&f->tmp);
            for (size_t k = 0; k < n; k++)
                if (p[k] != ' ' || (k && p[k - 1] != ' '))
                    mh_buf_addc(&f->tmp, p[k] == '\n' ? ' ' : p[k]);
            char *nm = mh_arena_strndup(ar, f->tmp.p ? f->tmp.p : "", f->tmp.len);
            if (!nm)
                return MH_ENOMEM;
            m->name = nm;
            m->name_len = (uint32_t)f->tmp.len;
        }
    }
    /* An abbreviation in brackets after an organisation's full name, and
     * the same abbreviation elsewhere in the text, take the full name
     * ("TÜGEM" -> "Tüm Emlak Müşavirleri Derneği"), unless a gazetteer
     * names it. */
    for (size_t i = 0; i < e->n; i++) {
        const mh_mention *m = &e->m[i];
        size_t a;
        if (m->type != MH_ENT_ORG || m->n_tok < 2 || i + 1 >= e->n ||
            !(a = abbreviation_after(d, m->tok + m->n_tok - 1)) || e->m[i + 1].tok != a ||
            (e->m[i + 1].flags & MH_MEN_GAZ))
            continue;
        const mh_token *at = &d->tokens[a];
        for (size_t j = 0; j < e->n; j++) {
            mh_mention *o = &e->m[j];
            const mh_token *ot = &d->tokens[o->tok];
            if (o->n_tok == 1 && o->type == MH_ENT_ORG && !(o->flags & MH_MEN_GAZ) &&
                ot->fold_len == at->fold_len && memcmp(ot->fold, at->fold, at->fold_len) == 0) {
                o->name = m->name;
                o->name_len = m->name_len;
            }
        }
    }
    /* An organisation's head word standing for it ("Bakanlık ... açıkladı"
     * after "Tarım ve Orman Bakanlığı") takes the name of the one
     * organisation of the text or its context whose name holds the word
     * (without its last letter: "bakanlık" is in "bakanlığı"); none, or
     * two, and it keeps its own. */
    for (size_t i = 0; i < e->n; i++) {
        mh_mention *m = &e->m[i];
        const mh_token *t = &d->tokens[m->tok];
        if (m->type != MH_ENT_ORG || m->n_tok != 1 || (m->flags & MH_MEN_GAZ) ||
            (t->flags & MH_TOK_ALLCAPS) || t->fold_len < 4 ||
            !tcue(f, t, MH_CUE_ORGHEAD))
            continue;
        const mh_mention *one = NULL;
        int several = 0;
        const mh_entities *srcs[2] = { e, f->ctx };
        for (int si = 0; si < 2 && !several; si++) {
            const mh_entities *src = srcs[si];
            if (!src || !src->priv || !src->priv->doc)
                continue;
            const mh_doc *sd = src->priv->doc;
            for (size_t j = 0; j < src->n && !several; j++) {
                const mh_mention *o = &src->m[j];
                if (o->type != MH_ENT_ORG || o->n_tok < 2)
                    continue;
                int has = 0;
                for (size_t w = o->tok; w < o->tok + o->n_tok && !has; w++)
                    has = mh_bytes_has(sd->tokens[w].fold, sd->tokens[w].fold_len, t->fold,
                                       t->fold_len - 1);
                if (!has)
                    continue;
                if (one && (one->name_len != o->name_len ||
                            memcmp(one->name, o->name, o->name_len) != 0))
                    several = 1;
                one = o;
            }
        }
        if (one && !several) {
            m->name = one->name;
            m->name_len = one->name_len;
            m->flags |= MH_MEN_RESOLVED;
        }
    }
    /* A person named by one word takes the full name of a person of the
     * same article whose last name it is: earlier mentions first, then
     * later ones, then the context (the rest of the article). */
    for (size_t i = 0; i < e->n; i++) {
        mh_mention *m = &e->m[i];
        if (m->type != MH_ENT_PERSON || m->n_tok != 1)
            continue;
        const mh_token *t = &d->tokens[m->tok];
        const mh_mention *best = NULL;
        for (size_t pass = 0; pass < 2 && !best; pass++) {
            for (size_t j = 0; j < e->n; j++) {
                size_t k = pass ? j : e->n - 1 - j;   /* pass 0: backwards from the end */
                const mh_mention *o = &e->m[k];
                if (o->type != MH_ENT_PERSON || o->n_tok < 2)
                    continue;
                if (pass == 0 && k > i)
                    continue;
                const mh_token *ol = &d->tokens[o->tok + o->n_tok - 1];
                if (ol->fold_len == t->fold_len && memcmp(ol->fold, t->fold, t->fold_len) == 0) {
                    best = o;
                    break;
                }
            }
        }
        if (!best)
            best = ctx_person_named(f, t);
        if (best && (best->name_len != m->name_len ||
                     memcmp(best->name, m->name, m->name_len) != 0)) {
            m->name = best->name;
            m->name_len = best->name_len;
            m->flags |= MH_MEN_RESOLVED;
        } else if (!best && !(m->flags & MH_MEN_GAZ)) {
            /* The one public figure of the gazetteers with this last
             * name ("Peskov" -> "Dmitriy Peskov"); the same surface
             * earlier had the same answer. */
            size_t j = 0;
            for (; j < i; j++) {
                const mh_mention *o = &e->m[j];
                if (o->type == MH_ENT_PERSON && o->n_tok == 1 && o->end - o->start == m->end - m->start &&
                    memcmp(d->text + o->start, d->text + m->start, m->end - m->start) == 0)
                    break;
            }
            if (j < i) {
                m->name = e->m[j].name;
                m->name_len = e->m[j].name_len;
                m->flags |= e->m[j].flags & (MH_MEN_GAZ | MH_MEN_RESOLVED);
                continue;
            }
            if (mh_lex_name_key_with(f->lx, d->text + m->start, m->end - m->start, &f->key,
                                     &f->fold) != MH_OK)
                return MH_ENOMEM;
            const char *c = mh_lex_surname(f->lx, f->key.p, f->key.len);
            if (c) {
                m->name = c;
                m->name_len = (uint32_t)strlen(c);
                m->flags |= MH_MEN_GAZ | MH_MEN_RESOLVED;
            }
        }
    }
    /* Other one-word names (places, organisations) in a heading in
     * capitals take the spelling of the same name elsewhere (İSTANBUL ->
     * İstanbul); in a sentence, capitals are the name's own (TOKİ, even
     * where an article also writes "Toki"). */
    for (size_t i = 0; i < e->n; i++) {
        mh_mention *m = &e->m[i];
        const mh_token *t = &d->tokens[m->tok];
        if (m->n_tok != 1 || !(t->flags & MH_TOK_ALLCAPS) || (m->flags & MH_MEN_GAZ) ||
            (m->flags & MH_MEN_RESOLVED) || t->sentence >= d->n_sentences || !f->caps[t->sentence])
            continue;
        const mh_entities *srcs[2] = { e, f->ctx };
        for (int si = 0; si < 2; si++) {
            const mh_entities *src = srcs[si];
            if (!src || !src->priv || !src->priv->doc)
                continue;
            const mh_doc *sd = src->priv->doc;
            for (size_t j = 0; j < src->n; j++) {
                const mh_mention *o = &src->m[j];
                const mh_token *ot = &sd->tokens[o->tok];
                if (o->n_tok == 1 && !(ot->flags & MH_TOK_ALLCAPS) && o->type == m->type &&
                    ot->fold_len == t->fold_len && memcmp(ot->fold, t->fold, t->fold_len) == 0) {
                    m->name = o->name;
                    m->name_len = o->name_len;
                    m->flags |= MH_MEN_RESOLVED;
                    si = 2;
                    break;
                }
            }
        }
    }
    return MH_OK;
}

void mh_entities_free(mh_entities *e)
{
    if (!e)
        return;
    /* priv lies in e's block, role_tok in m's and tags in tok2m's (see
     * find_run). */
    if (e->priv) {
        mh_free(e->priv->tok2m);
        mh_arena_free(&e->priv->arena);
    }
    mh_free(e->m);
    mh_free(e);
}

/* n rounded up to a multiple of 16: the parts of a shared block stay
 * aligned for any type. */
static size_t al16(size_t n) { return (n + 15) & ~(size_t)15; }

/* mh_entities and its private part, allocated together. */
typedef struct ent_block {
    mh_entities e;
    mh_entities_priv p;
} ent_block;

/*
 * The work of mh_entities_find and mh_entities_refind.  With tags_in (the
 * tagger's tags of doc from an earlier run) the tagger is not run again:
 * its tags depend on the doc and the model only, never on the context.
 */
static mh_err find_run(const mh_ner *ner, const mh_doc *doc, const unsigned char *tags_in,
                       const mh_entities *context, unsigned opts, mh_entities **out)
{
    *out = NULL;
    mh_err err = MH_ENOMEM;
    finder f;
    memset(&f, 0, sizeof f);
    knownset ks = { 0 };
    unsigned char *scratch = NULL;
    mh_buf_init(&f.key, 1 << 16);
    mh_buf_init(&f.tmp, 1 << 16);
    mh_buf_init(&f.fold, 0);
    f.d = doc;
    f.ctx = context;
    f.lx = mh_lexicon_get();
    if (!f.lx)
        goto out;
    if (!ner && !tags_in) {
        /* No tagger because memory ran out is an error, not a search
         * without it (a build without a model has none, and says so). */
        ner = mh_ner_builtin();
        if (!ner && mh_ner_model_size)
            goto out;
    }
    size_t n = doc->n_tokens, nt = n ? n : 1;
    size_t ns = doc->n_sentences ? doc->n_sentences : 1;
    ent_block *eb = mh_malloc(sizeof *eb);
    if (!eb)
        goto out;
    memset(eb, 0, sizeof *eb);
    f.e = &eb->e;
    f.e->priv = &eb->p;
    mh_arena_init(&f.e->priv->arena, 16384);
    f.e->priv->doc = doc;
    f.e->priv->ctx = context;
    f.e->priv->n_tok = n;
    /* The mention index of each token, and the tagger's tags after it
     * (kept for mh_entities_refind).  The search's own token -> span
     * index is the same array: it is final once the mentions are made. */
    f.e->priv->tok2m = mh_malloc(al16(nt * sizeof *f.e->priv->tok2m) + nt);
    if (!f.e->priv->tok2m)
        goto out;
    f.tok2s = f.e->priv->tok2m;
    f.tags = (unsigned char *)f.e->priv->tok2m + al16(nt * sizeof *f.e->priv->tok2m);
    f.e->priv->tags = f.tags;
    /* One block of scratch for the search: the capitals lines, and for
     * the tagger its token features and its Viterbi columns. */
    tag_scratch ts = { 0 };
    int viterbi = !tags_in && ner;
    size_t o_cnt = 0;
    size_t o_toks = o_cnt + al16(ns * 2 * sizeof(size_t));
    size_t o_st = o_toks + (viterbi ? al16(nt * sizeof *f.toks) : 0);
    size_t o_delta = o_st + (viterbi ? al16(nt * sizeof *ts.st) : 0);
    size_t o_bp = o_delta + (viterbi ? al16(nt * sizeof *ts.delta) : 0);
    size_t o_caps = o_bp + (viterbi ? al16(nt * sizeof *ts.bp) : 0);
    size_t o_cue = o_caps + al16(ns);
    scratch = mh_malloc(o_cue + nt * sizeof *f.cuem);
    if (!scratch)
        goto out;
    f.caps = scratch + o_caps;
    f.cuem = (uint32_t *)(void *)(scratch + o_cue);
    memset(f.cuem, 0, nt * sizeof *f.cuem);
    caps_sentences(doc, f.caps, (size_t *)(void *)(scratch + o_cnt));
    if (tags_in) {
        memcpy(f.tags, tags_in, n);
    } else {
        memset(f.tags, 0, nt);
        if (viterbi) {
            f.toks = (mh_ner_tok *)(void *)(scratch + o_toks);
            ts.st = (void *)(scratch + o_st);
            ts.delta = (void *)(scratch + o_delta);
            ts.bp = (void *)(scratch + o_bp);
            mh_ner_prepare(f.lx, doc, f.toks);
            tag_doc(ner, doc, f.toks, f.tags, &ts);
        }
    }
    for (size_t i = 0; i < n; i++)
        f.tok2s[i] = -1;

    spans_from_tags(&f);
    if (f.sp.err)
        goto out;
    /* In capitals lines, the tagger's names stand only when a gazetteer
     * or the rest of the article knows them (checked below). */
    for (size_t i = 0; i < f.sp.n; i++)
        mark_span(&f, i);
    if (opts & MH_ENT_OPT_TAGGER_ONLY)
        goto mentions;
    split_units(&f);
    split_org_pairs(&f);
    if (f.sp.err)
        goto out;
    spans_from_gazetteer(&f);
    if (f.sp.err)
        goto out;
    f.apos = has_apostrophe(doc) ||
             (context && context->priv && context->priv->doc && has_apostrophe(context->priv->doc));
    spans_from_cues(&f);
    join_place_org(&f);
    if (f.sp.err)
        goto out;
    place_lists(&f);
    drop_words(&f);
    extend_people(&f);
    abbreviations(&f);
    if (f.sp.err)
        goto out;
    collect_known(&ks, doc, f.sp.s, f.sp.n, f.caps);
    if (context && context->priv && context->priv->doc) {
        const mh_doc *cd = context->priv->doc;
        for (size_t i = 0; i < context->n; i++) {
            const mh_mention *m = &context->m[i];
            const mh_token *last = &cd->tokens[m->tok + m->n_tok - 1];
            if ((m->type == MH_ENT_PERSON && m->n_tok >= 2) || m->n_tok == 1)
                known_add(&ks, last->fold, last->fold_len, m->type, NULL, 0,
                          m->type == MH_ENT_PERSON && m->n_tok >= 2);
        }
    }
    if (ks.err)
        goto out;
    /* Drop unconfirmed names of capitals lines. */
    size_t w = 0;
    for (size_t i = 0; i < f.sp.n; i++) {
        span *s = &f.sp.s[i];
        const mh_token *first = &doc->tokens[s->tok];
        const mh_token *last = &doc->tokens[s->tok + s->n - 1];
        int capsline = first->sentence < doc->n_sentences && f.caps[first->sentence];
        MH_UNUSED(last);
        /* The tagger's names of a capitals line go; the gazetteers' stay,
         * and names known from elsewhere come back below, one word each,
         * with the type they have elsewhere. */
        if (capsline && !(s->flags & MH_MEN_GAZ))
            continue;
        f.sp.s[w++] = *s;
    }
    f.sp.n = w;
    remark_spans(&f);
    spans_from_known(&f, &ks);
    if (f.sp.err)
        goto out;
    /* A capitalised plural opening a sentence ("Yetkililer, ...") is a
     * common noun, unless a gazetteer or the rest of the article names it;
     * the tagger sometimes joins it to the name after it ("Vatandaşlar
     * Kadıköy ..."), which loses it. */
    w = 0;
    for (size_t i = 0; i < f.sp.n; i++) {
        span *sp = &f.sp.s[i];
        const mh_token *t = &doc->tokens[sp->tok];
        if ((t->flags & MH_TOK_SENT0) && !(sp->flags & MH_MEN_GAZ) &&
            !(t->flags & (MH_TOK_APOS | MH_TOK_ALLCAPS)) && t->norm_len > 5 && plural(t)) {
            int elsewhere = 0;
            for (size_t j = 0; j < doc->n_tokens && !elsewhere; j++)
                elsewhere = j != sp->tok && !(doc->tokens[j].flags & MH_TOK_SENT0) &&
                            is_capital(&doc->tokens[j]) &&
                            doc->tokens[j].fold_len == t->fold_len &&
                            memcmp(doc->tokens[j].fold, t->fold, t->fold_len) == 0;
            if (!elsewhere) {
                f.tok2s[sp->tok] = -1;
                if (sp->n == 1)
                    continue;
                sp->tok++;
                sp->n--;
            }
        }
        f.sp.s[w++] = *sp;
    }
    f.sp.n = w;
    /* Places joined by a hyphen are two places ("Rusya-Ukrayna savaşı",
     * "Kadıköy-Eminönü seferi"); a gazetteer's name with one stays whole
     * (a match covers the span), and so do people's and organisations'
     * (Jean-Claude, Mercedes-Benz). */
    for (size_t i = 0; i < f.sp.n && !f.sp.err; i++) {
        span *sp = &f.sp.s[i];
        if (sp->type != MH_ENT_PLACE || sp->n < 2 || (sp->flags & MH_MEN_GAZ))
            continue;
        for (uint32_t k = sp->tok + 1; k < sp->tok + sp->n; k++) {
            const mh_token *x = &doc->tokens[k - 1], *y = &doc->tokens[k];
            if (y->start != x->full_end + 1 || doc->text[x->full_end] != '-')
                continue;
            uint32_t end = sp->tok + sp->n;
            sp->n = k - sp->tok;
            spans_add(&f.sp, k, end - k, MH_ENT_PLACE, sp->flags);
            break;
        }
    }
    if (f.sp.err)
        goto out;
    /* One sense per article: a one-word name that is the last name of a
     * person of the article is that person, whatever the tagger said.
     * An organisation that a cue shows ("şirketi Wirecard") yields only
     * to the last word of a full name: the tagger's guess for another
     * mention of the word ("Wirecard, ...") says nothing about it. */
    for (size_t i = 0; i < f.sp.n; i++) {
        span *sp = &f.sp.s[i];
        const mh_token *t = &doc->tokens[sp->tok];
        const known *kp;
        if (sp->n == 1 && sp->type != MH_ENT_PERSON && !(sp->flags & MH_MEN_GAZ) &&
            (kp = known_find_type(&ks, t->fold, t->fold_len, MH_ENT_PERSON)) &&
            (kp->full || !(sp->flags & SPAN_CUE_ORG)))
            sp->type = MH_ENT_PERSON;
    }
    /* ... and a one-word person that is no one's last name, no given
     * name and has no title before it, or a place no gazetteer knows, is
     * the organisation a cue shows the same word to be elsewhere in the
     * article ("şirketi Wirecard" ... "Wirecard, ..."). */
    for (size_t i = 0; i < f.sp.n; i++) {
        span *sp = &f.sp.s[i];
        const mh_token *t = &doc->tokens[sp->tok];
        const known *kp;
        if (sp->n != 1 || (sp->type != MH_ENT_PERSON && sp->type != MH_ENT_PLACE) ||
            (sp->flags & MH_MEN_GAZ) ||
            ((kp = known_find_type(&ks, t->fold, t->fold_len, MH_ENT_PERSON)) && kp->full) ||
            (mh_lex_word(f.lx, t->fold, t->fold_len) &
             (MH_GZ_FIRST | MH_GZ_PERSON | MH_GZ_PLACE | MH_GZ_COUNTRY)) ||
            glued_place(&f, t))
            continue;
        if (sp->tok > 0) {
            const mh_token *p = &doc->tokens[sp->tok - 1];
            if (p->sentence == t->sentence &&
                (mh_lex_word(f.lx, p->fold, p->fold_len) & (MH_GZ_TITLE | MH_GZ_TPREFIX)))
                continue;
        }
        for (size_t j = 0; j < f.sp.n; j++) {
            const span *o = &f.sp.s[j];
            const mh_token *ot = &doc->tokens[o->tok];
            if (o->n == 1 && o->type == MH_ENT_ORG && (o->flags & SPAN_CUE_ORG) &&
                ot->fold_len == t->fold_len && memcmp(ot->fold, t->fold, t->fold_len) == 0) {
                sp->type = MH_ENT_ORG;
                break;
            }
        }
    }
    for (size_t i = 0; i < f.sp.n; i++)
        if (lone_person(&f, &f.sp.s[i]))
            f.sp.s[i].type = MH_ENT_ORG;
mentions:
    if (f.sp.n)
        qsort(f.sp.s, f.sp.n, sizeof *f.sp.s, cmp_span);
    remark_spans(&f);

    /* Mentions, and the first token of each one's role after them. */
    size_t nm = f.sp.n ? f.sp.n : 1;
    f.e->m = mh_malloc(al16(nm * sizeof *f.e->m) + nm * sizeof *f.role_tok);
    if (!f.e->m)
        goto out;
    f.role_tok = (int32_t *)(void *)((char *)f.e->m + al16(nm * sizeof *f.e->m));
    f.e->n = f.sp.n;
    for (size_t i = 0; i < f.sp.n; i++) {
        const span *s = &f.sp.s[i];
        mh_mention *m = &f.e->m[i];
        memset(m, 0, sizeof *m);
        m->tok = s->tok;
        m->n_tok = s->n;
        m->type = s->type;
        m->flags = s->flags & ~SPAN_CUE_ORG;
        m->start = doc->tokens[s->tok].start;
        m->end = doc->tokens[s->tok + s->n - 1].end;
        m->full_end = doc->tokens[s->tok + s->n - 1].full_end;
        m->role_start = m->start;
        /* A company's name that ends in an abbreviation ends in its dot
         * ("Verusa Holding A.Ş.", "Sabancı Renewables Inc."), which the
         * token leaves to the sentence. */
        if (s->type == MH_ENT_ORG && s->n >= 2 && m->end < doc->text_len &&
            doc->text[m->end] == '.' && legal_form(&doc->tokens[s->tok + s->n - 1])) {
            m->end++;
            if (m->full_end < m->end)
                m->full_end = m->end;
        }
    }
    if (name_mentions(&f) != MH_OK)
        goto out;
    for (size_t i = 0; i < f.e->n; i++)
        find_role(&f, i);
    if (f.e->priv->arena.err)
        goto out;
    f.e->priv->role_tok = f.role_tok;
    *out = f.e;
    f.e = NULL;
    err = MH_OK;
out:
    mh_free(ks.k);
    mh_free(scratch);
    mh_free(f.sp.s);
    mh_buf_free(&f.key);
    mh_buf_free(&f.tmp);
    mh_buf_free(&f.fold);
    mh_entities_free(f.e);
    return err;
}

mh_err mh_entities_find(const mh_ner *ner, const mh_doc *doc, const mh_entities *context,
                        unsigned opts, mh_entities **out)
{
    if (!doc || !out)
        return MH_EINVAL;
    return find_run(ner, doc, NULL, context, opts, out);
}

mh_err mh_entities_refind(const mh_entities *prev, const mh_entities *context, unsigned opts,
                          mh_entities **out)
{
    if (!out)
        return MH_EINVAL;
    *out = NULL;
    if (!prev || !prev->priv || !prev->priv->doc || !prev->priv->tags)
        return MH_EINVAL;
    return find_run(NULL, prev->priv->doc, prev->priv->tags, context, opts, out);
}

/* ------------------------------------------------------------------ */
/* Roles standing for people                                            */
/* ------------------------------------------------------------------ */

const char *mh_entities_role_of(const mh_entities *e, size_t k, uint32_t *len)
{
    *len = 0;
    if (!e || k >= e->n)
        return NULL;
    const mh_mention *m = &e->m[k];
    if (m->role_len) {
        *len = m->role_len;
        return m->role;
    }
    /* The nearest earlier mention of the same person with a role, else
     * the first later one. */
    for (size_t pass = 0; pass < 2; pass++) {
        for (size_t j = 0; j < e->n; j++) {
            size_t i = pass ? j : k - 1 - j;
            if (pass == 0 && j >= k)
                break;
            if (pass == 1 && i <= k)
                continue;
            const mh_mention *o = &e->m[i];
            if (o->role_len && o->type == m->type && o->name_len == m->name_len &&
                memcmp(o->name, m->name, m->name_len) == 0) {
                *len = o->role_len;
                return o->role;
            }
        }
    }
    /* A headline's name takes its role from the body. */
    const mh_entities *c = e->priv ? e->priv->ctx : NULL;
    for (size_t i = 0; c && i < c->n; i++) {
        const mh_mention *o = &c->m[i];
        if (o->role_len && o->type == m->type && o->name_len == m->name_len &&
            memcmp(o->name, m->name, m->name_len) == 0) {
            *len = o->role_len;
            return o->role;
        }
    }
    return NULL;
}

/* Title base of token t ("Bakanı" -> "Bakan"), NULL when not a title. */
static const char *title_base(const mh_lexicon *lx, const mh_doc *d, size_t t)
{
    unsigned fl;
    const char *base;
    size_t k = mh_lex_match(lx, d, t, 1, &fl, &base);
    return k && (fl & MH_GZ_TITLE) ? base : NULL;
}

long mh_entities_role_ref(const mh_entities *e, size_t first, size_t head)
{
    if (!e || !e->priv || !e->priv->doc || head < first || head >= e->priv->n_tok)
        return -1;
    const mh_doc *d = e->priv->doc;
    const mh_lexicon *lx = mh_lexicon_get();
    const char *hb = title_base(lx, d, head);
    if (!hb)
        return -1;
    uint32_t at = d->tokens[first].start;
    long best = -1;
    size_t best_score = 0;
    int tie = 0;
    for (size_t k = 0; k < e->n; k++) {
        const mh_mention *m = &e->m[k];
        if (m->start >= at)
            break;
        int32_t rt = e->priv->role_tok ? e->priv->role_tok[k] : -1;
        if (m->type != MH_ENT_PERSON || rt < 0)
            continue;
        size_t rh = m->tok - 1;
        const char *mb = title_base(lx, d, rh);
        if (!mb || strcmp(mb, hb) != 0)
            continue;
        /* Every word of the phrase but the head must be in the role. */
        size_t score = 1;
        int all = 1;
        for (size_t i = first; i < head && all; i++) {
            const mh_token *t = &d->tokens[i];
            int found = 0;
            for (size_t j = (size_t)rt; j < rh && !found; j++) {
                const mh_token *r = &d->tokens[j];
                found = r->fold_len == t->fold_len && memcmp(r->fold, t->fold, t->fold_len) == 0;
            }
            if (found)
                score++;
            else
                all = 0;
        }
        if (!all)
            continue;
        if (best >= 0 && score == best_score) {
            const mh_mention *b = &e->m[best];
            if (b->name_len != m->name_len || memcmp(b->name, m->name, m->name_len) != 0)
                tie = 1;
            continue;
        }
        if (score > best_score) {
            best = (long)k;
            best_score = score;
            tie = 0;
        }
    }
    return tie ? -1 : best;
}
