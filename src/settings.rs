//! The bank's settings as one value: the municipality (areas, providers, activities) and the goal tree,
//! with the version they were read at. No IO: the bank reads them from the store and hands them out;
//! pages, the report and the command line read them.

use crate::goals::GoalTree;
use crate::municipality::Municipality;

/// The municipality and goal tree as last read from the store.
pub struct Settings {
    /// The version of the settings as stored; it changes with every change to either.
    pub version: u64,
    pub municipality: Municipality,
    pub goals: GoalTree,
}
