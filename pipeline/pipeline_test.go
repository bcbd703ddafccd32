package pipeline_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"dossiercheck/checks"
	"dossiercheck/fixtures"
	"dossiercheck/ocr"
	"dossiercheck/pipeline"
	"dossiercheck/report"
	"dossiercheck/store"
	"dossiercheck/twoddoc"
)

func newPipeline(t testing.TB) *pipeline.Pipeline { return newPipelineN(t, 1) }

// newPipelineN runs on an engine of n Tesseract clients.
func newPipelineN(t testing.TB, n int) *pipeline.Pipeline {
	t.Helper()
	eng, err := ocr.New(n, ocr.DefaultSettings, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(eng.Close)
	c, err := checks.Load()
	if err != nil {
		t.Fatal(err)
	}
	return pipeline.New(eng, c, nil)
}

var submitted = time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)

func antsFiles(billIssue time.Time, skew float64) []pipeline.File {
	bill := fixtures.Scan(fixtures.Bill{Holder: fixtures.Jean, Issue: billIssue}.Render(300), fixtures.Defects{SkewDeg: skew, Noise: 6, Seed: 7})
	id := fixtures.IDCard(fixtures.Jean, "X4RTBPFW4", time.Date(2031, 5, 1, 0, 0, 0, 0, time.UTC), 600)
	return []pipeline.File{
		{Name: "bill.jpg", Data: fixtures.JPEG(bill, 85)},
		{Name: "id.jpg", Data: fixtures.JPEG(id, 90)},
		{Name: "photo.jpg", Data: fixtures.JPEG(fixtures.Photo(300), 90)},
	}
}

// docByFile is the report's document for a file (documents come sorted by
// file name).
func docByFile(r report.Report, file string) report.Document {
	for _, d := range r.Documents {
		if d.File == file {
			return d
		}
	}
	return report.Document{}
}

func findRule(r report.Report, rule string) *report.Finding {
	for i := range r.Findings {
		if r.Findings[i].Rule == rule {
			return &r.Findings[i]
		}
	}
	return nil
}

func TestANTSBillAge(t *testing.T) {
	p := newPipeline(t)
	tests := []struct {
		name    string
		issue   time.Time
		skew    float64
		verdict report.Verdict
		outcome report.Outcome
		quote   string
	}{
		{"8 months old", time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), 0, report.Reject, report.Fail, "14/03/2026"},
		{"2 months old, skewed 5°", time.Date(2026, 9, 14, 0, 0, 0, 0, time.UTC), 5, report.Accept, report.Pass, "14/09/2026"},
	}
	for _, tt := range tests {
		rep, _, err := p.Run(context.Background(), pipeline.Request{Procedure: "fr-ants-permis", Submitted: submitted, Files: antsFiles(tt.issue, tt.skew)})
		if err != nil {
			t.Fatal(err)
		}
		var f *report.Finding // the date finding, not the piece one
		for i := range rep.Findings {
			if rep.Findings[i].Rule == "ANTS-4" && strings.Contains(rep.Findings[i].Message, "issued") {
				f = &rep.Findings[i]
			}
		}
		if rep.Verdict != tt.verdict || f == nil || f.Outcome != tt.outcome {
			t.Fatalf("%s: verdict %s, ANTS-4 %+v\nall: %+v\ndocs: %+v", tt.name, rep.Verdict, f, rep.Findings, rep.Documents)
		}
		// The evidence quotes the issue date as read, with its label, not
		// the due date or the consumption period.
		if len(f.Evidence) != 1 || !strings.Contains(f.Evidence[0].Text, "Date de facture") || !strings.Contains(f.Evidence[0].Text, tt.quote) || f.Evidence[0].BBox == nil {
			t.Errorf("%s: evidence %+v", tt.name, f.Evidence)
		}
		kinds := map[string]string{}
		for _, d := range rep.Documents {
			kinds[d.File] = d.Kind
		}
		if kinds["bill.jpg"] != "proof_of_address" || kinds["id.jpg"] != "identity_card" || kinds["photo.jpg"] != "id_photo" {
			t.Errorf("%s: kinds %v", tt.name, kinds)
		}
	}
}

