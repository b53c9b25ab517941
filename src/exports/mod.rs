//! Exports for harvesters and readers beyond the HTML pages: feeds, sitemap, catalogue,
//! ScoLOMFR/LOM records, OAI-PMH, CSV. Each sub-module turns the build input into output
//! files; none of them reads the sources or writes to disk itself.

pub mod catalogue;
pub mod csv;
pub mod feeds;
pub mod jsonld;
pub mod lom;
pub mod oai;
pub mod sitemap;

use crate::diagnostics::Diagnostic;
use crate::site::{BuildInput, OutputFile};

/// Every export file of the site, paths relative to the output root.
pub fn files(input: &BuildInput) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let mut files: Vec<OutputFile> = Vec::new();
    // Sub-modules append their files here, in a fixed order (deterministic output).
    files.extend(sitemap::files(input));
    files.extend(feeds::files(input)?);
    files.extend(catalogue::files(input)?);
    files.extend(lom::files(input)?);
    files.extend(oai::files(input));
    files.extend(csv::files(input)?);
    Ok(files)
}
