/*
 * vitrine: the search engine of the browser, over the bundle that `vitrine build` exports from
 * the tantivy index (format and rules: docs/recherche.md).
 *
 *   window.vitrineRecherche.recevoir(nom, donnees)  called by every data file
 *   VitrineMoteur.chargeurScripts(base)             nom -> Promise, loads base + nom + '.js'
 *   new VitrineMoteur.Moteur(chargeur, VitrineAnalyseur)
 *   moteur.chercher({texte, filtres: {cle: [valeurs]}, tri: 'pertinence'|'date',
 *                    debut, nombre, compter: [cles], passages: true|false})
 *     -> Promise<{total, resultats: [{ordinal, score, fiche}], comptes: {cle: {valeur: n}},
 *                 termes: [index terms matched],
 *                 approchants: [{ordinal, score, fiche, manquant}]}>
 *   `approchants` (at most manifest.approchants.max, else []): when fewer than
 *   manifest.approchants.sous documents match a query of two words or more, the documents
 *   matching all words but one; `manquant` is the missing word as typed.
 *   With `passages`, a result whose title and summary hold none of the matched terms gets
 *   `fiche.passage`: the passage of its body (textes/<ordinal>, loaded then) that
 *   `vitrine search` would show, « … » where it is cut; absent when the body lacks them too
 *   and beyond manifest.passages.par_page such results in ten.
 *   A very common term's postings come in two parts (docs/recherche.md): its best documents,
 *   enough for the first pages of a one-word query, and the rest (suites/<k>), loaded only
 *   when the query needs every document.
 *   VitrineMoteur.surligner(texte, termes, analyseur) -> [{texte, marque}]
 *
 * Data files are scripts, not JSON fetched: `fetch` is refused from file:// and a script
 * element needs no eval, so the engine works from a USB key and under script-src 'self'.
 * The query rules are those of `vitrine search` (src/index/expand.rs); tests/search_parity.rs
 * compares both on the demo site.
 */
