/*
 * test_entity.c -- entities: mentions with offsets, surface and canonical
 * names, roles, surname resolution, gazetteer types, name keys (spelling
 * variants merge), the headline context, the model files, bad input and
 * allocation failures.
 */
#include "testutil.h"
#include "lexicon.h"

#include <unistd.h>

typedef struct ents {
    mh_analyzer *an;
    char *text;
    size_t len;
    mh_doc *d;
    mh_entities *e;
} ents;

static mh_err find(ents *x, const char *s, const mh_entities *ctx)
{
    memset(x, 0, sizeof *x);
    x->an = mh_analyzer_new();
    if (!x->an)
        return MH_ENOMEM;
    mh_err e = mh_clean(s, strlen(s), MH_CLEAN_LINES, &x->text, &x->len);
    if (!e)
        e = mh_analyze(x->an, x->text, x->len, 0, &x->d);
    if (!e)
        e = mh_entities_find(NULL, x->d, ctx, 0, &x->e);
    return e;
}

static void drop(ents *x)
{
    mh_entities_free(x->e);
    mh_doc_free(x->d);
    mh_free(x->text);
    mh_analyzer_free(x->an);
}

/* The mention whose surface (with suffix) is exactly s, or NULL. */
static const mh_mention *by_surface(const ents *x, const char *s)
{
    for (size_t i = 0; i < x->e->n; i++) {
        const mh_mention *m = &x->e->m[i];
        if (m->full_end - m->start == strlen(s) && memcmp(x->d->text + m->start, s, strlen(s)) == 0)
            return m;
    }
    return NULL;
}

static void test_types(void **state)
{
    (void)state;
    assert_string_equal(mh_ent_type_name(MH_ENT_PERSON), "person");
    assert_string_equal(mh_ent_type_name(MH_ENT_PLACE), "place");
    assert_string_equal(mh_ent_type_name(MH_ENT_ORG), "org");
    assert_int_equal(mh_ent_type_parse("org", 3), MH_ENT_ORG);
    assert_int_equal(mh_ent_type_parse("organisation", 12), MH_ENT_ORG);
    assert_int_equal(mh_ent_type_parse("place", 5), MH_ENT_PLACE);
    assert_int_equal(mh_ent_type_parse("people", 6), MH_ENT_NONE);
}

/* Role in front, suffix off, surname resolved, canonical spelling. */
static void test_mentions_roles_and_names(void **state)
{
    (void)state;
    ents x;
    assert_int_equal(find(&x, "Rusya Dışişleri Bakanı Sergei Lavrov'un Ankara ziyareti sürüyor. "
                              "Lavrov, BM Genel Sekreteri Antonio Guterres ile de görüştü.", NULL),
                     MH_OK);
    const mh_mention *m = by_surface(&x, "Sergei Lavrov'un");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_PERSON);
    /* The name without its suffix, the canonical spelling of the
     * gazetteer, the role as an attribute. */
    assert_str_eq_n(x.d->text + m->start, m->end - m->start, "Sergei Lavrov");
    assert_str_eq_n(m->name, m->name_len, "Sergey Lavrov");
    assert_str_eq_n(m->role, m->role_len, "Rusya Dışişleri Bakanı");
    assert_str_eq_n(x.d->text + m->role_start, m->role_len, "Rusya Dışişleri Bakanı");
    assert_int_equal(m->n_tok, 2);
    /* The surname alone is the same person. */
    const mh_mention *s = by_surface(&x, "Lavrov");
    assert_non_null(s);
    assert_str_eq_n(s->name, s->name_len, "Sergey Lavrov");
    assert_int_equal(s->role_len, 0);
    const mh_mention *g = by_surface(&x, "Antonio Guterres");
    assert_non_null(g);
    assert_str_eq_n(g->role, g->role_len, "BM Genel Sekreteri");
    const mh_mention *bm = by_surface(&x, "BM");
    assert_non_null(bm);
    assert_int_equal(bm->type, MH_ENT_ORG);
    const mh_mention *an = by_surface(&x, "Ankara");
    assert_non_null(an);
    assert_int_equal(an->type, MH_ENT_PLACE);
    /* Mentions are in text order and within the text. */
    for (size_t i = 0; i < x.e->n; i++) {
        assert_true(x.e->m[i].start < x.e->m[i].end && x.e->m[i].end <= x.e->m[i].full_end);
        assert_true(x.e->m[i].full_end <= x.d->text_len);
        if (i)
            assert_true(x.e->m[i - 1].start < x.e->m[i].start);
    }
    drop(&x);
}

/* A surname refers to the full name given later in the article too, and
 * a name the tagger saw once is found everywhere. */
static void test_one_sense_per_article(void **state)
{
    (void)state;
    ents x;
    assert_int_equal(find(&x, "Zeynep Karaca bugün açıklama yaptı. Yatırımcılar Karaca'nın "
                              "sözlerini bekliyordu. Karaca yarın Bursa'ya gidecek.", NULL),
                     MH_OK);
    const mh_mention *a = by_surface(&x, "Karaca'nın");
    const mh_mention *b = by_surface(&x, "Karaca");
    assert_non_null(a);
    assert_non_null(b);
    assert_str_eq_n(a->name, a->name_len, "Zeynep Karaca");
    assert_str_eq_n(b->name, b->name_len, "Zeynep Karaca");
    drop(&x);
}

/* Where a capital says nothing (first in a sentence or a quotation), a
 * word with a possessive of "we" is a common noun; a quoted name before
 * a noun of a work (füzesi, operasyonu) is a title, not a person. */
static void test_common_nouns_and_works(void **state)
{
    (void)state;
    ents x;
    assert_int_equal(find(&x, "Sözcü Ayla Demir, \"Diplomatlarımız, önümüzdeki hafta "
                              "Cenevre'de olacak\" dedi. Rusya, hipersonik \"Kinjal\" "
                              "füzesini Ukrayna'ya karşı kullandı.", NULL), MH_OK);
    assert_null(by_surface(&x, "Diplomatlarımız"));
    assert_null(by_surface(&x, "Kinjal"));
    /* The names around them are still found. */
    const mh_mention *p = by_surface(&x, "Ayla Demir");
    assert_non_null(p);
    assert_int_equal(p->type, MH_ENT_PERSON);
    assert_non_null(by_surface(&x, "Cenevre'de"));
    assert_non_null(by_surface(&x, "Ukrayna'ya"));
    drop(&x);
}

/* Words that make a name an organisation's (name_heads.txt), and one
 * capitalised word where a capital says nothing that is no name: a head
 * word alone, or a word an article never uses as a name elsewhere.
 * Names of the gazetteers and surnames given in full stay. */
