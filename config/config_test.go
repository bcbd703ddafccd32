package config

import (
	"testing"
	"time"
)

func TestParseRetention(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		in      string
		def     time.Duration
		m36     time.Duration
		wantErr bool
	}{
		{"90", 90 * day, 90 * day, false},
		{"36h", 36 * time.Hour, 36 * time.Hour, false},
		{"90,be-pcp-m36=30", 90 * day, 30 * day, false},
		{"0, be-pcp-m36 = 2s", 0, 2 * time.Second, false},
		{"-1", 0, 0, true},
		{"90,30", 0, 0, true},
		{"ninety", 0, 0, true},
	}
	for _, tt := range tests {
		r, err := ParseRetention(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("%q: error %v", tt.in, err)
			continue
		}
		if err == nil && (r.Default != tt.def || r.For("be-pcp-m36") != tt.m36 || r.For("fr-ants-permis") != tt.def) {
			t.Errorf("%q: %+v", tt.in, r)
		}
	}
}
