// Package hardening holds tests that cut across packages: hostile content pushed
// through a whole build (injection), the search endpoints fed hostile queries, a real
// `portal build` killed at random moments (crash safety), and the HTTP server's
// limits as seen from a socket. It has no code of its own; see the *_test.go files.
package hardening
