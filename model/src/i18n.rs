//! The words of the app in each language: one table per language (its texts in one string,
//! and where each ends), indexed by a key, and a `{name}` placeholder filler. The app picks
//! the language (and the plural form, through the browser's `Intl.PluralRules`); this
//! module only holds the words, so that the host tests can check both tables (see
//! `tests/i18n.rs`) and the model's words come in either language.
//!
//! Each row of [`table!`] is one key, its English and its Simplified Chinese, on one line
//! (the e2e test `e2e/i18n.test.mjs` reads the rows from this file). A translation still
//! missing is written `""`: the host test fails on it. Plural forms are two keys, `…One` and
//! `…Other`: the app takes `…One` when `Intl.PluralRules` says "one" (Chinese has only
//! "other", so its `…One` repeats its `…Other`).

/// A language the app speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English, the default.
    #[default]
    En,
    /// Simplified Chinese (zh-CN).
    Zh,
}

impl Lang {
    /// The language for a BCP 47 tag: any `zh…` is Chinese, anything else English.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        match tag.get(..2) {
            Some("zh") | Some("ZH") | Some("Zh") => Some(Lang::Zh),
            Some("en") | Some("EN") | Some("En") => Some(Lang::En),
            _ => None,
        }
    }

    /// The first of the browser's preferred languages natter speaks, else English.
    pub fn pick<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Lang {
        preferred.into_iter().find_map(Lang::from_tag).unwrap_or_default()
    }

    /// The tag for `<html lang>`, storage and `Intl`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// The words for `key`.
    pub fn get(self, key: K) -> &'static str {
        self.at(key as usize)
    }

    /// The `n`th words from `first` on (the weekdays, the months).
    pub fn nth(self, first: K, n: usize) -> &'static str {
        self.at(first as usize + n)
    }

    /// The words of the key at `index` (in [`table!`]'s order; empty past the end).
    pub fn at(self, index: usize) -> &'static str {
        let (text, ends) = match self {
            Lang::En => (EN_TEXT, &EN_ENDS),
            Lang::Zh => (ZH_TEXT, &ZH_ENDS),
        };
        let start = match index {
            0 => 0,
            _ => ends.get(index - 1).map_or(usize::MAX, |&end| usize::from(end) + 1),
        };
        let end = ends.get(index).map_or(0, |&end| usize::from(end));
        text.get(start..end).unwrap_or_default()
    }

    /// The words for `key`, with each `{name}` replaced by its value in `values`.
    pub fn fill(self, key: K, values: &[(&str, &str)]) -> String {
        fill(self.get(key), values)
    }
}

