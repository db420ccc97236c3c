/* test_extract.c -- article extraction: the golden pages in
 * tests/golden/extract/ (NAME.txt input, optional NAME.record hints,
 * NAME.expected output; MH_GOLDEN_WRITE=1 rewrites the expectations for
 * review), behaviour tests, the sample corpus in examples/corpus/ and the
 * inputs in tests/pathological/. */
#include "extract_check.h"

#include <dirent.h>

/* ---------------- helpers ---------------- */

typedef struct one {
    mh_record r;          /* copy of the record, strings owned below */
    char *text, *hint[8];
    int got;
} one;

static int take_first(void *ctx, const mh_record *r)
{
    one *o = ctx;
    if (o->got++)
        return 0;
    o->r = *r;
    o->text = strndup(r->text, r->text_len);
    o->r.text = o->text;
    const char *h[8] = { r->title, r->url, r->date, r->outlet, r->source, r->category, r->lead, r->path };
    for (int i = 0; i < 8; i++)
        o->hint[i] = h[i] ? strdup(h[i]) : NULL;
    o->r.title = o->hint[0]; o->r.url = o->hint[1]; o->r.date = o->hint[2];
    o->r.outlet = o->hint[3]; o->r.source = o->hint[4]; o->r.category = o->hint[5];
    o->r.lead = o->hint[6]; o->r.path = o->hint[7];
    o->r.line_hints = NULL;
    o->r.n_line_hints = 0;
    return 0;
}

static void one_free(one *o)
{
    free(o->text);
    for (int i = 0; i < 8; i++)
        free(o->hint[i]);
    memset(o, 0, sizeof *o);
}

/* Extract from page text given as a C string (read as a .txt file). */
static mh_err extract_text(const char *text, int64_t crawl, mh_article **a)
{
    one o = { 0 };
    int rc = mh_page_read_mem("t.txt", text, strlen(text), MH_FMT_TEXT, take_first, NULL, &o);
    assert_int_equal(rc, MH_OK);
    o.r.crawl_time = crawl;
    mh_err e = mh_extract(&o.r, NULL, a);
    if (e == MH_OK) {
        const char *lost = xc_lost_line(&o.r, *a);
        if (lost)
            fail_msg("line lost: \"%s\"", lost);
    }
    one_free(&o);
    return e;
}

static int removed_has(const mh_article *a, const char *s)
{
    return xc_in_removed(a, s, strlen(s));
}

/* ---------------- golden pages ---------------- */

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Apply "key: value" lines of a .record file to the record. */
static void apply_record_file(const char *path, one *o)
{
    char *s = tu_read_file(path, NULL);
    if (!s)
        return;
    for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon = 0;
        char *v = colon + 1;
        while (*v == ' ')
            v++;
        static const char *const keys[7] = { "title", "url", "date", "outlet", "source", "category", "lead" };
        for (int i = 0; i < 7; i++)
            if (strcmp(line, keys[i]) == 0) {
                free(o->hint[i]);
                o->hint[i] = strdup(v);
            }
        if (strcmp(line, "crawl_time") == 0)
            o->r.crawl_time = mh_date_to_unix(v, strlen(v));
    }
    o->r.title = o->hint[0]; o->r.url = o->hint[1]; o->r.date = o->hint[2];
    o->r.outlet = o->hint[3]; o->r.source = o->hint[4]; o->r.category = o->hint[5];
    o->r.lead = o->hint[6];
    free(s);
}

static void test_golden(void **state)
{
    (void)state;
    const char *dir = "tests/golden/extract";
    DIR *d = opendir(dir);
    if (!d)
        skip();
    char *names[256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 256) {
        size_t k = strlen(e->d_name);
        if (k > 4 && strcmp(e->d_name + k - 4, ".txt") == 0)
            names[n++] = strndup(e->d_name, k - 4);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmp_names);
    int write = getenv("MH_GOLDEN_WRITE") != NULL, failures = 0;
    for (int i = 0; i < n; i++) {
        char path[1024];
        one o = { 0 };
        snprintf(path, sizeof path, "%s/%s.txt", dir, names[i]);
        int rc = mh_page_read_file(path, MH_FMT_TEXT, take_first, NULL, &o);
        char *got = NULL;
        size_t gl = 0;
        if (rc != MH_OK) {
            xc_add(&got, &gl, "error: %s\n", mh_errstr((mh_err)rc));
        } else {
            snprintf(path, sizeof path, "%s/%s.record", dir, names[i]);
            apply_record_file(path, &o);
            mh_article *a = NULL;
            mh_err er = mh_extract(&o.r, NULL, &a);
            if (er) {
                xc_add(&got, &gl, "error: %s\n", mh_errstr(er));
            } else {
                const char *lost = xc_lost_line(&o.r, a);
                if (lost) {
                    print_error("%s: line lost: %s\n", names[i], lost);
                    failures++;
                }
                got = xc_dump(a);
                mh_article_free(a);
            }
        }
        one_free(&o);
        snprintf(path, sizeof path, "%s/%s.expected", dir, names[i]);
        if (write) {
            FILE *f = fopen(path, "wb");
            assert_non_null(f);
            fputs(got, f);
            fclose(f);
        } else {
            char *want = tu_read_file(path, NULL);
            if (!want) {
                print_error("%s: no %s\n", names[i], path);
                failures++;
            } else if (strcmp(want, got) != 0) {
                /* Show the first line that differs. */
                const char *w = want, *g = got;
                int line = 1;
                while (*w && *w == *g) {
                    if (*w == '\n')
                        line++;
                    w++;
                    g++;
                }
                const char *we = strchr(w, '\n'), *ge = strchr(g, '\n');
                print_error("%s.expected line %d:\n  want: %.*s\n  got:  %.*s\n", names[i], line,
                            (int)(we ? we - w : (long)strlen(w)), w,
                            (int)(ge ? ge - g : (long)strlen(g)), g);
                failures++;
            }
            free(want);
        }
        free(got);
        free(names[i]);
    }
    assert_true(n >= 8);
    assert_int_equal(failures, 0);
}

