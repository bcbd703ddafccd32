// Package wording puts the service's stable codes into words for the people
// who read them: rule IDs, outcomes, verdicts, statuses, document kinds and
// document fields, in French first and in English. Checks write their
// messages in English; the clerk's and the applicant's pages are built from
// these codes instead, with the English message kept as secondary text.
package wording

import (
	"strings"
)

// Lang is a language of the pages.
type Lang string

const (
	FR Lang = "fr"
	EN Lang = "en"
)

// Parse reads a language code; anything but English is French, the
// default.
func Parse(s string) Lang {
	if strings.HasPrefix(strings.ToLower(s), "en") {
		return EN
	}
	return FR
}

// text is one wording in both languages.
type text struct{ fr, en string }

func (t text) in(l Lang) string {
	if l == EN && t.en != "" {
		return t.en
	}
	return t.fr
}

// Rule is the wording of one rule of the catalogue (checks/procedures.json)
// or of the pipeline's own document rules, keyed by rule ID and by the
// rule's "what" where an ID covers several things.
type Rule struct {
	// What the rule looks at, as the catalogue's "what" says it.
	What text
	// Ask tells the applicant, without rule jargon, what to send when the
	// rule failed.
	Ask text
}

// rule is shorthand for the table below: the French what, the French ask.
func rule(whatFR, askFR, whatEN string) Rule {
	return Rule{What: text{whatFR, whatEN}, Ask: text{askFR, ""}}
}

