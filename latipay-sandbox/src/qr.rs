//! The QR code image of the merchant-hosted offline step.
//!
//! Latipay answers that step with `qr_code_url` (the wallet's link, such as
//! `weixin://wxpay/bizpayurl?pr=abc123`) and `qr_code`, a PNG of the QR code of that link as a
//! `data:image/png;base64,...` URL. [`png_data_url`] makes the latter from the former: black
//! modules on white, a 4-module quiet zone, 4 pixels a module, 1-bit grayscale.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use qrcodegen::{QrCode, QrCodeEcc};

/// What every URL that [`png_data_url`] returns starts with.
const DATA_URL_PREFIX: &str = "data:image/png;base64,";

/// The light border around the code, in modules: the 4 that the QR code standard asks for.
const QUIET_ZONE: usize = 4;

/// The side of one module, in pixels.
const MODULE_PIXELS: usize = 4;

/// The error correction level asked for; the encoder raises it when that costs no size.
const ECC: QrCodeEcc = QrCodeEcc::Medium;

/// More characters than any QR code holds at any level (version 40-L, numeric mode): longer text
/// is refused before the encoder builds its bit buffer (8 `bool`s a byte) for it.
const MAX_CHARS: usize = 7089;

/// Why [`png_data_url`] made no image.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum QrError {
    /// The text does not fit in the largest QR code (version 40) at medium error correction:
    /// at most 2 331 bytes of general text, 3 391 characters of `0-9A-Z $%*+-./:`, or 5 596 digits.
    TooLong {
        /// The length of the text, in bytes.
        len: usize,
    },
    /// The PNG encoder failed. It writes to memory at a size known to be valid, so this is not
    /// expected; it is an error rather than a panic all the same.
    Png(String),
}

impl fmt::Display for QrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QrError::TooLong { len } => write!(
                f,
                "text of {len} bytes is too long for a QR code (at most 2331 bytes of general text)"
            ),
            QrError::Png(message) => write!(f, "cannot encode the QR code as a PNG: {message}"),
        }
    }
}

impl std::error::Error for QrError {}

/// `data:image/png;base64,` and a PNG of the QR code of `text`, as Latipay's `qr_code`.
///
/// The PNG is square, 1-bit grayscale: black modules on white with a 4-module quiet zone, each
/// module 4 by 4 pixels (148 by 148 pixels for a 34-character link such as
/// `weixin://wxpay/bizpayurl?pr=abc123`). The code is the smallest version that holds `text` at
/// medium error correction or better.
///
/// # Errors
///
/// [`QrError::TooLong`] when `text` does not fit in any QR code. It never panics.
pub fn png_data_url(text: &str) -> Result<String, QrError> {
    let png = png_bytes(text)?;
    let mut url = String::with_capacity(DATA_URL_PREFIX.len() + png.len().div_ceil(3) * 4);
    url.push_str(DATA_URL_PREFIX);
    STANDARD.encode_string(&png, &mut url);
    Ok(url)
}

/// The PNG file of the QR code of `text`.
fn png_bytes(text: &str) -> Result<Vec<u8>, QrError> {
    let too_long = || QrError::TooLong { len: text.len() };
    if text.len() > MAX_CHARS {
        return Err(too_long());
    }
    let code = QrCode::encode_text(text, ECC).map_err(|_| too_long())?;

    // At most 177 modules a side (version 40), so these sizes are small: 740 pixels at most.
    let modules = usize::try_from(code.size()).map_err(|_| too_long())? + 2 * QUIET_ZONE;
    let side = modules * MODULE_PIXELS;
    let row_bytes = side.div_ceil(8);

    // One bit a pixel, the leftmost pixel in the high bit, 1 for white; the bits past the right
    // edge in each row's last byte are padding and stay 1.
    let mut pixels = vec![0xFF_u8; row_bytes * side];
    for (y, row) in pixels.chunks_exact_mut(row_bytes).enumerate() {
        let module_y = module_coordinate(y);
        for x in 0..side {
            if code.get_module(module_coordinate(x), module_y) {
                row[x / 8] &= !(0x80 >> (x % 8));
            }
        }
    }

    let side = u32::try_from(side).map_err(|_| too_long())?;
    let png_error = |error: png::EncodingError| QrError::Png(error.to_string());
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::One);
    encoder.set_compression(png::Compression::Balanced);
    // After `set_compression`, which picks a filter too. Each row repeats 4 times, which deflate
    // finds as it is; filters, which work on bytes of 8 pixels here, only hide that: 316 bytes
    // for a WeChat link, against 383 with the adaptive filter and 366 at `Compression::High`.
    encoder.set_filter(png::Filter::NoFilter);
    let mut writer = encoder.write_header().map_err(png_error)?;
    writer.write_image_data(&pixels).map_err(png_error)?;
    writer.finish().map_err(png_error)?;
    Ok(png)
}

