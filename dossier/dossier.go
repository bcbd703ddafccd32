// Package dossier holds what a portal submits: the procedure, the declared
// data, the files, and where the dossier stands in processing.
package dossier

import (
	"bytes"
	"encoding/json"
	"fmt"
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
	return d, nil
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