/* ---------------- behaviour ---------------- */

static void test_title_lead_body(void **state)
{
    (void)state;
    mh_article *a = NULL;
    const char *page =
        "Köprü trafiğe açıldı\n"
        "Nehrin iki yakasını birleştiren yeni köprü, düzenlenen törenle bugün trafiğe açıldı.\n"
        "Köprünün yapımı iki yıl sürdü ve 400 milyon liraya mal oldu.\n"
        "Vali, \"Bölgenin ulaşım sorunu büyük ölçüde çözüldü.\" dedi.\n";
    assert_int_equal(extract_text(page, 0, &a), MH_OK);
    assert_string_equal(a->title, "Köprü trafiğe açıldı");
    assert_string_equal(a->lead, "Nehrin iki yakasını birleştiren yeni köprü, düzenlenen törenle bugün trafiğe açıldı.");
    assert_string_equal(a->body, "Köprünün yapımı iki yıl sürdü ve 400 milyon liraya mal oldu.\n"
                                 "Vali, \"Bölgenin ulaşım sorunu büyük ölçüde çözüldü.\" dedi.");
    assert_int_equal(a->n_removed, 0);
    assert_null(a->date);
    assert_null(a->outlet);
    assert_null(a->source);
    assert_string_equal(a->path, "t.txt");
    /* sentences are byte spans of the body, in order */
    assert_true(a->n_sentences >= 2);
    uint32_t prev = 0;
    for (size_t i = 0; i < a->n_sentences; i++) {
        assert_true(a->sentences[i].start >= prev);
        assert_true(a->sentences[i].end > a->sentences[i].start);
        assert_true(a->sentences[i].end <= strlen(a->body));
        prev = a->sentences[i].end;
    }
    mh_article_free(a);

    /* One paragraph only: it is the body, not a lead. */
    assert_int_equal(extract_text("Kısa haber başlığı\nTek paragraflık haber metni burada yer alıyor ve bitiyor.\n", 0, &a), MH_OK);
    assert_null(a->lead);
    assert_string_equal(a->body, "Tek paragraflık haber metni burada yer alıyor ve bitiyor.");
    mh_article_free(a);

    /* A call to click is never the title; it goes to removed. */
    page = "DEVAMI İÇİN TIKLAYIN\n"
           "Köprü trafiğe açıldı\n"
           "Nehrin iki yakasını birleştiren yeni köprü, düzenlenen törenle bugün trafiğe açıldı.\n"
           "Köprünün yapımı iki yıl sürdü ve 400 milyon liraya mal oldu.\n"
           "Foto galeri için tıklayınız\n";
    assert_int_equal(extract_text(page, 0, &a), MH_OK);
    assert_string_equal(a->title, "Köprü trafiğe açıldı");
    assert_true(removed_has(a, "DEVAMI İÇİN TIKLAYIN"));
    assert_true(removed_has(a, "Foto galeri için tıklayınız"));
    assert_null(strstr(a->body, "tıklayınız"));
    mh_article_free(a);

    /* A title and nothing else */
    assert_int_equal(extract_text("Sadece bir başlık\n\nPaylaş\n", 0, &a), MH_EEMPTY);
    assert_null(a);
    mh_article_free(NULL);
}

