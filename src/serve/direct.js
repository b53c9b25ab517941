// Live reload of `vitrine serve` (injected by the preview server only, never in `build`):
// listens to the rebuild events and reloads the page when it changed.
(function () {
  'use strict';
  if (!window.EventSource) {
    return;
  }
  var path = decodeURIComponent(location.pathname)
    .replace(/index\.html$/, '')
    .replace(/^\//, '');
  var source = new EventSource('/_vitrine/evenements');
  source.addEventListener('rechargement', function (message) {
    var event;
    try {
      event = JSON.parse(message.data);
    } catch (e) {
      return;
    }
    var paths = event.chemins || [];
    if (paths.indexOf('*') >= 0 || paths.indexOf(path) >= 0) {
      location.reload();
    }
  });
})();
