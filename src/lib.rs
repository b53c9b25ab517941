//! vitrine: a static site generator for the *vitrine de la mutualisation*.
//!
//! Data flows one way: `content` discovers and validates the sources (using `config`
//! and `vocab`), `markdown` turns bodies into HTML, `index` builds the tantivy index,
//! `render` applies the theme, and `site` orchestrates the build and writes the output.

pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod exports;
pub mod federation;
pub mod index;
pub mod init;
pub mod markdown;
pub mod new_scenario;
pub mod publish;
pub mod render;
pub mod search_export;
pub mod serve;
pub mod site;
#[cfg(test)]
mod testing;
pub mod text;
pub mod vocab;
pub mod yaml;
