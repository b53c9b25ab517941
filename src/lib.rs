//! vitrine: a static site generator for the *vitrine de la mutualisation*.
//!
//! Data flows one way: `content` discovers and validates the sources (using `config`,
//! `vocab` and `yaml`), `markdown` turns bodies into HTML, `federation` adds the scenarios
//! harvested from other vitrines, `index` builds the tantivy index; then each output reads the
//! shared `publish` layer (build input, output files, addresses, French wording, facts about a
//! scenario): `pages` (HTML pages, dashboard, JSON-LD; theme loaded by `theme`), `exports`
//! and `search_bundle`. `site` orchestrates the build and writes the output; `serve`,
//! `check`, `search`, `new_scenario`, `init`, `listing` (`vitrine vocabulaires`) and `cli` sit on top.
//!
//! Layers, bottom first (a module uses only layers below its own; enforced by
//! `tests/architecture.rs`): `text`; `diagnostics`; `yaml`, `vocab`; `config`, `schema`; `content`,
//! `markdown`; `publish`; `index`, `federation`; `exports`, `search_bundle`, `pages` (with
//! `theme`); `site`; `serve`, `check`, `search`, `new_scenario`, `init`, `listing`; `cli`.

pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod exports;
pub mod federation;
pub mod index;
pub mod init;
pub mod listing;
pub mod markdown;
pub mod new_scenario;
pub mod pages;
pub mod publish;
pub mod schema;
pub mod search;
pub mod search_bundle;
pub mod serve;
pub mod site;
#[cfg(test)]
mod testing;
pub mod text;
pub mod theme;
pub mod vocab;
pub mod yaml;
