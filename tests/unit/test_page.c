/* test_page.c -- reading inputs: text dumps (BOM, CRLF, NBSP, U+0085,
 * Windows-1254), JSON objects/arrays/wrappers, JSON Lines with a broken
 * line, HTML with layout hints and meta, gzip (and a gzip bomb), errors,
 * callback stops and allocation failures. */
#include "testutil.h"

#include <zlib.h>

typedef struct rec {
    long index;
    char *text, *title, *url, *date, *outlet, *source, *category, *lead;
    int64_t crawl;
    unsigned char *hints;
    size_t n_hints;
} rec;

typedef struct got {
    rec r[16];
    int n;
    long err_index[16];
    mh_err err_code[16];
    int n_err;
    int stop_at;        /* return 7 from the callback at this record (1-based) */
} got;

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static int on_rec(void *ctx, const mh_record *r)
{
    got *g = ctx;
    if (g->n < 16) {
        rec *x = &g->r[g->n];
        x->index = r->index;
        x->text = strndup(r->text, r->text_len);
        x->title = dup_or_null(r->title);
        x->url = dup_or_null(r->url);
        x->date = dup_or_null(r->date);
        x->outlet = dup_or_null(r->outlet);
        x->source = dup_or_null(r->source);
        x->category = dup_or_null(r->category);
        x->lead = dup_or_null(r->lead);
        x->crawl = r->crawl_time;
        x->n_hints = r->n_line_hints;
        if (r->line_hints) {
            x->hints = malloc(r->n_line_hints);
            memcpy(x->hints, r->line_hints, r->n_line_hints);
        }
        /* text and hints agree on the number of lines */
        if (r->line_hints) {
            size_t lines = 1;
            for (size_t i = 0; i < r->text_len; i++)
                lines += r->text[i] == '\n';
            assert_int_equal(lines, r->n_line_hints);
        }
        assert_int_equal(strlen(r->text), r->text_len);
    }
    g->n++;
    return g->stop_at && g->n == g->stop_at ? 7 : 0;
}

static void on_err(void *ctx, const char *path, long index, mh_err e, const char *detail)
{
    got *g = ctx;
    assert_non_null(path);
    assert_non_null(detail);
    if (g->n_err < 16) {
        g->err_index[g->n_err] = index;
        g->err_code[g->n_err] = e;
    }
    g->n_err++;
}

static void got_free(got *g)
{
    for (int i = 0; i < g->n && i < 16; i++) {
        rec *x = &g->r[i];
        free(x->text); free(x->title); free(x->url); free(x->date); free(x->outlet);
        free(x->source); free(x->category); free(x->lead); free(x->hints);
    }
    memset(g, 0, sizeof *g);
}

static int read_mem(const char *label, const char *data, size_t n, mh_format fmt, got *g)
{
    return mh_page_read_mem(label, data, n, fmt, on_rec, on_err, g);
}

static void test_text_dump(void **state)
{
    (void)state;
    got g = { 0 };
    /* BOM, CRLF, NBSP, a curly apostrophe and U+0085 line ends. */
    const char in[] = "\xEF\xBB\xBF" "Başlık satırı\r\n\r\nBakan\xC2\xA0Yılmaz\xE2\x80\x99" "ın "
                      "açıklaması\xC2\x85" "İkinci paragraf.\r\n";
    assert_int_equal(read_mem("x.txt", in, sizeof in - 1, MH_FMT_AUTO, &g), MH_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.r[0].text, "Başlık satırı\n\nBakan Yılmaz'ın açıklaması\nİkinci paragraf.");
    assert_null(g.r[0].title);
    assert_null(g.r[0].hints);
    got_free(&g);
}

static void test_text_cp1254(void **state)
{
    (void)state;
    got g = { 0 };
    /* "Dışişleri Bakanı açıkladı" in Windows-1254 */
    const char in[] = "D\xFD\xFEi\xFEleri Bakan\xFD a\xE7\xFDklad\xFD\n";
    assert_int_equal(read_mem("eski.txt", in, sizeof in - 1, MH_FMT_AUTO, &g), MH_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.r[0].text, "Dışişleri Bakanı açıkladı");
    got_free(&g);
}

