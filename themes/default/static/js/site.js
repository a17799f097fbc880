/* portal – tăng cường nhỏ, không thư viện. Trang vẫn dùng được đầy đủ khi tắt JavaScript:
   các nút chỉ hiện khi script chạy, tìm kiếm tức thì rơi về trang kết quả của máy chủ khi có lỗi. */
(function () {
  'use strict';
  var doc = document;

  function each(sel, fn) { Array.prototype.forEach.call(doc.querySelectorAll(sel), fn); }

  // Nút "In bài viết"
  if (typeof window.print === 'function') {
    each('[data-print]', function (b) {
      b.hidden = false;
      b.addEventListener('click', function () { window.print(); });
    });
  }

  // Nút "Sao chép liên kết": chép địa chỉ chuẩn (canonical) của trang
  if (navigator.clipboard && window.isSecureContext) {
    var status = doc.querySelector('[data-copy-status]');
    var canon = doc.querySelector('link[rel="canonical"]');
    each('[data-copy-link]', function (b) {
      b.hidden = false;
      b.addEventListener('click', function () {
        var url = canon ? canon.href : location.href;
        navigator.clipboard.writeText(url).then(function () {
          if (status) { status.textContent = status.getAttribute('data-done'); }
        }, function () {
          if (status) { status.textContent = status.getAttribute('data-fail'); }
        });
      });
    });
  }

  // Tìm kiếm tức thì trên /tim-kiem/
  var form = doc.querySelector('form[data-instant-search]');
  var results = doc.querySelector('[data-search-results]');
  var live = doc.querySelector('[data-search-status]');
  if (!form || !results || !live || !window.fetch || !window.JSON) { return; }
  var input = form.querySelector('input[name="q"]');
  if (!input) { return; }

  var original = results.innerHTML;
  var originalStatus = live.innerHTML;
  var provinceBase = results.getAttribute('data-province-base') || '/tinh/';
  var timer = 0;
  var seq = 0;
  var controller = null;
  var broken = false;

  function txt(tag, text, cls) {
    var el = doc.createElement(tag);
    if (cls) { el.className = cls; }
    if (text) { el.textContent = text; }
    return el;
  }

  function restore() {
    results.innerHTML = original;
    live.innerHTML = originalStatus;
  }

  // Chỉ giữ chữ và thẻ <mark> của đoạn trích; mọi thứ khác thành chữ thường.
  function excerpt(html) {
    var p = txt('p', '', 'hit__excerpt');
    var tpl = doc.createElement('template');
    tpl.innerHTML = String(html || '');
    Array.prototype.forEach.call(tpl.content.childNodes, function (n) {
      if (n.nodeType === 1 && n.nodeName === 'MARK') {
        p.appendChild(txt('mark', n.textContent));
      } else {
        p.appendChild(doc.createTextNode(n.textContent));
      }
    });
    return p;
  }

  function shortDate(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(s || ''));
    return m ? { text: m[3] + '/' + m[2] + '/' + m[1], iso: s } : null;
  }

  function sep(meta) { meta.appendChild(txt('span', ' · ', 'meta__sep')); }

  // Dòng mô tả một văn bản: số ký hiệu, loại, cơ quan ban hành, ngày ban hành, tình trạng.
  function docMeta(v) {
    var meta = txt('p', '', 'meta hit__doc');
    meta.appendChild(txt('span', live.getAttribute('data-doc-kind'), 'hit__kind'));
    sep(meta);
    meta.appendChild(doc.createTextNode(live.getAttribute('data-doc-number') + ': '));
    meta.appendChild(txt('strong', String(v.number || '')));
    [v.type, v.issuer].forEach(function (t) {
      if (t && t.name) { sep(meta); meta.appendChild(doc.createTextNode(t.name)); }
    });
    var d = shortDate(v.issued);
    if (d) {
      sep(meta);
      meta.appendChild(doc.createTextNode(live.getAttribute('data-doc-issued') + ' '));
      var t = txt('time', d.text);
      t.setAttribute('datetime', d.iso);
      meta.appendChild(t);
    }
    if (v.status && v.status.name) {
      sep(meta);
      var b = txt('span', '', 'doc-status ' + (v.in_force ? 'doc-status--on' : 'doc-status--off'));
      var sign = txt('span', v.in_force ? '✓' : '✕');
      sign.setAttribute('aria-hidden', 'true');
      b.appendChild(sign);
      b.appendChild(doc.createTextNode(' ' + v.status.name));
      meta.appendChild(b);
    }
    return meta;
  }

  function render(q, data) {
    var hits = Array.isArray(data.hits) ? data.hits : [];
    var total = typeof data.total === 'number' ? data.total : hits.length;
    var frag = doc.createDocumentFragment();
    // Gợi ý sửa từ khóa và ghi chú (tỉnh đã sáp nhập, từ viết tắt) của máy chủ.
    if (typeof data.suggestion === 'string' && data.suggestion) {
      var sp = txt('p', (live.getAttribute('data-did-you-mean') || '') + ' ', 'search-suggestion');
      var sa = txt('a', data.suggestion);
      sa.href = form.getAttribute('action') + '?q=' + encodeURIComponent(data.suggestion);
      sp.appendChild(sa);
      frag.appendChild(sp);
    }
    if (Array.isArray(data.notes) && data.notes.length) {
      var ul = txt('ul', '', 'search-notes');
      data.notes.forEach(function (n) { ul.appendChild(txt('li', String(n))); });
      frag.appendChild(ul);
    }
    if (hits.length === 0) {
      var box = txt('div', '', 'notice');
      box.appendChild(txt('p', live.getAttribute('data-none')));
      frag.appendChild(box);
    } else {
      var ol = txt('ol', '', 'hits');
      hits.forEach(function (h) {
        if (!h || typeof h.url !== 'string' || h.url.charAt(0) !== '/') { return; }
        var li = txt('li', '', 'hit');
        var h2 = txt('h2', '', 'hit__title');
        var a = txt('a', h.title || h.url);
        a.href = h.url;
        h2.appendChild(a);
        li.appendChild(h2);
        if (h.kind === 'van-ban' && h.document) {
          li.appendChild(docMeta(h.document));
          if (h.excerpt_html) { li.appendChild(excerpt(h.excerpt_html)); }
          ol.appendChild(li);
          return;
        }
        var meta = txt('p', '', 'meta');
        var d = shortDate(h.date);
        if (d) {
          var t = txt('time', d.text);
          t.setAttribute('datetime', d.iso);
          meta.appendChild(t);
        }
        if (h.category) { if (meta.firstChild) { sep(meta); } meta.appendChild(doc.createTextNode(h.category)); }
        (Array.isArray(h.provinces) ? h.provinces : []).forEach(function (p) {
          if (!p || !p.name) { return; }
          if (meta.firstChild) { sep(meta); }
          var pa = txt('a', p.name);
          pa.href = provinceBase + encodeURIComponent(p.slug || '') + '/';
          meta.appendChild(pa);
        });
        li.appendChild(meta);
        if (h.excerpt_html) { li.appendChild(excerpt(h.excerpt_html)); }
        ol.appendChild(li);
      });
      frag.appendChild(ol);
      var more = txt('p', '', 'more-links');
      var ma = txt('a', live.getAttribute('data-more'));
      ma.href = form.getAttribute('action') + '?q=' + encodeURIComponent(q);
      more.appendChild(ma);
      frag.appendChild(more);
    }
    results.textContent = '';
    results.appendChild(frag);
    live.textContent = '';
    live.appendChild(doc.createTextNode(live.getAttribute('data-found') + ' '));
    live.appendChild(txt('strong', String(total)));
    live.appendChild(doc.createTextNode(' ' + live.getAttribute('data-results') +
      (typeof data.took_ms === 'number' ? ' (' + data.took_ms + ' ms)' : '')));
  }

  function search(q) {
    if (broken) { return; }
    if (controller) { controller.abort(); }
    if (q.length < 2) { restore(); return; }
    var mine = ++seq;
    controller = window.AbortController ? new AbortController() : null;
    fetch('/api/search?q=' + encodeURIComponent(q), {
      headers: { Accept: 'application/json' },
      signal: controller ? controller.signal : undefined
    }).then(function (res) {
      if (!res.ok) { throw new Error('HTTP ' + res.status); }
      return res.json();
    }).then(function (data) {
      if (mine !== seq) { return; }
      render(q, data || {});
      if (window.history && history.replaceState) {
        history.replaceState(null, '', form.getAttribute('action') + '?q=' + encodeURIComponent(q));
      }
    }).catch(function (err) {
      if (err && err.name === 'AbortError') { return; }
      // Không có API (trang tĩnh) hoặc lỗi: giữ nguyên trang của máy chủ, không thử lại.
      broken = true;
      restore();
    });
  }

  input.addEventListener('input', function () {
    clearTimeout(timer);
    var q = input.value.trim();
    timer = setTimeout(function () { search(q); }, 250);
  });

  // Trang /tim-kiem/ tĩnh được mở với ?q=…: thử lấy kết quả từ API.
  if (results.hasAttribute('data-static') && window.URLSearchParams) {
    var q0 = (new URLSearchParams(location.search).get('q') || '').trim();
    if (q0) { input.value = q0; search(q0); }
  }
}());