static void test_credits(void **state)
{
    (void)state;
    mh_article *a = NULL;
    const char *page =
        "Kayseri'de yeni hastane hizmete girdi\n"
        "KAYSERİ (AA) - Kentte yapımı tamamlanan 600 yataklı hastane, hasta kabulüne başladı.\n"
        "Hastanede 40 ameliyathane ve 120 yoğun bakım yatağı bulunuyor.\n"
        "Açılışta konuşan başhekim, randevuların yarından itibaren verileceğini söyledi.\n";
    assert_int_equal(extract_text(page, 0, &a), MH_OK);
    assert_string_equal(a->source, "AA");
    mh_article_free(a);

    page = "Gölde kuş sayımı yapıldı\n"
           "Sulak alanlarda yapılan kış ortası sayımında 40 bin kuş kayıt altına alındı.\n"
           "Sayımda en çok flamingo ve yaban ördeği görüldü. (İHA)\n";
    assert_int_equal(extract_text(page, 0, &a), MH_OK);
    assert_string_equal(a->source, "İHA");
    mh_article_free(a);

    /* An agency named in a sentence is not a credit. */
    page = "Borsa güne yükselişle başladı\n"
           "Reuters'ın aktardığına göre Asya piyasaları da güne pozitif başladı.\n"
           "AFP'nin haberine göre Avrupa borsaları ise yatay seyrediyor.\n";
    assert_int_equal(extract_text(page, 0, &a), MH_OK);
    assert_null(a->source);
    mh_article_free(a);

    /* "Kaynak: <domain>" maps the domain through the outlet table. */
    page = "Kar yağışı etkili oldu\n"
           "Doğu Anadolu'da kar yağışı nedeniyle 200 köy yolu ulaşıma kapandı.\n"
           "Ekipler yolları açmak için çalışma başlattı.\n"
           "Kaynak: SOZCU.COM.TR\n";
    assert_int_equal(extract_text(page, 0, &a), MH_OK);
    assert_string_equal(a->source, "Sözcü");
    assert_true(removed_has(a, "Kaynak: SOZCU.COM.TR"));
    mh_article_free(a);

    /* The same in Turkish capitals; an unknown site's hashtag gives its
     * domain in lowercase ASCII. */
    page = "Kar yağışı etkili oldu\n"
           "Doğu Anadolu'da kar yağışı nedeniyle 200 köy yolu ulaşıma kapandı.\n"
           "Ekipler yolları açmak için çalışma başlattı.\n"
           "Kaynak: HURRİYET.COM.TR\n"
           "#HABERSİTESİ.COM.TR #gündem #kar\n";
    assert_int_equal(extract_text(page, 0, &a), MH_OK);
    assert_string_equal(a->source, "Hürriyet");
    assert_non_null(a->outlet);
    assert_string_equal(a->outlet, "habersitesi.com.tr");
    mh_article_free(a);

    /* A bare URL at the top of the page is its address; one in the middle
     * of the text is a link the article gives. */
    page = "https://www.sozcu.com.tr/kar-yagisi\n"
           "Kar yağışı etkili oldu\n"
           "Doğu Anadolu'da kar yağışı nedeniyle 200 köy yolu ulaşıma kapandı.\n"
           "Ekipler yolları açmak için çalışma başlattı.\n";
    assert_int_equal(extract_text(page, 0, &a), MH_OK);
    assert_string_equal(a->url, "https://www.sozcu.com.tr/kar-yagisi");
    assert_string_equal(a->outlet, "Sözcü");
    mh_article_free(a);
    page = "Kar yağışı etkili oldu\n"
           "Doğu Anadolu'da kar yağışı nedeniyle 200 köy yolu ulaşıma kapandı.\n"
           "Kar manzaralarının videosu:\n"
           "https://www.youtube.com/watch?v=abc\n"
           "Ekipler yolları açmak için çalışma başlattı.\n"
           "Valilik sürücüleri zincir takmaları için uyardı.\n";
    assert_int_equal(extract_text(page, 0, &a), MH_OK);
    assert_null(a->url);
    assert_null(a->outlet);
    mh_article_free(a);
}

static void test_dates(void **state)
{
    (void)state;
    mh_article *a = NULL;
    /* A date in the running text is an event date, not the page's. */
    const char *page = "Fuar kapılarını açıyor\n"
                       "Kitap fuarı 12 Mart 2026 tarihinde kapılarını açacak.\n"
                       "Fuarda 300 yayınevi yer alacak.\n";
    assert_int_equal(extract_text(page, 0, &a), MH_OK);
    assert_null(a->date);
    mh_article_free(a);

    /* A date line right under the title is the page's own. */
    page = "Fuar kapılarını açıyor\n"
           "28 Şubat 2026 Cumartesi 10:45\n"
           "Kitap fuarı 12 Mart 2026 tarihinde kapılarını açacak.\n"
           "Fuarda 300 yayınevi yer alacak.\n";
    assert_int_equal(extract_text(page, 0, &a), MH_OK);
    assert_string_equal(a->date, "2026-02-28");
    assert_true(removed_has(a, "28 Şubat 2026 Cumartesi 10:45"));
    mh_article_free(a);

    /* A date closing the lead with an outlet the table does not know is
     * a dateline; with a weekday and a place after it (a fixture list),
     * or a phrase, it is not: no date, no outlet. */
    page = "Sahil yolu yenileniyor\n"
           "Belediye sahil yolunun iki yıl içinde yenileneceğini açıkladı. 28.10.2025, Kuzey Ekspres\n"
           "Çalışmalar sırasında yol tek şeritten kullanılacak.\n";
    assert_int_equal(extract_text(page, 0, &a), MH_OK);
    assert_string_equal(a->date, "2025-10-28");
    assert_string_equal(a->outlet, "Kuzey Ekspres");
    mh_article_free(a);
    static const char *const not_outlets[] = { "Cumartesi Ankara Bilkent Otel",
                                               "tarihinde Marmara Vakfının",
                                               "İstanbul Avr.Şam" };
    for (size_t i = 0; i < sizeof not_outlets / sizeof not_outlets[0]; i++) {
        char buf[512];
        snprintf(buf, sizeof buf, "Lig maçları tamamlandı\n"
                                  "Haftanın maçları oynandı ve puan durumu belli oldu. 14.03.2011, %s\n"
                                  "Gelecek hafta derbi oynanacak.\n", not_outlets[i]);
        assert_int_equal(extract_text(buf, 0, &a), MH_OK);
        if (a->date || a->outlet)
            fail_msg("%s: date %s, outlet %s", not_outlets[i], a->date ? a->date : "-",
                     a->outlet ? a->outlet : "-");
        mh_article_free(a);
    }

    /* An update stamp is not the publication date. */
    page = "Fuar kapılarını açıyor\n"
           "Güncelleme: 01.03.2026 09:00\n"
           "Kitap fuarı 12 Mart 2026 tarihinde kapılarını açacak.\n"
           "Fuarda 300 yayınevi yer alacak.\n";
    assert_int_equal(extract_text(page, 0, &a), MH_OK);
    assert_null(a->date);
    mh_article_free(a);

    /* Relative: only with a crawl time; never in the future of it. */
    page = "Fuar kapılarını açıyor\n"
           "Kültür - dün\n"
           "Kitap fuarı 12 Mart 2026 tarihinde kapılarını açacak.\n"
           "Fuarda 300 yayınevi yer alacak.\n";
    assert_int_equal(extract_text(page, 0, &a), MH_OK);
    assert_null(a->date);
    assert_string_equal(a->category, "Kültür-Sanat");
    mh_article_free(a);
    assert_int_equal(extract_text(page, mh_date_to_unix("2026-03-01T12:00:00", 19), &a), MH_OK);
    assert_string_equal(a->date, "2026-02-28");
    mh_article_free(a);
    page = "Fuar kapılarını açıyor\n"
           "01.06.2026\n"
           "Kitap fuarı 12 Mart 2026 tarihinde kapılarını açacak.\n"
           "Fuarda 300 yayınevi yer alacak.\n";
    assert_int_equal(extract_text(page, mh_date_to_unix("2026-03-01T12:00:00", 19), &a), MH_OK);
    assert_null(a->date);
    mh_article_free(a);
}

