//! Train / validation / test assignment for sources without their own
//! splits: by a hash of the group (template) key, so a group never
//! crosses splits and the assignment does not depend on file order.

use std::hash::Hasher;

/// Which split an item belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Split {
    Train,
    Validation,
    Test,
}

/// 70 / 15 / 15 by an FNV-1a hash of `source` and `group`.
pub(crate) fn split_of_group(source: &str, group: &str) -> Split {
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(source.as_bytes());
    hasher.write_u8(0);
    hasher.write(group.as_bytes());
    match hasher.finish() % 100 {
        0..70 => Split::Train,
        70..85 => Split::Validation,
        _ => Split::Test,
    }
}