// rules: "ID" or "ID|English what" (checks/procedures.json) → wording. The
// ID alone is the fallback for a finding whose message names no known
// "what". TestEveryCatalogueRuleWorded keeps it complete.
var rules = map[string]Rule{
	"ANTS-2|identity document":                                                   rule("pièce d'identité", "une copie couleur, recto et verso, de votre carte d'identité ou de votre passeport en cours de validité", "identity document"),
	"ANTS-4|proof of address":                                                    rule("justificatif de domicile de moins de 6 mois", "un justificatif de domicile (facture, avis d'imposition) daté de moins de 6 mois", "proof of address"),
	"ANTS-5|attestation d'hébergement":                                           rule("attestation d'hébergement", "l'attestation d'hébergement signée par la personne qui vous héberge", "hosting attestation"),
	"ANTS-5|host's identity document (besides the applicant's)":                  rule("pièce d'identité de l'hébergeant", "une copie couleur, recto et verso, de la pièce d'identité de la personne qui vous héberge", "host's identity document"),
	"ANTS-5|host's name":                                                         rule("nom de l'hébergeant sur le justificatif de domicile", "un justificatif de domicile au nom de la personne qui vous héberge", "host's name"),
	"ANTS-6|ID photo":                                                            rule("photo d'identité", "une photo d'identité numérique récente", "ID photo"),
	"ANTS-9|current driving licence":                                             rule("permis de conduire en cours", "une copie de votre permis de conduire actuel", "current driving licence"),
	"ANTS-11|attestation de fin de conduite accompagnée":                         rule("attestation de fin de conduite accompagnée", "l'attestation de fin de conduite accompagnée", "accompanied driving certificate"),
	"ANTS-12|legal representative's identity document (besides the applicant's)": rule("pièce d'identité du représentant légal", "une copie de la pièce d'identité de votre représentant légal", "legal representative's identity document"),
	"ID-VALID|identity document":                                                 rule("validité de la pièce d'identité", "une pièce d'identité en cours de validité, lisible en entier, bande de lecture automatique comprise", "identity document validity"),
	"ID-NAME|applicant's name":                                                   rule("nom du demandeur identique sur les pièces", "des pièces au même nom que celui de votre demande (ou un justificatif du changement de nom)", "applicant's name"),
	"ID-BIRTH|applicant's birth date":                                            rule("date de naissance du demandeur", "une pièce d'identité où votre date de naissance est lisible et identique à celle de votre demande", "applicant's birth date"),
	"BE-G9|F02 form":                                                             rule("formulaire F02", "le formulaire F02 complété et signé", "F02 form"),
	"BE-G7|theory exam":                                                          rule("examen théorique réussi depuis moins de 3 ans", "la preuve d'un examen théorique réussi depuis moins de 3 ans", "theory exam"),
	"M36-1|candidate":                                                            rule("âge minimum du candidat", "une pièce d'identité montrant que vous avez l'âge requis", "candidate's age"),
	"M36-2|M36 guides":                                                           rule("guides du permis provisoire M36", "les nom, date de naissance et numéro de permis de chaque guide sur le formulaire F02", "M36 guides"),
	"BE-G10|F02 form":                                                            rule("formulaire F02 complété", "le formulaire F02 entièrement complété", "F02 form filled"),
	"BE-G11|reading test":                                                        rule("test de lecture coché", "le formulaire F02 avec la case du test de lecture cochée", "reading test"),
	"BE-G5|candidate's declaration of no disqualification":                       rule("déclaration du candidat : pas de déchéance", "le formulaire F02 avec votre déclaration de non-déchéance cochée", "candidate's declaration"),
	"GD-2|guide":                                                                 rule("permis du guide", "la preuve que chaque guide a le permis B depuis assez longtemps", "guide's licence"),
	"GD-4|guide's declaration of no disqualification in the 3 years before the request": rule("déclaration du guide : pas de déchéance depuis 3 ans", "le formulaire F02 avec la déclaration de chaque guide cochée", "guide's declaration"),
	"ID-NRN|candidate's national register number":                                       rule("numéro de registre national du candidat", "votre numéro de registre national, lisible et correspondant à votre date de naissance", "national register number"),
	"PASS-A4|copy of the current passport":                                              rule("copie du passeport actuel", "une copie de votre passeport actuel", "copy of the current passport"),
	"PASS-A4|ID photo":                                                                  rule("photo d'identité de moins de 6 mois", "une photo d'identité de moins de 6 mois", "ID photo"),
	"PASS-A4|proof of address":                                                          rule("justificatif de domicile de moins d'un an", "un justificatif de domicile de moins d'un an", "proof of address"),
	"PASS-A9|host's signed letter":                                                      rule("lettre signée de l'hébergeant", "une lettre signée de la personne qui vous héberge", "host's signed letter"),
	"PASS-A9|host's identity document (besides the applicant's passport)":               rule("pièce d'identité de l'hébergeant", "une copie de la pièce d'identité de la personne qui vous héberge", "host's identity document"),
	"PASS-A9|host's name":                                                               rule("nom de l'hébergeant sur le justificatif de domicile", "un justificatif de domicile au nom de la personne qui vous héberge", "host's name"),
	"PASS-A1|current passport":                                                          rule("passeport actuel (âge et date d'expiration)", "votre passeport actuel ; s'il a expiré depuis trop longtemps, les pièces d'une première demande", "current passport"),
	"PASS-A6|birth certificate mentioning the marriage, or full copy of the marriage certificate": rule("acte de naissance mentionnant le mariage, ou copie intégrale de l'acte de mariage", "un acte de naissance mentionnant le mariage ou une copie intégrale de l'acte de mariage", "marriage evidence"),
	"PASS-A6|civil-status certificate":                                   rule("acte d'état civil récent", "un acte d'état civil de moins de 3 mois", "civil-status certificate"),
	"STR-8|Cerfa 14004 declaration":                                      rule("déclaration Cerfa 14004", "la déclaration Cerfa 14004 complétée et signée", "Cerfa 14004 declaration"),
	"STR-8|identity document":                                            rule("pièce d'identité du déclarant", "une copie de votre pièce d'identité", "identity document"),
	"MED-1|Cerfa 14880 pre-filled":                                       rule("Cerfa 14880 prérempli", "le formulaire Cerfa 14880 prérempli et complété", "Cerfa 14880"),
	"MED-1|identity document":                                            rule("pièce d'identité", "une copie de votre pièce d'identité", "identity document"),
	"MED-1|annulment decision and its notification letter":               rule("décision d'annulation et sa lettre de notification", "la décision d'annulation de votre permis et sa lettre de notification", "annulment decision"),
	"MED-1|psychotechnical examination result":                           rule("résultat de l'examen psychotechnique", "le résultat de votre examen psychotechnique", "psychotechnical result"),
	"MED-1|biological test results requested in the notification letter": rule("analyses biologiques demandées", "les résultats des analyses biologiques demandées dans la lettre de notification", "biological test results"),
	"MED-4|medical opinion":                                              rule("avis médical encore valable", "un avis médical récent", "medical opinion"),
	"M18-2|certificat d'aptitude":                                        rule("certificat d'aptitude (heures de formation)", "le certificat d'aptitude de l'école de conduite avec le nombre d'heures suivies", "aptitude certificate"),
	"M18-1|candidate":                                                    rule("âge minimum du candidat", "une pièce d'identité montrant que vous avez l'âge requis", "candidate's age"),
	"M18-7|M18 form":                                                     rule("formulaire M18 sans guide", "le formulaire F02 complété pour un permis provisoire sans guide", "M18 form"),
	"M12-3|certificat d'enseignement (6 h de cours pratiques)":           rule("certificat d'enseignement (6 h de cours pratiques)", "le certificat d'enseignement de l'école de conduite (6 heures de cours pratiques), daté après l'expiration du permis provisoire précédent", "teaching certificate"),
	"M12-3|certificat d'enseignement":                                    rule("certificat d'enseignement (heures et date)", "le certificat d'enseignement de l'école de conduite, avec les heures suivies, daté après l'expiration du permis provisoire précédent", "teaching certificate"),
	"M12-6|candidate":                                                    rule("âge minimum du candidat", "une pièce d'identité montrant que vous avez l'âge requis", "candidate's age"),
	"M12-2|M12 guides":                                                   rule("guides du permis provisoire M12", "les nom, date de naissance et numéro de permis de chaque guide sur le formulaire F02", "M12 guides"),
	"M12-1|previous M36 or M18 provisional licence":                      rule("permis provisoire M36 ou M18 précédent", "une copie de votre permis provisoire M36 ou M18 précédent", "previous provisional licence"),
	"M12-1|previous provisional licence":                                 rule("expiration du permis provisoire précédent", "une copie de votre permis provisoire précédent montrant sa date d'expiration", "previous provisional licence"),
	"URB-1|authorisation form":                                           rule("formulaire d'autorisation adapté aux travaux", "le formulaire Cerfa qui correspond à vos travaux (déclaration préalable, permis de construire ou de démolir)", "authorisation form"),
	"URB-2|architect":                                                    rule("recours à un architecte", "le projet signé par un architecte, ou les surfaces exactes si elles restent sous le seuil", "architect"),
	"URB-3|filing before the works":                                      rule("dépôt avant le début des travaux", "une date de début des travaux postérieure à la décision attendue", "filing before the works"),
	"URB-4|instruction period":                                           rule("délai d'instruction", "rien : ce point informe du délai d'instruction", "instruction period"),
	"SSR-1|identity document":                                            rule("pièce d'identité", "une copie de votre pièce d'identité", "identity document"),
	"SSR-2|licence valid (1 point or more)":                              rule("permis valide (au moins 1 point)", "un relevé d'information intégral montrant au moins un point sur votre permis", "licence valid"),
	"SSR-3|one course a year":                                            rule("un stage par an au plus", "la date de votre précédent stage, plus d'un an avant celui-ci", "one course a year"),
	"SSR-4|48N letter":                                                   rule("lettre 48N", "la lettre 48N que vous avez reçue", "48N letter"),
	"SSR-4|course within 4 months of the 48N letter":                     rule("stage dans les 4 mois suivant la lettre 48N", "une attestation de stage suivi dans les 4 mois après la lettre 48N", "course within 4 months"),
	"SSR-5|45-minute interview":                                          rule("entretien de 45 minutes", "la preuve de l'entretien de 45 minutes prévu", "45-minute interview"),
	"SSR-6|points recovered":                                             rule("points récupérés", "rien : ce point informe des points récupérés", "points recovered"),
	"SSR-7|course length":                                                rule("durée du stage (2 jours consécutifs)", "une attestation de stage de deux jours consécutifs", "course length"),
	"SSR-8|attestation sent to the judicial authority":                   rule("attestation envoyée à l'autorité judiciaire", "la preuve de l'envoi de l'attestation de stage à l'autorité judiciaire dans le délai", "attestation sent"),

	// The pipeline's own rules: what is wrong with a file rather than
	// with the dossier.
	"DOC-UNREADABLE": rule("fichier illisible", "le même document dans un fichier lisible (PDF, JPEG, PNG ou TIFF non protégé)", "unreadable file"),
	"DOC-QUALITY":    rule("qualité de l'image insuffisante", "une copie plus nette du document (scan ou photo bien éclairée, entière et droite)", "image quality"),
	"DOC-TYPE":       rule("type de fichier", "le document dans un format accepté : PDF, JPEG, PNG ou TIFF", "file type"),
	"DOC-UNKNOWN":    rule("document non reconnu", "le document demandé ; le fichier envoyé n'a pas été reconnu comme une pièce du dossier", "unrecognised document"),
	"DOC-PDF":        rule("PDF protégé ou à contenu actif", "le document en PDF sans mot de passe ni contenu actif, ou en image", "protected PDF"),
	"2DDOC":          rule("code 2D-Doc (signature du document)", "l'original du document avec son code 2D-Doc, sans retouche", "2D-Doc code"),
}