static void test_hints_and_hash(void **state)
{
    (void)state;
    const char *text = "Haberin başlığı burada\n"
                       "Spot cümlesi haberin özetini veriyor ve okuru içeri çekiyor.\n"
                       "Birinci paragraf ayrıntıları anlatıyor.\n"
                       "İkinci paragraf da tanıkların sözlerini aktarıyor.\n";
    mh_record r;
    memset(&r, 0, sizeof r);
    r.path = "x.json";
    r.index = 3;
    r.text = text;
    r.text_len = strlen(text);
    r.title = "Haberin başlığı burada";
    r.lead = "Spot cümlesi haberin özetini veriyor ve okuru içeri çekiyor.";
    r.url = "https://www.trthaber.com/haber/dunya/ornek-haber-123.html";
    r.outlet = "bir site";
    r.date = "2025-06-01T08:00:00+03:00";
    r.source = "Anadolu Ajansı";
    mh_article *a = NULL;
    assert_int_equal(mh_extract(&r, NULL, &a), MH_OK);
    assert_int_equal(a->record, 3);
    assert_string_equal(a->title, "Haberin başlığı burada");
    assert_string_equal(a->lead, r.lead);
    assert_string_equal(a->body, "Birinci paragraf ayrıntıları anlatıyor.\n"
                                 "İkinci paragraf da tanıkların sözlerini aktarıyor.");
    assert_string_equal(a->outlet, "TRT Haber");     /* the URL beats the hint */
    assert_string_equal(a->source, "AA");
    assert_string_equal(a->date, "2025-06-01");
    assert_string_equal(a->category, "Dünya");      /* from the URL path */
    assert_int_equal(strlen(a->hash), 32);
    for (int i = 0; i < 32; i++)
        assert_non_null(strchr("0123456789abcdef", a->hash[i]));

    /* The same article with different furniture hashes the same. */
    const char *text2 = "Haberin başlığı burada\n"
                        "Spot cümlesi haberin özetini veriyor ve okuru içeri çekiyor.\n"
                        "Birinci paragraf ayrıntıları anlatıyor.\n"
                        "<image>foto</image>\n"
                        "İkinci paragraf da tanıkların sözlerini aktarıyor.\n"
                        "Benzer Haberler\nBaşka bir başlık\nVe bir başkası\n";
    r.text = text2;
    r.text_len = strlen(text2);
    mh_article *b = NULL;
    assert_int_equal(mh_extract(&r, NULL, &b), MH_OK);
    assert_string_equal(a->hash, b->hash);
    mh_article_free(b);
    /* A changed body does not. */
    r.text = "Haberin başlığı burada\nBirinci paragraf ayrıntıları anlatıyor.\nİkinci paragraf değişti.\n";
    r.text_len = strlen(r.text);
    assert_int_equal(mh_extract(&r, NULL, &b), MH_OK);
    assert_string_not_equal(a->hash, b->hash);
    mh_article_free(b);
    mh_article_free(a);
}

typedef struct oracle_ctx {
    int calls;
    char outlet[64];
} oracle_ctx;

