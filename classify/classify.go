// Package classify decides what kind of document a file is, from its text,
// its form fields and its MRZ, with a confidence.
package classify

import (
	"slices"
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
	// Urbanism authorisation forms: déclaration préalable (Cerfa 13703,
	// 13404), permis de construire (13406, 13409), permis de démolir
	// (13405).
	CerfaDP = "cerfa_dp"
	CerfaPC = "cerfa_pc"
	CerfaPD = "cerfa_pd"
	// Road-safety course pieces.
	PointsStatement  = "points_statement"
	Letter48N        = "letter_48n"
	StageAttestation = "stage_attestation"
	Unknown          = "unknown"
)

// sign is a phrase (folded: lower case, no accents, matched as whole
// words) that points at a kind, with its weight.
type sign struct {
	phrase string
	weight float64
}

// kindSigns is a kind's signs. outranks lists kinds this one wins over
// whatever their score, because a document of this kind names them: an
// attestation d'hébergement mentions the host's bill and his address.
type kindSigns struct {
	kind     string
	signs    []sign
	outranks []string
}

// signs lists the kinds in priority order: a kind needs a total of at
// least 2 to be chosen, and when two kinds score the same the one listed
// first wins (with a lower confidence). The order is the most specific
// documents first: forms and attestations, which quote the names of
// other documents; then identity documents; then proofs of address; then
// the certificates. Iterating a map here made ties fall by chance.
var signs = []kindSigns{
	{kind: Hosting, outranks: []string{ProofOfAddress, TaxNotice}, signs: []sign{{"attestation d'hebergement", 2},
		{"certifie heberger", 2}, {"heberge a mon domicile", 2}, {"atteste heberger", 2}, {"sur l'honneur heberger", 2},
		{"heberger", 1}, {"hebergement", 1}, {"je soussigne", 0.5}, {"je soussignee", 0.5}}},
	{kind: Cerfa14004, signs: []sign{{"14004", 2}, {"meuble de tourisme", 1.5}}},
	{kind: Cerfa14880, signs: []sign{{"14880", 2}, {"avis medical", 1}, {"commission medicale", 1}}},
	{kind: F02Form, signs: []sign{{"f02", 1.5}, {"permis de conduire provisoire", 1}, {"demande", 0.5},
		{"signature du demandeur", 1}, {"avec guide", 0.5}}},
	{kind: ProvisionalLicence, signs: []sign{{"permis de conduire provisoire", 1}, {"royaume de belgique", 1}, {"4b.", 1},
		{"modele 36", 0.5}, {"modele 18", 0.5}}},
	{kind: Passport, signs: []sign{{"passeport", 2}, {"passport", 1}}},
	{kind: ResidencePermit, signs: []sign{{"titre de sejour", 2}, {"residence permit", 1}}},
	// A card's verso photographed alone has no "carte nationale
	// d'identité": its address, issue date, issuing authority, holder's
	// signature and MRZ say what it is.
	{kind: IdentityCard, signs: []sign{{"carte nationale d'identite", 2}, {"identity card", 1}, {"republique francaise", 0.5},
		{"carte d'identite", 2}, {"adresse", 0.5}, {"date de delivrance", 0.5}, {"autorite", 0.5},
		{"prefecture", 0.5}, {"sous-prefecture", 0.5}, {"signature du titulaire", 1}, {"carte valable jusqu", 1.5}}},
	{kind: DrivingLicence, signs: []sign{{"permis de conduire", 1}, {"driving licence", 1}}},
	{kind: TaxNotice, signs: []sign{{"avis d'impot", 2}, {"avis d'imposition", 2}, {"impot sur le revenu", 1.5},
		{"revenu fiscal de reference", 1.5}}},
	// Telecom bills name an operator, a plan and a line rather than a
	// consumption in kWh.
	{kind: ProofOfAddress, signs: []sign{{"facture", 1}, {"electricite", 1}, {"gaz", 0.5}, {"eau", 0.3}, {"consommation", 1},
		{"quittance de loyer", 2}, {"abonnement", 0.5}, {"kwh", 1}, {"justificatif de domicile", 1},
		{"telephone", 0.3}, {"attestation d'assurance habitation", 2}, {"montant total", 0.5},
		{"forfait", 1}, {"ligne", 0.3}, {"numero d'appel", 1}, {"box internet", 1}, {"internet", 0.5}, {"mobile", 0.3},
		{"livebox", 1}, {"freebox", 1}, {"bbox", 1}, {"free mobile", 1}, {"free", 0.5}, {"orange", 0.5}, {"sfr", 0.5},
		{"bouygues telecom", 1}, {"sosh", 0.5}, {"telecom", 0.5}, {"fibre", 0.3}}},
	{kind: "annulment_decision", signs: []sign{{"annulation du permis", 2}, {"decision d'annulation", 2},
		{"annulation de votre permis", 2}, {"notification de l'annulation", 1}, {"tribunal", 1},
		{"jugement", 1}, {"condamne", 1}, {"suspension du permis", 1.5}, {"ordonnance penale", 1.5},
		{"interdiction de solliciter", 1.5}, {"par ces motifs", 1}}},
	{kind: "psychotechnical_result", signs: []sign{{"psychotechnique", 2}}},
	{kind: "medical_certificate", signs: []sign{{"certificat medical", 2}, {"attestation medicale", 2}, {"attestation ophtalmologique", 2},
		{"certificat ophtalmologique", 2}, {"rapport ophtalmologique", 2}, {"ophtalmologue", 1}}},
	{kind: "biology_result", signs: []sign{{"biologie medicale", 2}, {"compte rendu d'analyses", 2}, {"laboratoire", 0.5}}},
	{kind: "aptitude_certificate", signs: []sign{{"certificat d'aptitude", 2}, {"apte a conduire", 1.5}}},
	{kind: "driving_school_certificate", signs: []sign{{"certificat d'enseignement", 2}, {"ecole de conduite", 1}, {"auto-ecole", 0.5}}},
	{kind: "jdc_certificate", signs: []sign{{"journee defense et citoyennete", 2}, {"jdc", 1}}},
	{kind: "assr2_certificate", signs: []sign{{"assr", 1.5}, {"securite routiere de second niveau", 2}}},
	{kind: "accompanied_driving_certificate", signs: []sign{{"conduite accompagnee", 2}}},
	{kind: "birth_certificate", signs: []sign{{"acte de naissance", 2}}},
	{kind: "marriage_certificate", signs: []sign{{"acte de mariage", 2}}},
	// Urbanism forms, by their printed Cerfa titles and numbers: a DP's
	// title says "non soumis à permis de construire", never "demande de
	// permis de construire", and a PC's "comprenant ou non des
	// démolitions" is not "demande de permis de démolir".
	{kind: CerfaDP, signs: []sign{{"declaration prealable", 2}, {"13703", 1.5}, {"13404", 1.5}, {"non soumis a permis", 1}}},
	{kind: CerfaPC, signs: []sign{{"demande de permis de construire", 2}, {"13406", 1.5}, {"13409", 1.5}}},
	{kind: CerfaPD, signs: []sign{{"demande de permis de demolir", 2}, {"13405", 1.5}}},
	// Road-safety course pieces: the points statement ("relevé
	// d'information intégral"), the ministry's registered letter 48N, the
	// course attestation.
	{kind: PointsStatement, signs: []sign{{"releve d'information integral", 2}, {"releve integral", 2}, {"solde de points", 1},
		{"nombre de points", 1}}},
	{kind: Letter48N, signs: []sign{{"48n", 2}, {"obligation de suivre un stage", 1.5}, {"periode probatoire", 1}}},
	{kind: StageAttestation, signs: []sign{{"attestation de stage", 2}, {"attestation de suivi de stage", 2},
		{"stage de sensibilisation", 1}}},
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
	// Tied lists the kinds that scored as high as Kind and lost only by
	// the fixed order of signs; a caller may send such a document to a
	// clerk.
	Tied []string
}

