// Session board: when a participant adds a story, the server says so over server-sent events and the
// board reloads to show it. Without JavaScript the page refreshes itself every 20 seconds instead.
(function () {
  var board = document.querySelector('[data-stream]');
  if (!board || !window.EventSource) return;
  var source = new EventSource(board.getAttribute('data-stream'));
  source.addEventListener('story', function () { window.location.reload(); });
})();