static void test_heads_and_lone_words(void **state)
{
    (void)state;
    ents x;
    assert_int_equal(find(&x, "Yatırımcılar bu hafta Mavi Deniz Katılım hisselerine yöneldi. "
                              "Banka, yeni kredi paketini duyurdu. Ayşe Kaya kararı değerlendirdi. "
                              "Elbette belirsizlik sürüyor. Kaya, Ankara'da konuştu.", NULL), MH_OK);
    const mh_mention *o = by_surface(&x, "Mavi Deniz Katılım");
    assert_non_null(o);
    assert_int_equal(o->type, MH_ENT_ORG);
    assert_null(by_surface(&x, "Banka"));
    assert_null(by_surface(&x, "Elbette"));
    const mh_mention *k = by_surface(&x, "Kaya");
    assert_non_null(k);
    assert_str_eq_n(k->name, k->name_len, "Ayşe Kaya");
    assert_non_null(by_surface(&x, "Ankara'da"));
    drop(&x);
}

/* Words beside a name that say it is an organisation's (name_heads.txt
 * [org-before], [org-after]) and a place-tagged name whose last word is
 * one (Konservatuvarı); a person with a genitive or a given name, a
 * nationality and a place of the gazetteers are left as they are; a
 * text without apostrophes gets no names from cues. */
static void test_cues(void **state)
{
    (void)state;
    ents x;
    assert_int_equal(find(&x, "Sabah saatlerinde yazılım şirketi Teraflux Sistem yeni ürününü "
                              "tanıttı. Yeni rapora göre Kolvar analistleri yükseliş bekliyor. "
                              "Zeynep Arıkan'ın hisseleri de arttı. Ortaklar bu şirketi Ahmet "
                              "Yurt'a devretti. Geçen yıl şirketi Amerikan yatırım firması satın "
                              "almıştı. Genç piyanist Lizbon Konservatuvarı'nda okudu. Sovyetler "
                              "Birliği döneminde kent büyüdü.", NULL), MH_OK);
    const mh_mention *m = by_surface(&x, "Teraflux Sistem");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_ORG);
    m = by_surface(&x, "Kolvar");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_ORG);
    m = by_surface(&x, "Zeynep Arıkan'ın");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_PERSON);
    m = by_surface(&x, "Ahmet Yurt'a");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_PERSON);
    assert_null(by_surface(&x, "Amerikan"));
    m = by_surface(&x, "Lizbon Konservatuvarı'nda");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_ORG);
    m = by_surface(&x, "Sovyetler Birliği");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_PLACE);
    drop(&x);

    /* A noun before two or three capitalised words that names a
     * person's occupation or kin. */
    assert_int_equal(find(&x, "Ev hanımı Büşra Naz Kavak da \"Çok mutluyuz\" diyerek Bakan "
                              "Demir'e teşekkür etti.", NULL), MH_OK);
    m = by_surface(&x, "Büşra Naz Kavak");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_PERSON);
    drop(&x);

    /* The age in brackets after a name: the surname before it is the
     * person's, and names the person later. */
    assert_int_equal(find(&x, "Bakan Demir esnafı ziyaret etti. Esnaf ziyaretinde Ahmet Remzi "
                              "Kuyucuoğulları (73), Bakan Demir'in yanına gelip teşekkür etti. "
                              "Bakan Demir'e sarılan Kuyucuoğulları, evinden memnun olduğunu "
                              "söyledi.", NULL), MH_OK);
    m = by_surface(&x, "Ahmet Remzi Kuyucuoğulları");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_PERSON);
    m = by_surface(&x, "Kuyucuoğulları");
    assert_non_null(m);
    assert_str_eq_n(m->name, m->name_len, "Ahmet Remzi Kuyucuoğulları");
    drop(&x);

    /* A company's name ends where its chairman's title begins. */
    assert_int_equal(find(&x, "Konut piyasası hareketli. Vermann Holding Yönetim Kurulu Başkanı "
                              "Selman Özgün, sahada talep olduğunu söyledi.", NULL), MH_OK);
    m = by_surface(&x, "Vermann Holding");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_ORG);
    m = by_surface(&x, "Selman Özgün");
    assert_non_null(m);
    assert_str_eq_n(m->role, m->role_len, "Vermann Holding Yönetim Kurulu Başkanı");
    drop(&x);

    /* An abbreviation in brackets after an organisation's name is a
     * mention of it, here and later. */
    assert_int_equal(find(&x, "Konut satışları arttı. Türkiye Emlak Müşavirleri Derneği (TEMDER) "
                              "Genel Başkanı Hakan Akdoğan, satışların arttığını söyledi. TEMDER "
                              "verilerine göre fiyatlar da yükseldi.", NULL), MH_OK);
    size_t abbr = 0;
    for (size_t i = 0; i < x.e->n; i++) {
        const mh_mention *a = &x.e->m[i];
        if (a->end - a->start == 6 && memcmp(x.d->text + a->start, "TEMDER", 6) == 0) {
            assert_int_equal(a->type, MH_ENT_ORG);
            assert_str_eq_n(a->name, a->name_len, "Türkiye Emlak Müşavirleri Derneği");
            abbr++;
        }
    }
    assert_int_equal(abbr, 2);
    drop(&x);

    /* A ministry's joined name is whole; its head word alone stands for
     * it. */
    assert_int_equal(find(&x, "Dün Tarım ve Orman Bakanlığı yeni raporu yayımladı. Raporda "
                              "ihracatın arttığı belirtildi. Üreticiler, Bakanlık'ın desteğiyle "
                              "yeni pazarlara açıldı.", NULL), MH_OK);
    m = by_surface(&x, "Tarım ve Orman Bakanlığı");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_ORG);
    m = by_surface(&x, "Bakanlık'ın");
    assert_non_null(m);
    assert_str_eq_n(m->name, m->name_len, "Tarım ve Orman Bakanlığı");
    drop(&x);

    /* The tagger calls this one a place, by its first word. */
    assert_int_equal(find(&x, "21 yaşındayken sonradan Varşova Konservatuvarı'na dönüşecek bir "
                              "okula kaydoldu.", NULL), MH_OK);
    m = by_surface(&x, "Varşova Konservatuvarı'na");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_ORG);
    drop(&x);

    assert_int_equal(find(&x, "Yeni rapora gore Kolvar analistleri yukselis bekliyor.", NULL),
                     MH_OK);
    m = by_surface(&x, "Kolvar");
    assert_true(!m || m->type != MH_ENT_ORG);
    drop(&x);
}

/* The tagger's tags of x set by hand: O everywhere, then one span of n
 * tokens of tag b (B-) from the token that starts with word, for each
 * (word, n, b) given; the rules then run on them (mh_entities_refind),
 * so that a test of a rule does not depend on the model. */
typedef struct forced { const char *word; size_t n; int b; } forced;

static mh_entities *retag(const ents *x, const forced *sp, size_t nsp)
{
    unsigned char *tags = x->e->priv->tags;
    memset(tags, MH_TAG_O, x->d->n_tokens);
    for (size_t i = 0; i < nsp; i++) {
        size_t k = 0, wl = strlen(sp[i].word);
        while (k < x->d->n_tokens &&
               (x->d->tokens[k].full_end - x->d->tokens[k].start < wl ||
                memcmp(x->d->text + x->d->tokens[k].start, sp[i].word, wl) != 0))
            k++;
        assert_true(k + sp[i].n <= x->d->n_tokens);
        tags[k] = (unsigned char)sp[i].b;
        for (size_t j = 1; j < sp[i].n; j++)
            tags[k + j] = (unsigned char)(sp[i].b + 1);
    }
    mh_entities *out = NULL;
    assert_int_equal(mh_entities_refind(x->e, NULL, 0, &out), MH_OK);
    return out;
}

