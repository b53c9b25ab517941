/*
 * vitrine: the search page. Search as you type, facet filters with live counts, sort, results
 * with the matched words marked; the query and filters live in the address
 * (?q=…&discipline=…&tri=date), so results can be shared and the back button works.
 * Without JavaScript the page offers the facet listings instead (progressive enhancement).
 * Needs analyseur.js and moteur.js before it; no framework, no innerHTML with data.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  var form = document.getElementById('formulaire-recherche');
  var zone = document.getElementById('recherche-interactive');
  if (!script || !form || !zone || !window.VitrineMoteur || !window.VitrineAnalyseur) return;

  var root = script.getAttribute('data-racine') || '';
  var engine = new window.VitrineMoteur.Moteur(
    window.VitrineMoteur.chargeurScripts(script.getAttribute('data-donnees') || ''),
    window.VitrineAnalyseur
  );
  var input = document.getElementById('q');
  var sort = document.getElementById('tri');
  var filtersBox = document.getElementById('filtres');
  var panel = document.getElementById('panneau-filtres');
  var panelCount = document.getElementById('filtres-nombre');
  var activeBox = document.getElementById('filtres-actifs');
  var activeList = activeBox ? activeBox.querySelector('ul') : null;
  var status = document.getElementById('etat');
  var list = document.getElementById('resultats');
  var more = document.getElementById('plus');
  var PAGE = 10;
  var facets = [];
  var shown = PAGE;
  var generation = 0;
  var typingTimer = null;

  zone.hidden = false;

  // Filters open beside the results on a wide screen; on a phone they stay folded under
  // « Filtrer » so that the results come first.
  var wide = window.matchMedia ? window.matchMedia('(min-width: 50rem)') : null;
  if (panel) {
    panel.open = !wide || wide.matches;
    if (wide && wide.addEventListener) {
      wide.addEventListener('change', function () { panel.open = wide.matches; });
    }
  }

  // --- State <-> address -----------------------------------------------------------------

  function stateFromAddress() {
    var params = new URLSearchParams(window.location.search);
    var state = { q: params.get('q') || '', tri: params.get('tri') === 'date' ? 'date' : 'pertinence', filtres: {} };
    facets.forEach(function (facet) {
      var values = params.getAll(facet.parametre).filter(function (v) { return v; });
      if (values.length) state.filtres[facet.cle] = values;
    });
    return state;
  }

  function stateFromForm() {
    var state = { q: input.value, tri: sort.value === 'date' ? 'date' : 'pertinence', filtres: {} };
    facets.forEach(function (facet) {
      var values = [];
      facet.cases.forEach(function (box) { if (box.checked) values.push(box.value); });
      if (values.length) state.filtres[facet.cle] = values;
    });
    return state;
  }

  function address(state) {
    var params = new URLSearchParams();
    if (state.q) params.append('q', state.q);
    facets.forEach(function (facet) {
      (state.filtres[facet.cle] || []).forEach(function (v) { params.append(facet.parametre, v); });
    });
    if (state.tri === 'date') params.append('tri', 'date');
    var query = params.toString();
    return window.location.pathname + (query ? '?' + query : '');
  }

  function showState(state) {
    input.value = state.q;
    sort.value = state.tri;
    facets.forEach(function (facet) {
      var active = state.filtres[facet.cle] || [];
      facet.cases.forEach(function (box) { box.checked = active.indexOf(box.value) >= 0; });
      if (active.length) facet.details.open = true;
    });
    showActive(state);
  }

  // The active filters as buttons that remove them, and their number on « Filtrer »: both
  // stay in view on a phone while the filters are folded.
  function showActive(state) {
    if (!activeList) return;
    var chosen = [];
    facets.forEach(function (facet) {
      (state.filtres[facet.cle] || []).forEach(function (value) {
        if (facet.libelles[value] !== undefined) chosen.push({ facet: facet, value: value });
      });
    });
    if (panelCount) {
      panelCount.textContent = chosen.length ? '(' + plural(chosen.length, 'actif', 'actifs') + ')' : '';
    }
    activeList.textContent = '';
    chosen.forEach(function (choice) {
      var item = element('li');
      var button = element('button', 'puce');
      button.type = 'button';
      button.appendChild(element('span', 'visuellement-cache', 'Retirer le filtre ' + choice.facet.singulier + ' : '));
      button.appendChild(document.createTextNode(choice.facet.libelles[choice.value] + ' '));
      var cross = element('span', 'puce-croix', '✕');
      cross.setAttribute('aria-hidden', 'true');
      button.appendChild(cross);
      button.addEventListener('click', function () {
        var index = Array.prototype.indexOf.call(activeList.children, item);
        untick(choice.facet, choice.value);
        refocus(index);
      });
      item.appendChild(button);
      activeList.appendChild(item);
    });
    if (chosen.length > 1) {
      var item = element('li');
      var all = element('button', 'puce puce-tout', 'Retirer tous les filtres');
      all.type = 'button';
      all.addEventListener('click', function () {
        facets.forEach(function (facet) { facet.cases.forEach(function (box) { box.checked = false; }); });
        run(true);
        if (panel) panel.querySelector('summary').focus();
      });
      item.appendChild(all);
      activeList.appendChild(item);
    }
    activeBox.hidden = chosen.length === 0;
  }

  function untick(facet, value) {
    facet.cases.forEach(function (box) { if (box.value === value) box.checked = false; });
    run(true);
  }

  // After a filter's button is removed, keyboard focus goes to the button that takes its
  // place, or to « Filtrer » when none is left.
  function refocus(index) {
    var next = activeList.children[index] || activeList.children[index - 1];
    var target = next ? next.querySelector('button') : panel && panel.querySelector('summary');
    if (target) target.focus();
  }

  // --- Building the filters --------------------------------------------------------------

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function buildFilters(manifest) {
    manifest.facettes.forEach(function (facet) {
      var details = element('details', 'filtre');
      var summary = element('summary', null, facet.titre);
      var fieldset = element('fieldset');
      var legend = element('legend', 'visuellement-cache', facet.titre);
      var values = element('ul', 'filtre-valeurs');
      var none = element('p', 'filtre-vide', 'Aucune valeur parmi ces résultats.');
      none.hidden = true;
      var entry = {
        cle: facet.cle, parametre: facet.parametre, singulier: facet.singulier || facet.titre,
        details: details, liste: values, vide: none, cases: [], nombres: {}, libelles: {}, lignes: []
      };
      fieldset.appendChild(legend);
      facet.valeurs.forEach(function (value, i) {
        var item = element('li');
        var box = element('input');
        var id = 'filtre-' + facet.parametre + '-' + i;
        box.type = 'checkbox';
        box.id = id;
        box.name = facet.parametre;
        box.value = value[0];
        var label = element('label', null, value[1] + ' ');
        label.htmlFor = id;
        var count = element('span', 'nombre');
        label.appendChild(count);
        item.appendChild(box);
        item.appendChild(label);
        entry.cases.push(box);
        entry.nombres[value[0]] = count;
        entry.libelles[value[0]] = value[1];
        // The whole site's count orders the values until the search gives its own.
        entry.lignes.push({ item: item, box: box, libelle: value[1], nombre: value[2] || 0 });
        box.addEventListener('change', function () { run(true); });
      });
      arrange(entry);
      fieldset.appendChild(values);
      fieldset.appendChild(none);
      details.appendChild(summary);
      details.appendChild(fieldset);
      // Counts are computed for open groups only: a closed group loads no data.
      details.addEventListener('toggle', function () { if (details.open) run(false, true); });
      filtersBox.appendChild(details);
      facets.push(entry);
    });
  }

  // Puts a group's values in order: most scenarios first, then by label. Only the lines out
  // of place move, and the focused box gets its focus back (moving a node drops it).
  function arrange(entry) {
    var focused = document.activeElement;
    var order = entry.lignes.slice().sort(function (a, b) {
      return b.nombre - a.nombre || a.libelle.localeCompare(b.libelle, 'fr');
    });
    order.forEach(function (line, i) {
      if (entry.liste.children[i] !== line.item) entry.liste.insertBefore(line.item, entry.liste.children[i] || null);
    });
    if (focused && focused !== document.activeElement && entry.liste.contains(focused)) {
      focused.focus({ preventScroll: true });
    }
  }

  // --- Searching and showing -------------------------------------------------------------

  function counted(state) {
    return facets.filter(function (facet) {
      return facet.details.open || state.filtres[facet.cle];
    }).map(function (facet) { return facet.cle; });
  }

  function plural(n, one, many) {
    return n + ' ' + (n > 1 ? many : one);
  }

  function frenchDate(iso) {
    var date = new Date(iso + 'T00:00:00Z');
    if (isNaN(date.getTime())) return iso;
    return date.toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  }

  function marked(parent, text, terms) {
    window.VitrineMoteur.surligner(text, terms, window.VitrineAnalyseur).forEach(function (part) {
      parent.appendChild(part.marque ? element('mark', null, part.texte) : document.createTextNode(part.texte));
    });
  }

  function resultItem(result, terms) {
    var record = result.fiche;
    var item = element('li', 'resultat');
    var title = element('h3', 'resultat-titre');
    var link = element('a');
    link.href = record.externe ? record.url : root + record.url;
    if (record.externe) link.rel = 'external';
    marked(link, record.titre, terms);
    title.appendChild(link);
    item.appendChild(title);
    if (record.origine) item.appendChild(element('p', 'resultat-origine', record.origine));
    // A passage of the body shows why a result matched when its summary does not.
    var excerptText = record.passage || record.resume;
    if (excerptText) {
      var excerpt = element('p', record.passage ? 'resultat-extrait resultat-passage' : 'resultat-extrait');
      marked(excerpt, excerptText, terms);
      item.appendChild(excerpt);
    }
    var meta = element('p', 'resultat-meta');
    var parts = [];
    if (record.academies.length) parts.push('Académie : ' + record.academies.join(', '));
    if (record.disciplines.length) parts.push(record.disciplines.join(', '));
    if (record.niveaux.length) parts.push(record.niveaux.join(', '));
    meta.appendChild(document.createTextNode(parts.join(' · ') + (parts.length ? ' · ' : '')));
    var time = element('time', null, frenchDate(record.date));
    time.setAttribute('datetime', record.date);
    meta.appendChild(time);
    item.appendChild(meta);
    return item;
  }

  // Counts of the open groups: values without results are hidden (unless ticked or focused,
  // so that they can be unticked), the others sorted by count.
  function showCounts(answer) {
    facets.forEach(function (facet) {
      var counts = answer.comptes[facet.cle];
      var shownValues = 0;
      facet.lignes.forEach(function (line) {
        var value = line.box.value;
        var n = counts ? counts[value] || 0 : null;
        facet.nombres[value].textContent = n === null ? '' : '(' + n + ')';
        if (n !== null) line.nombre = n;
        line.item.hidden = n === 0 && !line.box.checked && document.activeElement !== line.box;
        if (!line.item.hidden) shownValues++;
      });
      facet.vide.hidden = shownValues > 0;
      if (counts) arrange(facet);
    });
  }

  // The words between French quotation marks, held to them by no-break spaces: a phone never
  // leaves « or » alone at the start of a line.
  function quoted(text) {
    return '\u00ab\u00a0' + text + '\u00a0\u00bb';
  }

  function describe(state, total) {
    var filtered = Object.keys(state.filtres).length > 0;
    if (total === 0) {
      return state.q.trim()
        ? 'Aucun scénario ne correspond à ' + quoted(state.q.trim()) + (filtered ? ' avec ces filtres.' : '.') +
          ' Essayez un autre mot ou retirez un filtre.'
        : 'Aucun scénario ne correspond à ces filtres.';
    }
    var found = total > 1 ? 'trouvés' : 'trouvé';
    return plural(total, 'scénario', 'scénarios') + ' ' + found +
      (state.q.trim() ? ' pour ' + quoted(state.q.trim()) : '') + (filtered ? ' avec les filtres choisis.' : '.');
  }

  // « Résultats approchants »: documents lacking one word, in their own section under the
  // results, each naming the missing word. Built on first use (the template knows nothing of
  // it), emptied and hidden when there are none.
  var approximateBox = null;
  function showApproximate(answer) {
    var results = answer.approchants || [];
    if (!approximateBox) {
      if (results.length === 0) return;
      approximateBox = element('section', 'resultats-approchants');
      approximateBox.id = 'approchants';
      approximateBox.setAttribute('aria-labelledby', 'titre-approchants');
      var heading = element('h2', null, 'Résultats approchants');
      heading.id = 'titre-approchants';
      approximateBox.appendChild(heading);
      approximateBox.appendChild(element('ol', 'resultats'));
      more.parentNode.insertBefore(approximateBox, more.nextSibling);
    }
    var items = approximateBox.querySelector('ol');
    items.textContent = '';
    results.forEach(function (result) {
      var item = resultItem(result, answer.termes);
      item.insertBefore(element('p', 'resultat-manquant', 'sans ' + quoted(result.manquant)),
        item.children[1] || null);
      items.appendChild(item);
    });
    approximateBox.hidden = results.length === 0;
  }

  // Runs the search of the form; `remember` pushes a history entry, `keep` keeps the page size.
  function run(remember, keep, focusFrom) {
    var state = stateFromForm();
    showActive(state);
    if (!keep) shown = PAGE;
    var url = address(state);
    if (url !== window.location.pathname + window.location.search) {
      if (remember) window.history.pushState(null, '', url);
      else window.history.replaceState(null, '', url);
    }
    var mine = ++generation;
    var started = window.performance ? performance.now() : 0;
    return engine.chercher({
      texte: state.q,
      filtres: state.filtres,
      tri: state.tri,
      debut: 0,
      nombre: shown,
      compter: counted(state),
      passages: true
    }).then(function (answer) {
      if (mine !== generation) return;
      list.textContent = '';
      answer.resultats.forEach(function (result) { list.appendChild(resultItem(result, answer.termes)); });
      showCounts(answer);
      showApproximate(answer);
      status.textContent = describe(state, answer.total);
      more.hidden = answer.resultats.length >= answer.total;
      if (focusFrom !== undefined && list.children[focusFrom]) {
        list.children[focusFrom].querySelector('a').focus();
      }
      if (window.performance && performance.mark) {
        performance.mark('vitrine-resultats');
        document.documentElement.setAttribute('data-recherche-ms', String(performance.now() - started));
      }
      document.documentElement.setAttribute('data-recherche', 'prete');
    }, failed);
  }

  function failed(error) {
    status.textContent = 'La recherche n’a pas pu se charger. Vous pouvez parcourir les scénarios par rubrique ci-dessous. (' +
      (error && error.message ? error.message : 'erreur inconnue') + ')';
    document.documentElement.setAttribute('data-recherche', 'erreur');
  }

  // --- Events ------------------------------------------------------------------------------

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    window.clearTimeout(typingTimer);
    run(true);
  });
  input.addEventListener('input', function () {
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(function () { run(false); }, 200);
  });
  sort.addEventListener('change', function () { run(true); });
  more.addEventListener('click', function () {
    var from = shown;
    shown += PAGE;
    run(false, true, from);
  });
  window.addEventListener('popstate', function () {
    showState(stateFromAddress());
    run(false);
  });

  status.textContent = 'Chargement de la recherche…';
  engine.manifest().then(function (manifest) {
    buildFilters(manifest);
    showState(stateFromAddress());
    return run(false);
  }).catch(failed);
})();
