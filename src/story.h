/*
 * story.h -- interfaces between story.c (article vectors, online story
 * clustering, in memory) and store_sqlite_story.c (its tables, the
 * after-store hook, the queries).  Not installed.
 */
#ifndef MH_STORY_H
#define MH_STORY_H

#include "internal.h"

/* ---------------- Interface to story.c ---------------- */

#define ST_VEC_MAX   40     /* features kept per article */
#define ST_CENTROID  64     /* features kept per story */
#define ST_WINDOW    2      /* days a story stays open after its last article */

/* One weighted feature: a stem ("s" space) or a name ("n" space). */
typedef struct st_feat {
    uint32_t h;
    float w;
} st_feat;

/* An article's vector: unit length, heaviest first, and the same
 * features again sorted by hash (what cosines and centroid merges walk). */
typedef struct st_vec {
    st_feat f[ST_VEC_MAX];
    st_feat hs[ST_VEC_MAX];
    uint32_t n;
    uint32_t n_names;          /* how many of f are names */
} st_vec;

/* Document frequencies (from a sample of articles) and the display form
 * of every feature seen.  Caller frees with st_terms_free. */
typedef struct st_terms st_terms;
st_terms *st_terms_new(void);
void st_terms_free(st_terms *t);
/* Count one article's distinct features, as weight articles (a sampled
 * article stands for several). */
mh_err st_terms_count(st_terms *t, const uint32_t *h, size_t n, uint32_t weight);
/* Display form of a feature, NULL when unknown.  Borrowed, valid until t
 * is freed. */
const char *st_terms_word(const st_terms *t, uint32_t h);
mh_err st_terms_set_word(st_terms *t, uint32_t h, const char *w, size_t n);

/*
 * Features of an article: the stems of its title (weight 3) and body
 * words, stop words left out, plus its names (capitalised words not at a
 * sentence start, short all-capital acronyms).  Weighted by tf-idf,
 * top ST_VEC_MAX kept, unit length.  body may be NULL.  In two steps:
 * st_bag_new counts them and does every part of the weighing that does
 * not need the document frequencies, which is pure (any thread with its
 * own analyzer); st_bag_weigh weighs them with the frequencies in t and
 * then counts the article in t (weight 1), so the article's own weights
 * use the frequencies from before it.  The bag borrows body's text: keep
 * body alive until the bag is freed.
 */
typedef struct st_bag st_bag;
mh_err st_bag_new(mh_analyzer *an, const char *title, size_t title_len, const mh_doc *body,
                  st_bag **out);
mh_err st_bag_weigh(const st_bag *b, st_terms *t, st_vec *out);
/* The bag's distinct features, for document-frequency sampling (n of
 * them; borrowed, valid until the bag is freed). */
const uint32_t *st_bag_features(const st_bag *b, size_t *n);
void st_bag_free(st_bag *b);

/* Cosine of two unit vectors given as feature lists sorted by hash. */
double st_cosine(const st_feat *a, size_t na, const st_feat *b, size_t nb);

/* The open stories in memory. */
typedef struct st_index st_index;
typedef struct st_story {
    int64_t id;
    int32_t first, last;       /* days; MH_DAY_UNKNOWN for undated stories */
    uint32_t n;                /* articles */
    st_feat *c; uint32_t nc;   /* centroid (sum of member vectors), by hash */
    double norm;
    int64_t rep; double rep_sim;
} st_story;

st_index *st_index_new(void);
void st_index_free(st_index *x);
/* Is story id in memory? */
st_story *st_index_get(st_index *x, int64_t id);
/* Put a story (loaded from storage) in memory; the centroid is copied. */
mh_err st_index_put(st_index *x, int64_t id, int32_t first, int32_t last, uint32_t n,
                    const st_feat *c, size_t nc, int64_t rep, double rep_sim);
/* The best open story for a vector on a day, or NULL; *sim its cosine. */
st_story *st_index_match(st_index *x, const st_vec *v, int32_t day, double *sim);
/* Add an article's vector to a story: centroid, days, count, representative. */
mh_err st_index_join(st_index *x, st_story *s, int64_t article, const st_vec *v, int32_t day);
/* The story an article would start: *out as st_index_join leaves an empty
 * story opened on day (id 0, nothing put in an index), so its row can be
 * written before the story has an id.  Caller frees out->c with mh_free. */
mh_err st_story_start(st_story *out, int64_t article, const st_vec *v, int32_t day);
/* Centroid features sorted by weight, heaviest first (top k into out). */
size_t st_story_top(const st_story *s, st_feat *out, size_t k);

/* Little-endian blob codecs for vectors and centroids. */
size_t st_feats_encode(const st_feat *f, size_t n, unsigned char *out);   /* 8 bytes each */
size_t st_feats_decode(const void *blob, size_t bytes, st_feat *out, size_t max);

#endif