/* The mention of e whose surface (with suffix) is exactly s, or NULL. */
static const mh_mention *in_surface(const ents *x, const mh_entities *e, const char *s)
{
    for (size_t i = 0; i < e->n; i++) {
        const mh_mention *m = &e->m[i];
        if (m->full_end - m->start == strlen(s) && memcmp(x->d->text + m->start, s, strlen(s)) == 0)
            return m;
    }
    return NULL;
}

/* Nouns after a name that say what it names (name_heads.txt
 * [place-after], [club-after]) and head words that end a run after a
 * name ([org]), on tags set by hand. */
static void test_units_clubs_heads(void **state)
{
    (void)state;
    ents x;
    /* A unit noun inside a place ends it, and one at its end is no part
     * of it. */
    assert_int_equal(find(&x, "Yazır köyü, Tokat ilinin Zile ilçesine bağlıdır; adı Yazır'dır.",
                          NULL), MH_OK);
    static const forced joined[] = { { "Tokat", 4, MH_TAG_BLOC } };
    mh_entities *e = retag(&x, joined, 1);
    const mh_mention *m = in_surface(&x, e, "Tokat");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_PLACE);
    m = in_surface(&x, e, "Zile");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_PLACE);
    assert_null(in_surface(&x, e, "Zile ilçesine"));
    mh_entities_free(e);

    /* A person before a unit noun is a place; a free capitalised word
     * before one is a place too. */
    static const forced person[] = { { "Tokat", 1, MH_TAG_BLOC }, { "Zile", 1, MH_TAG_BPER } };
    e = retag(&x, person, 2);
    m = in_surface(&x, e, "Zile");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_PLACE);
    mh_entities_free(e);
    static const forced free_word[] = { { "Tokat", 1, MH_TAG_BLOC } };
    e = retag(&x, free_word, 1);
    m = in_surface(&x, e, "Zile");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_PLACE);
    mh_entities_free(e);
    drop(&x);

    /* Before a plural unit noun, the names listed are places too. */
    assert_int_equal(find(&x, "Vadide Kırcalı, Tozluca ve Ardıçlı kasabaları bulunur.", NULL),
                     MH_OK);
    static const forced listed[] = { { "Kırcalı", 1, MH_TAG_BPER },
                                     { "Tozluca", 1, MH_TAG_BPER },
                                     { "Ardıçlı", 1, MH_TAG_BPER } };
    e = retag(&x, listed, 3);
    static const char *const towns[] = { "Kırcalı", "Tozluca", "Ardıçlı" };
    for (size_t i = 0; i < 3; i++) {
        m = in_surface(&x, e, towns[i]);
        assert_non_null(m);
        assert_int_equal(m->type, MH_ENT_PLACE);
    }
    mh_entities_free(e);
    drop(&x);

    /* A place the gazetteers do not know before a club's noun is the
     * club; a country stays a place ("Türkiye takımı" is its national
     * side, named by the country). */
    assert_int_equal(find(&x, "Kaleci, kariyerine Şili'nin Velarca takımında başladı; sonra "
                              "Türkiye takımına çağrıldı.", NULL), MH_OK);
    static const forced club[] = { { "Şili'nin", 1, MH_TAG_BLOC },
                                   { "Velarca", 1, MH_TAG_BLOC },
                                   { "Türkiye", 1, MH_TAG_BLOC } };
    e = retag(&x, club, 3);
    m = in_surface(&x, e, "Velarca");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_ORG);
    m = in_surface(&x, e, "Türkiye");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_PLACE);
    mh_entities_free(e);
    drop(&x);

    /* Capitalised words ending in a head word after a person's name the
     * tagger ended early: the name of a body named after the person. */
    assert_int_equal(find(&x, "Dansçı 1994'te Nermin Tuna Dance Group'a katıldı.", NULL), MH_OK);
    static const forced head[] = { { "Nermin", 2, MH_TAG_BPER } };
    e = retag(&x, head, 1);
    m = in_surface(&x, e, "Nermin Tuna Dance Group'a");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_ORG);
    mh_entities_free(e);
    drop(&x);

    /* A noun before a name says it is a body's also across "olan". */
    assert_int_equal(find(&x, "Birim 2006'da, şirketin yan kuruluşu olan Vexor'a devredildi.",
                          NULL), MH_OK);
    static const forced olan[] = { { "Vexor'a", 1, MH_TAG_BLOC } };
    e = retag(&x, olan, 1);
    m = in_surface(&x, e, "Vexor'a");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_ORG);
    mh_entities_free(e);
    drop(&x);

    /* A gazetteer's name (a newspaper) before the head of a square's
     * name is part of that name ([facility]); alone it is the name. */
    assert_int_equal(find(&x, "Tören dün Cumhuriyet Meydanı'nda yapıldı; haberi Cumhuriyet "
                              "verdi.", NULL), MH_OK);
    e = retag(&x, NULL, 0);
    assert_null(in_surface(&x, e, "Cumhuriyet Meydanı'nda"));
    assert_int_equal(e->n, 1);
    m = &e->m[0];
    assert_int_equal(m->type, MH_ENT_ORG);
    assert_true(m->start > x.d->tokens[3].start);
    mh_entities_free(e);
    drop(&x);
}

/* Words that look like names and are not (name_heads.txt [not-name],
 * [not-after], [common]), also when the same word is a name elsewhere
 * in the text. */
static void test_words_not_names(void **state)
{
    (void)state;
    ents x;
    assert_int_equal(find(&x, "Sabah saatlerinde dolar 34 TL seviyesine çıktı. Ramazan ayında "
                              "harcamalar arttı. Karar yarın açıklanacak. Sabah gazetesinin "
                              "haberine göre Ramazan Kılıç istifa etti. Bu, Sabah'ın manşetiydi.",
                          NULL), MH_OK);
    assert_null(by_surface(&x, "TL"));
    assert_null(by_surface(&x, "Karar"));
    for (size_t i = 0; i < x.e->n; i++) {
        const mh_mention *m = &x.e->m[i];
        /* No one-word "Ramazan" (the month) and no "Sabah" at offset 0
         * (the morning). */
        assert_false(m->end - m->start == strlen("Ramazan") &&
                     memcmp(x.d->text + m->start, "Ramazan", 7) == 0);
        assert_true(m->start != 0);
    }
    const mh_mention *m = by_surface(&x, "Sabah");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_ORG);
    assert_non_null(by_surface(&x, "Sabah'ın"));
    m = by_surface(&x, "Ramazan Kılıç");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_PERSON);
    drop(&x);
}

/* A name inside the name of a treaty or a law, or the law's abbreviation
 * in brackets, is no mention of a place or a body; a body whose full name
 * holds such a word stays one. */
