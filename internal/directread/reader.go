// Package directread answers the data source reads of a
// terraform-plugin-framework provider itself, for the data sources that opt
// in by implementing Reader, and hands every other request to the
// framework's own server.
//
// After a data source's Read, the framework walks every value of the state
// twice — semantic equality and the reification of null list and set blocks,
// each resolving the schema path of every value and converting each value
// through its attribute type — before it encodes the state. With hundreds of
// list elements of some 60 attributes, most of them null, the walks cost far
// more than the read. They change nothing, and fail nowhere, for a schema of
// plain String, Bool and Number attributes, lists, sets, objects and nested
// attributes of them, and single nested blocks whose types have no semantic
// equality (a timeouts block): for a Reader with such a schema, the server
// calls its Configure and ReadState as the framework would call Configure
// and Read, and encodes the state it returns, byte for byte as the framework
// would. It validates their configurations too, as the framework would
// (see validate.go). The package knows nothing of what the data sources
// read.
package directread

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Reader is a data source whose reads the direct path may answer. Its
// framework Read must give the state ReadState gives (the provider's tests
// compare both paths).
type Reader interface {
	datasource.DataSourceWithConfigure
	// ReadState reads the data source with the configuration given. It
	// reports false, with diagnostics, when there is no state.
	ReadState(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) (State, bool)
}

// State is the state a read built: the value of each attribute, but for
// the list attributes in Lists, which write themselves.
type State struct {
	Attrs map[string]tftypes.Value
	Lists map[string]List
}

// List is a list attribute of a state that can write its MessagePack
// encoding without building its value, as large lists should.
type List interface {
	// Value is the list's value, for the framework's path.
	Value() tftypes.Value
	// Encode writes the MessagePack encoding of Value, byte for byte as
	// tfprotov6.NewDynamicValue would write it.
	Encode(w *Writer) error
}
