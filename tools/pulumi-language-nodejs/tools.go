//go:build tools

// Package tools records what this module builds, so that `go mod tidy` keeps
// every module it needs in go.mod and go.sum. It is never compiled.
package tools

import (
	// The nodejs language host.
	_ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
)
