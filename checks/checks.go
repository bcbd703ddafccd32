// Package checks applies a procedure's rules to the documents the pipeline
// read. Procedures are data (procedures.json, embedded and versioned); each
// rule names one small check function.
package checks

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"dossiercheck/classify"
	"dossiercheck/dates"
	"dossiercheck/dossier"
	"dossiercheck/extract"
	"dossiercheck/report"
)

//go:embed procedures.json
var catalogueJSON []byte

// Rule is one catalogue entry.
type Rule struct {
	ID    string `json:"id"`
	Check string `json:"check"`
	// When makes the rule conditional: a declared flag,
	// "minor_or_guardianship", a declared choice "NAME=VALUE|VALUE…"
	// (dossier.Choices: "course_reason=prosecutor|judge"), or "mentions:KIND:PHRASE|PHRASE…" (a
	// document of KIND says one of the phrases, folded: MED-1's biology
	// results "if requested in the letter").
	When   string   `json:"when,omitempty"`
	Kinds  []string `json:"kinds"`
	Count  int      `json:"count,omitempty"` // pieces needed, default 1
	Months int      `json:"months,omitempty"`
	Years  int      `json:"years,omitempty"`
	Min    int      `json:"min,omitempty"`
	Max    int      `json:"max,omitempty"`
	Fields []string `json:"fields,omitempty"` // form fields the rule reads
	Hours  int      `json:"hours,omitempty"`
	Days   int      `json:"days,omitempty"`
	// OrText is a phrase (folded) that satisfies the rule instead
	// (M18-2: "3 mois de stage" in Wallonia).
	OrText string `json:"or_text,omitempty"`
	// After is the kind of document whose expiry the rule's documents
	// must follow (M12-3).
	After string `json:"after,omitempty"`
	// At is the date an age is reached by: "" for the request, "issue"
	// for the document's own issue date (PASS-A1).
	At string `json:"at,omitempty"`
	// MustHaveExpired: the document must no longer be valid (M12-4).
	MustHaveExpired bool   `json:"must_have_expired,omitempty"`
	Model           string `json:"model,omitempty"` // the F02 model box that must be ticked
	// OrDoc, "kind:phrase", is a document that replaces a box left
	// unticked: one of that kind whose text (folded) holds the phrase
	// (BE-G11: an ophthalmologist's Group-1 attestation).
	OrDoc string `json:"or_doc,omitempty"`
	// Missing is the outcome of a box left unticked when the text allows
	// another proof (BE-G11: an ophthalmologist's attestation): "review".
	// Default "fail".
	Missing report.Outcome `json:"missing,omitempty"`
	// Against is the kind of document whose printed national number the
	// form's must equal when one was read (ID-NRN: the identity card).
	Against string `json:"against,omitempty"`
	What    string `json:"what"`
	Source  string `json:"source"`
}

// Procedure is one administrative procedure.
type Procedure struct {
	Code  string `json:"code"`
	Title string `json:"title"`
	Rules []Rule `json:"rules"`
	// Pending lists the rules of the texts not automated yet; while any is
	// left, the procedure's dossiers go to review, never to accept.
	Pending []string `json:"pending,omitempty"`
}

// Catalogue is every procedure, versioned.
type Catalogue struct {
	Version    string      `json:"version"`
	Procedures []Procedure `json:"procedures"`
}

// Dated is a date read on a document with its label and evidence.
type Dated struct {
	Label      string // extract.Label values, plus "request" for form fields
	Date       time.Time
	Confidence float64 // of the words the date was read from
	Evidence   report.Evidence
	// Authoritative marks a typed AcroForm value (it names its field, so a
	// guide's birth date printed on the same form is not taken for the
	// candidate's) or a date from a 2D-Doc whose signature was verified: it
	// outranks dates read on the page.
	Authoritative bool
	// Scanned marks an authoritative date read by OCR on a paper form
	// rather than typed: it names its field, but its digits are only as
	// sure as their reading.
	Scanned bool
}

