package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"google.golang.org/grpc/credentials"

	"github.com/dialtone-dev/terraform-provider-dialtone/internal/client"
	pb "github.com/dialtone-dev/terraform-provider-dialtone/internal/dialtonev1"
	"github.com/dialtone-dev/terraform-provider-dialtone/internal/fakeadmin"
	"github.com/dialtone-dev/terraform-provider-dialtone/internal/testpki"
)

// fakeHarness: three TLS replicas of an in-memory deployment "lab" (cp-2 leads), us-east active
// and us-west standby; a registered region becomes STANDBY after a few status calls.
func fakeHarness(t *testing.T) (harness, *fakeadmin.Deployment) {
	t.Helper()
	ca := testpki.NewCA(t, "lab-ca")
	d := fakeadmin.New("lab", "cp-2")
	d.PromoteAfter = 4
	d.AddRegion("us-east", 1, pb.RegionLifecycle_REGION_LIFECYCLE_ACTIVE)
	d.AddRegion("us-west", 2, pb.RegionLifecycle_REGION_LIFECYCLE_STANDBY)
	var eps []string
	for _, id := range []string{"cp-1", "cp-2", "cp-3"} {
		eps = append(eps, d.Serve(t, id, credentials.NewTLS(testpki.ServerTLS(ca, ca.Issue(t, "spiffe://lab/replica/"+id)))))
	}
	dir := testpki.WriteDir(t, ca, ca.Issue(t, "spiffe://lab/operator/terraform"))
	r, problems := client.Resolve(client.Settings{Endpoints: eps, Deployment: "lab", TLSDir: dir, Timeout: 10 * time.Second}, nil)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	admin, err := client.New(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = admin.Close() })
	return harness{
		providerBlock: fmt.Sprintf("provider \"dialtone\" {\n  endpoints  = %s\n  deployment = \"lab\"\n  tls_dir    = %q\n}", hclList(eps), dir),
		region:        spareRegion{ID: "ap-south", Priority: 4, IPv4: []string{"198.51.100.7"}, IPv6: []string{}, SIPURI: "sip:edge.ap-south.lab:5060"},
		admin:         admin, standbyTimeout: "30s",
	}, d
}

// The region's lifecycle through the real OpenTofu CLI against the in-memory deployment: no lab
// needed, only a tofu binary (skipped without one).
func TestRegionLifecycleAgainstTheFake(t *testing.T) {
	if !useCLI(t) {
		t.Skip("no tofu binary (TF_ACC_TERRAFORM_PATH, PATH or GOPATH/bin)")
	}
	h, d := fakeHarness(t)
	resource.UnitTest(t, h.lifecycle(t))
	var mutations []string
	for _, c := range d.Calls() {
		if c.Method != "GetStatus" {
			mutations = append(mutations, c.Replica+" "+c.Method)
		}
	}
	want := "[cp-2 RegisterRegion cp-2 RegisterRegion cp-2 DrainRegion cp-2 CancelDrain cp-2 DrainRegion cp-2 DeregisterRegion]"
	if fmt.Sprint(mutations) != want {
		t.Errorf("mutations %v\nwant      %s", mutations, want)
	}
}
