/*
 * lexicon.h -- interfaces shared by gazetteer.c, entity.c, quote.c,
 * store_sqlite_quote.c and tools/train_ner.c (entities and quotes).
 * Not installed.
 *
 * The lexicon is data, not code: the .txt files of data/lexicon (gazetteers, titles,
 * reporting verbs, quote cue nouns, spelling aliases) are embedded into
 * src/lexicon_data.c by tools/gen_lexicon.c and parsed once per process.
 */
#ifndef MH_LEXICON_H
#define MH_LEXICON_H

#include "internal.h"

/* ---------------- Interface to lexicon_data.c (generated) ---------------- */

typedef struct mh_lex_file {
    const char *name;       /* file name without ".txt" ("countries") */
    const char *text;       /* whole file, NUL terminated */
} mh_lex_file;
extern const mh_lex_file mh_lex_files[];
extern const size_t mh_lex_n_files;

/* ---------------- Interface to gazetteer.c ---------------- */

/* Flags of a lexicon key (a token or a run of tokens, folded). */
enum {
    MH_GZ_PLACE   = 1u << 0,
    MH_GZ_ORG     = 1u << 1,
    MH_GZ_PERSON  = 1u << 2,
    MH_GZ_FIRST   = 1u << 3,   /* a given name */
    MH_GZ_TITLE   = 1u << 4,   /* a title or role head (Bakanı, Sekreteri) */
    MH_GZ_TPREFIX = 1u << 5,   /* lowercase word that may open a role (eski) */
    MH_GZ_AGENCY  = 1u << 6,   /* news agency or outlet */
    MH_GZ_COUNTRY = 1u << 7,
    MH_GZ_STARTS  = 1u << 8    /* first token of a longer entry */
};
#define MH_GZ_MAXTOK 6          /* longest entry in tokens */

typedef struct mh_lexicon mh_lexicon;

/* The process-wide lexicon, parsed on first use (thread-safe).  Borrowed,
 * valid for the life of the process.  NULL only when memory ran out. */
const mh_lexicon *mh_lexicon_get(void);

struct mh_ner_tok;
/* Gazetteer runs for the tagger's features: the flags of the longest
 * entry (mh_lex_match_features) starting at each token, marked on every
 * token of the run in toks[].gz (bit 15: not the first; bit 14: a run of
 * several tokens), runs taken left to right.  The loop is here, by the
 * word filter, because it looks at nearly every token of a text. */
void mh_lex_mark_features(const mh_lexicon *lx, const mh_doc *d, struct mh_ner_tok *toks);

/* Flags of the single-token key `fold` (ASCII fold of a token), 0 if none. */
unsigned mh_lex_word(const mh_lexicon *lx, const char *fold, size_t n);

/*
 * Longest lexicon entry spanning tokens [i, i+k) of d, k <= limit, all in
 * one sentence.  Returns k (0 when none) and the entry's flags.  *title_base
 * receives the base form of a title ("Bakan" for "Bakanı") or NULL.
 */
size_t mh_lex_match(const mh_lexicon *lx, const mh_doc *d, size_t i, size_t limit,
                    unsigned *flags, const char **title_base);
/* The same over the entries the entity tagger was trained to see: not
 * those a file lists under [rules], which only the rules around the
 * tagger use, so lists can grow without changing what `make model`
 * trains. */
size_t mh_lex_match_features(const mh_lexicon *lx, const mh_doc *d, size_t i, size_t limit,
                             unsigned *flags);

/*
 * Name keys: the form under which spelling variants merge (Sergey/Sergei
 * Lavrov, Kiev/Kyiv, Zelenskiy/Zelenskyy).  Folded, transliteration
 * pairs reduced (sh->s, kh->h, y->i, w->v, doubled letters), aliases of
 * name parts applied.  Writes into b (reset first).  Returns b->err.
 */
mh_err mh_lex_name_key(const mh_lexicon *lx, const char *name, size_t n, mh_buf *b);
/* The same with the caller's scratch buffer fold (mh_buf_init(fold, 0);
 * reset here, freed by the caller), which spares an allocation per key. */
mh_err mh_lex_name_key_with(const mh_lexicon *lx, const char *name, size_t n, mh_buf *b,
                            mh_buf *fold);

/* Canonical spelling and type of a name key from the gazetteers
 * (static for the process), or NULL. */