static void test_json_object(void **state)
{
    (void)state;
    got g = { 0 };
    const char *in = "{\"title\": \" Kur   \\u00e7ok oynak \", \"content\": \"Birinci.\\nİkinci.\","
                     " \"source\": \"bigpara_hurriyet\", \"url\": \"https://bigpara.hurriyet.com.tr/x/\","
                     " \"date\": \"2025-09-15\", \"kategori\": \"Ekonomi\", \"summary\": \"Özet\","
                     " \"crawled_at\": \"2025-09-15T10:00:00+03:00\"}";
    assert_int_equal(read_mem("a.json", in, strlen(in), MH_FMT_AUTO, &g), MH_OK);
    assert_int_equal(g.n, 1);
    rec *r = &g.r[0];
    assert_string_equal(r->title, "Kur çok oynak");
    assert_string_equal(r->text, "Birinci.\nİkinci.");
    /* a data-set key in "source" names the outlet */
    assert_string_equal(r->outlet, "Bigpara");
    assert_null(r->source);
    assert_string_equal(r->url, "https://bigpara.hurriyet.com.tr/x/");
    assert_string_equal(r->date, "2025-09-15");
    assert_string_equal(r->category, "Ekonomi");
    assert_string_equal(r->lead, "Özet");
    assert_int_equal(r->crawl, mh_date_to_unix("2025-09-15T10:00:00+03:00", 25));
    got_free(&g);

    /* An agency in "source" next to a site is the credit. */
    in = "{\"text\": [\"Paragraf bir.\", \"Paragraf iki.\"], \"site\": \"haber7.com\","
         " \"source\": \"Anadolu Ajansı\", \"crawl_time\": 1762682400000}";
    assert_int_equal(read_mem("b.json", in, strlen(in), MH_FMT_AUTO, &g), MH_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.r[0].text, "Paragraf bir.\nParagraf iki.");
    assert_string_equal(g.r[0].outlet, "Haber7");
    assert_string_equal(g.r[0].source, "AA");
    assert_int_equal(g.r[0].crawl, 1762682400);
    got_free(&g);

    /* HTML inside a content field becomes lines. */
    in = "{\"body\": \"<p>Bir <b>iki</b></p><p>Üç&amp;dört</p><script>x()</script>\"}";
    assert_int_equal(read_mem("c.json", in, strlen(in), MH_FMT_AUTO, &g), MH_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.r[0].text, "Bir iki\nÜç&dört");
    got_free(&g);
}

static void test_json_array_and_wrapper(void **state)
{
    (void)state;
    got g = { 0 };
    const char *in = "[{\"content\": \"A bir.\"}, 42, {\"title\": \"yalnız başlık\"}, {\"content\": \"C üç.\"}]";
    assert_int_equal(read_mem("liste.json", in, strlen(in), MH_FMT_AUTO, &g), MH_OK);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.r[0].index, 0);
    assert_string_equal(g.r[0].text, "A bir.");
    assert_int_equal(g.r[1].index, 3);
    assert_int_equal(g.n_err, 2);
    assert_int_equal(g.err_index[0], 1);
    assert_int_equal(g.err_code[0], MH_EFORMAT);
    assert_int_equal(g.err_index[1], 2);
    assert_int_equal(g.err_code[1], MH_EEMPTY);
    got_free(&g);

    in = "{\"status\": \"ok\", \"articles\": [{\"content\": \"Bir.\"}, {\"content\": \"İki.\"}]}";
    assert_int_equal(read_mem("sarmal.json", in, strlen(in), MH_FMT_AUTO, &g), MH_OK);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.r[1].text, "İki.");
    got_free(&g);
}

