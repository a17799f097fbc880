package publish

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"path"
	"strings"
)

// fingerprintLen is how many hex characters of the SHA-256 digest go into a
// fingerprinted file name (40 bits: collisions between assets of one site are
// practically impossible, and names stay short).
const fingerprintLen = 10

// Fingerprint returns the content-addressed name of an asset and its
// Subresource Integrity string. The hash is inserted before the last
// extension of the file name: "css/site.css" becomes
// "css/site.3f2a9c1b0d.css" (the first 10 hex characters of SHA-256 of
// content); a name without an extension, or a dot-file such as ".htaccess",
// gets the hash appended ("LICENSE.3f2a9c1b0d"). The folder part is kept as
// is. integrity is "sha256-" followed by the standard base64 encoding of the
// full digest, ready for an integrity="..." attribute.
//
// Fingerprint is a pure function: the same name and content always give the
// same result, and any change to content changes both results.
func Fingerprint(name string, content []byte) (hashedName, integrity string) {
	sum := sha256.Sum256(content)
	short := hex.EncodeToString(sum[:])[:fingerprintLen]
	integrity = "sha256-" + base64.StdEncoding.EncodeToString(sum[:])

	dir, file := path.Split(name)
	ext := path.Ext(file)
	stem := strings.TrimSuffix(file, ext)
	if stem == "" || ext == "" {
		// "LICENSE" or ".htaccess": no usable extension to keep last.
		return dir + file + "." + short, integrity
	}
	return dir + stem + "." + short + ext, integrity
}