const char *mh_lex_canonical(const mh_lexicon *lx, const char *key, size_t n,
                             unsigned *flags);

/* Reporting predicates ("dedi", "diye konuştu", "ifadesini kullandı"). */
enum { MH_VF_FINITE = 1, MH_VF_PARTICIPLE, MH_VF_CONVERB };
enum {
    MH_VERB_DIRECT_ONLY = 1u << 0,  /* takes a quote, never a -DIğInI clause */
    MH_VERB_DATIVE      = 1u << 1,  /* complement in the dative (işaret etti) */
    MH_VERB_GENITIVE    = 1u << 2   /* complement in the genitive (altını çizdi) */
};
typedef struct mh_verb_hit {
    uint32_t ntok;          /* tokens of the predicate, from the match start */
    int form;               /* MH_VF_* of the last token */
    unsigned flags;         /* MH_VERB_* */
    const char *canon;      /* canonical form ("diye konuştu"); static */
    int generic;            /* "diye" + any verb: canon is "diye", use the surface */
} mh_verb_hit;
/* Is a reporting predicate starting at token i?  1 and *out filled, or 0. */
int mh_lex_verb(const mh_lexicon *lx, const mh_doc *d, size_t i, mh_verb_hit *out);

/* Cue nouns after a closing quote mark (quote_cues.txt), and words that
 * make a name an organisation's (name_heads.txt): in it, just before it
 * ("şirketi Wells Fargo") or just after it ("UBS analisti"). */
enum { MH_CUE_SPEECH = 1, MH_CUE_WORK = 2, MH_CUE_BRIDGE = 3, MH_CUE_HEADLINE = 4,
       MH_CUE_SETTING = 5, MH_CUE_ORGHEAD = 6, MH_CUE_ORG_BEFORE = 7, MH_CUE_ORG_AFTER = 8,
       MH_CUE_NATIONALITY = 9, MH_CUE_NOT_NAME = 10, MH_CUE_NOT_AFTER = 11,
       MH_CUE_COMMON = 12, MH_CUE_PERSON_BEFORE = 13,
       MH_CUE_TOPIC = 14, MH_CUE_LAW = 15, MH_CUE_PLACE_AFTER = 16,
       MH_CUE_CLUB_AFTER = 17, MH_CUE_FACILITY = 18 };
/* Is a token (by its fold) a cue of class cls? */
int mh_lex_cue(const mh_lexicon *lx, const char *fold, size_t n, int cls);
/* Every class a token (by its fold) is a cue of, as bits (1u << cls). */
unsigned mh_lex_cue_classes(const mh_lexicon *lx, const char *fold, size_t n);

/* The one gazetteer person whose last name has this name key, or NULL
 * (none, or several).  Static for the process. */
const char *mh_lex_surname(const mh_lexicon *lx, const char *key, size_t n);

/* ---------------- Interface to entity.c ---------------- */

/* Tags of the sequence labeller (BIO over three types). */
/* MH_TAG_MISC marks the other names of the training data (events, works,
 * nationalities, dates...): the tagger learns them apart from plain words
 * and reports them as O. */
enum { MH_TAG_O = 0, MH_TAG_BPER, MH_TAG_IPER, MH_TAG_BLOC, MH_TAG_ILOC,
       MH_TAG_BORG, MH_TAG_IORG, MH_TAG_MISC, MH_NTAGS };
#define MH_NER_ROW 8            /* weights per feature row (one per tag) */
#define MH_NER_MAXF 48          /* features per token */
#define MH_NER_DYNF 3           /* of which depend on the previous tag */

/* Word clusters learned from unlabeled text (tools/gen_clusters.c, make
 * clusters -> the generated src/ner_clusters_data.c): an open-addressing
 * table of 2^mh_ner_cluster_bits slots.  A slot holds the high 32 bits of
 * a word's hash (mh_ner_tok.h_norm; 0 = empty), its home slot being the
 * low bits, and the word's class at each of MH_NER_CLUSTER_GRAN
 * granularities (coarse first). */
#define MH_NER_CLUSTER_GRAN 2
typedef struct mh_ner_cluster {
    uint32_t key;
    uint16_t cls[MH_NER_CLUSTER_GRAN];
} mh_ner_cluster;
extern const unsigned mh_ner_cluster_bits;
extern const mh_ner_cluster mh_ner_cluster_table[];