static int is_tpl(void *ctx, const char *outlet, const char *line, size_t len)
{
    oracle_ctx *o = ctx;
    o->calls++;
    snprintf(o->outlet, sizeof o->outlet, "%s", outlet);
    static const char *const known[] = { "Anasayfa > Gündem > Yerel", "Bizi sosyal medyada takip edin ve yorumlarınızı paylaşın." };
    for (size_t i = 0; i < 2; i++)
        if (len == strlen(known[i]) && memcmp(line, known[i], len) == 0)
            return 1;
    return 0;
}

static void test_template_oracle(void **state)
{
    (void)state;
    const char *text = "url https://www.ntv.com.tr/turkiye/ornek\n"
                       "Anasayfa > Gündem > Yerel\n"
                       "Mahallede park yenilendi\n"
                       "Belediye, mahalledeki parkı yeni oyun alanlarıyla yeniledi ve yeniden açtı.\n"
                       "Parka 40 yeni ağaç dikildi.\n"
                       "Bizi sosyal medyada takip edin ve yorumlarınızı paylaşın.\n";
    one o = { 0 };
    assert_int_equal(mh_page_read_mem("p.txt", text, strlen(text), MH_FMT_TEXT, take_first, NULL, &o), MH_OK);
    oracle_ctx oc = { 0, "" };
    mh_template_oracle tpl = { is_tpl, &oc };
    mh_article *a = NULL;
    assert_int_equal(mh_extract(&o.r, &tpl, &a), MH_OK);
    assert_true(oc.calls > 0);
    assert_string_equal(oc.outlet, "NTV");
    assert_string_equal(a->title, "Mahallede park yenilendi");
    assert_null(strstr(a->body, "takip edin"));
    assert_true(removed_has(a, "Anasayfa > Gündem > Yerel"));
    assert_true(removed_has(a, "Bizi sosyal medyada takip edin ve yorumlarınızı paylaşın."));
    assert_null(xc_lost_line(&o.r, a));
    mh_article_free(a);
    /* without the oracle the closing line stays in the body */
    assert_int_equal(mh_extract(&o.r, NULL, &a), MH_OK);
    assert_non_null(strstr(a->body, "takip edin"));
    mh_article_free(a);
    one_free(&o);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    char *page = tu_read_file("tests/golden/extract/g02_kaynak_hashtag_stamps.txt", NULL);
    if (!page)
        skip();
    one o = { 0 };
    assert_int_equal(mh_page_read_mem("p.txt", page, strlen(page), MH_FMT_TEXT, take_first, NULL, &o), MH_OK);
    mh_article *ref = NULL;
    assert_int_equal(mh_extract(&o.r, NULL, &ref), MH_OK);
    int ok = 0;
    for (unsigned long nth = 1; nth < 3000; nth++) {
        mh_article *a = NULL;
        mh_set_alloc_fail(nth);
        mh_err e = mh_extract(&o.r, NULL, &a);
        mh_set_alloc_fail(0);
        if (e == MH_OK) {
            /* once nothing fails any more, the result is the same */
            assert_string_equal(a->hash, ref->hash);
            mh_article_free(a);
            if (++ok > 5)
                break;
        } else {
            assert_int_equal(e, MH_ENOMEM);
            assert_null(a);
        }
    }
    assert_true(ok > 0);
    mh_article_free(ref);
    one_free(&o);
    free(page);
}

/* ---------------- whole directories ---------------- */

typedef struct walk {
    int records, articles, empty, dated, lost;
    mh_err worst;
} walk;

static int on_any(void *ctx, const mh_record *r)
{
    walk *w = ctx;
    mh_article *a = NULL;
    w->records++;
    mh_err e = mh_extract(r, NULL, &a);
    if (e == MH_EEMPTY) {
        w->empty++;
        return 0;
    }
    assert_int_equal(e, MH_OK);
    w->articles++;
    w->dated += a->date != NULL;
    const char *lost = xc_lost_line(r, a);
    if (lost) {
        print_error("%s[%ld]: line lost: %s\n", r->path, r->index, lost);
        w->lost++;
    }
    mh_article_free(a);
    return 0;
}

static void on_any_err(void *ctx, const char *path, long index, mh_err e, const char *detail)
{
    (void)ctx; (void)path; (void)index; (void)e; (void)detail;
}

static int list_dir(const char *dir, char **names, int max)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    if (!d)
        return -1;
    while ((e = readdir(d)) && n < max)
        if (e->d_name[0] != '.' && strcmp(e->d_name, "README.md") != 0)
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmp_names);
    return n;
}

static void test_corpus(void **state)
{
    (void)state;
    char *names[128];
    int n = list_dir("examples/corpus", names, 128);
    if (n < 0)
        skip();
    walk w = { 0 };
    for (int i = 0; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof path, "examples/corpus/%s", names[i]);
        int rc = mh_page_read_file(path, MH_FMT_AUTO, on_any, on_any_err, &w);
        if (rc != MH_OK)
            fail_msg("%s: %s", path, mh_errstr((mh_err)rc));
        free(names[i]);
    }
    /* Every page of the sample corpus is an article and keeps its lines. */
    assert_true(w.records >= 24);
    assert_int_equal(w.empty, 0);
    assert_int_equal(w.lost, 0);
    assert_true(w.dated >= 8);
}