static void test_jsonl_broken_line(void **state)
{
    (void)state;
    got g = { 0 };
    const char *in = "{\"content\": \"Bir.\"}\n"
                     "\n"
                     "{\"content\": \"İki.\", \"title\": \n"
                     "   \r\n"
                     "{\"content\": \"Üç.\"}\r\n"
                     "[1, 2]\n"
                     "{\"content\": \"Dört.\"}";
    assert_int_equal(read_mem("akis.jsonl", in, strlen(in), MH_FMT_AUTO, &g), MH_OK);
    assert_int_equal(g.n, 3);
    assert_string_equal(g.r[0].text, "Bir.");
    assert_int_equal(g.r[0].index, 0);
    assert_string_equal(g.r[1].text, "Üç.");
    assert_int_equal(g.r[1].index, 2);
    assert_string_equal(g.r[2].text, "Dört.");
    assert_int_equal(g.r[2].index, 4);
    assert_int_equal(g.n_err, 2);
    assert_int_equal(g.err_index[0], 1);
    assert_int_equal(g.err_code[0], MH_EFORMAT);
    assert_int_equal(g.err_index[1], 3);
    got_free(&g);

    /* A .json file that is really JSON Lines is read as such. */
    in = "{\"content\": \"Bir.\"}\n{\"content\": \"İki.\"}\n";
    assert_int_equal(read_mem("yanlis.json", in, strlen(in), MH_FMT_AUTO, &g), MH_OK);
    assert_int_equal(g.n, 2);
    got_free(&g);
}

static void test_callback_stops(void **state)
{
    (void)state;
    got g = { 0 };
    g.stop_at = 2;
    const char *in = "{\"content\": \"Bir.\"}\n{\"content\": \"İki.\"}\n{\"content\": \"Üç.\"}\n";
    assert_int_equal(read_mem("dur.jsonl", in, strlen(in), MH_FMT_AUTO, &g), 7);
    assert_int_equal(g.n, 2);
    got_free(&g);
}

static const char html_page[] =
    "<!DOCTYPE html><html><head><meta charset='utf-8'>"
    "<title>Ankara'da yeni metro hattı açıldı - Örnek Haber</title>"
    "<meta property='og:title' content='Ankara&#39;da yeni metro hattı açıldı'>"
    "<meta property='og:site_name' content='Örnek Haber'>"
    "<meta property='article:published_time' content='2025-03-04T10:20:00+03:00'>"
    "<meta property='article:section' content='Gündem'>"
    "<link rel='canonical' href='https://www.ornekhaber.com.tr/gundem/metro-acildi-1234'>"
    "<style>p{color:red}</style><script>var x = '<p>gizli</p>';</script></head><body>"
    "<nav><a href='/'>Ana Sayfa</a> <a href='/gundem'>Gündem</a></nav>"
    "<div class='top-links'><a href='/a'>Spor haberleri</a><br><a href='/b'>Ekonomi haberleri</a></div>"
    "<div class='article-body'><h1>Ankara'da yeni metro hattı açıldı</h1>"
    "<p>Başkentte uzun süredir yapımı süren metro hattı, düzenlenen törenle bugün hizmete girdi.</p>"
    "<p>Belediye Başkanı, hattın günde 150 bin yolcu taşıyacağını, yolculuk süresini ise yarıya "
    "indireceğini söyledi.</p>"
    "<h2>İlk sefer dolu dolu</h2>"
    "<p>İlk sefere katılan yolcular, yeni istasyonların ferah ve erişilebilir olduğunu, "
    "asansörlerin çalıştığını belirtti.<br>Yetkililer, hattın ikinci etabının gelecek yıl "
    "tamamlanacağını açıkladı.</p>"
    "<div class='share-bar'><a href='#'>Facebook</a> <a href='#'>Twitter</a></div>"
    "<p hidden>Gizli paragraf</p><p style='display: none'>Bu da gizli</p>"
    "</div>"
    "<aside><p>Yan sütun içeriği burada uzun uzun yazıyor ama sayılmamalı.</p></aside>"
    "<div class='related'><ul><li><a href='/x'>Başka bir haber başlığı</a></li>"
    "<li><a href='/y'>Bir başka haber başlığı daha</a></li></ul></div>"
    "<footer><p>Tüm hakları saklıdır.</p></footer>"
    "<form><p>Arama kutusu</p></form>"
    "</body></html>";

static long find_line(const rec *r, const char *line)
{
    const char *p = r->text;
    long i = 0;
    size_t n = strlen(line);
    for (;;) {
        const char *e = strchr(p, '\n');
        size_t k = e ? (size_t)(e - p) : strlen(p);
        if (k == n && memcmp(p, line, n) == 0)
            return i;
        if (!e)
            return -1;
        p = e + 1;
        i++;
    }
}

