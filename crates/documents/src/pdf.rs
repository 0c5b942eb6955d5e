//! PDF rendering with typst, in process and offline: templates live in `templates/`, fonts are
//! vendored (DejaVu Sans, free licence in `fonts/LICENSE-DejaVu.txt`), data goes in as JSON
//! through `sys.inputs.data`. Templates read no files: images (QR codes) travel as SVG strings,
//! raster images (drawing thumbnails) as bytes inputs (see [`render_with_images`]).

use std::sync::OnceLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Dict, IntoValue};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("mise en page du document impossible : {0}")]
    Layout(String),
    #[error("export PDF impossible : {0}")]
    Export(String),
}

fn fonts() -> &'static (LazyHash<FontBook>, Vec<Font>) {
    static FONTS: OnceLock<(LazyHash<FontBook>, Vec<Font>)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = [
            &include_bytes!("../fonts/DejaVuSans.ttf")[..],
            &include_bytes!("../fonts/DejaVuSans-Bold.ttf")[..],
        ]
        .into_iter()
        .flat_map(|b| Font::iter(Bytes::new(b)))
        .collect();
        (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
    })
}

struct DocWorld {
    library: LazyHash<Library>,
    source: Source,
    today: Datetime,
    /// Extra fonts given by the caller (see [`render_with_fonts`]); `None`: vendored fonts only.
    extra: Option<(LazyHash<FontBook>, Vec<Font>)>,
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        self.extra.as_ref().map_or(&fonts().0, |e| &e.0)
    }
    fn main(&self) -> FileId {
        self.source.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.source.id() {
            Ok(self.source.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }
    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.extra
            .as_ref()
            .map_or(&fonts().1, |e| &e.1)
            .get(index)
            .cloned()
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// Renders `template` with `data` (any JSON) available as `json(bytes(sys.inputs.data))`.
pub fn render(
    template: &str,
    data: &serde_json::Value,
    today: chrono::NaiveDate,
) -> Result<Vec<u8>, PdfError> {
    render_with_fonts(template, data, today, &[])
}

/// Same as [`render`], with extra font files (TTF/OTF bytes) available besides the vendored
/// DejaVu Sans, e.g. DejaVu Serif and Mono read from `/usr/share/fonts` by a corpus generator.
pub fn render_with_fonts(
    template: &str,
    data: &serde_json::Value,
    today: chrono::NaiveDate,
    extra_fonts: &[Vec<u8>],
) -> Result<Vec<u8>, PdfError> {
    compile(template, data, today, extra_fonts, &[])
}

/// Same as [`render`], with raster images (PNG/JPEG bytes) available to the template as bytes
/// inputs: `image(sys.inputs.at(name), format: "png")`. A name must not be `data`.
pub fn render_with_images(
    template: &str,
    data: &serde_json::Value,
    today: chrono::NaiveDate,
    images: &[(&str, &[u8])],
) -> Result<Vec<u8>, PdfError> {
    compile(template, data, today, &[], images)
}

fn compile(
    template: &str,
    data: &serde_json::Value,
    today: chrono::NaiveDate,
    extra_fonts: &[Vec<u8>],
    images: &[(&str, &[u8])],
) -> Result<Vec<u8>, PdfError> {
    use chrono::Datelike;
    let extra = (!extra_fonts.is_empty()).then(|| {
        let mut all = fonts().1.clone();
        all.extend(
            extra_fonts
                .iter()
                .flat_map(|b| Font::iter(Bytes::new(b.clone()))),
        );
        (LazyHash::new(FontBook::from_fonts(&all)), all)
    });
    let mut inputs = Dict::new();
    for (name, bytes) in images {
        inputs.insert((*name).into(), Bytes::new(bytes.to_vec()).into_value());
    }
    inputs.insert("data".into(), data.to_string().into_value());
    let world = DocWorld {
        library: LazyHash::new(Library::builder().with_inputs(inputs).build()),
        source: Source::detached(template),
        today: Datetime::from_ymd(today.year(), today.month() as u8, today.day() as u8)
            .ok_or_else(|| PdfError::Layout("date".into()))?,
        extra,
    };
    let doc = typst::compile::<typst_layout::PagedDocument>(&world)
        .output
        .map_err(|errs| {
            PdfError::Layout(
                errs.iter()
                    .map(|e| e.message.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
    typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).map_err(|errs| {
        PdfError::Export(
            errs.iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}
