package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Params are the argon2id cost parameters of a password hash.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over the memory
	Threads uint8  // lanes
}

// defaultParams are the parameters HashPassword uses. 64 MiB and three
// passes over two lanes (one per core of the two-core servers we run on)
// cost about 60 ms there when idle (see BenchmarkHashPassword): each guess
// of an offline attack on a leaked database is expensive while a login
// stays quick. Stored hashes record their own parameters, so raising these
// later keeps old hashes valid; each is replaced at its account's next
// password change. (Login does not rehash: Accounts.UpdateUser writes the
// whole account, and doing so from a login could undo a role change or a
// disable made at the same moment.)
var defaultParams = Params{Memory: 64 * 1024, Time: 3, Threads: 2}

const (
	saltLen = 16
	keyLen  = 32

	// MinPasswordLen and MaxPasswordLen bound a password's length in bytes.
	// The upper bound keeps a login request from costing more than the
	// hash itself.
	MinPasswordLen = 12
	MaxPasswordLen = 1024

	// Bounds on the parameters accepted from a stored hash, so that a
	// corrupt or hostile row cannot make CheckPassword allocate gigabytes
	// or spin for minutes.
	maxMemory  = 1024 * 1024 // 1 GiB
	maxTime    = 64
	maxSaltLen = 64
	maxKeyLen  = 128
)

// ErrWeakPassword is wrapped by ValidatePassword's errors, so that callers
// can tell a refused password from a failure.
var ErrWeakPassword = errors.New("password refused")

// ErrMalformedHash is wrapped by CheckPassword's error for a hash that is
// not an argon2id PHC string it can verify.
var ErrMalformedHash = errors.New("malformed password hash")

// b64 is the PHC string format's base64: standard alphabet, no padding.
var b64 = base64.RawStdEncoding

// HashPassword hashes password with argon2id (64 MiB, three passes, two
// lanes) and a random 16-byte salt, in PHC string form:
// "$argon2id$v=19$m=65536,t=3,p=2$<salt>$<hash>".
func HashPassword(password string) (string, error) {
	return hashWith(password, defaultParams)
}

func hashWith(password string, p Params) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: hash password: read salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, keyLen)
	return formatHash(p, salt, key), nil
}

func formatHash(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// CheckPassword reports whether password matches hash, comparing the
// derived keys in constant time. It returns an error wrapping
// ErrMalformedHash only when hash cannot be read.
func CheckPassword(hash, password string) (bool, error) {
	p, salt, key, err := parseHash(hash)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether hash was made with parameters other than
// HashPassword's (or cannot be read), so that the admin can ask the
// account's owner for a new password.
func NeedsRehash(hash string) bool {
	p, salt, key, err := parseHash(hash)
	return err != nil || p != defaultParams || len(salt) != saltLen || len(key) != keyLen
}

// parseHash reads "$argon2id$v=19$m=M,t=T,p=P$salt$key".
func parseHash(hash string) (Params, []byte, []byte, error) {
	var p Params
	bad := func(why string) (Params, []byte, []byte, error) {
		return p, nil, nil, fmt.Errorf("auth: check password: %w: %s", ErrMalformedHash, why)
	}
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" {
		return bad("want $argon2id$v=…$m=…,t=…,p=…$salt$hash")
	}
	if parts[1] != "argon2id" {
		return bad(fmt.Sprintf("algorithm %q, want argon2id", parts[1]))
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return bad(fmt.Sprintf("version %q, want v=%d", parts[2], argon2.Version))
	}
	seen := map[string]bool{}
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || seen[k] {
			return bad(fmt.Sprintf("parameters %q", parts[3]))
		}
		seen[k] = true
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return bad(fmt.Sprintf("parameter %s=%q is not a number", k, v))
		}
		switch k {
		case "m":
			p.Memory = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			if n > 255 {
				return bad(fmt.Sprintf("parallelism %d above 255", n))
			}
			p.Threads = uint8(n)
		default:
			return bad(fmt.Sprintf("unknown parameter %q", k))
		}
	}
	switch {
	case len(seen) != 3:
		return bad(fmt.Sprintf("parameters %q: want m, t and p", parts[3]))
	case p.Threads < 1:
		return bad("parallelism below 1")
	case p.Time < 1 || p.Time > maxTime:
		return bad(fmt.Sprintf("time %d outside 1..%d", p.Time, maxTime))
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory:
		return bad(fmt.Sprintf("memory %d KiB outside %d..%d", p.Memory, 8*uint32(p.Threads), maxMemory))
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 || len(salt) > maxSaltLen {
		return bad("salt is not 8 to 64 bytes of unpadded base64")
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > maxKeyLen {
		return bad("hash is not 16 to 128 bytes of unpadded base64")
	}
	return p, salt, key, nil
}

// ValidatePassword reports why password may not be used, with an error
// wrapping ErrWeakPassword, or nil. A password must be UTF-8 text of 12 to
// 1024 bytes and not only spaces; everything else (a passphrase of plain
// words, any script) is welcome.
func ValidatePassword(password string) error {
	weak := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrWeakPassword, fmt.Sprintf(format, args...))
	}
	switch {
	case password == "":
		return weak("the password is empty")
	case !utf8.ValidString(password):
		return weak("the password is not valid UTF-8 text")
	case len(password) < MinPasswordLen:
		return weak("the password is too short: use at least %d characters (it has %d bytes)", MinPasswordLen, len(password))
	case len(password) > MaxPasswordLen:
		return weak("the password is too long: use at most %d bytes (it has %d)", MaxPasswordLen, len(password))
	case strings.TrimFunc(password, unicode.IsSpace) == "":
		return weak("the password is only spaces")
	}
	for _, r := range password {
		if unicode.IsControl(r) {
			return weak("the password contains a control character (%U)", r)
		}
	}
	return nil
}

// dummyHash returns a well-formed hash with parameters p that no password
// matches, so that a login for an unknown address can cost as much as one
// for a known address without hashing anything at start-up.
func dummyHash(p Params) (string, error) {
	buf := make([]byte, saltLen+keyLen)
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("auth: dummy hash: %w", err)
	}
	return formatHash(p, buf[:saltLen], buf[saltLen:]), nil
}