static void test_pathological(void **state)
{
    (void)state;
    char *names[128];
    int n = list_dir("tests/pathological", names, 128);
    if (n < 0)
        skip();
    for (int i = 0; i < n; i++) {
        char path[1024];
        walk w = { 0 };
        snprintf(path, sizeof path, "tests/pathological/%s", names[i]);
        int rc = mh_page_read_file(path, MH_FMT_AUTO, on_any, on_any_err, &w);
        /* bad input ends in a clear code, never a crash or a hang */
        if (!(rc == MH_OK || rc == MH_EEMPTY || rc == MH_EBINARY || rc == MH_EFORMAT ||
              rc == MH_ETOOBIG))
            fail_msg("%s: unexpected %d", path, rc);
        assert_int_equal(w.lost, 0);
        free(names[i]);
    }
    assert_true(n >= 5);
}

static void test_outlet_table(void **state)
{
    (void)state;
    const char *h = "anlatilaninotesi.com.tr";
    assert_string_equal(mh_outlet_for_host(h, strlen(h)), "Sputnik Türkiye");
    h = "WWW.YeniAkit.com.tr:443";
    assert_string_equal(mh_outlet_for_host(h, strlen(h)), "Yeni Akit");
    h = "m.haber7.com";
    assert_string_equal(mh_outlet_for_host(h, strlen(h)), "Haber7");
    h = "tr.euronews.com";
    assert_string_equal(mh_outlet_for_host(h, strlen(h)), "Euronews Türkçe");
    h = "www.euronews.com";
    assert_string_equal(mh_outlet_for_host(h, strlen(h)), "Euronews");
    h = "bigpara.hurriyet.com.tr";
    assert_string_equal(mh_outlet_for_host(h, strlen(h)), "Bigpara");
    h = "fakehaber7.com";            /* a suffix, not on a label boundary */
    assert_null(mh_outlet_for_host(h, strlen(h)));
    h = "example.org";
    assert_null(mh_outlet_for_host(h, strlen(h)));
    assert_null(mh_outlet_for_host("", 0));

    static const struct { const char *in, *out; } names[] = {
        { "AKİT", "Yeni Akit" }, { "SÖZCÜ", "Sözcü" }, { "SPUTNIK TÜRKİYE", "Sputnik Türkiye" },
        { "bigpara_hurriyet", "Bigpara" }, { "HABER7.COM", "Haber7" },
        { "#ESHAHABER.COM.TR", "Eşhaber" }, { "https://www.ntv.com.tr/x", "NTV" },
        { "Anadolu Ajansı", "Anadolu Ajansı" }, { "cnbce", "CNBC-e" },
        { "euronews", "Euronews" }, { "Habertürk", "Habertürk" },
        /* Domains in Turkish capitals: İ is the domain's i. */
        { "HURRİYET.COM.TR", "Hürriyet" }, { "#BİANET.ORG", "bianet" },
        { "https://WWW.HURRİYET.COM.TR/x", "Hürriyet" }, { "http://hurrİyet.com.tr?x=1", "Hürriyet" },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *o = mh_outlet_for_name(names[i].in, strlen(names[i].in));
        if (!o || strcmp(o, names[i].out) != 0)
            fail_msg("%s: expected %s, got %s", names[i].in, names[i].out, o ? o : "(none)");
    }
    assert_null(mh_outlet_for_name("Dünya", 6));
    assert_null(mh_outlet_for_name("", 0));

    char dom[32];
    const char *d = "HABERSİTESİ.COM.TR";
    assert_int_equal(mh_domain_lower(d, strlen(d), dom, sizeof dom), 18);
    assert_string_equal(dom, "habersitesi.com.tr");
    d = "ıİIi.example";
    assert_int_equal(mh_domain_lower(d, strlen(d), dom, sizeof dom), 12);
    assert_string_equal(dom, "iiii.example");
    d = "ÖRNEK.COM";                       /* another letter: not a domain */
    assert_int_equal(mh_domain_lower(d, strlen(d), dom, sizeof dom), 0);
    d = "averyveryverylongdomainname.example.com";   /* does not fit */
    assert_int_equal(mh_domain_lower(d, strlen(d), dom, sizeof dom), 0);

    int agency = -1;
    assert_string_equal(mh_outlet_credit("Anadolu Ajansı", 15, &agency), "AA");
    assert_int_equal(agency, 1);
    assert_string_equal(mh_outlet_credit("İHA", 4, &agency), "İHA");
    assert_string_equal(mh_outlet_credit("dha", 3, NULL), "DHA");
    assert_string_equal(mh_outlet_credit("haber7.com", 10, &agency), "Haber7");
    assert_int_equal(agency, 0);
    assert_null(mh_outlet_credit("Ahmet Yılmaz", 13, &agency));
    assert_int_equal(agency, 0);

    static const struct { const char *in, *out; } cats[] = {
        { "Dünya", "Dünya" }, { "DÜNYA", "Dünya" }, { "dis-haberler", "Dünya" },
        { "ekonomi-haberleri", "Ekonomi" }, { "Siyaset", "Politika" }, { "SAĞLIK", "Sağlık" },
        { "kultur-sanat", "Kültür-Sanat" }, { "spor", "Spor" }, { "Gündem", "Gündem" },
    };
    for (size_t i = 0; i < sizeof cats / sizeof cats[0]; i++) {
        const char *c = mh_category_canon(cats[i].in, strlen(cats[i].in));
        if (!c || strcmp(c, cats[i].out) != 0)
            fail_msg("%s: expected %s, got %s", cats[i].in, cats[i].out, c ? c : "(none)");
    }
    assert_null(mh_category_canon("Türkiye", 8));
    assert_null(mh_category_canon("Rusya", 5));
    assert_null(mh_category_canon("haberler", 8));
}