/* Static per-token features, computed once per document. */
typedef struct mh_ner_tok {
    uint64_t h_norm, h_s3, h_apos;   /* the word, its last 3 letters, its suffix */
    uint64_t h_run;             /* the capitalised run around the token: its last
                                   word, the word before and the word after it */
    uint64_t h_run_s3, h_run_before, h_run_after;
    unsigned char runpos;       /* 0 outside a run, 1 alone, 2 first, 3 inner, 4 last */
    unsigned char runlen;       /* tokens in the run, at most 7 */
    unsigned shape;             /* small code from case, digits, inner punctuation */
    unsigned gz;                /* MH_GZ_* flags incl. run membership (bit 15: inside a run) */
    unsigned char pbefore, pafter;   /* punctuation class between tokens */
    unsigned char gapbreak;     /* the gap before holds a name-breaking mark anywhere
                                   (pbefore only sees its last character) */
    unsigned char skip;         /* lowercase: O unless the previous tag is an entity */
} mh_ner_tok;

/*
 * Prepare the static features of every token of d into toks[0..n_tokens).
 * Used by the tagger and by tools/train_ner.c, so that both see the same
 * features.
 */
void mh_ner_prepare(const mh_lexicon *lx, const mh_doc *d, mh_ner_tok *toks);
/* Feature hashes of token i: static ones into f[0..], the previous-tag
 * ones after them.  Returns the count. */
size_t mh_ner_features(const mh_doc *d, const mh_ner_tok *toks, size_t i,
                       int prev_tag, uint64_t *f);
/* May tag t follow tag prev (BIO)? */
int mh_ner_allowed(int prev, int t);
/* Does punctuation before token k (a comma, a quote, a bracket, a colon,
 * a line end) forbid a name to run on into it? */
int mh_ner_break(const mh_ner_tok *k);

/* The bytes of the serialised model: header text, then "\n\n", then a
 * little-endian payload (see entity.c).  The generated src/ner_model_data.c
 * holds the built-in one. */
extern const unsigned char mh_ner_model_data[];
extern const size_t mh_ner_model_size;

/* mh_entities_find option for evaluation: the tagger's spans only, no
 * gazetteer additions, no propagation, no capitals-line filter. */
#define MH_ENT_OPT_TAGGER_ONLY (1u << 31)

/* Private part of mh_entities. */
typedef struct mh_entities_priv {
    mh_arena arena;
    const mh_doc *doc;
    const struct mh_entities *ctx;   /* the context given to mh_entities_find */
    int32_t *tok2m;             /* per token: mention index or -1 */
    unsigned char *tags;        /* per token: the tagger's MH_TAG_* (inside tok2m's block) */
    int32_t *role_tok;          /* per mention: first token of its role or -1
                                   (inside the block of the mentions) */
    size_t n_tok;
} mh_entities_priv;

/*
 * The entities of prev's doc again, against another context (the lead's
 * names found alone, then against the body's): the same result as
 * mh_entities_find(ner, prev's doc, context, opts, out) with the ner prev
 * was found with, without running the tagger again (its tags do not
 * depend on the context).  *out refers to prev's doc, not to prev.
 * *out: caller frees with mh_entities_free.
 */
mh_err mh_entities_refind(const mh_entities *prev, const mh_entities *context, unsigned opts,
                          mh_entities **out);

/*
 * A title phrase standing for a person mentioned earlier ("Dışişleri
 * Bakanı," -> the person whose role is "Rusya Dışişleri Bakanı").  Tokens
 * [first, head] of the doc the entities were found on.  Returns the index
 * of the person mention it refers to, or -1 when none or ambiguous.
 */
long mh_entities_role_ref(const mh_entities *e, size_t first, size_t head);
/* The role of mention k, or the nearest role of the same person in e, or
 * in e's context (borrowed from e; NULL when none). */
const char *mh_entities_role_of(const mh_entities *e, size_t k, uint32_t *len);

/* ---------------- Interface to quote.c ---------------- */

/* mh_quote_key of a statement whose Turkish fold (mh_tr_fold of the
 * text) the caller has already: the same key, without folding again. */
mh_err mh_quote_key_folded(const char *fold, size_t fn, const char *speaker, size_t sn,
                           char out[33]);

#endif /* MH_LEXICON_H */