func TestM36TheoryAuthoritative(t *testing.T) {
	p := newPipeline(t)
	form := fixtures.F02{Candidate: fixtures.Jean, NRN: "90020312345", Model: "M36", ReadingTest: true, Signed: true,
		RequestDate: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)}
	for _, tt := range []struct {
		theory time.Time
		want   report.Outcome
	}{
		{time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), report.Pass},
		{time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC), report.Fail},
	} {
		form.TheoryDate = tt.theory
		pdf, err := form.PDF()
		if err != nil {
			t.Fatal(err)
		}
		rep, _, err := p.Run(context.Background(), pipeline.Request{Procedure: "be-pcp-m36", Submitted: submitted,
			Files: []pipeline.File{{Name: "f02.pdf", Data: pdf}}})
		if err != nil {
			t.Fatal(err)
		}
		f := findRule(rep, "BE-G7")
		if f == nil || f.Outcome != tt.want || !strings.Contains(f.Evidence[0].Text, "theorie_date") {
			t.Errorf("theory %s: BE-G7 %+v (docs %+v)", tt.theory.Format("2006-01-02"), f, rep.Documents)
		}
	}
}

// Bad files become findings that send the dossier to review; the pipeline
// keeps going and reports every other file.
func TestBadFiles(t *testing.T) {
	p := newPipeline(t)
	good, err := fixtures.F02{Candidate: fixtures.Jean, Model: "M36"}.PDF()
	if err != nil {
		t.Fatal(err)
	}
	encrypted, err := fixtures.Encrypt(good, "secret")
	if err != nil {
		t.Fatal(err)
	}
	corrupt := append([]byte{}, good[:len(good)/2]...)
	png := fixtures.PNG(fixtures.Photo(100))
	tests := []struct {
		name, file string
		data       []byte
		rule, msg  string
	}{
		{"corrupt PDF", "form.pdf", corrupt, "DOC-UNREADABLE", "corrupt PDF"},
		{"encrypted PDF", "form.pdf", encrypted, "DOC-UNREADABLE", "encrypted PDF"},
		{"PNG renamed .pdf", "scan.pdf", png, "DOC-TYPE", "content is png"},
		{"30000×30000 PNG", "huge.png", fixtures.BombPNG(30000, 30000), "DOC-UNREADABLE", "exceeds the"},
		{"not a document", "notes.pdf", []byte("hello"), "DOC-UNREADABLE", "unsupported file type"},
	}
	for _, tt := range tests {
		rep, _, err := p.Run(context.Background(), pipeline.Request{Procedure: "fr-ants-permis", Submitted: submitted,
			Files: []pipeline.File{{Name: tt.file, Data: tt.data}}})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		f := findRule(rep, tt.rule)
		if f == nil || f.Outcome != report.NeedsLook || !strings.Contains(f.Message, tt.msg) {
			t.Errorf("%s: %s finding %+v", tt.name, tt.rule, f)
		}
		if rep.Verdict == report.Accept {
			t.Errorf("%s: accepted", tt.name)
		}
	}
}

func TestBlankAndBlurryPagesGoToReview(t *testing.T) {
	p := newPipeline(t)
	page := fixtures.Bill{Holder: fixtures.Jean, Issue: time.Date(2026, 9, 14, 0, 0, 0, 0, time.UTC)}.Render(300)
	for name, img := range map[string][]byte{
		"blank":  fixtures.JPEG(fixtures.A4(300).Img, 90),
		"blurry": fixtures.JPEG(fixtures.Scan(page, fixtures.Defects{Blur: 6}), 90),
	} {
		rep, _, err := p.Run(context.Background(), pipeline.Request{Procedure: "fr-ants-permis", Submitted: submitted,
			Files: []pipeline.File{{Name: name + ".jpg", Data: img}}})
		if err != nil {
			t.Fatal(err)
		}
		if f := findRule(rep, "DOC-QUALITY"); f == nil || rep.Verdict != report.Review && rep.Verdict != report.Reject {
			t.Errorf("%s: quality finding %+v, verdict %s", name, f, rep.Verdict)
		}
		if rep.Verdict == report.Accept {
			t.Errorf("%s: accepted", name)
		}
	}
}

func issueDates(r report.Report, file string) []string {
	for _, d := range r.Documents {
		if d.File == file {
			v, _ := d.Fields["issue_dates"].([]string)
			return v
		}
	}
	return nil
}

