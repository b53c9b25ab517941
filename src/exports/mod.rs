//! Exports for harvesters and readers beyond the HTML pages: feeds, sitemap, catalogue,
//! ScoLOMFR/LOM records, OAI-PMH, CSV. Each sub-module turns the build input into output
//! files; none of them reads the sources or writes to disk itself.

pub mod catalogue;
pub mod csv;
pub mod feeds;
pub mod imscc;
pub mod lom;
pub mod oai;
pub mod sitemap;

use crate::diagnostics::Diagnostic;
use crate::publish::plan::PagePlan;
use crate::publish::{BuildInput, FileSink, OutputFile};

/// Every export file of the site, paths relative to the output root, sorted by path. `plan`
/// must have been made from `input`.
pub fn files(input: &BuildInput, plan: &PagePlan) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    crate::publish::collect_sorted(|sink| write_to(input, plan, sink))
}

/// One export: the files it makes of the build input and its page plan.
type Export = dyn Fn(&BuildInput, &PagePlan) -> Result<Vec<OutputFile>, Vec<Diagnostic>>;

/// Hands every export file to `sink`, one export at a time (the LOM records one by one), so
/// that a large site never holds all its exports in memory. Returns how many files.
pub fn write_to(
    input: &BuildInput,
    plan: &PagePlan,
    sink: &FileSink,
) -> Result<usize, Vec<Diagnostic>> {
    let mut count = lom::write_to(input, sink)?;
    let exports: [&Export; 5] = [
        &|input, plan| Ok(sitemap::files(input, plan)),
        &feeds::files,
        &|input, _| catalogue::files(input),
        &|input, _| Ok(oai::files(input)),
        &|input, _| csv::files(input),
    ];
    for export in exports {
        for file in export(input, plan)? {
            sink(file).map_err(|d| vec![d])?;
            count += 1;
        }
    }
    Ok(count)
}
