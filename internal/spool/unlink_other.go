//go:build !unix

package spool

// unlinkOpen: on Windows an open file cannot be removed; Close removes it.
const unlinkOpen = false