static void test_html(void **state)
{
    (void)state;
    got g = { 0 };
    assert_int_equal(read_mem("sayfa.html", html_page, sizeof html_page - 1, MH_FMT_AUTO, &g), MH_OK);
    assert_int_equal(g.n, 1);
    rec *r = &g.r[0];
    assert_string_equal(r->title, "Ankara'da yeni metro hattı açıldı");
    assert_string_equal(r->url, "https://www.ornekhaber.com.tr/gundem/metro-acildi-1234");
    assert_string_equal(r->outlet, "Örnek Haber");
    assert_string_equal(r->date, "2025-03-04T10:20:00+03:00");
    assert_string_equal(r->category, "Gündem");
    assert_non_null(r->hints);
    /* skipped elements leave no text */
    assert_null(strstr(r->text, "gizli"));
    assert_null(strstr(r->text, "Gizli"));
    assert_null(strstr(r->text, "Ana Sayfa"));
    assert_null(strstr(r->text, "Yan sütun"));
    assert_null(strstr(r->text, "hakları"));
    assert_null(strstr(r->text, "Arama kutusu"));
    assert_null(strstr(r->text, "color"));
    /* article paragraphs are content; <br> splits a line */
    long p1 = find_line(r, "Başkentte uzun süredir yapımı süren metro hattı, düzenlenen törenle bugün hizmete girdi.");
    long p3 = find_line(r, "Yetkililer, hattın ikinci etabının gelecek yıl tamamlanacağını açıkladı.");
    long h2 = find_line(r, "İlk sefer dolu dolu");
    assert_true(p1 >= 0 && p3 >= 0 && h2 >= 0);
    assert_int_equal(r->hints[p1], MH_LINE_TEXT);
    assert_int_equal(r->hints[p3], MH_LINE_TEXT);
    assert_int_equal(r->hints[h2], MH_LINE_HEADING);
    /* link lists and furniture are boilerplate, but still in the text */
    long l1 = find_line(r, "Spor haberleri");
    long l2 = find_line(r, "Başka bir haber başlığı");
    long l3 = find_line(r, "Facebook Twitter");
    assert_true(l1 >= 0 && l2 >= 0 && l3 >= 0);
    assert_int_equal(r->hints[l1], MH_LINE_BOILER);
    assert_int_equal(r->hints[l2], MH_LINE_BOILER);
    assert_int_equal(r->hints[l3], MH_LINE_BOILER);

    /* ... and the extractor turns that into an article */
    mh_record rr;
    memset(&rr, 0, sizeof rr);
    rr.path = "sayfa.html";
    rr.text = r->text;
    rr.text_len = strlen(r->text);
    rr.title = r->title;
    rr.url = r->url;
    rr.date = r->date;
    rr.outlet = r->outlet;
    rr.category = r->category;
    rr.line_hints = r->hints;
    rr.n_line_hints = r->n_hints;
    mh_article *a = NULL;
    assert_int_equal(mh_extract(&rr, NULL, &a), MH_OK);
    assert_string_equal(a->date, "2025-03-04");
    assert_string_equal(a->category, "Gündem");
    assert_string_equal(a->outlet, "Örnek Haber");
    assert_non_null(strstr(a->body, "asansörlerin"));
    assert_null(strstr(a->body, "Spor haberleri"));
    int found = 0;
    for (size_t i = 0; i < a->n_removed; i++)
        found += strcmp(a->removed[i], "Başka bir haber başlığı") == 0;
    assert_int_equal(found, 1);
    mh_article_free(a);
    got_free(&g);
}

static void test_html_cp1254_and_detection(void **state)
{
    (void)state;
    got g = { 0 };
    /* No extension: detected as HTML from its content; Windows-1254. */
    const char in[] = "<html><body><p>G\xFCne\xFE do\xF0" "du, \xE7" "ay demlendi ve herkes "
                      "kahvalt\xFD sofras\xFDna oturdu.</p></body></html>";
    assert_int_equal(read_mem("-", in, sizeof in - 1, MH_FMT_AUTO, &g), MH_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.r[0].text, "Güneş doğdu, çay demlendi ve herkes kahvaltı sofrasına oturdu.");
    got_free(&g);

    /* A text dump with <image> placeholders is not HTML. */
    const char *t = "Başlık\n<image>resim</image>\nMetin.";
    assert_int_equal(read_mem("-", t, strlen(t), MH_FMT_AUTO, &g), MH_OK);
    assert_null(g.r[0].hints);
    assert_non_null(strstr(g.r[0].text, "<image>resim</image>"));
    got_free(&g);
}