// ruleSources cite, for the pipeline's own rules, the text that makes a
// piece required: a piece that cannot be read cannot show what the
// procedure asks of it.
var ruleSources = map[string]string{
	"DOC-UNREADABLE": "RULES.md §1 : pièces exigées par chaque procédure ; une pièce illisible ne prouve rien",
	"DOC-QUALITY":    "RULES.md §1 : pièces exigées par chaque procédure ; une pièce illisible ne prouve rien",
	"DOC-TYPE":       "RULES.md §1 : pièces exigées par chaque procédure (fichiers PDF, JPEG, PNG ou TIFF)",
	"DOC-UNKNOWN":    "RULES.md §1 : pièces exigées par chaque procédure",
	"DOC-PDF":        "RULES.md §1 : pièces exigées par chaque procédure ; un PDF protégé ne peut être lu",
	"2DDOC":          "ANTS, spécifications techniques des codes 2D-Doc v3.2.6 §3.5 ; RULES.md §3",
}

// RuleFor finds the wording of a finding of rule id whose English message
// is msg: the catalogue entry whose "what" the message names (the longest
// one), else the entry of that ID whose "what" sorts first. ok is false for
// an unknown ID.
func RuleFor(id, msg string) (Rule, bool) {
	if r, ok := rules[id]; ok {
		return r, true
	}
	var best Rule
	bestWhat, bestLen, found := "", -1, false
	lower := strings.ToLower(msg)
	for key, r := range rules {
		rid, what, ok := strings.Cut(key, "|")
		if !ok || rid != id {
			continue
		}
		n := -1
		if strings.Contains(lower, strings.ToLower(what)) {
			n = len(what)
		}
		if !found || n > bestLen || (n == bestLen && what < bestWhat) {
			best, bestWhat, bestLen, found = r, what, n, true
		}
	}
	return best, found
}

