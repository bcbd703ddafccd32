package pipeline_test

import (
	"context"
	"testing"
	"time"

	"dossiercheck/doctext"
	"dossiercheck/fixtures"
	"dossiercheck/pipeline"
	"dossiercheck/report"
)

// panicking is an OCR that fails the way a bug does: it panics.
type panicking struct{}

func (panicking) Recognize(context.Context, []byte, string) (doctext.Page, bool, error) {
	panic("index out of range")
}
func (panicking) RecognizeMRZ(context.Context, []byte, string) (doctext.Page, bool, error) {
	panic("index out of range")
}
func (panicking) RecognizeNumber(context.Context, []byte, string) (doctext.Page, bool, error) {
	panic("index out of range")
}

// A bug met while reading one file makes that file unread, a finding for
// a clerk: the dossier gets its report (review), the process goes on, and
// the failed reading is not stored.
func TestReadingPanicIsAFinding(t *testing.T) {
	p := newPipeline(t)
	p.OCR = panicking{}
	cache := &pipeline.MemoryCache{}
	p.Readings = cache
	bill := fixtures.JPEG(fixtures.Bill{Holder: fixtures.Jean, Issue: time.Date(2026, 9, 14, 0, 0, 0, 0, time.UTC)}.Render(150), 85)
	req := pipeline.Request{Procedure: "fr-ants-permis", Submitted: submitted,
		Files: hashed([]pipeline.File{{Name: "bill.jpg", Data: bill}})}
	rep, _, err := p.Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Verdict != report.Review || findRule(rep, "DOC-UNREADABLE") == nil {
		t.Errorf("verdict %s, DOC-UNREADABLE %v", rep.Verdict, findRule(rep, "DOC-UNREADABLE"))
	}
	if cache.Len() != 0 {
		t.Errorf("%d readings stored after a failed reading", cache.Len())
	}
}