static void test_law_names(void **state)
{
    (void)state;
    ents x;
    assert_int_equal(find(&x, "Bakan, Paris İklim Anlaşması'nın hedeflerine uyulacağını söyledi. "
                              "Heyet, Orta Menzilli Nükleer Kuvvetler Antlaşması'nın (INF) yeniden "
                              "ele alınmasını istedi. Yetkili, Kyoto Protokolü'nü hatırlattı. "
                              "Kuzey Atlantik Antlaşması Örgütü toplantısı Brüksel'de yapıldı. "
                              "Paris'te ise gösteriler sürdü.",
                          NULL), MH_OK);
    assert_null(by_surface(&x, "Paris"));
    assert_null(by_surface(&x, "INF"));
    assert_null(by_surface(&x, "Kyoto"));
    const mh_mention *m = by_surface(&x, "Paris'te");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_PLACE);
    m = by_surface(&x, "Kuzey Atlantik Antlaşması Örgütü");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_ORG);
    drop(&x);
}

/* A pronoun that opens speech whose quote marks the page lost ("...
 * Arıkan, Ben tüm ...") is no one's name; the speaker is. */
static void test_pronouns(void **state)
{
    (void)state;
    ents x;
    assert_int_equal(find(&x, "Gazetemize konuşan Selim Arıkan, Ben tüm şubeleri gezip bilgi "
                              "alırım dedi. Tarlada bekleyen Nuri Kaya, Biz de ürünü geç topladık diye "
                              "anlattı.", NULL), MH_OK);
    for (size_t i = 0; i < x.e->n; i++) {
        const mh_mention *m = &x.e->m[i];
        const char *s = x.d->text + m->start;
        if (memcmp(s, "Ben", 3) == 0 || memcmp(s, "Biz", 3) == 0)
            fail_msg("a pronoun taken for a name: %.*s", (int)(m->end - m->start), s);
    }
    assert_non_null(by_surface(&x, "Selim Arıkan"));
    assert_non_null(by_surface(&x, "Nuri Kaya"));
    drop(&x);
}

/* Hyphen-joined parts of one or two letters ("Ar-Ge") name no one. */
static void test_short_parts(void **state)
{
    (void)state;
    ents x;
    assert_int_equal(find(&x, "Şirketin Ar-Ge harcamaları geçen yıl arttı. Yeni AR-GE merkezi "
                              "Ankara'da açıldı; Ar-Ge ekibi 40 kişi.", NULL), MH_OK);
    for (size_t i = 0; i < x.e->n; i++) {
        const mh_mention *m = &x.e->m[i];
        const char *t = x.d->text + m->start;
        if ((t[0] == 'A' && (t[1] == 'r' || t[1] == 'R')) || (t[0] == 'G' && m->end - m->start <= 3))
            fail_msg("a mention %.*s", (int)(m->end - m->start), t);
    }
    assert_non_null(by_surface(&x, "Ankara'da"));
    drop(&x);
}

/* An occupation or kin noun first in a sentence is no part of the
 * person's name after it. */
static void test_occupation_first(void **state)
{
    (void)state;
    ents x;
    assert_int_equal(find(&x, "Çiftçi Nuri Kaya, ürünü geç topladığını söyledi. Emekli Ayşe "
                              "Demir de toplantıya katıldı.", NULL), MH_OK);
    const mh_mention *m = by_surface(&x, "Nuri Kaya");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_PERSON);
    m = by_surface(&x, "Ayşe Demir");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_PERSON);
    drop(&x);
}

/* A name whose ending is glued to its capitals ("ABDnin", scraped pages
 * lose apostrophes) is the name the gazetteers know, not a person. */
static void test_glued_endings(void **state)
{
    (void)state;
    ents x;
    assert_int_equal(find(&x, "Uzmanlar ABDnin kararını ve TPAOnun açıklamasını yorumladı. "
                              "Heyet TBMMde görüştü.", NULL), MH_OK);
    const mh_mention *m = by_surface(&x, "ABDnin");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_PLACE);
    assert_str_eq_n(m->name, m->name_len, "ABD");
    m = by_surface(&x, "TBMMde");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_ORG);
    m = by_surface(&x, "TPAOnun");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_ORG);
    drop(&x);
}

/* Likewise the name of a conference, a summit, a championship or a
 * fair: "Karadeniz Enerjisi" in the conference's name is no body. */
static void test_event_names(void **state)
{
    (void)state;
    ents x;
    assert_int_equal(find(&x, "Bakan, Bükreş'te düzenlenen 5. Karadeniz Enerjisi Uluslararası "
                              "Konferansı'nın ardından konuştu. Heyet, Doğu Akdeniz Liderler "
                              "Zirvesi'ne katılacak. İzmir Enternasyonal Fuarı yarın açılıyor.",
                          NULL), MH_OK);
    for (size_t i = 0; i < x.e->n; i++) {
        const mh_mention *m = &x.e->m[i];
        assert_true(m->type == MH_ENT_PLACE);
        assert_true(memcmp(x.d->text + m->start, "Karadeniz", 9) != 0);
        assert_true(memcmp(x.d->text + m->start, "Doğu Akdeniz", strlen("Doğu Akdeniz")) != 0);
        assert_true(memcmp(x.d->text + m->start, "İzmir", strlen("İzmir")) != 0);
    }
    const mh_mention *m = by_surface(&x, "Bükreş'te");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_PLACE);
    drop(&x);
}

/* Places joined by a hyphen are two places; a plural opening the
 * sentence is no part of the name after it. */
static void test_joined_places(void **state)
{
    (void)state;
    ents x;
    assert_int_equal(find(&x, "Trump, Rusya-Ukrayna savaşını sona erdirmek istiyor. Vatandaşlar "
                              "Kadıköy-Eminönü seferi için 49 lira ödeyecek.", NULL), MH_OK);
    static const char *const places[] = { "Rusya", "Ukrayna", "Kadıköy", "Eminönü" };
    for (size_t i = 0; i < 4; i++) {
        const mh_mention *m = by_surface(&x, places[i]);
        assert_non_null(m);
        assert_int_equal(m->type, MH_ENT_PLACE);
    }
    for (size_t i = 0; i < x.e->n; i++)
        assert_true(x.d->text[x.e->m[i].start] != 'V');
    drop(&x);
    /* Also with a case ending after the plural. */
    assert_int_equal(find(&x, "Gençlik ve Spor Bakanlığı kampı düzenledi. Kampta pek çok etkinlik "
                              "yapıldı. Etkinliklere Bakanlık bünyesindeki kurumlar da katıldı.",
                          NULL), MH_OK);
    for (size_t i = 0; i < x.e->n; i++)
        assert_true(x.d->text[x.e->m[i].start] != 'E');
    drop(&x);
}

/* One word with a capital inside is a brand, not a person, in an
 * article that does not introduce it as one; a person's surname stays a
 * person's. */