// Doc is a document as the checks see it.
type Doc struct {
	File       string
	Kind       string
	Confidence float64
	Unreadable string // why the document could not be read; "" if it was
	Dates      []Dated
	Claims     []Claim           // names given for the applicant (personal data)
	Form       map[string]string // values by field name (docs/api.md), typed or read on a scan; nil when none was read
	Text       string            // all pages' text (personal data: never logged)
	// MRZ is what was made of the document's machine-readable zone; nil
	// when none was seen on it.
	MRZ *MRZRead
	// FormDoubt says, by field name, why a value read on a scanned form
	// cannot be trusted (a tick box neither ticked nor empty, a label not
	// found in its section, an unsure OCR): the rules using it go to
	// review.
	FormDoubt map[string]string
}

// MRZRead is a machine-readable zone as the pipeline read it.
type MRZRead struct {
	Valid bool
	// Problem says why it is not valid: the check digits that failed, or
	// a zone seen on the page that could not be read.
	Problem string
	// Repaired says which characters a repair changed ("" when the zone
	// was read as it is): a repair is kept only when it is the one variant
	// the check digits allow.
	Repaired string
	Evidence report.Evidence
}

// Input is a dossier ready to be checked.
type Input struct {
	Procedure string
	Submitted time.Time
	Declared  dossier.Declared
	Docs      []Doc
}

type checkFunc func(Rule, Input) *report.Finding

// Checker applies the catalogue.
type Checker struct {
	cat    Catalogue
	procs  map[string]Procedure
	checks map[string]checkFunc
}

// Load reads the embedded catalogue and verifies it (newChecker): a rule
// that names an unknown check, kind, condition or date label, lacks a
// parameter its check needs, or carries a key no rule has, fails to load
// rather than check nothing.
func Load() (*Checker, error) {
	return parseCatalogue(catalogueJSON)
}

func parseCatalogue(data []byte) (*Checker, error) {
	var cat Catalogue
	if err := json.Unmarshal(data, &cat); err != nil {
		return nil, fmt.Errorf("procedure catalogue: %w", err)
	}
	if err := unknownKeys(data); err != nil {
		return nil, fmt.Errorf("procedure catalogue: %w", err)
	}
	return newChecker(cat)
}

// unknownKeys finds a key the catalogue's types do not have: "month" for
// "months" would otherwise be dropped by the decoder and the rule checked
// against zero months, "pendng" for "pending" a procedure's rules left to
// automate forgotten, and its dossiers accepted.
func unknownKeys(data []byte) error {
	var cat map[string]json.RawMessage
	if err := json.Unmarshal(data, &cat); err != nil {
		return err
	}
	if k := strayKey(cat, reflect.TypeFor[Catalogue]()); k != "" {
		return fmt.Errorf("unknown key %q", k)
	}
	var procs []map[string]json.RawMessage
	if err := json.Unmarshal(cat["procedures"], &procs); err != nil {
		return err
	}
	for _, p := range procs {
		var code string
		_ = json.Unmarshal(p["code"], &code)
		if k := strayKey(p, reflect.TypeFor[Procedure]()); k != "" {
			return fmt.Errorf("%s: unknown key %q", code, k)
		}
		var rules []map[string]json.RawMessage
		if err := json.Unmarshal(p["rules"], &rules); err != nil {
			return fmt.Errorf("%s: %w", code, err)
		}
		for _, r := range rules {
			var id string
			_ = json.Unmarshal(r["id"], &id)
			if k := strayKey(r, reflect.TypeFor[Rule]()); k != "" {
				return fmt.Errorf("%s rule %s: unknown key %q", code, id, k)
			}
		}
	}
	return nil
}

// strayKey returns the first key of obj, in order, that no field of t
// names in its JSON tag; "" when there is none.
func strayKey(obj map[string]json.RawMessage, t reflect.Type) string {
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		if _, ok := fieldByJSON(t, k); !ok {
			return k
		}
	}
	return ""
}

// fieldByJSON finds the index of the field of struct type t whose JSON
// name is name.
func fieldByJSON(t reflect.Type, name string) (int, bool) {
	for i := range t.NumField() {
		if n, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); n == name {
			return i, true
		}
	}
	return 0, false
}

