package publish

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"path"
	"regexp"
	"strings"
)

// Assets are the site's CSS and JS files: minified (when the build minifies), then
// fingerprinted, so that their names change with their bytes and they can be cached for
// ever. This file is the one place that knows which files are assets, how their names
// are made and how to recognise such a name; the build publishes the result in its
// manifest (Manifest.Assets) for the server and the preview to read.

// fingerprintLen is how many hex characters of the SHA-256 digest go into a
// fingerprinted file name (40 bits: collisions between assets of one site are
// practically impossible, and names stay short).
const fingerprintLen = 10

// Asset is one fingerprinted file as published.
type Asset struct {
	URL       string `json:"url"`       // "/css/site.3f2a9c1b0d.css"
	Integrity string `json:"integrity"` // Subresource Integrity, "sha256-…"
}

// Assets maps logical asset names ("css/site.css") to what was published.
type Assets map[string]Asset

// IsAsset reports whether a static file is fingerprinted as an asset (CSS and JS).
func IsAsset(rel string) bool {
	ext := path.Ext(rel)
	return ext == ".css" || ext == ".js"
}

// PrepareAsset returns the bytes to publish for the asset rel (minified when minify is
// set) and the asset they make: the fingerprint and the integrity hash describe exactly
// the bytes served.
func PrepareAsset(rel string, content []byte, minify bool) (Asset, []byte, error) {
	if minify {
		var err error
		if content, err = Minify(rel, content); err != nil {
			return Asset{}, nil, err
		}
	}
	name, integrity := Fingerprint(rel, content)
	return Asset{URL: "/" + name, Integrity: integrity}, content, nil
}

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

// fingerprintedRe matches the names Fingerprint makes: "site.3f2a9c1b0d.css",
// "LICENSE.3f2a9c1b0d".
var fingerprintedRe = regexp.MustCompile(`\.[0-9a-f]{10}\.[A-Za-z0-9]+$|^[^.].*\.[0-9a-f]{10}$`)

// Fingerprinted reports whether a file name carries a content hash as Fingerprint
// makes it, which makes the file safe to cache for ever.
func Fingerprinted(name string) bool { return fingerprintedRe.MatchString(path.Base(name)) }
