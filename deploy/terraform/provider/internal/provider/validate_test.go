package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"google.golang.org/grpc/credentials"

	"github.com/dialtone-dev/terraform-provider-dialtone/internal/fakeadmin"
	"github.com/dialtone-dev/terraform-provider-dialtone/internal/testpki"
)

func TestValidateRegion(t *testing.T) {
	m := func(id string, priority int64, standby string) regionModel {
		return regionModel{ID: types.StringValue(id), Priority: types.Int64Value(priority),
			StandbyTimeout: types.StringValue(standby), DrainTimeout: types.StringUnknown()}
	}
	tests := []struct {
		m    regionModel
		want string
	}{
		{m("ap-south", 4, "10m"), ""},
		{m("AP_South", 4, "10m"), `id: Invalid region id`},
		{m("ap-south", -1, "10m"), `priority: Invalid priority`},
		{m("ap-south", 1<<32, "10m"), `priority: Invalid priority`},
		{m("ap-south", 4, "ten minutes"), `standby_timeout: Invalid duration`},
		{m("ap-south", 4, "-5m"), `standby_timeout: Invalid duration`},
		{regionModel{ID: types.StringUnknown(), Priority: types.Int64Unknown(), StandbyTimeout: types.StringNull(), DrainTimeout: types.StringNull()}, ""},
	}
	for _, tt := range tests {
		var got []string
		for _, p := range validateRegion(tt.m) {
			got = append(got, p.path.String()+": "+p.summary)
		}
		if strings.Join(got, "; ") != tt.want {
			t.Errorf("validateRegion(%v) = %q, want %q", tt.m, got, tt.want)
		}
	}
	for in, want := range map[[2]string]string{
		{"198.51.100.7", "v4"}: "", {"2001:db8::1", "v6"}: "", {"2001:db8::1", "v4"}: `"2001:db8::1" is not an IPv4 address`,
		{"198.51.100.7", "v6"}: `"198.51.100.7" is an IPv4 address; put it in ipv4`, {"edge.example", "v4"}: `"edge.example" is not an IP address`,
	} {
		if got := checkAddress(in[0], in[1] == "v4"); got != want {
			t.Errorf("checkAddress(%v) = %q, want %q", in, got, want)
		}
	}
}

// What the provider refuses before changing anything, through the CLI (skipped without tofu).
func TestProviderRefusals(t *testing.T) {
	if !useCLI(t) {
		t.Skip("no tofu binary")
	}
	ca := testpki.NewCA(t, "lab-ca")
	d := fakeadmin.New("lab", "cp-1")
	agent := d.Serve(t, "cp-1", credentials.NewTLS(testpki.ServerTLS(ca, ca.Issue(t, "spiffe://lab/region/ap-south/agent/a1"))))
	dir := testpki.WriteDir(t, ca, ca.Issue(t, "spiffe://lab/operator/terraform"))
	token := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(token, []byte("never-shown-token"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := func(provider string) string {
		return fmt.Sprintf(`
terraform {
  required_providers {
    dialtone = { source = "dialtone/dialtone" }
  }
}
provider "dialtone" {
%s
}
data "dialtone_status" "now" {}
`, provider)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{
			{Config: cfg(fmt.Sprintf("endpoints = [%q]\nplaintext = true\ntoken_file = %q", agent, token)),
				ExpectError: regexp.MustCompile(`Plaintext would send the bearer token in the clear`)},
			{Config: cfg(fmt.Sprintf("endpoints = [%q]\ndeployment = \"lab\"\ntls_dir = %q", agent, dir)),
				ExpectError: regexp.MustCompile(`(?s)no replica answered.*spiffe://lab/region/ap-south/agent/a1,\s+not\s+a\s+replica`)},
			{Config: cfg(fmt.Sprintf("endpoints = [%q]\ntls_dir = %q", agent, dir)),
				ExpectError: regexp.MustCompile(`No deployment`)},
		},
	})
}
