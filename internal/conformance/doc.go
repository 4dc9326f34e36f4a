// Package conformance drives the emulator with a client nobody here wrote,
// Huawei's own Go SDK, and checks the provider's request signatures against
// the SDK's signer. It is a module of its own, so that the SDK stays out of
// the provider's dependencies; make test runs it.
package conformance
