// Runs the browser search engine (themes/defaut/static/recherche/moteur.js) in Node over a
// built bundle, for the parity test with `vitrine search` (tests/search_parity.rs).
// Usage: node moteur.mjs DONNEES_DIR REQUETES.json
// REQUETES.json: [{texte, filtres: {cle: [valeurs]}, tri?, nombre?}]; prints, for each query,
// {total, resultats: [{slug, score}], termes, approchants: [{slug, score, manquant}]}.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const analyseur = require('../../themes/defaut/static/recherche/analyseur.js');
const { Moteur } = require('../../themes/defaut/static/recherche/moteur.js');

const [dir, queriesPath] = process.argv.slice(2);
if (!dir || !queriesPath) {
  console.error('usage : node moteur.mjs DONNEES_DIR REQUETES.json');
  process.exit(2);
}

// Each data file is exactly `vitrineRecherche.recevoir("<name>", <JSON>);`: read the JSON
// without evaluating the file.
const loaded = new Map();
function charger(name) {
  if (!loaded.has(name)) {
    loaded.set(name, new Promise((resolve, reject) => {
      const text = readFileSync(join(dir, `${name}.js`), 'utf8');
      const prefix = `vitrineRecherche.recevoir(${JSON.stringify(name)}, `;
      if (!text.startsWith(prefix) || !text.endsWith(');\n')) {
        reject(new Error(`${name}.js : format inattendu`));
        return;
      }
      resolve(JSON.parse(text.slice(prefix.length, -3)));
    }));
  }
  return loaded.get(name);
}

const moteur = new Moteur(charger, analyseur);
const queries = JSON.parse(readFileSync(queriesPath, 'utf8'));
const answers = [];
for (const query of queries) {
  const answer = await moteur.chercher({
    texte: query.texte,
    filtres: query.filtres || {},
    tri: query.tri || 'pertinence',
    debut: 0,
    nombre: query.nombre ?? 10,
    compter: query.compter || [],
  });
  answers.push({
    total: answer.total,
    resultats: answer.resultats.map((r) => ({ slug: r.fiche.slug, score: r.score })),
    comptes: answer.comptes,
    termes: answer.termes,
    approchants: answer.approchants.map((r) => ({
      slug: r.fiche.slug,
      score: r.score,
      manquant: r.manquant,
    })),
  });
}
process.stdout.write(JSON.stringify(answers));
