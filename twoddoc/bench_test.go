package twoddoc_test

import (
	"testing"
	"time"

	"dossiercheck/fixtures"
	"dossiercheck/twoddoc"
)

// BenchmarkFindAbsent is the cost of looking for a 2D-Doc on a 300 dpi
// bill that has none: what every proof of address pays.
func BenchmarkFindAbsent(b *testing.B) {
	page := fixtures.Scan(fixtures.Bill{Holder: fixtures.Jean, Issue: time.Date(2026, 9, 14, 0, 0, 0, 0, time.UTC)}.Render(300), fixtures.Defects{Noise: 6, Seed: 1})
	b.ResetTimer()
	for range b.N {
		twoddoc.Find(page)
	}
}
