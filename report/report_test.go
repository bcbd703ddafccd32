package report

import "testing"

func TestDecide(t *testing.T) {
	tests := []struct {
		name string
		in   []Outcome
		want Verdict
	}{
		{"no findings is no evidence", nil, Review},
		{"all pass", []Outcome{Pass, Pass}, Accept},
		{"one review", []Outcome{Pass, NeedsLook}, Review},
		{"fail beats review", []Outcome{NeedsLook, Fail, Pass}, Reject},
	}
	for _, tt := range tests {
		var fs []Finding
		for _, o := range tt.in {
			fs = append(fs, Finding{Outcome: o})
		}
		if got := Decide(fs); got != tt.want {
			t.Errorf("%s: Decide = %s, want %s", tt.name, got, tt.want)
		}
	}
}
