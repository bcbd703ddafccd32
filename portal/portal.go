// Package portal makes the credentials of a portal: an API key, kept by
// the portal and stored only as its SHA-256, and a webhook secret, with
// which the service signs the webhooks it sends the portal.
package portal

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// Key prefixes make a leaked credential recognisable (secret scanners,
// logs) and tell the two apart.
const (
	keyPrefix    = "dck_"
	secretPrefix = "whsec_"
)

// NewKey returns a new API key (256 random bits) and its hash.
func NewKey() (key, hash string) {
	key = keyPrefix + random()
	return key, Hash(key)
}

// Hash is what the store keeps of an API key. A plain SHA-256 suffices:
// the key is random and high-entropy, nothing to guess from its hash.
func Hash(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:])
}

// NewSecret returns a new webhook secret (256 random bits).
func NewSecret() string { return secretPrefix + random() }

func random() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