static void test_brands(void **state)
{
    (void)state;
    ents x;
    assert_int_equal(find(&x, "Piyasalarda hareketli bir gün yaşandı ve endeksler yükseldi. "
                              "Yatırımcıların ilgisi dün NovaPay üzerinde yoğunlaştı ve fiyatlar "
                              "gün boyunca dalgalı bir seyir izledi. Ekonomist Deniz Karaca, "
                              "piyasanın önümüzdeki haftalarda toparlanacağını söyledi. Analistler "
                              "NovaPay için yeni raporlar hazırlıyor ve yıl sonu hedeflerini "
                              "gözden geçiriyor. Karaca, yarın yeni bir değerlendirme yapacağını "
                              "belirtti.", NULL),
                     MH_OK);
    for (size_t i = 0; i < x.e->n; i++) {
        const mh_mention *m = &x.e->m[i];
        if (m->end - m->start == strlen("NovaPay") &&
            memcmp(x.d->text + m->start, "NovaPay", 7) == 0)
            assert_int_equal(m->type, MH_ENT_ORG);
    }
    const mh_mention *k = by_surface(&x, "Karaca");
    assert_non_null(k);
    assert_int_equal(k->type, MH_ENT_PERSON);
    drop(&x);
}

/* One sense per article leans on evidence: a company that a noun in
 * apposition shows to be one ("şirketi Wirecard") stays one, and makes
 * the same word alone elsewhere ("Wirecard, ...") one too, instead of
 * both turning into a person's name by the tagger's guess for the
 * second. */
static void test_one_sense_by_cue(void **state)
{
    (void)state;
    ents x;
    assert_int_equal(find(&x, "Alman teknoloji şirketi Wirecard, 1,9 milyar euroluk skandalın "
                              "ardından iflas başvurusunda bulundu. Wirecard, yolsuzluk olayının "
                              "ardından değer kaybetti.", NULL), MH_OK);
    size_t seen = 0;
    for (size_t i = 0; i < x.e->n; i++) {
        const mh_mention *m = &x.e->m[i];
        if (m->end - m->start == 8 && memcmp(x.d->text + m->start, "Wirecard", 8) == 0) {
            assert_int_equal(m->type, MH_ENT_ORG);
            seen++;
        }
    }
    assert_int_equal(seen, 2);
    drop(&x);
}

/* An organisation's name whose head word carries its case ending without
 * an apostrophe is named without it ("Bankasına" -> "Bankası"); a head
 * that may have softened before the ending (Grubun) is left as written. */
static void test_org_case_endings(void **state)
{
    (void)state;
    ents x;
    assert_int_equal(find(&x, "Ankara'da piyasalar hareketliydi. Müşteriler dün Silikon Vadisi "
                              "Bankasına hücum etti. Sabancı Holdingin karı arttı. Bayraktar "
                              "İnşaatın patronu konuştu. Doğan Grubun hisseleri düştü.", NULL),
                     MH_OK);
    static const char *const pairs[][2] = {
        { "Silikon Vadisi Bankasına", "Silikon Vadisi Bankası" },
        { "Sabancı Holdingin", "Sabancı Holding" },
        { "Bayraktar İnşaatın", "Bayraktar İnşaat" },
        { "Doğan Grubun", "Doğan Grubun" },
    };
    for (size_t i = 0; i < MH_ARRAY_LEN(pairs); i++) {
        const mh_mention *m = by_surface(&x, pairs[i][0]);
        assert_non_null(m);
        assert_int_equal(m->type, MH_ENT_ORG);
        assert_str_eq_n(m->name, m->name_len, pairs[i][1]);
    }
    drop(&x);
}

/* A country before "Merkez Bankası" is part of the name: "Çin Merkez
 * Bankası" is not the Turkish central bank (TCMB) that "Merkez Bankası"
 * alone names.  An organisation's name does not run on into the
 * lowercase words after it ("TOKİ indirim", "Wells Fargo uzmanları"). */
static void test_org_edges(void **state)
{
    (void)state;
    ents x;
    assert_int_equal(find(&x, "Küresel piyasalarda, ABD Merkez Bankası'nın (Fed) faiz indirimine "
                              "gideceği beklentisi arttı. Çin Merkez Bankası, dijital para "
                              "birimlerinin tanıtımını yaptı. İşte, TOKİ indirim kampanyası "
                              "başvuruları başladı. Finansal hizmetler şirketi Wells Fargo "
                              "uzmanları, geçtiğimiz hafta raporu yayımladı.", NULL), MH_OK);
    static const char *const whole[] = { "ABD Merkez Bankası'nın", "Çin Merkez Bankası", "TOKİ",
                                         "Wells Fargo" };
    for (size_t i = 0; i < MH_ARRAY_LEN(whole); i++) {
        const mh_mention *m = by_surface(&x, whole[i]);
        assert_non_null(m);
        assert_int_equal(m->type, MH_ENT_ORG);
    }
    for (size_t i = 0; i < x.e->n; i++)
        assert_false(x.e->m[i].name_len == 4 && memcmp(x.e->m[i].name, "TCMB", 4) == 0);
    /* ... and the joined names are the banks the gazetteers know. */
    const mh_mention *fed = by_surface(&x, "ABD Merkez Bankası'nın");
    assert_str_eq_n(fed->name, fed->name_len, "Fed");
    const mh_mention *pboc = by_surface(&x, "Çin Merkez Bankası");
    assert_str_eq_n(pboc->name, pboc->name_len, "PBoC");
    drop(&x);
    /* Also a place no span took before a run of capitals. */
    assert_int_equal(find(&x, "Ankara'da toplantı yapıldı. Dünyanın en büyük varlık fonu olan "
                              "Norveç Varlık Fonu, yatırım kararını açıkladı.", NULL), MH_OK);
    assert_non_null(by_surface(&x, "Norveç Varlık Fonu"));
    assert_null(by_surface(&x, "Varlık Fonu"));
    drop(&x);
    /* Two bodies joined by "ve" when the first is one the gazetteers
     * know. */
    assert_int_equal(find(&x, "İlk etapta 5 bin konutla halka arzı başlatacağız. Türkiye'nin "
                              "farklı alanlarında projeyi genişleteceğiz. TOKİ ve Emlak Konut "
                              "garantisi altında olacak.", NULL), MH_OK);
    assert_non_null(by_surface(&x, "TOKİ"));
    assert_non_null(by_surface(&x, "Emlak Konut"));
    drop(&x);
    /* A legal form's dot is the name's; courts are bodies. */
    assert_int_equal(find(&x, "Ankara'da imza töreni yapıldı. Verusa Holding A.Ş. ile Menulux "
                              "Yazılım A.Ş. anlaştı. Temyiz Mahkemesi kararı bozdu.", NULL),
                     MH_OK);
    const mh_mention *m = by_surface(&x, "Verusa Holding A.Ş.");
    assert_non_null(m);
    assert_str_eq_n(m->name, m->name_len, "Verusa Holding A.Ş.");
    m = by_surface(&x, "Temyiz Mahkemesi");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_ORG);
    drop(&x);
}

/* Names of things that are no person, place or body: a stock index with
 * its number ("BIST 100"), a month with a case ending glued on
 * ("Temmuza"); and a trade's noun alone is no place ("Mobilya'da"). */
