package main

import (
	"encoding/json"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"time"

	"dossiercheck/fixtures"
)

// writeFixtures writes the demo documents used in README's examples,
// dated relative to 2026-11-10.
func writeFixtures(dir string, out io.Writer) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	scanned := func(issue time.Time) []byte {
		page := fixtures.Bill{Holder: fixtures.Jean, Issue: issue}.Render(300)
		return fixtures.JPEG(fixtures.Scan(page, fixtures.Defects{SkewDeg: 2, Noise: 6, Seed: 1}), 85)
	}
	f02 := fixtures.F02{Candidate: fixtures.Jean, NRN: fixtures.NRN(fixtures.Jean.BirthDate, 123), Model: "M36", TheoryDate: day(2025, 5, 12),
		TheoryFile: "Centre d'examen Bruxelles 123456", ReadingTest: true, RequestDate: day(2026, 11, 2), RequestCity: "Bruxelles",
		Signed: true, NoDisqualification: true,
		Guides: []fixtures.Guide{{Name: "DUPONT Marie", BirthDate: day(1965, 4, 2), Licence: "1234567890", CatBSince: day(1990, 6, 1), Declared: true}}}
	form, err := f02.PDF()
	if err != nil {
		return err
	}
	// The same request with a theory exam passed more than 3 years before it.
	stale := f02
	stale.TheoryDate = day(2023, 6, 1)
	staleForm, err := stale.PDF()
	if err != nil {
		return err
	}
	letter := func(l fixtures.Letter) []byte {
		return fixtures.JPEG(fixtures.Scan(l.Render(300), fixtures.Defects{SkewDeg: -1.5, Noise: 5, Seed: 2}), 85)
	}
	card := func(g *image.Gray) []byte {
		return fixtures.JPEG(fixtures.Scan(g, fixtures.Defects{SkewDeg: 1, Noise: 4, Seed: 3}), 90)
	}
	minor := fixtures.Jean
	minor.BirthDate = day(2003, 6, 20) // 16 when the passport was issued
	cerfa14004 := fixtures.Cerfa14004{Declarant: fixtures.Jean, Meuble: "3 quai du Port 13002 Marseille", Rooms: "2", Beds: "3",
		Periods: "juillet et août", Date: day(2026, 11, 2), Signed: true}
	unsigned := cerfa14004
	unsigned.Signed = false
	m18 := f02
	m18.Model, m18.Guides = "M18", nil
	m12 := f02
	m12.Model = "M12"
	pdfs := map[string]interface{ PDF() ([]byte, error) }{
		"cerfa14004.pdf":          cerfa14004,
		"cerfa14004-unsigned.pdf": unsigned,
		"cerfa14880.pdf":          fixtures.Cerfa14880{Person: fixtures.Jean, Categories: "B", Avis: "compatible", AvisDate: day(2026, 6, 1)},
		"f02-m18.pdf":             m18,
		"f02-m12.pdf":             m12,
	}
	// The Belgian candidate's eID (S004 L374 « accompagnée du document d'identité »).
	eid := card(fixtures.BEeID{Holder: fixtures.Jean, Card: fixtures.BECardNumber(1234567), NRN: fixtures.NRN(fixtures.Jean.BirthDate, 123),
		Issued: day(2022, 3, 1), Expiry: day(2032, 2, 28), IssuingCommune: "Bruxelles"}.Render(600))
	files := map[string][]byte{
		"passport.jpg":           card(fixtures.Passport(fixtures.Jean, "18AB12345", day(2020, 1, 15), day(2030, 1, 14), 300)),
		"passport-minor.jpg":     card(fixtures.Passport(minor, "19CD54321", day(2020, 1, 15), day(2025, 1, 14), 300)),
		"photo-recent.jpg":       fixtures.WithExifDate(fixtures.JPEG(fixtures.Photo(300), 90), day(2026, 9, 1)),
		"bill-3-weeks.jpg":       scanned(day(2026, 10, 20)),
		"decision.jpg":           letter(fixtures.AnnulmentDecision(fixtures.Jean, day(2025, 12, 1), false)),
		"decision-biology.jpg":   letter(fixtures.AnnulmentDecision(fixtures.Jean, day(2025, 12, 1), true)),
		"psycho.jpg":             letter(fixtures.PsychotechnicalResult(fixtures.Jean, day(2026, 5, 20))),
		"aptitude-20h.jpg":       letter(fixtures.AptitudeCertificate(fixtures.Jean, day(2026, 10, 15), 20, false)),
		"aptitude-12h.jpg":       letter(fixtures.AptitudeCertificate(fixtures.Jean, day(2026, 10, 15), 12, false)),
		"pcp-m36.jpg":            card(fixtures.ProvisionalLicence(fixtures.Jean, "M36", day(2022, 9, 1), day(2025, 8, 31), 600)),
		"pcp-m36-old.jpg":        card(fixtures.ProvisionalLicence(fixtures.Jean, "M36", day(2020, 7, 1), day(2023, 6, 30), 600)),
		"ecole.jpg":              letter(fixtures.DrivingSchoolCertificate(fixtures.Jean, day(2026, 9, 7), day(2026, 10, 19), 6)),
		"bill-old.jpg":           scanned(day(2026, 3, 14)), // 8 months before 2026-11-10
		"bill-recent.jpg":        scanned(day(2026, 9, 14)), // 2 months before
		"id.jpg":                 fixtures.JPEG(fixtures.IDCard(fixtures.Jean, "X4RTBPFW4", day(2031, 5, 1), 600), 90),
		"eid.jpg":                eid,
		"photo.jpg":              fixtures.JPEG(fixtures.Photo(300), 90),
		"f02-m36.pdf":            form,
		"f02-m36-old-theory.pdf": staleForm,
	}
	// fr-urbanisme: one déclaration préalable for a 32 m² extension, declared
	// in zone UC (a DP suffices up to 40 m²) or in zone N (a permis de
	// construire is needed over 20 m²).
	pdfs["dp-extension.pdf"] = fixtures.UrbanismForm{Kind: fixtures.FormDP, Applicant: fixtures.Jean, Land: "14 chemin des Vignes 69670 Vaugneray",
		Works: "Extension d'une maison (véranda)", FloorArea: 32, Footprint: 30, Date: day(2026, 11, 5)}
	project := func(zone string) map[string]any {
		return map[string]any{"project_kind": "extension", "floor_area_created": 32, "footprint_created": 30, "existing_floor_area": 110,
			"zone": zone, "monument_perimeter": false, "legal_person": false, "single_house": true, "works_start": "2027-03-01"}
	}
	// fr-stage-sensibilisation, RULES.md D5's example: a course from 1 to 2
	// October 2023 allows the next one from 1 October 2024.
	piece := func(c fixtures.CoursePiece) []byte {
		return fixtures.JPEG(fixtures.Scan(c.Render(300), fixtures.Defects{SkewDeg: 1, Noise: 5, Seed: 4}), 85)
	}
	files["releve-points.jpg"] = piece(fixtures.CoursePiece{Kind: fixtures.PointsStatement, Holder: fixtures.Jean, Date: day(2024, 9, 2), Balance: 7})
	files["attestation-stage-2023.jpg"] = piece(fixtures.CoursePiece{Kind: fixtures.CourseAttestation, Holder: fixtures.Jean, From: day(2023, 10, 1), Until: day(2023, 10, 2)})
	course := func(start, end string) map[string]any {
		return map[string]any{"course_reason": "voluntary", "course_start": start, "course_end": end, "previous_courses": 1, "probationary": false}
	}
	declared := map[string]map[string]any{
		"urbanisme-zone-uc.json":     project("UC"),
		"urbanisme-zone-n.json":      project("N"),
		"stage-from-2024-10-01.json": course("2024-10-01", "2024-10-02"),
		"stage-from-2024-09-30.json": course("2024-09-30", "2024-10-01"),
	}
	for name, d := range declared {
		b, err := json.MarshalIndent(d, "", "  ")
		if err != nil {
			return err
		}
		files[name] = append(b, '\n')
	}
	for name, f := range pdfs {
		b, err := f.PDF()
		if err != nil {
			return err
		}
		files[name] = b
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
		fmt.Fprintln(out, filepath.Join(dir, name))
	}
	return nil
}
