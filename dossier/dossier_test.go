package dossier

import "testing"

func TestDetectType(t *testing.T) {
	tests := []struct {
		head string
		want Type
	}{
		{"%PDF-1.7\n", PDF},
		{"\r\n%PDF-1.4", PDF},
		{"\xFF\xD8\xFF\xE0", JPEG},
		{"\x89PNG\r\n\x1a\n....", PNG},
		{"II*\x00", TIFF},
		{"MM\x00*", TIFF},
		{"GIF89a", Unknown},
		{"", Unknown},
	}
	for _, tt := range tests {
		if got := DetectType([]byte(tt.head)); got != tt.want {
			t.Errorf("DetectType(%q) = %q, want %q", tt.head, got, tt.want)
		}
	}
}

func TestParseDeclared(t *testing.T) {
	d, err := ParseDeclared([]byte(`{"hosted": true, "applicant": {"last_name": "Dupont", "birth_date": "2001-02-03"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if !d.Flag("hosted") || d.Flag("licence_holder") || d.Applicant.LastName != "Dupont" {
		t.Errorf("unexpected %+v", d)
	}
	for _, bad := range []string{`{"hostd": true}`, `{"applicant": {"birth_date": "03/02/2001"}}`, `[1]`} {
		if _, err := ParseDeclared([]byte(bad)); err == nil {
			t.Errorf("ParseDeclared(%s) accepted", bad)
		}
	}
}

// The urbanism and road-safety course fields: dates are YYYY-MM-DD,
// choices one of their values, numbers not negative.
func TestParseDeclaredProcedureFields(t *testing.T) {
	d, err := ParseDeclared([]byte(`{"project_kind": "extension", "floor_area_created": 32.5, "zone": "UC",
		"works_start": "2027-03-01", "course_reason": "judge", "previous_courses": 2, "course_start": "2026-12-01"}`))
	if err != nil {
		t.Fatal(err)
	}
	if d.Choice("project_kind") != "extension" || d.Choice("course_reason") != "judge" || *d.FloorAreaCreated != 32.5 || *d.PreviousCourses != 2 {
		t.Errorf("unexpected %+v", d)
	}
	for _, bad := range []string{`{"project_kind": "garage"}`, `{"project_kind": ""}`, `{"course_reason": "points"}`,
		`{"works_start": "01/03/2027"}`, `{"course_end": "2026-13-01"}`, `{"pool_area": -3}`, `{"previous_courses": -1}`, `{"previous_courses": 1.5}`} {
		if _, err := ParseDeclared([]byte(bad)); err == nil {
			t.Errorf("ParseDeclared(%s) accepted", bad)
		}
	}
}