/* gzip-compress (s, n) in memory; caller frees. */
static unsigned char *gzip(const void *s, size_t n, size_t *out_n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, n) + 64;
    unsigned char *out = malloc(cap);
    z.next_in = (unsigned char *)s;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    *out_n = z.total_out;
    deflateEnd(&z);
    return out;
}

static void test_gzip(void **state)
{
    (void)state;
    got g = { 0 };
    size_t zn;
    unsigned char *z = gzip(html_page, sizeof html_page - 1, &zn);
    assert_int_equal(read_mem("sayfa.html.gz", (char *)z, zn, MH_FMT_AUTO, &g), MH_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.r[0].title, "Ankara'da yeni metro hattı açıldı");
    got_free(&g);
    /* truncated */
    assert_int_equal(read_mem("kesik.html.gz", (char *)z, zn / 2, MH_FMT_AUTO, &g), MH_EFORMAT);
    assert_int_equal(g.n, 0);
    /* two concatenated members are one stream */
    unsigned char *zz = malloc(zn * 2);
    memcpy(zz, z, zn);
    memcpy(zz + zn, z, zn);
    assert_int_equal(read_mem("iki.txt.gz", (char *)zz, zn * 2, MH_FMT_TEXT, &g), MH_OK);
    assert_int_equal(g.n, 1);
    assert_non_null(strstr(g.r[0].text, "</html><!DOCTYPE"));
    got_free(&g);
    free(zz);
    free(z);
}

static void test_gzip_bomb(void **state)
{
    (void)state;
    got g = { 0 };
    /* 64 MiB of spaces compress to about 64 KiB: far over any real ratio. */
    size_t n = (size_t)64 << 20;
    char *big = malloc(n);
    memset(big, ' ', n);
    size_t zn;
    unsigned char *z = gzip(big, n, &zn);
    free(big);
    assert_true(zn < ((size_t)1 << 20));
    assert_int_equal(read_mem("bomba.txt.gz", (char *)z, zn, MH_FMT_AUTO, &g), MH_ETOOBIG);
    assert_int_equal(g.n, 0);
    free(z);
}

static void test_errors(void **state)
{
    (void)state;
    got g = { 0 };
    assert_int_equal(mh_page_read_file("/nonexistent/dir/x.txt", MH_FMT_AUTO, on_rec, on_err, &g), MH_EIO);
    assert_int_equal(mh_page_read_file("x.txt", MH_FMT_AUTO, NULL, NULL, NULL), MH_EINVAL);
    assert_int_equal(read_mem("bos.txt", "", 0, MH_FMT_AUTO, &g), MH_EEMPTY);
    assert_int_equal(read_mem("bosluk.txt", " \n\r\n \t\n", 7, MH_FMT_AUTO, &g), MH_EEMPTY);
    static const char bin[] = { 'P', 'K', 3, 4, 0, 0, 0, 1, 2, 0, 0, (char)0xff, 0, 0, 9, 0 };
    assert_int_equal(read_mem("ikili.txt", bin, sizeof bin, MH_FMT_AUTO, &g), MH_EBINARY);
    assert_int_equal(read_mem("ikili.json", bin, sizeof bin, MH_FMT_AUTO, &g), MH_EBINARY);
    assert_int_equal(read_mem("kirik.json", "{\"content\": \"a", 14, MH_FMT_AUTO, &g), MH_EFORMAT);
    assert_int_equal(read_mem("sayi.json", "42", 2, MH_FMT_AUTO, &g), MH_EFORMAT);
    assert_int_equal(read_mem("bos.json", "[]", 2, MH_FMT_AUTO, &g), MH_EEMPTY);
    assert_int_equal(read_mem("bos.html", "<html><body><script>x</script></body></html>", 44,
                              MH_FMT_AUTO, &g), MH_EEMPTY);
    assert_int_equal(g.n, 0);
}

