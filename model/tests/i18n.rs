//! The two tables: every key has words in both languages, with the same placeholders, and
//! the model's words come out in the language asked for.

use chrono::NaiveDate;
use natter_model::call::{Call, CallKind, Ending};
use natter_model::i18n::{fill, Lang, COUNT, K, NAMES};
use natter_model::people::Reach;
use natter_model::time::day_label;

/// The `{name}`s of `text`, sorted.
fn placeholders(text: &str) -> Vec<&str> {
    let mut names: Vec<&str> = text
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect();
    names.sort_unstable();
    names
}

#[test]
fn every_key_has_words_in_both_languages_with_the_same_placeholders() {
    assert_eq!(NAMES.len(), COUNT);
    assert_eq!(Lang::En.at(COUNT), "", "nothing past the end");
    assert_eq!(Lang::En.get(K::Pitch), Lang::En.at(0));
    assert_eq!(Lang::Zh.get(K::December), Lang::Zh.at(COUNT - 1));
    let (en, zh) = ((0..COUNT).map(|i| Lang::En.at(i)), (0..COUNT).map(|i| Lang::Zh.at(i)));
    let (en, zh): (Vec<&str>, Vec<&str>) = (en.collect(), zh.collect());
    let mut problems = Vec::new();
    for (i, name) in NAMES.iter().enumerate() {
        if en[i].trim().is_empty() {
            problems.push(format!("{name}: no English"));
        }
        if zh[i].trim().is_empty() {
            problems.push(format!("{name}: no Chinese"));
        }
        if placeholders(en[i]) != placeholders(zh[i]) {
            problems.push(format!("{name}: placeholders {:?} against {:?}", en[i], zh[i]));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_word_written_in_chinese_is_not_left_in_english() {
    // Proper names and the language's own name stay as they are; nothing else may.
    let (en, zh) = (|i| Lang::En.at(i), |i| Lang::Zh.at(i));
    let same: Vec<&str> = NAMES
        .iter()
        .enumerate()
        .filter(|&(i, _)| en(i) == zh(i) && en(i).chars().any(|c| c.is_ascii_alphabetic()))
        .map(|(_, name)| *name)
        .collect();
    assert_eq!(same, ["English"]);
}

#[test]
fn placeholders_are_filled_by_name() {
    assert_eq!(fill("{a} and {b}, {a}", &[("b", "2"), ("a", "1")]), "1 and 2, 1");
    assert_eq!(fill("{unknown} {", &[("a", "1")]), "{unknown} {");
    assert_eq!(Lang::Zh.fill(K::IsTyping, &[("peer", "小明")]), "小明 正在输入…");
    assert_eq!(Lang::En.fill(K::IsTyping, &[("peer", "bob")]), "bob is typing…");
}

#[test]
fn the_language_follows_the_browser() {
    assert_eq!(Lang::pick(["zh-CN", "en"]), Lang::Zh);
    assert_eq!(Lang::pick(["zh-TW"]), Lang::Zh);
    assert_eq!(Lang::pick(["fr-FR", "zh"]), Lang::Zh);
    assert_eq!(Lang::pick(["en-GB", "zh-CN"]), Lang::En);
    assert_eq!(Lang::pick(["de"]), Lang::En);
    assert_eq!(Lang::pick([]), Lang::En);
    assert_eq!(Lang::from_tag(Lang::Zh.tag()), Some(Lang::Zh));
    assert_eq!(Lang::from_tag(Lang::En.tag()), Some(Lang::En));
}

#[test]
fn model_words_come_in_chinese() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert_eq!(day_label(today, today, Lang::Zh), "今天");
    assert_eq!(day_label(day(2026, 11, 29), today, Lang::Zh), "昨天");
    assert_eq!(day_label(day(2026, 11, 26), today, Lang::Zh), "星期四");
    assert_eq!(day_label(day(2026, 11, 2), today, Lang::Zh), "11月2日 星期一");
    assert_eq!(day_label(day(2025, 12, 31), today, Lang::Zh), "2025年12月31日");
    assert_eq!(Reach::Offline.words(Lang::Zh), "离线");
    let mut call = Call::ring("bob", CallKind::Video, 0.0);
    call.accepted_by_peer(0.0);
    assert_eq!(call.line(Ending::HungUp, 192_000.0, Lang::Zh), "视频通话 · 3:12");
    let missed = Call::incoming("bob", CallKind::Voice, 0.0);
    assert_eq!(missed.line(Ending::NoAnswer, 50_000.0, Lang::Zh), "未接语音通话");
}

#[test]
fn refusals_say_in_english_what_the_protocol_says() {
    use natter_protocol::{check_label, validate_name, validate_room, MAX_NAME_CHARS};
    let long = "x".repeat(MAX_NAME_CHARS + 1);
    for name in ["", " ", long.as_str(), "a\nb", "\u{202E}ecila", " bob"] {
        let problem = check_label(name, MAX_NAME_CHARS).unwrap_err();
        assert_eq!(Err(Lang::En.label_problem(problem, false)), validate_name(name), "{name:?}");
        assert!(!Lang::Zh.label_problem(problem, false).is_empty());
    }
    let problem = check_label("", 64).unwrap_err();
    assert_eq!(Err(Lang::En.label_problem(problem, true)), validate_room(""));
    assert_eq!(Lang::Zh.label_problem(problem, true), "房间名不能为空");
    assert_eq!(Lang::En.name_taken(None), natter_protocol::NAME_TAKEN_MESSAGE);
    let look_alike = natter_protocol::ServerMessage::name_looks_like("bob".into());
    let natter_protocol::ServerMessage::Login { message: Some(english), .. } = look_alike else {
        panic!("{look_alike:?}")
    };
    assert_eq!(Lang::En.name_taken(Some("bob")), english);
    assert_eq!(Lang::Zh.name_taken(Some("bob")), "这个名字已被占用：它和这里已有的“bob”太像了");
    let blank = natter_protocol::LabelProblem::NothingVisible;
    assert_eq!(Lang::En.label_problem(blank, false), blank.sentence("Name", MAX_NAME_CHARS));
}

#[test]
fn a_login_refusal_is_read_from_its_code() {
    use natter_protocol::{ErrorCode, LabelProblem};
    let refusal = |code, looks_like, problem| Lang::En.login_refusal(code, looks_like, problem);
    assert_eq!(refusal(None, None, None), Lang::En.name_taken(None), "the classic server's");
    assert_eq!(
        refusal(Some(ErrorCode::NameTaken), Some("bob"), None),
        Lang::En.name_taken(Some("bob"))
    );
    let empty = Some(LabelProblem::Empty);
    assert_eq!(
        refusal(Some(ErrorCode::BadName), None, empty),
        Lang::En.label_problem(LabelProblem::Empty, false)
    );
    assert_eq!(
        refusal(Some(ErrorCode::BadRoom), None, empty),
        Lang::En.label_problem(LabelProblem::Empty, true)
    );
    assert_eq!(
        refusal(Some(ErrorCode::TemporarilyUnavailable), None, None),
        Lang::En.get(K::ServerBusy)
    );
    assert_eq!(refusal(Some(ErrorCode::BadName), None, None), Lang::En.get(K::LoginRefused));
    assert_eq!(
        Lang::Zh.login_refusal(Some(ErrorCode::TooManyConnections), None, None),
        Lang::Zh.get(K::LoginRefused)
    );
}

#[test]
fn a_server_error_is_said_only_when_a_person_can_make_something_of_it() {
    use natter_protocol::ErrorCode;
    let said = |code, message: &str| Lang::Zh.server_error(code, message.to_owned());
    assert_eq!(said(Some(ErrorCode::NoSuchUser), "User bob does not exist!"), None);
    assert_eq!(said(None, "User bob does not exist!"), None, "the classic server's, by its words");
    assert_eq!(
        said(Some(ErrorCode::RateLimited), "Slow down"),
        Some(Lang::Zh.get(K::SlowDown).to_owned())
    );
    assert_eq!(said(Some(ErrorCode::TooLarge), "Too large"), Some("Too large".to_owned()));
}
