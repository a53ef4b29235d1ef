//! With `--redis-url`: what one instance knows of a room across all instances, so that it
//! can answer logins with the whole list, route relays, and tell its own clients of changes.

use natter_protocol::User;
use std::collections::HashMap;
use std::sync::Arc;

/// A member of a room, on whichever instance holds its socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Present {
    /// Its place in the order of logins, from Redis (lists show the oldest first).
    pub seq: u64,
    pub user: Arc<User>,
    /// The instance that holds the socket.
    pub instance: Arc<str>,
}

/// Every member of one room, by name.
#[derive(Debug, Default)]
pub struct Roster {
    by_name: HashMap<String, Present>,
}

/// What changed in a roster, for the room's local clients to hear.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub left: Vec<Arc<User>>,
    pub joined: Vec<Arc<User>>,
}

impl Roster {
    /// The roster of a room as Redis listed it.
    pub fn new(members: Vec<Present>) -> Self {
        let by_name = members.into_iter().map(|p| (p.user.user_name.clone(), p)).collect();
        Self { by_name }
    }

    /// Adds a member unless already known: an event heard twice changes nothing. Another
    /// login under the same name (whose leave was missed) is replaced.
    pub fn add(&mut self, member: Present) -> Changes {
        let mut changes = Changes::default();
        if let Some(known) = self.by_name.get(&member.user.user_name) {
            if known.user.id == member.user.id {
                return changes;
            }
            changes.left.push(known.user.clone());
        }
        changes.joined.push(member.user.clone());
        self.by_name.insert(member.user.user_name.clone(), member);
        changes
    }

    /// Removes the login `id` under `name`, if known.
    pub fn remove(&mut self, id: &str, name: &str) -> Option<Present> {
        if self.by_name.get(name)?.user.id != id {
            return None;
        }
        self.by_name.remove(name)
    }

    /// The member named `name`.
    pub fn present(&self, name: &str) -> Option<&Present> {
        self.by_name.get(name)
    }

    /// The instance holding `name`'s socket.
    pub fn instance_of(&self, name: &str) -> Option<&Arc<str>> {
        self.present(name).map(|p| &p.instance)
    }

    /// Everyone but `id`, oldest login first.
    pub fn others(&self, id: &str) -> Vec<User> {
        let mut others: Vec<&Present> = self.by_name.values().filter(|p| p.user.id != id).collect();
        others.sort_by_key(|p| p.seq);
        others.into_iter().map(|p| User::clone(&p.user)).collect()
    }

    /// The instances members are on.
    pub fn instances(&self) -> impl Iterator<Item = &Arc<str>> {
        self.by_name.values().map(|p| &p.instance)
    }

    /// Members of `instance`.
    pub fn on_instance<'a>(&'a self, instance: &'a str) -> impl Iterator<Item = &'a Present> {
        self.by_name.values().filter(move |p| &*p.instance == instance)
    }

    /// Brings the roster to `listed` (Redis's list of the room): adds whom it lacks, removes
    /// whom Redis does not list, but only if `settled` says their instance has told Redis
    /// all it holds (after an outage, an instance that has not reconnected yet has not).
    pub fn sync(&mut self, listed: Vec<Present>, settled: impl Fn(&str) -> bool) -> Changes {
        let mut changes = Changes::default();
        let listed: HashMap<&str, &Present> =
            listed.iter().map(|p| (p.user.id.as_str(), p)).collect();
        self.by_name.retain(|_, known| {
            let keep = listed.contains_key(known.user.id.as_str()) || !settled(&known.instance);
            if !keep {
                changes.left.push(known.user.clone());
            }
            keep
        });
        for member in listed.into_values() {
            let more = self.add(member.clone());
            changes.left.extend(more.left);
            changes.joined.extend(more.joined);
        }
        changes
    }

    /// Removes every member on `instance` (gone without its leaves being heard).
    pub fn forget(&mut self, instance: &str) -> Vec<Arc<User>> {
        let gone: Vec<String> =
            self.on_instance(instance).map(|p| p.user.user_name.clone()).collect();
        gone.iter().filter_map(|name| self.by_name.remove(name)).map(|p| p.user).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn present(seq: u64, id: &str, name: &str, instance: &str) -> Present {
        let user = Arc::new(User { id: id.into(), user_name: name.into() });
        Present { seq, user, instance: instance.into() }
    }

    fn names(users: &[Arc<User>]) -> Vec<&str> {
        users.iter().map(|u| u.user_name.as_str()).collect()
    }

    #[test]
    fn lists_others_in_login_order() {
        let roster = Roster::new(vec![
            present(7, "c", "carol", "b"),
            present(2, "a", "alice", "a"),
            present(5, "b", "bob", "b"),
        ]);
        let others: Vec<String> = roster.others("b").into_iter().map(|u| u.user_name).collect();
        assert_eq!(others, ["alice", "carol"]);
        assert_eq!(roster.instance_of("carol").map(|i| &**i), Some("b"));
        assert_eq!(roster.instance_of("dave"), None);
    }

    #[test]
    fn events_heard_twice_change_nothing() {
        let mut roster = Roster::default();
        assert_eq!(names(&roster.add(present(1, "a", "alice", "x")).joined), ["alice"]);
        assert_eq!(roster.add(present(1, "a", "alice", "x")), Changes::default());
        assert!(roster.remove("a", "alice").is_some());
        assert!(roster.remove("a", "alice").is_none());
    }

    #[test]
    fn a_new_login_under_a_known_name_replaces_the_old() {
        let mut roster = Roster::new(vec![present(1, "a1", "alice", "x")]);
        let changes = roster.add(present(9, "a2", "alice", "y"));
        assert_eq!((names(&changes.left), names(&changes.joined)), (vec!["alice"], vec!["alice"]));
        assert!(roster.remove("a1", "alice").is_none(), "the old login is gone");
        assert_eq!(roster.instance_of("alice").map(|i| &**i), Some("y"));
    }

    #[test]
    fn sync_removes_only_what_settled_instances_no_longer_hold() {
        let mut roster = Roster::new(vec![
            present(1, "a", "alice", "x"),
            present(2, "b", "bob", "y"),
            present(3, "c", "carol", "x"),
        ]);
        // Redis lists alice and a newcomer; x has settled, y has not reconnected yet.
        let listed = vec![present(1, "a", "alice", "x"), present(4, "d", "dave", "y")];
        let changes = roster.sync(listed, |instance| instance == "x");
        assert_eq!((names(&changes.left), names(&changes.joined)), (vec!["carol"], vec!["dave"]));
        let others: Vec<String> = roster.others("-").into_iter().map(|u| u.user_name).collect();
        assert_eq!(others, ["alice", "bob", "dave"]);
    }

    #[test]
    fn forgetting_an_instance_removes_its_members() {
        let mut roster =
            Roster::new(vec![present(1, "a", "alice", "x"), present(2, "b", "bob", "y")]);
        assert_eq!(names(&roster.forget("y")), ["bob"]);
        assert_eq!(roster.instances().map(|i| &**i).collect::<Vec<_>>(), ["x"]);
    }
}
