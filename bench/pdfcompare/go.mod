module github.com/vnportal/portal/bench/pdfcompare

go 1.26.0

replace github.com/vnportal/portal => ../..

require (
	github.com/ledongthuc/pdf v0.0.0-20260907135840-6c8c28e0e8a0
	github.com/vnportal/portal v0.0.0
	golang.org/x/text v0.44.0
	rsc.io/pdf v0.1.1
)

require (
	github.com/google/uuid v1.6.0 // indirect
	github.com/jolestar/go-commons-pool/v2 v2.1.2 // indirect
	github.com/klippa-app/go-pdfium v1.21.5 // indirect
	github.com/tetratelabs/wazero v1.12.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
)
