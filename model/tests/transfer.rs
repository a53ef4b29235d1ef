//! The life of a file transfer.

use natter_model::i18n::Lang;
use natter_model::transfer::{
    check_chunk, human_bytes, previewable, room_summary, BadChunk, Transfer, TransferPhase,
};
use natter_protocol::FILE_CHUNK_BYTES;

const CHUNK: u64 = FILE_CHUNK_BYTES as u64;

fn incoming(size: u64) -> Transfer {
    Transfer::offered("f1".into(), "alice", "cat.png", size, "image/png")
}

#[test]
fn an_accepted_offer_goes_from_offered_to_done() {
    let mut transfer = incoming(10 * CHUNK);
    assert_eq!(transfer.phase, TransferPhase::Offered);
    assert!(transfer.start(0.0));
    assert_eq!(transfer.phase, TransferPhase::Receiving);
    assert!(transfer.phase.is_flowing());
    assert!(!transfer.start(1.0), "a transfer starts once");
    assert!(transfer.end(TransferPhase::Done, "Received".into()));
    assert!(!transfer.end(TransferPhase::Failed, "late".into()), "an ended transfer stays ended");
    assert_eq!((transfer.phase, transfer.note.as_str()), (TransferPhase::Done, "Received"));
    assert!(!transfer.phase.is_flowing() && !TransferPhase::Offered.is_flowing());
}

#[test]
fn our_offer_waits_then_sends() {
    let mut transfer = Transfer::offer("f2".into(), "bob", "a.bin".into(), 5, String::new());
    assert_eq!(transfer.phase, TransferPhase::Waiting);
    assert!(!transfer.phase.is_flowing());
    assert!(transfer.start(0.0));
    assert_eq!(transfer.phase, TransferPhase::Sending);
    assert!(transfer.phase.is_flowing());
}

#[test]
fn progress_gives_percent_speed_and_time_left() {
    let mut transfer = incoming(100_000_000);
    transfer.start(0.0);
    transfer.progress(10_000_000, 1_000.0);
    assert_eq!(transfer.percent(), 10);
    assert_eq!(transfer.speed, 10_000_000.0);
    assert_eq!(transfer.seconds_left(), Some(9));
    // The speed follows recent samples, smoothed.
    transfer.progress(40_000_000, 2_000.0);
    assert_eq!(transfer.speed, 20_000_000.0);
    assert_eq!(transfer.seconds_left(), Some(3));
    // Samples closer than a few hundred milliseconds move the bar, not the speed.
    transfer.progress(41_000_000, 2_010.0);
    assert_eq!((transfer.percent(), transfer.speed), (41, 20_000_000.0));
    transfer.progress(u64::MAX, 3_000.0);
    assert_eq!(transfer.percent(), 100, "never past the size");
}

#[test]
fn nothing_is_known_of_the_speed_at_first() {
    let mut transfer = incoming(0);
    assert_eq!((transfer.percent(), transfer.seconds_left()), (0, None));
    transfer.start(0.0);
    transfer.end(TransferPhase::Done, "Received".into());
    assert_eq!(transfer.percent(), 100, "an empty file is all there once done");
}

#[test]
fn chunks_must_fit_the_offer() {
    let size = 2 * CHUNK + 10;
    assert_eq!(check_chunk(0, CHUNK, size), Ok(()));
    assert_eq!(check_chunk(CHUNK, CHUNK, size), Ok(()));
    assert_eq!(check_chunk(2 * CHUNK, 10, size), Ok(()), "the last one is shorter");
    assert_eq!(check_chunk(2 * CHUNK, 11, size), Err(BadChunk::TooMuch));
    assert_eq!(check_chunk(0, 10, size), Err(BadChunk::WrongSize));
    assert_eq!(check_chunk(2 * CHUNK, 0, size), Err(BadChunk::WrongSize));
    assert_eq!(check_chunk(0, CHUNK + 1, u64::MAX), Err(BadChunk::TooMuch));
    assert_eq!(check_chunk(u64::MAX, CHUNK, u64::MAX), Err(BadChunk::TooMuch));
}

