//! Content: discovery of the Markdown sources, front matter parsing and validation.

pub mod facet;
pub mod model;

pub use facet::Facet;
pub use model::{Auteur, Duree, Metadata, Page, Ressource, Scenario, SiteContent};
