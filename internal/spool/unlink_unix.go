//go:build unix

package spool

// unlinkOpen: an open file can be removed from its folder and still be used.
const unlinkOpen = true
