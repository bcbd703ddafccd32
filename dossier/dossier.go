// Package dossier holds what a portal submits: the procedure, the declared
// data, the files, and where the dossier stands in processing.
package dossier

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Status is where a dossier stands.
type Status string

const (
	Received   Status = "received" // stored, not yet on the queue
	Queued     Status = "queued"
	Processing Status = "processing"
	Done       Status = "done"
	Failed     Status = "failed"
)

// Applicant is the declared identity of the applicant.
type Applicant struct {
	LastName   string `json:"last_name,omitempty"`
	FirstNames string `json:"first_names,omitempty"`
	BirthDate  string `json:"birth_date,omitempty"` // YYYY-MM-DD
}

// Declared is the data the applicant typed into the portal. Every key is
// optional; a nil flag means "not declared".
type Declared struct {
	Applicant          *Applicant `json:"applicant,omitempty"`
	Hosted             *bool      `json:"hosted,omitempty"`
	LicenceHolder      *bool      `json:"licence_holder,omitempty"`
	AccompaniedDriving *bool      `json:"accompanied_driving,omitempty"`
	UnderGuardianship  *bool      `json:"under_guardianship,omitempty"`
	// UsageNameSpouse: the passport is to carry a nom d'usage taken from
	// the spouse's name (PASS-A6).
	UsageNameSpouse *bool `json:"usage_name_spouse,omitempty"`

	// Urbanism (fr-urbanisme, RULES.md §1.6). Areas in m², heights in m.
	ProjectKind       *string  `json:"project_kind,omitempty"`        // one of Choices["project_kind"]
	FloorAreaCreated  *float64 `json:"floor_area_created,omitempty"`  // surface de plancher créée
	FootprintCreated  *float64 `json:"footprint_created,omitempty"`   // emprise au sol créée
	ExistingFloorArea *float64 `json:"existing_floor_area,omitempty"` // surface de plancher existante
	Zone              *string  `json:"zone,omitempty"`                // PLU zone code: UC, UX, UR, UZ, US, or another
	MonumentPerimeter *bool    `json:"monument_perimeter,omitempty"`  // périmètre de protection des monuments historiques
	PoolArea          *float64 `json:"pool_area,omitempty"`
	PoolCoverHeight   *float64 `json:"pool_cover_height,omitempty"` // 0 for an uncovered pool
	LegalPerson       *bool    `json:"legal_person,omitempty"`      // applicant is a personne morale
	SingleHouse       *bool    `json:"single_house,omitempty"`      // works on a maison individuelle or its annexes
	WorksStart        *string  `json:"works_start,omitempty"`       // planned start of works, YYYY-MM-DD

	// Road-safety course (fr-stage-sensibilisation, RULES.md §1.6, D5).
	CourseStart       *string `json:"course_start,omitempty"`  // YYYY-MM-DD
	CourseEnd         *string `json:"course_end,omitempty"`    // YYYY-MM-DD
	CourseReason      *string `json:"course_reason,omitempty"` // one of Choices["course_reason"]
	PreviousCourses   *int    `json:"previous_courses,omitempty"`
	InterviewPlanned  *bool   `json:"interview_planned,omitempty"`   // the 45-minute interview is planned
	Probationary      *bool   `json:"probationary,omitempty"`        // the licence is probationary
	LicenceObtained   *string `json:"licence_obtained,omitempty"`    // YYYY-MM-DD, for a probationary licence
	Letter48NReceived *string `json:"letter_48n_received,omitempty"` // YYYY-MM-DD
	AttestationSent   *string `json:"attestation_sent,omitempty"`    // YYYY-MM-DD, to the procureur, JAP or SPIP
}

// Choices are the declared strings with a closed set of values; a rule's
// condition may name one ("course_reason=prosecutor|judge").
var Choices = map[string][]string{
	"project_kind":  {"new_building", "extension", "pool", "facade", "joinery", "roof", "fence", "demolition"},
	"course_reason": {"voluntary", "probationary_48n", "prosecutor", "judge"},
}