// WhatIn is the thing a rule looks at, in l.
func (r Rule) WhatIn(l Lang) string { return r.What.in(l) }

// AskIn is what the applicant is asked to send, in French (the letter is
// French; English falls back to it).
func (r Rule) AskIn(l Lang) string { return r.Ask.in(l) }

// Source is how a finding's source is shown: its official references,
// without the service's internal documents; the pipeline's own rules cite
// the text that requires the piece.
func Source(id, source string) string {
	var keep []string
	for _, part := range strings.Split(source, ";") {
		p := strings.TrimSpace(part)
		if p == "" || strings.Contains(p, "docs/") || strings.Contains(p, "verdict policy") {
			continue
		}
		keep = append(keep, p)
	}
	if len(keep) == 0 {
		if s, ok := ruleSources[id]; ok {
			return s
		}
		return "RULES.md"
	}
	return strings.Join(keep, " ; ")
}

var outcomes = map[string]text{
	"pass":   {"conforme", "passed"},
	"fail":   {"non conforme", "failed"},
	"review": {"à vérifier par un agent", "needs a clerk's look"},
}

// Outcome names a finding's outcome.
func Outcome(o string, l Lang) string { return word(outcomes, o, l) }

var verdicts = map[string]text{
	"accept": {"accepté", "accept"},
	"reject": {"rejeté", "reject"},
	"review": {"à examiner", "review"},
	"":       {"pas encore de verdict", "no verdict yet"},
}