(function (root) {
  'use strict';

  // --- Loading ---------------------------------------------------------------------------

  var pending = {};

  var receiver = {
    recevoir: function (name, data) {
      var waiting = pending[name];
      if (waiting) {
        delete pending[name];
        waiting(data);
      }
    }
  };
  if (root && !root.vitrineRecherche) root.vitrineRecherche = receiver;

  // Loads `name` by a script element. Once the manifest is read, `load.version` (its
  // fingerprint) is added to every other file's address: a new bundle has new addresses, so
  // a server may cache those files for good; only manifest.js must stay fresh.
  function chargeurScripts(base, delaiMs) {
    var cache = {};
    var load = function (name) {
      if (!cache[name]) {
        cache[name] = new Promise(function (resolve, reject) {
          var versioned = load.version && name !== 'manifest';
          var url = base + name + '.js' + (versioned ? '?v=' + encodeURIComponent(load.version) : '');
          var done = false;
          var script = document.createElement('script');
          function fail(reason) {
            if (done) return;
            done = true;
            clearTimeout(timer);
            delete pending[name];
            delete cache[name];
            reject(new Error('Chargement impossible de ' + url + ' : ' + reason));
          }
          var timer = setTimeout(function () { fail('délai dépassé'); }, delaiMs || 30000);
          pending[name] = function (data) {
            done = true;
            clearTimeout(timer);
            resolve(data);
          };
          script.onerror = function () { fail('fichier absent ou illisible'); };
          script.onload = function () {
            // A file that loads without calling recevoir is not a data file.
            setTimeout(function () { fail('contenu inattendu'); }, 0);
          };
          script.src = url;
          document.head.appendChild(script);
        });
      }
      return cache[name];
    };
    load.version = '';
    return load;
  }

  // --- Small helpers ----------------------------------------------------------------------

  function codePoints(text) {
    return Array.from(text);
  }

  // Optimal string alignment distance, as strsim::osa_distance (on code points).
  function osaDistance(a, b) {
    var s = codePoints(a);
    var t = codePoints(b);
    var rows = [];
    for (var i = 0; i <= s.length; i++) {
      rows.push([i]);
      for (var j = 1; j <= t.length; j++) rows[i].push(i === 0 ? j : 0);
    }
    for (i = 1; i <= s.length; i++) {
      for (j = 1; j <= t.length; j++) {
        var cost = s[i - 1] === t[j - 1] ? 0 : 1;
        var best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
          best = Math.min(best, rows[i - 2][j - 2] + 1);
        }
        rows[i][j] = best;
      }
    }
    return rows[s.length][t.length];
  }

  function initial(term) {
    var c = term.charAt(0);
    return /[a-z0-9]/.test(c) ? c : '_';
  }

  function startsWith(text, prefix) {
    return text.slice(0, prefix.length) === prefix;
  }

  // A term file's entry: flat postings, or for a split term {n, tete, suite}.
  function documentsOf(entry) {
    return Array.isArray(entry) ? entry.length / 2 : entry.n;
  }

  // Two flat delta-encoded posting lists of disjoint documents, as one.
  function mergePostings(a, b) {
    var pairs = [];
    [a, b].forEach(function (list) {
      var ordinal = 0;
      for (var i = 0; i < list.length; i += 2) {
        ordinal += list[i];
        pairs.push([ordinal, list[i + 1]]);
      }
    });
    pairs.sort(function (x, y) { return x[0] - y[0]; });
    var merged = [];
    var previous = 0;
    pairs.forEach(function (pair) {
      merged.push(pair[0] - previous, pair[1]);
      previous = pair[0];
    });
    return merged;
  }

  // --- The engine -------------------------------------------------------------------------

  function Moteur(chargeur, analyseur) {
    this.charger = chargeur;
    this.analyseur = analyseur;
    this.manifeste = null;
  }

  Moteur.prototype.manifest = function () {
    var charger = this.charger;
    if (!this.manifeste) {
      this.manifeste = charger('manifest').then(function (manifest) {
        if (manifest && manifest.empreinte) charger.version = manifest.empreinte;
        return manifest;
      });
    }
    return this.manifeste;
  };

  // Index of the term file that would hold `term` (-1 when before the first).
  function fileOf(manifest, term) {
    var low = 0;
    var high = manifest.termes.length - 1;
    var found = -1;
    while (low <= high) {
      var mid = (low + high) >> 1;
      if (manifest.termes[mid] <= term) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  Moteur.prototype.termFile = function (index) {
    return this.charger('termes/' + index);
  };

  // Postings of one term (flat [delta, contribution, ...]), or undefined.
  Moteur.prototype.postings = function (manifest, term) {
    var index = fileOf(manifest, term);
    if (index < 0) return Promise.resolve(undefined);
    return this.termFile(index).then(function (file) {
      return Object.prototype.hasOwnProperty.call(file, term) ? file[term] : undefined;
    });
  };

  // Every index term starting with `prefix`, with its postings.
  Moteur.prototype.withPrefix = function (manifest, prefix) {
    var first = Math.max(fileOf(manifest, prefix), 0);
    var last = first;
    while (last + 1 < manifest.termes.length && startsWith(manifest.termes[last + 1], prefix)) {
      last++;
    }
    var loads = [];
    for (var i = first; i <= last && manifest.termes.length > 0; i++) loads.push(this.termFile(i));
    return Promise.all(loads).then(function (files) {
      var found = {};
      files.forEach(function (file) {
        Object.keys(file).forEach(function (term) {
          if (startsWith(term, prefix)) found[term] = file[term];
        });
      });
      return found;
    });
  };

  // Terms one typo away from `term`, with the same first character (from the dictionaries).
  Moteur.prototype.oneTypoAway = function (manifest, term) {
    var self = this;
    var name = initial(term);
    if (manifest.dictionnaires.indexOf(name) < 0) return Promise.resolve({});
    var first = codePoints(term)[0];
    return this.charger('dictionnaires/' + name).then(function (words) {
      var near = words.filter(function (word) {
        return codePoints(word)[0] === first && osaDistance(word, term) === 1;
      });
      return Promise.all(near.map(function (word) { return self.postings(manifest, word); }))
        .then(function (lists) {
          var found = {};
          near.forEach(function (word, i) { if (lists[i]) found[word] = lists[i]; });
          return found;
        });
    });
  };

  // What one query word matches: {tape, exact (its own term when indexed, else null),
  // termes: {term: postings}}. The last word is also a prefix unless its own term is in
  // manifest.prefixe.exact_max_documents documents or more (src/index/expand.rs).
  Moteur.prototype.matchingTerms = function (manifest, word, isLast) {
    var self = this;
    var length = codePoints(word.forme).length;
    var exact = null;
    return this.postings(manifest, word.terme).then(function (own) {
      var set = {};
      if (own) {
        set[word.terme] = own;
        exact = word.terme;
      }
      var ownDocuments = own ? documentsOf(own) : 0;
      if (!isLast || length < manifest.prefixe.longueur_min ||
          ownDocuments >= manifest.prefixe.exact_max_documents) {
        return set;
      }
      return self.withPrefix(manifest, word.forme).then(function (found) {
        var others = Object.keys(found).filter(function (t) { return t !== word.terme; });
        if (others.length > manifest.prefixe.max_termes) {
          others.sort(function (a, b) {
            return documentsOf(found[b]) - documentsOf(found[a]) || (a < b ? -1 : a > b ? 1 : 0);
          });
          others = others.slice(0, manifest.prefixe.max_termes);
        }
        others.forEach(function (t) { set[t] = found[t]; });
        return set;
      });
    }).then(function (set) {
      if (Object.keys(set).length > 0 || length < manifest.approche.longueur_min) return set;
      return self.oneTypoAway(manifest, word.terme);
    }).then(function (set) {
      return { tape: word.tape, exact: exact, termes: set };
    });
  };

  // Per document: how many words it matches, how many by their own term, which word it
  // lacks (the last one, meaningful when it lacks exactly one) and its score (the sum of
  // the contributions of every term it holds).
  function scoreWords(words, documents) {
    var scores = new Float64Array(documents);
    var matched = new Uint16Array(documents);
    var exact = new Uint16Array(documents);
    var missing = new Int32Array(documents).fill(-1);
    words.forEach(function (word, w) {
      var seen = new Uint8Array(documents);
      Object.keys(word.termes).forEach(function (term) {
        var postings = word.termes[term];
        var ordinal = 0;
        for (var i = 0; i < postings.length; i += 2) {
          ordinal += postings[i];
          scores[ordinal] += postings[i + 1];
          if (!seen[ordinal]) {
            seen[ordinal] = 1;
            matched[ordinal]++;
          }
          if (term === word.exact) exact[ordinal]++;
        }
      });
      for (var d = 0; d < documents; d++) if (!seen[d]) missing[d] = w;
    });
    return { matched: matched, exact: exact, missing: missing, scores: scores };
  }

  function decode(deltas, into) {
    var ordinal = 0;
    for (var i = 0; i < deltas.length; i++) {
      ordinal += deltas[i];
      into[ordinal] = 1;
    }
    return into;
  }

  // Uint8Array of the documents having one of `values` in the facet file `sets`.
  function anyValue(sets, values, documents) {
    var flags = new Uint8Array(documents);
    values.forEach(function (value) {
      if (Object.prototype.hasOwnProperty.call(sets, value)) decode(sets[value], flags);
    });
    return flags;
  }

  function activeFilters(filtres) {
    var active = {};
    Object.keys(filtres || {}).forEach(function (key) {
      var values = (filtres[key] || []).filter(function (v) { return v; });
      if (values.length > 0) active[key] = values;
    });
    return active;
  }

  Moteur.prototype.chercher = function (requete) {
    var self = this;
    var query = requete || {};
    var words = this.analyseur.analyserMots(query.texte || '');
    var filters = activeFilters(query.filtres);
    var counted = (query.compter || []).slice();
    return this.manifest().then(function (manifest) {
      var documents = manifest.documents;
      var known = {};
      manifest.facettes.forEach(function (f) { known[f.cle] = true; });
      var facetKeys = Object.keys(filters).concat(counted).filter(function (key, i, all) {
        return known[key] && all.indexOf(key) === i;
      });
      var termSets = Promise.all(words.map(function (word, i) {
        return self.matchingTerms(manifest, word, i === words.length - 1);
      }));
      var facetFiles = Promise.all(facetKeys.map(function (key) {
        return self.charger('facettes/' + key);
      }));
      return Promise.all([termSets, facetFiles]).then(function (loaded) {
        var facetSets = {};
        facetKeys.forEach(function (key, i) { facetSets[key] = loaded[1][i]; });
        var single = headOnly(manifest, loaded[0], filters, facetKeys, query);
        var weights = passageWeights(loaded[0]);
        return self.complete(loaded[0], single !== null).then(function (rawWords) {
          return self.rank(manifest, words.length, rawWords, filters, facetSets, query, single);
        }).then(function (answer) {
          if (!query.passages) return answer;
          return self.passages(manifest, answer, weights);
        });
      });
    });
  };

  // The one split term of a query that its head answers alone (one word, that term only, no
  // filter nor count, by relevance, within the head's documents), or null.
  function headOnly(manifest, rawWords, filters, facetKeys, query) {
    var words = distinctWords(rawWords);
    if (words.length !== 1 || Object.keys(filters).length > 0 || facetKeys.length > 0 ||
        query.tri === 'date') {
      return null;
    }
    var terms = Object.keys(words[0].termes);
    var entry = terms.length === 1 ? words[0].termes[terms[0]] : null;
    if (!entry || Array.isArray(entry)) return null;
    var end = Math.max(query.debut || 0, 0) + (query.nombre === undefined ? 10 : query.nombre);
    return end <= Math.min(manifest.tete, entry.n) ? entry : null;
  }

  // Every term's postings as a flat list: a split term's head alone when `headsOnly`, else
  // its head and its rest (suites/<k>) merged.
  Moteur.prototype.complete = function (rawWords, headsOnly) {
    var self = this;
    return Promise.all(rawWords.map(function (word) {
      var terms = Object.keys(word.termes);
      return Promise.all(terms.map(function (term) {
        var entry = word.termes[term];
        if (Array.isArray(entry)) return entry;
        if (headsOnly) return entry.tete;
        return self.charger('suites/' + entry.suite).then(function (rests) {
          return mergePostings(entry.tete, rests[term] || []);
        });
      })).then(function (lists) {
        var termes = {};
        terms.forEach(function (term, i) { termes[term] = lists[i]; });
        return { tape: word.tape, exact: word.exact, termes: termes };
      });
    }));
  };

  // Words matching the same terms count once (the first is kept), words matching nothing all
  // count (each is missing), as in src/index/expand.rs.
  function distinctWords(rawWords) {
    var words = [];
    var signatures = {};
    rawWords.forEach(function (word) {
      var terms = Object.keys(word.termes).sort();
      var signature = (word.exact === null ? '' : word.exact) + '|' + terms.join(' ');
      if (terms.length === 0 || !signatures[signature]) {
        signatures[signature] = true;
        words.push(word);
      }
    });
    return words;
  }

  // `single`: the split term whose head alone was loaded (headOnly), giving the total.
  Moteur.prototype.rank = function (manifest, wordCount, rawWords, filters, facetSets, query, single) {
    var documents = manifest.documents;
    var words = distinctWords(rawWords);
    var n = words.length;
    var scored = scoreWords(words, documents);
    var scores = scored.scores;
    // Tier 0: every matched word by its own term; tier 1: through a prefix or a typo.
    function tier(ordinal) {
      return scored.exact[ordinal] === scored.matched[ordinal] ? 0 : 1;
    }
    var filterFlags = {};
    Object.keys(filters).forEach(function (key) {
      if (facetSets[key]) filterFlags[key] = anyValue(facetSets[key], filters[key], documents);
    });
    var filterKeys = Object.keys(filterFlags);
    function passesFilters(ordinal, except) {
      for (var i = 0; i < filterKeys.length; i++) {
        if (filterKeys[i] !== except && !filterFlags[filterKeys[i]][ordinal]) return false;
      }
      return true;
    }
    function passes(ordinal, except) {
      if (wordCount > 0 && scored.matched[ordinal] !== n) return false;
      return passesFilters(ordinal, except);
    }
    function byRank(a, b) {
      return tier(a) - tier(b) || scores[b] - scores[a] || a - b;
    }
    var results = [];
    for (var d = 0; d < documents; d++) if (passes(d, null)) results.push(d);
    if (wordCount > 0 && query.tri !== 'date') results.sort(byRank);
    var approximate = [];
    if (n >= 2 && results.length < manifest.approchants.sous) {
      for (d = 0; d < documents; d++) {
        if (scored.matched[d] === n - 1 && passesFilters(d, null)) approximate.push(d);
      }
      approximate.sort(byRank);
      approximate = approximate.slice(0, manifest.approchants.max);
    }
    var counts = {};
    (query.compter || []).forEach(function (key) {
      var sets = facetSets[key];
      if (!sets) return;
      counts[key] = {};
      Object.keys(sets).forEach(function (value) {
        var flags = decode(sets[value], new Uint8Array(documents));
        var count = 0;
        for (var o = 0; o < documents; o++) if (flags[o] && passes(o, key)) count++;
        counts[key][value] = count;
      });
    });
    var terms = [];
    words.forEach(function (word) { terms = terms.concat(Object.keys(word.termes)); });
    var start = Math.max(query.debut || 0, 0);
    var page = results.slice(start, start + (query.nombre === undefined ? 10 : query.nombre));
    return this.records(manifest, page.concat(approximate)).then(function (records) {
      return {
        total: single ? single.n : results.length,
        resultats: page.map(function (ordinal, i) {
          return { ordinal: ordinal, score: scores[ordinal] / 1000, fiche: records[i] };
        }),
        comptes: counts,
        termes: terms,
        approchants: approximate.map(function (ordinal, i) {
          return {
            ordinal: ordinal,
            score: scores[ordinal] / 1000,
            fiche: records[page.length + i],
            manquant: words[scored.missing[ordinal]].tape
          };
        })
      };
    });
  };

  // Labels of facet values given by position in the manifest.
  function labels(manifest, key, positions) {
    var facet = manifest.facettes.filter(function (f) { return f.cle === key; })[0];
    return (positions || []).map(function (i) { return facet && facet.valeurs[i] ? facet.valeurs[i][1] : ''; });
  }

  // The records of `ordinals`, with their page address and facet labels.
  Moteur.prototype.records = function (manifest, ordinals) {
    var self = this;
    var perFile = manifest.fiches_par_fichier;
    return Promise.all(ordinals.map(function (ordinal) {
      return self.charger('fiches/' + Math.floor(ordinal / perFile)).then(function (records) {
        var record = records[ordinal % perFile];
        return {
          slug: record.slug,
          titre: record.titre,
          date: record.date,
          resume: record.resume,
          // A harvested scenario's page is on its académie's site: an absolute address.
          url: record.url || manifest.adresse.replace('{slug}', record.slug),
          externe: !!record.url,
          origine: record.origine || '',
          academies: labels(manifest, 'academies', record.academies),
          disciplines: labels(manifest, 'disciplines', record.disciplines),
          niveaux: labels(manifest, 'niveaux', record.niveaux)
        };
      });
    }));
  };

  // --- Passages ---------------------------------------------------------------------------

  // Weight of each matched term in a passage, as tantivy's snippets: 1 / (1 + its documents).
  function passageWeights(rawWords) {
    var weights = {};
    rawWords.forEach(function (word) {
      Object.keys(word.termes).forEach(function (term) {
        weights[term] = 1 / (1 + documentsOf(word.termes[term]));
      });
    });
    return weights;
  }

  // Whether `texte` holds one of the weighted terms.
  function holdsTerm(texte, weights, analyseur) {
    return analyseur.reperer(texte || '').some(function (span) {
      return span.terme !== null && weights[span.terme] !== undefined;
    });
  }

  // UTF-8 length of `text`: tantivy measures fragments in bytes.
  function utf8Length(text) {
    var n = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (c >= 0xd800 && c < 0xdc00) { n += 4; i++; } else n += 3;
    }
    return n;
  }

  // The passage of at most `maximum` bytes that `vitrine search` would show (tantivy's
  // SnippetGenerator): the text is cut into fragments, each starting at the word that made
  // the previous one too long; the fragment whose matched words weigh most wins, the first
  // one on a tie. Stop words are not tokens there either.
  function choosePassage(texte, weights, analyseur, maximum) {
    var best = null;
    var fragment = { debut: 0, fin: 0, octet: 0, poids: 0 };
    var cursor = 0;
    var bytes = 0;
    function close() {
      if (fragment.poids > 0 && (!best || fragment.poids > best.poids)) best = fragment;
    }
    analyseur.reperer(texte).forEach(function (span) {
      if (span.terme === null) return;
      var start = bytes + utf8Length(texte.slice(cursor, span.debut));
      bytes = start + utf8Length(texte.slice(span.debut, span.fin));
      cursor = span.fin;
      if (bytes - fragment.octet > maximum) {
        close();
        fragment = { debut: span.debut, fin: span.debut, octet: start, poids: 0 };
      }
      fragment.fin = span.fin;
      if (weights[span.terme] !== undefined) fragment.poids += weights[span.terme];
    });
    close();
    if (!best) return null;
    return (best.debut > 0 ? '… ' : '') + texte.slice(best.debut, best.fin) +
      (best.fin < texte.length ? ' …' : '');
  }

  // Adds `fiche.passage` to the results whose title and summary lack every matched term (a
  // marked word of either already shows why it matched), loading the body text of those
  // only: at most manifest.passages.par_page texts in each ten results (the first ones), to
  // stay within the transfer budget of a query. A text that cannot load leaves the summary:
  // never an error.
  Moteur.prototype.passages = function (manifest, answer, weights) {
    var self = this;
    var analyseur = this.analyseur;
    var perPage = manifest.passages.par_page;
    var taken = {};
    function needs(result, block) {
      var record = result.fiche;
      if (!record || holdsTerm(record.titre, weights, analyseur) ||
          holdsTerm(record.resume, weights, analyseur)) {
        return false;
      }
      taken[block] = (taken[block] || 0) + 1;
      return taken[block] <= perPage;
    }
    var wanted = [];
    answer.resultats.forEach(function (result, i) {
      if (needs(result, 'r' + Math.floor(i / 10))) wanted.push(result);
    });
    answer.approchants.forEach(function (result, i) {
      if (needs(result, 'a' + Math.floor(i / 10))) wanted.push(result);
    });
    return Promise.all(wanted.map(function (result) {
      return self.charger('textes/' + result.ordinal).then(function (texte) {
        var chosen = typeof texte === 'string'
          ? choosePassage(texte, weights, analyseur, manifest.passages.octets) : null;
        if (chosen) result.fiche.passage = chosen;
      }, function () { return null; });
    })).then(function () { return answer; });
  };

  // --- Highlighting -----------------------------------------------------------------------

  // `texte` cut into segments, the words whose term is in `termes` marked.
  function surligner(texte, termes, analyseur) {
    var wanted = {};
    (termes || []).forEach(function (t) { wanted[t] = true; });
    var segments = [];
    var cursor = 0;
    analyseur.reperer(texte || '').forEach(function (span) {
      if (!span.terme || !wanted[span.terme]) return;
      if (span.debut > cursor) segments.push({ texte: texte.slice(cursor, span.debut), marque: false });
      segments.push({ texte: texte.slice(span.debut, span.fin), marque: true });
      cursor = span.fin;
    });
    if (cursor < (texte || '').length) segments.push({ texte: texte.slice(cursor), marque: false });
    return segments;
  }

  var api = {
    Moteur: Moteur,
    chargeurScripts: chargeurScripts,
    surligner: surligner,
    recepteur: receiver,
    distance: osaDistance,
    passage: choosePassage
  };
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  if (root) root.VitrineMoteur = api;
})(typeof window !== 'undefined' ? window : typeof self !== 'undefined' ? self : null);
