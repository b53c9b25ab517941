// Runs the browser analyser (themes/defaut/static/recherche/analyseur.js) on texts, for the
// parity test with the Rust analyser (tests/analyser_parity.rs).
// Usage: node analyser-parity.mjs TEXTES.json [raciniser]
// TEXTES.json holds a JSON array of strings; prints the JSON array of their term arrays. With
// `raciniser`, each text is one word given to the stemmer alone: its array holds the stem.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { analyser, raciniser } = require('../../themes/defaut/static/recherche/analyseur.js');

const [path, mode] = process.argv.slice(2);
if (!path || (mode !== undefined && mode !== 'raciniser')) {
  console.error('usage : node analyser-parity.mjs TEXTES.json [raciniser]');
  process.exit(2);
}
const texts = JSON.parse(readFileSync(path, 'utf8'));
const terms = mode === 'raciniser' ? (text) => [raciniser(text)] : analyser;
process.stdout.write(JSON.stringify(texts.map((text) => terms(text))));