// A scanner's "scan to PDF" (no text layer) is rasterized and OCR'd; a
// multi-page TIFF is split and every page read.
func TestScannedPDFAndTIFF(t *testing.T) {
	p := newPipeline(t)
	page := fixtures.Scan(fixtures.Bill{Holder: fixtures.Jean, Issue: time.Date(2026, 9, 14, 0, 0, 0, 0, time.UTC)}.Render(300), fixtures.Defects{Noise: 5, Seed: 4})
	pdf, err := fixtures.ScannedPDF(fixtures.JPEG(page, 85))
	if err != nil {
		t.Fatal(err)
	}
	files := []pipeline.File{
		{Name: "bill.pdf", Data: pdf},
		{Name: "bill.tif", Data: fixtures.TIFF(page, page)},
	}
	rep, st, err := p.Run(context.Background(), pipeline.Request{Procedure: "fr-ants-permis", Submitted: submitted, Files: files})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"bill.pdf", "bill.tif"} {
		if got := issueDates(rep, f); len(got) != 1 || got[0] != "2026-09-14" {
			t.Errorf("%s: issue dates %v (findings %+v)", f, got, rep.Findings)
		}
	}
	if rep.Documents[1].Pages != 2 || st.OCRPages != 3 {
		t.Errorf("TIFF pages %d, OCR'd pages %d; want 2 and 3", rep.Documents[1].Pages, st.OCRPages)
	}
}

// Re-checking a dossier reads OCR from the store's cache, and gives the
// same report.
func TestOCRCacheInStore(t *testing.T) {
	st, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	eng, err := ocr.New(1, ocr.DefaultSettings, st)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	p := newPipeline(t)
	p.OCR = eng
	req := pipeline.Request{Procedure: "fr-ants-permis", Submitted: submitted, Files: antsFiles(time.Date(2026, 9, 14, 0, 0, 0, 0, time.UTC), 2)}
	first, s1, err := p.Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	second, s2, err := p.Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if s1.CacheHits != 0 || s2.CacheHits != s2.OCRPages || s2.OCRPages == 0 {
		t.Errorf("cache hits %d then %d of %d pages", s1.CacheHits, s2.CacheHits, s2.OCRPages)
	}
	a, _ := json.Marshal(first)
	b, _ := json.Marshal(second)
	if string(a) != string(b) {
		t.Errorf("reports differ:\n%s\n%s", a, b)
	}
}

// A PDF of more pages than a piece ever has is read only in part, and said so.
func TestLongPDFIsCapped(t *testing.T) {
	p := newPipeline(t)
	var pages []string
	for i := range 60 {
		pages = append(pages, fmt.Sprintf("Facture d'électricité page %d, consommation relevée en kWh", i+1))
	}
	pdf, err := fixtures.TextPDF(pages...)
	if err != nil {
		t.Fatal(err)
	}
	rep, st, err := p.Run(context.Background(), pipeline.Request{Procedure: "fr-ants-permis", Submitted: submitted,
		Files: []pipeline.File{{Name: "long.pdf", Data: pdf}}})
	if err != nil {
		t.Fatal(err)
	}
	f := findRule(rep, "DOC-UNREADABLE")
	if f == nil || !strings.Contains(f.Message, "only the first 50") || st.Pages != 50 || rep.Documents[0].Pages != 50 {
		t.Errorf("finding %+v, pages read %d", f, st.Pages)
	}
}

// testCAPipeline verifies 2D-Docs against the FR00 test certificate
// (valid 2012-11-01 to 2015-11-01), in test mode.
func testCAPipeline(t *testing.T) *pipeline.Pipeline {
	p := newPipeline(t)
	certs, err := twoddoc.LoadCerts("../twoddoc/testdata/certs")
	if err != nil {
		t.Fatal(err)
	}
	certs.AllowTest = true
	p.Certs = certs
	return p
}