static void test_deep_html(void **state)
{
    (void)state;
    got g = { 0 };
    /* 200,000 nested divs would keep the HTML parser busy for minutes. */
    size_t k = 200000;
    char *s = malloc(k * 5 + 64);
    size_t n = 0;
    for (size_t i = 0; i < k; i++) {
        memcpy(s + n, "<div>", 5);
        n += 5;
    }
    memcpy(s + n, "metin", 5);
    n += 5;
    assert_int_equal(read_mem("derin.html", s, n, MH_FMT_AUTO, &g), MH_EFORMAT);
    free(s);
    /* A few hundred levels are fine. */
    char small[400 * 5 + 100];
    n = 0;
    for (int i = 0; i < 400; i++) {
        memcpy(small + n, "<div>", 5);
        n += 5;
    }
    memcpy(small + n, "Derindeki metin burada.", 23);
    n += 23;
    assert_int_equal(read_mem("derin2.html", small, n, MH_FMT_AUTO, &g), MH_OK);
    assert_string_equal(g.r[0].text, "Derindeki metin burada.");
    got_free(&g);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    const char *json = "[{\"title\": \"Başlık\", \"content\": \"Bir.\\nİki.\", \"source\": \"AA\","
                       " \"site\": \"ntv.com.tr\"}, {\"content\": \"Üç.\"}]";
    /* Fail each allocation in turn: every run ends cleanly (ASan checks
     * for leaks) with MH_OK or MH_ENOMEM. */
    for (unsigned long nth = 1; nth < 400; nth++) {
        got g = { 0 };
        mh_set_alloc_fail(nth);
        int rc = read_mem("a.json", json, strlen(json), MH_FMT_AUTO, &g);
        mh_set_alloc_fail(0);
        assert_true(rc == MH_OK || rc == MH_ENOMEM);
        got_free(&g);
        g.n = 0;
        mh_set_alloc_fail(nth);
        rc = read_mem("s.html", html_page, sizeof html_page - 1, MH_FMT_AUTO, &g);
        mh_set_alloc_fail(0);
        assert_true(rc == MH_OK || rc == MH_ENOMEM);
        got_free(&g);
    }
}

/* ---------------- allocation failures, record by record ---------------- */

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int same_rec(const rec *a, const rec *b)
{
    return a->index == b->index && same_str(a->text, b->text) && same_str(a->title, b->title) &&
           same_str(a->url, b->url) && same_str(a->date, b->date) &&
           same_str(a->outlet, b->outlet) && same_str(a->source, b->source) &&
           same_str(a->category, b->category) && same_str(a->lead, b->lead) &&
           a->crawl == b->crawl && a->n_hints == b->n_hints &&
           (!a->hints) == (!b->hints) && (!a->hints || memcmp(a->hints, b->hints, a->n_hints) == 0);
}

static void show_field(const char *name, const char *a, const char *b)
{
    if (!same_str(a, b))
        print_error("  %s: \"%s\", unhindered \"%s\"\n", name, a ? a : "(null)",
                    b ? b : "(null)");
}

/* What differs between a record read under failures and the reference. */
static void show_diff(const rec *a, const rec *b)
{
    show_field("text", a->text, b->text);
    show_field("title", a->title, b->title);
    show_field("url", a->url, b->url);
    show_field("date", a->date, b->date);
    show_field("outlet", a->outlet, b->outlet);
    show_field("source", a->source, b->source);
    show_field("category", a->category, b->category);
    show_field("lead", a->lead, b->lead);
    if (a->crawl != b->crawl || a->n_hints != b->n_hints)
        print_error("  crawl %lld, hints %zu; unhindered %lld, %zu\n", (long long)a->crawl,
                    a->n_hints, (long long)b->crawl, b->n_hints);
}

/* Read (data, n) failing each allocation in turn.  The whole file fails
 * with MH_ENOMEM, or it is read: then every record of the unhindered
 * read is delivered exactly as then, or reported to err_cb (MH_ENOMEM,
 * or the record's own error); never a record with a field missing. */
