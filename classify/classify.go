// Package classify decides what kind of document a file is, from its text,
// its form fields and its MRZ, with a confidence.
package classify

import (
	"strings"

	"dossiercheck/extract"
)

// Kinds of document (the report contract, docs/api.md).
const (
	IdentityCard    = "identity_card"
	Passport        = "passport"
	ResidencePermit = "residence_permit"
	DrivingLicence  = "driving_licence"
	ProofOfAddress  = "proof_of_address"
	Hosting         = "hosting_attestation"
	IDPhoto         = "id_photo"
	F02Form         = "f02_form"
	Cerfa14004      = "cerfa_14004"
	Cerfa14880      = "cerfa_14880"
	TaxNotice       = "tax_notice"
	// ProvisionalLicence is a Belgian provisional licence (M36, M18): the
	// card itself, not the F02 request form.
	ProvisionalLicence = "provisional_licence"
	Unknown            = "unknown"
)

// signs are phrases (folded: lower case, no accents) that point at a kind,
// with their weight. A kind needs a total of at least 2 to be chosen.
var signs = map[string][]struct {
	phrase string
	weight float64
}{
	ProofOfAddress: {{"facture", 1}, {"electricite", 1}, {"gaz", 0.5}, {"eau", 0.3}, {"consommation", 1},
		{"quittance de loyer", 2}, {"abonnement", 0.5}, {"kwh", 1}, {"justificatif de domicile", 1},
		{"telephone", 0.3}, {"attestation d'assurance habitation", 2}, {"montant total", 0.5}},
	TaxNotice:                         {{"avis d'impot", 2}, {"avis d'imposition", 2}, {"impot sur le revenu", 1.5}, {"revenu fiscal de reference", 1.5}},
	IdentityCard:                      {{"carte nationale d'identite", 2}, {"identity card", 1}, {"republique francaise", 0.5}, {"carte d'identite", 2}},
	Passport:                          {{"passeport", 2}, {"passport", 1}},
	ResidencePermit:                   {{"titre de sejour", 2}, {"residence permit", 1}},
	DrivingLicence:                    {{"permis de conduire", 1}, {"driving licence", 1}},
	Hosting:                           {{"attestation d'hebergement", 2}, {"certifie heberger", 2}, {"heberge a mon domicile", 2}},
	F02Form:                           {{"f02", 1.5}, {"permis de conduire provisoire", 1}, {"demande", 0.5}, {"signature du demandeur", 1}, {"avec guide", 0.5}},
	ProvisionalLicence:                {{"permis de conduire provisoire", 1}, {"royaume de belgique", 1}, {"4b.", 1}, {"modele 36", 0.5}, {"modele 18", 0.5}},
	Cerfa14004:                        {{"14004", 2}, {"meuble de tourisme", 1.5}},
	Cerfa14880:                        {{"14880", 2}, {"avis medical", 1}, {"commission medicale", 1}},
	"aptitude_certificate":            {{"certificat d'aptitude", 2}, {"apte a conduire", 1.5}},
	"driving_school_certificate":      {{"certificat d'enseignement", 2}, {"ecole de conduite", 1}, {"auto-ecole", 0.5}},
	"jdc_certificate":                 {{"journee defense et citoyennete", 2}, {"jdc", 1}},
	"assr2_certificate":               {{"assr", 1.5}, {"securite routiere de second niveau", 2}},
	"accompanied_driving_certificate": {{"conduite accompagnee", 2}},
	"annulment_decision":              {{"annulation du permis", 2}, {"decision d'annulation", 2}},
	"psychotechnical_result":          {{"psychotechnique", 2}},
	"medical_certificate":             {{"certificat medical", 2}, {"attestation medicale", 2}, {"ophtalmologue", 1}},
	"biology_result":                  {{"biologie medicale", 2}, {"compte rendu d'analyses", 2}, {"laboratoire", 0.5}},
	"birth_certificate":               {{"acte de naissance", 2}},
	"marriage_certificate":            {{"acte de mariage", 2}},
}

// Input is what classification looks at.
type Input struct {
	Text      string            // all pages
	Fields    map[string]string // AcroForm fields, if any
	MRZFormat string            // "TD1", "TD3", "FR-CNI" or ""
	MRZCode   string            // document code of the MRZ (ID, P, …)
	Words     int               // words read on all pages
	Aspect    float64           // width / height of the first page
	Pages     int
}

// Result is a kind and how sure we are (0–1).
type Result struct {
	Kind       string
	Confidence float64
}

// Classify picks the best-scoring kind.
func Classify(in Input) Result {
	// An MRZ that parsed is the strongest evidence there is.
	switch {
	case in.MRZFormat == "TD3" || strings.HasPrefix(in.MRZCode, "P"):
		return Result{Passport, 0.95}
	case in.MRZFormat != "" && strings.HasPrefix(in.MRZCode, "I"):
		return Result{IdentityCard, 0.95}
	}
	// Our forms' field names (docs/api.md).
	for _, f := range [...]struct{ field, kind string }{{"theorie_date", F02Form}, {"meuble_adresse", Cerfa14004}, {"avis_medical", Cerfa14880}} {
		if _, ok := in.Fields[f.field]; ok {
			return Result{f.kind, 0.95}
		}
	}
	// A photo: almost no text on a small portrait page (35×45 mm is 0.78).
	if in.Words <= 3 && in.Pages == 1 && in.Aspect > 0.74 && in.Aspect < 0.82 {
		return Result{IDPhoto, 0.8}
	}
	text := extract.Fold(in.Text)
	best, bestScore, total := Unknown, 0.0, 0.0
	for kind, ss := range signs {
		score := 0.0
		for _, s := range ss {
			if strings.Contains(text, s.phrase) {
				score += s.weight
			}
		}
		total += score
		if score > bestScore {
			best, bestScore = kind, score
		}
	}
	if bestScore < 2 {
		return Result{Unknown, 0}
	}
	// Confidence: the winner's share of all evidence, capped by how much
	// evidence there is.
	conf := bestScore / total * min(1, bestScore/4)
	return Result{best, round2(conf)}
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }
