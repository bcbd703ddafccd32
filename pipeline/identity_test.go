package pipeline_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"dossiercheck/dossier"
	"dossiercheck/fixtures"
	"dossiercheck/pipeline"
	"dossiercheck/report"
	"dossiercheck/twoddoc"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// A hosted applicant with a 1995-format ID card: the card's MRZ (2×36)
// and printed dates are read, its printed expiry is past but the +5 years
// of RULES.md §1.2 apply; the host's ID is not taken for the applicant's
// and the bill is in the host's name.
func TestHostedWith1995Card(t *testing.T) {
	p := newPipeline(t)
	host := fixtures.Person{LastName: "LEFÈVRE", FirstNames: "Hélène", BirthDate: day(1985, 11, 30), BirthPlace: "Nantes",
		Address: "4 allée des Chênes", City: "44000 Nantes", Sex: "F"}
	scan := func(seed uint64) fixtures.Defects { return fixtures.Defects{SkewDeg: 1.5, Noise: 5, Seed: seed} }
	files := func(billHolder fixtures.Person, cardIssued time.Time) []pipeline.File {
		card := fixtures.CNI1995{Holder: fixtures.Jean, Issued: cardIssued, Expiry: cardIssued.AddDate(10, 0, -1), Seq: 4321}
		return []pipeline.File{
			{Name: "id.jpg", Data: fixtures.JPEG(fixtures.Scan(card.Render(600), scan(1)), 85)},
			{Name: "host-id.jpg", Data: fixtures.JPEG(fixtures.Scan(fixtures.IDCard(host, "B7XT4PFW2", day(2030, 1, 1), 600), scan(2)), 85)},
			{Name: "attestation.jpg", Data: fixtures.JPEG(fixtures.Scan(fixtures.HostingAttestation(host, fixtures.Jean, day(2024, 2, 1), day(2026, 11, 2)).Render(300), scan(3)), 85)},
			{Name: "bill.jpg", Data: fixtures.JPEG(fixtures.Scan(fixtures.Bill{Holder: billHolder, Issue: day(2026, 9, 14)}.Render(300), scan(4)), 85)},
			{Name: "photo.jpg", Data: fixtures.JPEG(fixtures.Photo(300), 90)},
		}
	}
	yes := true
	run := func(fs []pipeline.File) report.Report {
		rep, _, err := p.Run(context.Background(), pipeline.Request{Procedure: "fr-ants-permis", Submitted: day(2026, 11, 10),
			Declared: dossier.Declared{Hosted: &yes}, Files: fs})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	r := run(files(host, day(2012, 3, 2)))
	if r.Verdict != report.Accept {
		t.Errorf("hosted dossier: %s %+v", r.Verdict, r.Findings)
	}
	if f := findRule(r, "ID-VALID"); f == nil || f.Outcome != report.Pass || !strings.Contains(f.Message, "+ 5 years") {
		t.Errorf("1995 card issued 2012: %+v", f)
	}
	// The zone is found and read: its check digits establish the
	// applicant's identity (an unread one would send the dossier to review).
	if mrz, _ := docByFile(r, "id.jpg").Fields["mrz"].(map[string]any); fmt.Sprint(mrz["format"]) != "FR-CNI" || mrz["valid"] != true {
		t.Errorf("1995 card MRZ: %+v", docByFile(r, "id.jpg").Fields)
	}
	// The bill is in the applicant's own name, not the host's: ANTS-5
	// fails; a card issued 2003 gets no extension: review.
	r = run(files(fixtures.Jean, day(2003, 3, 2)))
	var host5 *report.Finding
	for i, f := range r.Findings {
		if f.Rule == "ANTS-5" && strings.Contains(f.Message, "host's name") {
			host5 = &r.Findings[i]
		}
	}
	if r.Verdict != report.Reject || host5 == nil || host5.Outcome != report.Fail {
		t.Errorf("bill not in the host's name: %s %+v", r.Verdict, host5)
	}
	if f := findRule(r, "ID-VALID"); f == nil || f.Outcome != report.NeedsLook {
		t.Errorf("1995 card issued 2003: %+v", f)
	}
}

// A type-07 2D-Doc printed on an identity document gives the holder's
// name and birth date, authoritative once its signature is verified.
func TestIdentity2DDoc(t *testing.T) {
	p := testCAPipeline(t)
	// Signed while the FR00 certificate was valid (2012–2015).
	card := fixtures.CNI1995{Holder: fixtures.Jean, Issued: day(2014, 6, 2), Expiry: day(2024, 6, 1), Seq: 777}
	var err error
	card.TwoDDoc, err = fixtures.TwoDDocIdentity(fixtures.Jean, card.CardNumber(), card.Issued, card.Expiry)
	if err != nil {
		t.Fatal(err)
	}
	rep, _, err := p.Run(context.Background(), pipeline.Request{Procedure: "fr-meuble-declaration", Submitted: day(2015, 1, 10),
		Files: []pipeline.File{{Name: "id.jpg", Data: fixtures.JPEG(fixtures.Scan(card.Render(600), fixtures.Defects{Noise: 4, Seed: 7}), 90)}}})
	if err != nil {
		t.Fatal(err)
	}
	doc := rep.Documents[0]
	code, _ := doc.Fields["2ddoc"].(map[string]any)
	if doc.Kind != "identity_card" || code["type"] != "07" || code["status"] != twoddoc.Valid {
		t.Fatalf("2D-Doc on the card: %+v", doc.Fields)
	}
	f := findRule(rep, "ID-VALID")
	if f == nil || f.Outcome != report.Pass || !strings.Contains(f.Evidence[0].Text, "2D-Doc (signature valid) expiry date 2024-06-01") {
		t.Errorf("validity from the 2D-Doc: %+v", f)
	}
}