static void sweep_read(const char *label, const char *data, size_t n, int want_records)
{
    got ref = { 0 };
    assert_int_equal(read_mem(label, data, n, MH_FMT_AUTO, &ref), MH_OK);
    assert_int_equal(ref.n, want_records);
    int complete = 0, failed = 0;
    TU_SWEEP(k, 200000) {
        got g = { 0 };
        tu_fail(k);
        int rc = read_mem(label, data, n, MH_FMT_AUTO, &g);
        int clean = tu_unarm();
        if (rc != MH_OK)
            assert_int_equal(rc, MH_ENOMEM);
        /* Every record delivered is the right one, complete. */
        for (int i = 0; i < g.n; i++) {
            int found = 0;
            for (int j = 0; j < ref.n; j++)
                if (g.r[i].index == ref.r[j].index) {
                    if (!same_rec(&g.r[i], &ref.r[j]))
                        show_diff(&g.r[i], &ref.r[j]);
                    if (!same_rec(&g.r[i], &ref.r[j]))
                        fail_msg("%s, failing allocation %lu: record %ld differs (title %s, "
                                 "outlet %s, date %s)", label, k, g.r[i].index,
                                 g.r[i].title ? g.r[i].title : "NULL",
                                 g.r[i].outlet ? g.r[i].outlet : "NULL",
                                 g.r[i].date ? g.r[i].date : "NULL");
                    found = 1;
                }
            assert_true(found);
        }
        /* Errors: out of memory, or what the record always gets. */
        for (int i = 0; i < g.n_err; i++) {
            int own = 0;
            for (int j = 0; j < ref.n_err; j++)
                own |= ref.err_index[j] == g.err_index[i] && ref.err_code[j] == g.err_code[i];
            if (!own && g.err_code[i] != MH_ENOMEM)
                fail_msg("%s, failing allocation %lu: record %ld error %d", label, k,
                         g.err_index[i], g.err_code[i]);
            failed += g.err_code[i] == MH_ENOMEM;
        }
        /* A file read to the end lost no record silently. */
        if (rc == MH_OK) {
            for (int j = 0; j < ref.n; j++) {
                int seen = 0;
                for (int i = 0; i < g.n; i++)
                    seen |= g.r[i].index == ref.r[j].index;
                for (int i = 0; i < g.n_err; i++)
                    seen |= g.err_index[i] == ref.r[j].index;
                if (!seen)
                    fail_msg("%s, failing allocation %lu: record %ld lost", label, k,
                             ref.r[j].index);
            }
        } else {
            failed++;
        }
        got_free(&g);
        if (clean) {
            complete = 1;
            break;
        }
    }
    assert_true(complete);
    assert_true(failed > 0);
    got_free(&ref);
}

/* A text dump shaped like a crawled news page: menu lines, the title, a
 * stamp, paragraphs, a credit; with a BOM, CRLF and a no-break space. */
static const char oom_text_page[] =
    "\xef\xbb\xbf" "ANA SAYFA\r\nGÜNDEM\r\nEKONOMİ\r\n\r\n"
    "Valilikten kar uyarısı: okullar tatil edildi\r\n"
    "12.01.2025 09:41 | Son Güncelleme: 12.01.2025 10:05\r\n\r\n"
    "Kent genelinde etkili olan yoğun kar yağışı nedeniyle okullar bir gün\xc2\xa0tatil edildi.\r\n\r\n"
    "Vali Mehmet Demir, \"Vatandaşlarımız zorunlu olmadıkça yola çıkmasın\" dedi. "
    "Demir, ekiplerin gece boyunca çalıştığını söyledi.\r\n\r\n"
    "Kaynak: AA\r\n";

/* HTML with JSON-LD, <time>, an agency credit in a byline and a
 * relative stamp. */