static void test_thing_names(void **state)
{
    (void)state;
    ents x;
    assert_int_equal(find(&x, "Piyasalarda hareketli bir gün yaşandı. Borsa İstanbul'da BIST 100 "
                              "endeksi güne yüzde 0,2 yükselişle başladı. İngiltere'de FTSE 100 "
                              "endeksi de yükseldi. Enflasyon Temmuza kıyasla geriledi. Doğanlar "
                              "Mobilya'da bayram değişimi yaşanıyor.", NULL), MH_OK);
    const mh_mention *m = by_surface(&x, "Borsa İstanbul'da");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_ORG);
    assert_non_null(by_surface(&x, "İngiltere'de"));
    assert_null(by_surface(&x, "BIST"));
    assert_null(by_surface(&x, "FTSE"));
    assert_null(by_surface(&x, "Temmuza"));
    for (size_t i = 0; i < x.e->n; i++)
        assert_false(x.e->m[i].type == MH_ENT_PLACE &&
                     memcmp(x.d->text + x.e->m[i].start, "Mobilya", 7) == 0);
    drop(&x);
}

/* A company named by its owner's name and its trade (name_heads.txt
 * [org]: "Tekstil", "Mobilya", "İnşaat", "Finance") is an organisation. */
static void test_trade_heads(void **state)
{
    (void)state;
    ents x;
    assert_int_equal(find(&x, "Ankara'da fuar açıldı. Ercem Tekstil, üretimi artırdı. Reclaim "
                              "Finance, raporu yayımladı.", NULL), MH_OK);
    const mh_mention *m = by_surface(&x, "Ercem Tekstil");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_ORG);
    /* ... and so do English ones (Finance, Energy, Partners). */
    m = by_surface(&x, "Reclaim Finance");
    assert_non_null(m);
    assert_int_equal(m->type, MH_ENT_ORG);
    drop(&x);
}

/* A word capitalised only because it opens a sentence is a common noun
 * when the article writes its stem in lowercase, in another form
 * ("Tebliğle ..." and "tebliğ", "Kampanyadan ..." and "kampanyanın"). */
static void test_common_by_stem(void **state)
{
    (void)state;
    ents x;
    assert_int_equal(find(&x, "Ankara'da yeni düzenleme açıklandı. Bakanlık yeni bir tebliğ "
                              "yayımladı. Tebliğle, aynı dönemde vergi oranları değişti. "
                              "Kampanyadan yararlanmak isteyenler başvurdu. Süre uzatıldı ve "
                              "kampanyanın şartları açıklandı. BAŞVURU NASIL YAPILACAK?Kampanyadan "
                              "yararlanmak için e-Devlet kullanılacak.", NULL), MH_OK);
    assert_null(by_surface(&x, "Tebliğle"));
    assert_null(by_surface(&x, "Kampanyadan"));
    assert_non_null(by_surface(&x, "Ankara'da"));
    drop(&x);
}

/* Gazetteer entries under [rules] are the rules' only: the tagger's
 * features see the lists it was trained with, so `make model` gives the
 * same model however the lists grow. */
static void test_rules_entries(void **state)
{
    (void)state;
    const mh_lexicon *lx = mh_lexicon_get();
    assert_non_null(lx);
    mh_analyzer *an = mh_analyzer_new();
    mh_doc *d;
    static const char text[] = "Apple ve Alphabet";
    assert_int_equal(mh_analyze(an, text, strlen(text), MH_AN_NOSTEM, &d), MH_OK);
    unsigned fl;
    /* Apple was listed before the model was trained, Alphabet after. */
    assert_int_equal(mh_lex_match(lx, d, 0, MH_GZ_MAXTOK, &fl, NULL), 1);
    assert_true(fl & MH_GZ_ORG);
    assert_int_equal(mh_lex_match_features(lx, d, 0, MH_GZ_MAXTOK, &fl), 1);
    assert_true(fl & MH_GZ_ORG);
    assert_int_equal(mh_lex_match(lx, d, 2, MH_GZ_MAXTOK, &fl, NULL), 1);
    assert_true(fl & MH_GZ_ORG);
    assert_int_equal(mh_lex_match_features(lx, d, 2, MH_GZ_MAXTOK, &fl), 0);
    mh_doc_free(d);
    mh_analyzer_free(an);
}

/* All-caps headings keep only names known elsewhere. */
static void test_capitals_lines(void **state)
{
    (void)state;
    ents x;
    assert_int_equal(find(&x, "LAVROV, GUTERRES İLE GÖRÜŞTÜ\n\nRusya Dışişleri Bakanı Sergey "
                              "Lavrov, Antonio Guterres ile bir araya geldi.", NULL), MH_OK);
    const mh_mention *l = by_surface(&x, "LAVROV");
    const mh_mention *g = by_surface(&x, "GUTERRES");
    assert_non_null(l);
    assert_non_null(g);
    assert_str_eq_n(l->name, l->name_len, "Sergey Lavrov");
    assert_int_equal(g->type, MH_ENT_PERSON);
    assert_null(by_surface(&x, "GÖRÜŞTÜ"));
    drop(&x);

    /* A heading's capitals are not the name's spelling; a sentence's are
     * (an acronym), even where the text also writes it otherwise. */
    assert_int_equal(find(&x, "KARADENİZ'DE YENİ DÖNEM BAŞLIYOR\n\nKonut projesini TOKİ "
                              "üstlendi. Toki'nin ihalesi Karadeniz'de yapıldı.", NULL), MH_OK);
    const mh_mention *k = by_surface(&x, "KARADENİZ'DE");
    const mh_mention *t = by_surface(&x, "TOKİ");
    assert_non_null(k);
    assert_non_null(t);
    assert_str_eq_n(k->name, k->name_len, "Karadeniz");
    assert_str_eq_n(t->name, t->name_len, "TOKİ");
    drop(&x);
}

/* A headline resolves its names against the body. */
static void test_context(void **state)
{
    (void)state;
    ents body, title;
    assert_int_equal(find(&body, "Kremlin Sözcüsü Dmitriy Peskov açıklama yaptı.", NULL), MH_OK);
    assert_int_equal(find(&title, "Peskov'dan yeni açıklama", body.e), MH_OK);
    const mh_mention *p = by_surface(&title, "Peskov'dan");
    assert_non_null(p);
    assert_str_eq_n(p->name, p->name_len, "Dmitriy Peskov");
    drop(&title);
    drop(&body);
}

static void key_is(const char *name, const char *want)
{
    char *k = NULL;
    size_t n;
    assert_int_equal(mh_entity_key(name, strlen(name), &k, &n), MH_OK);
    assert_str_eq_n(k, n, want);
    mh_free(k);
}

static int same_key(const char *a, const char *b)
{
    char *ka, *kb;
    assert_int_equal(mh_entity_key(a, strlen(a), &ka, NULL), MH_OK);
    assert_int_equal(mh_entity_key(b, strlen(b), &kb, NULL), MH_OK);
    int same = strcmp(ka, kb) == 0;
    mh_free(ka);
    mh_free(kb);
    return same;
}

