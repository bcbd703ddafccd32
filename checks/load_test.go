package checks

import (
	"fmt"
	"strings"
	"testing"
)

// A rules file that names what does not exist, or leaves out what a check
// needs, fails to load with an error naming the rule and the bad value:
// loaded, such a rule would never apply or check against zero.
func TestCatalogueRejected(t *testing.T) {
	tests := []struct {
		name string
		rule string // JSON of one rule of procedure "x", or of a whole catalogue
		want []string
	}{
		{"misspelt condition", `{"id": "ANTS-5", "check": "piece", "when": "hostd", "kinds": ["identity_card"]}`, []string{"ANTS-5", `"hostd"`}},
		{"misspelt kind", `{"id": "ANTS-4", "check": "piece", "kinds": ["proof_of_adress"]}`, []string{"ANTS-4", `"proof_of_adress"`}},
		{"misspelt kind in after", `{"id": "M12-3", "check": "after_expiry", "kinds": ["driving_school_certificate"], "after": "provisionnal_licence"}`, []string{"M12-3", `"provisionnal_licence"`}},
		{"unknown check", `{"id": "X-1", "check": "isued_within", "kinds": ["proof_of_address"], "months": 6}`, []string{"X-1", `"isued_within"`}},
		{"unknown date label", `{"id": "PASS-A1", "check": "min_age", "kinds": ["passport"], "years": 18, "at": "isue"}`, []string{"PASS-A1", `"isue"`, "date label"}},
		{"a date label min_age does not read", `{"id": "PASS-A1", "check": "min_age", "kinds": ["passport"], "years": 18, "at": "birth"}`, []string{"PASS-A1", `"birth"`}},
		{"missing months", `{"id": "ANTS-4", "check": "issued_within", "kinds": ["proof_of_address"]}`, []string{"ANTS-4", "issued_within", `"months"`}},
		{"misspelt parameter", `{"id": "ANTS-4", "check": "issued_within", "kinds": ["proof_of_address"], "month": 6}`, []string{"ANTS-4", `"month"`}},
		{"missing years", `{"id": "BE-G7", "check": "exam_within", "kinds": ["f02_form"]}`, []string{"BE-G7", `"years"`}},
		{"missing fields", `{"id": "BE-G5", "check": "form_ticked", "kinds": ["f02_form"]}`, []string{"BE-G5", `"fields"`}},
		{"missing against", `{"id": "ID-NRN", "check": "nrn_birth", "kinds": ["f02_form"], "fields": ["candidat_rrn"]}`, []string{"ID-NRN", `"against"`}},
		{"unknown outcome", `{"id": "BE-G11", "check": "form_ticked", "kinds": ["f02_form"], "fields": ["test_lecture"], "missing": "look"}`, []string{"BE-G11", `"look"`}},
		{"or_doc without a phrase", `{"id": "BE-G11", "check": "form_ticked", "kinds": ["f02_form"], "fields": ["test_lecture"], "or_doc": "medical_certificate"}`, []string{"BE-G11", `"medical_certificate"`}},
		{"no kind", `{"id": "X-2", "check": "piece"}`, []string{"X-2", "no document kind"}},
		// Whole catalogues: a procedure's or the catalogue's own key misspelt.
		{"misspelt pending", `{"version": "test", "procedures": [{"code": "fr-x", "title": "x", "pendng": ["X-2"], "rules": []}]}`, []string{"fr-x", `"pendng"`}},
		{"misspelt procedures", `{"version": "test", "procedure": []}`, []string{`"procedure"`}},
	}
	for _, tt := range tests {
		data := tt.rule
		if strings.HasPrefix(data, "{\"id\"") {
			data = fmt.Sprintf(`{"version": "test", "procedures": [{"code": "x", "title": "x", "rules": [%s]}]}`, tt.rule)
		}
		_, err := parseCatalogue([]byte(data))
		if err == nil {
			t.Errorf("%s: loaded", tt.name)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not name %s", tt.name, err, w)
			}
		}
	}
}

// The rules that are well formed load, parameters whose zero means
// something included (M18-7: no guide).
func TestCatalogueAccepted(t *testing.T) {
	for _, rule := range []string{
		`{"id": "M18-7", "check": "guides", "kinds": ["f02_form"], "min": 0, "max": 0}`,
		`{"id": "ANTS-4", "check": "issued_within", "kinds": ["proof_of_address"], "months": 6, "what": "x", "source": "y"}`,
		`{"id": "PASS-A1", "check": "min_age", "kinds": ["passport"], "years": 18, "at": "issue"}`,
		`{"id": "ANTS-5", "check": "piece", "when": "hosted", "kinds": ["identity_card"], "count": 2}`,
	} {
		data := fmt.Sprintf(`{"version": "test", "procedures": [{"code": "x", "title": "x", "rules": [%s]}]}`, rule)
		if _, err := parseCatalogue([]byte(data)); err != nil {
			t.Errorf("%s: %v", rule, err)
		}
	}
	if _, err := Load(); err != nil {
		t.Errorf("embedded catalogue: %v", err)
	}
}