static const char oom_html_page[] =
    "<!DOCTYPE html><html lang='tr'><head><meta charset='utf-8'>"
    "<title>Limanda yeni dönem | Kıyı Haber</title>"
    "<meta name='description' content='Limanın yeni iskelesi hizmete girdi.'>"
    "<script type='application/ld+json'>{\"@context\":\"https://schema.org\",\"@type\":"
    "\"NewsArticle\",\"headline\":\"Limanda yeni dönem başladı\",\"datePublished\":"
    "\"2025-06-02T08:15:00+03:00\",\"articleSection\":\"Ekonomi\",\"publisher\":{\"@type\":"
    "\"Organization\",\"name\":\"Kıyı Haber\"},\"author\":{\"name\":\"DHA\"}}</script>"
    "<link rel='canonical' href='https://www.kiyihaber.com.tr/ekonomi/limanda-yeni-donem-77'>"
    "</head><body><header><a href='/'>Kıyı Haber</a></header>"
    "<main><article><h1>Limanda yeni dönem başladı</h1>"
    "<time datetime='2025-06-02T08:15:00+03:00'>2 Haziran 2025</time>"
    "<p class='byline'>İZMİR (DHA) - </p>"
    "<p>Limanın yeni iskelesi, düzenlenen törenle hizmete girdi. İskele, yılda 2 milyon "
    "ton yük kapasitesine sahip.</p>"
    "<p>Liman İşletmesi Müdürü Selin Aksoy, \"Bölge ekonomisine büyük katkı sunacak\" "
    "diye konuştu.</p>"
    "<ul class='tags'><li><a href='/t/liman'>liman</a></li><li><a href='/t/izmir'>izmir</a></li></ul>"
    "</article></main><footer><p>© Kıyı Haber</p></footer></body></html>";

/* JSON Lines: hints under several names, a body as paragraphs and as
 * HTML, crawl times as ISO and as milliseconds, a broken line. */
static const char oom_jsonl[] =
    "{\"headline\": \"Barajlarda doluluk arttı\", \"articleBody\": [\"İSKİ verilerine göre "
    "doluluk yüzde 60'a çıktı.\", \"Uzmanlar tasarruf çağrısı yaptı.\"], \"url\": "
    "\"https://www.ornekgazete.com.tr/gundem/baraj-1\", \"date\": \"2025-02-03\", \"source\": "
    "\"bigpara_hurriyet\", \"section\": \"Gündem\", \"crawled_at\": \"2025-02-03T12:00:00Z\"}\n"
    "{\"title\": \"Kırık satır\", \"content\": \n"
    "{\"title\": \"Müzede yeni sergi\", \"body\": \"<p>Sergi <b>cumartesi</b> açılıyor.</p>"
    "<p>Giriş ücretsiz olacak.</p>\", \"publisher\": \"Kültür Ajansı\", \"description\": "
    "\"Sergi hafta sonu açılıyor.\", \"fetched_at\": 1738584000000}\n"
    "{\"text\": \"Anadolu Ajansı'nın haberine göre toplantı yarın yapılacak.\", \"site\": "
    "\"aa.com.tr\", \"source\": \"AA\", \"category\": \"dunya\"}\n";

/* A JSON wrapper object holding an array. */
static const char oom_json[] =
    "{\"status\": \"ok\", \"articles\": [{\"title\": \"Birinci\", \"content\": \"Bir. İki.\", "
    "\"outlet\": \"Örnek Haber\", \"lead\": \"Özet.\"}, {\"headline\": \"İkinci\", \"text\": "
    "\"Üç.\\nDört.\", \"date\": \"3 Mart 2025\", \"crawl_time\": 1741000000}]}";

static void test_alloc_sweep_records(void **state)
{
    (void)state;
    sweep_read("sayfa.txt", oom_text_page, sizeof oom_text_page - 1, 1);
    sweep_read("sayfa.html", oom_html_page, sizeof oom_html_page - 1, 1);
    sweep_read("orijinal.html", html_page, sizeof html_page - 1, 1);
    sweep_read("akis.jsonl", oom_jsonl, sizeof oom_jsonl - 1, 3);
    sweep_read("paket.json", oom_json, sizeof oom_json - 1, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_dump),
        cmocka_unit_test(test_text_cp1254),
        cmocka_unit_test(test_json_object),
        cmocka_unit_test(test_json_array_and_wrapper),
        cmocka_unit_test(test_jsonl_broken_line),
        cmocka_unit_test(test_callback_stops),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_html_cp1254_and_detection),
        cmocka_unit_test(test_gzip),
        cmocka_unit_test(test_gzip_bomb),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_deep_html),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_alloc_sweep_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