// newChecker verifies that every rule of cat names a known check.
func newChecker(cat Catalogue) (*Checker, error) {
	c := &Checker{cat: cat, procs: map[string]Procedure{}, checks: map[string]checkFunc{
		"piece":          checkPiece,
		"issued_within":  checkIssuedWithin,
		"exam_within":    checkExamWithin,
		"min_age":        checkMinAge,
		"guides":         checkGuides,
		"guide_licence":  checkGuideLicence,
		"form_filled":    checkFormFilled,
		"form_ticked":    checkFormTicked,
		"same_name":      checkSameName,
		"same_birth":     checkSameBirth,
		"expired_within": checkExpiredWithin,
		"hours":          checkHours,
		"after_expiry":   checkAfterExpiry,
		"nrn_birth":      checkNRNBirth,
		"host_name":      checkHostName,
		"id_valid":       checkIDValid,
		// fr-urbanisme (urbanism.go)
		"authorisation":     checkAuthorisation,
		"architect":         checkArchitect,
		"filed_before":      checkFiledBefore,
		"instruction_delay": checkInstructionDelay,
		// fr-stage-sensibilisation (course.go)
		"points_valid":       checkPointsValid,
		"course_interval":    checkCourseInterval,
		"course_within":      checkCourseWithin,
		"interview":          checkInterview,
		"points_recovered":   checkPointsRecovered,
		"course_days":        checkCourseDays,
		"attestation_within": checkAttestationWithin,
	}}
	for _, p := range cat.Procedures {
		for _, r := range p.Rules {
			if c.checks[r.Check] == nil {
				return nil, fmt.Errorf("procedure catalogue: %s rule %s: unknown check %q", p.Code, r.ID, r.Check)
			}
			if err := validWhen(r.When); err != nil {
				return nil, fmt.Errorf("procedure catalogue: %s rule %s: %w", p.Code, r.ID, err)
			}
			orDoc, _, _ := strings.Cut(r.OrDoc, ":")
			for _, k := range append(slices.Clone(r.Kinds), r.After, r.Against, orDoc) {
				if k != "" && !classify.Known(k) {
					return nil, fmt.Errorf("procedure catalogue: %s rule %s: unknown document kind %q", p.Code, r.ID, k)
				}
			}
			if len(r.Kinds) == 0 {
				return nil, fmt.Errorf("procedure catalogue: %s rule %s: no document kind", p.Code, r.ID)
			}
			if err := validParams(r); err != nil {
				return nil, fmt.Errorf("procedure catalogue: %s rule %s: %w", p.Code, r.ID, err)
			}
		}
		c.procs[p.Code] = p
	}
	return c, nil
}

// Version is the catalogue version every report carries.
func (c *Checker) Version() string { return c.cat.Version }

// Known reports whether a procedure code exists.
func (c *Checker) Known(code string) bool { _, ok := c.procs[code]; return ok }