/// `template` with each `{name}` replaced by its value in `values` (left as it is if
/// `values` has none).
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after
            .find('}')
            .and_then(|close| values.iter().find(|(name, _)| *name == &after[..close]))
            .map(|(name, value)| (name.len(), *value));
        match value {
            Some((length, value)) => {
                out.push_str(value);
                rest = &after[length + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Where each text of `table` ends (its NUL). Two bytes a key instead of a `&str`'s eight:
/// about 0.7 KB less download than an array of `&str` per language.
const fn ends(table: &str) -> [u16; COUNT] {
    let bytes = table.as_bytes();
    assert!(bytes.len() <= u16::MAX as usize, "a table outgrew u16 offsets");
    let mut ends = [0; COUNT];
    let (mut at, mut key) = (0, 0);
    while at < bytes.len() {
        if bytes[at] == 0 {
            ends[key] = at as u16;
            key += 1;
        }
        at += 1;
    }
    assert!(key == COUNT, "a text holds a NUL");
    ends
}

macro_rules! table {
    ($($key:ident: $en:literal, $zh:literal;)*) => {
        /// A text of the app.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(u16)]
        pub enum K { $($key),* }

        /// The keys' names, for the tests' messages.
        pub static NAMES: [&str; COUNT] = [$(stringify!($key)),*];
        /// How many keys there are.
        pub const COUNT: usize = [$(stringify!($key)),*].len();
        /// English: every text, each followed by a NUL.
        const EN_TEXT: &str = concat!($($en, "\0"),*);
        /// Simplified Chinese, the same way.
        const ZH_TEXT: &str = concat!($($zh, "\0"),*);
        static EN_ENDS: [u16; COUNT] = ends(EN_TEXT);
        static ZH_ENDS: [u16; COUNT] = ends(ZH_TEXT);
    };
}

#[rustfmt::skip]
table! {
    // The first screen.
    Pitch: "Private chat, calls and files, browser to browser; messages never pass through a server.", "私密聊天、通话和文件，浏览器直连浏览器；消息从不经过服务器。";
    YourName: "Your name", "你的名字";
    JoiningRoom: "You are joining the room “{room}”.", "你将加入房间“{room}”。";
    Joining: "Joining…", "正在加入…";
    Join: "Join", "加入";
    Starting: "Starting…", "正在启动…";
    CouldNotStart: "natter could not start:", "natter 无法启动：";
    StartPrivateRoom: "Start a private room", "创建私密房间";
    PrivateRoomHint: "A new room with a name nobody can guess: you get its link to share.", "新建一个名字无人能猜到的房间，并获得可分享的链接。";
    RoomByName: "Or a room by its name", "或按名字进入房间";
    EnterRoom: "Enter room", "进入房间";
    LobbyHint: "The lobby is everyone on this server without a room.", "大厅里是这台服务器上没有进入房间的所有人。";
    JoinLobby: "Join the lobby", "进入大厅";
    YourRooms: "Your rooms", "你的房间";
    LeaveRoom: "Leave room", "离开房间";
    TheLobbyTitle: "The lobby", "大厅";
    AsName: "as {name}", "身份：{name}";
    RemoveRoom: "Remove {room} from your rooms", "从你的房间中移除 {room}";
    // Settings.
    Settings: "Settings", "设置";
    Language: "Language", "语言";
    English: "English", "English";
    Chinese: "简体中文", "简体中文";
    NotificationsOn: "Notifications are on for messages that come while this tab is hidden.", "此标签页在后台时，收到新消息会通知你。";
    NotifyMe: "Notify me of new messages", "有新消息时通知我";
    KeptOnDevice: "Conversations and the files you receive are kept on this device only, never on a server, in as much space as the browser grants; so are files on their way, either way, until they arrive, for a reload. Remove a file with its Remove button, a conversation from its menu, or everything below.", "聊天记录和你收到的文件只保存在这台设备上，从不保存在服务器，占用浏览器允许的空间；正在收发的文件在传完之前也会保存，以便重新加载后继续。可用文件的“移除”按钮删除文件，在对话菜单中清除对话，或在下方清除全部数据。";
    ReallyForget: "Really forget everything?", "确定清除全部数据？";
    ForgetEverything: "Forget everything on this device", "清除这台设备上的全部数据";
    Forgotten: "Everything natter kept on this device is forgotten", "natter 在这台设备上保存的数据已全部清除";
    // The status bar.
    TheLobby: "the lobby", "大厅";
    RoomPlace: "room “{room}”", "房间“{room}”";
    OnlineAs: "Online as {name} in {place}", "在线：{name}（{place}）";
    OfflineStatus: "Offline — natter needs the network to reach anyone", "离线——natter 需要网络才能联系别人";
    ServerAwayStatus: "Server unreachable — open conversations still work; reconnecting…", "无法连接服务器——已打开的对话仍可使用；正在重新连接…";
    Connecting: "Connecting…", "正在连接…";
    CopyLink: "Copy link", "复制链接";
    Updated: "natter was updated", "natter 已更新";
    LinkCopied: "Link copied: send it to whoever should join", "链接已复制，发给想邀请的人吧";
    CopyThisLink: "Copy this link to invite someone: {link}", "复制此链接来邀请别人：{link}";
    // The people list.
    People: "People", "联系人";
    NobodyHere: "Nobody else is here yet. Share this link to invite someone:", "这里还没有其他人。分享此链接来邀请别人：";
    Copy: "Copy", "复制";
    EveryoneHere: "everyone here", "这里的所有人";
    EveryoneIn: "Everyone in {room}", "{room} 的所有人";
    EveryoneInLobby: "Everyone in the lobby", "大厅里的所有人";
    YouWrote: "You: {text}", "我：{text}";
    ConnectionIs: "Connection: {state}", "连接：{state}";
    UnreadOne: "{n} unread", "{n} 条未读";
    UnreadOther: "{n} unread", "{n} 条未读";
    // Presence.
    InACall: "in a call", "通话中";
    Online: "online", "在线";
    UnreachableForNow: "unreachable for now", "暂时无法联系";
    Offline: "offline", "离线";
    PeerLeft: "{peer} left", "{peer} 已离开";
    PeerBack: "{peer} is back", "{peer} 回来了";
    WaitOffline: "{peer} is offline: messages will wait and go when they are back.", "{peer} 不在线：消息会在对方回来后发出。";
    WaitServer: "The server is unreachable: messages to {peer} will wait until it is back.", "无法连接服务器：发给 {peer} 的消息会在服务器恢复后发出。";
    // The connection to a peer.
    NotConnected: "not connected", "未连接";
    Connected: "connected{route}", "已连接{route}";
    RouteDirect: " · direct", " · 直连";
    RouteRelayed: " · relayed", " · 中继";
    LinkConnecting: "connecting…", "连接中…";
    LinkReconnecting: "reconnecting…", "重新连接中…";
    CantReachShort: "can't reach", "无法连接";
    LinkClosed: "closed", "已关闭";
    CantReach: "Can't reach {peer}: {why}", "无法连接 {peer}：{why}";
    NoRelay: "no direct path, and no relay is configured", "没有直连路径，也没有配置中继";
    RelayRefused: "no direct path, and the relay refused the connection", "没有直连路径，中继拒绝了连接";
    RelayFailed: "no direct path, and the relay could not connect you", "没有直连路径，中继也无法连通";
    TryAgain: "Try again", "重试";
    // What the peer's app can take.
    CheckingApp: "Checking what {peer}'s app supports…", "正在确认 {peer} 的应用支持哪些功能…";
    CantTakeCalls: "{peer}'s app can't take calls", "{peer} 的应用不支持通话";
    CantTakeFiles: "{peer}'s app can't take files", "{peer} 的应用不支持文件";
    OnlyChats: "{peer}'s app only chats: no calls or files.", "{peer} 的应用只能聊天，不支持通话和文件。";
    // Calls.
    VoiceCall: "Voice call", "语音通话";
    VideoCall: "Video call", "视频通话";
    Calling: "Calling {peer}…", "正在呼叫 {peer}…";
    Cancel: "Cancel", "取消";
    IncomingCall: "Incoming call", "来电";
    CallingVoice: "{peer} is calling (voice call)", "{peer} 邀请你语音通话";
    CallingVideo: "{peer} is calling (video call)", "{peer} 邀请你视频通话";
    Accept: "Accept", "接受";
    Decline: "Decline", "拒绝";
    NoVideo: "{name}: no video", "{name}：无视频";
    PeerMuted: "{peer} is muted", "{peer} 已静音";
    PeerSharing: "{peer} is sharing the screen", "{peer} 正在共享屏幕";
    PeerCameraOff: "{peer}'s camera is off", "{peer} 的摄像头已关闭";
    CallWith: "Call with {peer}", "与 {peer} 通话";
    CallDuration: "Call duration", "通话时长";
    Unmute: "Unmute", "取消静音";
    Mute: "Mute", "静音";
    CameraOn: "Camera on", "打开摄像头";
    CameraOff: "Camera off", "关闭摄像头";
    StopSharing: "Stop sharing", "停止共享";
    ShareScreen: "Share screen", "共享屏幕";
    ShowVideo: "Show video", "显示视频";
    MinimiseVideo: "Minimise video", "收起视频";
    HangUp: "Hang up", "挂断";
    HangUpFirst: "Hang up the current call first", "请先挂断当前通话";
    NotConnectedYet: "{peer} is not connected yet", "{peer} 尚未连接";
    IsCalling: "{peer} is calling", "{peer} 来电";
    DeclinedTheCall: "{peer} declined the call", "{peer} 拒绝了通话";
    MissedCallFrom: "Missed call from {peer}", "{peer} 的未接来电";
    HungUp: "{peer} hung up", "{peer} 已挂断";
    NoAnswerFrom: "No answer from {peer}", "{peer} 无人接听";
    ConnectionLost: "The connection to {peer} was lost", "与 {peer} 的连接已断开";
    // The lines calls leave in the conversation.
    VoiceCallLine: "Voice call · {outcome}", "语音通话 · {outcome}";
    VideoCallLine: "Video call · {outcome}", "视频通话 · {outcome}";
    DeclinedVoiceCall: "Declined voice call", "已拒绝语音通话";
    DeclinedVideoCall: "Declined video call", "已拒绝视频通话";
    MissedVoiceCall: "Missed voice call", "未接语音通话";
    MissedVideoCall: "Missed video call", "未接视频通话";
    CallBack: "Call back", "回拨";
    CallDeclined: "Declined", "对方已拒绝";
    NoAnswer: "No answer", "无人接听";
    CallCancelled: "Cancelled", "已取消";
    // Devices.
    CameraUnavailable: "Camera unavailable ({reason}): continuing with voice only.", "摄像头不可用（{reason}）：仅以语音继续。";
    MicUnavailable: "Microphone unavailable ({reason}): others won't hear you.", "麦克风不可用（{reason}）：对方听不到你。";
    BothUnavailable: "Camera and microphone unavailable ({reason}): you can only listen.", "摄像头和麦克风都不可用（{reason}）：你只能听。";
    MicListenOnly: "Microphone unavailable ({reason}): you can only listen.", "麦克风不可用（{reason}）：你只能听。";
    NoMediaDevices: "this page cannot use media devices", "此页面无法使用媒体设备";
    CannotShare: "This page cannot share the screen", "此页面无法共享屏幕";
    NoPicture: "The shared screen has no picture", "共享的屏幕没有画面";
    SharingUnavailable: "Screen sharing unavailable ({reason})", "无法共享屏幕（{reason}）";
    AccessRefused: "access was refused", "访问被拒绝";
    NoDevice: "no device found", "未找到设备";
    DeviceBusy: "the device is busy", "设备正忙";
    CouldNotOpen: "it could not be opened", "无法打开";
    // What a screen reader hears, and the history's name.
    ConversationHistory: "Conversation history", "聊天记录";
    NewToEveryone: "{n} new messages to everyone", "{n} 条发给所有人的新消息";
    NewFrom: "{n} new messages from {name}", "{name} 发来 {n} 条新消息";
    CallStarted: "Call with {peer} started", "与 {peer} 的通话已开始";
    CallEnded: "Call with {peer} ended", "与 {peer} 的通话已结束";
    SendingFile: "Sending {name}", "正在发送 {name}";
    ReceivingFile: "Receiving {name}", "正在接收 {name}";
    SaidFileSent: "{name} sent", "{name} 已发送";
    SaidFileReceived: "{name} received", "{name} 已接收";
    FileDeclinedBy: "{peer} declined {name}", "{peer} 拒绝了 {name}";
    SaidFileCancelled: "{name} cancelled", "{name} 已取消";
    FileFailed: "{name} failed", "{name} 传输失败";
    OffersFile: "{from} offers a file: {text}", "{from} 发来文件：{text}";
    ToEveryone: "{from} to everyone: {text}", "{from}（发给所有人）：{text}";
    // Writing.
    TooLongToSend: "Too long to send: {count} characters, a message holds at most {max}.", "内容过长，无法发送：共 {count} 个字符，每条消息最多 {max} 个。";
    MessageEveryone: "Message everyone here", "发消息给这里的所有人";
    MessageTo: "Message {peer}", "发消息给 {peer}";
    Message: "Message", "消息";
    Send: "Send", "发送";
    // Who the peer is.
    SafetyCodeChanged: "{peer}'s safety code changed: this may be someone else.", "{peer} 的安全码变了：对方可能不是本人。";
    SafetyCodeChangedNote: "{peer}'s safety code changed: this may be someone else. Earlier messages with {peer} are not shown here.", "{peer} 的安全码变了：对方可能不是本人。此前与 {peer} 的消息不在这里显示。";
    Verified: "Verified", "已验证";
    SafetyCodes: "Safety codes", "安全码";
    CompareCodes: "Compare these with {peer} in person or on a call: if both match, nobody stands between you.", "请当面或在通话中与 {peer} 核对：两边一致，说明你们之间没有第三方。";
    YourCode: "Your code", "你的安全码";
    TheirCode: "{peer}'s code", "{peer} 的安全码";
    MarkVerified: "Mark as verified", "标记为已验证";
    ClearConversation: "Clear this conversation", "清空此对话";
    ConversationMenu: "Conversation options", "对话选项";
    ClearExplained: "Removes the messages with {peer} from this device. {peer} keeps theirs.", "从这台设备上删除与 {peer} 的消息。{peer} 那边的消息不受影响。";
    ReallyClear: "Really clear this conversation?", "确定清空此对话？";
    // The conversation.
    PickSomeone: "Pick someone on the left to start talking.", "在左侧选一个人开始聊天。";
    ConversationWith: "Conversation with {peer}", "与 {peer} 的对话";
    DropToSend: "Drop files to send them to {peer}", "松开即可把文件发给 {peer}";
    BackToList: "Back to the list", "返回列表";
    IsTyping: "{peer} is typing…", "{peer} 正在输入…";
    TwoTyping: "{peer} and {other} are typing…", "{peer} 和 {other} 正在输入…";
    SeveralTyping: "{peer}, {other} and others are typing…", "{peer}、{other} 等人正在输入…";
    WaitingForConnection: "waiting for the connection", "等待连接";
    NotSentMark: "not sent", "未发送";
    SentMark: "sent", "已发送";
    DeliveredMark: "delivered", "已送达";
    ReadMark: "read", "已读";
    DeliveredToOf: "delivered to {n} of {total}", "已送达 {n}/{total}";
    NotSent: "Not sent", "未发送";
    Retry: "Retry", "重试";
    ShowEarlierOne: "Show earlier messages ({n} more)", "显示更早的消息（还有 {n} 条）";
    ShowEarlierOther: "Show earlier messages ({n} more)", "显示更早的消息（还有 {n} 条）";
    OlderNotKept: "Older messages are no longer kept.", "更早的消息已不再保存。";
    UnreadDivider: "Unread messages", "未读消息";
    NewBelowOne: "{n} new message", "{n} 条新消息";
    NewBelowOther: "{n} new messages", "{n} 条新消息";
    // The room's conversation.
    NobodyElseYet: "nobody else is here yet", "这里还没有其他人";
    YouAndOthersOne: "you and {n} other", "你和另外 {n} 人";
    YouAndOthersOther: "you and {n} others", "你和另外 {n} 人";
    RoomHint: "Goes to everyone here now, each over their own connection. People who come later get the last lines from those here, signed by who wrote them.", "发给此刻在这里的每个人，各走各自的连接。之后来的人会从在场的人那里收到最近的消息，并带有作者的签名。";
    // Files.
    AttachTitle: "Attach files (or drop them on the conversation)", "添加文件（或拖到对话里）";
    AttachFiles: "Attach files", "添加文件";
    FileNotKept: "The file itself is not kept", "文件本身不会保存";
    Download: "Download", "下载";
    DownloadName: "Download {name}", "下载 {name}";
    ProgressOf: "Progress of {name}", "{name} 的进度";
    Remove: "Remove", "移除";
    ActOnFile: "{verb} {name}", "{verb}“{name}”";
    WantsToSendThis: "{peer} wants to send you this file", "{peer} 想发给你这个文件";
    WaitingToAccept: "Waiting for {peer} to accept", "等待 {peer} 接收";
    CheckingDigest: "Checking the digest…", "正在校验摘要…";
    TimeLeft: "{percent}% · {speed}/s · {left} s left", "{percent}% · {speed}/s · 还剩 {left} 秒";
    FileDeclined: "Declined", "已拒绝";
    FileCancelled: "Cancelled", "已取消";
    FileReceived: "Received", "已接收";
    FileSent: "Sent", "已发送";
    DeclinedBy: "Declined by {peer}", "{peer} 已拒绝";
    CancelledBy: "Cancelled by {peer}", "{peer} 已取消";
    PeerDisconnected: "{peer} disconnected: transfer failed", "{peer} 已断开：传输失败";
    PeerAway: "{peer} is away: waiting for them to come back", "{peer} 已离开：等待其回来";
    PeerReloaded: "{peer} reloaded: resuming", "{peer} 重新加载了页面：继续传输";
    PeerBackResuming: "{peer} is back: resuming", "{peer} 回来了：继续传输";
    DataNotDue: "{peer} sent file data where none was due: transfer failed", "{peer} 发来了不该有的文件数据：传输失败";
    SentTooMuch: "{peer} sent more than it announced: transfer failed", "{peer} 发来的数据超过了声明的大小：传输失败";
    SentWrongChunk: "{peer} sent a chunk of the wrong size: transfer failed", "{peer} 发来的数据块大小不对：传输失败";
    NotFileData: "{peer} sent something that is not file data", "{peer} 发来的不是文件数据";
    TooManyFiles: "{peer} offers too many files at once", "{peer} 一次发来的文件太多";
    WantsToSendName: "{peer} wants to send you {name}", "{peer} 想发给你 {name}";
    DigestMismatch: "Digest mismatch: file discarded", "摘要不符：文件已丢弃";
    TheyDiscarded: "Digest mismatch: {peer} discarded the file", "摘要不符：{peer} 已丢弃文件";
    CouldNotKeep: "Could not keep the file", "无法保存文件";
    CouldNotRead: "Could not read the file", "无法读取文件";
    CouldNotDigest: "Could not compute the digest", "无法计算摘要";
    // Logging in and history.
    LabelName: "Name", "名字";
    LabelRoom: "Room", "房间名";
    LabelEmpty: "{what} must not be empty", "{what}不能为空";
    LabelTooLong: "{what} is too long ({max} characters at most)", "{what}太长（最多 {max} 个字符）";
    LabelControl: "{what} must not contain control characters or line breaks", "{what}不能包含控制字符或换行";
    LabelHidden: "{what} must not contain invisible characters or text-direction marks", "{what}不能包含不可见字符或文字方向标记";
    LabelSpaces: "{what} must not start or end with spaces", "{what}的开头和结尾不能有空格";
    LabelNothingVisible: "{what} must contain a visible character", "{what}必须包含可见字符";
    NameTaken: "Username is unavailable", "这个名字已被占用";
    NameLooksLike: "Username is unavailable: it looks like “{holder}”, a name already in use here", "这个名字已被占用：它和这里已有的“{holder}”太像了";
    TooLongReceived: "{from} sent a message over the limit of {max} characters: not shown.", "{from} 发来的消息超过了 {max} 个字符的上限，未显示。";
    OpenInAnotherTab: "natter is open in another tab or window under this name", "natter 已用这个名字在另一个标签页或窗口中打开";
    UseHere: "Use here", "在此使用";
    LoginRefused: "Login refused", "登录被拒绝";
    ServerBusy: "The server cannot log you in right now: try again in a few seconds", "服务器暂时无法登录：请过几秒再试";
    SlowDown: "Too many messages: slow down", "消息发得太快了，请慢一点";
    CannotReachServer: "Cannot reach the signaling server at {url}", "无法连接信令服务器 {url}";
    NoHistoryHere: "This browser keeps no history here: {why}", "此浏览器无法在这里保存聊天记录：{why}";
    StorageFull: "Storage is full: new messages are not saved", "存储空间已满：新消息不会保存";
    HistoryFailed: "History could not be read or saved: {why}", "无法读取或保存聊天记录：{why}";
    NoPeerConnection: "This browser cannot create a peer connection", "此浏览器无法建立点对点连接";
    NoWebRtc: "natter cannot work in this browser: it has no WebRTC, which every message, call and file needs to go straight to the other browser. A current Firefox, Chrome, Edge or Safari has it.", "natter 无法在此浏览器中使用：它不支持 WebRTC，而每条消息、每次通话和每个文件都要靠它直达对方的浏览器。新版 Firefox、Chrome、Edge 或 Safari 都支持。";
    NoCertificateSupport: "This browser cannot make a WebRTC certificate", "此浏览器无法生成 WebRTC 证书";
    NoCertificateMade: "No certificate was made", "未能生成证书";
    BadSignalingAddress: "Bad signaling address: {url}", "信令地址有误：{url}";
    BadPageAddress: "Bad page address: {address}", "页面地址有误：{address}";
    BadServerAddress: "Bad signaling server address: {server}", "信令服务器地址有误：{server}";
    NoIndexedDb: "it has no IndexedDB", "不支持 IndexedDB";
    UnknownError: "unknown error", "未知错误";
    // A private room's name, and its menu.
    RoomMenu: "Room menu", "房间菜单";
    RoomNameLabel: "Room name", "房间名称";
    NameRoom: "Name the room", "命名房间";
    RoomNamed: "{peer} named the room “{name}”", "{peer} 将房间命名为“{name}”";
    NewPrivateRoom: "Start a new private room", "新建私密房间";
    ReallyNewRoom: "Leave for a new private room?", "离开这里，去新的私密房间？";
    // Files to the room.
    CantTakeRoomFiles: "{peer}'s app can't take files sent to the room", "{peer} 的应用不支持接收发到房间的文件";
    ReceivedByOf: "Received by {n} of {total}", "{total} 人中已有 {n} 人收到";
    DeclinedCount: "{n} declined", "{n} 人拒绝";
    MissedCount: "{n} could not get it", "{n} 人未能收到";
    ActOnFileFor: "{verb} {name} for {peer}", "{verb}发给 {peer} 的“{name}”";
    ProgressTo: "Progress of {name} to {peer}", "{name} 发给 {peer} 的进度";
    // Actions on a message.
    Reply: "Reply", "回复";
    ReplyTo: "Reply to {from}", "回复 {from}";
    React: "React", "回应";
    ReactTo: "React to {from}", "回应 {from}";
    ReactWith: "React with {emoji}", "用 {emoji} 回应";
    ReactionBy: "{emoji} {n}: {names}", "{emoji} {n}：{names}";
    CopyOf: "Copy {from}'s words", "复制 {from} 的话";
    Copied: "Message copied", "消息已复制";
    CopyFailed: "The message could not be copied", "无法复制这条消息";
    ReplyingTo: "Replying to {from}:", "回复 {from}：";
    CancelReply: "Cancel the reply", "取消回复";
    ShowOriginal: "Show the message replied to", "显示被回复的消息";
    // Editing and deleting one's own line (issue 26).
    Edit: "Edit", "编辑";
    EditYours: "Edit what you wrote", "编辑你写的话";
    Delete: "Delete", "删除";
    DeleteYours: "Delete what you wrote", "删除你写的话";
    ReallyDelete: "Delete it for everyone?", "要为所有人删除吗？";
    DeleteForEveryone: "Delete for everyone", "为所有人删除";
    Edited: "edited", "已编辑";
    EditedAt: "Edited at {time}", "编辑于 {time}";
    MessageDeleted: "Message deleted", "消息已删除";
    EditingYours: "Editing your message", "正在编辑你的消息";
    CancelEdit: "Cancel the edit", "取消编辑";
    Save: "Save", "保存";
    // The room's lines passed on to a newcomer, not checked against their author's key.
    RelayedUnverified: "Unverified: relayed by {peer}", "未经验证：由 {peer} 转发";
    RelayedWhy: "{peer} passed this line on; natter could not check that {author} wrote it", "{peer} 转发了这条消息；natter 无法核实它出自 {author}";
    // Calls with everyone in the room.
    CallEveryone: "Call everyone", "呼叫所有人";
    VoiceCallEveryone: "Voice call everyone", "与所有人语音通话";
    StartedVideoCall: "{peer} started a video call", "{peer} 发起了视频通话";
    StartedVoiceCall: "{peer} started a voice call", "{peer} 发起了语音通话";
    InTheCall: "In the call: {n} of {limit}", "通话中：{n}/{limit}";
    JoinCall: "Join call", "加入通话";
    LeaveCall: "Leave call", "离开通话";
    CallFull: "The call is full ({limit} people)", "通话已满（{limit} 人）";
    LeftOutOfCall: "{peer}'s app can't join calls in the room", "{peer} 的应用无法加入房间通话";
    RoomCallLabel: "Call with everyone in the room", "与房间里所有人通话";
    RoomVideoCallLine: "Video call · {time} · {people}", "视频通话 · {time} · {people}";
    RoomVoiceCallLine: "Voice call · {time} · {people}", "语音通话 · {time} · {people}";
    ListSeparator: ", ", "、";
    // Days: named relative to today, then dates (the weekdays and months in their order).
    Today: "Today", "今天";
    Yesterday: "Yesterday", "昨天";
    DayThisYear: "{weekday} {day} {month}", "{month}{day}日 {weekday}";
    DayOtherYear: "{day} {month} {year}", "{year}年{month}{day}日";
    Monday: "Monday", "星期一";
    Tuesday: "Tuesday", "星期二";
    Wednesday: "Wednesday", "星期三";
    Thursday: "Thursday", "星期四";
    Friday: "Friday", "星期五";
    Saturday: "Saturday", "星期六";
    Sunday: "Sunday", "星期日";
    January: "January", "1月";
    February: "February", "2月";
    March: "March", "3月";
    April: "April", "4月";
    May: "May", "5月";
    June: "June", "6月";
    July: "July", "7月";
    August: "August", "8月";
    September: "September", "9月";
    October: "October", "10月";
    November: "November", "11月";
    December: "December", "12月";
}