#[test]
fn a_peers_overlong_name_is_cut() {
    let transfer =
        Transfer::offered("f".into(), "eve", &"n".repeat(10_000), 1, &"m".repeat(10_000));
    assert_eq!((transfer.name.len(), transfer.mime.len()), (255, 100));
}

#[test]
fn only_raster_images_are_previewed() {
    assert!(previewable("image/png"));
    assert!(previewable("image/jpeg"));
    assert!(!previewable("image/svg+xml"), "an SVG may carry script");
    assert!(!previewable("text/html"));
    assert!(!previewable(""));
}

#[test]
fn sizes_read_well() {
    assert_eq!(human_bytes(812), "812 B");
    assert_eq!(human_bytes(65_536), "65.5 KB");
    assert_eq!(human_bytes(8_388_608), "8.4 MB");
    assert_eq!(human_bytes(1_200_000_000), "1.2 GB");
    assert_eq!(human_bytes(u64::MAX / 20), "922337.2 TB");
}

#[test]
fn a_file_to_the_room_is_summed_up_person_by_person() {
    use TransferPhase::*;
    assert_eq!(room_summary(Lang::En, [Waiting, Sending]), "Received by 0 of 2");
    assert_eq!(
        room_summary(Lang::En, [Done, Declined, Done, Receiving]),
        "Received by 2 of 4 · 1 declined"
    );
    assert_eq!(
        room_summary(Lang::En, [Failed, Cancelled, Declined, Done]),
        "Received by 1 of 4 · 1 declined · 2 could not get it"
    );
    assert_eq!(room_summary(Lang::Zh, [Done, Failed]), "2 人中已有 1 人收到 · 1 人未能收到");
    assert_eq!(room_summary(Lang::En, []), "Received by 0 of 0");
}

#[test]
fn a_file_kept_from_before_the_page_is_done_and_can_be_saved() {
    let kept =
        Transfer::kept("f1".into(), "bob", "a.txt".into(), 3, "text/plain".into(), "blob:x".into());
    assert_eq!((kept.phase, kept.outgoing, kept.percent()), (TransferPhase::Done, false, 100));
    assert_eq!(kept.url.as_deref(), Some("blob:x"));
    let mut ended = kept.clone();
    assert!(!ended.end(TransferPhase::Failed, "late".into()), "nothing ends it again");
}

#[test]
fn a_broken_link_pauses_ours_back_to_waiting_and_theirs_where_it_stands() {
    let mut ours = Transfer::offer("f2".into(), "bob", "a.bin".into(), 10 * CHUNK, String::new());
    ours.start(0.0);
    ours.progress(4 * CHUNK, 1_000.0);
    ours.pause("bob is away".into());
    assert_eq!(
        (ours.phase, ours.note.as_str(), ours.speed),
        (TransferPhase::Waiting, "bob is away", 0.0)
    );
    assert!(ours.start(2_000.0), "offered again, it starts again");
    ours.resume(3 * CHUNK, "bob reloaded: resuming".into(), 2_000.0);
    assert_eq!((ours.phase, ours.percent()), (TransferPhase::Sending, 30));
    // The speed counts from where it resumed, not from the start of the file.
    ours.progress(5 * CHUNK, 3_000.0);
    assert_eq!(ours.speed, (2 * CHUNK) as f64);

    let mut theirs = incoming(10 * CHUNK);
    theirs.start(0.0);
    theirs.progress(CHUNK, 500.0);
    theirs.pause("alice is away".into());
    assert_eq!((theirs.phase, theirs.percent()), (TransferPhase::Receiving, 10));
    let mut ended = incoming(1);
    ended.end(TransferPhase::Declined, "Declined".into());
    ended.pause("away".into());
    assert_eq!((ended.phase, ended.note.as_str()), (TransferPhase::Declined, "Declined"));
}

#[test]
fn a_file_half_received_before_the_page_goes_on_from_what_is_held() {
    let held =
        Transfer::held("f1".into(), "alice", "a.bin".into(), 4 * CHUNK, String::new(), CHUNK);
    assert_eq!((held.phase, held.outgoing, held.percent()), (TransferPhase::Receiving, false, 25));
}
