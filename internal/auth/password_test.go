package auth

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

var phcRE = regexp.MustCompile(`^\$argon2id\$v=19\$m=65536,t=3,p=2\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestHashPassword(t *testing.T) {
	const pw = "correct horse battery staple"
	h1, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if !phcRE.MatchString(h1) {
		t.Errorf("hash %q is not an argon2id PHC string with 16-byte salt and 32-byte key", h1)
	}
	h2, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if h1 == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, tc := range []struct {
		hash, pw string
		want     bool
	}{
		{h1, pw, true},
		{h2, pw, true},
		{h1, pw + " ", false},
		{h1, "Correct horse battery staple", false},
		{h1, "", false},
	} {
		got, err := CheckPassword(tc.hash, tc.pw)
		if err != nil || got != tc.want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", tc.pw, got, err, tc.want)
		}
	}
	if NeedsRehash(h1) {
		t.Error("NeedsRehash of a fresh hash")
	}
}

// referenceHash was made by the reference C implementation (libargon2,
// argon2id_hash_encoded with t=2, m=1024, p=2, salt "imprint-salt-16b"),
// so that hashes made elsewhere verify here.
const referenceHash = "$argon2id$v=19$m=1024,t=2,p=2$aW1wcmludC1zYWx0LTE2Yg$2+n54aGTAG2FfFsFAWwodbmubZqtALLQWTBN/w2sDIw"

func TestCheckPasswordReference(t *testing.T) {
	for _, tc := range []struct {
		pw   string
		want bool
	}{
		{"correct horse battery staple", true},
		{"correct horse battery stapl", false},
	} {
		got, err := CheckPassword(referenceHash, tc.pw)
		if err != nil || got != tc.want {
			t.Errorf("CheckPassword(reference, %q) = %v, %v; want %v", tc.pw, got, err, tc.want)
		}
	}
	if !NeedsRehash(referenceHash) {
		t.Error("a hash with other parameters does not need rehashing")
	}
}

func TestCheckPasswordMalformed(t *testing.T) {
	const salt, key = "aW1wcmludC1zYWx0LTE2Yg", "2+n54aGTAG2FfFsFAWwodbmubZqtALLQWTBN/w2sDIw"
	for _, tc := range []struct{ name, hash, why string }{
		{"empty", "", "want $argon2id$"},
		{"bcrypt", "$2a$10$abcdefghijklmnopqrstuuJ3Y5pN2yZlJ2s9WqU5wWm4p2C1h7Q6e", "want $argon2id$"},
		{"argon2i", "$argon2i$v=19$m=1024,t=2,p=2$" + salt + "$" + key, `algorithm "argon2i"`},
		{"old version", "$argon2id$v=16$m=1024,t=2,p=2$" + salt + "$" + key, `version "v=16"`},
		{"missing parameter", "$argon2id$v=19$m=1024,t=2$" + salt + "$" + key, "want m, t and p"},
		{"repeated parameter", "$argon2id$v=19$m=1024,m=1024,p=2$" + salt + "$" + key, "parameters"},
		{"unknown parameter", "$argon2id$v=19$m=1024,t=2,x=2$" + salt + "$" + key, `unknown parameter "x"`},
		{"not a number", "$argon2id$v=19$m=lots,t=2,p=2$" + salt + "$" + key, "not a number"},
		{"huge memory", "$argon2id$v=19$m=4194304,t=2,p=2$" + salt + "$" + key, "memory"},
		{"zero time", "$argon2id$v=19$m=1024,t=0,p=2$" + salt + "$" + key, "time 0"},
		{"huge time", "$argon2id$v=19$m=1024,t=1000,p=2$" + salt + "$" + key, "time 1000"},
		{"zero lanes", "$argon2id$v=19$m=1024,t=2,p=0$" + salt + "$" + key, "parallelism"},
		{"padded salt", "$argon2id$v=19$m=1024,t=2,p=2$" + salt + "==$" + key, "salt"},
		{"short salt", "$argon2id$v=19$m=1024,t=2,p=2$YWJj$" + key, "salt"},
		{"short key", "$argon2id$v=19$m=1024,t=2,p=2$" + salt + "$YWJj", "hash is not"},
		{"extra field", "$argon2id$v=19$m=1024,t=2,p=2$" + salt + "$" + key + "$", "want $argon2id$"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, err := CheckPassword(tc.hash, "correct horse battery staple")
			if ok || !errors.Is(err, ErrMalformedHash) {
				t.Fatalf("CheckPassword = %v, %v; want an ErrMalformedHash", ok, err)
			}
			if !strings.Contains(err.Error(), tc.why) {
				t.Errorf("error %q does not say %q", err, tc.why)
			}
			if !NeedsRehash(tc.hash) {
				t.Error("NeedsRehash of a malformed hash is false")
			}
		})
	}
}

func TestValidatePassword(t *testing.T) {
	for _, tc := range []struct {
		pw, why string // why is "" for an accepted password
	}{
		{"correct horse battery staple", ""},
		{"twelve chars", ""},
		{"ééééééé", ""}, // 14 bytes
		{"日本語のパスワード", ""},
		{strings.Repeat("x", 1024), ""},
		{"", "empty"},
		{"short", "too short"},
		{"elevenchars", "too short"},
		{strings.Repeat("x", 1025), "too long"},
		{strings.Repeat(" ", 20), "only spaces"},
		{" \t \u00a0 \u3000      ", "only spaces"},
		{"valid but\x00nul inside", "control character"},
		{"line one\nline two", "control character"},
		{"bad utf-8 \xff\xfe here", "UTF-8"},
	} {
		err := ValidatePassword(tc.pw)
		switch {
		case tc.why == "" && err != nil:
			t.Errorf("ValidatePassword(%q) = %v; want nil", tc.pw, err)
		case tc.why != "" && (!errors.Is(err, ErrWeakPassword) || !strings.Contains(err.Error(), tc.why)):
			t.Errorf("ValidatePassword(%q) = %v; want an ErrWeakPassword saying %q", tc.pw, err, tc.why)
		}
	}
}

func TestDummyHash(t *testing.T) {
	h, err := dummyHash(defaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if !phcRE.MatchString(h) || NeedsRehash(h) {
		t.Fatalf("dummy hash %q is not a current-parameter hash", h)
	}
	if ok, err := CheckPassword(h, ""); ok || err != nil {
		t.Errorf("CheckPassword(dummy, \"\") = %v, %v", ok, err)
	}
}

// BenchmarkHashPassword measures the cost chosen in defaultParams; keep it
// between about 50 and 150 ms on the production servers.
func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}