// Verdict names a verdict (or a clerk's decision).
func Verdict(v string, l Lang) string { return word(verdicts, v, l) }

var statuses = map[string]text{
	"received":   {"reçu", "received"},
	"queued":     {"en attente de lecture", "queued"},
	"processing": {"en cours de lecture", "processing"},
	"done":       {"lu", "done"},
	"failed":     {"échec de la lecture", "failed"},
}

// Status names a dossier's processing status.
func Status(s string, l Lang) string { return word(statuses, s, l) }

var kinds = map[string]text{
	"accompanied_driving_certificate": {"attestation de fin de conduite accompagnée", "accompanied driving certificate"},
	"annulment_decision":              {"décision d'annulation du permis", "annulment decision"},
	"aptitude_certificate":            {"certificat d'aptitude", "aptitude certificate"},
	"biology_result":                  {"résultat d'analyses biologiques", "biology result"},
	"birth_certificate":               {"acte de naissance", "birth certificate"},
	"cerfa_14004":                     {"Cerfa 14004 (meublé de tourisme)", "Cerfa 14004"},
	"cerfa_14880":                     {"Cerfa 14880 (contrôle médical)", "Cerfa 14880"},
	"cerfa_dp":                        {"Cerfa déclaration préalable", "Cerfa DP"},
	"cerfa_pc":                        {"Cerfa permis de construire", "Cerfa PC"},
	"cerfa_pd":                        {"Cerfa permis de démolir", "Cerfa PD"},
	"driving_licence":                 {"permis de conduire", "driving licence"},
	"driving_school_certificate":      {"certificat d'école de conduite", "driving school certificate"},
	"f02_form":                        {"formulaire F02", "F02 form"},
	"hosting_attestation":             {"attestation d'hébergement", "hosting attestation"},
	"id_photo":                        {"photo d'identité", "ID photo"},
	"identity_card":                   {"carte d'identité", "identity card"},
	"letter_48n":                      {"lettre 48N", "48N letter"},
	"marriage_certificate":            {"acte de mariage", "marriage certificate"},
	"passport":                        {"passeport", "passport"},
	"points_statement":                {"relevé d'information intégral (points)", "points statement"},
	"proof_of_address":                {"justificatif de domicile", "proof of address"},
	"provisional_licence":             {"permis provisoire", "provisional licence"},
	"psychotechnical_result":          {"résultat d'examen psychotechnique", "psychotechnical result"},
	"residence_permit":                {"titre de séjour", "residence permit"},
	"stage_attestation":               {"attestation de stage", "course attestation"},
	"tax_notice":                      {"avis d'imposition", "tax notice"},
	"unknown":                         {"non reconnu", "unknown"},
}

// Kind names a document kind.
func Kind(k string, l Lang) string { return word(kinds, k, l) }

// KnownKind says whether k has a wording.
func KnownKind(k string) bool { _, ok := kinds[k]; return ok }

