//go:build tools

// Package tools records what this module builds, so that `go mod tidy` keeps
// every module it needs in go.mod and go.sum. It is never compiled.
package tools

import (
	// The CLI itself.
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
	// Stamped with -ldflags -X .../version.Version=v3.276.0 at build time.
	_ "github.com/pulumi/pulumi/sdk/v3/go/common/version"
)