/* Generated pathological pages (cmark style): one 10 MB line, 100k quote
 * marks, 200k heading lines, 200k one-letter lines.  Each must finish
 * (the runner's timeout is the limit) with a clear result. */
static void test_huge_inputs(void **state)
{
    (void)state;
    size_t n = (size_t)10 << 20;
    char *s = malloc(n + 64);
    const char *word = "kelime ";
    for (size_t i = 0; i < n; i++)
        s[i] = word[i % 7];
    memcpy(s + n, "\nson satır burada.\n", 20);
    mh_article *a = NULL;
    one o = { 0 };
    assert_int_equal(mh_page_read_mem("uzun.txt", s, n + 20, MH_FMT_TEXT, take_first, NULL, &o), MH_OK);
    assert_int_equal(mh_extract(&o.r, NULL, &a), MH_OK);
    assert_true(strlen(a->body) > n / 2);
    mh_article_free(a);
    one_free(&o);

    memset(s, '"', 100000);
    memcpy(s + 100000, "\nBaşlık\nMetin.\n", 16);
    assert_int_equal(mh_page_read_mem("tirnak.txt", s, 100016, MH_FMT_TEXT, take_first, NULL, &o), MH_OK);
    assert_int_equal(mh_extract(&o.r, NULL, &a), MH_OK);
    mh_article_free(a);
    one_free(&o);

    static const char *const pats[] = { "Benzer Haberler\n", "a\n", "Dünya - 2 saat önce\n",
                                        "Lavrov uzun bir açıklama yaptı ve sözlerini tamamladı.\n" };
    for (size_t p = 0; p < 4; p++) {
        size_t k = strlen(pats[p]), m = 0;
        for (size_t i = 0; i < 200000 && m + k < n; i++, m += k)
            memcpy(s + m, pats[p], k);
        memset(&o, 0, sizeof o);
        assert_int_equal(mh_page_read_mem("satir.txt", s, m, MH_FMT_TEXT, take_first, NULL, &o), MH_OK);
        mh_err e = mh_extract(&o.r, NULL, &a);
        assert_true(e == MH_OK || e == MH_EEMPTY);
        if (e == MH_OK)
            assert_null(xc_lost_line(&o.r, a));
        mh_article_free(a);
        a = NULL;
        one_free(&o);
    }
    free(s);
}

/* ---------------- allocation failures, whole articles ---------------- */

/* A record read by mh_page_read_mem, line hints included. */
typedef struct held {
    one o;
    unsigned char *hints;
} held;

static int take_with_hints(void *ctx, const mh_record *r)
{
    held *h = ctx;
    if (h->o.got)
        return 0;
    take_first(&h->o, r);
    if (r->line_hints) {
        h->hints = malloc(r->n_line_hints);
        memcpy(h->hints, r->line_hints, r->n_line_hints);
        h->o.r.line_hints = h->hints;
        h->o.r.n_line_hints = r->n_line_hints;
    }
    return 0;
}

static void held_read(held *h, const char *label, const char *data, mh_format fmt)
{
    memset(h, 0, sizeof *h);
    assert_int_equal(mh_page_read_mem(label, data, strlen(data), fmt, take_with_hints, NULL, h),
                     MH_OK);
    assert_int_equal(h->o.got, 1);
}

static void held_free(held *h)
{
    one_free(&h->o);
    free(h->hints);
    h->hints = NULL;
}

