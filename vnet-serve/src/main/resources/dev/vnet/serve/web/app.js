// The page of `vnet serve`: uploads photographs one at a time to POST /api/v1/segment, shows each result's cells
// over the photograph, and re-filters the returned candidate cells by the threshold slider without a new request.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const SVG = 'http://www.w3.org/2000/svg';
  const items = [];      // one per chosen file: {file, row, result, url, error}
  let shown = null;      // the item in the viewer
  let pickedByUser = false;
  let model = null;
  let busy = false;

  fetch('/api/v1/model').then((r) => r.json()).then((m) => {
    model = m;
    $('model').textContent = 'Model ' + m.id + ' (' + m.kind + '), cell threshold '
      + m.thresholds.cell.toFixed(2) + ', image threshold ' + m.thresholds.image.toFixed(2);
  }).catch(() => { $('model').textContent = 'The model could not be read from the server.'; });

  // ---- choosing files: the input, or a drop anywhere on the page
  $('files').addEventListener('change', (e) => { add(e.target.files); e.target.value = ''; });
  const drop = $('drop');
  ['dragenter', 'dragover'].forEach((t) => document.addEventListener(t, (e) => {
    e.preventDefault();
    drop.classList.add('over');
  }));
  ['dragleave', 'dragend'].forEach((t) => document.addEventListener(t, () => drop.classList.remove('over')));
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer && e.dataTransfer.files) add(e.dataTransfer.files);
  });

  function add(files) {
    for (const file of files) {
      const item = { file, result: null, error: null, url: URL.createObjectURL(file) };
      item.row = row(item);
      items.push(item);
    }
    $('batch').hidden = items.length === 0;
    next();
  }

  function row(item) {
    const tr = document.createElement('tr');
    const name = document.createElement('td');
    const open = document.createElement('button');
    open.type = 'button';
    open.textContent = item.file.name;
    open.disabled = true;
    open.addEventListener('click', () => { pickedByUser = true; show(item); });
    name.appendChild(open);
    const progress = document.createElement('td');
    const bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute('aria-label', 'Progress of ' + item.file.name);
    const status = document.createElement('span');
    status.className = 'status';
    status.textContent = 'waiting';
    progress.append(bar, status);
    const count = document.createElement('td');
    count.className = 'n';
    const call = document.createElement('td');
    const score = document.createElement('td');
    tr.append(name, progress, count, call, score);
    $('table').tBodies[0].appendChild(tr);
    item.cells = { open, bar, status, count, call, score };
    return tr;
  }

  // One upload at a time: the server analyses one image at a time anyway, and its queue stays free for others.
  function next() {
    if (busy) return;
    const item = items.find((i) => !i.result && !i.error && !i.started);
    if (!item) return;
    busy = true;
    item.started = true;
    upload(item, () => { busy = false; next(); });
  }

  function upload(item, done) {
    const c = item.cells;
    const form = new FormData();
    form.append('image', item.file, item.file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/segment');
    xhr.responseType = 'json';
    c.status.textContent = 'uploading';
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) c.bar.value = Math.round(80 * e.loaded / e.total);
    });
    xhr.upload.addEventListener('load', () => { c.bar.value = 80; c.status.textContent = 'analysing'; });
    xhr.addEventListener('load', () => {
      const body = xhr.response || {};
      if (xhr.status === 429 || (xhr.status === 503 && xhr.getResponseHeader('Retry-After'))) {
        const wait = Number(xhr.getResponseHeader('Retry-After') || '2');
        c.status.textContent = 'server busy, again in ' + wait + ' s';
        setTimeout(() => upload(item, done), wait * 1000);
        return;
      }
      if (xhr.status !== 200) {
        fail(item, body.error || ('HTTP ' + xhr.status));
      } else {
        finish(item, body);
      }
      done();
    });
    xhr.addEventListener('error', () => { fail(item, 'the server could not be reached'); done(); });
    xhr.send(form);
  }

  function fail(item, message) {
    item.error = message;
    const c = item.cells;
    c.bar.value = 0;
    c.status.textContent = message;
    c.status.classList.add('error');
  }

  function finish(item, result) {
    item.result = result;
    item.threshold = result.thresholds.cell;
    const c = item.cells;
    c.bar.value = 100;
    c.status.textContent = 'done';
    c.open.disabled = false;
    summarise(item);
    if (!pickedByUser || !shown) show(item);
  }

  function summarise(item) {
    const r = item.result;
    const c = item.cells;
    c.count.textContent = String(cellsOf(item).length);
    c.call.textContent = r.call;
    c.score.textContent = r.score.toFixed(2);
  }

  // The cells at the item's threshold: the server's own at the model's threshold, else the candidates above it.
  function cellsOf(item) {
    const r = item.result;
    if (item.threshold === r.thresholds.cell) return r.cells;
    return r.candidates.filter((cell) => cell.score >= item.threshold);
  }

  // ---- the viewer
  function show(item) {
    shown = item;
    items.forEach((i) => i.row.classList.toggle('selected', i === item));
    const r = item.result;
    $('viewer').hidden = false;
    $('title').textContent = item.file.name + ' (' + r.width + '×' + r.height + ' px)';
    const photo = $('photo');
    photo.onerror = () => { photo.onerror = null; photo.src = r.links['overlay.png']; };
    photo.src = item.url;
    photo.width = r.width;
    photo.height = r.height;
    $('heat').src = r.links['heatmap.png'];
    $('heat').hidden = !$('heatmap').checked;
    const slider = $('threshold');
    slider.min = String(r.thresholds.candidateFloor);
    slider.value = String(item.threshold);
    draw();
  }

  function draw() {
    const item = shown;
    const r = item.result;
    const cells = cellsOf(item);
    const svg = $('overlay');
    svg.setAttribute('viewBox', '0 0 ' + r.width + ' ' + r.height);
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const radius = r.markerRadius > 0 ? r.markerRadius : Math.max(r.width, r.height) / 80;
    const font = Math.max(10, Math.round(Math.max(r.width, r.height) / 60));
    cells.forEach((cell, i) => {
      const n = i + 1;
      const g = document.createElementNS(SVG, 'g');
      g.setAttribute('class', 'cell');
      g.setAttribute('tabindex', '0');
      g.setAttribute('data-score', cell.score.toFixed(4));
      g.setAttribute('aria-label', 'Cell ' + n + ', score ' + cell.score.toFixed(2));
      const title = document.createElementNS(SVG, 'title');
      title.textContent = 'Cell ' + n + ': score ' + cell.score.toFixed(2) + ' at (' + Math.round(cell.x) + ', '
        + Math.round(cell.y) + ')';
      const circle = document.createElementNS(SVG, 'circle');
      circle.setAttribute('cx', cell.x);
      circle.setAttribute('cy', cell.y);
      circle.setAttribute('r', radius);
      const label = document.createElementNS(SVG, 'text');
      label.setAttribute('x', cell.x + radius * 0.75);
      label.setAttribute('y', cell.y - radius * 0.75);
      label.setAttribute('font-size', font);
      label.textContent = String(n);
      g.append(title, circle, label);
      const tip = () => showTip(cell, n);
      g.addEventListener('mouseenter', tip);
      g.addEventListener('focus', tip);
      g.addEventListener('mouseleave', hideTip);
      g.addEventListener('blur', hideTip);
      svg.appendChild(g);
    });
    const t = item.threshold;
    $('threshold-value').textContent = t.toFixed(2);
    $('count').textContent = cells.length + (cells.length === 1 ? ' blast' : ' blasts') + ' at threshold '
      + t.toFixed(2);
    const call = $('call');
    call.textContent = 'Image: ' + r.call + ' (score ' + r.score.toFixed(2) + ', image threshold '
      + r.thresholds.image.toFixed(2) + ')';
    call.className = 'call ' + (r.call === 'ALL' ? 'all' : 'healthy');
    links(item);
    summarise(item);
  }

  function links(item) {
    const r = item.result;
    const q = item.threshold === r.thresholds.cell ? '' : '?threshold=' + item.threshold.toFixed(2);
    $('dl-mask').href = r.links['mask.png'] + q;
    $('dl-xyc').href = r.links['centres.xyc'] + q;
    $('dl-csv').href = r.links['cells.csv'] + q;
    $('dl-geojson').href = r.links['cells.geojson'] + q;
    $('dl-overlay').href = r.links['overlay.png'] + q;
  }

  function showTip(cell, n) {
    const tip = $('tip');
    const r = shown.result;
    const photo = $('photo');
    const scale = photo.clientWidth / r.width;
    tip.textContent = 'Cell ' + n + ': score ' + cell.score.toFixed(2);
    tip.style.left = Math.round(cell.x * scale + 12) + 'px';
    tip.style.top = Math.round(cell.y * scale + 12) + 'px';
    tip.hidden = false;
  }

  function hideTip() { $('tip').hidden = true; }

  $('threshold').addEventListener('input', (e) => {
    if (!shown) return;
    const v = Number(e.target.value);
    // The slider's steps are 0.01: its value at the model's own threshold is that threshold.
    shown.threshold = Math.abs(v - shown.result.thresholds.cell) < 0.005 ? shown.result.thresholds.cell : v;
    draw();
  });
  $('reset').addEventListener('click', () => {
    if (!shown) return;
    shown.threshold = shown.result.thresholds.cell;
    $('threshold').value = String(shown.threshold);
    draw();
  });
  $('heatmap').addEventListener('change', (e) => { $('heat').hidden = !e.target.checked; });
}());