// Codes lists the procedure codes.
func (c *Checker) Codes() []string {
	var out []string
	for k := range c.procs {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Rules lists the rule IDs of a procedure, in catalogue order, once each
// (a rule may take several catalogue entries: ANTS-5's three pieces).
func (c *Checker) Rules(code string) []string {
	var out []string
	for _, r := range c.procs[code].Rules {
		if !slices.Contains(out, r.ID) {
			out = append(out, r.ID)
		}
	}
	return out
}

// Check runs every applicable rule of the input's procedure.
func (c *Checker) Check(in Input) ([]report.Finding, error) {
	p, ok := c.procs[in.Procedure]
	if !ok {
		return nil, fmt.Errorf("unknown procedure %q", in.Procedure)
	}
	if len(p.Rules) == 0 {
		// Never accept what was not checked.
		return []report.Finding{{Rule: "CATALOGUE", Outcome: report.NeedsLook,
			Message:  "the rules of this procedure are not automated yet: a clerk must check the whole dossier",
			Evidence: []report.Evidence{}, Source: "dossiercheck verdict policy (docs/verdict-policy.md)"}}, nil
	}
	var out []report.Finding
	if len(p.Pending) > 0 {
		out = append(out, report.Finding{Rule: "CATALOGUE", Outcome: report.NeedsLook,
			Message:  "rules not automated yet, a clerk must check them: " + strings.Join(p.Pending, ", "),
			Evidence: []report.Evidence{}, Source: "dossiercheck verdict policy (docs/verdict-policy.md)"})
	}
	for _, r := range p.Rules {
		if r.When != "" && !applies(r.When, in) {
			continue
		}
		f := c.checks[r.Check](r, in)
		if f == nil {
			// Accept rests on evidence read: a rule that found nothing to
			// check is a clerk's look, never silence.
			f = unchecked(r, in)
		}
		f.Rule, f.Source = r.ID, r.Source
		if f.Evidence == nil {
			f.Evidence = []report.Evidence{}
		}
		out = append(out, *f)
	}
	return out, nil
}

// Unconditional lists the rule IDs of a procedure that apply to every
// dossier (no "when"): each must leave a finding in every report.
func (c *Checker) Unconditional(code string) []string {
	var out []string
	for _, r := range c.procs[code].Rules {
		if r.When == "" && !slices.Contains(out, r.ID) {
			out = append(out, r.ID)
		}
	}
	return out
}

// unchecked is the finding of a rule whose check had nothing to rest on:
// none of its documents was read, or they said nothing it could use.
func unchecked(r Rule, in Input) *report.Finding {
	var ev []report.Evidence
	for _, d := range docsOf(in, r.Kinds) {
		ev = append(ev, report.Evidence{File: d.File, Page: 1, Text: fmt.Sprintf("classified as %s; nothing read on it for this rule", d.Kind)})
	}
	ev = append(ev, doubtful(in)...)
	return finding(report.NeedsLook, fmt.Sprintf("%s: could not be checked, nothing was read to check it on (%s)", r.What, strings.Join(r.Kinds, ", ")), ev...)
}

// required names the parameters each check cannot do without: a rule
// lacking one would load and check against zero months, no field, no
// kind. A parameter whose zero means something is not listed: guides' min
// and max (M18-7 allows no guide), piece's count (default 1). A check
// missing from the table needs no parameter but its kinds.
var required = map[string][]string{
	"issued_within":      {"months"},
	"exam_within":        {"years"},
	"min_age":            {"years"},
	"guide_licence":      {"years"},
	"form_filled":        {"fields"},
	"form_ticked":        {"fields"},
	"expired_within":     {"years"},
	"hours":              {"hours"},
	"after_expiry":       {"after"},
	"nrn_birth":          {"fields", "against"},
	"architect":          {"fields", "max"},
	"filed_before":       {"months"},
	"course_interval":    {"years"},
	"course_within":      {"months"},
	"interview":          {"min"},
	"points_recovered":   {"max"},
	"course_days":        {"days"},
	"attestation_within": {"days"},
}

// ageAt is the dates an age may be reached by (Rule.At), besides the
// request's: the labels checkMinAge reads.
var ageAt = []string{string(extract.LabelIssue)}

// validParams verifies a rule's parameters: those its check needs are
// there, the date label it names (at) is one the check reads, the outcome
// of a missing box (missing) is one a finding can have, and the document
// that replaces a box (or_doc) names a phrase.
func validParams(r Rule) error {
	for _, p := range required[r.Check] {
		if !hasParam(r, p) {
			return fmt.Errorf("check %s needs %q, which the rule does not give", r.Check, p)
		}
	}
	if r.At != "" && !slices.Contains(ageAt, r.At) {
		return fmt.Errorf("unknown date label %q in at (known: %s)", r.At, strings.Join(ageAt, ", "))
	}
	if r.Missing != "" && r.Missing != report.NeedsLook && r.Missing != report.Fail {
		return fmt.Errorf("unknown outcome %q in missing (known: %s, %s)", r.Missing, report.NeedsLook, report.Fail)
	}
	if kind, phrase, _ := strings.Cut(r.OrDoc, ":"); r.OrDoc != "" && (kind == "" || phrase == "") {
		return fmt.Errorf("or_doc %q: want KIND:PHRASE", r.OrDoc)
	}
	return nil
}

// hasParam reports whether rule r gives parameter p (its JSON name): a
// value other than its type's zero.
func hasParam(r Rule, p string) bool {
	i, ok := fieldByJSON(reflect.TypeFor[Rule](), p)
	return ok && !reflect.ValueOf(r).Field(i).IsZero()
}

// validWhen: a condition names a declared flag, "minor_or_guardianship"
// or "mentions:KIND:PHRASE". A misspelt one ("hostd") would load and
// silently never apply.
func validWhen(when string) error {
	switch rest, mentions := strings.CutPrefix(when, "mentions:"); {
	case when == "" || when == "minor_or_guardianship" || slices.Contains(dossier.Flags, when):
		return nil
	case choiceWhen(when) != nil:
		name, vals, _ := strings.Cut(when, "=")
		for _, v := range strings.Split(vals, "|") {
			if !slices.Contains(choiceWhen(when), v) {
				return fmt.Errorf("condition %q: %q is not a value of %s (%s)", when, v, name, strings.Join(choiceWhen(when), ", "))
			}
		}
		return nil
	case mentions && strings.Count(rest, ":") == 1 && !strings.HasPrefix(rest, ":") && !strings.HasSuffix(rest, ":"):
		if kind, _, _ := strings.Cut(rest, ":"); !classify.Known(kind) {
			return fmt.Errorf("condition %q: unknown document kind %q", when, kind)
		}
		return nil
	}
	return fmt.Errorf("unknown condition %q (declared flags: %s; minor_or_guardianship; CHOICE=VALUE|VALUE; mentions:KIND:PHRASE)", when, strings.Join(dossier.Flags, ", "))
}

// choiceWhen is the values a "NAME=VALUE|…" condition may name, nil when
// it is not one.
func choiceWhen(when string) []string {
	name, _, ok := strings.Cut(when, "=")
	if !ok || strings.HasPrefix(when, "mentions:") {
		return nil
	}
	return dossier.Choices[name]
}

func applies(when string, in Input) bool {
	if rest, ok := strings.CutPrefix(when, "mentions:"); ok {
		kind, phrase, _ := strings.Cut(rest, ":")
		_, ok := mentioning(in, kind, phrase)
		return ok
	}
	if name, vals, ok := strings.Cut(when, "="); ok {
		v := in.Declared.Choice(name)
		return v != "" && slices.Contains(strings.Split(vals, "|"), v)
	}
	if when == "minor_or_guardianship" {
		if in.Declared.Flag("under_guardianship") {
			return true
		}
		if b, ok := birthDate(in); ok {
			return !dates.AgeAtLeast(b, in.Submitted, 18)
		}
		return false
	}
	return in.Declared.Flag(when)
}

// mentioning finds a readable document of kind whose text (folded) holds
// phrase, or one of its alternatives separated by "|": letters word the
// same request differently ("examens biologiques", "analyses
// biologiques", "bilan biologique").
func mentioning(in Input, kind, phrase string) (Doc, bool) {
	for _, d := range docsOf(in, []string{kind}) {
		text := extract.Fold(d.Text)
		for _, p := range strings.Split(phrase, "|") {
			if p != "" && strings.Contains(text, p) {
				return d, true
			}
		}
	}
	return Doc{}, false
}

// docsOf returns the readable documents of the given kinds.
func docsOf(in Input, kinds []string) []Doc {
	var out []Doc
	for _, d := range in.Docs {
		if d.Unreadable == "" && slices.Contains(kinds, d.Kind) {
			out = append(out, d)
		}
	}
	return out
}

// weakKind is the classification confidence under which a document might
// be another kind than the one it was given (a letter of the medical
// commission's read as the Cerfa it mentions, at 0.07).
const weakKind = 0.2

// doubtful lists the documents that might be the missing piece: unread,
// unclassified or weakly classified ones.
func doubtful(in Input) []report.Evidence {
	var ev []report.Evidence
	for _, d := range in.Docs {
		switch {
		case d.Unreadable != "":
			ev = append(ev, report.Evidence{File: d.File, Page: 1, Text: "unreadable: " + d.Unreadable})
		case d.Kind == "unknown":
			ev = append(ev, report.Evidence{File: d.File, Page: 1, Text: "document kind not recognised"})
		case d.Kind != "id_photo" && d.Confidence > 0 && d.Confidence < weakKind: // 0: no confidence given
			ev = append(ev, report.Evidence{File: d.File, Page: 1, Text: fmt.Sprintf("classified as %s with low confidence (%.2f)", d.Kind, d.Confidence)})
		}
	}
	return ev
}