// Choice reads a declared string of Choices by its JSON name; undeclared
// is "".
func (d Declared) Choice(name string) string {
	var p *string
	switch name {
	case "project_kind":
		p = d.ProjectKind
	case "course_reason":
		p = d.CourseReason
	}
	if p == nil {
		return ""
	}
	return *p
}

// Flags are the names of the declared booleans.
var Flags = []string{"hosted", "licence_holder", "accompanied_driving", "under_guardianship", "usage_name_spouse"}

// Flag reads a declared boolean by its JSON name (one of Flags);
// undeclared is false.
func (d Declared) Flag(name string) bool {
	var p *bool
	switch name {
	case "hosted":
		p = d.Hosted
	case "licence_holder":
		p = d.LicenceHolder
	case "accompanied_driving":
		p = d.AccompaniedDriving
	case "under_guardianship":
		p = d.UnderGuardianship
	case "usage_name_spouse":
		p = d.UsageNameSpouse
	}
	return p != nil && *p
}

// ParseDeclared decodes declared data strictly: an unknown key is an error,
// so a portal's typo does not silently drop a condition.
func ParseDeclared(b []byte) (Declared, error) {
	var d Declared
	if len(bytes.TrimSpace(b)) == 0 {
		return d, nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return d, fmt.Errorf("declared data: %w", err)
	}
	if d.Applicant != nil && d.Applicant.BirthDate != "" {
		if _, err := time.Parse(time.DateOnly, d.Applicant.BirthDate); err != nil {
			return d, fmt.Errorf("declared data: applicant.birth_date %q is not YYYY-MM-DD", d.Applicant.BirthDate)
		}
	}
	for name, p := range map[string]*string{"works_start": d.WorksStart, "course_start": d.CourseStart, "course_end": d.CourseEnd,
		"licence_obtained": d.LicenceObtained, "letter_48n_received": d.Letter48NReceived, "attestation_sent": d.AttestationSent} {
		if p == nil {
			continue
		}
		if _, err := time.Parse(time.DateOnly, *p); err != nil {
			return d, fmt.Errorf("declared data: %s %q is not YYYY-MM-DD", name, *p)
		}
	}
	for name, vals := range Choices {
		if v := d.Choice(name); v != "" && !slices.Contains(vals, v) || v == "" && d.choiceSet(name) {
			return d, fmt.Errorf("declared data: %s %q is not one of %s", name, v, strings.Join(vals, ", "))
		}
	}
	for name, p := range map[string]*float64{"floor_area_created": d.FloorAreaCreated, "footprint_created": d.FootprintCreated,
		"existing_floor_area": d.ExistingFloorArea, "pool_area": d.PoolArea, "pool_cover_height": d.PoolCoverHeight} {
		if p != nil && *p < 0 {
			return d, fmt.Errorf("declared data: %s %v is negative", name, *p)
		}
	}
	if d.PreviousCourses != nil && *d.PreviousCourses < 0 {
		return d, fmt.Errorf("declared data: previous_courses %d is negative", *d.PreviousCourses)
	}
	return d, nil
}

// choiceSet reports whether a choice was declared, even as "".
func (d Declared) choiceSet(name string) bool {
	switch name {
	case "project_kind":
		return d.ProjectKind != nil
	case "course_reason":
		return d.CourseReason != nil
	}
	return false
}

// File is one uploaded file, stored by content hash.
type File struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	Type   Type   `json:"type"`
}

// Dossier is one submission.
type Dossier struct {
	ID        string          `json:"id"`
	Procedure string          `json:"procedure"`
	Submitted time.Time       `json:"submitted"`
	Declared  Declared        `json:"declared"`
	Files     []File          `json:"files"`
	Status    Status          `json:"status"`
	Report    json.RawMessage `json:"report,omitempty"`
	Error     string          `json:"error,omitempty"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}