// Classify picks the best-scoring kind.
func Classify(in Input) Result {
	// An MRZ that parsed is the strongest evidence there is.
	switch {
	case in.MRZFormat == "TD3" || strings.HasPrefix(in.MRZCode, "P"):
		return Result{Passport, 0.95, nil}
	case in.MRZFormat != "" && strings.HasPrefix(in.MRZCode, "I"):
		return Result{IdentityCard, 0.95, nil}
	}
	// Our forms' field names (docs/api.md).
	for _, f := range [...]struct{ field, kind string }{{"theorie_date", F02Form}, {"meuble_adresse", Cerfa14004}, {"avis_medical", Cerfa14880}} {
		if _, ok := in.Fields[f.field]; ok {
			return Result{f.kind, 0.95, nil}
		}
	}
	// A photo: almost no text on a small portrait page (35×45 mm is 0.78).
	if in.Words <= 3 && in.Pages == 1 && in.Aspect > 0.74 && in.Aspect < 0.82 {
		return Result{IDPhoto, 0.8, nil}
	}
	text := extract.Fold(in.Text)
	scores := make([]float64, len(signs))
	total := 0.0
	for i, ks := range signs {
		for _, sg := range ks.signs {
			if containsWord(text, sg.phrase) || cerfaVersion(text, sg.phrase) {
				scores[i] += sg.weight
			}
		}
		scores[i] += mrzLike(text, ks.kind)
		total += scores[i]
	}
	for i, ks := range signs {
		if scores[i] < 2 {
			continue
		}
		for j, other := range signs {
			if slices.Contains(ks.outranks, other.kind) {
				total -= scores[j]
				scores[j] = 0
			}
		}
	}
	best, bestScore := -1, 0.0
	var tied []string
	for i, sc := range scores {
		switch {
		case sc > bestScore:
			best, bestScore, tied = i, sc, nil
		case sc == bestScore && best >= 0:
			tied = append(tied, signs[i].kind)
		}
	}
	if bestScore < 2 {
		return Result{Unknown, 0, nil}
	}
	// Confidence: the winner's share of all evidence, capped by how much
	// evidence there is; halved on a tie, which the list's order decided.
	conf := bestScore / total * min(1, bestScore/4)
	if len(tied) > 0 {
		conf /= 2
	}
	return Result{signs[best].kind, round2(conf), tied}
}