/// The module under pixel `pixel` (a row or a column), in the code's coordinates: -1 left of or
/// above the code, its side or more right of or below it, in the quiet zone either way, where
/// [`QrCode::get_module`] answers light.
fn module_coordinate(pixel: usize) -> i32 {
    // `pixel` is under 740 (see `png_bytes`), so `try_from` cannot fail.
    (pixel / MODULE_PIXELS)
        .checked_sub(QUIET_ZONE)
        .map_or(-1, |module| i32::try_from(module).unwrap_or(i32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1A, b'\n'];

    /// The PNG inside a data URL that [`png_data_url`] returned.
    fn png_of(url: &str) -> Vec<u8> {
        let base64 = url
            .strip_prefix(DATA_URL_PREFIX)
            .expect("the data URL prefix");
        STANDARD.decode(base64).expect("standard base64")
    }

    /// The PNG decoded to 8-bit luma, with its side in pixels.
    fn luma_of(png: &[u8]) -> (usize, Vec<u8>) {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().expect("a PNG header");
        assert_eq!(reader.info().color_type, png::ColorType::Grayscale);
        assert_eq!(reader.info().bit_depth, png::BitDepth::One);
        let mut luma = vec![0; reader.output_buffer_size().expect("a small image")];
        let frame = reader.next_frame(&mut luma).expect("the image data");
        assert_eq!(frame.width, frame.height, "a square image");
        assert_eq!(
            (frame.color_type, frame.bit_depth),
            (png::ColorType::Grayscale, png::BitDepth::Eight)
        );
        luma.truncate(frame.buffer_size());
        (frame.width as usize, luma)
    }

    /// The text of the one QR code that `rqrr` finds in the image.
    fn read_back(side: usize, luma: &[u8]) -> String {
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| luma[y * side + x]);
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code in the image");
        grids[0].decode().expect("a readable QR code").1
    }

    fn round_trip(text: &str) -> Vec<u8> {
        let url = png_data_url(text).expect("a short text fits");
        assert!(url.starts_with("data:image/png;base64,"), "{url}");
        let png = png_of(&url);
        assert_eq!(png[..8], PNG_SIGNATURE);

        let (side, luma) = luma_of(&png);
        assert_eq!(luma.len(), side * side);
        assert!(
            luma.iter().all(|&l| l == 0 || l == 255),
            "black and white only"
        );
        assert!(luma.contains(&0) && luma.contains(&255));
        // The quiet zone: the outer 4 modules on every side are white.
        let border = QUIET_ZONE * MODULE_PIXELS;
        for y in 0..side {
            for x in 0..side {
                let outside = x < border || y < border || x >= side - border || y >= side - border;
                if outside {
                    assert_eq!(luma[y * side + x], 255, "quiet zone at ({x}, {y})");
                }
            }
        }
        // The top-left finder pattern starts just inside it, black.
        assert_eq!(luma[border * side + border], 0);
        assert_eq!(side % MODULE_PIXELS, 0);

        assert_eq!(read_back(side, &luma), text);
        png
    }

    #[test]
    fn wechat_link_round_trips() {
        let png = round_trip("weixin://wxpay/bizpayurl?pr=abc123");
        // Version 3 (29 modules) + 2 × 4 quiet modules, 4 pixels each.
        let (side, _) = luma_of(&png);
        assert_eq!(side, 148);
        // 316 bytes with png 0.18.1: an unfiltered 1-bit image compresses well.
        assert!(png.len() < 512, "{} bytes", png.len());
    }

    #[test]
    fn alipay_link_round_trips() {
        round_trip("https://qr.alipay.com/bax01234");
    }

    #[test]
    fn other_texts_round_trip() {
        round_trip("0123456789");
        round_trip("HTTPS://EXAMPLE.COM/ABC");
        round_trip("微信支付 ¥10.00");
        round_trip(&"a".repeat(2331));
    }

    #[test]
    fn too_long_text_is_an_error() {
        let long = "x".repeat(10_000);
        assert_eq!(png_data_url(&long), Err(QrError::TooLong { len: 10_000 }));
        // Past the exact capacity, under the early cut: the encoder's own answer.
        assert_eq!(
            png_data_url(&"x".repeat(2332)),
            Err(QrError::TooLong { len: 2332 })
        );
        assert_eq!(
            png_data_url(&"9".repeat(5597)),
            Err(QrError::TooLong { len: 5597 })
        );
        let error = png_data_url(&long).unwrap_err();
        assert!(error.to_string().contains("too long"), "{error}");
        let _: &dyn std::error::Error = &error;
    }

    #[test]
    fn no_length_panics() {
        // Around each mode's capacity at version 40-M, and far past it, with 1- to 4-byte chars.
        for unit in ["9", "A", "a", "é", "微", "🦀"] {
            for chars in [
                0, 1, 2330, 2331, 2332, 3391, 3392, 5596, 5597, 7089, 7090, 100_000,
            ] {
                let text = unit.repeat(chars);
                match png_data_url(&text) {
                    Ok(url) => assert!(url.starts_with(DATA_URL_PREFIX)),
                    Err(error) => assert_eq!(error, QrError::TooLong { len: text.len() }),
                }
            }
        }
        assert!(png_data_url(&"9".repeat(5596)).is_ok());
        assert!(png_data_url(&"A".repeat(3391)).is_ok());
        assert!(png_data_url(&"微".repeat(777)).is_ok());
        assert!(png_data_url(&"微".repeat(778)).is_err());
    }

    #[test]
    fn empty_text_is_a_code_too() {
        let url = png_data_url("").expect("an empty QR code");
        assert_eq!(png_of(&url)[..8], PNG_SIGNATURE);
    }
}
