// The orders page's live updates: the server pushes each changed order's row (rendered and escaped on the
// server) over server-sent events; this script puts it in place. EventSource reconnects by itself.
(function () {
  'use strict';
  var tbody = document.getElementById('orders');
  var live = document.getElementById('live-status');
  if (!tbody || typeof EventSource === 'undefined') return;

  function placeRow(rowHtml) {
    var template = document.createElement('template');
    template.innerHTML = rowHtml.trim();
    var row = template.content.firstElementChild;
    if (!row || !row.id) return;
    var existing = document.getElementById(row.id);
    if (existing && existing.outerHTML === row.outerHTML) return; // unchanged: leave the DOM (and focus) alone
    if (existing) existing.replaceWith(row);
    else tbody.insertBefore(row, tbody.firstChild);
    var empty = document.getElementById('no-orders');
    if (empty) empty.remove();
  }

  var source = new EventSource('/orders/events');
  source.addEventListener('order', function (event) {
    placeRow(JSON.parse(event.data).row);
  });
  source.addEventListener('open', function () {
    if (live) live.textContent = '（实时更新中）';
  });
  source.addEventListener('error', function () {
    if (live) live.textContent = '（连接中断，正在重连…）';
  });
  window.addEventListener('pagehide', function () {
    source.close();
  });
})();
