// muhabir web page: a single page with hash routing over the JSON API
// (docs/api.md).  Every piece of data goes into the DOM through
// textContent or setAttribute, never through innerHTML, so an article or
// a query cannot inject markup.  No external resources: the server sends
// a Content-Security-Policy that forbids them.
'use strict';

(function () {
  const view = document.getElementById('view');
  const MONTHS = ['Ocak', 'Şubat', 'Mart', 'Nisan', 'Mayıs', 'Haziran', 'Temmuz',
    'Ağustos', 'Eylül', 'Ekim', 'Kasım', 'Aralık'];
  const TYPES = {
    person: 'Kişi', place: 'Yer', org: 'Kurum', organisation: 'Kurum', other: 'Diğer'
  };
  let stats = null;     // /api/stats, loaded once per page view
  let renderSeq = 0;    // drops answers that arrive after the user moved on

  // ---------- DOM helpers ----------

  // el('a', {href: '#/x', class: 'y'}, 'text', child...) -- strings become
  // text nodes; attributes are set with setAttribute.
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'on') {
          for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
        } else {
          e.setAttribute(k, v === true ? '' : String(v));
        }
      }
    }
    append(e, kids);
    return e;
  }

  function append(parent, kids) {
    for (const k of kids) {
      if (k === null || k === undefined || k === false) continue;
      if (Array.isArray(k)) append(parent, k);
      else if (k instanceof Node) parent.appendChild(k);
      else parent.appendChild(document.createTextNode(String(k)));
    }
  }

  function svg(tag, attrs, ...kids) {
    const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    for (const k of kids) {
      if (k instanceof Node) e.appendChild(k);
      else if (k !== null && k !== undefined) e.appendChild(document.createTextNode(String(k)));
    }
    return e;
  }

  function show(...kids) {
    view.replaceChildren();
    append(view, kids);
  }

  function trDate(d) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d || '');
    if (!m) return d || 'tarih yok';
    return Number(m[3]) + ' ' + MONTHS[Number(m[2]) - 1] + ' ' + m[1];
  }

  function hashFor(route, params) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {}))
      if (v !== undefined && v !== null && v !== '') qs.set(k, v);
    const s = qs.toString();
    return '#/' + route + (s ? '?' + s : '');
  }

  function articleLink(id, text) {
    return el('a', {href: '#/article/' + encodeURIComponent(id)}, text || 'başlıksız haber');
  }

  function entityLink(name, text, cls) {
    return el('a', {href: '#/entity/' + encodeURIComponent(name), class: cls || null}, text || name);
  }

  function meta(...parts) {
    const out = el('div', {class: 'meta'});
    let first = true;
    for (const p of parts) {
      if (p === null || p === undefined || p === '') continue;
      if (!first) out.appendChild(el('span', {class: 'sep'}, '·'));
      append(out, [p]);
      first = false;
    }
    return out;
  }

  function notice(text, detail, isError) {
    return el('div', {class: 'notice' + (isError ? ' error' : ''), role: 'status'},
      el('div', {class: 'notice-text'}, text),
      detail ? el('div', {class: 'detail'}, detail) : null);
  }

  // The state of a view whose data the server does not offer yet (501),
  // or an error, in Turkish with the server's English reason underneath.
  function failure(res, what) {
    if (res.status === 501)
      return notice(what + ' henüz kullanılamıyor.', res.message, false);
    if (res.status === 404)
      return notice(what + ' bulunamadı.', res.message, true);
    if (res.status === 0)
      return notice('Sunucuya ulaşılamadı.', res.message, true);
    return notice('Bir hata oluştu (' + res.status + ').', res.message, true);
  }

  // ---------- API ----------

  async function api(path, params) {
    let url = '/api/' + path;
    if (params) {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(params))
        if (v !== undefined && v !== null && v !== '') qs.set(k, v);
      const s = qs.toString();
      if (s) url += '?' + s;
    }
    try {
      const r = await fetch(url, {headers: {Accept: 'application/json'}});
      let data = null;
      try { data = await r.json(); } catch (e) { data = null; }
      if (!r.ok) {
        const msg = data && data.error && data.error.message ? data.error.message : r.statusText;
        return {ok: false, status: r.status, message: msg};
      }
      return {ok: true, status: r.status, data: data};
    } catch (e) {
      return {ok: false, status: 0, message: String(e)};
    }
  }

  async function loadStats() {
    if (stats) return stats;
    const r = await api('stats');
    if (r.ok) {
      stats = r.data;
      const info = document.getElementById('dbinfo');
      info.textContent = stats.articles + ' haber · ' + stats.outlets.length + ' kaynak';
    }
    return stats;
  }

  // ---------- routing ----------

  function parseHash() {
    let h = location.hash.replace(/^#\/?/, '');
    let query = '';
    const qi = h.indexOf('?');
    if (qi >= 0) { query = h.slice(qi + 1); h = h.slice(0, qi); }
    const segs = h.split('/').map(function (s) {
      try { return decodeURIComponent(s); } catch (e) { return s; }
    });
    return {name: segs[0] || 'search', arg: segs.slice(1).join('/'), params: new URLSearchParams(query)};
  }

  async function render() {
    const seq = ++renderSeq;
    const r = parseHash();
    for (const a of document.querySelectorAll('.top nav a')) {
      const active = a.dataset.nav === r.name ||
        (r.name === 'article' && a.dataset.nav === 'search') ||
        (r.name === 'entity' && a.dataset.nav === 'entities');
      a.classList.toggle('active', active);
    }
    show(el('p', {class: 'summary'}, 'Yükleniyor…'));
    const views = {
      search: viewSearch, article: viewArticle, entity: viewEntity,
      stories: viewStories, story: viewStory, quotes: viewQuotes, entities: viewEntities
    };
    const fn = views[r.name];
    const current = function () { return seq === renderSeq; };
    if (!fn) {
      show(notice('Böyle bir sayfa yok.', location.hash, true));
      return;
    }
    await fn(r, current);
    window.scrollTo(0, 0);
  }

  // ---------- search ----------

  function outletSelect(selected) {
    const s = el('select', {name: 'outlet', id: 'f-outlet'}, el('option', {value: ''}, 'Tüm kaynaklar'));
    if (stats)
      for (const o of stats.outlets) {
        if (!o.name) continue;
        s.appendChild(el('option', {value: o.name, selected: o.name === selected}, o.name + ' (' + o.articles + ')'));
      }
    return s;
  }

  function snippet(hit) {
    const p = el('p', {class: 'snippet'});
    if (Array.isArray(hit.snippet_parts) && hit.snippet_parts.length) {
      for (const part of hit.snippet_parts)
        p.appendChild(part.match ? el('mark', null, part.text) : document.createTextNode(part.text));
    } else if (hit.snippet) {
      p.textContent = hit.snippet;
    }
    return p;
  }

  async function viewSearch(r, current) {
    await loadStats();
    if (!current()) return;
    const p = r.params;
    const q = p.get('q') || '';
    const form = el('form', {class: 'filters', id: 'search-form', role: 'search'},
      el('input', {type: 'search', name: 'q', id: 'f-q', value: q, placeholder: 'Haberlerde ara… (ör. Lavrov İstanbul)', 'aria-label': 'Arama'}),
      el('button', {type: 'submit', id: 'f-go'}, 'Ara'),
      el('div', {class: 'row'},
        el('label', null, 'Başlangıç tarihi', el('input', {type: 'date', name: 'from', id: 'f-from', value: p.get('from') || ''})),
        el('label', null, 'Bitiş tarihi', el('input', {type: 'date', name: 'to', id: 'f-to', value: p.get('to') || ''})),
        el('label', null, 'Kaynak', outletSelect(p.get('outlet') || ''))));
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      const f = new FormData(form);
      location.hash = hashFor('search', {q: f.get('q').trim(), from: f.get('from'), to: f.get('to'), outlet: f.get('outlet')});
    });
    const heading = el('h1', null, 'Haberler');
    if (!q) {
      show(heading, form, el('p', {class: 'summary'}, 'Aramak istediğiniz kelimeleri yazın. Tırnak içinde ifade, OR, -hariç ve önek* kullanılabilir.'));
      document.getElementById('f-q').focus();
      return;
    }
    const offset = Number(p.get('offset') || 0);
    const params = {q: q, from: p.get('from'), to: p.get('to'), outlet: p.get('outlet'), limit: 10, offset: offset || null};
    const res = await api('search', params);
    if (!current()) return;
    if (!res.ok) {
      show(heading, form, failure(res, 'Arama'));
      return;
    }
    const d = res.data;
    const list = el('ol', {class: 'results', id: 'results', start: d.offset + 1});
    for (const h of d.results) {
      list.appendChild(el('li', {class: 'hit'},
        el('div', {class: 'title'}, articleLink(h.id, h.title)),
        meta(h.outlet ? ['Kaynak: ', h.outlet] : null, ['Tarih: ', trDate(h.date)]),
        snippet(h)));
    }
    const summary = d.count === 0
      ? el('p', {class: 'summary', id: 'summary'}, 'Sonuç bulunamadı.')
      : el('p', {class: 'summary', id: 'summary'}, (d.offset + 1) + '–' + (d.offset + d.count) + '. sonuçlar' + (d.has_more ? '' : ' (hepsi bu kadar)'));
    const pager = el('div', {class: 'pager'},
      el('button', {class: 'ghost', disabled: offset === 0, on: {click: function () {
        location.hash = hashFor('search', Object.assign({}, params, {limit: null, offset: Math.max(0, offset - 10) || null}));
      }}}, '‹ Önceki'),
      el('button', {class: 'ghost', disabled: !d.has_more, on: {click: function () {
        location.hash = hashFor('search', Object.assign({}, params, {limit: null, offset: d.next_offset}));
      }}}, 'Sonraki ›'));
    show(heading, form, summary, list, d.count ? pager : null);
  }

  // ---------- article ----------

  // Marking text by byte offsets (UTF-8, as the library reports them).
  // spans: [{start, end, make(bytes, start, end) -> Node}] inside
  // [from, to); overlapping spans after the first are left unmarked.
  const dec = new TextDecoder();
  function markRange(bytes, from, to, spans) {
    const out = [];
    let pos = from;
    const inside = spans.filter(function (s) {
      return Number.isInteger(s.start) && Number.isInteger(s.end) &&
        s.start >= from && s.end <= to && s.start < s.end;
    }).sort(function (x, y) { return x.start - y.start || y.end - x.end; });
    for (const s of inside) {
      if (s.start < pos) continue;
      if (s.start > pos) out.push(document.createTextNode(dec.decode(bytes.subarray(pos, s.start))));
      out.push(s.make(bytes, s.start, s.end));
      pos = s.end;
    }
    if (pos < to) out.push(document.createTextNode(dec.decode(bytes.subarray(pos, to))));
    return out;
  }

  // A text of the article (its body, or its lead) as paragraphs, with
  // quotes and, inside and outside them, entity mentions marked.  Items
  // carry offsets into the part named by "in" ("title", "lead"; none or
  // "body" for the body), so only the items of this part are used.
  function markedText(text, part, entsAll, quotesAll, id, tag) {
    const bytes = new TextEncoder().encode(text || '');
    const mine = function (x) { return (x.in || 'body') === part; };
    const entSpans = (Array.isArray(entsAll) ? entsAll : []).filter(mine).map(function (m) {
      return {start: m.start, end: m.end, make: function (b, st, en) {
        const t = dec.decode(b.subarray(st, en));
        return entityLink(m.name || t, t, 'ent ' + (m.type || 'other'));
      }};
    });
    const quoteSpans = (Array.isArray(quotesAll) ? quotesAll : []).filter(mine).map(function (q) {
      return {start: q.start, end: q.end, make: function (b, st, en) {
        const who = q.speaker ? q.speaker + (q.speaker_role ? ' (' + q.speaker_role + ')' : '') : 'söyleyen bilinmiyor';
        return el('span', {class: 'quote', title: who + (q.verb ? ' · ' + q.verb : '')},
          markRange(b, st, en, entSpans));
      }};
    });
    // Quotes first; entities outside quotes are marked at the top level,
    // those inside by the quote itself.
    const top = quoteSpans.concat(entSpans.filter(function (e) {
      return !quoteSpans.some(function (q) { return e.start < q.end && e.end > q.start; });
    }));
    const nodes = markRange(bytes, 0, bytes.length, top);
    // Split into paragraphs at newlines (they only occur in plain text
    // between marks, or inside a quote, which then stays in one paragraph).
    const container = el('div', {class: part, id: id});
    let para = el(tag);
    function flush() { if (para.childNodes.length) container.appendChild(para); para = el(tag); }
    for (const n of nodes) {
      if (n.nodeType === Node.TEXT_NODE && n.data.indexOf('\n') >= 0) {
        n.data.split(/\n+/).forEach(function (piece, i) {
          if (i > 0) flush();
          if (piece) para.appendChild(document.createTextNode(piece));
        });
      } else {
        para.appendChild(n);
      }
    }
    flush();
    return container;
  }

  async function viewArticle(r, current) {
    const id = r.arg;
    if (!/^[1-9][0-9]{0,17}$/.test(id)) {
      show(notice('Geçersiz haber numarası.', id, true));
      return;
    }
    const res = await api('articles/' + id);
    if (!current()) return;
    if (!res.ok) {
      show(failure(res, 'Haber'));
      return;
    }
    const a = res.data;
    const removed = Array.isArray(a.removed) ? a.removed : [];
    const removedBox = el('div', {class: 'removed', id: 'removed', hidden: true},
      el('p', {class: 'meta'}, 'Sayfadan ayıklanan ' + removed.length + ' satır (menüler, reklamlar, paylaşım düğmeleri…):'),
      el('ol', null, removed.map(function (line) { return el('li', null, line); })));
    const toggle = el('button', {class: 'ghost', id: 'toggle-removed', type: 'button', 'aria-expanded': 'false', disabled: removed.length === 0},
      removed.length ? 'Kaldırılan metni göster' : 'Kaldırılan metin yok');
    toggle.addEventListener('click', function () {
      const open = removedBox.hidden;
      removedBox.hidden = !open;
      toggle.textContent = open ? 'Kaldırılan metni gizle' : 'Kaldırılan metni göster';
      toggle.setAttribute('aria-expanded', String(open));
    });
    let source = null;
    if (typeof a.url === 'string' && /^https?:\/\//i.test(a.url))
      source = el('a', {href: a.url, rel: 'noopener noreferrer nofollow', target: '_blank'}, 'Özgün sayfa');
    const hasEnt = Array.isArray(a.entities) && a.entities.length;
    const hasQuo = Array.isArray(a.quotes) && a.quotes.length;
    const legend = (hasEnt || hasQuo) ? el('div', {class: 'legend'},
      hasEnt ? el('span', {class: 'ent person'}, 'Kişi') : null,
      hasEnt ? el('span', {class: 'ent place'}, 'Yer') : null,
      hasEnt ? el('span', {class: 'ent org'}, 'Kurum') : null,
      hasQuo ? el('span', {class: 'quote'}, 'Alıntı') : null) : null;
    const related = el('section', {id: 'related'}, el('h2', null, 'İlgili haberler'), el('p', {class: 'summary'}, 'Yükleniyor…'));
    show(el('article', {class: 'article'},
      el('h1', {id: 'article-title'}, a.title || 'Başlıksız haber'),
      meta(a.outlet ? ['Kaynak: ', a.outlet] : null, a.source ? ['Haber kaynağı: ', a.source] : null,
        ['Tarih: ', trDate(a.date)], a.category ? ['Kategori: ', a.category] : null, source,
        a.story ? el('a', {href: '#/story/' + encodeURIComponent(a.story), id: 'article-story'}, 'Haber kümesi') : null,
        a.dup_of ? ['Kopyası olduğu haber: ', articleLink(a.dup_of, '#' + a.dup_of)] : null),
      a.lead ? markedText(a.lead, 'lead', a.entities, a.quotes, 'article-lead', 'p') : null,
      legend,
      markedText(a.body, 'body', a.entities, a.quotes, 'article-body', 'p'),
      el('div', {class: 'tools'}, toggle),
      removedBox),
      related);
    const rel = await api('articles/' + id + '/related', {limit: 10});
    if (!current()) return;
    related.replaceChildren(el('h2', null, 'İlgili haberler'));
    if (!rel.ok) {
      related.appendChild(failure(rel, 'İlgili haberler'));
      return;
    }
    const items = rel.data.results || [];
    if (!items.length) {
      related.appendChild(el('p', {class: 'summary'}, 'İlgili haber bulunamadı.'));
      return;
    }
    related.appendChild(el('ul', {class: 'results'}, items.map(function (h) {
      return el('li', null, el('div', {class: 'title'}, articleLink(h.id, h.title)),
        meta(h.outlet ? ['Kaynak: ', h.outlet] : null, ['Tarih: ', trDate(h.date)]));
    })));
  }

  // ---------- stories ----------

  async function viewStories(r, current) {
    await loadStats();
    if (!current()) return;
    // date=all lists stories of every day (useful for undated pages).
    const asked = r.params.get('date');
    const all = asked === 'all';
    const day = all ? '' : (asked || (stats && stats.last_date) || '');
    const form = el('form', {class: 'dayform'},
      el('label', {class: 'meta'}, 'Gün ', el('input', {type: 'date', name: 'date', id: 'f-day', value: day})),
      el('button', {type: 'submit'}, 'Göster'),
      el('a', {href: hashFor('stories', {date: 'all'}), id: 'all-days'}, 'Tüm günler'));
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      location.hash = hashFor('stories', {date: new FormData(form).get('date')});
    });
    const heading = el('h1', null, 'Gündem' + (day ? ': ' + trDate(day) : all ? ': tüm günler' : ''));
    const res = await api('stories', {from: day, to: day, limit: 30});
    if (!current()) return;
    if (!res.ok) {
      show(heading, form, failure(res, 'Gündem'));
      return;
    }
    const list = res.data.results || [];
    if (!list.length) {
      show(heading, form, el('p', {class: 'summary'}, 'Bu gün için haber kümesi yok.'));
      return;
    }
    show(heading, form, el('ol', {class: 'results', id: 'stories'}, list.map(function (s) {
      const outlets = Array.isArray(s.outlet_names) ? s.outlet_names : [];
      const n = day ? s.articles_in_range : s.articles;
      return el('li', {class: 'story'},
        el('span', {class: 'count', title: 'Haber sayısı'}, String(n || 0) + ' haber'),
        el('div', {class: 'title'}, el('a', {href: '#/story/' + encodeURIComponent(s.id)}, s.headline || 'Başlıksız')),
        meta(s.first_outlet ? ['İlk yayımlayan: ', s.first_outlet] : null,
          s.first_date ? ['İlk haber: ', trDate(s.first_date)] : null,
          [String(s.outlets || outlets.length), ' kaynak']),
        outlets.length ? el('ul', {class: 'tags'}, outlets.map(function (o) { return el('li', null, o); })) : null);
    })));
  }

  async function viewStory(r, current) {
    const id = r.arg;
    if (!/^[1-9][0-9]{0,17}$/.test(id)) {
      show(notice('Geçersiz küme numarası.', id, true));
      return;
    }
    const res = await api('stories/' + id);
    if (!current()) return;
    if (!res.ok) {
      show(failure(res, 'Haber kümesi'));
      return;
    }
    const s = res.data;
    const members = Array.isArray(s.members) ? s.members : [];
    const terms = Array.isArray(s.terms) ? s.terms : [];
    show(el('h1', {id: 'story-headline'}, s.headline || 'Haber kümesi'),
      meta(s.first_outlet ? ['İlk yayımlayan: ', s.first_outlet] : null,
        ['Haber sayısı: ', String(members.length)],
        s.first_date ? ['Tarih: ', trDate(s.first_date) + (s.last_date && s.last_date !== s.first_date ? ' – ' + trDate(s.last_date) : '')] : null),
      terms.length ? el('ul', {class: 'tags', title: 'Öne çıkan kelimeler'}, terms.map(function (t) { return el('li', null, t); })) : null,
      el('ol', {class: 'results', id: 'story-members'}, members.map(function (a) {
        return el('li', null, el('div', {class: 'title'}, articleLink(a.id, a.title)),
          meta(a.outlet ? ['Kaynak: ', a.outlet] : null, ['Tarih: ', trDate(a.date)],
            a.dup_of ? ['kopyası: ', articleLink(a.dup_of, '#' + a.dup_of)] : null));
      })));
  }

  // ---------- entities ----------

  async function viewEntities(r, current) {
    const type = r.params.get('type') || '';
    const select = el('select', {name: 'type', id: 'f-type'},
      el('option', {value: ''}, 'Hepsi'),
      ['person', 'place', 'org'].map(function (t) {
        return el('option', {value: t, selected: t === type}, TYPES[t]);
      }));
    select.addEventListener('change', function () { location.hash = hashFor('entities', {type: select.value}); });
    const heading = el('h1', null, 'Kişiler ve kurumlar');
    const res = await api('entities', {type: type, limit: 100});
    if (!current()) return;
    if (!res.ok) {
      show(heading, select, failure(res, 'Kişi ve kurum listesi'));
      return;
    }
    const list = res.data.results || [];
    show(heading, el('label', {class: 'meta'}, 'Tür ', select),
      list.length ? el('ol', {class: 'results', id: 'entities'}, list.map(function (e) {
        return el('li', null, el('div', {class: 'title'}, entityLink(e.name)),
          meta(TYPES[e.type] || e.type, e.role || null,
            [String(e.articles), ' haber'], [String(e.mentions), ' anılma'],
            e.quotes ? [String(e.quotes), ' alıntı'] : null));
      })) : el('p', {class: 'summary'}, 'Kayıt yok.'));
  }

  // Mentions per day as an inline SVG bar chart.
  function mentionChart(days) {
    const W = 640, H = 170, padL = 34, padB = 24, padT = 12;
    const n = days.length;
    const max = Math.max(1, ...days.map(function (d) { return d.count || 0; }));
    const slot = (W - padL - 10) / Math.max(1, n);
    const bw = Math.max(2, Math.min(48, slot - 3));
    const root = svg('svg', {viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'Günlük anılma sayısı'});
    root.appendChild(svg('line', {class: 'axis', x1: padL, y1: H - padB, x2: W - 5, y2: H - padB}));
    root.appendChild(svg('text', {x: 4, y: padT + 8}, String(max)));
    root.appendChild(svg('text', {x: 4, y: H - padB}, '0'));
    const every = Math.ceil(n / 8);
    days.forEach(function (d, i) {
      const h = Math.round((H - padB - padT) * (d.count || 0) / max);
      const x = padL + 4 + i * slot;
      root.appendChild(svg('rect', {class: 'bar', x: x.toFixed(1), y: H - padB - h, width: bw.toFixed(1), height: h},
        svg('title', null, trDate(d.date) + ': ' + d.count + ' anılma')));
      if (i % every === 0 || i === n - 1)
        root.appendChild(svg('text', {x: x.toFixed(1), y: H - 7}, trDate(d.date).replace(/ \d{4}$/, '')));
    });
    return el('div', {class: 'chart', id: 'mention-chart'}, root);
  }

  async function viewEntity(r, current) {
    const name = r.arg;
    const res = await api('entities/' + encodeURIComponent(name));
    if (!current()) return;
    if (!res.ok) {
      show(el('h1', null, name), failure(res, res.status === 404 ? 'Bu ad' : 'Kişi ve kurum sayfaları'));
      return;
    }
    const e = res.data;
    const roles = Array.isArray(e.roles) ? e.roles : [];
    const aliases = (Array.isArray(e.aliases) ? e.aliases : []).filter(function (a) { return a.alias !== e.name; });
    const whenAll = Array.isArray(e.mentions) ? e.mentions : [];
    const days = whenAll.filter(function (d) { return d.date; }).map(function (d) { return {date: d.date, count: d.mentions}; });
    const undated = whenAll.filter(function (d) { return !d.date; }).reduce(function (t, d) { return t + (d.mentions || 0); }, 0);
    const total = whenAll.reduce(function (t, d) { return t + (d.mentions || 0); }, 0);
    const quotes = Array.isArray(e.quotes) ? e.quotes : [];
    const co = Array.isArray(e.cooccurring) ? e.cooccurring : [];
    show(el('h1', {id: 'entity-name'}, e.name || name),
      meta(TYPES[e.type] || e.type, [String(total), ' anılma'], [String(quotes.length), ' alıntı']),
      el('h2', null, 'Rolleri'),
      roles.length ? el('ul', {class: 'tags', id: 'roles'}, roles.map(function (x) {
        return el('li', {title: x.n + ' kez'}, x.role);
      })) : el('p', {class: 'summary'}, 'Bilinen rol yok.'),
      el('h2', null, 'Diğer adları'),
      aliases.length ? el('ul', {class: 'tags', id: 'aliases'}, aliases.map(function (x) {
        return el('li', {title: x.n + ' kez'}, x.alias);
      })) : el('p', {class: 'summary'}, 'Başka adı yok.'),
      el('h2', null, 'Günlük anılma'),
      days.length ? mentionChart(days) : el('p', {class: 'summary'}, 'Tarihli haber yok.'),
      undated ? el('p', {class: 'meta'}, 'Tarihi bilinmeyen haberlerde ' + undated + ' anılma daha.') : null,
      co.length ? el('h2', null, 'Birlikte anılanlar') : null,
      co.length ? el('ul', {class: 'tags', id: 'cooccurring'}, co.map(function (x) {
        return el('li', null, entityLink(x.name, x.name + ' (' + x.articles + ')'));
      })) : null,
      el('h2', null, 'Alıntılar'),
      quotes.length ? quoteTimeline(quotes, false) : el('p', {class: 'summary'}, 'Alıntı bulunamadı.'));
  }

  // Statements with their speaker, first-seen date and every source.
  function quoteTimeline(quotes, showSpeaker) {
    return el('ol', {class: 'timeline', id: 'quotes'}, quotes.map(function (q) {
      const sources = Array.isArray(q.articles) ? q.articles : [];
      return el('li', null,
        el('div', {class: 'meta'}, q.first_seen ? trDate(q.first_seen) : 'tarih yok',
          q.kind === 'indirect' ? ' · aktarılan söz' : q.kind === 'partial' ? ' · kısmi alıntı' : ''),
        showSpeaker ? el('div', {class: 'title'}, q.speaker ? entityLink(q.speaker) : 'Söyleyen bilinmiyor',
          q.speaker_role ? el('span', {class: 'meta'}, ' · ' + q.speaker_role) : null) : null,
        el('blockquote', null, '“' + (q.text || '') + '”' + (q.verb ? ' (' + q.verb + ')' : '')),
        sources.length ? el('div', {class: 'meta sources'}, 'Kaynak: ',
          sources.map(function (a, i) {
            return [i ? ', ' : '', articleLink(a.id, (a.outlet || 'haber #' + a.id) + (a.date ? ' · ' + trDate(a.date) : ''))];
          })) : null);
    }));
  }

  // ---------- quotes ----------

  async function viewQuotes(r, current) {
    const speaker = r.params.get('speaker') || '';
    const q = r.params.get('q') || '';
    const form = el('form', {class: 'filters', id: 'quote-form'},
      el('input', {type: 'text', name: 'q', id: 'f-about', value: q, placeholder: 'Ne hakkında? (ör. müzakere)', 'aria-label': 'Konu'}),
      el('button', {type: 'submit'}, 'Ara'),
      el('div', {class: 'row'},
        el('label', null, 'Kim?', el('input', {type: 'text', name: 'speaker', id: 'f-speaker', value: speaker, placeholder: 'Konuşan kişi'}))));
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      const f = new FormData(form);
      location.hash = hashFor('quotes', {speaker: f.get('speaker').trim(), q: f.get('q').trim()});
    });
    const heading = el('h1', null, 'Kim ne dedi?');
    if (!speaker && !q) {
      show(heading, form, el('p', {class: 'summary'}, 'Bir kişi ya da konu yazın: kimin neyi söylediğini kaynaklarıyla gösteririz.'));
      return;
    }
    const res = await api('quotes', {speaker: speaker, q: q, limit: 50});
    if (!current()) return;
    if (!res.ok) {
      show(heading, form, failure(res, 'Alıntı araması'));
      return;
    }
    const list = res.data.results || [];
    show(heading, form, list.length ? quoteTimeline(list, true) : el('p', {class: 'summary'}, 'Alıntı bulunamadı.'));
  }

  window.addEventListener('hashchange', render);
  if (!location.hash) history.replaceState(null, '', '#/search');
  render();
})();
