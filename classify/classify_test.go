package classify

import "testing"

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		in   Input
		want string
	}{
		{"bill", Input{Text: "FACTURE D'ÉLECTRICITÉ\nConsommation relevée : 1 284 kWh", Words: 40, Pages: 1}, ProofOfAddress},
		{"id card", Input{MRZFormat: "TD1", MRZCode: "ID"}, IdentityCard},
		{"passport", Input{MRZFormat: "TD3", MRZCode: "P"}, Passport},
		{"f02", Input{Fields: map[string]string{"theorie_date": "01/01/2026"}}, F02Form},
		{"photo", Input{Words: 0, Pages: 1, Aspect: 0.78}, IDPhoto},
		{"blank letter", Input{Text: "Bonjour", Words: 1, Pages: 1, Aspect: 0.707}, Unknown},
		{"hosting", Input{Text: "ATTESTATION D'HÉBERGEMENT\nJe certifie héberger", Words: 30, Pages: 1}, Hosting},
	}
	for _, tt := range tests {
		if got := Classify(tt.in); got.Kind != tt.want {
			t.Errorf("%s: got %+v, want %s", tt.name, got, tt.want)
		}
	}
}
