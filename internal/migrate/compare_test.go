package migrate

import (
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

// Plans are compared leaf by leaf through objects; a sensitive value is
// compared but never shown, unknown values are equal when both are unknown,
// and an action or a resource only one plan has is a difference.
func TestComparePlans(t *testing.T) {
	plan := func(image, secret string, actions tfjson.Actions, extra bool) *tfjson.Plan {
		p := &tfjson.Plan{
			OutputChanges: map[string]*tfjson.Change{
				"ids": {After: []any{image, "b"}},
				"pw":  {After: secret, AfterSensitive: true},
			},
			ResourceChanges: []*tfjson.ResourceChange{{
				Address: "huaweicloud_compute_instance.web", Mode: tfjson.ManagedResourceMode,
				Change: &tfjson.Change{Actions: actions,
					After:          map[string]any{"image_id": image, "tags": map[string]any{"a": "1"}, "id": nil},
					AfterUnknown:   map[string]any{"id": true},
					AfterSensitive: map[string]any{}},
			}, {Address: "data.x.y", Mode: tfjson.DataResourceMode, Change: &tfjson.Change{After: image}}},
		}
		if extra {
			p.ResourceChanges = append(p.ResourceChanges, &tfjson.ResourceChange{Address: "terraform_data.z", Mode: tfjson.ManagedResourceMode,
				Change: &tfjson.Change{Actions: tfjson.Actions{tfjson.ActionCreate}, After: map[string]any{"input": "x"}}})
		}
		return p
	}
	noop := tfjson.Actions{tfjson.ActionNoop}
	if d, outputs, resources := comparePlans(plan("img-1", "s3cret", noop, false), plan("img-1", "s3cret", noop, false)); len(d) != 0 || outputs != 2 || resources != 1 {
		t.Fatalf("equal plans: %v, %d outputs, %d resources", d, outputs, resources)
	}
	d, _, resources := comparePlans(plan("img-1", "s3cret", noop, false), plan("img-2", "other-s3cret", tfjson.Actions{tfjson.ActionDelete, tfjson.ActionCreate}, true))
	var got []string
	for _, x := range d {
		got = append(got, x.String())
	}
	text := strings.Join(got, "\n")
	for _, want := range []string{
		`huaweicloud_compute_instance.web: image_id: the official provider plans "img-1", hwc plans "img-2"`,
		`huaweicloud_compute_instance.web: (action): the official provider plans [no-op], hwc plans [delete create]`,
		`output.ids: the official provider plans ["img-1","b"], hwc plans ["img-2","b"]`,
		`output.pw: the official provider plans (sensitive), hwc plans (sensitive)`,
		`terraform_data.z: input: the official provider plans (absent), hwc plans "x"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the differences do not say %s:\n%s", want, text)
		}
	}
	if len(d) != 5 || resources != 2 || !strings.HasPrefix(got[0], "huaweicloud_compute_instance.web: image_id") || strings.Contains(text, "s3cret") {
		t.Errorf("%d differences over %d resources, image first, no secret:\n%s", len(d), resources, text)
	}
}