static void test_keys(void **state)
{
    (void)state;
    assert_true(same_key("Sergey Lavrov", "Sergei Lavrov"));
    assert_true(same_key("Kiev", "Kyiv"));
    assert_true(same_key("Volodimir Zelenskiy", "Volodymyr Zelenskyy"));
    assert_true(same_key("Mariya Zaharova", "Maria Zakharova"));
    assert_true(same_key("İSTANBUL", "istanbul"));
    assert_true(same_key("Pedro Sánchez", "Pedro Sanchez"));
    assert_false(same_key("Sergey Lavrov", "Sergey Shoigu"));
    assert_false(same_key("Ankara", "Antalya"));
    key_is("Lavrov'un", "lavrov");
    key_is("", "");
    char *k;
    assert_int_equal(mh_entity_key(NULL, 3, &k, NULL), MH_EINVAL);
}

/* The built-in model is the bytes of data/ner.model; a file that is not
 * a model is refused. */
static void test_models(void **state)
{
    (void)state;
    const mh_ner *b = mh_ner_builtin();
    assert_non_null(b);
    assert_non_null(strstr(mh_ner_info(b), "CC BY-SA 4.0"));
    assert_non_null(strstr(mh_ner_info(b), "generated"));
    mh_ner *m = NULL;
    FILE *f = fopen("data/ner.model", "rb");
    if (f) {
        fclose(f);
        assert_int_equal(mh_ner_load("data/ner.model", &m), MH_OK);
        assert_string_equal(mh_ner_info(m), mh_ner_info(b));
        mh_ner_free(m);
    }
    assert_int_equal(mh_ner_load("/nonexistent/ner.model", &m), MH_EIO);
    assert_int_equal(mh_ner_load_mem("# x\nMHNER 1 4 9 9\nabc", 20, &m), MH_EFORMAT);
    assert_int_equal(mh_ner_load_mem("hello", 5, &m), MH_EFORMAT);
    assert_int_equal(mh_ner_load_mem("# x\nMHNER 1 40 1 1\n", 19, &m), MH_EFORMAT);
    assert_null(m);
    mh_ner_free(NULL);
    mh_entities_free(NULL);
}

/* Odd input: empty, only punctuation, a long run of capitals. */
static void test_odd_input(void **state)
{
    (void)state;
    ents x;
    assert_int_equal(find(&x, "", NULL), MH_OK);
    assert_int_equal(x.e->n, 0);
    drop(&x);
    assert_int_equal(find(&x, "\"'()::,,..'\"", NULL), MH_OK);
    drop(&x);
    size_t n = 300000;
    char *s = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        s[i] = i % 6 == 5 ? ' ' : "Abcde"[i % 6];
    s[n] = 0;
    assert_int_equal(find(&x, s, NULL), MH_OK);
    drop(&x);
    free(s);
    assert_int_equal(mh_entities_find(NULL, NULL, NULL, 0, NULL), MH_EINVAL);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    ents x;
    assert_int_equal(find(&x, "Rusya Dışişleri Bakanı Sergey Lavrov, Ankara'da Hakan Fidan ile "
                              "görüştü. Lavrov, AFP'ye konuştu.", NULL), MH_OK);
    size_t want = x.e->n;
    for (unsigned long k = 1; k < 2000; k++) {
        mh_entities *e = NULL;
        mh_set_alloc_fail(k);
        mh_err err = mh_entities_find(NULL, x.d, NULL, 0, &e);
        mh_set_alloc_fail(0);
        if (err == MH_OK) {
            assert_int_equal(e->n, want);
            mh_entities_free(e);
            break;
        }
        assert_int_equal(err, MH_ENOMEM);
        assert_null(e);
    }
    drop(&x);
}

/* ---------------- allocation failures: the whole answer ---------------- */

/* Roles before names, a surname alone, an apostrophe suffix, a spelling
 * variant, places and organisations, an agency, a headline that takes
 * its names from the body. */
static const char sweep_body[] =
    "Rusya Dışişleri Bakanı Sergei Lavrov, Ankara'da Dışişleri Bakanı Hakan Fidan ile "
    "görüştü. Lavrov'un açıklamasına göre Kyiv ve Moskova arasındaki müzakereler sürüyor.\n"
    "Birleşmiş Milletler Genel Sekreteri Antonio Guterres, İstanbul'daki toplantıya "
    "katılacak. Türkiye Büyük Millet Meclisi Başkanı da görüşmede yer aldı, AA'nın "
    "haberine göre Fidan yarın Brüksel'e gidecek.";
static const char sweep_title[] = "Lavrov'dan Fidan'a Kiev mesajı";

/* Every field of every mention, one line each (plain malloc memory). */
static char *describe_ents(const mh_doc *d, const mh_entities *e)
{
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    assert_non_null(f);
    for (size_t i = 0; i < e->n; i++) {
        const mh_mention *m = &e->m[i];
        fprintf(f, "%u %u %u %u %u %d %x %u [%.*s] [%.*s] [%.*s]\n", m->start, m->end,
                m->full_end, m->tok, m->n_tok, (int)m->type, m->flags, m->role_start,
                (int)(m->full_end - m->start), d->text + m->start, (int)m->name_len,
                m->name ? m->name : "", (int)m->role_len, m->role ? m->role : "");
    }
    fclose(f);
    return s;
}

/* mh_entities_find on the body, then on the headline with the body as
 * context, failing each allocation in turn: MH_ENOMEM and nothing, or
 * every mention as in the unhindered run. */
static void test_alloc_sweep_mentions(void **state)
{
    (void)state;
    ents body, title;
    assert_int_equal(find(&body, sweep_body, NULL), MH_OK);
    assert_int_equal(find(&title, sweep_title, body.e), MH_OK);
    char *want_b = describe_ents(body.d, body.e), *want_t = describe_ents(title.d, title.e);
    assert_non_null(strstr(want_b, "[Sergei Lavrov]"));
    assert_non_null(strstr(want_t, "[Lavrov'dan]"));
    int complete = 0, failed = 0;
    TU_SWEEP(k, 200000) {
        mh_entities *b = NULL, *t = NULL;
        tu_fail(k);
        mh_err eb = mh_entities_find(NULL, body.d, NULL, 0, &b);
        mh_err et = mh_entities_find(NULL, title.d, body.e, 0, &t);
        int clean = tu_unarm();
        mh_entities *got[2] = { b, t };
        mh_err err[2] = { eb, et };
        const mh_doc *doc[2] = { body.d, title.d };
        const char *want[2] = { want_b, want_t };
        for (int i = 0; i < 2; i++) {
            if (err[i] == MH_OK) {
                char *s = describe_ents(doc[i], got[i]);
                if (strcmp(s, want[i]) != 0)
                    fail_msg("failing allocation %lu: mentions\n%s\nunhindered\n%s", k, s,
                             want[i]);
                free(s);
            } else {
                assert_int_equal(err[i], MH_ENOMEM);
                assert_null(got[i]);
                failed++;
            }
            mh_entities_free(got[i]);
        }
        if (clean) {
            complete = 1;
            break;
        }
    }
    assert_true(complete);
    assert_true(failed > 10);
    free(want_b);
    free(want_t);
    drop(&title);
    drop(&body);
}

