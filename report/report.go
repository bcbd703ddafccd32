// Package report defines the verdict document the pipeline produces: the
// documents it read, the findings of every rule, and the verdict they imply.
package report

// Verdict is the decision on a whole dossier.
type Verdict string

const (
	Accept Verdict = "accept"
	Reject Verdict = "reject"
	Review Verdict = "review" // a clerk must look
)

// Outcome is the result of one rule.
type Outcome string

const (
	Pass      Outcome = "pass"
	Fail      Outcome = "fail"
	NeedsLook Outcome = "review"
)

// Evidence points at what a finding rests on. Text quotes the page.
type Evidence struct {
	File string  `json:"file"`
	Page int     `json:"page"`
	Text string  `json:"text"`
	BBox *[4]int `json:"bbox,omitempty"` // x0, y0, x1, y1 in page pixels
}

// Finding is one rule applied to the dossier.
type Finding struct {
	Rule     string     `json:"rule"`
	Outcome  Outcome    `json:"outcome"`
	Message  string     `json:"message"`
	Evidence []Evidence `json:"evidence"`
	Source   string     `json:"source"`
}

// Document is one uploaded file as the pipeline understood it.
type Document struct {
	File       string         `json:"file"`
	Kind       string         `json:"kind"`
	Confidence float64        `json:"confidence"`
	Pages      int            `json:"pages"`
	Fields     map[string]any `json:"fields"`
}

// Report is what a dossier check produces.
type Report struct {
	Procedure    string     `json:"procedure"`
	Submitted    string     `json:"submitted"`
	Verdict      Verdict    `json:"verdict"`
	RulesVersion string     `json:"rules_version"`
	Documents    []Document `json:"documents"`
	Findings     []Finding  `json:"findings"`
}

// Decide applies the verdict policy (docs/verdict-policy.md): any failed
// rule rejects, otherwise any finding that needs a look sends the dossier to
// review, otherwise it is accepted. Rules themselves downgrade a failure to
// review when their evidence is not confident, so a reject always rests on
// confident evidence. Accept rests on passed findings: no finding at all is
// no evidence, and goes to review.
func Decide(findings []Finding) Verdict {
	if len(findings) == 0 {
		return Review
	}
	v := Accept
	for _, f := range findings {
		switch f.Outcome {
		case Fail:
			return Reject
		case NeedsLook:
			v = Review
		}
	}
	return v
}
