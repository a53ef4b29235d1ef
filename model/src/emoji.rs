//! Whether a message is only a few emoji, which is shown larger.

/// Most emoji a message may hold and still be shown larger.
const MAX_LARGE: usize = 3;

/// Whether `text` is one to three emoji (spaces between them allowed). An emoji is a
/// pictograph with what may follow it: variation selectors, skin tones, tags, a keycap
/// mark, and further pictographs joined by a zero-width joiner (a family is one emoji);
/// two regional indicators are one flag. A check of Unicode's emoji blocks, not its full
/// table: a few symbols that are rarely emoji (arrows, shapes) count too.
pub fn is_few_emoji(text: &str) -> bool {
    let mut count = 0;
    // After a joiner, the next pictograph is part of the same emoji.
    let mut joined = false;
    // A regional indicator waiting for the second half of its flag.
    let mut half_flag = false;
    for c in text.chars() {
        match u32::from(c) {
            0x200D => joined = true,
            0xFE0E | 0xFE0F | 0x1F3FB..=0x1F3FF | 0x20E3 | 0xE0020..=0xE007F => {}
            0x1F1E6..=0x1F1FF => {
                count += usize::from(!half_flag);
                half_flag = !half_flag;
            }
            code if is_pictograph(code) => {
                count += usize::from(!joined);
                joined = false;
            }
            _ if c.is_whitespace() => {}
            _ => return false,
        }
    }
    (1..=MAX_LARGE).contains(&count)
}

/// Unicode's blocks of pictographs and symbols, and the few emoji outside them.
fn is_pictograph(code: u32) -> bool {
    matches!(
        code,
        0x1F000..=0x1FAFF
            | 0x2600..=0x27BF
            | 0x2300..=0x23FF
            | 0x2B00..=0x2BFF
            | 0x2190..=0x21FF
            | 0x25A0..=0x25FF
            | 0xA9
            | 0xAE
            | 0x203C
            | 0x2049
            | 0x2122
            | 0x2139
            | 0x3030
            | 0x303D
            | 0x3297
            | 0x3299
    )
}
