package providertest

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// Run refuses every field of a case or a step that it does not
// implement, naming it, rather than passing without doing what it says.
func TestRunTestRefusesWhatItDoesNotDo(t *testing.T) {
	factories := map[string]func() (tfprotov6.ProviderServer, error){"hwc": func() (tfprotov6.ProviderServer, error) { return nil, nil }}
	step := func(mod func(*resource.TestStep)) resource.TestCase {
		s := resource.TestStep{Config: `data "hwc_ims_images" "x" {}`}
		mod(&s)
		return resource.TestCase{ProtoV6ProviderFactories: factories, Steps: []resource.TestStep{s}}
	}
	kase := func(mod func(*resource.TestCase)) resource.TestCase {
		c := step(func(*resource.TestStep) {})
		mod(&c)
		return c
	}
	for want, c := range map[string]resource.TestCase{
		"SkipFunc":                 step(func(s *resource.TestStep) { s.SkipFunc = func() (bool, error) { return true, nil } }),
		"ConfigVariables":          step(func(s *resource.TestStep) { s.ConfigVariables = config.Variables{"x": config.StringVariable("y")} }),
		"ConfigDirectory":          step(func(s *resource.TestStep) { s.ConfigDirectory = config.StaticDirectory("testdata") }),
		"ConfigFile":               step(func(s *resource.TestStep) { s.ConfigFile = config.StaticFile("main.tf") }),
		"PlanOnly":                 step(func(s *resource.TestStep) { s.PlanOnly = true }),
		"Taint":                    step(func(s *resource.TestStep) { s.Taint = []string{"x"} }),
		"ImportState":              step(func(s *resource.TestStep) { s.ImportState = true }),
		"RefreshState":             step(func(s *resource.TestStep) { s.RefreshState = true }),
		"ExpectNonEmptyPlan":       step(func(s *resource.TestStep) { s.ExpectNonEmptyPlan = true }),
		"ProtoV6ProviderFactories": step(func(s *resource.TestStep) { s.ProtoV6ProviderFactories = factories }),
		"ExternalProviders":        kase(func(c *resource.TestCase) { c.ExternalProviders = map[string]resource.ExternalProvider{"null": {}} }),
		"TerraformVersionChecks": kase(func(c *resource.TestCase) {
			c.TerraformVersionChecks = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(version.Must(version.NewVersion("1.5.0")))}
		}),
		"PreCheck":     kase(func(c *resource.TestCase) { c.PreCheck = func() {} }),
		"CheckDestroy": kase(func(c *resource.TestCase) { c.CheckDestroy = func(*terraform.State) error { return nil } }),
	} {
		err := unsupportedFields(c)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", want, err)
		}
	}
	supported := step(func(s *resource.TestStep) {
		s.Check = func(*terraform.State) error { return nil }
		s.ExpectError = regexp.MustCompile("x")
	})
	supported.ErrorCheck = func(err error) error { return err }
	if err := unsupportedFields(supported); err != nil {
		t.Errorf("the fields Run implements are refused: %v", err)
	}
}
