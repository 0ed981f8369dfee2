//! A photo with a story: recognised by its first bytes (JPEG, PNG or WebP), decoded within limits,
//! turned upright as its EXIF orientation says, made at most [`WEB_SIDE`] pixels on its longest side
//! and encoded again as JPEG. The new file carries pixels only: no EXIF, no location, no camera.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use super::{MAX_ALT_CHARS, MAX_PHOTO_BYTES};

/// The longest side of a stored photo, in pixels: sharp on a wide screen, small on a phone.
pub const WEB_SIDE: u32 = 1600;
/// The JPEG quality of a stored photo.
const QUALITY: u8 = 82;
/// The largest width or height decoded: a phone's camera stays well below it.
const MAX_SIDE: u32 = 12_000;
/// The memory a decoder may use for one photo.
const MAX_DECODE_BYTES: u64 = 400 * 1024 * 1024;

/// A photo as stored: JPEG bytes without metadata, its size, and its description (the alt text).
#[derive(Clone, PartialEq)]
pub struct Photo {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

impl std::fmt::Debug for Photo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Photo")
            .field("bytes", &self.jpeg.len())
            .field("width", &self.width)
            .field("height", &self.height)
            .finish_non_exhaustive()
    }
}

/// The image formats accepted, told by their first bytes (the name and the browser's type are not
/// trusted).
pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageFormat::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageFormat::Png)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(ImageFormat::WebP)
    } else {
        None
    }
}

/// Reads an uploaded photo and its description into a [`Photo`] to store, or the message key of
/// what is wrong with it.
pub fn read_photo(bytes: &[u8], alt: &str) -> Result<Photo, &'static str> {
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err("media.error_photo_large");
    }
    let format = sniff(bytes).ok_or("media.error_photo_type")?;
    let alt = alt.trim();
    if alt.is_empty() {
        return Err("media.error_photo_alt");
    }
    let alt: String = alt.chars().take(MAX_ALT_CHARS).collect();
    let image = decode(bytes, format).ok_or("media.error_photo_unreadable")?;
    let image = if image.width() > WEB_SIDE || image.height() > WEB_SIDE {
        image.resize(WEB_SIDE, WEB_SIDE, image::imageops::FilterType::CatmullRom)
    } else {
        image
    };
    // JPEG has no transparency: a transparent part becomes white, as it shows on the page.
    let rgb = flatten(image);
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, QUALITY)
        .encode_image(&rgb)
        .map_err(|_| "media.error_photo_unreadable")?;
    Ok(Photo {
        jpeg,
        width: rgb.width(),
        height: rgb.height(),
        alt,
    })
}

fn decode(bytes: &[u8], format: ImageFormat) -> Option<DynamicImage> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().ok()?;
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder).ok()?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    Some(image)
}

fn flatten(image: DynamicImage) -> image::RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        image::Rgb([over(r), over(g), over(b)])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::jpeg_with_exif;

    #[test]
    fn a_photo_loses_its_exif_is_turned_upright_and_made_small() {
        let bytes = jpeg_with_exif(2400, 1200);
        assert!(bytes.windows(9).any(|w| w == b"CanaryCam"));
        let photo = read_photo(&bytes, "De tuin achter het buurthuis").unwrap();
        assert!(!photo.jpeg.windows(9).any(|w| w == b"CanaryCam"));
        assert!(!photo.jpeg.windows(4).any(|w| w == b"Exif"));
        // Orientation 6: the wide photo stands upright, and its longest side is the web size.
        assert_eq!((photo.width, photo.height), (WEB_SIDE / 2, WEB_SIDE));
        assert_eq!(sniff(&photo.jpeg), Some(ImageFormat::Jpeg));
        assert_eq!(photo.alt, "De tuin achter het buurthuis");
    }

    #[test]
    fn the_type_comes_from_the_bytes_and_a_description_is_needed() {
        assert_eq!(
            read_photo(b"GIF89a and more bytes", "een gif").unwrap_err(),
            "media.error_photo_type"
        );
        assert_eq!(
            read_photo(b"%PDF-1.7 photo.jpg", "een pdf").unwrap_err(),
            "media.error_photo_type"
        );
        assert_eq!(
            read_photo(&jpeg_with_exif(20, 20), "  ").unwrap_err(),
            "media.error_photo_alt"
        );
        let mut broken = jpeg_with_exif(20, 20);
        broken.truncate(40);
        assert_eq!(
            read_photo(&broken, "kapot").unwrap_err(),
            "media.error_photo_unreadable"
        );
        let huge = vec![0xFF; MAX_PHOTO_BYTES + 1];
        assert_eq!(
            read_photo(&huge, "groot").unwrap_err(),
            "media.error_photo_large"
        );
    }

    #[test]
    fn a_transparent_png_is_stored_as_jpeg_on_white() {
        let image = image::RgbaImage::from_pixel(10, 10, image::Rgba([0, 0, 0, 0]));
        let mut png = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        let photo = read_photo(&png, "leeg").unwrap();
        let back = image::load_from_memory(&photo.jpeg).unwrap().into_rgb8();
        assert!(back.get_pixel(5, 5).0.iter().all(|c| *c > 240));
    }
}
