package forms

import (
	"image"
	"strings"

	"dossiercheck/doctext"
	"dossiercheck/pdfread"
)

// Read reads a document of a kind that has a schema (For): from its
// fillable fields when any holds a value, else from its OCR'd pages and
// their images (FromPageRead; r's readers may be nil). ok is false when
// the kind has no schema.
//
// The pipeline calls it once the document is classified, and then:
//   - checks.Doc.Form = values.Form(), checks.Doc.FormDoubt = values.Doubts();
//   - the dated fields are schema.Dates(values) only, each a checks.Dated
//     with Label "birth", "exam", "request" or "issue" (its Role),
//     Confidence Value.Confidence and Authoritative (the value names its
//     field); dates found on the page text get no label on such a
//     document, or a guide's birth date would be a candidate's;
//   - the applicant's name claim is schema.Name(values) only, not the
//     names printed under labels on the page (the guides' too).
func Read(kind string, fields []pdfread.Field, pages []doctext.Page, images []*image.Gray, r Rereads) (Schema, Values, bool) {
	s, ok := For(kind)
	if !ok {
		return Schema{}, nil, false
	}
	for _, f := range fields {
		if strings.TrimSpace(f.Value) != "" {
			return s, FromFields(s, fields), true
		}
	}
	for _, p := range pages {
		if p.Source == doctext.FromOCR && p.WordCount() > 0 {
			return s, FromPageRead(s, pages, images, r), true
		}
	}
	return s, FromFields(s, fields), true
}
