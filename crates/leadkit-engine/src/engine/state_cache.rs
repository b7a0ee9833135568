//! The states of recent conversations, kept so a turn can decide without
//! reading its state first.
//!
//! A cached state is only a guess: the turn's write is a compare-and-swap
//! on the version, and stores never reuse a version for a conversation
//! (not even after an erasure), so a cached state that is no longer the
//! stored one makes the write conflict, and the engine then decides again
//! on the state it reads.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use leadkit_core::{ConversationId, WorkspaceId};
use leadkit_store::VersionedState;

type Key = (WorkspaceId, ConversationId);

/// At most `capacity` conversations' states, the least recently used ones
/// dropped first (approximately: two generations, the older one dropped
/// whole when the newer one is full, which needs no per-entry bookkeeping).
pub(crate) struct StateCache {
    generation_size: usize,
    generations: Mutex<Generations>,
}

#[derive(Default)]
struct Generations {
    young: HashMap<Key, VersionedState>,
    old: HashMap<Key, VersionedState>,
}

impl StateCache {
    /// A cache of up to `capacity` conversations (rounded up to an even
    /// number); 0 caches nothing.
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            generation_size: capacity / 2 + capacity % 2,
            generations: Mutex::default(),
        }
    }

    /// The cached state of a conversation.
    pub(crate) fn get(&self, key: Key) -> Option<VersionedState> {
        if self.generation_size == 0 {
            return None;
        }
        let mut generations = self.lock();
        if let Some(state) = generations.young.get(&key) {
            return Some(state.clone());
        }
        let state = generations.old.remove(&key)?;
        generations.insert_young(self.generation_size, key, state.clone());
        Some(state)
    }

    /// Caches a conversation's state as written, unless a later version
    /// is already cached (two turns of one conversation finishing out of
    /// order).
    pub(crate) fn put(&self, key: Key, state: VersionedState) {
        if self.generation_size == 0 {
            return;
        }
        let mut generations = self.lock();
        let newer_cached = generations
            .young
            .get(&key)
            .or_else(|| generations.old.get(&key))
            .is_some_and(|cached| cached.version > state.version);
        if !newer_cached {
            generations.old.remove(&key);
            generations.insert_young(self.generation_size, key, state);
        }
    }

    /// Forgets a conversation's state (it changed elsewhere, or a write's
    /// outcome is unknown).
    pub(crate) fn forget(&self, key: Key) {
        let mut generations = self.lock();
        generations.young.remove(&key);
        generations.old.remove(&key);
    }

    /// How many conversations are cached.
    #[cfg(test)]
    fn len(&self) -> usize {
        let generations = self.lock();
        generations.young.len() + generations.old.len()
    }

    fn lock(&self) -> MutexGuard<'_, Generations> {
        // The maps are never left half-updated by a panic (no user code
        // runs under the lock), so a poisoned lock is still consistent.
        self.generations
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Generations {
    fn insert_young(&mut self, generation_size: usize, key: Key, state: VersionedState) {
        if self.young.len() >= generation_size && !self.young.contains_key(&key) {
            self.old = std::mem::take(&mut self.young);
        }
        self.young.insert(key, state);
    }
}

#[cfg(test)]
mod tests {
    use leadkit_core::Conversation;

    use super::*;

    fn key(n: u128) -> Key {
        (WorkspaceId::from_u128(1), ConversationId::from_u128(n))
    }

    fn state(version: u64) -> VersionedState {
        VersionedState::new(Conversation::new(), version)
    }

    #[test]
    fn keeps_at_most_its_capacity_and_the_conversations_in_use() {
        let cache = StateCache::new(4);
        cache.put(key(0), state(1));
        for n in 1..1000 {
            cache.put(key(n), state(1));
            // A conversation with a turn every so often stays cached …
            assert!(cache.get(key(0)).is_some(), "dropped after {n}");
            assert!(cache.len() <= 4, "{} cached", cache.len());
        }
        // … and the ones nobody used for a while do not.
        assert!((1..990).all(|n| cache.get(key(n)).is_none()));
        assert!(cache.get(key(999)).is_some());
    }

    #[test]
    fn never_goes_back_to_an_older_version() {
        let cache = StateCache::new(8);
        cache.put(key(1), state(3));
        cache.put(key(1), state(2));
        assert_eq!(cache.get(key(1)).map(|s| s.version), Some(3));
        cache.put(key(1), state(4));
        assert_eq!(cache.get(key(1)).map(|s| s.version), Some(4));
        cache.forget(key(1));
        assert_eq!(cache.get(key(1)), None);
    }

    #[test]
    fn a_capacity_of_zero_caches_nothing() {
        let cache = StateCache::new(0);
        cache.put(key(1), state(1));
        assert_eq!(cache.get(key(1)), None);
        let one = StateCache::new(1);
        one.put(key(1), state(1));
        one.put(key(2), state(1));
        assert_eq!(
            one.len(),
            2,
            "one young, one old: capacity rounds up to a pair"
        );
    }
}
