//! Why a name, a room or a login is refused, and the server's errors, in the person's
//! words: read from the server's codes, never from its English (which only the classic
//! server's texts, without codes, leave no choice but to read).

use crate::i18n::{Lang, K};
use natter_protocol::{ErrorCode, LabelProblem, MAX_NAME_CHARS, MAX_ROOM_CHARS};

/// The end of the classic server's text for a relay to someone who left (it has no codes).
const CLASSIC_NO_SUCH_USER: &str = " does not exist!";

impl Lang {
    /// Why a name (or, if `room`, a room id) is refused, as `natter_protocol::validate_name`
    /// (`validate_room`) says it in English.
    pub fn label_problem(self, problem: LabelProblem, room: bool) -> String {
        let (what, most) =
            if room { (K::LabelRoom, MAX_ROOM_CHARS) } else { (K::LabelName, MAX_NAME_CHARS) };
        let key = match problem {
            LabelProblem::Empty => K::LabelEmpty,
            LabelProblem::TooLong => K::LabelTooLong,
            LabelProblem::Control => K::LabelControl,
            LabelProblem::Hidden => K::LabelHidden,
            LabelProblem::Spaces => K::LabelSpaces,
            LabelProblem::NothingVisible => K::LabelNothingVisible,
        };
        self.fill(key, &[("what", self.get(what)), ("max", &most.to_string())])
    }

    /// The server's refusal of a name already in use: by someone of this very name, or by
    /// `looks_like`, whose name looks like it.
    pub fn name_taken(self, looks_like: Option<&str>) -> String {
        match looks_like {
            Some(holder) => self.fill(K::NameLooksLike, &[("holder", holder)]),
            None => self.get(K::NameTaken).to_owned(),
        }
    }

    /// Why the server refused a login, from its machine-readable fields. A refusal without
    /// a code comes from the classic server, which refuses only names in use.
    pub fn login_refusal(
        self,
        code: Option<ErrorCode>,
        looks_like: Option<&str>,
        problem: Option<LabelProblem>,
    ) -> String {
        match (code, problem) {
            (Some(ErrorCode::NameTaken) | None, _) => self.name_taken(looks_like),
            (Some(ErrorCode::BadName), Some(problem)) => self.label_problem(problem, false),
            (Some(ErrorCode::BadRoom), Some(problem)) => self.label_problem(problem, true),
            (Some(ErrorCode::TemporarilyUnavailable), _) => self.get(K::ServerBusy).to_owned(),
            _ => self.get(K::LoginRefused).to_owned(),
        }
    }

    /// What to tell the person of the server's error `message` with `code`, if anything. A
    /// relay to someone who just left is no news (the list says so by itself); the one
    /// error a person may meet, going too fast, is said in their words; any other is shown
    /// as the server wrote it.
    pub fn server_error(self, code: Option<ErrorCode>, message: String) -> Option<String> {
        match code {
            Some(ErrorCode::NoSuchUser) => None,
            _ if message.ends_with(CLASSIC_NO_SUCH_USER) => None,
            Some(ErrorCode::RateLimited) => Some(self.get(K::SlowDown).to_owned()),
            _ => Some(message),
        }
    }
}
