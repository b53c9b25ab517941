//! Site build: orchestrates discover → validate → markdown → index → render → write.

pub mod anchors;
pub mod build;
pub mod cache;
pub mod destination;
pub mod hand_made;
pub mod indexing;
pub mod links;
pub mod lock;
pub mod options;
pub mod output;
pub mod page_record;
pub mod prepare;
pub mod reading_cache;
pub mod reserve;
pub mod session;

pub use build::{build, Summary};
pub use options::{BuildOptions, Progress, Silent};
pub use prepare::prepare;
