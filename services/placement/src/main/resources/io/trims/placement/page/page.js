'use strict';

// The live cluster page: one EventSource on v1/cluster/events. A snapshot replaces everything; a directory event
// replaces hosts, residencies and models; a requests event appends the requests not seen yet; a rates event
// replaces the per-second series. Everything is drawn with DOM calls and textContent, never markup from data.
(() => {
  const TIERS = ['gpu', 'cpu', 'disk'];
  const KEEP_REQUESTS = 200;
  const SHOW_REQUESTS = 50;
  const SVG = 'http://www.w3.org/2000/svg';

  const state = { hosts: [], residencies: [], models: [], requests: [], rates: [], lastSeq: 0 };

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const bytes = (n) => {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = n;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return (unit === 0 ? value.toFixed(0) : value.toFixed(value < 10 ? 2 : 1)) + ' ' + units[unit];
  };

  const ms = (v) => (v === null || v === undefined ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(1));

  const clock = (epochMillis) => {
    const d = new Date(epochMillis);
    const two = (n) => String(n).padStart(2, '0');
    return two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds()) + '.'
      + String(d.getMilliseconds()).padStart(3, '0');
  };

  const modelKey = (m) => m.model + ':' + m.version;

  function renderHosts() {
    const root = document.getElementById('hosts');
    root.replaceChildren();
    if (state.hosts.length === 0) {
      root.append(el('p', 'empty', 'no agent has joined yet'));
      return;
    }
    for (const host of state.hosts) {
      const card = el('article', 'host');
      card.dataset.host = host.host;
      const head = el('div', 'host-head');
      head.append(el('span', 'name', host.host),
        el('span', 'meta', (host.gpu ? 'GPU' : 'no GPU') + ' · ' + host.inFlight + ' in flight'));
      card.append(head, el('div', 'endpoint', host.endpoint));
      for (const tier of TIERS) {
        card.append(renderTier(host, tier));
      }
      root.append(card);
    }
  }

  function renderTier(host, tier) {
    const room = host.tiers[tier];
    const box = el('div', 'tier' + (room.present ? '' : ' absent'));
    box.dataset.tier = tier;
    const head = el('div', 'tier-head');
    head.append(el('span', 'tier-name', tier.toUpperCase()),
      el('span', 'bytes', room.present ? bytes(room.usedBytes) + ' / ' + bytes(room.capacityBytes) : 'absent'));
    const bar = el('div', 'bar');
    const fill = el('div', 'fill');
    const share = room.present ? Math.min(1, room.usedBytes / room.capacityBytes) : 0;
    fill.style.width = (share * 100).toFixed(1) + '%';
    if (share > 0.9) fill.classList.add('full');
    bar.append(fill);
    const copies = el('div', 'copies');
    for (const r of state.residencies.filter((c) => c.host === host.host && c.tier === tier)) {
      const chip = el('span', 'copy ' + r.state);
      chip.dataset.model = modelKey(r);
      chip.dataset.state = r.state;
      chip.title = bytes(r.bytes) + ' since ' + clock(r.loadedAt);
      chip.append(el('span', 'copy-name', modelKey(r)), el('span', 'copy-state', r.state.toUpperCase()));
      copies.append(chip);
    }
    box.append(head, bar, copies);
    return box;
  }

  /** A polyline per series over 60 points; a null point breaks its line. */
  function sparkline(seriesList, classes) {
    const width = 120;
    const height = 26;
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    svg.classList.add('spark');
    const top = Math.max(1e-9, ...seriesList.flat().filter((v) => v !== null));
    seriesList.forEach((series, i) => {
      const step = width / Math.max(1, series.length - 1);
      let points = [];
      const flush = () => {
        if (points.length > 0) {
          const line = document.createElementNS(SVG, 'polyline');
          line.setAttribute('points', (points.length === 1 ? [points[0], points[0]] : points).join(' '));
          line.classList.add(classes[i]);
          svg.append(line);
        }
        points = [];
      };
      series.forEach((v, x) => {
        if (v === null) {
          flush();
        } else {
          points.push((x * step).toFixed(1) + ',' + (height - 2 - (v / top) * (height - 4)).toFixed(1));
        }
      });
      flush();
    });
    return svg;
  }

  function renderModels() {
    const body = document.querySelector('#models tbody');
    body.replaceChildren();
    const rows = new Map();
    for (const m of state.models) rows.set(modelKey(m), { model: m.model, version: m.version, copies: m });
    for (const r of state.rates) {
      const key = modelKey(r);
      if (!rows.has(key)) rows.set(key, { model: r.model, version: r.version });
      rows.get(key).rates = r;
    }
    if (rows.size === 0) {
      const row = el('tr');
      const cell = el('td', 'empty', 'no model is resident or requested yet');
      cell.colSpan = 9;
      row.append(cell);
      body.append(row);
      return;
    }
    for (const [key, m] of [...rows.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
      const row = el('tr');
      row.dataset.model = key;
      const ready = m.copies ? TIERS.map((t) => m.copies.ready[t]).join(' · ') : '0 · 0 · 0';
      const counts = m.rates ? m.rates.count : [];
      // Over the last 10 s, or since the model's first request if that is later.
      const recent = counts.slice(-10);
      const since = recent.findIndex((c) => c > 0);
      const perSecond = since < 0 ? 0 : recent.reduce((a, b) => a + b, 0) / (recent.length - since);
      const last = (series) => (series ? [...series].reverse().find((v) => v !== null) : undefined);
      const rateCell = el('td', 'spark-cell');
      const latencyCell = el('td', 'spark-cell');
      if (m.rates) {
        rateCell.append(sparkline([counts], ['rate']));
        latencyCell.append(sparkline([m.rates.p99Ms, m.rates.p50Ms], ['p99', 'p50']));
      }
      row.append(el('td', 'model', m.model), el('td', '', m.version), el('td', 'ready', ready),
        el('td', '', String(m.copies ? m.copies.loading : 0)), el('td', 'rate', perSecond.toFixed(1)), rateCell,
        el('td', 'p50-value', ms(last(m.rates && m.rates.p50Ms))),
        el('td', 'p99-value', ms(last(m.rates && m.rates.p99Ms))), latencyCell);
      body.append(row);
    }
  }

  function renderRequests() {
    const body = document.querySelector('#requests tbody');
    body.replaceChildren();
    if (state.requests.length === 0) {
      const row = el('tr');
      const cell = el('td', 'empty', 'no request answered yet');
      cell.colSpan = 9;
      row.append(cell);
      body.append(row);
      return;
    }
    for (const r of state.requests.slice(-SHOW_REQUESTS).reverse()) {
      const row = el('tr', r.status < 400 ? 'ok' : 'failed');
      row.dataset.seq = String(r.seq);
      row.dataset.model = r.model;
      row.append(el('td', 'time', clock(r.at)), el('td', 'model', r.model), el('td', '', r.version),
        el('td', 'served-by', r.host), el('td', 'tier', r.tier || '—'), el('td', '', r.placement),
        el('td', 'status', String(r.status)), el('td', 'latency', ms(r.latencyMs)),
        el('td', 'predicted', ms(r.predictedMs)));
      body.append(row);
    }
  }

  function renderSummary() {
    const ready = state.residencies.filter((r) => r.state === 'ready').length;
    document.getElementById('summary').textContent = state.hosts.length + ' hosts · '
      + state.models.length + ' models resident · ' + ready + ' copies ready';
  }

  function applyDirectory(d) {
    state.hosts = d.hosts;
    state.residencies = d.residencies;
    state.models = d.models;
    renderHosts();
    renderModels();
    renderSummary();
  }

  function addRequests(entries) {
    const fresh = entries.filter((r) => r.seq > state.lastSeq);
    if (fresh.length === 0) return;
    state.lastSeq = fresh[fresh.length - 1].seq;
    state.requests = state.requests.concat(fresh).slice(-KEEP_REQUESTS);
    renderRequests();
  }

  function connection(what) {
    const node = document.getElementById('connection');
    node.dataset.state = what;
    node.textContent = what;
  }

  const events = new EventSource('v1/cluster/events');
  events.addEventListener('snapshot', (e) => {
    const snapshot = JSON.parse(e.data);
    state.requests = [];
    // A front door that restarted counts from 1 again: take its numbering.
    state.lastSeq = 0;
    state.rates = snapshot.rates;
    applyDirectory(snapshot);
    addRequests(snapshot.requests);
    renderRequests();
    connection('live');
  });
  events.addEventListener('directory', (e) => applyDirectory(JSON.parse(e.data)));
  events.addEventListener('requests', (e) => addRequests(JSON.parse(e.data)));
  events.addEventListener('rates', (e) => {
    state.rates = JSON.parse(e.data);
    renderModels();
  });
  events.addEventListener('error', () => connection(events.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting'));
})();
