package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/ntm-vn/ntm/internal/fault"
)

// Argon2Params are the argon2id cost parameters for new password hashes. Hashes carry their
// own parameters, so raising these later still verifies old hashes.
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

// Argon2 is the cost of new hashes: 64 MiB, one pass, two lanes — about 50 ms on the 2-core
// machines the offices run. Tests lower it.
var Argon2 = Argon2Params{Memory: 64 * 1024, Time: 1, Threads: 2}

const (
	saltLen = 16
	keyLen  = 32
)

var b64 = base64.RawStdEncoding // PHC strings use unpadded standard base64

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 10

// CheckPasswordStrength refuses passwords that are too short.
func CheckPasswordStrength(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLen {
		return fmt.Errorf("mật khẩu cần ít nhất %d ký tự (password needs at least %d characters)", MinPasswordLen, MinPasswordLen)
	}
	return nil
}

// HashPassword returns the argon2id hash of pw as a PHC string:
// $argon2id$v=19$m=65536,t=1,p=2$SALT$HASH.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	p := Argon2
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// ErrBadHash says a stored hash is not an argon2id PHC string this package can read. It is a
// fault (compared by identity with errors.Is) of code BadCredentials: the user cannot sign in
// with that password, and an administrator must set a new one.
var ErrBadHash = fault.Both(fault.BadCredentials, "mã băm mật khẩu không phải chuỗi PHC argon2id", "password hash: not an argon2id PHC string")

// CheckPassword reports whether pw matches the PHC hash, comparing in constant time.
func CheckPassword(hash, pw string) (bool, error) {
	parts := strings.Split(hash, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, key
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return false, ErrBadHash
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false, ErrBadHash
	}
	var p Argon2Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil ||
		p.Time == 0 || p.Threads == 0 || p.Memory < 8*uint32(p.Threads) || p.Memory > 4<<20 || p.Time > 64 {
		return false, ErrBadHash
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return false, ErrBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) < 16 || len(want) > 128 {
		return false, ErrBadHash
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

var dummy struct {
	once sync.Once
	hash string
}

// SpendPasswordCheck costs what checking a password costs, so that a sign-in for a user
// who does not exist takes as long as one with a wrong password.
func SpendPasswordCheck(pw string) {
	dummy.once.Do(func() { dummy.hash, _ = HashPassword("ntm: no such user") })
	CheckPassword(dummy.hash, pw)
}

// NewToken returns a random secret: 32 bytes, base64url without padding (43 characters).
func NewToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// HashToken returns the SHA-256 of a token in hex: what the database keeps, so that a copy
// of the database holds no usable session or API token. Tokens are random and long, so a
// fast hash is enough.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewPassword returns a random password of 16 characters from an alphabet without look-alike
// characters, for accounts created without one.
func NewPassword() (string, error) {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	out := make([]byte, 0, 16)
	b := make([]byte, 32)
	for len(out) < 16 {
		if _, err := rand.Read(b); err != nil {
			return "", err
		}
		for _, c := range b {
			// Drop the bytes above the last whole multiple of the alphabet, so every
			// character is equally likely.
			if int(c) < 256-256%len(alphabet) && len(out) < 16 {
				out = append(out, alphabet[int(c)%len(alphabet)])
			}
		}
	}
	return string(out), nil
}
