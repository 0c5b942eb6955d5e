//! Errors of one drawing. Each carries a French message for the user (`message_fr`).

use crate::model::FileKind;

#[derive(Debug, thiserror::Error)]
pub enum DrawingError {
    #[error("file type not recognised")]
    UnknownFormat,
    #[error("extension says {extension}, content is {actual:?}")]
    ExtensionMismatch { extension: String, actual: FileKind },
    #[error("file too large: {bytes} bytes (max {max})")]
    FileTooLarge { bytes: u64, max: u64 },
    #[error("encrypted PDF")]
    EncryptedPdf,
    #[error("unreadable PDF: {0}")]
    CorruptPdf(String),
    #[error("too many pages: {pages} (max {max})")]
    TooManyPages { pages: u32, max: u32 },
    #[error("image too large: {megapixels:.1} MP (max {max})")]
    ImageTooLarge { megapixels: f64, max: f64 },
    #[error("unreadable image: {0}")]
    CorruptImage(String),
    #[error("timeout after {seconds} s in {tool}")]
    Timeout { tool: String, seconds: u64 },
    #[error("{tool} needs more memory than allowed")]
    OutOfMemory { tool: String },
    #[error("tool missing: {0}")]
    ToolMissing(String),
    #[error("tool failed: {tool}: {detail}")]
    ToolFailed { tool: String, detail: String },
    #[error("total analysis time exceeded ({seconds} s)")]
    TotalTimeout { seconds: u64 },
    #[error("io: {0}")]
    Io(String),
    #[error("no preview for this format or page")]
    NoPreview,
}

impl DrawingError {
    /// Message shown to the user, in French.
    pub fn message_fr(&self) -> String {
        match self {
            Self::UnknownFormat => "Format de fichier non reconnu : ce n'est ni un PDF, ni une image (PNG, JPEG, TIFF), ni un fichier DXF ou STEP.".into(),
            Self::ExtensionMismatch { extension, actual } => format!(
                "Le fichier porte l'extension « .{extension} » mais son contenu est de type {} : renommez-le ou envoyez le bon fichier.",
                kind_fr(*actual)
            ),
            Self::FileTooLarge { bytes, max } => format!(
                "Fichier trop volumineux : {:.1} Mo (maximum {:.1} Mo).",
                *bytes as f64 / 1e6,
                *max as f64 / 1e6
            ),
            Self::EncryptedPdf => "Le PDF est chiffré ou protégé par mot de passe : il ne peut pas être lu. Demandez au client une version non protégée.".into(),
            Self::CorruptPdf(_) => "Le PDF est endommagé ou illisible : demandez au client de le renvoyer.".into(),
            Self::TooManyPages { pages, max } => format!(
                "Le PDF compte {pages} pages, au-delà de la limite de {max} pages par plan : découpez-le ou envoyez seulement les plans utiles."
            ),
            Self::ImageTooLarge { megapixels, max } => format!(
                "Image trop grande : {megapixels:.1} mégapixels (maximum {max:.0}) : réduisez la résolution (300 dpi suffisent)."
            ),
            Self::CorruptImage(_) => "L'image est endommagée ou illisible.".into(),
            Self::NoPreview => "Pas d'aperçu pour ce format ou cette page : téléchargez le fichier.".into(),
            Self::Timeout { seconds, .. } => format!(
                "La lecture du plan a dépassé le temps maximal de {seconds} s par page et a été interrompue."
            ),
            Self::OutOfMemory { .. } => "La lecture du plan demande plus de mémoire que la limite autorisée et a été interrompue.".into(),
            Self::ToolMissing(tool) => format!(
                "Outil de lecture absent sur le serveur ({tool}) : installez poppler-utils et tesseract-ocr (fra, eng)."
            ),
            Self::ToolFailed { .. } => "La lecture du plan a échoué (outil d'extraction en erreur).".into(),
            Self::TotalTimeout { seconds } => format!(
                "La lecture du plan a dépassé le temps total autorisé ({seconds} s) et a été interrompue."
            ),
            Self::Io(_) => "Erreur d'entrée/sortie pendant la lecture du plan.".into(),
        }
    }
}

fn kind_fr(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Pdf => "PDF",
        FileKind::Png => "image PNG",
        FileKind::Jpeg => "image JPEG",
        FileKind::Tiff => "image TIFF",
        FileKind::Dxf => "DXF",
        FileKind::Step => "STEP",
        FileKind::Other => "inconnu",
    }
}

impl From<std::io::Error> for DrawingError {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e.to_string())
    }
}
