//! Site build: orchestrates discover → validate → markdown → index → render → write.

pub mod anchors;
pub mod build;
pub mod cache;
pub mod destination;
pub mod links;
pub mod output;
pub mod session;

pub use build::{build, prepare, BuildOptions, Progress, Silent, Summary};