// mrzLike scores lines that look like a machine-readable zone the MRZ
// reader could not parse (a photo of a verso, a misread check digit): a
// run of 25 or more MRZ characters with fillers, whose document code
// says the kind: I (identity card), P (passport).
func mrzLike(text, kind string) float64 {
	score := 0.0
	for _, l := range strings.Split(text, "\n") {
		l = strings.ReplaceAll(strings.TrimSpace(l), " ", "")
		if len(l) < 25 || strings.Count(l, "<") < 3 || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789<") != "" {
			continue
		}
		switch {
		case kind == IdentityCard && (strings.HasPrefix(l, "id") || strings.HasPrefix(l, "i<")),
			kind == Passport && strings.HasPrefix(l, "p<"):
			score = 2
		}
	}
	return score
}

// cerfaVersion: a Cerfa number (five digits) printed with its version,
// "14004*04", whose star OCR dropped or read as another sign: "1400404",
// "14004+04", "14004-04", "14004x04".
func cerfaVersion(text, number string) bool {
	if len(number) != 5 || strings.Trim(number, "0123456789") != "" {
		return false
	}
	for from := 0; ; {
		i := strings.Index(text[from:], number)
		if i < 0 {
			return false
		}
		i += from
		rest := text[i+len(number):]
		if (i == 0 || !wordByte(text[i-1])) && len(rest) >= 2 {
			v := rest
			if v[0] == '*' || v[0] == '+' || v[0] == '-' || v[0] == ' ' || v[0] == 'x' {
				v = v[1:]
			}
			if len(v) >= 2 && isDigit(v[0]) && isDigit(v[1]) && (len(v) == 2 || !wordByte(v[2])) {
				return true
			}
		}
		from = i + 1
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// containsWord reports whether phrase occurs in text as whole words
// ("free" is not in "freedom", "eau" not in "bureau").
func containsWord(text, phrase string) bool {
	for from := 0; ; {
		i := strings.Index(text[from:], phrase)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(phrase)
		if (i == 0 || !wordByte(text[i-1]) || !wordByte(phrase[0])) && (end == len(text) || !wordByte(text[end]) || !wordByte(phrase[len(phrase)-1])) {
			return true
		}
		from = i + 1
	}
}

func wordByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80 }

// Known reports whether kind is a document kind Classify can give (the
// procedure catalogue names only these).
func Known(kind string) bool {
	if kind == IDPhoto || kind == Unknown {
		return true
	}
	for _, k := range signs {
		if k.kind == kind {
			return true
		}
	}
	return false
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }
