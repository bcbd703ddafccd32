package wording

import (
	"regexp"
	"strings"
)

// Evidence text quotes the page, but where nothing could be quoted the
// pipeline and the checks describe what they saw, in English, in a few
// fixed forms. Those forms are put into French here; a quote of the page
// is left as it was read.
var evidenceForms = []struct {
	re *regexp.Regexp
	fr string // $1, $2: the groups; $k1: the group 1 read as a document kind
}{
	{regexp.MustCompile(`^classified as (\S+) \(confidence ([\d.]+)\)$`), "reconnu comme $k1 (confiance $2)"},
	{regexp.MustCompile(`^classified as (\S+) with low confidence \(([\d.]+)\)$`), "reconnu comme $k1, avec une confiance faible ($2)"},
	{regexp.MustCompile(`^classified as (\S+); nothing read on it for this rule$`), "reconnu comme $k1 ; rien n'y a été lu pour cette règle"},
	{regexp.MustCompile(`^classified as (\S+); no addressee read$`), "reconnu comme $k1 ; aucun destinataire lu"},
	{regexp.MustCompile(`^classified as (\S+); no (.+) read$`), "reconnu comme $k1 ; « $2 » non lu"},
	{regexp.MustCompile(`^no document in the dossier$`), "aucun document dans le dossier"},
	{regexp.MustCompile(`^no AcroForm fields$`), "aucun champ de formulaire"},
	{regexp.MustCompile(`^machine-readable zone seen, not read$`), "bande MRZ vue, mais pas lue"},
	{regexp.MustCompile(`^document kind not recognised$`), "type de document non reconnu"},
	{regexp.MustCompile(`^guide boxes empty$`), "cases des guides vides"},
	{regexp.MustCompile(`^no points balance read$`), "aucun solde de points lu"},
	{regexp.MustCompile(`^no course dates read$`), "aucune date de stage lue"},
	{regexp.MustCompile(`^2D-Doc \(signature valid\), no issue date$`), "2D-Doc (signature valide), sans date d'émission"},
	{regexp.MustCompile(`^2D-Doc \(signature valid\) issued (.+)$`), "2D-Doc (signature valide) émis le $1"},
	{regexp.MustCompile(`^unreadable: (.*)$`), "illisible : $1"},
	{regexp.MustCompile(`^form fields? (\S+): (.*)$`), "champ de formulaire $1 : $2"},
	{regexp.MustCompile(`^model ticked: (.*)$`), "modèle coché : $1"},
	{regexp.MustCompile(`^EXIF DateTimeOriginal (.*)$`), "date de prise de vue (EXIF) $1"},
}

// Evidence puts an evidence text into l: in French, the pipeline's own
// descriptions are translated (translated says so) and quotes of the page
// kept.
func Evidence(text string, l Lang) (out string, translated bool) {
	if l != FR {
		return text, false
	}
	for _, f := range evidenceForms {
		m := f.re.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		s := strings.ReplaceAll(f.fr, "$k1", Kind(m[1], FR))
		for i := len(m) - 1; i >= 1; i-- {
			s = strings.ReplaceAll(s, "$"+string(rune('0'+i)), m[i])
		}
		return s, true
	}
	return text, false
}