// A verified 2D-Doc's issue date outranks the date printed (and OCR'd) on
// the bill; a code signed outside its certificate's validity goes to review.
func Test2DDocOutranksOCR(t *testing.T) {
	p := testCAPipeline(t)
	run := func(printed, coded, submitted time.Time) report.Report {
		code, err := fixtures.TwoDDoc(fixtures.Jean, coded)
		if err != nil {
			t.Fatal(err)
		}
		bill := fixtures.Scan(fixtures.Bill{Holder: fixtures.Jean, Issue: printed, TwoDDoc: code}.Render(200), fixtures.Defects{Noise: 5, Seed: 9})
		rep, _, err := p.Run(context.Background(), pipeline.Request{Procedure: "fr-ants-permis", Submitted: submitted,
			Files: []pipeline.File{{Name: "bill.jpg", Data: fixtures.JPEG(bill, 90)}}})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	dateFinding := func(r report.Report) *report.Finding {
		for i := range r.Findings {
			if r.Findings[i].Rule == "ANTS-4" && strings.Contains(r.Findings[i].Message, "issued") {
				return &r.Findings[i]
			}
		}
		return nil
	}
	// Printed and coded dates agree: pass, on the 2D-Doc's evidence.
	r := run(day(2015, 6, 1), day(2015, 6, 1), day(2015, 9, 1))
	if f := dateFinding(r); f == nil || f.Outcome != report.Pass || !strings.Contains(f.Evidence[0].Text, "2D-Doc (signature valid)") {
		t.Errorf("agreeing dates: %+v", f)
	}
	// The printed date was altered to look recent; the signed one is old.
	r = run(day(2015, 8, 1), day(2014, 12, 1), day(2015, 9, 1))
	if f := dateFinding(r); f == nil || f.Outcome != report.Fail || !strings.Contains(f.Message, "2014-12-01") {
		t.Errorf("altered printed date: %+v", f)
	}
	// Signed in 2026 with a certificate that expired in 2015.
	r = run(day(2026, 9, 14), day(2026, 9, 14), day(2026, 11, 10))
	if f := findRule(r, "2DDOC"); f == nil || f.Outcome != report.NeedsLook || !strings.Contains(f.Message, "outside its certificate's validity") {
		t.Errorf("out of period: %+v", f)
	}
}

// A tax notice's code (type 04) has no issue date: the printed date d'
// établissement stays the notice's date, and one printed after the signed
// date de mise en recouvrement goes to a clerk.
func Test2DDocTaxNotice(t *testing.T) {
	p := testCAPipeline(t)
	fr00, err := fixtures.FR00()
	if err != nil {
		t.Fatal(err)
	}
	run := func(printed, collection time.Time) report.Report {
		code, err := fr00.TaxNotice(fixtures.Jean, 2014, collection)
		if err != nil {
			t.Fatal(err)
		}
		page := fixtures.Scan(fixtures.Bill{Holder: fixtures.Jean, Issue: printed, Layout: fixtures.Tax, TwoDDoc: code}.Render(250), fixtures.Defects{Noise: 5, Seed: 4})
		rep, _, err := p.Run(context.Background(), pipeline.Request{Procedure: "fr-ants-permis", Submitted: day(2015, 9, 1),
			Files: []pipeline.File{{Name: "avis.jpg", Data: fixtures.JPEG(page, 90)}}})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	rep := run(day(2015, 7, 10), day(2015, 7, 31))
	code, _ := rep.Documents[0].Fields["2ddoc"].(map[string]any)
	if rep.Documents[0].Kind != "tax_notice" || code["type"] != "04" || code["status"] != twoddoc.Valid {
		t.Fatalf("document %+v", rep.Documents[0])
	}
	if f := findRule(rep, "2DDOC"); f != nil {
		t.Errorf("printed date before the collection date: %+v", f)
	}
	if d := rep.Documents[0].Fields["issue_dates"]; fmt.Sprint(d) != "[2015-07-10]" {
		t.Errorf("issue dates %v, want the printed one", d)
	}
	rep = run(day(2015, 7, 10), day(2014, 7, 31))
	if f := findRule(rep, "2DDOC"); f == nil || f.Outcome != report.NeedsLook || !strings.Contains(f.Message, "2014-07-31") {
		t.Errorf("altered printed date: %+v", f)
	}
}

// A bill whose 2D-Doc was scribbled over is not accepted on its printed
// date: the code seems printed and could not be read.
func TestUnreadable2DDocGoesToReview(t *testing.T) {
	p := testCAPipeline(t)
	code, err := fixtures.TwoDDoc(fixtures.Jean, day(2015, 6, 1))
	if err != nil {
		t.Fatal(err)
	}
	bill := fixtures.Bill{Holder: fixtures.Jean, Issue: day(2015, 6, 1), TwoDDoc: code}.Render(200)
	// The code is printed 160 mm from the left and 12 mm from the top:
	// its upper part inked the other way round.
	mm := func(v float64) int { return int(v * 200 / 25.4) }
	for y := mm(12); y < mm(20); y++ {
		for x := mm(160); x < mm(185); x++ {
			i := bill.PixOffset(x, y)
			bill.Pix[i] = 255 - bill.Pix[i]
		}
	}
	page := fixtures.Scan(bill, fixtures.Defects{Noise: 5, Seed: 9})
	rep, _, err := p.Run(context.Background(), pipeline.Request{Procedure: "fr-ants-permis", Submitted: day(2015, 9, 1),
		Files: []pipeline.File{{Name: "bill.jpg", Data: fixtures.JPEG(page, 90)}}})
	if err != nil {
		t.Fatal(err)
	}
	if f := findRule(rep, "2DDOC"); f == nil || f.Outcome != report.NeedsLook || !strings.Contains(f.Message, "could not be decoded") || f.Evidence[0].BBox == nil {
		t.Errorf("scribbled code: %+v", f)
	}
	if rep.Verdict == report.Accept {
		t.Error("accepted with its code unread")
	}
}
