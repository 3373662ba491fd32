//! What the user sees in the terminal window.
//!
//! On Windows a console shows Unicode (the standard library writes it with
//! `WriteConsoleW`), but output redirected to a file or a pipe is read by
//! `type`, Notepad or PowerShell 5.1 in the console's code page — CP932 on
//! Japanese Windows — so it is written in that code page, as Windows' own
//! commands do. Elsewhere text is UTF-8 as is.
//!
//! Started from Explorer (the exe double-clicked, or a folder dropped on
//! it) the window would close the moment the run ends; [`Session`] then
//! waits for a key.

use std::io::Write;

/// Writes `text` to standard output.
pub fn out(text: &str) {
    write_to(Stream::Out, text);
}

/// Writes `text` to standard error.
pub fn err(text: &str) {
    write_to(Stream::Err, text);
}

#[derive(Clone, Copy)]
enum Stream {
    Out,
    Err,
}

fn write_to(stream: Stream, text: &str) {
    let bytes = encode_for(stream, text);
    // A closed pipe (`shiryo check | head`) is not an error worth a panic.
    let _ = match stream {
        Stream::Out => {
            let mut o = std::io::stdout().lock();
            o.write_all(&bytes).and_then(|_| o.flush())
        }
        Stream::Err => {
            let mut e = std::io::stderr().lock();
            e.write_all(&bytes).and_then(|_| e.flush())
        }
    };
}

#[cfg(not(windows))]
fn encode_for(_stream: Stream, text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

/// Decodes what this program wrote to a redirected stream (tests read the
/// binary's output this way): the console code page on Windows,
/// UTF-8 elsewhere.
pub fn decode_redirected(bytes: &[u8]) -> String {
    #[cfg(windows)]
    {
        let text = match codepage_encoding(redirected_code_page()) {
            Some(e) => e.decode(bytes).0.into_owned(),
            None => String::from_utf8_lossy(bytes).into_owned(),
        };
        text.replace("\r\n", "\n")
    }
    #[cfg(not(windows))]
    {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// The code page for output that is not a console: the console's, else
/// the system's OEM code page (what `type` would use).
#[cfg(windows)]
fn redirected_code_page() -> u16 {
    // SAFETY: plain queries without arguments.
    let cp = unsafe { windows_sys::Win32::System::Console::GetConsoleOutputCP() };
    let cp = if cp != 0 {
        cp
    } else {
        unsafe { windows_sys::Win32::Globalization::GetOEMCP() }
    };
    cp as u16
}

#[cfg(windows)]
fn encode_for(stream: Stream, text: &str) -> Vec<u8> {
    use windows_sys::Win32::System::Console::{
        GetConsoleMode, GetStdHandle, STD_ERROR_HANDLE, STD_OUTPUT_HANDLE,
    };
    let id = match stream {
        Stream::Out => STD_OUTPUT_HANDLE,
        Stream::Err => STD_ERROR_HANDLE,
    };
    let mut mode = 0;
    // SAFETY: a plain Win32 query on our own standard handle.
    let is_console = unsafe { GetConsoleMode(GetStdHandle(id), &mut mode) != 0 };
    if is_console {
        // The standard library converts to UTF-16 for the console.
        return text.as_bytes().to_vec();
    }
    encode_in_code_page(&text.replace('\n', "\r\n"), redirected_code_page())
}

/// `text` in Windows code page `cp`; characters the code page lacks become
/// `?`, as in Windows' own commands. UTF-8 (65001) and unknown code pages
/// keep UTF-8.
pub fn encode_in_code_page(text: &str, cp: u16) -> Vec<u8> {
    let encoding = match codepage_encoding(cp) {
        Some(e) if e != encoding_rs::UTF_8 => e,
        _ => return text.as_bytes().to_vec(),
    };
    let mut encoder = encoding.new_encoder();
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text;
    let mut buf = [0u8; 1024];
    loop {
        let (result, read, written) =
            encoder.encode_from_utf8_without_replacement(rest, &mut buf, true);
        out.extend_from_slice(&buf[..written]);
        rest = &rest[read..];
        match result {
            encoding_rs::EncoderResult::InputEmpty => return out,
            encoding_rs::EncoderResult::OutputFull => {}
            encoding_rs::EncoderResult::Unmappable(_) => out.push(b'?'),
        }
    }
}

fn codepage_encoding(cp: u16) -> Option<&'static encoding_rs::Encoding> {
    codepage::to_encoding(cp)
}

/// The run's terminal window: whether it belongs to this process alone
/// (started from Explorer) and must wait for a key before it closes.
pub struct Session {
    wait_at_end: bool,
}

impl Session {
    /// Looks at the console once, at the start (before any worker shares it).
    pub fn start() -> Session {
        Session {
            wait_at_end: started_from_explorer(),
        }
    }

    /// Ends the session: in a window of its own, waits for a key so the
    /// clerk can read the result.
    pub fn end(self) {
        if self.wait_at_end {
            out("\n何かキーを押すと閉じます . . .");
            wait_for_key();
            out("\n");
        }
    }
}

#[cfg(windows)]
fn started_from_explorer() -> bool {
    use windows_sys::Win32::System::Console::{
        GetConsoleMode, GetConsoleProcessList, GetStdHandle, STD_INPUT_HANDLE,
    };
    let mut ids = [0u32; 2];
    let mut mode = 0;
    // SAFETY: the buffer is ours and its length is passed.
    unsafe {
        let alone = GetConsoleProcessList(ids.as_mut_ptr(), ids.len() as u32) == 1;
        let stdin_is_console = GetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), &mut mode) != 0;
        alone && stdin_is_console
    }
}

#[cfg(not(windows))]
fn started_from_explorer() -> bool {
    false
}

#[cfg(windows)]
fn wait_for_key() {
    use windows_sys::Win32::System::Console::{
        FlushConsoleInputBuffer, GetStdHandle, INPUT_RECORD, KEY_EVENT, ReadConsoleInputW,
        STD_INPUT_HANDLE,
    };
    // SAFETY: the record buffer is ours; the loop ends on a key press or on
    // any read error.
    unsafe {
        let h = GetStdHandle(STD_INPUT_HANDLE);
        FlushConsoleInputBuffer(h);
        loop {
            let mut record: INPUT_RECORD = std::mem::zeroed();
            let mut read = 0;
            if ReadConsoleInputW(h, &mut record, 1, &mut read) == 0 || read == 0 {
                return;
            }
            if u32::from(record.EventType) == KEY_EVENT && record.Event.KeyEvent.bKeyDown != 0 {
                return;
            }
        }
    }
}

#[cfg(not(windows))]
fn wait_for_key() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_code_page_with_a_question_mark_for_what_it_lacks() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("結果: 河﨑");
        assert_eq!(encode_in_code_page("結果: 河﨑", 932), sjis.into_owned());
        // 𠮟 (U+20B9F) is not in CP932.
        let mut expected = vec![b'?'];
        expected.extend_from_slice(&encoding_rs::SHIFT_JIS.encode("る").0);
        assert_eq!(encode_in_code_page("𠮟る", 932), expected);
        assert_eq!(encode_in_code_page("河﨑", 65001), "河﨑".as_bytes());
    }
}
