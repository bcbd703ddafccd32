package main

import (
	"fmt"
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
	f02 := fixtures.F02{Candidate: fixtures.Jean, NRN: "90020312345", Model: "M36", TheoryDate: day(2025, 5, 12),
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
	files := map[string][]byte{
		"bill-old.jpg":           scanned(day(2026, 3, 14)), // 8 months before 2026-11-10
		"bill-recent.jpg":        scanned(day(2026, 9, 14)), // 2 months before
		"id.jpg":                 fixtures.JPEG(fixtures.IDCard(fixtures.Jean, "X4RTBPFW4", day(2031, 5, 1), 600), 90),
		"photo.jpg":              fixtures.JPEG(fixtures.Photo(300), 90),
		"f02-m36.pdf":            form,
		"f02-m36-old-theory.pdf": staleForm,
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
		fmt.Fprintln(out, filepath.Join(dir, name))
	}
	return nil
}
