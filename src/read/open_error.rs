//! Why a file cannot be opened as a workbook: the error of opening
//! ([`super::open`]) and of the guard that counts what the parser would build
//! ([`super::guard`]), kept apart from both so that neither imports the other.

/// Why a file cannot be opened as a workbook.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// Zero bytes.
    #[error("tệp rỗng (0 byte)")]
    Empty,
    /// Larger than the configured limit.
    #[error("{0}")]
    TooLarge(String),
    /// Protected with a password.
    #[error("tệp được đặt mật khẩu; hãy gỡ mật khẩu rồi gửi lại")]
    Encrypted,
    /// Some other kind of file.
    #[error("{0}")]
    NotAWorkbook(String),
    /// A workbook that the parser could not read.
    #[error("tệp bị hỏng, không đọc được ({0}); hãy mở bằng Excel, lưu lại rồi gửi lại")]
    Corrupt(String),
}
