//! Data shapes shared by extraction and analysis. Boxes are normalised to the page: `0..1` on
//! both axes, origin top-left, so a review screen can overlay them on any rendering.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct BBox {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl BBox {
    pub fn new(x0: f32, y0: f32, x1: f32, y1: f32) -> Self {
        Self { x0, y0, x1, y1 }
    }
    pub fn w(&self) -> f32 {
        self.x1 - self.x0
    }
    pub fn h(&self) -> f32 {
        self.y1 - self.y0
    }
    pub fn cy(&self) -> f32 {
        (self.y0 + self.y1) / 2.0
    }
    pub fn cx(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
    pub fn union(&self, o: &BBox) -> BBox {
        BBox::new(
            self.x0.min(o.x0),
            self.y0.min(o.y0),
            self.x1.max(o.x1),
            self.y1.max(o.y1),
        )
    }
}

/// Where the words of a page came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextSource {
    /// PDF text layer (exact text, confidence 1).
    Vector,
    /// Tesseract OCR of a raster page.
    Ocr,
    /// DXF TEXT/MTEXT entities.
    Cad,
}

/// One word with its page (1-based) and normalised box; `conf` is 0–1 (1 for vector text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    pub text: String,
    pub page: u32,
    pub bbox: BBox,
    pub conf: f32,
}

/// Text of one page. `width`/`height` in the source unit (points or pixels), kept for the
/// aspect ratio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageText {
    pub number: u32,
    pub width: f32,
    pub height: f32,
    pub source: TextSource,
    pub words: Vec<Word>,
    /// Deskew angle applied before OCR, degrees.
    pub deskew_degrees: Option<f32>,
}

/// A value read on the drawing, with how sure the engine is and where it was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Found<T> {
    pub value: T,
    pub confidence: f32,
    pub page: u32,
    pub bbox: BBox,
}

impl<T> Found<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Found<U> {
        Found {
            value: f(self.value),
            confidence: self.confidence,
            page: self.page,
            bbox: self.bbox,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
    Tiff,
    Dxf,
    Step,
    /// Stored, read by a person (DWG, IGES, …).
    Other,
}

/// ISO 2768 general tolerance note, e.g. "ISO 2768-mK": `linear` f/m/c/v, `geometric` H/K/L.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneralTolerance {
    pub linear: Option<char>,
    pub geometric: Option<char>,
    pub envelope: bool,
}

impl std::fmt::Display for GeneralTolerance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ISO 2768-")?;
        if let Some(l) = self.linear {
            write!(f, "{l}")?;
        }
        if let Some(g) = self.geometric {
            write!(f, "{g}")?;
        }
        if self.envelope {
            write!(f, "-E")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Tolerance {
    /// ± value, mm.
    Symmetric { plus_minus: f64 },
    /// +upper / −lower, mm (signed deviations).
    Deviations { upper: f64, lower: f64 },
    /// Written limits, mm.
    Limits { max: f64, min: f64 },
    /// ISO 286 fit such as H7, converted to deviations (mm) when the class is known.
    Fit {
        class: String,
        upper: Option<f64>,
        lower: Option<f64>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dimension {
    /// Text as read.
    pub text: String,
    pub nominal: f64,
    pub diameter: bool,
    pub radius: bool,
    pub tolerance: Option<Tolerance>,
    /// Limits in mm when a tolerance is known: (min, max).
    pub min: Option<f64>,
    pub max: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Roughness {
    /// "Ra" or "Rz".
    pub parameter: String,
    pub value_um: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thread {
    /// Normalised designation: "M8", "M10x1.25", "G1/4", "1/4-20 UNC".
    pub designation: String,
    pub nominal_mm: Option<f64>,
    pub pitch_mm: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GdtKind {
    Flatness,
    Straightness,
    Circularity,
    Cylindricity,
    Perpendicularity,
    Parallelism,
    Angularity,
    Position,
    Concentricity,
    Symmetry,
    Runout,
    TotalRunout,
    ProfileLine,
    ProfileSurface,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GdtFrame {
    pub kind: GdtKind,
    pub tolerance_mm: f64,
    pub datums: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Projection {
    /// European, ISO-E.
    FirstAngle,
    /// American, ISO-A.
    ThirdAngle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShapeClass {
    /// Tourné.
    Turned,
    /// Prismatique.
    Prismatic,
    /// Tôle pliée.
    SheetMetal,
    /// Mécano-soudé.
    Welded,
}

/// Overall size: turned parts give `diameter` and `length`; others `length × width × height`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub diameter: Option<f64>,
    pub length: Option<f64>,
    pub width: Option<f64>,
    pub height: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaterialMatch {
    pub grade_id: String,
    pub confidence: f32,
}

/// Everything read from one drawing. Title-block fields are flat here (same names as the
/// corpus ground truth).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrawingAnalysis {
    pub format: FileKind,
    pub pages: u32,
    pub seconds: f64,
    /// Set when geometry or text could not be read automatically (e.g. DWG): read by a person.
    pub format_note: Option<String>,
    pub text_source: Option<TextSource>,
    pub drawing_number: Option<Found<String>>,
    pub revision: Option<Found<String>>,
    pub part_name: Option<Found<String>>,
    /// Material as written.
    pub material: Option<Found<String>>,
    /// Material matched to one of the caller's grades.
    pub material_grade: Option<Found<MaterialMatch>>,
    pub heat_treatment: Option<Found<String>>,
    pub surface_treatment: Option<Found<String>>,
    pub customer: Option<Found<String>>,
    pub scale: Option<Found<String>>,
    pub date: Option<Found<String>>,
    pub quantity: Option<Found<u32>>,
    pub general_tolerance: Option<Found<GeneralTolerance>>,
    pub dimensions: Vec<Found<Dimension>>,
    pub roughness: Vec<Found<Roughness>>,
    pub threads: Vec<Found<Thread>>,
    pub gdt: Vec<Found<GdtFrame>>,
    pub projection: Option<Found<Projection>>,
    pub envelope: Option<Found<Envelope>>,
    pub shape_class: Option<Found<ShapeClass>>,
    /// Critical-part markers as read ("pièce critique", "KC", "EN 9100", …).
    pub critical_markers: Vec<Found<String>>,
    /// Non-fatal remarks (French, for the reviewer).
    pub warnings: Vec<String>,
}

impl DrawingAnalysis {
    pub fn empty(format: FileKind) -> Self {
        Self {
            format,
            pages: 0,
            seconds: 0.0,
            format_note: None,
            text_source: None,
            drawing_number: None,
            revision: None,
            part_name: None,
            material: None,
            material_grade: None,
            heat_treatment: None,
            surface_treatment: None,
            customer: None,
            scale: None,
            date: None,
            quantity: None,
            general_tolerance: None,
            dimensions: vec![],
            roughness: vec![],
            threads: vec![],
            gdt: vec![],
            projection: None,
            envelope: None,
            shape_class: None,
            critical_markers: vec![],
            warnings: vec![],
        }
    }
}