static int same_opt(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Every field of two articles, the lists in order. */
static void assert_same_article(const mh_article *a, const mh_article *b, unsigned long k)
{
    const char *fa[] = { a->path, a->url, a->outlet, a->source, a->title, a->date, a->category,
                         a->lead, a->body };
    const char *fb[] = { b->path, b->url, b->outlet, b->source, b->title, b->date, b->category,
                         b->lead, b->body };
    static const char *const names[] = { "path", "url", "outlet", "source", "title", "date",
                                         "category", "lead", "body" };
    for (size_t i = 0; i < sizeof fa / sizeof fa[0]; i++)
        if (!same_opt(fa[i], fb[i]))
            fail_msg("failing allocation %lu: %s \"%s\", unhindered \"%s\"", k, names[i],
                     fa[i] ? fa[i] : "(null)", fb[i] ? fb[i] : "(null)");
    assert_int_equal(a->record, b->record);
    assert_string_equal(a->hash, b->hash);
    if (a->n_removed != b->n_removed)
        fail_msg("failing allocation %lu: %zu removed lines, unhindered %zu", k, a->n_removed,
                 b->n_removed);
    for (size_t i = 0; i < a->n_removed; i++)
        assert_string_equal(a->removed[i], b->removed[i]);
    assert_int_equal(a->n_sentences, b->n_sentences);
    for (size_t i = 0; i < a->n_sentences; i++) {
        assert_int_equal(a->sentences[i].start, b->sentences[i].start);
        assert_int_equal(a->sentences[i].end, b->sentences[i].end);
    }
}

static int oracle_line(void *ctx, const char *outlet, const char *line, size_t len)
{
    (void)ctx;
    static const char tpl[] = "Mahalle bülteni her salı yeniden derlenir";
    return outlet && len == sizeof tpl - 1 && memcmp(line, tpl, len) == 0;
}

/* mh_extract_ex failing each allocation in turn: MH_ENOMEM and no
 * article, or the article of the unhindered run, field for field. */
static void sweep_extract(const mh_record *r, const mh_template_oracle *tpl, unsigned flags)
{
    mh_article *ref = NULL;
    assert_int_equal(mh_extract_ex(r, tpl, flags, &ref), MH_OK);
    int complete = 0, failed = 0;
    TU_SWEEP(k, 200000) {
        mh_article *a = NULL;
        tu_fail(k);
        mh_err e = mh_extract_ex(r, tpl, flags, &a);
        int clean = tu_unarm();
        if (e == MH_OK) {
            assert_non_null(a);
            assert_same_article(a, ref, k);
        } else {
            assert_int_equal(e, MH_ENOMEM);
            assert_null(a);
            failed++;
        }
        mh_article_free(a);
        if (clean) {
            complete = 1;
            break;
        }
    }
    assert_true(complete);
    assert_true(failed > 10);
    mh_article_free(ref);
}

/* Shaped like a crawled page: menus, a title, a stamp, a standfirst with
 * a dateline, a credit, a list of other stories and a template line. */
static const char sweep_page[] =
    "ANA SAYFA\nGÜNDEM\nEKONOMİ\nSPOR\n\n"
    "Kıyı Haber\n\n"
    "Limanda yeni dönem: iskele hizmete girdi\n"
    "02.06.2025 08:15 | Güncelleme: 02.06.2025 09:00\n\n"
    "Limanın yeni iskelesi düzenlenen törenle hizmete girdi, yılda 2 milyon ton yük "
    "taşınacak. 02.06.2025, Kıyı Haber\n\n"
    "İZMİR (AA) - Liman İşletmesi Müdürü Selin Aksoy, \"Bölge ekonomisine büyük katkı "
    "sunacak\" diye konuştu.Aksoy, ikinci etabın gelecek yıl tamamlanacağını söyledi.\n\n"
    "Törene Vali Mehmet Demir ve Belediye Başkanı Dr. Ayşe Kaya da katıldı. Demir, "
    "limanın bölgenin en büyüğü olacağını belirtti.\n\n"
    "Mahalle bülteni her salı yeniden derlenir\n"
    "#kiyihaber\n"
    "Kaynak: AA\n\n"
    "İLGİLİ HABERLER\n"
    "Barajlarda doluluk yüzde 60'a çıktı\n"
    "Müzede yeni sergi cumartesi açılıyor\n";

static const char sweep_html[] =
    "<html><head><meta charset='utf-8'><title>Metro hattı açıldı - Örnek Haber</title>"
    "<meta property='og:title' content='Metro hattı açıldı'>"
    "<meta property='og:site_name' content='Örnek Haber'>"
    "<meta property='article:published_time' content='2025-03-04T10:20:00+03:00'>"
    "<link rel='canonical' href='https://www.ornekhaber.com.tr/gundem/metro-acildi-12'></head>"
    "<body><nav><a href='/'>Ana Sayfa</a></nav>"
    "<div class='links'><a href='/a'>Spor haberleri</a><br><a href='/b'>Ekonomi haberleri</a></div>"
    "<div class='article-body'><h1>Metro hattı açıldı</h1>"
    "<p>Başkentte yapımı süren metro hattı bugün hizmete girdi.</p>"
    "<p>Belediye Başkanı, hattın günde 150 bin yolcu taşıyacağını söyledi.</p>"
    "<h2>İlk sefer dolu</h2><p>Yolcular istasyonların ferah olduğunu belirtti.</p>"
    "<div class='share'><a href='#'>Facebook</a> <a href='#'>Twitter</a></div></div>"
    "</body></html>";

static void test_alloc_sweep_articles(void **state)
{
    (void)state;
    mh_template_oracle tpl = { oracle_line, NULL };
    held h;
    held_read(&h, "kiyi.txt", sweep_page, MH_FMT_TEXT);
    h.o.r.crawl_time = mh_date_to_unix("2025-06-02T12:00:00", 19);
    sweep_extract(&h.o.r, NULL, 0);
    sweep_extract(&h.o.r, &tpl, 0);
    sweep_extract(&h.o.r, &tpl, MH_EXTRACT_NO_SENTENCES);
    held_free(&h);
    held_read(&h, "metro.html", sweep_html, MH_FMT_HTML);
    assert_non_null(h.o.r.line_hints);
    sweep_extract(&h.o.r, NULL, 0);
    held_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_title_lead_body),
        cmocka_unit_test(test_credits),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_hints_and_hash),
        cmocka_unit_test(test_template_oracle),
        cmocka_unit_test(test_outlet_table),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_alloc_sweep_articles),
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_pathological),
        cmocka_unit_test(test_huge_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