/* mh_entity_key and mh_ner_load_mem: MH_ENOMEM or the same answer. */
static void test_alloc_sweep_keys(void **state)
{
    (void)state;
    static const char *const names[] = { "Sergei Lavrov", "Kyiv", "Volodimir Zelenskiy",
                                         "İSTANBUL'DAKİ", "Pedro Sánchez" };
    char *want[5];
    for (int i = 0; i < 5; i++)
        assert_int_equal(mh_entity_key(names[i], strlen(names[i]), &want[i], NULL), MH_OK);
    int complete = 0;
    TU_SWEEP(k, 100000) {
        int clean = 1;
        for (int i = 0; i < 5; i++) {
            char *key = NULL;
            size_t len = 0;
            tu_fail(k);
            mh_err e = mh_entity_key(names[i], strlen(names[i]), &key, &len);
            clean &= tu_unarm();
            if (e == MH_OK) {
                assert_string_equal(key, want[i]);
                assert_int_equal(len, strlen(want[i]));
            } else {
                assert_int_equal(e, MH_ENOMEM);
                assert_null(key);
            }
            mh_free(key);
        }
        if (clean) {
            complete = 1;
            break;
        }
    }
    assert_true(complete);
    for (int i = 0; i < 5; i++)
        mh_free(want[i]);

    /* A model from bytes: the same tags as the built-in one. */
    size_t n = 0;
    char *bytes = tu_read_file("data/ner.model", &n);
    if (!bytes)
        skip();
    ents ref;
    assert_int_equal(find(&ref, sweep_body, NULL), MH_OK);
    char *want_m = describe_ents(ref.d, ref.e);
    complete = 0;
    TU_SWEEP(k, 100000) {
        mh_ner *m = NULL;
        tu_fail(k);
        mh_err e = mh_ner_load_mem(bytes, n, &m);
        int clean = tu_unarm();
        if (e == MH_OK) {
            mh_entities *x = NULL;
            assert_int_equal(mh_entities_find(m, ref.d, NULL, 0, &x), MH_OK);
            char *s = describe_ents(ref.d, x);
            assert_string_equal(s, want_m);
            free(s);
            mh_entities_free(x);
        } else {
            assert_int_equal(e, MH_ENOMEM);
            assert_null(m);
        }
        mh_ner_free(m);
        if (clean) {
            complete = 1;
            break;
        }
    }
    assert_true(complete);
    free(want_m);
    drop(&ref);
    free(bytes);
}

/*
 * The first use in a process builds the lexicon and loads the built-in
 * tagger.  When memory runs out then, that call fails, and the next one
 * must build them and give the whole answer: a process must not be left
 * without them for good (nor, worse, go on finding names without the
 * tagger).  Each run is a new process: this program again, with
 * --first-use K (see main), which fails allocation K of its first find
 * and prints what it found then and after.
 */
static int first_use_child(unsigned long k)
{
    ents x;
    memset(&x, 0, sizeof x);
    x.an = mh_analyzer_new();
    if (!x.an || mh_clean(sweep_body, strlen(sweep_body), MH_CLEAN_LINES, &x.text, &x.len) ||
        mh_analyze(x.an, x.text, x.len, 0, &x.d))
        return 3;
    mh_entities *e = NULL;
    if (k)
        tu_fail(k);
    mh_err first = mh_entities_find(NULL, x.d, NULL, 0, &e);
    tu_unarm();
    if (first == MH_OK) {
        char *s = describe_ents(x.d, e);
        printf("first\n%s", s);
        free(s);
    } else {
        printf("first failed %d\n", (int)first);
    }
    mh_entities_free(e);
    e = NULL;
    if (mh_entities_find(NULL, x.d, NULL, 0, &e) != MH_OK)
        return 4;
    char *s = describe_ents(x.d, e);
    printf("then\n%s", s);
    free(s);
    mh_entities_free(e);
    drop(&x);
    return 0;
}

static char *first_use_run(unsigned long k)
{
    char self[4096], cmd[4200];
    ssize_t sn = readlink("/proc/self/exe", self, sizeof self - 1);
    assert_true(sn > 0);
    self[sn] = 0;
    snprintf(cmd, sizeof cmd, "'%s' --first-use %lu", self, k);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char *out = NULL;
    size_t len = 0, n;
    FILE *m = open_memstream(&out, &len);
    char buf[4096];
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        fwrite(buf, 1, n, m);
    fclose(m);
    int st = pclose(p);
    if (st != 0)
        fail_msg("first use failing allocation %lu: child status %d\n%s", k, st, out);
    return out;
}

static void test_alloc_sweep_first_use(void **state)
{
    (void)state;
    char *ref = first_use_run(0);
    const char *then = strstr(ref, "then\n");
    assert_non_null(then);
    assert_non_null(strstr(then, "[Sergei Lavrov]"));
    size_t first_len = (size_t)(then - ref);
    int complete = 0, failed = 0;
    /* A wider stride than the other sweeps: a process per run. */
    for (unsigned long k = 1; k < 400000; k += 1 + k / 6) {
        char *out = first_use_run(k);
        const char *t = strstr(out, "then\n");
        assert_non_null(t);
        if (strcmp(t, then) != 0)
            fail_msg("failing allocation %lu of the first use, the next find gives\n%s\n"
                     "instead of\n%s", k, t, then);
        if (strncmp(out, "first failed", 12) == 0) {
            assert_int_equal(atoi(out + 13), MH_ENOMEM);
            failed++;
        } else if ((size_t)(t - out) != first_len || strncmp(out, ref, first_len) != 0) {
            fail_msg("failing allocation %lu of the first use: it found\n%.*s", k,
                     (int)(t - out), out);
        } else {
            complete = 1;
        }
        free(out);
        if (complete)
            break;
    }
    assert_true(complete);
    assert_true(failed > 10);
    free(ref);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--first-use") == 0)
        return first_use_child(strtoul(argv[2], NULL, 10));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_mentions_roles_and_names),
        cmocka_unit_test(test_one_sense_per_article),
        cmocka_unit_test(test_common_nouns_and_works),
        cmocka_unit_test(test_heads_and_lone_words),
        cmocka_unit_test(test_cues),
        cmocka_unit_test(test_units_clubs_heads),
        cmocka_unit_test(test_words_not_names),
        cmocka_unit_test(test_joined_places),
        cmocka_unit_test(test_brands),
        cmocka_unit_test(test_one_sense_by_cue),
        cmocka_unit_test(test_org_case_endings),
        cmocka_unit_test(test_common_by_stem),
        cmocka_unit_test(test_trade_heads),
        cmocka_unit_test(test_org_edges),
        cmocka_unit_test(test_thing_names),
        cmocka_unit_test(test_rules_entries),
        cmocka_unit_test(test_capitals_lines),
        cmocka_unit_test(test_law_names),
        cmocka_unit_test(test_event_names),
        cmocka_unit_test(test_glued_endings),
        cmocka_unit_test(test_pronouns),
        cmocka_unit_test(test_occupation_first),
        cmocka_unit_test(test_short_parts),
        cmocka_unit_test(test_context),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_models),
        cmocka_unit_test(test_odd_input),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_alloc_sweep_mentions),
        cmocka_unit_test(test_alloc_sweep_keys),
        cmocka_unit_test(test_alloc_sweep_first_use),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
