//! Short notices for the user: the same one is not shown twice at once, and the oldest
//! goes when there are too many to read.

/// Most notices shown at once.
pub const MAX_SHOWN: usize = 3;

/// One notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// For removal.
    pub id: u32,
    /// What to say.
    pub text: String,
    /// The person it is about, if any: their avatar shows beside it, so that two people
    /// whose names look alike are told apart.
    pub about: Option<String>,
}

/// The notices on screen, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notices {
    shown: Vec<Notice>,
    next_id: u32,
}

impl Notices {
    /// What is shown.
    pub fn shown(&self) -> &[Notice] {
        &self.shown
    }

    /// Shows `text` (about the person `about`, if any), unless it is showing already;
    /// returns the new notice's id.
    pub fn push(&mut self, text: String, about: Option<String>) -> Option<u32> {
        if self.shown.iter().any(|notice| notice.text == text) {
            return None;
        }
        let id = self.next_id;
        self.next_id = id.wrapping_add(1);
        self.shown.push(Notice { id, text, about });
        if self.shown.len() > MAX_SHOWN {
            self.shown.remove(0);
        }
        Some(id)
    }

    /// Takes the notice `id` away, if it is still shown.
    pub fn remove(&mut self, id: u32) {
        self.shown.retain(|notice| notice.id != id);
    }
}
