//! `PerPeer`: a value for each peer, by name.

/// A value per peer name, in order of insertion. A room holds a handful of peers, so a scan
/// is as fast as hashing, and it keeps hash-table code (several KB of wasm) out of the
/// download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerPeer<V>(Vec<(String, V)>);

impl<V> Default for PerPeer<V> {
    fn default() -> Self {
        PerPeer(Vec::new())
    }
}

impl<V> PerPeer<V> {
    /// The value for `peer`, if any.
    pub fn get(&self, peer: &str) -> Option<&V> {
        self.0.iter().find(|(name, _)| name == peer).map(|(_, value)| value)
    }

    /// The value for `peer`, to change, if any.
    pub fn get_mut(&mut self, peer: &str) -> Option<&mut V> {
        self.0.iter_mut().find(|(name, _)| name == peer).map(|(_, value)| value)
    }

    /// Sets the value for `peer`, replacing any previous one.
    pub fn insert(&mut self, peer: &str, value: V) {
        match self.0.iter_mut().find(|(name, _)| name == peer) {
            Some((_, old)) => *old = value,
            None => self.0.push((peer.to_owned(), value)),
        }
    }

    /// Takes the value for `peer` out.
    pub fn remove(&mut self, peer: &str) -> Option<V> {
        let index = self.0.iter().position(|(name, _)| name == peer)?;
        Some(self.0.remove(index).1)
    }

    /// How many peers have a value.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no peer has a value.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every value, in order of insertion.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|(_, value)| value)
    }

    /// Every value, to change.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.0.iter_mut().map(|(_, value)| value)
    }

    /// Every peer with its value, to change.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&str, &mut V)> {
        self.0.iter_mut().map(|(name, value)| (name.as_str(), value))
    }

    /// The peers that have a value.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(name, _)| name.as_str())
    }
}

impl<V: Default> PerPeer<V> {
    /// The value for `peer`, a default one first if there is none.
    pub fn get_or_default(&mut self, peer: &str) -> &mut V {
        let index = match self.0.iter().position(|(name, _)| name == peer) {
            Some(index) => index,
            None => {
                self.0.push((peer.to_owned(), V::default()));
                self.0.len() - 1
            }
        };
        &mut self.0[index].1
    }
}