var fields = map[string]text{
	"addressee":           {"destinataire", "addressee"},
	"birth_dates":         {"dates de naissance lues", "birth dates read"},
	"candidate_name":      {"nom du candidat", "candidate's name"},
	"due_dates":           {"dates d'échéance", "due dates"},
	"exam_dates":          {"dates d'examen", "exam dates"},
	"expiry_date":         {"date d'expiration", "expiry date"},
	"expiry_dates":        {"dates d'expiration lues", "expiry dates read"},
	"first_names":         {"prénoms", "first names"},
	"issue_dates":         {"dates d'émission", "issue dates"},
	"last_name":           {"nom", "last name"},
	"mrz":                 {"bande MRZ", "MRZ"},
	"2ddoc":               {"code 2D-Doc", "2D-Doc"},
	"national_numbers":    {"numéros de registre national", "national numbers"},
	"obtained_dates":      {"dates d'obtention", "obtained dates"},
	"ocr_mean_confidence": {"confiance moyenne de la lecture", "mean OCR confidence"},
	"pdf":                 {"PDF", "PDF"},
	"period_dates":        {"dates de période", "period dates"},
	"request_dates":       {"dates de demande", "request dates"},
	"host":                {"hébergeant", "host"},
	"pages_turned_180":    {"pages lues retournées", "pages read upside down"},
	"pages_turned_90":     {"pages lues tournées d'un quart", "pages read turned a quarter"},
}

// Field names a document field.
func Field(f string, l Lang) string { return word(fields, f, l) }

var twoDDoc = map[string]text{
	"valid":         {"signature valide", "signature valid"},
	"bad_signature": {"signature invalide", "bad signature"},
	"unknown_cert":  {"certificat inconnu", "unknown certificate"},
	"out_of_period": {"signé hors de la période du certificat", "signed outside the certificate's period"},
	"test_ca":       {"autorité de test refusée", "test authority refused"},
}

// TwoDDocStatus names a 2D-Doc verification status.
func TwoDDocStatus(s string, l Lang) string { return word(twoDDoc, s, l) }

// word looks a code up, and shows the code itself when it has no wording:
// a code is never hidden.
func word(m map[string]text, code string, l Lang) string {
	if t, ok := m[code]; ok {
		return t.in(l)
	}
	return code
}

// UI is a word of the pages' own interface, by key.
func UI(key string, l Lang) string {
	if t, ok := ui[key]; ok {
		return t.in(l)
	}
	return key
}

// procedures: the catalogue's titles (checks/procedures.json), in French,
// and in English.
var procedures = map[string]text{
	"fr-ants-permis":           {"ANTS : titre après réussite à l'examen du permis de conduire", "ANTS: licence after passing the driving test"},
	"be-pcp-m36":               {"Permis de conduire provisoire B modèle 36 (avec guide)", "Belgian provisional licence M36 (with guide)"},
	"fr-passeport-etranger":    {"Renouvellement du passeport d'un majeur à l'étranger", "Adult passport renewal abroad"},
	"fr-meuble-declaration":    {"Déclaration de meublé de tourisme (Cerfa 14004)", "Furnished tourist rental declaration (Cerfa 14004)"},
	"fr-controle-medical":      {"Contrôle médical après annulation du permis (Cerfa 14880)", "Medical check after licence annulment (Cerfa 14880)"},
	"be-pcp-m18":               {"Permis de conduire provisoire B modèle 18 (sans guide)", "Belgian provisional licence M18 (without guide)"},
	"be-pcp-m12":               {"Permis de conduire provisoire B modèle 12 (avec guide)", "Belgian provisional licence M12 (with guide)"},
	"fr-urbanisme":             {"Urbanisme : autorisation de travaux déposée en mairie", "Planning: works authorisation filed at the town hall"},
	"fr-stage-sensibilisation": {"Stage de sensibilisation à la sécurité routière", "Road-safety awareness course"},
}

// Procedure names a procedure by its code.
func Procedure(code string, l Lang) string { return word(procedures, code, l) }
